//! `zigttp:crypto`: SHA-256 and HMAC-SHA256 as lowercase hex, base64 with
//! the standard alphabet and padding. Strings are hashed as UTF-8.

use super::{ModFn, str_arg};
use crate::interp::Vm;
use crate::trap::Trap;
use crate::value::Value;
use base64::Engine as _;
use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};

fn hex<'a>(vm: &Vm<'a, '_>, bytes: &[u8]) -> Value<'a> {
    let mut s = bumpalo::collections::String::with_capacity_in(bytes.len() * 2, vm.arena);
    for b in bytes {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 15) as usize] as char);
    }
    Value::Str(s.into_bump_str())
}

/// HMAC-SHA256 of `msg` under `key`.
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let mut mac = <hmac::Hmac<Sha256> as KeyInit>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(msg);
    mac.finalize().into_bytes().into()
}

pub fn call<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    Ok(match f {
        ModFn::Sha256 => {
            let s = str_arg(vm, args, 0)?;
            hex(vm, &Sha256::digest(s.as_bytes()))
        }
        ModFn::HmacSha256 => {
            let key = str_arg(vm, args, 0)?;
            let msg = str_arg(vm, args, 1)?;
            hex(vm, &hmac_sha256(key.as_bytes(), msg.as_bytes()))
        }
        ModFn::Base64Encode => {
            let s = str_arg(vm, args, 0)?;
            Value::Str(
                vm.arena
                    .alloc_str(&base64::engine::general_purpose::STANDARD.encode(s.as_bytes())),
            )
        }
        ModFn::Base64Decode => {
            let s = str_arg(vm, args, 0)?;
            match base64::engine::general_purpose::STANDARD.decode(s.trim()) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => Value::Str(vm.arena.alloc_str(&text)),
                    Err(_) => Value::Undefined,
                },
                // No exceptions in the language: invalid input gives undefined.
                Err(_) => Value::Undefined,
            }
        }
        _ => {
            return Err(Trap::new(
                crate::trap::TrapKind::Internal,
                "crypto dispatch",
            ));
        }
    })
}
