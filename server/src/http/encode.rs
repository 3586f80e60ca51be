//! Response encoding: status line, headers, framing headers owned by the
//! server, the cached `Date`, and the fixed error responses. Everything is
//! appended to a reused buffer; nothing here allocates once the buffer has
//! grown to its working size.

use std::io::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use super::Response;

/// The interim response sent before reading the body of an
/// `Expect: 100-continue` request.
pub const CONTINUE_RESPONSE: &[u8] = b"HTTP/1.1 100 Continue\r\n\r\n";

/// Reason phrase for a status code ("Unknown" for codes not in the table).
pub fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        101 => "Switching Protocols",
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
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        413 => "Payload Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        426 => "Upgrade Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

/// Length of an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
const DATE_LEN: usize = 29;

/// The formatted `Date` header value, refreshed at most once per second.
/// One per worker.
#[derive(Clone, Debug)]
pub struct DateCache {
    secs: u64,
    text: [u8; DATE_LEN],
}

impl Default for DateCache {
    fn default() -> Self {
        Self::new()
    }
}

impl DateCache {
    pub fn new() -> Self {
        let mut cache = Self {
            secs: u64::MAX,
            text: [b' '; DATE_LEN],
        };
        cache.refresh(SystemTime::now());
        cache
    }

    /// Re-formats the date if `now` is in a later second than the cached one.
    pub fn refresh(&mut self, now: SystemTime) {
        let secs = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        if secs == self.secs {
            return;
        }
        self.secs = secs;
        let mut out = &mut self.text[..];
        // An IMF-fixdate is always 29 bytes; `Display` writes into the array,
        // no allocation.
        let _ = write!(out, "{}", httpdate::HttpDate::from(now));
    }

    /// The cached value, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
    pub fn get(&self) -> &[u8] {
        &self.text
    }
}

/// Appends the decimal form of `n` (no allocation, no `format!`).
pub fn push_decimal(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

fn push_status_line(out: &mut Vec<u8>, status: u16) {
    out.extend_from_slice(b"HTTP/1.1 ");
    push_decimal(out, usize::from(status));
    out.push(b' ');
    out.extend_from_slice(reason(status).as_bytes());
    out.extend_from_slice(b"\r\n");
}

fn push_tail(out: &mut Vec<u8>, keep_alive: bool, date: &DateCache) {
    out.extend_from_slice(if keep_alive {
        b"Connection: keep-alive\r\nDate: "
    } else {
        b"Connection: close\r\nDate: "
    });
    out.extend_from_slice(date.get());
    out.extend_from_slice(b"\r\n\r\n");
}

/// Appends a handler's response: status line, the handler's headers,
/// `Content-Length`, `Connection`, `Date`, the empty line and (unless
/// `head_only`, i.e. a `HEAD` request) the body.
///
/// 204 and 304 responses carry neither `Content-Length` nor a body
/// (RFC 9110 8.6: a server must not send `Content-Length` in a 204; a 304
/// would have to repeat the length of a representation it does not have).
/// A status outside 200..=599 is not a final response: it is sent as a 500
/// with an empty body (and without the handler's headers).
pub fn encode_response(
    out: &mut Vec<u8>,
    res: &Response,
    head_only: bool,
    keep_alive: bool,
    date: &DateCache,
) {
    let status = res.status();
    if !(200..=599).contains(&status) {
        push_status_line(out, 500);
        out.extend_from_slice(b"Content-Length: 0\r\n");
        push_tail(out, keep_alive, date);
        return;
    }
    push_status_line(out, status);
    for (name, value) in res.headers() {
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    let has_body = status != 204 && status != 304;
    if has_body {
        out.extend_from_slice(b"Content-Length: ");
        push_decimal(out, res.body().len());
        out.extend_from_slice(b"\r\n");
    }
    push_tail(out, keep_alive, date);
    if has_body && !head_only {
        out.extend_from_slice(res.body());
    }
}

/// Appends a refusal: `<reason>\n` as text/plain, always `Connection: close`.
pub fn encode_error(out: &mut Vec<u8>, status: u16, date: &DateCache) {
    let reason = reason(status);
    push_status_line(out, status);
    out.extend_from_slice(b"Content-Type: text/plain; charset=utf-8\r\nContent-Length: ");
    push_decimal(out, reason.len() + 1);
    out.extend_from_slice(b"\r\n");
    push_tail(out, false, date);
    out.extend_from_slice(reason.as_bytes());
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals() {
        for n in [0usize, 7, 10, 99, 1234, 1_048_576, usize::MAX] {
            let mut out = Vec::new();
            push_decimal(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }

    #[test]
    fn date_is_imf_fixdate() {
        let mut d = DateCache::new();
        d.refresh(UNIX_EPOCH + std::time::Duration::from_secs(784_111_777));
        assert_eq!(d.get(), b"Sun, 06 Nov 1994 08:49:37 GMT");
    }

    #[test]
    fn error_response_layout() {
        let mut d = DateCache::new();
        d.refresh(UNIX_EPOCH + std::time::Duration::from_secs(784_111_777));
        let mut out = Vec::new();
        encode_error(&mut out, 413, &d);
        assert_eq!(
            out,
            b"HTTP/1.1 413 Payload Too Large\r\nContent-Type: text/plain; charset=utf-8\r\n\
              Content-Length: 18\r\nConnection: close\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n\
              Payload Too Large\n"
        );
    }
}
