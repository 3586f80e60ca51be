//! The operational surface over real loopback sockets, in process: reserved
//! paths, metrics, the access log, static files (traversal, symlink escapes,
//! ETag/304, HEAD), readiness during a drain, and slowloris resistance.

mod support;

use std::io::{BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use support::{connect, exchange, get, read_reply, request, sample};
use zigttp::access_log::AccessLog;
use zigttp::app::reserved::{Reserved, ReservedPaths};
use zigttp::core::http::{Limits, Request, Response, Service};
use zigttp::core::{Server, ServerConfig};
use zigttp::metrics::Metrics;
use zigttp::static_files::StaticFiles;

/// Answers `METHOD PATH\n`; `/missing` is a 404.
struct Echo;

impl Service for Echo {
    fn call(&mut self, req: &Request<'_>, res: &mut Response) {
        if req.path() == "/missing" {
            res.set_status(404);
        }
        let body = res.body_mut();
        body.extend_from_slice(req.method.as_bytes());
        body.push(b' ');
        body.extend_from_slice(req.path().as_bytes());
        body.push(b'\n');
    }
}

struct Harness {
    server: Server,
    metrics: Arc<Metrics>,
    log: Arc<Mutex<Vec<u8>>>,
}

impl Harness {
    fn addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    fn log_text(&self) -> String {
        String::from_utf8(self.log.lock().unwrap().clone()).unwrap()
    }

    fn scrape(&self) -> String {
        let reply = get(self.addr(), "/metrics");
        assert_eq!(reply.status, 200);
        reply.text()
    }
}

fn start_with(limits: Limits, paths: ReservedPaths) -> Harness {
    let metrics = Arc::new(Metrics::new(2));
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&log);
    let config = ServerConfig {
        port: 0,
        workers: 2,
        limits,
        quiet: true,
        metrics: Some(Arc::clone(&metrics)),
        access_log: AccessLog::Sink(Arc::new(move |line: &[u8]| {
            sink.lock().unwrap().extend_from_slice(line);
        })),
        ..ServerConfig::default()
    };
    let paths = Arc::new(paths);
    let shared = Arc::clone(&metrics);
    let server = Server::start(config, move |_| {
        Reserved::new(Echo, Arc::clone(&shared), Arc::clone(&paths))
    })
    .expect("server starts");
    Harness {
        server,
        metrics,
        log,
    }
}

fn start() -> Harness {
    start_with(Limits::default(), ReservedPaths::default())
}

#[test]
fn healthz_and_readyz_are_answered_before_the_handler() {
    let h = start();
    let ok = get(h.addr(), "/healthz");
    assert_eq!((ok.status, ok.text().as_str()), (200, "ok\n"));
    assert_eq!(ok.header("Content-Type"), Some("text/plain; charset=utf-8"));
    let ready = get(h.addr(), "/readyz?probe=1");
    assert_eq!((ready.status, ready.text().as_str()), (200, "ready\n"));
    let head = request(h.addr(), "HEAD", "/healthz");
    assert_eq!(head.status, 200);
    assert_eq!(head.header("Content-Length"), Some("3"));
    let post = request(h.addr(), "POST", "/healthz");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow"), Some("GET, HEAD"));
    // Near misses go to the handler.
    assert_eq!(get(h.addr(), "/healthz/").text(), "GET /healthz/\n");
    assert_eq!(get(h.addr(), "/Healthz").text(), "GET /Healthz\n");
}

#[test]
fn readyz_says_draining_once_a_shutdown_begins() {
    let h = start();
    let mut s = connect(h.addr());
    // Half a request is in flight when the shutdown begins ...
    s.write_all(b"GET /readyz HTTP/1.1\r\nHost: t\r\n").unwrap();
    thread::sleep(Duration::from_millis(100));
    h.server.shutdown();
    thread::sleep(Duration::from_millis(100));
    // ... it is still answered, with 503 and `Connection: close`.
    s.write_all(b"\r\n").unwrap();
    let reply = read_reply(&mut BufReader::new(s), false).unwrap();
    assert_eq!((reply.status, reply.text().as_str()), (503, "draining\n"));
    assert_eq!(reply.header("Connection"), Some("close"));
    assert!(!h.metrics.is_ready());
}

#[test]
fn metrics_are_prometheus_text_and_counters_move() {
    let h = start();
    let before = h.scrape();
    assert_eq!(sample(&before, "zigttp_ready"), 1.0);
    assert_eq!(sample(&before, "zigttp_workers"), 2.0);
    for name in [
        "zigttp_arena_audit_failures_total",
        "zigttp_persistent_escape_failures_total",
        "zigttp_policy_denials_total",
        "zigttp_instance_recycles_total",
        "zigttp_http_connections_rejected_total",
    ] {
        assert!(
            before.contains(&format!("# TYPE {name} counter\n{name} 0\n")),
            "{name}"
        );
    }
    let ok = r#"zigttp_http_requests_total{code="200"}"#;
    let not_found = r#"zigttp_http_requests_total{code="404"}"#;
    let bad = r#"zigttp_http_requests_total{code="400"}"#;
    let ok_before = sample(&before, ok);
    for _ in 0..3 {
        assert_eq!(get(h.addr(), "/x").status, 200);
    }
    assert_eq!(get(h.addr(), "/missing").status, 404);
    assert_eq!(exchange(h.addr(), b"NOT HTTP\r\n\r\n").status, 400);

    let mut s = connect(h.addr());
    s.write_all(b"GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n")
        .unwrap();
    let reply = read_reply(&mut BufReader::new(&s), false).unwrap();
    assert_eq!(
        reply.header("Content-Type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    let after = reply.text();
    // The scrape before this one counts too.
    assert_eq!(sample(&after, ok), ok_before + 4.0, "{after}");
    assert_eq!(sample(&after, not_found), 1.0);
    assert_eq!(sample(&after, bad), 1.0);
    assert_eq!(
        sample(
            &after,
            r#"zigttp_http_requests_by_class_total{class="4xx"}"#
        ),
        2.0
    );
    // This connection is open while the scrape is rendered.
    assert!(sample(&after, "zigttp_http_active_connections") >= 1.0);
    // The histogram counts the requests that reached the service (not the 400).
    let count = sample(&after, "zigttp_http_request_duration_seconds_count");
    assert_eq!(count, ok_before + 4.0 + 1.0, "{after}");
    assert_eq!(
        sample(
            &after,
            r#"zigttp_http_request_duration_seconds_bucket{le="+Inf"}"#
        ),
        count
    );
    assert!(sample(&after, "zigttp_http_request_duration_seconds_sum") > 0.0);
    drop(s);
    // Closed connections leave the gauge (the close is seen within a tick).
    let deadline = Instant::now() + Duration::from_secs(3);
    while h.metrics.active_connections() > 0 {
        assert!(Instant::now() < deadline, "connections still counted");
        thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn metrics_path_can_move_or_be_turned_off() {
    let h = start_with(
        Limits::default(),
        ReservedPaths {
            metrics_path: Some("/_ops/metrics".into()),
            ..ReservedPaths::default()
        },
    );
    assert!(
        get(h.addr(), "/_ops/metrics")
            .text()
            .contains("zigttp_ready 1\n")
    );
    assert_eq!(get(h.addr(), "/metrics").text(), "GET /metrics\n");
    let off = start_with(
        Limits::default(),
        ReservedPaths {
            metrics_path: None,
            ..ReservedPaths::default()
        },
    );
    assert_eq!(get(off.addr(), "/metrics").text(), "GET /metrics\n");
    assert!(ReservedPaths::check_metrics_path("/healthz").is_err());
    assert!(ReservedPaths::check_metrics_path("/static/m").is_err());
    assert!(ReservedPaths::check_metrics_path("metrics").is_err());
    assert!(ReservedPaths::check_metrics_path("/m?x").is_err());
    assert!(ReservedPaths::check_metrics_path("/m").is_ok());
}

#[test]
fn access_log_has_no_query_header_values_or_bodies() {
    let h = start();
    let secret_request = b"POST /login?password=hunter2&token=QUERYSECRET HTTP/1.1\r\n\
        Host: t\r\nAuthorization: Bearer HEADERSECRET\r\nCookie: session=COOKIESECRET\r\n\
        Content-Length: 10\r\nConnection: close\r\n\r\nBODYSECRET";
    assert_eq!(exchange(h.addr(), secret_request).status, 200);
    assert_eq!(get(h.addr(), "/missing?q=1").status, 404);
    assert_eq!(request(h.addr(), "HEAD", "/x").status, 200);
    assert_eq!(exchange(h.addr(), b"BAD\r\n\r\n").status, 400);
    // The 400 is logged by the worker after the reply is queued; give it a moment.
    let deadline = Instant::now() + Duration::from_secs(3);
    while h.log_text().lines().count() < 4 {
        assert!(Instant::now() < deadline, "log: {}", h.log_text());
        thread::sleep(Duration::from_millis(10));
    }
    let log = h.log_text();
    for secret in [
        "hunter2",
        "QUERYSECRET",
        "HEADERSECRET",
        "COOKIESECRET",
        "BODYSECRET",
        "Bearer",
        "session",
        "?",
    ] {
        assert!(!log.contains(secret), "{secret} leaked into:\n{log}");
    }
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 4, "{log}");
    let find = |needle: &str| {
        lines
            .iter()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle} in\n{log}"))
    };
    assert!(
        find("method=POST").contains(" method=POST path=/login status=200 bytes=12 duration_us="),
        "{log}"
    );
    assert!(find("method=POST").starts_with("ts=20"));
    assert!(find("method=POST").contains(" duration_us="));
    assert!(find("path=/missing").contains(" status=404 bytes=13 "));
    assert!(find("method=HEAD").contains(" path=/x status=200 bytes=0 "));
    assert!(find("status=400").contains(" method=- path=- status=400 bytes=12 "));
}

/// A static root with files, plus a sibling directory it must not leak.
struct Tree {
    base: PathBuf,
}

impl Tree {
    fn new(name: &str) -> Self {
        let base = std::env::temp_dir().join(format!("zigttp-ops-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let root = base.join("public");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::create_dir_all(base.join("outside")).unwrap();
        std::fs::write(root.join("a.css"), "body { color: red }\n").unwrap();
        std::fs::write(root.join("index.html"), "<h1>hi</h1>\n").unwrap();
        std::fs::write(root.join("sub/app.js"), "console.log(1);\n").unwrap();
        std::fs::write(root.join("logo.png"), [0x89, b'P', b'N', b'G']).unwrap();
        std::fs::write(root.join("data.bin"), [0u8, 1, 2]).unwrap();
        std::fs::write(root.join("a b.txt"), "spaced\n").unwrap();
        std::fs::write(root.join(".env"), "HIDDEN=1\n").unwrap();
        std::fs::write(base.join("outside/secret.txt"), "TOPSECRET\n").unwrap();
        std::os::unix::fs::symlink("../outside/secret.txt", root.join("escape.txt")).unwrap();
        std::os::unix::fs::symlink("../outside", root.join("linkdir")).unwrap();
        std::os::unix::fs::symlink("/etc/hostname", root.join("abs.txt")).unwrap();
        std::os::unix::fs::symlink("a.css", root.join("alias.css")).unwrap();
        Self { base }
    }

    fn root(&self) -> PathBuf {
        self.base.join("public")
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.base);
    }
}

fn start_static(root: &Path) -> Harness {
    start_with(
        Limits::default(),
        ReservedPaths {
            static_files: Some(Arc::new(StaticFiles::open(root).unwrap())),
            ..ReservedPaths::default()
        },
    )
}

#[test]
fn static_files_are_served_with_types_and_etags() {
    let tree = Tree::new("serve");
    let h = start_static(&tree.root());
    let css = get(h.addr(), "/static/a.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.text(), "body { color: red }\n");
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert_eq!(css.header("X-Content-Type-Options"), Some("nosniff"));
    assert!(css.header("Last-Modified").is_some());
    let etag = css.header("ETag").expect("ETag").to_owned();
    assert!(etag.starts_with('"') && etag.ends_with('"') && !etag.starts_with("W/"));
    for (path, ty) in [
        ("/static/index.html", "text/html; charset=utf-8"),
        ("/static/sub/app.js", "text/javascript; charset=utf-8"),
        ("/static/logo.png", "image/png"),
        ("/static/data.bin", "application/octet-stream"),
        ("/static/a%20b.txt", "text/plain; charset=utf-8"),
        // A symlink that stays inside the root is fine.
        ("/static/alias.css", "text/css; charset=utf-8"),
    ] {
        let reply = get(h.addr(), path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("Content-Type"), Some(ty), "{path}");
    }
    // The query never names the file.
    let q = get(h.addr(), "/static/a.css?file=../outside/secret.txt");
    assert_eq!(q.text(), "body { color: red }\n");

    // HEAD: the same headers, no body.
    let mut s = connect(h.addr());
    s.write_all(
        b"HEAD /static/a.css HTTP/1.1\r\nHost: t\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\n\r\n",
    )
    .unwrap();
    let mut r = BufReader::new(s);
    let head = read_reply(&mut r, true).unwrap();
    assert_eq!(head.status, 200);
    assert_eq!(head.header("Content-Length"), Some("20"));
    assert_eq!(head.header("ETag"), Some(etag.as_str()));
    // The next response follows at once: the HEAD carried no body.
    assert_eq!(read_reply(&mut r, false).unwrap().text(), "ok\n");

    // If-None-Match.
    let conditional = |tag: &str| {
        exchange(
            h.addr(),
            format!("GET /static/a.css HTTP/1.1\r\nHost: t\r\nIf-None-Match: {tag}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    };
    let not_modified = conditional(&etag);
    assert_eq!(not_modified.status, 304);
    assert!(not_modified.body.is_empty());
    assert_eq!(not_modified.header("ETag"), Some(etag.as_str()));
    assert_eq!(conditional(&format!("\"nope\", W/{etag}")).status, 304);
    assert_eq!(conditional("*").status, 304);
    assert_eq!(conditional("\"nope\"").status, 200);

    // A changed file gets a new tag.
    std::fs::write(tree.path("a.css"), "body { color: blue; }\n").unwrap();
    let changed = get(h.addr(), "/static/a.css");
    assert_ne!(changed.header("ETag"), Some(etag.as_str()));
    assert_eq!(conditional(&etag).status, 200);

    // Only GET and HEAD.
    let post = request(h.addr(), "POST", "/static/a.css");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow"), Some("GET, HEAD"));
    // Missing files, directories.
    for path in [
        "/static/nope.css",
        "/static/sub",
        "/static/sub/",
        "/static/",
        "/static/sub/nope/x",
    ] {
        assert_eq!(get(h.addr(), path).status, 404, "{path}");
    }
    // Without --static the prefix is the handler's.
    let plain = start();
    assert_eq!(
        get(plain.addr(), "/static/a.css").text(),
        "GET /static/a.css\n"
    );
}

#[test]
fn static_traversal_and_symlink_escapes_are_refused() {
    let tree = Tree::new("traversal");
    let h = start_static(&tree.root());
    for (target, expected) in [
        ("/static/../outside/secret.txt", 403),
        ("/static/sub/../../outside/secret.txt", 403),
        ("/static/%2e%2e/outside/secret.txt", 403),
        ("/static/%2E%2E/outside/secret.txt", 403),
        ("/static/.%2e/outside/secret.txt", 403),
        ("/static/..%2foutside%2fsecret.txt", 403),
        ("/static/%2e%2e%2foutside%2fsecret.txt", 403),
        ("/static/sub%2f..%2f..%2foutside%2fsecret.txt", 403),
        ("/static/..%5coutside%5csecret.txt", 403),
        ("/static//etc/passwd", 403),
        ("/static/%2fetc%2fpasswd", 403),
        ("/static/C:/Windows/win.ini", 403),
        ("/static/c:%5cboot.ini", 403),
        ("/static/./a.css", 403),
        ("/static/.env", 403),
        ("/static/a.css%00.png", 400),
        ("/static/%zz", 400),
        // Symlinks whose real path leaves the root.
        ("/static/escape.txt", 403),
        ("/static/linkdir/secret.txt", 403),
        ("/static/abs.txt", 403),
    ] {
        let reply = get(h.addr(), target);
        assert_eq!(reply.status, expected, "{target}");
        assert!(!reply.text().contains("TOPSECRET"), "{target}");
        assert!(!reply.text().contains("HIDDEN"), "{target}");
    }
    // Raw backslashes are refused too (by the request decoder, or here).
    let reply = get(h.addr(), "/static/..\\outside\\secret.txt");
    assert!(matches!(reply.status, 400 | 403), "{}", reply.status);
    assert!(!reply.text().contains("TOPSECRET"));
}

/// Many connections trickle a request head a byte at a time (slowloris);
/// a fresh client is still answered at once, and the tricklers get 408 when
/// the header-read timeout passes.
#[test]
fn slowloris_does_not_starve_a_fresh_client() {
    const ATTACKERS: usize = 400;
    let limits = Limits {
        header_read_timeout: Duration::from_millis(1500),
        ..Limits::default()
    };
    let h = start_with(limits, ReservedPaths::default());
    let addr = h.addr();
    let head = b"GET /slow HTTP/1.1\r\nHost: t\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    let mut attackers: Vec<TcpStream> = (0..ATTACKERS).map(|_| connect(addr)).collect();
    for s in &attackers {
        s.set_nodelay(true).unwrap();
    }
    let started = Instant::now();
    let mut sent = 0;
    let mut worst = Duration::ZERO;
    let mut probes = 0;
    // Trickle for 1 s (under the 1.5 s header timeout), probing as we go.
    while started.elapsed() < Duration::from_secs(1) {
        for s in &mut attackers {
            s.write_all(&head[sent..=sent]).unwrap();
        }
        sent += 1;
        let t = Instant::now();
        let reply = get(addr, "/fresh");
        let took = t.elapsed();
        assert_eq!(reply.text(), "GET /fresh\n");
        worst = worst.max(took);
        probes += 1;
        thread::sleep(Duration::from_millis(40));
    }
    assert!(sent < head.len(), "the heads must stay incomplete");
    eprintln!(
        "slowloris: {ATTACKERS} connections trickling, {probes} fresh requests, slowest {worst:?}"
    );
    assert!(
        worst < Duration::from_millis(500),
        "fresh client waited {worst:?}"
    );
    // Once the header timeout passes, every trickler gets 408 and is closed.
    for s in &mut attackers {
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    }
    for s in attackers {
        let mut r = BufReader::new(s);
        let reply = read_reply(&mut r, false).unwrap();
        assert_eq!(reply.status, 408);
        let mut rest = Vec::new();
        let _ = r.read_to_end(&mut rest);
    }
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(h.metrics.responses_with_status(408), ATTACKERS as u64);
}

/// A call-time policy denial in the VM shows up in
/// `zigttp_policy_denials_total` (the VM's counter, linked into the metrics).
#[test]
fn policy_denials_from_the_vm_reach_the_metrics() {
    use zigts_vm::{ExecLimits, Instance, Policy, Services, SystemHost};
    use zigttp::app::service::{HandlerService, RunPolicy};

    let source = "import { env } from \"zigttp:env\";\n\
        export function handler(req: Request): Response {\n\
          return Response.text(env(req.path.slice(1)) ?? \"unset\");\n\
        }\n";
    let bytes = zigts_compiler::compile("env.ts", source)
        .expect("compiles")
        .bytes;
    let program = zigttp::app::verify_bundle(&bytes).expect("verifies");
    let policy = Policy::from_json(
        r#"{"capabilities": ["env", "policy_check"], "env": {"allow": ["GREETING"]}}"#,
    )
    .expect("policy");
    let instance = Arc::new(
        Instance::load_with(
            program,
            Arc::new(Services::new(policy)),
            &mut SystemHost::default(),
            ExecLimits::default(),
        )
        .expect("loads"),
    );
    let metrics = Arc::new(Metrics::new(1));
    let counters = Arc::clone(&instance);
    assert!(metrics.link_policy_denials(move || counters.services().denials()));
    let config = ServerConfig {
        port: 0,
        workers: 1,
        quiet: true,
        metrics: Some(Arc::clone(&metrics)),
        ..ServerConfig::default()
    };
    let shared = Arc::clone(&metrics);
    let paths = Arc::new(ReservedPaths::default());
    let server = Server::start(config, move |worker| {
        let service = HandlerService::new(Arc::clone(&instance), RunPolicy::default())
            .with_metrics(Arc::clone(&shared), worker);
        Reserved::new(service, Arc::clone(&shared), Arc::clone(&paths))
    })
    .expect("server starts");
    let name = r"zigttp_policy_denials_total";
    assert_eq!(
        sample(&get(server.local_addr(), "/metrics").text(), name),
        0.0
    );
    assert_eq!(get(server.local_addr(), "/GREETING").status, 200);
    let denied = get(server.local_addr(), "/SECRET_KEY");
    assert_eq!(denied.status, 500);
    assert!(
        !denied.text().contains("SECRET_KEY"),
        "production bodies stay generic"
    );
    let text = get(server.local_addr(), "/metrics").text();
    assert_eq!(sample(&text, name), 1.0, "{text}");
    assert!(sample(&text, r#"zigttp_arena_bytes_high_water{worker="0"}"#) > 0.0);
}
