//! The self-extracting binary's layout: runtime ‖ payload ‖ trailer.
//!
//! The payload is `u16 section_count`, then per section `u8 kind`,
//! `u32 size`, `size` bytes (little-endian). Kinds: 1 bundle (the `.zbc`
//! file), 3 contract (its JSON, as embedded in the bundle), 4 policy (the
//! policy JSON in force), 6 attestation (the compact JWS). Every kind is
//! required exactly once; unknown kinds, repeats and trailing bytes are
//! refused.
//!
//! The 32-byte trailer ends the file: `offset u64` (where the payload
//! starts, = the runtime's size), `size u64`, `version u16` (1), `flags
//! u16` (bit 0 contract, bit 1 attestation, bit 2 policy; all set), the
//! CRC-32 (ISO-HDLC) of the payload `u32`, and [`MAGIC`]. The CRC catches
//! corruption only; integrity is the attestation's job (every hash in it is
//! recomputed before anything runs).

/// Trailer size.
pub const TRAILER_LEN: usize = 32;
/// The trailer's last 8 bytes, `ZTPBC1\0\0` on disk.
pub const MAGIC: u64 = u64::from_le_bytes(*b"ZTPBC1\0\0");
/// The format written and the only one read.
pub const VERSION: u16 = 1;
/// Largest payload accepted (a bundle is far smaller).
pub const MAX_PAYLOAD: u64 = 64 << 20;

const FLAG_CONTRACT: u16 = 1;
const FLAG_ATTESTATION: u16 = 2;
const FLAG_POLICY: u16 = 4;
const FLAGS: u16 = FLAG_CONTRACT | FLAG_ATTESTATION | FLAG_POLICY;

const KIND_BUNDLE: u8 = 1;
const KIND_CONTRACT: u8 = 3;
const KIND_POLICY: u8 = 4;
const KIND_ATTESTATION: u8 = 6;

/// What a deploy binary carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payload {
    pub bundle: Vec<u8>,
    pub contract: Vec<u8>,
    pub policy: Vec<u8>,
    pub attestation: String,
}

impl Payload {
    /// The payload bytes.
    pub fn encode(&self) -> Result<Vec<u8>, String> {
        let sections: [(u8, &[u8]); 4] = [
            (KIND_BUNDLE, &self.bundle),
            (KIND_CONTRACT, &self.contract),
            (KIND_POLICY, &self.policy),
            (KIND_ATTESTATION, self.attestation.as_bytes()),
        ];
        let mut out = Vec::new();
        out.extend_from_slice(&(sections.len() as u16).to_le_bytes());
        for (kind, bytes) in sections {
            let size = u32::try_from(bytes.len())
                .map_err(|_| format!("section {kind} is too large ({} bytes)", bytes.len()))?;
            out.push(kind);
            out.extend_from_slice(&size.to_le_bytes());
            out.extend_from_slice(bytes);
        }
        if out.len() as u64 > MAX_PAYLOAD {
            return Err(format!(
                "the payload is {} bytes, more than the {MAX_PAYLOAD} allowed",
                out.len()
            ));
        }
        Ok(out)
    }

    /// Parses payload bytes, refusing anything but exactly the four sections.
    pub fn decode(bytes: &[u8]) -> Result<Payload, String> {
        let mut r = Reader { bytes, pos: 0 };
        let count = u16::from_le_bytes(r.array("section count")?);
        let mut slots: [Option<&[u8]>; 4] = [None; 4];
        for _ in 0..count {
            let [kind] = r.array::<1>("section kind")?;
            let size = u32::from_le_bytes(r.array("section size")?) as usize;
            let body = r.take(size, "section body")?;
            let slot = match kind {
                KIND_BUNDLE => 0,
                KIND_CONTRACT => 1,
                KIND_POLICY => 2,
                KIND_ATTESTATION => 3,
                other => return Err(format!("unknown payload section kind {other}")),
            };
            if slots[slot].replace(body).is_some() {
                return Err(format!("payload section kind {kind} appears twice"));
            }
        }
        if r.pos != bytes.len() {
            return Err(format!(
                "{} bytes after the last payload section",
                bytes.len() - r.pos
            ));
        }
        let names = ["bundle", "contract", "policy", "attestation"];
        let mut take = |i: usize| {
            slots[i]
                .take()
                .map(<[u8]>::to_vec)
                .ok_or_else(|| format!("the payload has no {} section", names[i]))
        };
        let bundle = take(0)?;
        let contract = take(1)?;
        let policy = take(2)?;
        let attestation = String::from_utf8(take(3)?)
            .map_err(|_| "the attestation section is not text".to_string())?;
        Ok(Payload {
            bundle,
            contract,
            policy,
            attestation,
        })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| format!("the payload ends inside a {what}"))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], String> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }
}

/// The trailer after `runtime_len` bytes of runtime and this payload.
pub fn trailer(runtime_len: u64, payload: &[u8]) -> [u8; TRAILER_LEN] {
    let mut t = [0u8; TRAILER_LEN];
    t[0..8].copy_from_slice(&runtime_len.to_le_bytes());
    t[8..16].copy_from_slice(&(payload.len() as u64).to_le_bytes());
    t[16..18].copy_from_slice(&VERSION.to_le_bytes());
    t[18..20].copy_from_slice(&FLAGS.to_le_bytes());
    t[20..24].copy_from_slice(&crc32fast::hash(payload).to_le_bytes());
    t[24..32].copy_from_slice(&MAGIC.to_le_bytes());
    t
}

/// A trailer that names a payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Trailer {
    pub offset: u64,
    pub size: u64,
    pub crc: u32,
}

/// Reads the last 32 bytes of a file of `file_len` bytes: `Ok(None)` when
/// they do not end with the magic (a plain runtime), an error when they do
/// but anything else is wrong.
pub fn parse_trailer(t: &[u8; TRAILER_LEN], file_len: u64) -> Result<Option<Trailer>, String> {
    let u64_at = |i: usize| u64::from_le_bytes(t[i..i + 8].try_into().unwrap_or_default());
    let u16_at = |i: usize| u16::from_le_bytes([t[i], t[i + 1]]);
    if u64_at(24) != MAGIC {
        return Ok(None);
    }
    let version = u16_at(16);
    if version != VERSION {
        return Err(format!(
            "payload format version {version}, this runtime reads {VERSION}"
        ));
    }
    let flags = u16_at(18);
    if flags != FLAGS {
        return Err(format!(
            "payload flags {flags:#06x}, expected {FLAGS:#06x} (bundle, contract, policy and attestation)"
        ));
    }
    let (offset, size) = (u64_at(0), u64_at(8));
    if size > MAX_PAYLOAD {
        return Err(format!(
            "payload size {size} is over the {MAX_PAYLOAD} limit"
        ));
    }
    let end = offset
        .checked_add(size)
        .and_then(|e| e.checked_add(TRAILER_LEN as u64));
    if end != Some(file_len) {
        return Err(format!(
            "the trailer says the payload is {size} bytes at offset {offset}, which does not end the {file_len}-byte file"
        ));
    }
    Ok(Some(Trailer {
        offset,
        size,
        crc: u32::from_le_bytes([t[20], t[21], t[22], t[23]]),
    }))
}

/// Checks a payload's bytes against its trailer's CRC and parses them.
pub fn open(trailer: &Trailer, bytes: &[u8]) -> Result<Payload, String> {
    let crc = crc32fast::hash(bytes);
    if crc != trailer.crc {
        return Err(format!(
            "the payload's CRC-32 is {crc:08x}, the trailer says {:08x} (the file is corrupted)",
            trailer.crc
        ));
    }
    Payload::decode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Payload {
        Payload {
            bundle: b"ZBC\0bundle".to_vec(),
            contract: b"{}".to_vec(),
            policy: b"{\"capabilities\":[]}".to_vec(),
            attestation: "a.b.c".into(),
        }
    }

    #[test]
    fn crc_is_iso_hdlc() {
        assert_eq!(crc32fast::hash(b"123456789"), 0xCBF4_3926);
        assert_eq!(&MAGIC.to_le_bytes(), b"ZTPBC1\0\0");
    }

    #[test]
    fn round_trip() {
        let p = sample();
        let bytes = p.encode().unwrap();
        assert_eq!(Payload::decode(&bytes).unwrap(), p);
        let t = trailer(1000, &bytes);
        let file_len = 1000 + bytes.len() as u64 + 32;
        let parsed = parse_trailer(&t, file_len).unwrap().unwrap();
        assert_eq!((parsed.offset, parsed.size), (1000, bytes.len() as u64));
        assert_eq!(open(&parsed, &bytes).unwrap(), p);
    }

    #[test]
    fn trailer_faults_are_refused() {
        let bytes = sample().encode().unwrap();
        let t = trailer(10, &bytes);
        let len = 10 + bytes.len() as u64 + 32;
        assert_eq!(parse_trailer(&[0; 32], len), Ok(None));
        assert!(
            parse_trailer(&t, len + 1)
                .unwrap_err()
                .contains("does not end")
        );
        let mut v = t;
        v[16] = 2;
        assert!(parse_trailer(&v, len).unwrap_err().contains("version 2"));
        let mut f = t;
        f[18] = 1;
        assert!(parse_trailer(&f, len).unwrap_err().contains("flags"));
        let mut huge = t;
        huge[8..16].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(parse_trailer(&huge, len).is_err());
        let parsed = parse_trailer(&t, len).unwrap().unwrap();
        let mut flipped = bytes.clone();
        flipped[5] ^= 0x40;
        assert!(open(&parsed, &flipped).unwrap_err().contains("CRC-32"));
    }

    #[test]
    fn section_faults_are_refused() {
        let good = sample().encode().unwrap();
        let mut extra = good.clone();
        extra.push(0);
        assert!(
            Payload::decode(&extra)
                .unwrap_err()
                .contains("after the last")
        );
        let mut unknown = good.clone();
        unknown[2] = 9;
        assert!(Payload::decode(&unknown).unwrap_err().contains("unknown"));
        let mut twice = good.clone();
        twice[2 + 5 + 10] = KIND_BUNDLE; // the contract section's kind
        assert!(Payload::decode(&twice).unwrap_err().contains("twice"));
        let mut missing = good.clone();
        missing[0] = 3;
        let cut = missing.len() - (5 + 5);
        missing.truncate(cut);
        assert!(
            Payload::decode(&missing)
                .unwrap_err()
                .contains("no attestation")
        );
        assert!(
            Payload::decode(&good[..good.len() - 1])
                .unwrap_err()
                .contains("ends inside")
        );
    }

    proptest! {
        #[test]
        fn decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
            let _ = Payload::decode(&bytes);
        }
    }
}
