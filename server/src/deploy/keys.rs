//! Signing keys: `zigttp keygen` writes one, `zigttp build` and `zigttp
//! sign` load one.
//!
//! A key file holds 64 raw bytes: the 32-byte Ed25519 seed followed by the
//! 32-byte public key. It is created with mode 0600 in a directory created
//! with mode 0700, and loading refuses a file that group or others can
//! read or write, a file of any other size, and a file whose public half
//! does not match its seed.

use ed25519_compact::{KeyPair, PublicKey, Seed};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Size of a key file: seed then public key.
pub const KEY_FILE_LEN: usize = 64;

/// A signing identity.
#[derive(Clone)]
pub struct Identity {
    pair: KeyPair,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret half.
        f.debug_struct("Identity")
            .field("fingerprint", &self.fingerprint())
            .finish()
    }
}

/// The SHA-256 of a raw 32-byte public key, lowercase hex (all 64 digits):
/// the key's name in `kid`, `--trust-key` and every message.
pub fn fingerprint(public_key: &[u8; 32]) -> String {
    zigts_verifier::hex(&Sha256::digest(public_key))
}

impl Identity {
    /// A new identity from the operating system's CSPRNG.
    pub fn generate() -> Result<Identity, String> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| format!("cannot get random bytes: {e}"))?;
        Ok(Identity::from_seed(seed))
    }

    /// The identity a seed determines.
    pub fn from_seed(seed: [u8; 32]) -> Identity {
        Identity {
            pair: KeyPair::from_seed(Seed::new(seed)),
        }
    }

    pub fn public_key(&self) -> [u8; 32] {
        *self.pair.pk
    }

    pub fn fingerprint(&self) -> String {
        fingerprint(&self.public_key())
    }

    /// A deterministic Ed25519 signature (RFC 8032) of `message`.
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        *self.pair.sk.sign(message, None)
    }

    /// Writes the identity to a new file (mode 0600), creating missing
    /// parent directories with mode 0700. An existing file is only
    /// replaced with `overwrite`.
    pub fn save(&self, path: &Path, overwrite: bool) -> Result<(), String> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        if overwrite {
            match fs::remove_file(path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(format!("cannot replace {}: {e}", path.display())),
            }
        }
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => format!(
                    "{} already exists (use --force to replace it; the old key is then lost)",
                    path.display()
                ),
                _ => format!("cannot create {}: {e}", path.display()),
            })?;
        let mut bytes = [0u8; KEY_FILE_LEN];
        bytes[..32].copy_from_slice(self.pair.sk.seed().as_ref());
        bytes[32..].copy_from_slice(self.pair.pk.as_ref());
        file.write_all(&bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    /// Loads a key file, refusing loose permissions, a wrong size and a
    /// public half that does not belong to the seed.
    pub fn load(path: &Path) -> Result<Identity, String> {
        let shown = path.display();
        let meta = fs::metadata(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                format!("no signing key at {shown} (create one with `zigttp keygen`)")
            }
            _ => format!("cannot read {shown}: {e}"),
        })?;
        if !meta.is_file() {
            return Err(format!("{shown} is not a regular file"));
        }
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(format!(
                "refusing the key {shown}: its mode is {:04o}, so group or others can use it (run `chmod 600 {shown}`)",
                mode & 0o7777
            ));
        }
        let bytes = fs::read(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
        if bytes.len() != KEY_FILE_LEN {
            return Err(format!(
                "refusing the key {shown}: it holds {} bytes, a key file holds {KEY_FILE_LEN}",
                bytes.len()
            ));
        }
        let mut seed = [0u8; 32];
        seed.copy_from_slice(&bytes[..32]);
        let identity = Identity::from_seed(seed);
        if identity.public_key()[..] != bytes[32..] {
            return Err(format!(
                "refusing the key {shown}: its public half does not belong to its seed (the file is damaged)"
            ));
        }
        Ok(identity)
    }
}

/// Checks that 32 raw bytes are a valid Ed25519 public key.
pub fn public_key(bytes: &[u8]) -> Option<[u8; 32]> {
    let key = PublicKey::from_slice(bytes).ok()?;
    Some(*key)
}

/// The key file given (`--key`, `--out`), else [`default_key_path`].
pub fn key_path(given: Option<&str>) -> Result<PathBuf, String> {
    match given {
        Some(path) => Ok(PathBuf::from(path)),
        None => default_key_path(),
    }
}

/// Where `keygen` writes and `build` looks without `--key`:
/// `$XDG_CONFIG_HOME/zigttp/attest.key`, else `$HOME/.config/zigttp/attest.key`.
pub fn default_key_path() -> Result<PathBuf, String> {
    let base = match std::env::var_os("XDG_CONFIG_HOME").filter(|v| !v.is_empty()) {
        Some(dir) => PathBuf::from(dir),
        None => match std::env::var_os("HOME").filter(|v| !v.is_empty()) {
            Some(home) => PathBuf::from(home).join(".config"),
            None => {
                return Err(
                    "neither XDG_CONFIG_HOME nor HOME is set: give the key file with --key".into(),
                );
            }
        },
    };
    Ok(base.join("zigttp").join("attest.key"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("zigttp-keys-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir.join("sub").join("attest.key")
    }

    #[test]
    fn round_trip_with_owner_only_modes() {
        let path = temp("round");
        let id = Identity::generate().unwrap();
        id.save(&path, false).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(dir_mode, 0o700);
        let loaded = Identity::load(&path).unwrap();
        assert_eq!(loaded.public_key(), id.public_key());
        assert!(
            id.save(&path, false)
                .unwrap_err()
                .contains("already exists")
        );
        id.save(&path, true).unwrap();
    }

    #[test]
    fn refuses_loose_modes_sizes_and_mismatched_halves() {
        let path = temp("refuse");
        Identity::generate().unwrap().save(&path, false).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        let e = Identity::load(&path).unwrap_err();
        assert!(e.contains("0644") && e.contains("group or others"), "{e}");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let mut bytes = fs::read(&path).unwrap();
        bytes[40] ^= 1;
        fs::write(&path, &bytes).unwrap();
        assert!(
            Identity::load(&path)
                .unwrap_err()
                .contains("does not belong")
        );
        fs::write(&path, &bytes[..63]).unwrap();
        assert!(Identity::load(&path).unwrap_err().contains("63 bytes"));
        let missing = path.with_file_name("none.key");
        assert!(
            Identity::load(&missing)
                .unwrap_err()
                .contains("zigttp keygen")
        );
    }

    #[test]
    fn fingerprint_is_sha256_of_the_raw_key() {
        // RFC 8032 section 7.1, test 1: the seed and its public key.
        let seed: [u8; 32] =
            hex32("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        let id = Identity::from_seed(seed);
        assert_eq!(
            zigts_verifier::hex(&id.public_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        );
        assert_eq!(
            id.fingerprint(),
            zigts_verifier::hex(&Sha256::digest(id.public_key()))
        );
        // RFC 8032 test 1 signs the empty message.
        assert_eq!(
            zigts_verifier::hex(&id.sign(b"")),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        );
    }

    fn hex32(s: &str) -> [u8; 32] {
        let mut out = [0u8; 32];
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }
}
