//! The attestation: a compact JWS (RFC 7515) signed with Ed25519
//! (`alg: EdDSA`, RFC 8037), base64url without padding in all three parts.
//!
//! The protected header carries the public key as a JWK and its
//! fingerprint as `kid`; the payload is [`Claims`]. Verification is strict:
//! exactly three parts, canonical base64url, `alg`, `typ`, `kty` and `crv`
//! as written, a `kid` equal to the key's fingerprint, a 64-byte signature
//! that verifies, and claims with exactly the known keys, each hash 64
//! lowercase hex digits. The signature proves possession of the key, not
//! who the publisher is: pin the key (`--trust-key`) for that.

use super::keys::{Identity, fingerprint, public_key};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

/// The claims format; `v` must say this.
pub const CLAIMS_VERSION: &str = "zigttp-attest-v1";
/// The header's `typ`.
pub const TYP: &str = "zigttp-attest+jws";

/// What the signature covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Claims {
    /// [`CLAIMS_VERSION`].
    pub v: String,
    /// SHA-256 (hex) of the whole `.zbc` file.
    pub bytecode_sha256: String,
    /// SHA-256 (hex) of the contract JSON, byte for byte as embedded in the
    /// bundle and as served on the well-known path.
    pub contract_sha256: String,
    /// SHA-256 (hex) of the policy JSON bytes in force.
    pub policy_sha256: String,
    /// The contract's capability hash.
    pub capability_hash: String,
    /// The properties the contract proves (contract JSON names).
    pub properties: Vec<String>,
    /// Routes in the contract.
    pub routes_count: u64,
    /// Who signed: `zigttp <version>`.
    pub runtime_version: String,
    /// Unix seconds at signing.
    pub signed_at: u64,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Jwk {
    kty: String,
    crv: String,
    x: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    alg: String,
    typ: String,
    kid: String,
    jwk: Jwk,
}

/// Why a JWS does not verify.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JwsError {
    /// Not a well-formed attestation (structure, encoding, header, claims).
    Malformed(String),
    /// Well-formed, but the signature does not verify with the embedded key.
    Signature,
}

impl std::fmt::Display for JwsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JwsError::Malformed(why) => write!(f, "malformed attestation: {why}"),
            JwsError::Signature => {
                f.write_str("the attestation's signature does not verify with its key")
            }
        }
    }
}

/// A JWS that verified.
#[derive(Clone, Debug)]
pub struct Verified {
    pub public_key: [u8; 32],
    pub fingerprint: String,
    pub claims: Claims,
}

/// Signs `claims` as a compact JWS.
pub fn sign(identity: &Identity, claims: &Claims) -> String {
    let key = identity.public_key();
    let header = Header {
        alg: "EdDSA".into(),
        typ: TYP.into(),
        kid: fingerprint(&key),
        jwk: Jwk {
            kty: "OKP".into(),
            crv: "Ed25519".into(),
            x: URL_SAFE_NO_PAD.encode(key),
        },
    };
    // Serializing plain structs of strings and numbers cannot fail.
    let header = serde_json::to_vec(&header).unwrap_or_default();
    let claims = serde_json::to_vec(claims).unwrap_or_default();
    let mut jws = URL_SAFE_NO_PAD.encode(header);
    jws.push('.');
    jws.push_str(&URL_SAFE_NO_PAD.encode(claims));
    let signature = identity.sign(jws.as_bytes());
    jws.push('.');
    jws.push_str(&URL_SAFE_NO_PAD.encode(signature));
    jws
}

fn malformed(why: impl Into<String>) -> JwsError {
    JwsError::Malformed(why.into())
}

fn decode_part(part: &str, what: &str) -> Result<Vec<u8>, JwsError> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| malformed(format!("the {what} is not base64url without padding")))
}

/// A SHA-256 in hex as the claims write it.
pub fn is_hash_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Verifies a compact JWS and returns its key and claims.
pub fn verify(jws: &str) -> Result<Verified, JwsError> {
    let parts: Vec<&str> = jws.trim_ascii().split('.').collect();
    let [header_b64, claims_b64, signature_b64] = parts[..] else {
        return Err(malformed(format!(
            "a compact JWS has 3 dot-separated parts, this has {}",
            parts.len()
        )));
    };
    let header: Header = serde_json::from_slice(&decode_part(header_b64, "header")?)
        .map_err(|e| malformed(format!("header: {e}")))?;
    if header.alg != "EdDSA" {
        return Err(malformed(format!(
            "header alg is {:?}, only \"EdDSA\" is accepted",
            header.alg
        )));
    }
    if header.typ != TYP || header.jwk.kty != "OKP" || header.jwk.crv != "Ed25519" {
        return Err(malformed(format!(
            "header must have typ {TYP:?} and an OKP Ed25519 jwk"
        )));
    }
    let key = public_key(&decode_part(&header.jwk.x, "jwk x")?)
        .ok_or_else(|| malformed("jwk x is not a 32-byte Ed25519 public key"))?;
    let print = fingerprint(&key);
    if header.kid != print {
        return Err(malformed("header kid is not the fingerprint of its key"));
    }
    let claims_json = decode_part(claims_b64, "claims")?;
    let signature = decode_part(signature_b64, "signature")?;
    let signature = ed25519_compact::Signature::from_slice(&signature)
        .map_err(|_| malformed("the signature is not 64 bytes"))?;
    let signed = &jws.trim_ascii()[..header_b64.len() + 1 + claims_b64.len()];
    ed25519_compact::PublicKey::new(key)
        .verify(signed, &signature)
        .map_err(|_| JwsError::Signature)?;
    let claims: Claims =
        serde_json::from_slice(&claims_json).map_err(|e| malformed(format!("claims: {e}")))?;
    if claims.v != CLAIMS_VERSION {
        return Err(malformed(format!(
            "claims version {:?}, expected {CLAIMS_VERSION:?}",
            claims.v
        )));
    }
    for (name, value) in [
        ("bytecodeSha256", &claims.bytecode_sha256),
        ("contractSha256", &claims.contract_sha256),
        ("policySha256", &claims.policy_sha256),
        ("capabilityHash", &claims.capability_hash),
    ] {
        if !is_hash_hex(value) {
            return Err(malformed(format!(
                "claim {name} is not 64 lowercase hex digits"
            )));
        }
    }
    Ok(Verified {
        public_key: key,
        fingerprint: print,
        claims,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Claims {
        Claims {
            v: CLAIMS_VERSION.into(),
            bytecode_sha256: "a".repeat(64),
            contract_sha256: "b".repeat(64),
            policy_sha256: "c".repeat(64),
            capability_hash: "d".repeat(64),
            properties: vec!["pure".into()],
            routes_count: 2,
            runtime_version: "zigttp 0.1.0".into(),
            signed_at: 1_800_000_000,
        }
    }

    fn reencode(jws: &str, part: usize, edit: impl FnOnce(String) -> String) -> String {
        let mut parts: Vec<String> = jws.split('.').map(str::to_owned).collect();
        let text = String::from_utf8(URL_SAFE_NO_PAD.decode(&parts[part]).unwrap()).unwrap();
        parts[part] = URL_SAFE_NO_PAD.encode(edit(text));
        parts.join(".")
    }

    #[test]
    fn signs_and_verifies() {
        let id = Identity::from_seed([7; 32]);
        let jws = sign(&id, &claims());
        let v = verify(&jws).unwrap();
        assert_eq!(v.claims, claims());
        assert_eq!(v.fingerprint, id.fingerprint());
        // Deterministic signatures: the same input signs the same.
        assert_eq!(jws, sign(&id, &claims()));
    }

    #[test]
    fn an_altered_claim_fails_the_signature() {
        let jws = sign(&Identity::from_seed([7; 32]), &claims());
        let forged = reencode(&jws, 1, |t| t.replace(&"a".repeat(64), &"e".repeat(64)));
        assert_eq!(verify(&forged).unwrap_err(), JwsError::Signature);
    }

    #[test]
    fn a_swapped_key_fails() {
        // Re-sign the header with another key but keep the old signature.
        let jws = sign(&Identity::from_seed([7; 32]), &claims());
        let other = sign(&Identity::from_seed([8; 32]), &claims());
        let mixed = format!(
            "{}.{}",
            other.rsplit_once('.').unwrap().0,
            jws.rsplit_once('.').unwrap().1
        );
        assert_eq!(verify(&mixed).unwrap_err(), JwsError::Signature);
    }

    #[test]
    fn malformed_inputs_are_named() {
        let jws = sign(&Identity::from_seed([7; 32]), &claims());
        let cases = [
            (String::new(), "3 dot-separated"),
            (format!("{jws}.x"), "3 dot-separated"),
            (jws.replacen('.', ".=", 1), "base64url"),
            (reencode(&jws, 0, |t| t.replace("EdDSA", "none")), "alg"),
            (reencode(&jws, 0, |t| t.replace("OKP", "EC")), "OKP"),
            (
                reencode(&jws, 0, |t| {
                    let kid = Identity::from_seed([9; 32]).fingerprint();
                    let start = t.find("\"kid\":\"").unwrap() + 7;
                    format!("{}{kid}{}", &t[..start], &t[start + 64..])
                }),
                "kid",
            ),
        ];
        for (input, needle) in cases {
            match verify(&input) {
                Err(JwsError::Malformed(why)) => assert!(why.contains(needle), "{why}"),
                other => panic!("{input}: {other:?}"),
            }
        }
    }

    #[test]
    fn claims_are_checked_after_the_signature() {
        let id = Identity::from_seed([7; 32]);
        let mut bad = claims();
        bad.bytecode_sha256 = "A".repeat(64);
        assert!(
            matches!(verify(&sign(&id, &bad)), Err(JwsError::Malformed(w)) if w.contains("bytecodeSha256"))
        );
        bad = claims();
        bad.v = "other".into();
        assert!(
            matches!(verify(&sign(&id, &bad)), Err(JwsError::Malformed(w)) if w.contains("version"))
        );
    }
}
