//! String properties and methods with UTF-16 index semantics (`js::string`).

use crate::interp::{Vm, to_number, to_property_key};
use crate::js::string as u16s;
use crate::trap::Trap;
use crate::value::{Array, Value};
use bumpalo::collections::{String as BString, Vec as BVec};
use std::borrow::Cow;

/// Longest string `repeat`/`padStart` may build (64 MiB; the arena cap stops it earlier too).
const MAX_STRING: usize = 64 << 20;

fn arg<'a>(args: &[Value<'a>], i: usize) -> Value<'a> {
    args.get(i).copied().unwrap_or(Value::Undefined)
}

fn keep<'a>(vm: &Vm<'a, '_>, s: Cow<'a, str>) -> Value<'a> {
    match s {
        Cow::Borrowed(b) => Value::Str(b),
        Cow::Owned(o) => Value::Str(vm.arena.alloc_str(&o)),
    }
}

/// `s.length` and `s[i]` as properties.
pub fn property<'a>(vm: &Vm<'a, '_>, s: &'a str, key: &str) -> Value<'a> {
    if key == "length" {
        return Value::Num(u16s::utf16_len(s) as f64);
    }
    match crate::js::number::is_array_index(key) {
        Some(i) => char_at_index(vm, s, i as usize),
        None => Value::Undefined,
    }
}

/// `s[i]`: the code unit at UTF-16 index `i` as a one-unit string.
pub fn char_at_index<'a>(vm: &Vm<'a, '_>, s: &'a str, i: usize) -> Value<'a> {
    if i >= u16s::utf16_len(s) {
        return Value::Undefined;
    }
    keep(vm, u16s::slice_utf16(s, i, i + 1))
}

fn int_arg<'a>(vm: &mut Vm<'a, '_>, v: Value<'a>, default: f64) -> Result<f64, Trap> {
    match v {
        Value::Undefined => Ok(default),
        v => {
            let n = to_number(vm, v)?;
            Ok(if n.is_nan() { 0.0 } else { n.trunc() })
        }
    }
}

fn str_arg<'a>(vm: &mut Vm<'a, '_>, v: Value<'a>) -> Result<&'a str, Trap> {
    to_property_key(vm, v)
}

/// String method dispatch.
pub fn call_method<'a>(
    vm: &mut Vm<'a, '_>,
    s: &'a str,
    key: &str,
    args: &[Value<'a>],
) -> Result<Value<'a>, Trap> {
    let len = u16s::utf16_len(s);
    let a0 = arg(args, 0);
    Ok(match key {
        "charAt" => {
            let i = int_arg(vm, a0, 0.0)?;
            if i < 0.0 || i >= len as f64 {
                Value::Str("")
            } else {
                char_at_index(vm, s, i as usize)
            }
        }
        "charCodeAt" => {
            let i = int_arg(vm, a0, 0.0)?;
            if i < 0.0 || i >= len as f64 {
                Value::Num(f64::NAN)
            } else {
                Value::Num(u16s::code_unit_at(s, i as usize).map_or(f64::NAN, f64::from))
            }
        }
        "codePointAt" => {
            let i = int_arg(vm, a0, 0.0)?;
            if i < 0.0 || i >= len as f64 {
                Value::Undefined
            } else {
                match u16s::utf16_offset_to_byte(s, i as usize) {
                    Ok(b) => Value::Num(
                        s[b..]
                            .chars()
                            .next()
                            .map_or(f64::NAN, |c| f64::from(c as u32)),
                    ),
                    Err(_) => Value::Num(f64::from(u16s::code_unit_at(s, i as usize).unwrap_or(0))),
                }
            }
        }
        "at" => {
            let i = int_arg(vm, a0, 0.0)?;
            let idx = if i < 0.0 { len as f64 + i } else { i };
            if idx < 0.0 || idx >= len as f64 {
                Value::Undefined
            } else {
                char_at_index(vm, s, idx as usize)
            }
        }
        "indexOf" => {
            let needle = str_arg(vm, a0)?;
            let from = int_arg(vm, arg(args, 1), 0.0)?.clamp(0.0, len as f64) as usize;
            Value::Num(u16s::index_of_utf16(s, needle, from).map_or(-1.0, |i| i as f64))
        }
        "lastIndexOf" => {
            let needle = str_arg(vm, a0)?;
            let from = match arg(args, 1) {
                Value::Undefined => len,
                v => {
                    let n = to_number(vm, v)?;
                    if n.is_nan() {
                        len
                    } else {
                        n.trunc().clamp(0.0, len as f64) as usize
                    }
                }
            };
            Value::Num(u16s::last_index_of_utf16(s, needle, from).map_or(-1.0, |i| i as f64))
        }
        "includes" => {
            let needle = str_arg(vm, a0)?;
            let from = int_arg(vm, arg(args, 1), 0.0)?.clamp(0.0, len as f64) as usize;
            Value::Bool(u16s::index_of_utf16(s, needle, from).is_some())
        }
        "startsWith" => {
            let needle = str_arg(vm, a0)?;
            let pos = int_arg(vm, arg(args, 1), 0.0)?.clamp(0.0, len as f64) as usize;
            let rest = u16s::slice_utf16(s, pos, len);
            Value::Bool(rest.starts_with(needle))
        }
        "endsWith" => {
            let needle = str_arg(vm, a0)?;
            let end = int_arg(vm, arg(args, 1), len as f64)?.clamp(0.0, len as f64) as usize;
            let head = u16s::slice_utf16(s, 0, end);
            Value::Bool(head.ends_with(needle))
        }
        "slice" => {
            let start = u16s::relative_index(int_arg(vm, a0, 0.0)?, len);
            let end = u16s::relative_index(int_arg(vm, arg(args, 1), len as f64)?, len);
            if start >= end {
                Value::Str("")
            } else {
                keep(vm, u16s::slice_utf16(s, start, end))
            }
        }
        "substring" => {
            let a = u16s::clamp_index(int_arg(vm, a0, 0.0)?, len);
            let b = u16s::clamp_index(int_arg(vm, arg(args, 1), len as f64)?, len);
            keep(vm, u16s::slice_utf16(s, a.min(b), a.max(b)))
        }
        "toLowerCase" | "toLocaleLowerCase" => {
            if s.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
                Value::Str(s)
            } else {
                Value::Str(vm.arena.alloc_str(&s.to_lowercase()))
            }
        }
        "toUpperCase" | "toLocaleUpperCase" => {
            if s.bytes().all(|b| !b.is_ascii_lowercase() && b.is_ascii()) {
                Value::Str(s)
            } else {
                Value::Str(vm.arena.alloc_str(&s.to_uppercase()))
            }
        }
        "trim" => Value::Str(u16s::trim_js(s)),
        "trimStart" => Value::Str(u16s::trim_start_js(s)),
        "trimEnd" => Value::Str(u16s::trim_end_js(s)),
        "split" => split(vm, s, a0, arg(args, 1))?,
        "repeat" => {
            let n = int_arg(vm, a0, 0.0)?;
            if n < 0.0 || n.is_infinite() {
                return Err(Trap::range_error("invalid count value"));
            }
            if s.len().saturating_mul(n as usize) > MAX_STRING {
                return Err(Trap::range_error("invalid string length"));
            }
            Value::Str(vm.arena.alloc_str(&s.repeat(n as usize)))
        }
        "padStart" | "padEnd" => {
            let max = int_arg(vm, a0, 0.0)?;
            if max > MAX_STRING as f64 {
                return Err(Trap::range_error("invalid string length"));
            }
            let filler = match arg(args, 1) {
                Value::Undefined => " ",
                f => str_arg(vm, f)?,
            };
            match u16s::pad_utf16(s, max.max(0.0) as usize, filler, key == "padStart") {
                Some(p) => keep(vm, p),
                None => Value::Str(s),
            }
        }
        "concat" => {
            let mut out = BString::from_str_in(s, vm.arena);
            for a in args {
                crate::interp::append_value(vm, &mut out, *a)?;
            }
            Value::Str(out.into_bump_str())
        }
        "replace" | "replaceAll" => {
            let pat = str_arg(vm, a0)?;
            let rep = arg(args, 1);
            replace(vm, s, pat, rep, key == "replaceAll")?
        }
        "toString" | "valueOf" => Value::Str(s),
        "localeCompare" => {
            let other = str_arg(vm, a0)?;
            Value::Num(match u16s::compare_utf16(s, other) {
                std::cmp::Ordering::Less => -1.0,
                std::cmp::Ordering::Equal => 0.0,
                std::cmp::Ordering::Greater => 1.0,
            })
        }
        _ => {
            return Err(Trap::type_error(format!(
                "'{key}' is not a function on a string"
            )));
        }
    })
}

fn split<'a>(
    vm: &mut Vm<'a, '_>,
    s: &'a str,
    sep: Value<'a>,
    limit: Value<'a>,
) -> Result<Value<'a>, Trap> {
    let limit = match limit {
        Value::Undefined => usize::MAX,
        l => crate::js::number::to_uint32(to_number(vm, l)?) as usize,
    };
    let mut out: BVec<'a, Value<'a>> = BVec::new_in(vm.arena);
    if limit == 0 {
        return Ok(Value::Array(vm.arena.alloc(Array {
            items: std::cell::RefCell::new(out),
        })));
    }
    match sep {
        Value::Undefined => out.push(Value::Str(s)),
        sep => {
            let sep = str_arg(vm, sep)?;
            if sep.is_empty() {
                // Split into UTF-16 code units; each half of a surrogate pair cannot be
                // stored alone and becomes U+FFFD (see js::string).
                let n = u16s::utf16_len(s);
                for i in 0..n.min(limit) {
                    out.push(char_at_index(vm, s, i));
                }
            } else {
                for piece in s.split(sep) {
                    if out.len() >= limit {
                        break;
                    }
                    out.push(Value::Str(piece));
                }
            }
        }
    }
    Ok(Value::Array(vm.arena.alloc(Array {
        items: std::cell::RefCell::new(out),
    })))
}

fn replace<'a>(
    vm: &mut Vm<'a, '_>,
    s: &'a str,
    pat: &str,
    rep: Value<'a>,
    all: bool,
) -> Result<Value<'a>, Trap> {
    let callback = rep.is_callable();
    let rep_str = if callback { "" } else { str_arg(vm, rep)? };
    let mut out = BString::new_in(vm.arena);
    let mut last = 0;
    let mut search_from = 0;
    let mut replaced = false;
    while search_from <= s.len() {
        let found = if pat.is_empty() {
            Some(search_from)
        } else {
            s[search_from..].find(pat).map(|i| i + search_from)
        };
        let Some(at) = found else { break };
        out.push_str(&s[last..at]);
        if callback {
            let pos = u16s::byte_to_utf16_offset(s, at) as f64;
            let r = super::call_value(
                vm,
                rep,
                &[
                    Value::Str(&s[at..at + pat.len()]),
                    Value::Num(pos),
                    Value::Str(s),
                ],
            )?;
            crate::interp::append_value(vm, &mut out, r)?;
        } else {
            expand_replacement(&mut out, rep_str, pat, s, at);
        }
        last = at + pat.len();
        replaced = true;
        if !all {
            break;
        }
        search_from = if pat.is_empty() {
            // Advance one character past an empty match.
            match s[at..].chars().next() {
                Some(c) => {
                    out.push(c);
                    last = at + c.len_utf8();
                    at + c.len_utf8()
                }
                None => s.len() + 1,
            }
        } else {
            last
        };
    }
    if !replaced {
        return Ok(Value::Str(s));
    }
    if last <= s.len() {
        out.push_str(&s[last..]);
    }
    vm.check_arena()?;
    Ok(Value::Str(out.into_bump_str()))
}

/// GetSubstitution for string patterns: `$$`, `$&`, `` $` ``, `$'`.
fn expand_replacement(out: &mut BString<'_>, rep: &str, matched: &str, s: &str, at: usize) {
    let mut chars = rep.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c == '$' {
            match chars.peek().map(|(_, c)| *c) {
                Some('$') => {
                    out.push('$');
                    chars.next();
                }
                Some('&') => {
                    out.push_str(matched);
                    chars.next();
                }
                Some('`') => {
                    out.push_str(&s[..at]);
                    chars.next();
                }
                Some('\'') => {
                    out.push_str(&s[at + matched.len()..]);
                    chars.next();
                }
                _ => out.push('$'),
            }
        } else {
            out.push(c);
        }
    }
}
