//! `zigttp:url`: parse URLs, encode and decode components.

use super::{ModFn, str_arg};
use crate::interp::Vm;
use crate::trap::Trap;
use crate::value::{Class, Object, Value};
use bumpalo::collections::String as BString;

/// Percent-encodes everything but `A-Z a-z 0-9 - . _ ~` (UTF-8 bytes, uppercase hex).
fn encode<'a>(vm: &Vm<'a, '_>, s: &str) -> &'a str {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = BString::with_capacity_in(s.len(), vm.arena);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
    out.into_bump_str()
}

/// Decodes `%XX` escapes and `+` (as a space), as for query strings.
fn decode<'a>(vm: &Vm<'a, '_>, s: &'a str) -> &'a str {
    crate::builtins::response::percent_decode(vm.arena, s)
}

fn search_params<'a>(vm: &Vm<'a, '_>, qs: &'a str) -> &'a Object<'a> {
    let o = Object::new_in(vm.arena, Class::Plain);
    for pair in qs.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        o.set(decode(vm, k), Value::Str(decode(vm, v)));
    }
    o
}

fn opt(s: Option<&str>) -> Value<'_> {
    s.map_or(Value::Undefined, Value::Str)
}

pub fn call<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let s = str_arg(vm, args, 0)?;
    Ok(match f {
        ModFn::UrlEncode => Value::Str(encode(vm, s)),
        ModFn::UrlDecode => Value::Str(decode(vm, s)),
        ModFn::UrlSearchParams => {
            Value::Object(search_params(vm, s.strip_prefix('?').unwrap_or(s)))
        }
        ModFn::UrlParse => {
            let (rest, hash) = match s.split_once('#') {
                Some((r, h)) => (r, Some(h)),
                None => (s, None),
            };
            let (rest, query) = match rest.split_once('?') {
                Some((r, q)) => (r, Some(q)),
                None => (rest, None),
            };
            let (protocol, host, port, path) = match rest.split_once("://") {
                Some((proto, after)) => {
                    let (authority, path) = match after.find('/') {
                        Some(i) => (&after[..i], &after[i..]),
                        None => (after, "/"),
                    };
                    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
                    let (host, port) = match authority.rsplit_once(':') {
                        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                            (h, Some(p))
                        }
                        _ => (authority, None),
                    };
                    (Some(proto), Some(host), port, path)
                }
                None => (None, None, None, rest),
            };
            let o = Object::with_capacity_in(vm.arena, Class::Plain, 7);
            o.set("protocol", opt(protocol));
            o.set("host", opt(host));
            o.set("port", opt(port));
            o.set("path", Value::Str(path));
            o.set("query", opt(query));
            o.set("hash", opt(hash));
            o.set(
                "searchParams",
                Value::Object(search_params(vm, query.unwrap_or(""))),
            );
            Value::Object(o)
        }
        _ => return Err(Trap::new(crate::trap::TrapKind::Internal, "url dispatch")),
    })
}
