//! `zigttp:http`: cookies, content negotiation, content types and CORS
//! headers. Pure string work.
//!
//! - `parseCookies(header)`: `{name: value}`; the first of repeated names
//!   wins (browsers send the most specific cookie first), surrounding
//!   double quotes are removed, values are not percent-decoded.
//! - `setCookie(name, value, {path, domain, httpOnly, secure, sameSite,
//!   maxAge, expires})`: a `Set-Cookie` value, or undefined when the name is
//!   not an RFC 9110 token or any part holds a control character (CR, LF,
//!   ...) or `;`, which would let data inject attributes or headers.
//!   `expires` is a preformatted date string or epoch milliseconds;
//!   `sameSite` is Strict, Lax or None (any case).
//! - `negotiate(accept, offeredCsv)`: the offered type the client prefers
//!   (q-values, `type/*`, `*/*`; `q=0` refuses), or undefined.
//! - `parseContentType(h)`: `{type, subtype, charset?}`, lowercased type and
//!   subtype.
//! - `cors(origin, {methods, headers, maxAge, credentials})`: response
//!   headers; `methods`/`headers` are strings or arrays of strings. A
//!   specific origin also gets `Vary: Origin`.

use super::{ModFn, str_arg};
use crate::builtins::get_property;
use crate::interp::{Vm, to_number, to_property_key};
use crate::trap::{Trap, TrapKind};
use crate::value::{Class, Object, Value};
use std::fmt::Write as _;

/// An RFC 9110 token (cookie names, methods, header names).
pub(crate) fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Safe inside a `Set-Cookie` value: no control characters and no `;`.
fn cookie_safe(s: &str) -> bool {
    !s.chars().any(|c| c.is_control() || c == ';')
}

fn parse_cookies<'a>(vm: &Vm<'a, '_>, header: &'a str) -> &'a Object<'a> {
    let o = Object::new_in(vm.arena, Class::Plain);
    for pair in header.split(';') {
        let Some((name, value)) = pair.split_once('=') else {
            continue;
        };
        let name = name.trim();
        if name.is_empty() || o.get(name).is_some() {
            continue;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        o.set(name, Value::Str(value));
    }
    o
}

/// An optional string option; `Err(())` when it is present but unsafe.
fn opt_str<'a>(
    vm: &mut Vm<'a, '_>,
    opts: Value<'a>,
    key: &'a str,
) -> Result<Result<Option<&'a str>, ()>, Trap> {
    Ok(match get_property(vm, opts, key)? {
        Value::Undefined => Ok(None),
        v => {
            let s = to_property_key(vm, v)?;
            if cookie_safe(s) { Ok(Some(s)) } else { Err(()) }
        }
    })
}

fn set_cookie<'a>(vm: &mut Vm<'a, '_>, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let name = str_arg(vm, args, 0)?;
    let value = match args.get(1).copied() {
        None | Some(Value::Undefined) => "",
        Some(_) => str_arg(vm, args, 1)?,
    };
    if !is_token(name) || !cookie_safe(value) {
        return Ok(Value::Undefined);
    }
    let mut out = format!("{name}={value}");
    let opts = args.get(2).copied().unwrap_or(Value::Undefined);
    if matches!(opts, Value::Object(_) | Value::FrozenObject(_)) {
        for (key, attr) in [("path", "Path"), ("domain", "Domain")] {
            match opt_str(vm, opts, key)? {
                Ok(Some(v)) => {
                    let _ = write!(out, "; {attr}={v}");
                }
                Ok(None) => {}
                Err(()) => return Ok(Value::Undefined),
            }
        }
        match get_property(vm, opts, "maxAge")? {
            Value::Undefined => {}
            v => {
                let n = to_number(vm, v)?;
                if n.is_finite() {
                    let _ = write!(out, "; Max-Age={}", n.trunc() as i64);
                }
            }
        }
        match get_property(vm, opts, "expires")? {
            Value::Undefined => {}
            Value::Num(ms) => match super::time::format_http(ms) {
                Some(d) => {
                    let _ = write!(out, "; Expires={d}");
                }
                None => return Ok(Value::Undefined),
            },
            _ => match opt_str(vm, opts, "expires")? {
                Ok(Some(v)) => {
                    let _ = write!(out, "; Expires={v}");
                }
                Ok(None) => {}
                Err(()) => return Ok(Value::Undefined),
            },
        }
        if get_property(vm, opts, "httpOnly")?.truthy() {
            out.push_str("; HttpOnly");
        }
        if get_property(vm, opts, "secure")?.truthy() {
            out.push_str("; Secure");
        }
        match get_property(vm, opts, "sameSite")? {
            Value::Undefined => {}
            v => {
                let s = to_property_key(vm, v)?;
                let canonical = ["Strict", "Lax", "None"]
                    .into_iter()
                    .find(|c| c.eq_ignore_ascii_case(s));
                match canonical {
                    Some(c) => {
                        let _ = write!(out, "; SameSite={c}");
                    }
                    None => return Ok(Value::Undefined),
                }
            }
        }
    }
    Ok(Value::Str(vm.arena.alloc_str(&out)))
}

/// `(media range, q)` of each Accept entry, in header order.
fn accept_entries(accept: &str) -> Vec<(&str, f64)> {
    accept
        .split(',')
        .filter_map(|entry| {
            let mut parts = entry.split(';');
            let range = parts.next()?.trim();
            if range.is_empty() {
                return None;
            }
            let mut q = 1.0;
            for p in parts {
                if let Some((k, v)) = p.split_once('=')
                    && k.trim().eq_ignore_ascii_case("q")
                {
                    q = v.trim().parse::<f64>().ok().filter(|q| q.is_finite())?;
                    q = q.clamp(0.0, 1.0);
                }
            }
            Some((range, q))
        })
        .collect()
}

fn media_matches(range: &str, offered: &str) -> bool {
    if range == "*/*" || range.eq_ignore_ascii_case(offered) {
        return true;
    }
    match (range.strip_suffix("/*"), offered.split_once('/')) {
        (Some(t), Some((ot, _))) => t.eq_ignore_ascii_case(ot),
        _ => false,
    }
}

fn specificity(range: &str) -> u8 {
    if range == "*/*" {
        0
    } else if range.ends_with("/*") {
        1
    } else {
        2
    }
}

/// The offered type with the highest q (ties: the client's order, then the
/// server's). An offer's q comes from the most specific range matching it.
pub(crate) fn negotiate<'s>(accept: &str, offered: &'s str) -> Option<&'s str> {
    let entries = accept_entries(accept);
    let mut best: Option<(&'s str, f64, usize)> = None;
    for o in offered.split(',').map(str::trim).filter(|o| !o.is_empty()) {
        let o_type = o.split(';').next().unwrap_or(o).trim();
        let found = entries
            .iter()
            .enumerate()
            .filter(|(_, (r, _))| media_matches(r, o_type))
            .max_by_key(|(i, (r, _))| (specificity(r), std::cmp::Reverse(*i)));
        let Some((pos, &(_, q))) = found else {
            continue;
        };
        if q <= 0.0 {
            continue;
        }
        if best.is_none_or(|(_, bq, bpos)| q > bq || (q == bq && pos < bpos)) {
            best = Some((o, q, pos));
        }
    }
    best.map(|(o, _, _)| o)
}

fn parse_content_type<'a>(vm: &Vm<'a, '_>, header: &'a str) -> &'a Object<'a> {
    let o = Object::new_in(vm.arena, Class::Plain);
    let mut parts = header.split(';');
    let media = parts.next().unwrap_or("").trim();
    let lower = |s: &str| -> &'a str { vm.arena.alloc_str(&s.to_ascii_lowercase()) };
    match media.split_once('/') {
        Some((t, st)) => {
            o.set("type", Value::Str(lower(t.trim())));
            o.set("subtype", Value::Str(lower(st.trim())));
        }
        None => o.set("type", Value::Str(lower(media))),
    }
    for p in parts {
        if let Some((k, v)) = p.split_once('=')
            && k.trim().eq_ignore_ascii_case("charset")
        {
            let v = v.trim();
            let v = v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .unwrap_or(v);
            o.set("charset", Value::Str(v));
            break;
        }
    }
    o
}

/// A string or an array of strings joined with ", ".
fn list<'a>(vm: &mut Vm<'a, '_>, v: Value<'a>) -> Result<&'a str, Trap> {
    if v.is_array() {
        let mut out = String::new();
        for (i, item) in crate::builtins::iterate(vm, v)?.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(to_property_key(vm, *item)?);
        }
        return Ok(vm.arena.alloc_str(&out));
    }
    to_property_key(vm, v)
}

fn header_safe(s: &str) -> bool {
    !s.contains(['\r', '\n', '\0'])
}

fn cors<'a>(vm: &mut Vm<'a, '_>, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let origin = str_arg(vm, args, 0)?;
    if !header_safe(origin) {
        return Ok(Value::Undefined);
    }
    let h = Object::new_in(vm.arena, Class::Plain);
    h.set("Access-Control-Allow-Origin", Value::Str(origin));
    if origin != "*" {
        h.set("Vary", Value::Str("Origin"));
    }
    let opts = args.get(1).copied().unwrap_or(Value::Undefined);
    if matches!(opts, Value::Object(_) | Value::FrozenObject(_)) {
        for (key, header) in [
            ("methods", "Access-Control-Allow-Methods"),
            ("headers", "Access-Control-Allow-Headers"),
        ] {
            let v = get_property(vm, opts, key)?;
            if !v.is_undefined() {
                let s = list(vm, v)?;
                if !header_safe(s) {
                    return Ok(Value::Undefined);
                }
                h.set(header, Value::Str(s));
            }
        }
        let max_age = get_property(vm, opts, "maxAge")?;
        if !max_age.is_undefined() {
            let n = to_number(vm, max_age)?;
            if n.is_finite() {
                let s = (n.trunc() as i64).to_string();
                h.set("Access-Control-Max-Age", Value::Str(vm.arena.alloc_str(&s)));
            }
        }
        if get_property(vm, opts, "credentials")?.truthy() {
            h.set("Access-Control-Allow-Credentials", Value::Str("true"));
        }
    }
    Ok(Value::Object(h))
}

pub fn call<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let text = |vm: &mut Vm<'a, '_>, i: usize| -> Result<&'a str, Trap> {
        match args.get(i).copied() {
            None | Some(Value::Undefined) => Ok(""),
            Some(_) => str_arg(vm, args, i),
        }
    };
    Ok(match f {
        ModFn::ParseCookies => {
            let h = text(vm, 0)?;
            Value::Object(parse_cookies(vm, h))
        }
        ModFn::SetCookie => set_cookie(vm, args)?,
        ModFn::Negotiate => {
            let accept = match args.first().copied() {
                // No Accept header means the client takes anything.
                None | Some(Value::Undefined) => "*/*",
                Some(_) => str_arg(vm, args, 0)?,
            };
            let offered = text(vm, 1)?;
            negotiate(accept, offered).map_or(Value::Undefined, Value::Str)
        }
        ModFn::ParseContentType => {
            let h = text(vm, 0)?;
            Value::Object(parse_content_type(vm, h))
        }
        ModFn::Cors => cors(vm, args)?,
        _ => return Err(Trap::new(TrapKind::Internal, "http dispatch")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_follows_q_values() {
        let accept = "text/html;q=0.5, application/json, */*;q=0.1";
        assert_eq!(
            negotiate(accept, "text/html, application/json"),
            Some("application/json")
        );
        assert_eq!(
            negotiate(accept, "text/html, text/plain"),
            Some("text/html")
        );
        assert_eq!(negotiate(accept, "image/png"), Some("image/png"));
        assert_eq!(
            negotiate("text/*;q=0.8, text/plain;q=0", "text/plain, text/csv"),
            Some("text/csv")
        );
        assert_eq!(negotiate("application/json", "text/html"), None);
        assert_eq!(negotiate("text/html", ""), None);
        assert_eq!(negotiate("Text/HTML", "text/html"), Some("text/html"));
    }
}
