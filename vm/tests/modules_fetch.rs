//! `zigttp:fetch` against local servers on 127.0.0.1: the egress policy is
//! checked before any socket is opened, allowed calls work (framing by
//! Content-Length, chunked, and end of stream), and every failure is a 599
//! with `{error, details}`, never a trap.

use serde_json::{Value as Json, json};
use std::io::{ErrorKind, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;
use zigts_vm::modules::FetchLimits;
use zigts_vm::{ExecLimits, Host, Instance, Policy, RequestParts, Services};

#[derive(Default)]
struct TestHost {
    events: Vec<String>,
    /// `(module, fn, JSON)` answers for `stub`.
    stubs: Vec<(String, String, String)>,
    offline: bool,
}

impl Host for TestHost {
    fn console(&mut self, _is_error: bool, line: &str) {
        eprintln!("{line}");
    }
    fn now_ms(&mut self) -> f64 {
        0.0
    }
    fn monotonic_ms(&mut self) -> f64 {
        0.0
    }
    fn random(&mut self) -> f64 {
        0.5
    }
    fn security_event(&mut self, event: &str) {
        self.events.push(event.to_string());
    }
    fn outbound_allowed(&mut self) -> bool {
        !self.offline
    }
    fn stub(&mut self, module: &str, func: &str) -> Option<Option<String>> {
        let i = self
            .stubs
            .iter()
            .position(|(m, f, _)| m == module && f == func)?;
        Some(Some(self.stubs.remove(i).2))
    }
}

const HANDLER: &str = r#"
import { fetch, fetchSync } from "zigttp:fetch";
export function handler(req: Request): Response {
  const a = JSON.parse(req.body);
  const r = a.sync ? fetchSync(a.url, a.init) : fetch(a.url, a.init);
  return Response.json({
    status: r.status,
    ok: r.ok,
    statusText: r.statusText,
    type: r.headers.get("Content-Type"),
    location: r.headers.get("location"),
    text: r.text(),
    json: r.json(),
  });
}
"#;

struct App {
    instance: Instance,
    host: TestHost,
}

impl App {
    fn new(policy: &str, limits: FetchLimits) -> App {
        let compiled = zigts_compiler::compile("t.ts", HANDLER).unwrap_or_else(|e| panic!("{e}"));
        let program = zigts_verifier::verify(
            &compiled.bytes,
            &zigts_verifier::Limits::default(),
            zigts_vm::modules::TABLE,
        )
        .expect("verifies");
        let services = Services::new(Policy::from_json(policy).unwrap()).with_fetch_limits(limits);
        let mut host = TestHost::default();
        let instance = Instance::load_with(
            Arc::new(program),
            Arc::new(services),
            &mut host,
            ExecLimits::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        App { instance, host }
    }

    fn local() -> App {
        App::new(LOCAL_POLICY, FetchLimits::default())
    }

    fn fetch(&mut self, args: &Json) -> Json {
        let arena = bumpalo::Bump::new();
        let body = args.to_string();
        let req = RequestParts {
            method: "POST",
            target: "/",
            headers: &[],
            body: Some(body.as_bytes()),
        };
        let r = self
            .instance
            .handle(&arena, &req, &mut self.host, ExecLimits::default())
            .unwrap_or_else(|t| panic!("fetch must not trap: {t}"));
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str(r.body).unwrap()
    }
}

const LOCAL_POLICY: &str = r#"{"capabilities": ["network", "runtime_callback"],
  "egress": {"allow_hosts": ["127.0.0.1", "LocalHost"]}}"#;

/// A server that answers one connection with `response` and hands back the
/// request it read.
fn serve_once(response: &'static [u8]) -> (u16, JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut req = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = s.read(&mut buf).unwrap();
            req.extend_from_slice(&buf[..n]);
            if n == 0 {
                break;
            }
            if let Some(end) = req.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&req[..end]).to_ascii_lowercase();
                let len = head
                    .lines()
                    .find_map(|l| l.strip_prefix("content-length: "))
                    .map_or(0, |v| v.trim().parse::<usize>().unwrap());
                if req.len() >= end + 4 + len {
                    break;
                }
            }
        }
        s.write_all(response).unwrap();
        String::from_utf8(req).unwrap()
    });
    (port, handle)
}

fn url(port: u16, path: &str) -> String {
    format!("http://127.0.0.1:{port}{path}")
}

#[test]
fn a_denied_host_never_opens_a_socket() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut app = App::new(
        r#"{"capabilities": ["network", "runtime_callback"], "egress": {"allow_hosts": ["api.example.com"]}}"#,
        FetchLimits::default(),
    );
    let got = app.fetch(&json!({"url": url(port, "/secret")}));
    assert_eq!(got["status"], 599);
    assert_eq!(got["ok"], false);
    assert_eq!(got["json"]["error"], "HostNotAllowed");
    // Not even a connection attempt reached the listener's backlog.
    match listener.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        other => panic!("the denied call connected: {other:?}"),
    }
    assert_eq!(app.instance.services().denials(), 1);
    assert_eq!(app.host.events.len(), 1);
    assert!(
        app.host.events[0].contains("egress host '127.0.0.1'"),
        "{:?}",
        app.host.events
    );
    // A name that would need DNS is refused without a lookup, https too.
    let got = app.fetch(&json!({"url": "https://internal.invalid/x", "sync": true}));
    assert_eq!(got["json"]["error"], "HostNotAllowed");
    assert_eq!(app.instance.services().denials(), 2);
}

#[test]
fn an_allowed_call_reaches_the_local_server() {
    let (port, server) = serve_once(
        b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nX-A: 1\r\nX-A: 2\r\nContent-Length: 11\r\n\r\n{\"id\": 42}\n",
    );
    let mut app = App::local();
    let got = app.fetch(&json!({
        "url": url(port, "/items?x=1#frag"),
        "init": {"method": "post", "headers": {"X-Token": "t0k", "Host": "spoofed", "Content-Length": "999"}, "body": "{\"name\":\"n\"}"},
    }));
    assert_eq!(
        got,
        json!({"status": 201, "ok": true, "statusText": "Created", "type": "application/json",
               "text": "{\"id\": 42}\n", "json": {"id": 42}})
    );
    let request = server.join().unwrap();
    let lower = request.to_ascii_lowercase();
    assert!(
        request.starts_with("POST /items?x=1 HTTP/1.1\r\n"),
        "{request}"
    );
    assert!(
        request.contains(&format!("Host: 127.0.0.1:{port}\r\n")),
        "{request}"
    );
    assert!(lower.contains("x-token: t0k\r\n"), "{request}");
    assert!(
        !lower.contains("spoofed") && !lower.contains("999"),
        "{request}"
    );
    assert!(request.contains("Content-Length: 12\r\n"), "{request}");
    assert!(request.contains("Connection: close\r\n"), "{request}");
    assert!(request.ends_with("\r\n\r\n{\"name\":\"n\"}"), "{request}");
}

#[test]
fn hosts_match_case_insensitively() {
    let (port, server) = serve_once(b"HTTP/1.1 204 No Content\r\n\r\n");
    let mut app = App::local();
    // The policy says "LocalHost"; the URL says "LOCALHOST" (resolved, ::1 may refuse first).
    let got = app.fetch(&json!({"url": format!("http://LOCALHOST:{port}/"), "sync": true}));
    assert_eq!(
        (got["status"].as_u64(), got["text"].as_str()),
        (Some(204), Some(""))
    );
    assert!(
        server
            .join()
            .unwrap()
            .contains(&format!("Host: localhost:{port}"))
    );
}

#[test]
fn chunked_interim_and_close_delimited_bodies() {
    let (port, _s) = serve_once(
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\n{\"a\":\r\n3\r\n 1}\r\n0\r\nTrailer: x\r\n\r\n",
    );
    let mut app = App::local();
    let got = app.fetch(&json!({"url": url(port, "/")}));
    assert_eq!(
        (got["status"].as_u64(), &got["json"]),
        (Some(200), &json!({"a": 1}))
    );

    let (port, _s) =
        serve_once(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end");
    let got = app.fetch(&json!({"url": url(port, "/")}));
    assert_eq!(got["text"], "until the end");
    assert_eq!(got["type"], "text/plain");
}

#[test]
fn redirects_are_not_followed() {
    let (port, server) = serve_once(
        b"HTTP/1.1 302 Found\r\nLocation: http://elsewhere.example/\r\nContent-Length: 0\r\n\r\n",
    );
    let mut app = App::local();
    let got = app.fetch(&json!({"url": url(port, "/old")}));
    assert_eq!(got["status"], 302);
    assert_eq!(got["ok"], false);
    assert_eq!(got["location"], "http://elsewhere.example/");
    server.join().unwrap();
}

#[test]
fn oversized_responses_are_refused() {
    let limits = FetchLimits {
        max_response_bytes: 16,
        ..FetchLimits::default()
    };
    let mut app = App::new(LOCAL_POLICY, limits);
    let (port, _s) = serve_once(b"HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n01234567890123456");
    let got = app.fetch(&json!({"url": url(port, "/")}));
    assert_eq!(
        (got["status"].as_u64(), &got["json"]["error"]),
        (Some(599), &json!("ResponseTooLarge"))
    );

    let (port, _s) = serve_once(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n1\r\nX\r\n0\r\n\r\n");
    let got = app.fetch(&json!({"url": url(port, "/")}));
    assert_eq!(got["json"]["error"], "ResponseTooLarge");

    // The handler may lower the cap, never raise it.
    let (port, _s) = serve_once(b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n01234567");
    let got = app.fetch(&json!({"url": url(port, "/"), "init": {"maxResponseBytes": 4}}));
    assert_eq!(got["json"]["error"], "ResponseTooLarge");
    let (port, _s) = serve_once(b"HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n01234567890123456");
    let got = app.fetch(&json!({"url": url(port, "/"), "init": {"max_response_bytes": 1_000_000}}));
    assert_eq!(got["json"]["error"], "ResponseTooLarge");
}

#[test]
fn a_silent_server_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        let (s, _) = listener.accept().unwrap();
        std::thread::sleep(Duration::from_millis(1500));
        drop(s);
    });
    let limits = FetchLimits {
        total_timeout: Duration::from_millis(300),
        ..FetchLimits::default()
    };
    let mut app = App::new(LOCAL_POLICY, limits);
    let start = std::time::Instant::now();
    let got = app.fetch(&json!({"url": url(port, "/")}));
    assert_eq!(got["json"]["error"], "Timeout", "{got}");
    assert!(start.elapsed() < Duration::from_millis(1200));
    server.join().unwrap();
}

#[test]
fn failures_are_599_answers() {
    // A port nobody listens on.
    let port = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut app = App::new(
        r#"{"capabilities": ["network", "runtime_callback"], "egress": {"allow_hosts": ["127.0.0.1", "example.com", "evil.com"]}}"#,
        FetchLimits::default(),
    );
    let code = |app: &mut App, args: Json| -> String {
        let got = app.fetch(&args);
        assert_eq!(got["status"], 599, "{got}");
        assert!(got["json"]["details"].is_string(), "{got}");
        got["json"]["error"].as_str().unwrap().to_string()
    };
    assert_eq!(
        code(&mut app, json!({"url": url(port, "/")})),
        "ConnectFailed"
    );
    assert_eq!(
        code(&mut app, json!({"url": "https://example.com/"})),
        "UnsupportedScheme"
    );
    assert_eq!(code(&mut app, json!({"url": "/relative"})), "InvalidUrl");
    assert_eq!(
        code(&mut app, json!({"url": "http://example.com@evil.com/"})),
        "InvalidUrl"
    );
    assert_eq!(
        code(&mut app, json!({"url": "http://example.com/a b"})),
        "InvalidUrl"
    );
    assert_eq!(code(&mut app, json!({"url": 42})), "InvalidArgs");
    assert_eq!(
        code(
            &mut app,
            json!({"url": url(port, "/"), "init": {"headers": {"X-A": "1\r\nX-Injected: 1"}}})
        ),
        "InvalidArgs"
    );
    assert_eq!(
        code(
            &mut app,
            json!({"url": url(port, "/"), "init": {"method": "GET", "body": "x"}})
        ),
        "InvalidArgs"
    );
    assert_eq!(
        code(
            &mut app,
            json!({"url": url(port, "/"), "init": {"method": "TRACE"}})
        ),
        "InvalidArgs"
    );
    assert_eq!(app.instance.services().denials(), 0);
    // A host that refuses outbound HTTP (a test run without an io stub).
    app.host.offline = true;
    assert_eq!(
        code(&mut app, json!({"url": url(port, "/")})),
        "OutboundHttpDisabled"
    );
}

#[test]
fn test_stubs_answer_response_like_objects() {
    let mut app = App::local();
    app.host.stubs.push((
        "fetch".into(),
        "fetch".into(),
        r#"{"status": 200, "headers": {"Content-Type": "application/json"}, "body": {"stubbed": true}}"#.into(),
    ));
    // The reference's test files record fetchSync under module "http".
    app.host.stubs.push((
        "http".into(),
        "fetchSync".into(),
        r#"{"status": 503, "body": "down"}"#.into(),
    ));
    let got = app.fetch(&json!({"url": "http://unreachable.invalid/"}));
    assert_eq!(
        got,
        json!({"status": 200, "ok": true, "statusText": "", "type": "application/json",
               "text": "{\"stubbed\":true}", "json": {"stubbed": true}})
    );
    let got = app.fetch(&json!({"url": "http://unreachable.invalid/", "sync": true}));
    assert_eq!(
        (got["status"].as_u64(), got["text"].as_str()),
        (Some(503), Some("down"))
    );
}

#[test]
fn fetch_needs_the_network_capability() {
    let mut app = App::new(
        r#"{"capabilities": ["runtime_callback"]}"#,
        FetchLimits::default(),
    );
    let arena = bumpalo::Bump::new();
    let req = RequestParts {
        method: "POST",
        target: "/",
        headers: &[],
        body: Some(br#"{"url": "http://127.0.0.1:1/"}"#),
    };
    let err = app
        .instance
        .handle(&arena, &req, &mut app.host, ExecLimits::default())
        .expect_err("a capability denial traps");
    assert!(err.message.contains("needs capability 'network'"), "{err}");
}
