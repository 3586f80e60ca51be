//! `zigttp:fetch`: `fetch(input, init?)` and its alias `fetchSync`, a small
//! blocking HTTP/1.1 client.
//!
//! `input` is a URL string or an object with a `url` (and optionally
//! `method`, `headers`, `body`, which `init` overrides). `init` takes
//! `method` (default GET), `headers` (an object of strings), `body` (a
//! string), `maxResponseBytes` (or `max_response_bytes`) and `timeoutMs`,
//! which can only lower the embedder's limits ([`FetchLimits`]: connect
//! timeout 10 s, total timeout 30 s, response cap 1 MiB).
//!
//! The answer is Response-like: `{status, ok, statusText, headers, url,
//! body}` with `headers.get(name)` (case-insensitive), `text()` and
//! `json()`. It never traps on network trouble: every failure is a **599**
//! whose JSON body is `{error: Code, details}`, with codes InvalidArgs,
//! InvalidUrl, UnsupportedScheme (anything but `http:`; `https:` is not
//! supported yet), HostNotAllowed, OutboundHttpDisabled, ConnectFailed,
//! Timeout, NetworkError, InvalidResponse and ResponseTooLarge.
//!
//! Security: the host is checked against the policy's egress allow-list
//! (case-insensitive) before anything touches the network (no DNS lookup,
//! no socket); a denial is counted and reported as a security event. URLs
//! with credentials (`user@host`), control characters or spaces are
//! refused, request headers are checked for CR/LF, and `Host`,
//! `Content-Length`, `Connection` and `Transfer-Encoding` are always the
//! client's own. Redirects are not followed (a 3xx is answered as is).

use super::ModFn;
use crate::builtins::get_property;
use crate::builtins::object::own_entries;
use crate::interp::{Vm, to_number, to_property_key};
use crate::trap::{Trap, TrapKind};
use crate::value::{Class, Object, Value};
use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::{IpAddr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

/// Outbound HTTP limits, set by the embedder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FetchLimits {
    /// Per connection attempt.
    pub connect_timeout: Duration,
    /// From the call to the last byte of the response.
    pub total_timeout: Duration,
    /// Largest response body accepted (decoded, for chunked bodies).
    pub max_response_bytes: usize,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_response_bytes: 1 << 20,
        }
    }
}

/// Largest response head (status line and headers).
const MAX_HEAD: usize = 64 * 1024;
/// Longest chunk-size or trailer line.
const MAX_LINE: usize = 4096;

/// Why a call failed: the `error` code and `details` of its 599 answer.
#[derive(Debug)]
struct Failure {
    code: &'static str,
    details: String,
}

fn fail(code: &'static str, details: impl Into<String>) -> Failure {
    Failure {
        code,
        details: details.into(),
    }
}

/// Where a request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Target {
    scheme: String,
    /// Lowercase, without IPv6 brackets or a trailing dot.
    host: String,
    ip: Option<IpAddr>,
    port: u16,
    /// Origin-form request target (path and query), never empty.
    path: String,
}

impl Target {
    fn host_header(&self) -> String {
        let host = match self.ip {
            Some(IpAddr::V6(_)) => format!("[{}]", self.host),
            _ => self.host.clone(),
        };
        if self.port == 80 {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }
}

fn parse_url(url: &str) -> Result<Target, Failure> {
    if url.bytes().any(|b| b <= b' ' || b == 0x7f) {
        return Err(fail(
            "InvalidUrl",
            "the URL contains spaces or control characters",
        ));
    }
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| fail("InvalidUrl", format!("not an absolute http URL: {url}")))?;
    if scheme.is_empty()
        || !scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    {
        return Err(fail(
            "InvalidUrl",
            format!("not an absolute http URL: {url}"),
        ));
    }
    let scheme = scheme.to_ascii_lowercase();
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if authority.contains('@') {
        return Err(fail(
            "InvalidUrl",
            "URLs with credentials are not supported",
        ));
    }
    let default_port = if scheme == "https" { 443 } else { 80 };
    let (host, port, ip) = if let Some(v6) = authority.strip_prefix('[') {
        let (addr, after) = v6
            .split_once(']')
            .ok_or_else(|| fail("InvalidUrl", "unclosed IPv6 address"))?;
        let ip: Ipv6Addr = addr
            .parse()
            .map_err(|_| fail("InvalidUrl", format!("invalid IPv6 address '{addr}'")))?;
        let port = match after {
            "" => None,
            p => Some(
                p.strip_prefix(':')
                    .ok_or_else(|| fail("InvalidUrl", "invalid port"))?,
            ),
        };
        (ip.to_string(), port, Some(IpAddr::V6(ip)))
    } else {
        let (h, p) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        let h = h.strip_suffix('.').unwrap_or(h).to_ascii_lowercase();
        if h.is_empty()
            || !h
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
        {
            return Err(fail("InvalidUrl", format!("invalid host in {url}")));
        }
        let ip = h.parse::<IpAddr>().ok();
        (h, p, ip)
    };
    let port = match port {
        None | Some("") => default_port,
        Some(p) => p
            .parse::<u16>()
            .ok()
            .filter(|p| *p != 0 && p.to_string().len() <= 5)
            .ok_or_else(|| fail("InvalidUrl", format!("invalid port '{p}'")))?,
    };
    let tail = tail.split('#').next().unwrap_or("");
    let mut path = String::with_capacity(tail.len() + 1);
    if !tail.starts_with('/') {
        path.push('/');
    }
    for c in tail.chars() {
        if c.is_ascii() {
            path.push(c);
        } else {
            let mut b = [0u8; 4];
            for byte in c.encode_utf8(&mut b).bytes() {
                let _ = write!(path, "%{byte:02X}");
            }
        }
    }
    Ok(Target {
        scheme,
        host,
        ip,
        port,
        path,
    })
}

/// The host of an absolute `http:`/`https:` URL as the egress policy sees
/// it (lowercase, no brackets or trailing dot), for the contract.
pub fn url_host(url: &str) -> Option<String> {
    parse_url(url)
        .ok()
        .filter(|t| t.scheme == "http" || t.scheme == "https")
        .map(|t| t.host)
}

/// One outbound request, fully checked.
#[derive(Debug)]
struct Request {
    method: String,
    url: String,
    target: Target,
    headers: Vec<(String, String)>,
    body: Option<String>,
    limits: FetchLimits,
}

fn is_token(s: &str) -> bool {
    super::http::is_token(s)
}

/// The client owns these.
const OWN_HEADERS: &[&str] = &[
    "host",
    "content-length",
    "connection",
    "transfer-encoding",
    "keep-alive",
    "upgrade",
    "te",
    "trailer",
    "proxy-connection",
];

fn field<'a>(
    vm: &mut Vm<'a, '_>,
    input: Value<'a>,
    init: Value<'a>,
    key: &'a str,
) -> Result<Value<'a>, Trap> {
    if !init.is_undefined() {
        let v = get_property(vm, init, key)?;
        if !v.is_undefined() {
            return Ok(v);
        }
    }
    if matches!(input, Value::Object(_) | Value::FrozenObject(_)) {
        return get_property(vm, input, key);
    }
    Ok(Value::Undefined)
}

fn request<'a>(
    vm: &mut Vm<'a, '_>,
    input: Value<'a>,
    init: Value<'a>,
) -> Result<Result<Request, Failure>, Trap> {
    let url = match input {
        Value::Str(s) => s,
        Value::Object(_) | Value::FrozenObject(_) => match get_property(vm, input, "url")? {
            Value::Str(s) => s,
            _ => {
                return Ok(Err(fail(
                    "InvalidArgs",
                    "the request object needs a string 'url'",
                )));
            }
        },
        _ => {
            return Ok(Err(fail(
                "InvalidArgs",
                "fetch needs a URL string or a {url} object",
            )));
        }
    };
    if !matches!(
        init,
        Value::Undefined | Value::Object(_) | Value::FrozenObject(_)
    ) {
        return Ok(Err(fail("InvalidArgs", "init must be an object")));
    }
    let target = match parse_url(url) {
        Ok(t) => t,
        Err(f) => return Ok(Err(f)),
    };
    let method = match field(vm, input, init, "method")? {
        Value::Undefined => "GET".to_string(),
        v => to_property_key(vm, v)?.to_string(),
    };
    let standard = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"];
    let method = match standard.iter().find(|m| m.eq_ignore_ascii_case(&method)) {
        Some(m) => (*m).to_string(),
        None => method,
    };
    if !is_token(&method)
        || ["CONNECT", "TRACE", "TRACK"]
            .iter()
            .any(|m| m.eq_ignore_ascii_case(&method))
    {
        return Ok(Err(fail(
            "InvalidArgs",
            format!("invalid method '{method}'"),
        )));
    }
    let mut headers = Vec::new();
    let h = field(vm, input, init, "headers")?;
    for (k, v) in own_entries(vm, h) {
        let v = to_property_key(vm, v)?;
        if !is_token(k) || v.contains(['\r', '\n', '\0']) {
            return Ok(Err(fail(
                "InvalidArgs",
                format!("invalid request header '{k}'"),
            )));
        }
        if !OWN_HEADERS.iter().any(|o| o.eq_ignore_ascii_case(k)) {
            headers.push((k.to_string(), v.trim().to_string()));
        }
    }
    let body = match field(vm, input, init, "body")? {
        Value::Undefined => None,
        v => Some(to_property_key(vm, v)?.to_string()),
    };
    if body.is_some() && (method == "GET" || method == "HEAD") {
        return Ok(Err(fail(
            "InvalidArgs",
            format!("a {method} request cannot have a body"),
        )));
    }
    let mut limits = vm.services.fetch;
    let mut cap = field(vm, input, init, "maxResponseBytes")?;
    if cap.is_undefined() {
        cap = field(vm, input, init, "max_response_bytes")?;
    }
    if !cap.is_undefined() {
        let n = to_number(vm, cap)?;
        if n.is_nan() || n < 0.0 {
            return Ok(Err(fail(
                "InvalidArgs",
                "maxResponseBytes must be a non-negative number",
            )));
        }
        limits.max_response_bytes = limits.max_response_bytes.min(n as usize);
    }
    let timeout = field(vm, input, init, "timeoutMs")?;
    if !timeout.is_undefined() {
        let n = to_number(vm, timeout)?;
        if n.is_nan() || n <= 0.0 {
            return Ok(Err(fail(
                "InvalidArgs",
                "timeoutMs must be a positive number",
            )));
        }
        let d = Duration::from_secs_f64((n / 1000.0).min(1e9));
        limits.total_timeout = limits.total_timeout.min(d);
        limits.connect_timeout = limits.connect_timeout.min(d);
    }
    Ok(Ok(Request {
        method,
        url: url.to_string(),
        target,
        headers,
        body,
        limits,
    }))
}

/// A response as read from the wire.
#[derive(Debug)]
struct Raw {
    status: u16,
    reason: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn io_failure(e: &std::io::Error, what: &str) -> Failure {
    match e.kind() {
        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
            fail("Timeout", format!("timed out while {what}"))
        }
        _ => fail("NetworkError", format!("{what}: {e}")),
    }
}

struct Wire {
    stream: TcpStream,
    buf: Vec<u8>,
    pos: usize,
    deadline: Instant,
    eof: bool,
}

impl Wire {
    fn avail(&self) -> &[u8] {
        &self.buf[self.pos..]
    }

    /// Reads more bytes; `false` at end of stream.
    fn more(&mut self) -> Result<bool, Failure> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 64 * 1024 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        let remaining = self
            .deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
            .ok_or_else(|| fail("Timeout", "timed out while reading the response"))?;
        self.stream
            .set_read_timeout(Some(remaining))
            .map_err(|e| io_failure(&e, "reading the response"))?;
        let mut chunk = [0u8; 16 * 1024];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.buf.extend_from_slice(&chunk[..n]);
                    return Ok(true);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(io_failure(&e, "reading the response")),
            }
        }
    }

    fn line(&mut self) -> Result<Vec<u8>, Failure> {
        loop {
            if let Some(i) = self.avail().windows(2).position(|w| w == b"\r\n") {
                let line = self.avail()[..i].to_vec();
                self.pos += i + 2;
                return Ok(line);
            }
            if self.avail().len() > MAX_LINE {
                return Err(fail("InvalidResponse", "chunked framing line too long"));
            }
            if !self.more()? {
                return Err(fail("InvalidResponse", "the chunked body was cut short"));
            }
        }
    }

    fn take(&mut self, n: usize) -> Result<&[u8], Failure> {
        while self.avail().len() < n {
            if !self.more()? {
                return Err(fail("InvalidResponse", "the response body was cut short"));
            }
        }
        let start = self.pos;
        self.pos += n;
        Ok(&self.buf[start..start + n])
    }
}

type Head = (u16, String, Vec<(String, String)>);

fn read_head(w: &mut Wire) -> Result<Head, Failure> {
    loop {
        let parsed = {
            let mut headers = [httparse::EMPTY_HEADER; 128];
            let mut resp = httparse::Response::new(&mut headers);
            match resp.parse(w.avail()) {
                Ok(httparse::Status::Complete(n)) => {
                    let status = resp.code.unwrap_or(0);
                    let reason = resp.reason.unwrap_or("").to_string();
                    let hs = resp
                        .headers
                        .iter()
                        .map(|h| {
                            (
                                h.name.to_ascii_lowercase(),
                                String::from_utf8_lossy(h.value).trim().to_string(),
                            )
                        })
                        .collect();
                    Some((n, (status, reason, hs)))
                }
                Ok(httparse::Status::Partial) => None,
                Err(e) => return Err(fail("InvalidResponse", format!("bad response head: {e}"))),
            }
        };
        if let Some((n, head)) = parsed {
            w.pos += n;
            // Interim responses (100 Continue, 103 Early Hints) are skipped.
            if (100..200).contains(&head.0) && head.0 != 101 {
                continue;
            }
            return Ok(head);
        }
        if w.avail().len() > MAX_HEAD {
            return Err(fail("ResponseTooLarge", "the response head is over 64 KiB"));
        }
        if !w.more()? {
            return Err(fail(
                "InvalidResponse",
                "the connection closed before a response",
            ));
        }
    }
}

fn too_large(cap: usize) -> Failure {
    fail(
        "ResponseTooLarge",
        format!("the response body is over {cap} bytes"),
    )
}

fn read_body(w: &mut Wire, req: &Request, head: &Head) -> Result<Vec<u8>, Failure> {
    let (status, _, headers) = head;
    let cap = req.limits.max_response_bytes;
    if req.method == "HEAD" || matches!(status, 101 | 204 | 304) {
        return Ok(Vec::new());
    }
    let chunked = headers.iter().any(|(k, v)| {
        k == "transfer-encoding"
            && v.rsplit(',')
                .next()
                .is_some_and(|last| last.trim().eq_ignore_ascii_case("chunked"))
    });
    if chunked {
        let mut body = Vec::new();
        loop {
            let line = w.line()?;
            let size_text = String::from_utf8_lossy(&line);
            let size_text = size_text.split(';').next().unwrap_or("").trim();
            let size = usize::from_str_radix(size_text, 16)
                .map_err(|_| fail("InvalidResponse", "bad chunk size"))?;
            if size == 0 {
                // Trailer fields, up to the empty line.
                while !w.line()?.is_empty() {}
                return Ok(body);
            }
            if size > cap.saturating_sub(body.len()) {
                return Err(too_large(cap));
            }
            body.extend_from_slice(w.take(size)?);
            if w.take(2)? != b"\r\n" {
                return Err(fail("InvalidResponse", "bad chunk framing"));
            }
        }
    }
    let mut lengths = headers
        .iter()
        .filter(|(k, _)| k == "content-length")
        .flat_map(|(_, v)| v.split(','))
        .map(|v| v.trim().parse::<u64>());
    if let Some(first) = lengths.next() {
        let n = first.map_err(|_| fail("InvalidResponse", "bad Content-Length"))?;
        if lengths.any(|other| other != Ok(n)) {
            return Err(fail(
                "InvalidResponse",
                "conflicting Content-Length headers",
            ));
        }
        if n > cap as u64 {
            return Err(too_large(cap));
        }
        return Ok(w.take(n as usize)?.to_vec());
    }
    loop {
        if w.avail().len() > cap {
            return Err(too_large(cap));
        }
        if !w.more()? {
            return Ok(w.avail().to_vec());
        }
    }
}

/// Connects, sends, and reads one response.
fn exchange(req: &Request) -> Result<Raw, Failure> {
    let start = Instant::now();
    let deadline = start + req.limits.total_timeout;
    let t = &req.target;
    let addrs: Vec<SocketAddr> = match t.ip {
        Some(ip) => vec![SocketAddr::new(ip, t.port)],
        None => (t.host.as_str(), t.port)
            .to_socket_addrs()
            .map_err(|e| fail("ConnectFailed", format!("cannot resolve '{}': {e}", t.host)))?
            .collect(),
    };
    let mut last = fail("ConnectFailed", format!("no address for '{}'", t.host));
    let mut stream = None;
    for addr in addrs {
        let Some(remaining) = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
        else {
            last = fail("Timeout", "timed out while connecting");
            break;
        };
        match TcpStream::connect_timeout(&addr, remaining.min(req.limits.connect_timeout)) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => {
                last = match e.kind() {
                    std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                        fail("Timeout", format!("timed out connecting to {addr}"))
                    }
                    _ => fail("ConnectFailed", format!("cannot connect to {addr}: {e}")),
                };
            }
        }
    }
    let Some(stream) = stream else {
        return Err(last);
    };
    let _ = stream.set_nodelay(true);

    let mut head = format!(
        "{} {} HTTP/1.1\r\nHost: {}\r\n",
        req.method,
        t.path,
        t.host_header()
    );
    let has = |name: &str| {
        req.headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(name))
    };
    if !has("user-agent") {
        head.push_str("User-Agent: zigttp\r\n");
    }
    if !has("accept") {
        head.push_str("Accept: */*\r\n");
    }
    for (k, v) in &req.headers {
        let _ = write!(head, "{k}: {v}\r\n");
    }
    match &req.body {
        Some(b) => {
            let _ = write!(head, "Content-Length: {}\r\n", b.len());
        }
        None if matches!(req.method.as_str(), "POST" | "PUT" | "PATCH") => {
            head.push_str("Content-Length: 0\r\n");
        }
        None => {}
    }
    head.push_str("Connection: close\r\n\r\n");
    let mut message = head.into_bytes();
    if let Some(b) = &req.body {
        message.extend_from_slice(b.as_bytes());
    }
    let remaining = deadline
        .checked_duration_since(Instant::now())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| fail("Timeout", "timed out before sending"))?;
    stream
        .set_write_timeout(Some(remaining))
        .map_err(|e| io_failure(&e, "sending the request"))?;
    (&stream)
        .write_all(&message)
        .map_err(|e| io_failure(&e, "sending the request"))?;

    let mut w = Wire {
        stream,
        buf: Vec::with_capacity(16 * 1024),
        pos: 0,
        deadline,
        eof: false,
    };
    let head = read_head(&mut w)?;
    let body = read_body(&mut w, req, &head)?;
    let (status, reason, headers) = head;
    Ok(Raw {
        status,
        reason,
        headers,
        body,
    })
}

/// Only `http:` is spoken (no TLS yet).
fn supported(t: &Target) -> Result<(), Failure> {
    if t.scheme == "http" {
        Ok(())
    } else {
        Err(fail(
            "UnsupportedScheme",
            format!("'{}:' URLs are not supported (only http:)", t.scheme),
        ))
    }
}

/// A response to [`get`].
#[derive(Debug)]
pub struct Fetched {
    pub status: u16,
    /// Names as received; look them up case-insensitively.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// One plain `GET` for the embedder's own tools (`zigttp verify`): the same
/// client as `fetch`, with no handler policy involved. The error is the
/// failure code (as in a 599 body: `InvalidUrl`, `UnsupportedScheme`,
/// `ConnectFailed`, `Timeout`, ...) and its details.
pub fn get(url: &str, limits: FetchLimits) -> Result<Fetched, (&'static str, String)> {
    let request = parse_url(url)
        .and_then(|t| supported(&t).map(|()| t))
        .map(|target| Request {
            method: "GET".into(),
            url: url.into(),
            target,
            headers: Vec::new(),
            body: None,
            limits,
        });
    match request.and_then(|r| exchange(&r)) {
        Ok(raw) => Ok(Fetched {
            status: raw.status,
            headers: raw.headers,
            body: raw.body,
        }),
        Err(f) => Err((f.code, f.details)),
    }
}

/// Builds the Response-like object (a request-class object, whose `text()`
/// and `json()` read its `body`).
fn response<'a>(
    vm: &Vm<'a, '_>,
    status: u16,
    status_text: &str,
    headers: &[(String, String)],
    url: &str,
    body: &str,
) -> Value<'a> {
    let arena = vm.arena;
    let h = Object::with_capacity_in(arena, Class::Headers, headers.len());
    for (k, v) in headers {
        let joined = match h.get(k) {
            Some(Value::Str(old)) => format!("{old}, {v}"),
            _ => v.clone(),
        };
        h.set(arena.alloc_str(k), Value::Str(arena.alloc_str(&joined)));
    }
    let r = Object::with_capacity_in(arena, Class::Request, 6);
    r.set("status", Value::Num(f64::from(status)));
    r.set("statusText", Value::Str(arena.alloc_str(status_text)));
    r.set("ok", Value::Bool((200..=299).contains(&status)));
    r.set("headers", Value::Object(h));
    r.set("url", Value::Str(arena.alloc_str(url)));
    r.set("body", Value::Str(arena.alloc_str(body)));
    Value::Object(r)
}

fn failure<'a>(vm: &Vm<'a, '_>, url: &str, f: &Failure) -> Value<'a> {
    let body = serde_json::json!({"error": f.code, "details": f.details}).to_string();
    response(
        vm,
        599,
        f.code,
        &[("content-type".into(), "application/json".into())],
        url,
        &body,
    )
}

/// `fetch(input, init?)`.
pub fn call<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    if !matches!(f, ModFn::Fetch | ModFn::FetchSync) {
        return Err(Trap::new(TrapKind::Internal, "fetch dispatch"));
    }
    let input = args.first().copied().unwrap_or(Value::Undefined);
    let init = args.get(1).copied().unwrap_or(Value::Undefined);
    let req = match request(vm, input, init)? {
        Ok(r) => r,
        Err(e) => {
            let url = match input {
                Value::Str(s) => s,
                _ => "",
            };
            return Ok(failure(vm, url, &e));
        }
    };
    // The egress check comes before anything touches the network.
    if !vm.services.policy.egress.allows(&req.target.host, true) {
        vm.services.count_denial();
        vm.host.security_event(&format!(
            "policy_denied egress host '{}' for zigttp:fetch",
            req.target.host
        ));
        let e = fail(
            "HostNotAllowed",
            format!(
                "egress to '{}' is not allowed by the policy",
                req.target.host
            ),
        );
        return Ok(failure(vm, &req.url, &e));
    }
    if let Err(e) = supported(&req.target) {
        return Ok(failure(vm, &req.url, &e));
    }
    if !vm.host.outbound_allowed() {
        let e = fail("OutboundHttpDisabled", "outbound HTTP is disabled here");
        return Ok(failure(vm, &req.url, &e));
    }
    Ok(match exchange(&req) {
        Ok(raw) => {
            let body = String::from_utf8_lossy(&raw.body);
            response(vm, raw.status, &raw.reason, &raw.headers, &req.url, &body)
        }
        Err(e) => failure(vm, &req.url, &e),
    })
}

/// A `zigttp test` io record for a fetch, as a Response-like object:
/// `{status?, statusText?, headers?, body?}` (a non-string body is sent as
/// JSON), or a string body with status 200.
pub(crate) fn from_stub<'a>(vm: &mut Vm<'a, '_>, v: Value<'a>) -> Result<Value<'a>, Trap> {
    let (status, status_text, headers, body) = match v {
        Value::Str(s) => (200, String::new(), Vec::new(), s.to_string()),
        Value::Object(_) => {
            let status = match get_property(vm, v, "status")? {
                Value::Num(n) if (100.0..=599.0).contains(&n) => n as u16,
                _ => 200,
            };
            let status_text = match get_property(vm, v, "statusText")? {
                Value::Str(s) => s.to_string(),
                _ => String::new(),
            };
            let mut headers = Vec::new();
            let h = get_property(vm, v, "headers")?;
            for (k, hv) in own_entries(vm, h) {
                let hv = to_property_key(vm, hv)?;
                headers.push((k.to_ascii_lowercase(), hv.to_string()));
            }
            let body = match get_property(vm, v, "body")? {
                Value::Undefined => String::new(),
                Value::Str(s) => s.to_string(),
                b => match crate::builtins::json::stringify(vm, b, Value::Undefined)? {
                    Value::Str(s) => s.to_string(),
                    _ => String::new(),
                },
            };
            (status, status_text, headers, body)
        }
        other => return Ok(other),
    };
    Ok(response(vm, status, &status_text, &headers, "", &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let t = parse_url("http://API.Example.com./v1/x?q=1#frag").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.path.as_str()),
            ("api.example.com", 80, "/v1/x?q=1")
        );
        assert_eq!(t.host_header(), "api.example.com");
        let t = parse_url("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            (t.path.as_str(), t.host_header()),
            ("/", "127.0.0.1:8080".to_string())
        );
        let t = parse_url("http://[::1]:9/p?x").unwrap();
        assert_eq!(
            (t.host.as_str(), t.host_header()),
            ("::1", "[::1]:9".to_string())
        );
        let t = parse_url("http://h/caf\u{e9}").unwrap();
        assert_eq!(t.path, "/caf%C3%A9");
        assert_eq!(parse_url("https://a.b/").unwrap().port, 443);
        for bad in [
            "/relative",
            "http://",
            "http://user:pw@evil.com/",
            "http://allowed.com@evil.com/",
            "http://a b/",
            "http://h/\r\nX: y",
            "http://h:0/",
            "http://h:99999/",
            "http://h:8a/",
            "http://[::1/",
            "http://ex%61mple.com/",
        ] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
        assert_eq!(
            url_host("https://API.example.com/x").as_deref(),
            Some("api.example.com")
        );
        assert_eq!(url_host("ftp://example.com/x"), None);
        assert_eq!(url_host("/x"), None);
    }
}
