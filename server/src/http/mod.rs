//! HTTP/1.x types shared by the server core and the rest of the product: the
//! zero-copy [`Request`], the reusable [`Response`], the per-worker
//! [`Service`], plus the sans-IO decoder, the encoder and the [`Limits`].

pub mod decode;
pub mod encode;
pub mod limits;

use std::fmt;

pub use decode::{BodyKind, Decoded, Head, HttpError, RequestDecoder, dechunk, decode_request};
pub use encode::{CONTINUE_RESPONSE, DateCache, encode_error, encode_response, reason};
pub use limits::{Limits, MAX_CHUNK_LINE, MAX_HEADERS_CAP};

pub use crate::core::worker::{Server, ServerConfig, ShutdownHandle, serve, serve_until};

/// One request header, borrowed from the connection's read buffer. The name
/// is as sent (case preserved), the value has surrounding whitespace removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header<'b> {
    pub name: &'b str,
    pub value: &'b [u8],
}

impl Header<'_> {
    /// A placeholder for filling header arrays.
    pub const EMPTY: Header<'static> = Header {
        name: "",
        value: b"",
    };
}

/// A complete request, borrowed from the connection's read buffer (zero
/// copy; a chunked body is de-chunked into a per-worker scratch buffer).
#[derive(Clone, Copy, Debug)]
pub struct Request<'b> {
    pub method: &'b str,
    /// The raw request target, query included (`/path?a=1`).
    pub target: &'b str,
    /// `0` for HTTP/1.0, `1` for HTTP/1.1.
    pub minor_version: u8,
    /// In arrival order, names as sent.
    pub headers: &'b [Header<'b>],
    /// The complete, de-chunked body (empty if none).
    pub body: &'b [u8],
}

impl<'b> Request<'b> {
    /// The first header named `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&'b [u8]> {
        self.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value)
    }

    /// The target up to `?` (the whole target if it has no query).
    pub fn path(&self) -> &'b str {
        self.target
            .split_once('?')
            .map_or(self.target, |(path, _)| path)
    }

    /// The text after the first `?`, if any.
    pub fn query(&self) -> Option<&'b str> {
        self.target.split_once('?').map(|(_, query)| query)
    }
}

/// RFC 9110 13.1.2: whether an `If-None-Match` value matches `etag` (a
/// quoted entity tag). The comparison is weak; `*` matches any current
/// representation.
pub fn if_none_match(header: &[u8], etag: &str) -> bool {
    header.split(|&b| b == b',').any(|tag| {
        let tag = tag.trim_ascii();
        let tag = tag.strip_prefix(b"W/").unwrap_or(tag);
        tag == b"*" || tag == etag.as_bytes()
    })
}

/// Why [`Response::add_header`] refused a header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvalidHeader {
    /// The name is empty or not an RFC 7230 token.
    Name,
    /// The value contains CR, LF or NUL (header injection, CWE-113).
    Value,
}

impl fmt::Display for InvalidHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Name => "invalid response header name (not an RFC 7230 token)",
            Self::Value => "invalid response header value (contains CR, LF or NUL)",
        })
    }
}

impl std::error::Error for InvalidHeader {}

/// Where one header lives inside [`Response::header_text`].
#[derive(Clone, Copy, Debug)]
struct HeaderSpan {
    name_start: usize,
    value_start: usize,
    value_end: usize,
}

/// A response under construction. One per worker, reused: the server clears
/// it (keeping its capacity) before every request, so building a response
/// does not allocate in steady state.
#[derive(Clone, Debug)]
pub struct Response {
    status: u16,
    /// Names and values back to back; `spans` says where each one is.
    header_text: String,
    spans: Vec<HeaderSpan>,
    body: Vec<u8>,
}

impl Default for Response {
    fn default() -> Self {
        Self::new()
    }
}

/// Headers the server owns (message framing and connection management); a
/// handler's copies are dropped.
fn is_framing_header(name: &str) -> bool {
    [
        "content-length",
        "transfer-encoding",
        "connection",
        "date",
        "keep-alive",
        "upgrade",
    ]
    .iter()
    .any(|framing| name.eq_ignore_ascii_case(framing))
}

fn validate_header(name: &str, value: &str) -> Result<(), InvalidHeader> {
    if name.is_empty() || !name.bytes().all(decode::is_token_byte) {
        return Err(InvalidHeader::Name);
    }
    if value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)) {
        return Err(InvalidHeader::Value);
    }
    Ok(())
}

impl Response {
    pub fn new() -> Self {
        Self {
            status: 200,
            header_text: String::new(),
            spans: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn set_status(&mut self, status: u16) {
        self.status = status;
    }

    /// The status (200 unless set).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Appends a header. The name must be an RFC 7230 token and neither name
    /// nor value may contain CR, LF or NUL. Framing headers
    /// (`Content-Length`, `Transfer-Encoding`, `Connection`, `Date`,
    /// `Keep-Alive`, `Upgrade`) are valid but dropped: the server owns
    /// framing. Repeated names are kept (e.g. several `Set-Cookie`).
    pub fn add_header(&mut self, name: &str, value: &str) -> Result<(), InvalidHeader> {
        validate_header(name, value)?;
        if !is_framing_header(name) {
            let name_start = self.header_text.len();
            self.header_text.push_str(name);
            let value_start = self.header_text.len();
            self.header_text.push_str(value);
            self.spans.push(HeaderSpan {
                name_start,
                value_start,
                value_end: self.header_text.len(),
            });
        }
        Ok(())
    }

    /// Like [`Response::add_header`], but first removes every header of the
    /// same name (ASCII case-insensitive).
    pub fn set_header(&mut self, name: &str, value: &str) -> Result<(), InvalidHeader> {
        validate_header(name, value)?;
        self.remove_header(name);
        self.add_header(name, value)
    }

    /// Removes every header named `name` (ASCII case-insensitive).
    pub fn remove_header(&mut self, name: &str) {
        let text = &self.header_text;
        self.spans
            .retain(|s| !text[s.name_start..s.value_start].eq_ignore_ascii_case(name));
    }

    /// The first header named `name` (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// The headers in the order they were added, as `(name, value)`.
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.spans.iter().map(|s| {
            (
                &self.header_text[s.name_start..s.value_start],
                &self.header_text[s.value_start..s.value_end],
            )
        })
    }

    pub fn body(&self) -> &[u8] {
        &self.body
    }

    pub fn body_mut(&mut self) -> &mut Vec<u8> {
        &mut self.body
    }

    /// Back to `200`, no headers, empty body; capacity is kept.
    pub fn clear(&mut self) {
        self.status = 200;
        self.header_text.clear();
        self.spans.clear();
        self.body.clear();
    }
}

/// A WebSocket event ([`Service::ws_event`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WsEvent<'a> {
    /// A socket opened on `path` (its room).
    Open { id: u32, path: &'a str },
    /// A complete text message.
    Message {
        id: u32,
        text: &'a str,
        room: &'a str,
    },
    /// The socket closed: the peer's code (1005 when it sent none, 1006
    /// when the connection ended without a close frame) or ours.
    Close { id: u32, code: u16, reason: &'a str },
}

/// What the server calls for each request. One instance per worker thread
/// (built by the `make_service` closure given to [`serve`]), never shared, so
/// it needs neither `Send` nor `Sync`.
pub trait Service {
    /// Fills `res` (cleared by the server beforehand) for `req`. A panic is
    /// caught and answered with a 500; the connection is then closed.
    fn call(&mut self, req: &Request<'_>, res: &mut Response);

    /// Whether WebSocket upgrade requests are accepted (when the server was
    /// also configured for WebSockets); otherwise they reach [`Service::call`]
    /// like any request.
    fn accepts_websockets(&self) -> bool {
        false
    }

    /// A WebSocket event. `false` means the handler failed: the socket is
    /// closed with 1011.
    fn ws_event(&mut self, event: WsEvent<'_>) -> bool {
        let _ = event;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_headers_are_validated_and_framing_dropped() {
        let mut r = Response::new();
        assert_eq!(r.add_header("X-A", "1"), Ok(()));
        assert_eq!(r.add_header("content-length", "5"), Ok(()));
        assert_eq!(r.add_header("Connection", "close"), Ok(()));
        assert_eq!(r.add_header("Bad Name", "x"), Err(InvalidHeader::Name));
        assert_eq!(r.add_header("", "x"), Err(InvalidHeader::Name));
        assert_eq!(
            r.add_header("X-B", "a\r\nSet-Cookie: x"),
            Err(InvalidHeader::Value)
        );
        assert_eq!(r.add_header("X-B", "a\0"), Err(InvalidHeader::Value));
        assert_eq!(r.add_header("X-Bad\n", "a"), Err(InvalidHeader::Name));
        r.add_header("Set-Cookie", "a=1").unwrap();
        r.add_header("set-cookie", "b=2").unwrap();
        assert_eq!(
            r.headers().collect::<Vec<_>>(),
            [("X-A", "1"), ("Set-Cookie", "a=1"), ("set-cookie", "b=2")]
        );
        r.set_header("SET-COOKIE", "c=3").unwrap();
        assert_eq!(
            r.headers().collect::<Vec<_>>(),
            [("X-A", "1"), ("SET-COOKIE", "c=3")]
        );
        assert_eq!(r.header("set-cookie"), Some("c=3"));
        r.clear();
        assert_eq!(
            (r.status(), r.headers().count(), r.body().len()),
            (200, 0, 0)
        );
    }

    #[test]
    fn request_path_and_query() {
        let req = Request {
            method: "GET",
            target: "/a/b?x=1&y",
            minor_version: 1,
            headers: &[Header {
                name: "Host",
                value: b"h",
            }],
            body: b"",
        };
        assert_eq!(req.path(), "/a/b");
        assert_eq!(req.query(), Some("x=1&y"));
        assert_eq!(req.header("host"), Some(&b"h"[..]));
    }
}
