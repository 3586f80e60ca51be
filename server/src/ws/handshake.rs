//! The opening handshake (RFC 6455 section 4.2): which requests ask for an
//! upgrade, which are refused and how, and the `101` answer.
//!
//! A request asks for a WebSocket when its `Upgrade` header lists the
//! `websocket` token. It is accepted only as a `GET` over HTTP/1.1 with
//! `Connection: upgrade`, `Sec-WebSocket-Version: 13` (else 426 naming
//! version 13) and a `Sec-WebSocket-Key` that is the base64 of 16 bytes
//! (else 400), from an allowed origin (else 403): by default a browser's
//! `Origin` must name the same host as `Host`; `--ws-origin` lists the
//! origins allowed instead. Requests without `Origin` (non-browser clients)
//! are not cross-site requests and pass.

use crate::core::http::Request;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha1::{Digest, Sha1};

const GUID: &str = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// Whether a comma-separated header value lists `token` (case-insensitive).
fn lists(value: &[u8], token: &str) -> bool {
    value
        .split(|&b| b == b',')
        .any(|t| t.trim_ascii().eq_ignore_ascii_case(token.as_bytes()))
}

/// Whether the request asks to become a WebSocket.
pub fn wants_upgrade(req: &Request<'_>) -> bool {
    req.header("upgrade").is_some_and(|v| lists(v, "websocket"))
}

/// Which origins may open sockets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Origins {
    /// `Origin`, when sent, must name the host the request was sent to.
    #[default]
    SameOrigin,
    /// Exactly these origins (e.g. `https://app.example.com`), compared
    /// case-insensitively; `*` allows any.
    Only(Vec<String>),
}

impl Origins {
    fn allows(&self, origin: &[u8], host: Option<&[u8]>) -> bool {
        match self {
            Origins::Only(list) => list
                .iter()
                .any(|o| o == "*" || o.as_bytes().eq_ignore_ascii_case(origin)),
            Origins::SameOrigin => {
                let Ok(origin) = std::str::from_utf8(origin) else {
                    return false;
                };
                let authority = origin
                    .split_once("://")
                    .map_or("", |(_, rest)| rest.split('/').next().unwrap_or(""));
                host.is_some_and(|h| {
                    !authority.is_empty() && h.eq_ignore_ascii_case(authority.as_bytes())
                })
            }
        }
    }
}

/// A refused upgrade: the status, one header (for 426) and the reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Refusal {
    pub status: u16,
    pub header: Option<(&'static str, &'static str)>,
    pub why: &'static str,
}

fn refuse(status: u16, why: &'static str) -> Refusal {
    Refusal {
        status,
        header: None,
        why,
    }
}

/// Checks an upgrade request; on success returns the `Sec-WebSocket-Accept` value.
pub fn check(req: &Request<'_>, origins: &Origins) -> Result<String, Refusal> {
    if req.method != "GET" || req.minor_version != 1 {
        return Err(refuse(
            400,
            "a WebSocket upgrade must be a GET over HTTP/1.1",
        ));
    }
    if !req
        .header("connection")
        .is_some_and(|v| lists(v, "upgrade"))
    {
        return Err(refuse(400, "Connection must list 'upgrade'"));
    }
    if req.header("sec-websocket-version").map(<[u8]>::trim_ascii) != Some(b"13") {
        return Err(Refusal {
            status: 426,
            header: Some(("Sec-WebSocket-Version", "13")),
            why: "only WebSocket version 13 is supported",
        });
    }
    let key = req
        .header("sec-websocket-key")
        .map(<[u8]>::trim_ascii)
        .unwrap_or_default();
    if STANDARD.decode(key).map(|k| k.len()) != Ok(16) {
        return Err(refuse(
            400,
            "Sec-WebSocket-Key must be the base64 of 16 bytes",
        ));
    }
    if req
        .header("origin")
        .is_some_and(|origin| !origins.allows(origin, req.header("host")))
    {
        return Err(refuse(403, "the Origin is not allowed to open WebSockets"));
    }
    Ok(accept_key(key))
}

/// `base64(SHA-1(key ++ GUID))`.
pub fn accept_key(key: &[u8]) -> String {
    let mut h = Sha1::new();
    h.update(key);
    h.update(GUID.as_bytes());
    STANDARD.encode(h.finalize())
}

/// The `101 Switching Protocols` answer.
pub fn switching_protocols(out: &mut Vec<u8>, accept: &str) {
    out.extend_from_slice(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ");
    out.extend_from_slice(accept.as_bytes());
    out.extend_from_slice(b"\r\n\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::Header;

    fn req<'a>(method: &'a str, headers: &'a [Header<'a>]) -> Request<'a> {
        Request {
            method,
            target: "/chat",
            minor_version: 1,
            headers,
            body: b"",
        }
    }

    fn h<'a>(name: &'a str, value: &'a str) -> Header<'a> {
        Header {
            name,
            value: value.as_bytes(),
        }
    }

    #[test]
    fn rfc_accept_key() {
        // RFC 6455 section 1.3.
        assert_eq!(
            accept_key(b"dGhlIHNhbXBsZSBub25jZQ=="),
            "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        );
    }

    #[test]
    fn checks_in_order() {
        let good = [
            h("Host", "example.com:3000"),
            h("Upgrade", "websocket"),
            h("Connection", "keep-alive, Upgrade"),
            h("Sec-WebSocket-Version", "13"),
            h("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
            h("Origin", "http://example.com:3000"),
        ];
        assert!(wants_upgrade(&req("GET", &good)));
        assert!(check(&req("GET", &good), &Origins::SameOrigin).is_ok());
        assert_eq!(
            check(&req("POST", &good), &Origins::SameOrigin)
                .unwrap_err()
                .status,
            400
        );
        let mut v = good;
        v[3] = h("Sec-WebSocket-Version", "8");
        let r = check(&req("GET", &v), &Origins::SameOrigin).unwrap_err();
        assert_eq!(
            (r.status, r.header),
            (426, Some(("Sec-WebSocket-Version", "13")))
        );
        let mut k = good;
        k[4] = h("Sec-WebSocket-Key", "c2hvcnQ=");
        assert_eq!(
            check(&req("GET", &k), &Origins::SameOrigin)
                .unwrap_err()
                .status,
            400
        );
        let mut c = good;
        c[2] = h("Connection", "keep-alive");
        assert_eq!(
            check(&req("GET", &c), &Origins::SameOrigin)
                .unwrap_err()
                .status,
            400
        );
        let mut o = good;
        o[5] = h("Origin", "https://evil.example");
        assert_eq!(
            check(&req("GET", &o), &Origins::SameOrigin)
                .unwrap_err()
                .status,
            403
        );
        let allow = Origins::Only(vec!["https://EVIL.example".into()]);
        assert!(check(&req("GET", &o), &allow).is_ok());
        // No Origin: not a browser's cross-site request.
        assert!(check(&req("GET", &good[..5]), &Origins::SameOrigin).is_ok());
    }
}
