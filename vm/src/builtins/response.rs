//! `Response.*`, the request object, `Headers`, and turning a handler's
//! return value into status, headers and body.

use super::object::own_entries;
use crate::interp::{Vm, to_number, to_property_key};
use crate::trap::Trap;
use crate::value::{Class, Object, Value};
use bumpalo::collections::{String as BString, Vec as BVec};

pub const TEXT_PLAIN: &str = "text/plain; charset=utf-8";
pub const TEXT_HTML: &str = "text/html; charset=utf-8";
pub const APPLICATION_JSON: &str = "application/json";

/// Reason phrases for `statusText` (the server's status line has its own table).
fn status_text(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// `init.status`: a non-integer keeps `default`, an integer outside 100..=599 becomes 500.
fn status_from(v: Value<'_>, default: u16) -> u16 {
    let Value::Num(n) = v else { return default };
    if n.fract() != 0.0 || !n.is_finite() {
        return default;
    }
    if (100.0..=599.0).contains(&n) {
        n as u16
    } else {
        500
    }
}

fn new_headers_object<'a>(vm: &Vm<'a, '_>) -> &'a Object<'a> {
    Object::new_in(vm.arena, Class::Headers)
}

/// Sets header `name` (case-insensitive replace).
fn header_set<'a>(h: &'a Object<'a>, name: &'a str, value: Value<'a>) {
    let mut props = h.props.borrow_mut();
    if let Some(slot) = props.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case(name)) {
        *slot = (name, value);
    } else {
        props.push((name, value));
    }
}

fn header_get<'a>(vm: &Vm<'a, '_>, h: Value<'a>, name: &str) -> Value<'a> {
    own_entries(vm, h)
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map_or(Value::Undefined, |(_, v)| *v)
}

/// Builds a response object.
fn build<'a>(
    vm: &mut Vm<'a, '_>,
    body: &'a str,
    init: Value<'a>,
    content_type: &'a str,
    default_status: u16,
) -> Result<Value<'a>, Trap> {
    let mut status = default_status;
    let headers = new_headers_object(vm);
    headers.set("Content-Type", Value::Str(content_type));
    if !init.is_undefined() {
        let s = super::get_property(vm, init, "status")?;
        status = status_from(s, default_status);
        let h = super::get_property(vm, init, "headers")?;
        if !h.is_undefined() {
            for (k, v) in own_entries(vm, h) {
                let v = match v {
                    Value::Str(_) => v,
                    other => Value::Str(to_property_key(vm, other)?),
                };
                header_set(headers, k, v);
            }
        }
    }
    let r = Object::with_capacity_in(vm.arena, Class::Plain, 5);
    r.set("body", Value::Str(body));
    r.set("status", Value::Num(f64::from(status)));
    r.set("statusText", Value::Str(status_text(status)));
    r.set("ok", Value::Bool((200..=299).contains(&status)));
    r.set("headers", Value::Object(headers));
    Ok(Value::Object(r))
}

/// `Response.json(data, init)`; with no arguments the body is `{}`.
pub fn json<'a>(
    vm: &mut Vm<'a, '_>,
    data: Value<'a>,
    init: Value<'a>,
    no_args: bool,
) -> Result<Value<'a>, Trap> {
    let body = if no_args {
        "{}"
    } else {
        let mut out = BString::new_in(vm.arena);
        if data.is_undefined() {
            out.push_str("null");
        } else {
            super::json::write(vm, &mut out, data)?;
        }
        out.into_bump_str()
    };
    build(vm, body, init, APPLICATION_JSON, 200)
}

/// `Response.text/html/rawJson(body, init)` and the `Response(body, init)` factory.
pub fn text<'a>(
    vm: &mut Vm<'a, '_>,
    body: Value<'a>,
    init: Value<'a>,
    content_type: &'a str,
) -> Result<Value<'a>, Trap> {
    let body = match body {
        Value::Undefined => "",
        b => to_property_key(vm, b)?,
    };
    build(vm, body, init, content_type, 200)
}

/// `Response.redirect(url, status = 302)`.
pub fn redirect<'a>(
    vm: &mut Vm<'a, '_>,
    url: Value<'a>,
    status: Value<'a>,
) -> Result<Value<'a>, Trap> {
    let url = to_property_key(vm, url)?;
    let status = match status {
        Value::Undefined => 302,
        s => {
            let n = to_number(vm, s)?;
            if matches!(n as u16, 301 | 302 | 303 | 307 | 308) && n.fract() == 0.0 {
                n as u16
            } else {
                return Err(Trap::range_error(format!("invalid redirect status {n}")));
            }
        }
    };
    let headers = new_headers_object(vm);
    headers.set("Location", Value::Str(url));
    let r = Object::with_capacity_in(vm.arena, Class::Plain, 5);
    r.set("body", Value::Str(""));
    r.set("status", Value::Num(f64::from(status)));
    r.set("statusText", Value::Str(status_text(status)));
    r.set("ok", Value::Bool(false));
    r.set("headers", Value::Object(headers));
    Ok(Value::Object(r))
}

/// `Headers(init?)`.
pub fn new_headers<'a>(vm: &mut Vm<'a, '_>, init: Value<'a>) -> Result<Value<'a>, Trap> {
    let h = new_headers_object(vm);
    for (k, v) in own_entries(vm, init) {
        let v = to_property_key(vm, v)?;
        header_set(h, k, Value::Str(v));
    }
    Ok(Value::Object(h))
}

/// Methods of a headers object.
pub fn headers_method<'a>(
    vm: &mut Vm<'a, '_>,
    h: &'a Object<'a>,
    key: &str,
    args: &[Value<'a>],
) -> Result<Value<'a>, Trap> {
    let a0 = args.first().copied().unwrap_or(Value::Undefined);
    let a1 = args.get(1).copied().unwrap_or(Value::Undefined);
    let name = to_property_key(vm, a0)?;
    Ok(match key {
        "get" => header_get(vm, Value::Object(h), name),
        "has" => Value::Bool(!header_get(vm, Value::Object(h), name).is_undefined()),
        "set" => {
            let v = to_property_key(vm, a1)?;
            header_set(h, name, Value::Str(v));
            Value::Undefined
        }
        "append" => {
            let v = to_property_key(vm, a1)?;
            let joined = match header_get(vm, Value::Object(h), name) {
                Value::Str(old) => {
                    let mut s = BString::from_str_in(old, vm.arena);
                    s.push_str(", ");
                    s.push_str(v);
                    s.into_bump_str()
                }
                _ => v,
            };
            header_set(h, name, Value::Str(joined));
            Value::Undefined
        }
        "delete" => {
            let mut props = h.props.borrow_mut();
            props.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
            Value::Undefined
        }
        _ => {
            return Err(Trap::type_error(format!(
                "'{key}' is not a function on Headers"
            )));
        }
    })
}

/// Methods of the request object: `text()` and `json()`.
pub fn request_method<'a>(
    vm: &mut Vm<'a, '_>,
    req: &'a Object<'a>,
    key: &str,
    _args: &[Value<'a>],
) -> Result<Value<'a>, Trap> {
    let body = req.get("body").unwrap_or(Value::Undefined);
    match key {
        "text" => Ok(match body {
            Value::Str(_) => body,
            _ => Value::Str(""),
        }),
        "json" => match body {
            Value::Str(s) => Ok(super::json::parse_str(vm, s)?.unwrap_or(Value::Undefined)),
            _ => Ok(Value::Undefined),
        },
        _ => Err(Trap::type_error(format!(
            "'{key}' is not a function on a Request"
        ))),
    }
}

/// The parts of an incoming request the VM needs.
#[derive(Clone, Copy, Debug)]
pub struct RequestParts<'r> {
    pub method: &'r str,
    /// Raw request target, query included.
    pub target: &'r str,
    pub headers: &'r [(&'r str, &'r [u8])],
    /// `None` when the request has no body.
    pub body: Option<&'r [u8]>,
}

/// `application/x-www-form-urlencoded` decoding of a query component into
/// the arena: `+` is a space, `%XX` a byte; invalid escapes stay literal and
/// invalid UTF-8 becomes U+FFFD. Borrows when there is nothing to decode.
pub(crate) fn percent_decode<'a>(arena: &'a bumpalo::Bump, s: &'a str) -> &'a str {
    if !s.bytes().any(|b| b == b'%' || b == b'+') {
        return s;
    }
    let bytes = s.as_bytes();
    let mut out = BVec::with_capacity_in(bytes.len(), arena);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(h), Some(l)) => {
                        out.push((h * 16 + l) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    let out = out.into_bump_slice();
    match std::str::from_utf8(out) {
        Ok(text) => text,
        Err(_) => arena.alloc_str(&String::from_utf8_lossy(out)),
    }
}

/// `bytes` as arena text (invalid UTF-8 becomes U+FFFD).
fn arena_text<'a>(arena: &'a bumpalo::Bump, bytes: &[u8]) -> &'a str {
    match std::str::from_utf8(bytes) {
        Ok(text) => arena.alloc_str(text),
        Err(_) => arena.alloc_str(&String::from_utf8_lossy(bytes)),
    }
}

/// Builds the request object in the arena.
pub fn build_request<'a>(vm: &mut Vm<'a, '_>, parts: &RequestParts<'_>) -> Value<'a> {
    let arena = vm.arena;
    let url: &'a str = arena.alloc_str(parts.target);
    let (path, query_str) = match url.find('?') {
        Some(i) => (&url[..i], Some(&url[i + 1..])),
        None => (url, None),
    };
    let query = Object::new_in(arena, Class::Plain);
    if let Some(q) = query_str {
        for pair in q.split('&') {
            let Some((k, v)) = pair.split_once('=') else {
                continue;
            };
            let k = percent_decode(arena, k);
            let v = percent_decode(arena, v);
            let value = match crate::js::number::canonical_i32(v) {
                Some(n) => Value::Num(f64::from(n)),
                None => Value::Str(v),
            };
            query.set(k, value);
        }
    }
    let headers = Object::with_capacity_in(arena, Class::Headers, parts.headers.len());
    for (name, value) in parts.headers {
        let lower: &'a str = {
            let mut s = BString::with_capacity_in(name.len(), arena);
            s.extend(name.chars().map(|c| c.to_ascii_lowercase()));
            s.into_bump_str()
        };
        let value = arena_text(arena, value);
        match headers.get(lower) {
            // Repeated request headers are comma-joined, as fetch's Headers does.
            Some(Value::Str(old)) => {
                let mut s = BString::from_str_in(old, arena);
                s.push_str(", ");
                s.push_str(value);
                headers.set(lower, Value::Str(s.into_bump_str()));
            }
            _ => headers.set(lower, Value::Str(value)),
        }
    }
    let req = Object::with_capacity_in(arena, Class::Request, 6);
    let method: &'a str = arena.alloc_str(parts.method);
    req.set("method", Value::Str(method));
    req.set("url", Value::Str(url));
    req.set("path", Value::Str(path));
    req.set("query", Value::Object(query));
    req.set("headers", Value::Object(headers));
    req.set(
        "body",
        match parts.body {
            Some(b) => Value::Str(arena_text(arena, b)),
            None => Value::Undefined,
        },
    );
    Value::Object(req)
}

/// What a handler answered, ready for the wire.
#[derive(Debug)]
pub struct HandlerResponse<'a> {
    pub status: u16,
    pub headers: BVec<'a, (&'a str, &'a str)>,
    pub body: &'a str,
}

/// Interprets a handler's return value: a response object, a string (the
/// body, as text/plain), or anything else (an empty 200).
pub fn response_of<'a>(vm: &mut Vm<'a, '_>, v: Value<'a>) -> Result<HandlerResponse<'a>, Trap> {
    let mut out = HandlerResponse {
        status: 200,
        headers: BVec::new_in(vm.arena),
        body: "",
    };
    match v {
        Value::Str(s) => {
            out.headers.push(("Content-Type", TEXT_PLAIN));
            out.body = s;
        }
        Value::Object(_) | Value::FrozenObject(_) => {
            let status = super::get_property(vm, v, "status")?;
            out.status = status_from(status, 200);
            let headers = super::get_property(vm, v, "headers")?;
            for (k, hv) in own_entries(vm, headers) {
                if let Value::Str(s) = hv {
                    out.headers.push((k, s));
                }
            }
            out.body = match super::get_property(vm, v, "body")? {
                Value::Undefined => "",
                b => to_property_key(vm, b)?,
            };
        }
        _ => {}
    }
    Ok(out)
}
