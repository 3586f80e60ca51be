//! The `zigttp` binary's operational flags over real loopback sockets: HTTP
//! limit flags reach the server, `--help` lists them with their defaults,
//! metrics and the access log (captured from the child's stderr), static
//! files, and the SIGTERM drain.

mod support;

use std::io::{BufReader, ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use support::{connect, exchange, get, read_reply, sample};

const HANDLER: &str = "export function handler(req: Request): Response {\n  return Response.json({ path: req.path, method: req.method });\n}\n";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_zigttp")
}

fn scratch_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zigttp-ops-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn handler_file(name: &str) -> String {
    let path = scratch_dir(name).join("h.ts");
    std::fs::write(&path, HANDLER).unwrap();
    path.to_string_lossy().into_owned()
}

/// Starts `zigttp serve HANDLER --port 0 ARGS...` and returns it with its address.
fn spawn(handler: &str, args: &[&str]) -> (Child, SocketAddr) {
    let mut child = Command::new(bin())
        .args(["serve", handler, "--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let (line, port) = support::listening_line(&mut child);
    let port = port.unwrap_or_else(|| panic!("bad listening line {line:?}"));
    (child, SocketAddr::from(([127, 0, 0, 1], port)))
}

fn sigterm(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// SIGTERM, then the exit status and everything the child wrote to stderr.
fn stop(mut child: Child) -> String {
    sigterm(&child);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "exit {status:?}, stderr:\n{err}");
    err
}

#[test]
fn help_lists_every_limit_flag_with_its_default() {
    let out = Command::new(bin())
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for (flag, default) in [
        ("--max-body <BYTES>", "[default: 1048576]"),
        ("--max-head <BYTES>", "[default: 16384]"),
        ("--max-headers <N>", "[default: 64]"),
        ("--max-url <BYTES>", "[default: 8192]"),
        ("--header-timeout-ms <MS>", "[default: 10000]"),
        ("--body-timeout-ms <MS>", "[default: 30000]"),
        ("--idle-timeout-ms <MS>", "[default: 5000]"),
        ("--write-timeout-ms <MS>", "[default: 30000]"),
        ("--max-connections <N>", "[default: 10000]"),
        ("--max-requests-per-connection <N>", "[default: 10000]"),
        ("--drain-timeout-ms <MS>", "[default: 10000]"),
        ("--metrics-path <PATH>", "[default: /metrics]"),
    ] {
        let line = help
            .lines()
            .position(|l| l.trim_start().starts_with(flag))
            .unwrap_or_else(|| panic!("{flag} missing from\n{help}"));
        // The default is on the flag's line or the lines of its description.
        let text: String = help.lines().skip(line).take(4).collect();
        assert!(text.contains(default), "{flag}: no {default} in\n{help}");
    }
    for flag in [
        "--static <DIR>",
        "--no-metrics",
        "--access-log <WHERE>",
        "--quiet",
    ] {
        assert!(help.contains(flag), "{flag} missing from\n{help}");
    }
}

#[test]
fn bad_flag_values_are_refused() {
    let h = handler_file("bad-flags");
    for (args, code) in [
        (vec!["--max-headers", "500"], 2),
        (vec!["--max-body", "0"], 2),
        (vec!["--max-body", "12x"], 2),
        (vec!["--header-timeout-ms", "0"], 2),
        (vec!["--access-log", "file"], 2),
        (vec!["--metrics-path", "/healthz"], 1),
        (vec!["--metrics-path", "metrics"], 1),
        (vec!["--static", "/nonexistent/zigttp-static"], 1),
    ] {
        let out = Command::new(bin())
            .args(["serve", &h, "--port", "0"])
            .args(&args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(!err.trim().is_empty(), "{args:?}");
    }
}

#[test]
fn limit_flags_reach_the_server() {
    let h = handler_file("limits");
    let (child, addr) = spawn(
        &h,
        &[
            "--workers",
            "1",
            "--quiet",
            "--max-url",
            "64",
            "--max-body",
            "16",
            "--max-headers",
            "4",
            "--max-head",
            "1k",
            "--header-timeout-ms",
            "300",
            "--idle-timeout-ms",
            "400",
            "--max-requests-per-connection",
            "2",
            "--max-connections",
            "3",
            "--no-metrics",
        ],
    );
    let long = format!("/{}", "a".repeat(80));
    assert_eq!(get(addr, &long).status, 414);
    let body = exchange(
        addr,
        b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 17\r\n\r\n01234567890123456",
    );
    assert_eq!(body.status, 413);
    let fits = exchange(
        addr,
        b"POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 16\r\nConnection: close\r\n\r\n0123456789012345",
    );
    assert_eq!(fits.status, 200);
    let many = exchange(
        addr,
        b"GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n",
    );
    assert_eq!(many.status, 431);
    let big_head = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "b".repeat(1100));
    assert_eq!(exchange(addr, big_head.as_bytes()).status, 431);
    // --no-metrics: the path is the handler's.
    assert_eq!(
        get(addr, "/metrics").text(),
        r#"{"path":"/metrics","method":"GET"}"#
    );

    // Header-read timeout: 408 after about 300 ms.
    let mut s = connect(addr);
    let t = Instant::now();
    s.write_all(b"GET / HTTP/1.1\r\nHost: t\r\n").unwrap();
    let reply = read_reply(&mut BufReader::new(&s), false).unwrap();
    assert_eq!(reply.status, 408);
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());

    // Two requests per connection, the second says close; then idle close.
    let mut s = connect(addr);
    let mut r = BufReader::new(s.try_clone().unwrap());
    s.write_all(b"GET /1 HTTP/1.1\r\nHost: t\r\n\r\n").unwrap();
    assert_eq!(
        read_reply(&mut r, false).unwrap().header("Connection"),
        Some("keep-alive")
    );
    s.write_all(b"GET /2 HTTP/1.1\r\nHost: t\r\n\r\n").unwrap();
    assert_eq!(
        read_reply(&mut r, false).unwrap().header("Connection"),
        Some("close")
    );
    let idle = connect(addr);
    let t = Instant::now();
    let mut rest = Vec::new();
    let _ = (&idle).read_to_end(&mut rest);
    assert!(rest.is_empty());
    let idle_for = t.elapsed();
    assert!(
        idle_for >= Duration::from_millis(300) && idle_for < Duration::from_secs(2),
        "idle connection closed after {idle_for:?}"
    );

    // At most 3 connections on the single worker: a 4th is closed unanswered.
    let held: Vec<TcpStream> = (0..3).map(|_| connect(addr)).collect();
    thread::sleep(Duration::from_millis(50));
    let mut extra = connect(addr);
    let _ = extra.write_all(b"GET / HTTP/1.1\r\nHost: t\r\n\r\n");
    let mut got = Vec::new();
    match extra.read_to_end(&mut got) {
        Ok(_) => assert!(got.is_empty(), "{}", String::from_utf8_lossy(&got)),
        Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionReset),
    }
    drop(held);
    stop(child);
}

#[test]
fn metrics_access_log_and_static_files_from_the_binary() {
    let h = handler_file("metrics");
    let dir = scratch_dir("metrics-static");
    std::fs::write(dir.join("a.css"), "p{}\n").unwrap();
    let (child, addr) = spawn(
        &h,
        &[
            "--workers",
            "2",
            "--metrics-path",
            "/_ops/metrics",
            "--static",
            dir.to_str().unwrap(),
        ],
    );
    let secret = exchange(
        addr,
        b"GET /users/7?api_key=QUERYSECRET HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer HEADERSECRET\r\n\
          Cookie: sid=COOKIESECRET\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(secret.text(), r#"{"path":"/users/7","method":"GET"}"#);
    let css = get(addr, "/static/a.css");
    assert_eq!((css.status, css.text().as_str()), (200, "p{}\n"));
    assert_eq!(get(addr, "/static/../h.ts").status, 403);
    assert_eq!(get(addr, "/healthz").text(), "ok\n");
    assert_eq!(get(addr, "/readyz").text(), "ready\n");
    assert_eq!(
        get(addr, "/metrics").text(),
        r#"{"path":"/metrics","method":"GET"}"#
    );
    let metrics = get(addr, "/_ops/metrics").text();
    // Handler requests ran in a worker's arena: its high-water mark is set.
    let arena: f64 = (0..2)
        .map(|w| {
            sample(
                &metrics,
                &format!("zigttp_arena_bytes_high_water{{worker=\"{w}\"}}"),
            )
        })
        .sum();
    assert!(arena > 0.0, "{metrics}");
    assert!(sample(&metrics, r#"zigttp_http_requests_total{code="200"}"#) >= 5.0);
    assert_eq!(
        sample(&metrics, r#"zigttp_http_requests_total{code="403"}"#),
        1.0
    );
    assert_eq!(sample(&metrics, "zigttp_arena_audit_failures_total"), 0.0);
    assert_eq!(sample(&metrics, "zigttp_ready"), 1.0);

    let err = stop(child);
    for leaked in [
        "QUERYSECRET",
        "HEADERSECRET",
        "COOKIESECRET",
        "Bearer",
        "api_key",
    ] {
        assert!(!err.contains(leaked), "{leaked} in stderr:\n{err}");
    }
    let access: Vec<&str> = err.lines().filter(|l| l.starts_with("ts=")).collect();
    assert_eq!(access.len(), 7, "{err}");
    assert!(
        access[0].contains(" method=GET path=/users/7 status=200 bytes=34 duration_us="),
        "{err}"
    );
    assert!(
        access
            .iter()
            .any(|l| l.contains(" path=/static/a.css status=200 bytes=4 ")),
        "{err}"
    );
    assert!(
        access
            .iter()
            .any(|l| l.contains(" path=/static/../h.ts status=403 ")),
        "{err}"
    );
    assert!(err.contains("zigttp: metrics at /_ops/metrics"), "{err}");
    assert!(err.contains("zigttp: draining"), "{err}");

    // --quiet turns the access log off; --access-log stderr turns it back on.
    let (child, addr) = spawn(&h, &["--workers", "1", "--quiet"]);
    get(addr, "/q");
    let err = stop(child);
    assert!(!err.contains("ts="), "{err}");
    let (child, addr) = spawn(&h, &["--workers", "1", "--quiet", "--access-log", "stderr"]);
    get(addr, "/q");
    let err = stop(child);
    assert!(err.contains(" method=GET path=/q status=200 "), "{err}");
}

/// SIGTERM: the listener closes at once, a request in flight is still
/// answered, and the process exits 0 once the drain timeout passes even
/// though another client never finishes its request.
#[test]
fn sigterm_drains_and_exits_zero_within_the_deadline() {
    let h = handler_file("drain");
    let (mut child, addr) = spawn(&h, &["--workers", "2", "--drain-timeout-ms", "800"]);
    let mut finishing = connect(addr);
    finishing
        .write_all(b"GET /in-flight HTTP/1.1\r\nHost: t\r\n")
        .unwrap();
    let mut stalled = connect(addr);
    stalled.write_all(b"GET /never HTTP/1.1\r\n").unwrap();
    let keep_alive = connect(addr);
    thread::sleep(Duration::from_millis(100));
    let signalled = Instant::now();
    sigterm(&child);
    // New connections are refused once the workers have closed the listener.
    let deadline = Instant::now() + Duration::from_secs(2);
    while TcpStream::connect(addr).is_ok() {
        assert!(Instant::now() < deadline, "still accepting after SIGTERM");
        thread::sleep(Duration::from_millis(20));
    }
    // The idle keep-alive connection is closed.
    let mut rest = Vec::new();
    let _ = (&keep_alive).read_to_end(&mut rest);
    assert!(rest.is_empty());
    // The request in flight completes and is answered with close.
    finishing.write_all(b"\r\n").unwrap();
    let reply = read_reply(&mut BufReader::new(&finishing), false).unwrap();
    assert_eq!(reply.text(), r#"{"path":"/in-flight","method":"GET"}"#);
    assert_eq!(reply.header("Connection"), Some("close"));
    // The stalled one holds the drain until its deadline; then exit 0.
    let status = child.wait().unwrap();
    let took = signalled.elapsed();
    assert!(status.success(), "{status:?}");
    assert!(
        took >= Duration::from_millis(700) && took < Duration::from_secs(3),
        "exited {took:?} after SIGTERM"
    );
    let mut rest = Vec::new();
    let _ = stalled.read_to_end(&mut rest);
    assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
}
