//! The `zigttp` binary: test runner, exec, serve and run over a real
//! socket, and refusal of bad input.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_zigttp")
}

fn scratch(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("zigttp-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write scratch");
    path.to_string_lossy().into_owned()
}

const HANDLER: &[u8] = b"export function handler(req: Request): Response {\n  if (req.path === \"/boom\") {\n    const o: any = undefined;\n  }\n  return Response.json({ path: req.path });\n}\n";
const GOOD: &[u8] = b"export function handler(req: Request): Response {\n  if (req.path === \"/boom\") {\n    const parts = req.path.split(\"/\");\n    return Response.text(parts[5].length);\n  }\n  return Response.json({ path: req.path }, { status: 201 });\n}\n";

#[test]
fn test_command_reports_pass_and_fail() {
    let h = scratch("h.ts", GOOD);
    let cases = scratch(
        "h.test.jsonl",
        br#"{"type":"test","name":"ok"}
{"type":"request","method":"GET","url":"/a","headers":{},"body":null}
{"type":"expect","status":201,"body":"{\"path\":\"/a\"}"}
{"type":"test","name":"fails"}
{"type":"request","method":"GET","url":"/b","headers":{},"body":null}
{"type":"expect","status":200}
"#,
    );
    let out = Command::new(bin())
        .args(["test", &h, &cases])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("PASS  ok"), "{stdout}");
    assert!(stdout.contains("FAIL  fails"), "{stdout}");
    assert!(
        stdout.contains("expected status: 200, actual status: 201"),
        "{stdout}"
    );
    assert!(
        stdout.trim_end().ends_with("Results: 1 passed, 1 failed"),
        "{stdout}"
    );
}

#[test]
fn exec_prints_console_output() {
    let f = scratch("e.ts", b"function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nconsole.log(\"fib\", fib(15), [1, 2], { a: 1 });\n");
    let out = Command::new(bin())
        .args(["exec", &f])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "fib 610 [1,2] {\"a\":1}\n"
    );
}

#[test]
fn bad_inputs_fail_cleanly() {
    let garbage = scratch("g.zbc", &[0u8, 1, 2, 3, 0xff, 0xfe]);
    let empty = scratch("empty.zbc", b"");
    let bad_src = scratch("bad.ts", HANDLER);
    let bad_cases = scratch("bad.jsonl", b"{\"type\":\"test\"}\nnot json\n");
    let ok_src = scratch("ok.ts", GOOD);
    for args in [
        vec!["run", garbage.as_str()],
        vec!["run", empty.as_str()],
        vec!["run", "/nonexistent.zbc"],
        vec!["serve", bad_src.as_str()],
        vec!["test", ok_src.as_str(), bad_cases.as_str()],
        vec!["exec", garbage.as_str()],
    ] {
        let out = Command::new(bin()).args(&args).output().expect("run");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        assert!(!err.trim().is_empty(), "{args:?} gave no explanation");
    }
}

fn get(port: u16, path: &str) -> String {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("read");
    out
}

fn spawn(args: &[&str]) -> (std::process::Child, u16) {
    let mut child = Command::new(bin())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("listening line");
    let port = line
        .trim()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("bad line {line:?}"));
    (child, port)
}

fn stop(mut child: std::process::Child) {
    // SIGTERM: a clean shutdown exits 0.
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let status = child.wait().expect("wait");
    assert!(status.success(), "server exit status {status:?}");
}

#[test]
fn serve_shows_fault_details_and_run_hides_them() {
    let src = scratch("s.ts", GOOD);
    let (child, port) = spawn(&["serve", &src, "--port", "0", "--workers", "1", "--quiet"]);
    let ok = get(port, "/x");
    assert!(ok.starts_with("HTTP/1.1 201"), "{ok}");
    assert!(ok.ends_with("{\"path\":\"/x\"}"), "{ok}");
    let boom = get(port, "/boom");
    assert!(boom.starts_with("HTTP/1.1 500"), "{boom}");
    assert!(
        boom.contains("TypeError"),
        "development body shows the fault: {boom}"
    );
    assert!(
        boom.contains("s.ts:4:"),
        "development body shows the position: {boom}"
    );
    stop(child);

    let bundle = scratch(
        "s.zbc",
        &zigts_compiler::compile("s.ts", std::str::from_utf8(GOOD).unwrap())
            .expect("compiles")
            .bytes,
    );
    let (child, port) = spawn(&["run", &bundle, "--port", "0", "--workers", "1", "--quiet"]);
    let boom = get(port, "/boom");
    assert!(boom.starts_with("HTTP/1.1 500"), "{boom}");
    assert!(
        !boom.contains("TypeError"),
        "production body hides the fault: {boom}"
    );
    stop(child);
}

#[test]
fn a_policy_that_grants_too_little_refuses_to_start_naming_each_excess() {
    let src = scratch(
        "p.ts",
        b"import { env } from \"zigttp:env\";\nexport function handler(req: Request): Response { return Response.text(env(\"API_KEY\") ?? \"none\"); }\n",
    );
    let policy = scratch(
        "policy.json",
        br#"{"capabilities":["env"],"env":{"allow":["OTHER"]}}"#,
    );
    let out = Command::new(bin())
        .args(["serve", &src, "--port", "0", "--policy", &policy])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("capability 'policy_check' is not granted"),
        "{err}"
    );
    assert!(err.contains("env 'API_KEY' is not allowed"), "{err}");
    let bad = scratch("bad.json", br#"{"capabilities":["env"],"envv":{}}"#);
    let out = Command::new(bin())
        .args(["serve", &src, "--port", "0", "--policy", &bad])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown field"));
}

#[test]
fn instances_of_stateful_handlers_are_recycled() {
    let src = scratch(
        "r.ts",
        b"export function handler(req: Request): Response { return Response.json({ t: Date.now() > 0 }); }\n",
    );
    let (child, port) = spawn(&[
        "serve",
        &src,
        "--port",
        "0",
        "--workers",
        "1",
        "--quiet",
        "--recycle-every",
        "2",
    ]);
    for _ in 0..5 {
        assert!(get(port, "/").starts_with("HTTP/1.1 200"));
    }
    let metrics = get(port, "/metrics");
    let line = metrics
        .lines()
        .find(|l| l.starts_with("zigttp_instance_recycles_total"))
        .expect("metric");
    let n: u64 = line
        .rsplit(' ')
        .next()
        .and_then(|v| v.parse().ok())
        .expect("number");
    assert!(n >= 2, "{line}");
    stop(child);
}
