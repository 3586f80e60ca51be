//! Sans-IO HTTP/1.x request decoder: bytes in, a request head (plus body
//! framing) or an error out. No sockets, no allocation.
//!
//! The head is parsed by `httparse`; this module adds what httparse leaves to
//! its caller: the limits (431/414/413, enforced while the head is still
//! partial, as in actix-http's `h1/decoder.rs`), the request-smuggling rules
//! (RFC 9112 sections 6.1-6.3, one `hrs_*` test each in
//! `tests/http_decode.rs`), strict chunked decoding and keep-alive semantics.
//!
//! Implementation note: every decision is taken at a fixed *prefix* of the
//! input (httparse only ever sees the first `max_head_bytes`; a long target is
//! judged at `target_start + max_url_len + 1`; a chunk line at its own bytes),
//! so feeding a request whole, byte by byte or in random pieces gives the same
//! result. The property tests pin that.

use std::fmt;

use super::limits::{Limits, MAX_CHUNK_LINE};

/// Why a request was refused. Every variant ends the connection after the
/// error response (see [`HttpError::status`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HttpError {
    /// Malformed request line, header or chunk framing (400).
    BadRequest(&'static str),
    /// Ambiguous message framing: the shapes used for request smuggling
    /// (duplicate or malformed `Content-Length`, `Content-Length` with
    /// `Transfer-Encoding`, `chunked` not alone, ...) (400).
    Smuggling(&'static str),
    /// The head is larger than `Limits::max_head_bytes`, or the trailers of a
    /// chunked body are (431).
    HeadTooLarge,
    /// More header lines than `Limits::max_headers` (431).
    TooManyHeaders,
    /// The request target is longer than `Limits::max_url_len` (414).
    UriTooLong,
    /// The body is larger than `Limits::max_body_bytes` (413).
    BodyTooLarge,
    /// A transfer coding other than `chunked` (501; we implement none).
    UnsupportedTransferCoding,
    /// An `HTTP/x.y` version other than 1.0 and 1.1 (505).
    VersionNotSupported,
    /// The head or body did not arrive in time (408). Raised by the event
    /// loop, never by the decoder.
    Timeout,
}

impl HttpError {
    /// The response status for this refusal.
    pub fn status(&self) -> u16 {
        match self {
            Self::BadRequest(_) | Self::Smuggling(_) => 400,
            Self::HeadTooLarge | Self::TooManyHeaders => 431,
            Self::UriTooLong => 414,
            Self::BodyTooLarge => 413,
            Self::UnsupportedTransferCoding => 501,
            Self::VersionNotSupported => 505,
            Self::Timeout => 408,
        }
    }

    /// A short, fixed description (for debug logs; never sent to clients).
    pub fn detail(&self) -> &'static str {
        match self {
            Self::BadRequest(why) | Self::Smuggling(why) => why,
            Self::HeadTooLarge => "request head too large",
            Self::TooManyHeaders => "too many header lines",
            Self::UriTooLong => "request target too long",
            Self::BodyTooLarge => "request body too large",
            Self::UnsupportedTransferCoding => "unsupported transfer coding",
            Self::VersionNotSupported => "HTTP version not supported",
            Self::Timeout => "request not received in time",
        }
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.detail(), self.status())
    }
}

impl std::error::Error for HttpError {}

/// Where the body of a complete request is, relative to the decoded buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// No body (no framing header, or `Content-Length: 0`).
    None,
    /// `buf[start..start + len]`.
    Length { start: usize, len: usize },
    /// A validated chunked body in `buf[start..end]` that de-chunks to `len`
    /// bytes (see [`dechunk`]).
    Chunked {
        start: usize,
        end: usize,
        len: usize,
    },
}

/// A complete request: its head, where its body is, and how many bytes of the
/// buffer it used. Header `i` is `headers[i]` of the array passed to the
/// decoder, for `i < header_count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head<'b> {
    pub method: &'b str,
    pub target: &'b str,
    /// `0` for HTTP/1.0, `1` for HTTP/1.1.
    pub minor_version: u8,
    pub header_count: usize,
    /// Bytes of request line + headers + empty line.
    pub head_len: usize,
    pub body: BodyKind,
    /// Bytes of the buffer this request occupies; the next pipelined request
    /// starts there.
    pub consumed: usize,
    /// Whether the connection may stay open after the response (HTTP/1.1
    /// unless `Connection: close`; HTTP/1.0 only with `Connection: keep-alive`).
    pub keep_alive: bool,
    /// `Expect: 100-continue` on an HTTP/1.1 request that has a body.
    pub expect_continue: bool,
}

impl Head<'_> {
    /// The body bytes: a slice of `buf` (the buffer that was decoded), or for
    /// a chunked body its de-chunked copy in `scratch`.
    pub fn body_bytes<'a>(&self, buf: &'a [u8], scratch: &'a mut Vec<u8>) -> &'a [u8] {
        match self.body {
            BodyKind::None => &[],
            BodyKind::Length { start, len } => &buf[start..start + len],
            BodyKind::Chunked { start, end, .. } => {
                scratch.clear();
                dechunk(&buf[start..end], scratch);
                scratch
            }
        }
    }
}

/// The outcome of one decoding step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoded<'b> {
    /// More bytes are needed (no limit is exceeded yet).
    Partial,
    /// A whole request (head and body) is in the buffer.
    Complete(Head<'b>),
}

/// Decodes one request from the start of `buf` in a single step (no state
/// kept between calls). `headers` receives the parsed headers; its length
/// should be at least `limits.effective_max_headers()` (use
/// `[httparse::EMPTY_HEADER; MAX_HEADERS_CAP]`).
///
/// ```
/// use zigttp::core::http::{decode_request, Decoded, Limits, MAX_HEADERS_CAP};
/// let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS_CAP];
/// let buf = b"GET /hi?x=1 HTTP/1.1\r\nHost: a\r\n\r\n";
/// let Ok(Decoded::Complete(head)) = decode_request(buf, &Limits::default(), &mut headers) else {
///     panic!()
/// };
/// assert_eq!((head.method, head.target, head.consumed), ("GET", "/hi?x=1", buf.len()));
/// assert_eq!(headers[0].name, "Host");
/// ```
pub fn decode_request<'b>(
    buf: &'b [u8],
    limits: &Limits,
    headers: &mut [httparse::Header<'b>],
) -> Result<Decoded<'b>, HttpError> {
    RequestDecoder::new().decode(buf, limits, headers)
}

/// Resumable decoder for one connection. Call [`RequestDecoder::decode`] with
/// the same buffer start each time more bytes arrive; once the head is known
/// it is not parsed again until the body is complete, and a chunked body is
/// walked incrementally. After `Complete` or an error the decoder is ready for
/// the next request (which starts at `head.consumed`).
#[derive(Clone, Debug, Default)]
pub struct RequestDecoder {
    state: State,
}

#[derive(Clone, Copy, Debug, Default)]
enum State {
    #[default]
    Head,
    Body(BodyState),
}

#[derive(Clone, Copy, Debug)]
struct BodyState {
    head_len: usize,
    framing: Framing,
    keep_alive: bool,
    expect_continue: bool,
    continue_sent: bool,
}

#[derive(Clone, Copy, Debug)]
enum Framing {
    None,
    Length(usize),
    Chunked(ChunkWalk),
}

/// Progress through a chunked body: offset of the next chunk-size line (or
/// of the trailer section), and the data bytes seen so far.
#[derive(Clone, Copy, Debug)]
struct ChunkWalk {
    next: usize,
    decoded: usize,
    in_trailers: bool,
}

/// The request line and head length, as parsed by httparse.
#[derive(Clone, Copy)]
struct RequestLine<'b> {
    method: &'b str,
    target: &'b str,
    minor_version: u8,
    header_count: usize,
    head_len: usize,
}

impl RequestDecoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets any request in progress.
    pub fn reset(&mut self) {
        self.state = State::Head;
    }

    /// The head of the current request is complete and its body is not.
    pub fn head_complete(&self) -> bool {
        matches!(self.state, State::Body(_))
    }

    /// The client asked for `100 Continue` and has not been sent one yet;
    /// only true while the body is incomplete.
    pub fn needs_continue(&self) -> bool {
        matches!(self.state, State::Body(b) if b.expect_continue && !b.continue_sent)
    }

    /// Records that `HTTP/1.1 100 Continue` was queued.
    pub fn mark_continue_sent(&mut self) {
        if let State::Body(b) = &mut self.state {
            b.continue_sent = true;
        }
    }

    /// Decodes from the start of `buf` (which must begin where it began on the
    /// previous call, and only have grown since).
    pub fn decode<'b>(
        &mut self,
        buf: &'b [u8],
        limits: &Limits,
        headers: &mut [httparse::Header<'b>],
    ) -> Result<Decoded<'b>, HttpError> {
        let result = self.step(buf, limits, headers);
        if !matches!(result, Ok(Decoded::Partial)) {
            self.state = State::Head;
        }
        result
    }

    fn step<'b>(
        &mut self,
        buf: &'b [u8],
        limits: &Limits,
        headers: &mut [httparse::Header<'b>],
    ) -> Result<Decoded<'b>, HttpError> {
        let mut fresh_line = None;
        if let State::Head = self.state {
            let Some(line) = parse_head(buf, limits, headers)? else {
                return Ok(Decoded::Partial);
            };
            let state = inspect_head(&line, &headers[..line.header_count], buf, limits)?;
            self.state = State::Body(state);
            fresh_line = Some(line);
        }
        let State::Body(state) = &mut self.state else {
            return Ok(Decoded::Partial);
        };
        let head_len = state.head_len;
        let (body, consumed) = match &mut state.framing {
            Framing::None => (BodyKind::None, head_len),
            Framing::Length(len) => {
                if buf.len() - head_len < *len {
                    return Ok(Decoded::Partial);
                }
                (
                    BodyKind::Length {
                        start: head_len,
                        len: *len,
                    },
                    head_len + *len,
                )
            }
            Framing::Chunked(walk) => match walk.advance(buf, head_len, limits)? {
                None => return Ok(Decoded::Partial),
                Some((end, len)) => (
                    BodyKind::Chunked {
                        start: head_len,
                        end,
                        len,
                    },
                    end,
                ),
            },
        };
        let (keep_alive, expect_continue) = (state.keep_alive, state.expect_continue);
        // The head was parsed on an earlier call: parse it once more, now only
        // to point `headers` at it again (cheap, once per request).
        let line = match fresh_line {
            Some(line) => line,
            None => reparse_head(&buf[..head_len], headers)?,
        };
        Ok(Decoded::Complete(Head {
            method: line.method,
            target: line.target,
            minor_version: line.minor_version,
            header_count: line.header_count,
            head_len,
            body,
            consumed,
            keep_alive,
            expect_continue,
        }))
    }
}

/// Parses the head with httparse, applying the 431/414 limits on partial
/// input. `Ok(None)` means "need more bytes".
fn parse_head<'b>(
    buf: &'b [u8],
    limits: &Limits,
    headers: &mut [httparse::Header<'b>],
) -> Result<Option<RequestLine<'b>>, HttpError> {
    // httparse never sees more than the head limit, so a head is judged on the
    // same bytes however the input was split.
    let window = &buf[..buf.len().min(limits.max_head_bytes)];
    if let Some(cut) = long_target_cut(window, limits.max_url_len) {
        // The target is too long. Unless the bytes before the cut are already
        // invalid (an earlier error wins), that is a 414.
        let mut req = httparse::Request::new(&mut []);
        return match req.parse(&window[..cut]) {
            Ok(_) => Err(HttpError::UriTooLong),
            Err(e) => Err(map_parse_error(e, &window[..cut])),
        };
    }
    let max_headers = limits.effective_max_headers().min(headers.len());
    let mut req = httparse::Request::new(&mut headers[..max_headers]);
    match req.parse(window) {
        Ok(httparse::Status::Partial) => {
            if buf.len() >= limits.max_head_bytes {
                Err(HttpError::HeadTooLarge)
            } else {
                Ok(None)
            }
        }
        Ok(httparse::Status::Complete(head_len)) => Ok(Some(RequestLine {
            method: req.method.unwrap_or_default(),
            target: req.path.unwrap_or_default(),
            minor_version: req.version.unwrap_or_default(),
            header_count: req.headers.len(),
            head_len,
        })),
        Err(e) => Err(map_parse_error(e, window)),
    }
}

/// Parses an already validated complete head again.
fn reparse_head<'b>(
    head: &'b [u8],
    headers: &mut [httparse::Header<'b>],
) -> Result<RequestLine<'b>, HttpError> {
    let mut req = httparse::Request::new(headers);
    match req.parse(head) {
        Ok(httparse::Status::Complete(head_len)) => Ok(RequestLine {
            method: req.method.unwrap_or_default(),
            target: req.path.unwrap_or_default(),
            minor_version: req.version.unwrap_or_default(),
            header_count: req.headers.len(),
            head_len,
        }),
        // Only reachable if the caller changed the buffer between calls.
        _ => Err(HttpError::BadRequest("request head changed while decoding")),
    }
}

#[cold]
fn map_parse_error(e: httparse::Error, seen: &[u8]) -> HttpError {
    match e {
        httparse::Error::TooManyHeaders => HttpError::TooManyHeaders,
        httparse::Error::Version => {
            if version_is_http_like(seen) {
                HttpError::VersionNotSupported
            } else {
                HttpError::BadRequest("invalid HTTP version")
            }
        }
        httparse::Error::Token => HttpError::BadRequest("invalid method or request target"),
        // Also obs-fold continuation lines and whitespace before the colon,
        // which httparse rejects in requests.
        httparse::Error::HeaderName => HttpError::BadRequest("invalid header name"),
        httparse::Error::HeaderValue => HttpError::BadRequest("invalid header value"),
        httparse::Error::NewLine | httparse::Error::Status => {
            HttpError::BadRequest("invalid line ending")
        }
    }
}

/// Bytes httparse accepts in a request target.
fn is_target_byte(b: u8) -> bool {
    matches!(b, b'!'..=0x7e | 0x80..=0xff)
}

/// RFC 9110 `tchar`.
pub(crate) fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'\''
                | b'*'
                | b'+'
                | b'-'
                | b'.'
                | b'^'
                | b'_'
                | b'`'
                | b'|'
                | b'~'
        )
}

/// Offset where the request target starts (after leading empty lines, the
/// method and one space), as httparse would find it.
fn target_start(buf: &[u8]) -> Option<usize> {
    let mut i = 0;
    loop {
        match buf.get(i) {
            Some(b'\r') if buf.get(i + 1) == Some(&b'\n') => i += 2,
            Some(b'\n') => i += 1,
            _ => break,
        }
    }
    let method_start = i;
    while buf.get(i).is_some_and(|&b| is_token_byte(b)) {
        i += 1;
    }
    (i > method_start && buf.get(i) == Some(&b' ')).then_some(i + 1)
}

/// If the target runs past `max_url` bytes, the prefix length at which that
/// is first known.
fn long_target_cut(window: &[u8], max_url: usize) -> Option<usize> {
    let start = target_start(window)?;
    let limit = start.saturating_add(max_url).saturating_add(1);
    let scan_end = window.len().min(limit);
    let len = window[start..scan_end]
        .iter()
        .take_while(|&&b| is_target_byte(b))
        .count();
    (len > max_url).then_some(limit)
}

/// `HTTP/` followed by a digit where the version should be: a version we do
/// not speak (505) rather than garbage (400).
fn version_is_http_like(buf: &[u8]) -> bool {
    let Some(start) = target_start(buf) else {
        return false;
    };
    let target_len = buf[start..]
        .iter()
        .take_while(|&&b| is_target_byte(b))
        .count();
    let Some(version) = buf.get(start + target_len + 1..) else {
        return false;
    };
    version.len() > 5 && version.starts_with(b"HTTP/") && version[5].is_ascii_digit()
}

/// Strips optional whitespace (SP / HTAB) at both ends.
fn trim_ows(v: &[u8]) -> &[u8] {
    let start = v
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(v.len());
    let end = v
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(start, |p| p + 1);
    &v[start..end.max(start)]
}

/// The checks that need the whole head: line endings, target form, framing
/// headers (the smuggling rules), connection semantics.
fn inspect_head(
    line: &RequestLine<'_>,
    headers: &[httparse::Header<'_>],
    buf: &[u8],
    limits: &Limits,
) -> Result<BodyState, HttpError> {
    // httparse accepts a bare LF as a line end; a proxy in front of us may
    // not, which is how requests get smuggled. Every LF must follow a CR.
    let head = &buf[..line.head_len];
    for (i, &b) in head.iter().enumerate() {
        if b == b'\n' && (i == 0 || head[i - 1] != b'\r') {
            return Err(HttpError::Smuggling("bare LF line ending"));
        }
    }
    check_target(line.method, line.target)?;

    let mut content_length: Option<u64> = None;
    let mut transfer_encoding: Option<&[u8]> = None;
    let mut host_seen = false;
    let mut close = false;
    let mut keep_alive_token = false;
    let mut expect_continue = false;
    for h in headers {
        let name = h.name.as_bytes();
        if name.eq_ignore_ascii_case(b"content-length") {
            if content_length.is_some() {
                return Err(HttpError::Smuggling("duplicate Content-Length"));
            }
            content_length = Some(parse_content_length(h.value)?);
        } else if name.eq_ignore_ascii_case(b"transfer-encoding") {
            if transfer_encoding.is_some() {
                return Err(HttpError::Smuggling("duplicate Transfer-Encoding"));
            }
            transfer_encoding = Some(h.value);
        } else if name.eq_ignore_ascii_case(b"connection") {
            for token in h.value.split(|&b| b == b',').map(trim_ows) {
                close |= token.eq_ignore_ascii_case(b"close");
                keep_alive_token |= token.eq_ignore_ascii_case(b"keep-alive");
            }
        } else if name.eq_ignore_ascii_case(b"expect") {
            expect_continue |= trim_ows(h.value).eq_ignore_ascii_case(b"100-continue");
        } else if name.eq_ignore_ascii_case(b"host") {
            if host_seen {
                return Err(HttpError::Smuggling("duplicate Host"));
            }
            host_seen = true;
        }
    }

    let framing = match (transfer_encoding, content_length) {
        (Some(_), _) if line.minor_version == 0 => {
            return Err(HttpError::Smuggling(
                "Transfer-Encoding in an HTTP/1.0 request",
            ));
        }
        (Some(_), Some(_)) => {
            return Err(HttpError::Smuggling(
                "Content-Length with Transfer-Encoding",
            ));
        }
        (Some(te), None) => {
            check_transfer_encoding(te)?;
            Framing::Chunked(ChunkWalk {
                next: line.head_len,
                decoded: 0,
                in_trailers: false,
            })
        }
        (None, Some(len)) => {
            if len > limits.max_body_bytes as u64 {
                return Err(HttpError::BodyTooLarge);
            }
            if len == 0 {
                Framing::None
            } else {
                Framing::Length(len as usize)
            }
        }
        (None, None) => Framing::None,
    };
    let keep_alive = !close && (line.minor_version == 1 || keep_alive_token);
    // RFC 9110 10.1.1: ignore 100-continue from HTTP/1.0 clients.
    let expect_continue =
        expect_continue && line.minor_version == 1 && !matches!(framing, Framing::None);
    Ok(BodyState {
        head_len: line.head_len,
        framing,
        keep_alive,
        expect_continue,
        continue_sent: false,
    })
}

/// Origin form (`/path?q`), absolute form (`http://host/path`), or `*` for
/// `OPTIONS`. Authority form (`CONNECT host:port`) is not served.
fn check_target(method: &str, target: &str) -> Result<(), HttpError> {
    let t = target.as_bytes();
    let ok = t.first() == Some(&b'/')
        || (target == "*" && method == "OPTIONS")
        || (t.len() > 7 && t[..7].eq_ignore_ascii_case(b"http://"))
        || (t.len() > 8 && t[..8].eq_ignore_ascii_case(b"https://"));
    if ok {
        Ok(())
    } else {
        Err(HttpError::BadRequest("invalid request target"))
    }
}

/// `Content-Length` must be 1*DIGIT: no sign, no inner spaces, no list.
fn parse_content_length(value: &[u8]) -> Result<u64, HttpError> {
    let digits = trim_ows(value);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(HttpError::Smuggling("invalid Content-Length"));
    }
    let mut n: u64 = 0;
    for &d in digits {
        // All digits, so an overflow can only mean "far beyond any limit".
        n = n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(d - b'0')))
            .ok_or(HttpError::BodyTooLarge)?;
    }
    Ok(n)
}

/// Only `Transfer-Encoding: chunked` (any case) is accepted. A list that
/// mentions `chunked` among other codings is ambiguous framing (400); any
/// other coding is one we do not implement (501).
fn check_transfer_encoding(value: &[u8]) -> Result<(), HttpError> {
    let value = trim_ows(value);
    if value.eq_ignore_ascii_case(b"chunked") {
        return Ok(());
    }
    if value.is_empty() {
        return Err(HttpError::Smuggling("empty Transfer-Encoding"));
    }
    let mentions_chunked = value
        .split(|&b| b == b',')
        .any(|c| trim_ows(c).eq_ignore_ascii_case(b"chunked"));
    if mentions_chunked {
        Err(HttpError::Smuggling(
            "Transfer-Encoding other than exactly chunked",
        ))
    } else {
        Err(HttpError::UnsupportedTransferCoding)
    }
}

impl ChunkWalk {
    /// Walks chunks from `self.next`; `Some((end, len))` once the last chunk
    /// and the trailers are in. `start` is where the body began.
    fn advance(
        &mut self,
        buf: &[u8],
        start: usize,
        limits: &Limits,
    ) -> Result<Option<(usize, usize)>, HttpError> {
        let max_wire = limits.max_chunked_wire_bytes();
        loop {
            if self.in_trailers {
                return Ok(skip_trailers(&buf[self.next..], limits.max_head_bytes)?
                    .map(|len| (self.next + len, self.decoded)));
            }
            let allowance = limits.max_body_bytes - self.decoded;
            let Some((size, line_len)) = parse_chunk_line(&buf[self.next..], allowance)? else {
                return Ok(None);
            };
            let data_start = self.next + line_len;
            // `size <= allowance <= max_body_bytes`, so this cannot overflow.
            let chunk_end = if size == 0 {
                data_start
            } else {
                data_start + size + 2
            };
            if chunk_end - start > max_wire {
                return Err(HttpError::BodyTooLarge);
            }
            if size == 0 {
                self.in_trailers = true;
                self.next = data_start;
                continue;
            }
            if buf.len() < chunk_end {
                return Ok(None);
            }
            if &buf[chunk_end - 2..chunk_end] != b"\r\n" {
                return Err(HttpError::BadRequest("chunk data not followed by CRLF"));
            }
            self.decoded += size;
            self.next = chunk_end;
        }
    }
}

fn hex_value(b: u8) -> Option<usize> {
    match b {
        b'0'..=b'9' => Some(usize::from(b - b'0')),
        b'a'..=b'f' => Some(usize::from(b - b'a' + 10)),
        b'A'..=b'F' => Some(usize::from(b - b'A' + 10)),
        _ => None,
    }
}

/// Parses `chunk-size [BWS ";" chunk-ext] CRLF` at the start of `input`.
/// `Ok(Some((size, line_len)))`, `Ok(None)` for "need more", or an error:
/// 413 as soon as the size exceeds `allowance`, 400 for anything malformed
/// (no digits, whitespace, control bytes, bare CR or LF, a line longer than
/// [`MAX_CHUNK_LINE`]).
fn parse_chunk_line(input: &[u8], allowance: usize) -> Result<Option<(usize, usize)>, HttpError> {
    let line = &input[..input.len().min(MAX_CHUNK_LINE)];
    let need_more = || {
        if input.len() >= MAX_CHUNK_LINE {
            Err(HttpError::BadRequest("chunk size line too long"))
        } else {
            Ok(None)
        }
    };
    let mut i = 0;
    let mut size: usize = 0;
    while let Some(digit) = line.get(i).copied().and_then(hex_value) {
        size = size
            .checked_mul(16)
            .and_then(|s| s.checked_add(digit))
            .filter(|&s| s <= allowance)
            .ok_or(HttpError::BodyTooLarge)?;
        i += 1;
    }
    if i == line.len() {
        return need_more();
    }
    if i == 0 {
        return Err(HttpError::BadRequest("invalid chunk size"));
    }
    let mut whitespace = false;
    while matches!(line.get(i), Some(b' ' | b'\t')) {
        whitespace = true;
        i += 1;
    }
    match line.get(i) {
        None => return need_more(),
        Some(b';') => {
            i += 1;
            loop {
                match line.get(i) {
                    None => return need_more(),
                    Some(b'\r') => break,
                    Some(&b) if b == b'\t' || (0x20..=0x7e).contains(&b) || b >= 0x80 => i += 1,
                    Some(_) => return Err(HttpError::BadRequest("invalid chunk extension")),
                }
            }
        }
        Some(b'\r') if !whitespace => {}
        Some(_) => return Err(HttpError::BadRequest("invalid chunk size")),
    }
    match line.get(i + 1) {
        None => need_more(),
        Some(b'\n') => Ok(Some((size, i + 2))),
        Some(_) => Err(HttpError::BadRequest("bare CR in chunk size line")),
    }
}

/// Skips the trailer section (field lines, then an empty line). Trailers are
/// not exposed to handlers. Lines must end in CRLF and hold no control bytes
/// other than HTAB; the section must fit in `max` bytes (else 431).
fn skip_trailers(input: &[u8], max: usize) -> Result<Option<usize>, HttpError> {
    let window = &input[..input.len().min(max)];
    let mut line_start = 0;
    let mut i = 0;
    while i < window.len() {
        match window[i] {
            b'\r' => {
                match window.get(i + 1) {
                    None => break,
                    Some(b'\n') => {}
                    Some(_) => return Err(HttpError::BadRequest("bare CR in trailers")),
                }
                if i == line_start {
                    return Ok(Some(i + 2));
                }
                i += 2;
                line_start = i;
            }
            b'\n' => return Err(HttpError::Smuggling("bare LF line ending")),
            b'\t' => i += 1,
            b if b < 0x20 || b == 0x7f => {
                return Err(HttpError::BadRequest("control byte in trailers"));
            }
            _ => i += 1,
        }
    }
    if input.len() >= max {
        Err(HttpError::HeadTooLarge)
    } else {
        Ok(None)
    }
}

/// Appends the data of a chunked body (as validated by the decoder) to `out`.
/// Stops quietly at anything malformed; it never panics.
pub fn dechunk(encoded: &[u8], out: &mut Vec<u8>) {
    let mut pos = 0;
    while let Ok(Some((size, line_len))) = parse_chunk_line(&encoded[pos..], usize::MAX) {
        if size == 0 {
            return;
        }
        let data = pos + line_len;
        let Some(chunk) = encoded.get(data..data.saturating_add(size)) else {
            return;
        };
        out.extend_from_slice(chunk);
        pos = data + size + 2;
        if pos > encoded.len() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_lines() {
        assert_eq!(parse_chunk_line(b"1a\r\n", 100), Ok(Some((26, 4))));
        assert_eq!(parse_chunk_line(b"1A;x=\"y\"\r\n", 100), Ok(Some((26, 10))));
        assert_eq!(parse_chunk_line(b"5 ;x\r\n", 100), Ok(Some((5, 6))));
        assert_eq!(parse_chunk_line(b"5", 100), Ok(None));
        assert_eq!(parse_chunk_line(b"5\r", 100), Ok(None));
        assert!(parse_chunk_line(b"5 \r\n", 100).is_err());
        assert!(parse_chunk_line(b" 5\r\n", 100).is_err());
        assert!(parse_chunk_line(b"5\n", 100).is_err());
        assert!(parse_chunk_line(b"5\rx", 100).is_err());
        assert!(parse_chunk_line(b"0x5\r\n", 100).is_err());
        assert_eq!(
            parse_chunk_line(b"65\r\n", 100),
            Err(HttpError::BodyTooLarge)
        );
        assert_eq!(
            parse_chunk_line(b"ffffffffffffffffffffff\r\n", usize::MAX),
            Err(HttpError::BodyTooLarge)
        );
    }

    #[test]
    fn trims() {
        assert_eq!(trim_ows(b" \t a b \t"), b"a b");
        assert_eq!(trim_ows(b"   "), b"");
        assert_eq!(trim_ows(b""), b"");
    }

    #[test]
    fn dechunks() {
        let mut out = Vec::new();
        dechunk(b"3\r\nabc\r\n2;e\r\nde\r\n0\r\nX: y\r\n\r\n", &mut out);
        assert_eq!(out, b"abcde");
    }
}
