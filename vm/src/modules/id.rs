//! `zigttp:id`: identifiers whose random bits come from the operating
//! system's CSPRNG (`getrandom`), never from `Math.random`.
//!
//! - `uuid()`: an RFC 4122 / RFC 9562 version 4 UUID, lowercase.
//! - `ulid()`: 26 Crockford base32 characters, a 48-bit millisecond
//!   timestamp from the host clock then 80 random bits.
//! - `nanoid(len = 21)`: `len` characters of the URL-safe alphabet
//!   `A-Za-z0-9_-` (64 symbols, so every byte maps without bias).

use super::ModFn;
use crate::interp::{Vm, to_number};
use crate::trap::{Trap, TrapKind};
use crate::value::Value;
use std::fmt::Write as _;

/// Longest nanoid produced.
const MAX_NANOID: usize = 1024;

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const URL_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn random_bytes(buf: &mut [u8]) -> Result<(), Trap> {
    getrandom::fill(buf).map_err(|e| {
        Trap::new(
            TrapKind::Internal,
            format!("the operating system's random number generator failed: {e}"),
        )
    })
}

/// Formats 16 bytes as a v4 UUID (version and variant bits set here).
pub(crate) fn format_uuid_v4(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut s = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        let _ = write!(s, "{byte:02x}");
    }
    s
}

/// A ULID from a millisecond timestamp (clamped to 48 bits) and 10 random bytes.
pub(crate) fn format_ulid(ms: f64, rand: [u8; 10]) -> String {
    let ms = if ms.is_finite() && ms > 0.0 {
        (ms as u64).min((1 << 48) - 1)
    } else {
        0
    };
    let mut value: u128 = u128::from(ms) << 80;
    for (i, b) in rand.iter().enumerate() {
        value |= u128::from(*b) << (8 * (9 - i));
    }
    // 26 characters of 5 bits: 130 bits, the top two always zero.
    (0..26)
        .map(|i| CROCKFORD[((value >> (5 * (25 - i))) & 31) as usize] as char)
        .collect()
}

pub fn call<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let s = match f {
        ModFn::Uuid => {
            let mut b = [0u8; 16];
            random_bytes(&mut b)?;
            format_uuid_v4(b)
        }
        ModFn::Ulid => {
            let mut r = [0u8; 10];
            random_bytes(&mut r)?;
            let now = vm.host.now_ms();
            format_ulid(now, r)
        }
        ModFn::Nanoid => {
            let len = match args.first().copied() {
                None | Some(Value::Undefined) => 21.0,
                Some(v) => to_number(vm, v)?,
            };
            if !(len.fract() == 0.0 && (1.0..=MAX_NANOID as f64).contains(&len)) {
                return Err(Trap::range_error(format!(
                    "nanoid: the length must be an integer from 1 to {MAX_NANOID}"
                )));
            }
            let mut b = vec![0u8; len as usize];
            random_bytes(&mut b)?;
            b.iter()
                .map(|x| URL_ALPHABET[(x & 63) as usize] as char)
                .collect()
        }
        _ => return Err(Trap::new(TrapKind::Internal, "id dispatch")),
    };
    Ok(Value::Str(vm.arena.alloc_str(&s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_sets_version_and_variant() {
        assert_eq!(
            format_uuid_v4([0xff; 16]),
            "ffffffff-ffff-4fff-bfff-ffffffffffff"
        );
        assert_eq!(
            format_uuid_v4([0; 16]),
            "00000000-0000-4000-8000-000000000000"
        );
    }

    #[test]
    fn ulid_encodes_time_then_randomness() {
        // The ULID spec's example timestamp 1469918176385 is "01ARYZ6S41".
        let u = format_ulid(1_469_918_176_385.0, [0; 10]);
        assert_eq!(u, "01ARYZ6S410000000000000000");
        assert_eq!(format_ulid(0.0, [0xff; 10]), "0000000000ZZZZZZZZZZZZZZZZ");
        assert_eq!(
            URL_ALPHABET
                .iter()
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            64
        );
    }
}
