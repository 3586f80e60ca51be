//! Signed deploy artifacts end to end (DESIGN section 8): `zigttp keygen`,
//! `build`, `sign`, running a deploy binary and `run --attestation`, the
//! well-known document, and `zigttp verify` against genuine, forged and
//! missing attestations. Every tampering must be refused with a clear
//! message and a non-zero exit.

mod support;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use support::{exchange, get, request};

const WELL_KNOWN: &str = "/.well-known/zigttp-attest";

const HANDLER: &str = r#"import { env } from "zigttp:env";
export function handler(req: Request): Response {
  return match (req.path) {
    when "/env": Response.text(env("GREETING") ?? "unset")
    default: Response.json({ path: req.path })
  };
}
"#;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_zigttp")
}

/// A fresh directory per test.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("zigttp-deploy-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn zigttp(args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .expect("run zigttp")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Writes a key and returns its path and fingerprint.
fn keygen(d: &Path, name: &str) -> (PathBuf, String) {
    let key = d.join(name);
    let o = zigttp(&["keygen", "--out", s(&key)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let fp = out
        .lines()
        .find_map(|l| l.strip_prefix("key fingerprint "))
        .expect("fingerprint line")
        .to_owned();
    (key, fp)
}

fn write(d: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = d.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn compile(d: &Path) -> PathBuf {
    let bytes = zigts_compiler::compile("handler.ts", HANDLER)
        .expect("compiles")
        .bytes;
    write(d, "handler.zbc", &bytes)
}

/// Starts a server (a deploy binary or `zigttp ...`) on a free port and
/// reads the port from its listening line.
fn spawn(program: &Path, args: &[&str]) -> (Child, SocketAddr) {
    let mut child = Command::new(program)
        .args(args)
        .args(["--port", "0", "--workers", "1", "--quiet"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let (line, port) = support::listening_line(&mut child);
    let Some(port) = port else {
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        panic!("no listening line: {line:?}; stderr: {err}");
    };
    (child, SocketAddr::from(([127, 0, 0, 1], port)))
}

fn stop(mut child: Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    assert!(child.wait().unwrap().success());
}

/// A process that must refuse to start: its exit is non-zero and its
/// stderr holds `needle`.
fn refuses(program: &Path, args: &[&str], needle: &str) {
    let o = Command::new(program)
        .args(args)
        .args(["--port", "0", "--quiet"])
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(!o.status.success(), "started: {err}");
    assert!(err.contains(needle), "expected {needle:?} in: {err}");
}

fn verify(url: &str, extra: &[&str]) -> Output {
    let mut args = vec!["verify", url, "--timeout-ms", "3000"];
    args.extend_from_slice(extra);
    zigttp(&args)
}

/// The sections of a deploy binary's payload: (kind, start, len) in file offsets.
fn sections(file: &[u8]) -> (usize, Vec<(u8, usize, usize)>) {
    let t = &file[file.len() - 32..];
    let offset = u64::from_le_bytes(t[0..8].try_into().unwrap()) as usize;
    let count = u16::from_le_bytes([file[offset], file[offset + 1]]);
    let mut at = offset + 2;
    let mut out = Vec::new();
    for _ in 0..count {
        let kind = file[at];
        let len = u32::from_le_bytes(file[at + 1..at + 5].try_into().unwrap()) as usize;
        out.push((kind, at + 5, len));
        at += 5 + len;
    }
    (offset, out)
}

/// Rewrites the trailer's CRC-32 after a payload edit.
fn recompute_crc(file: &mut [u8]) {
    let (offset, _) = sections(file);
    let end = file.len() - 32;
    let crc = crc32fast::hash(&file[offset..end]);
    file[end + 20..end + 24].copy_from_slice(&crc.to_le_bytes());
}

fn tampered(d: &Path, name: &str, file: &[u8], edit: impl FnOnce(&mut Vec<u8>)) -> PathBuf {
    let mut bytes = file.to_vec();
    edit(&mut bytes);
    let p = write(d, name, &bytes);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

#[test]
fn build_start_verify_and_pin() {
    let d = dir("build");
    let (key, fp) = keygen(&d, "attest.key");
    assert_eq!(
        std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let bundle = compile(&d);
    let app = d.join("app");
    let o = zigttp(&["build", s(&bundle), "-o", s(&app), "--key", s(&key)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        std::fs::metadata(&app).unwrap().permissions().mode() & 0o777,
        0o755
    );

    let (child, addr) = spawn(&app, &[]);
    let url = format!("http://{addr}");
    let reply = get(addr, "/x");
    assert_eq!(reply.text(), r#"{"path":"/x"}"#);
    let jws = reply.header("Zigttp-Attest").expect("attestation header");
    assert_eq!(jws.split('.').count(), 3);
    // The derived least policy is embedded: the env name is granted.
    assert_eq!(get(addr, "/env").status, 200);

    let doc = get(addr, WELL_KNOWN);
    assert_eq!(doc.status, 200);
    assert_eq!(doc.header("Content-Type"), Some("application/json"));
    let etag = doc.header("ETag").unwrap().to_owned();
    let parsed: serde_json::Value = serde_json::from_slice(&doc.body).unwrap();
    assert_eq!(parsed["attest"], jws);
    assert_eq!(parsed["publicKey"]["kid"], fp.as_str());
    assert_eq!(parsed["contract"]["env"]["literal"][0], "GREETING");
    let revalidate = exchange(
        addr,
        format!("GET {WELL_KNOWN} HTTP/1.1\r\nHost: t\r\nIf-None-Match: {etag}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    );
    assert_eq!(revalidate.status, 304);
    assert_eq!(request(addr, "POST", WELL_KNOWN).status, 405);

    let ok = verify(&url, &[]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).contains(&fp), "{}", stdout(&ok));
    let pinned = verify(&url, &["--trust-key", &fp.to_uppercase(), "--json"]);
    assert_eq!(pinned.status.code(), Some(0), "{}", stderr(&pinned));
    let report: serde_json::Value = serde_json::from_str(&stdout(&pinned)).unwrap();
    assert_eq!(report["keyFingerprint"], fp.as_str());
    assert_eq!(report["claims"]["v"], "zigttp-attest-v1");

    let (_, other) = keygen(&d, "other.key");
    let mismatch = verify(&url, &["--trust-key", &other]);
    assert_eq!(mismatch.status.code(), Some(6), "{}", stderr(&mismatch));
    assert!(stderr(&mismatch).contains("not the trusted key"));
    assert_eq!(verify(&url, &["--trust-key", "abc"]).status.code(), Some(2));
    stop(child);

    // The binary itself can be pinned too.
    refuses(&app, &["--trust-key", &other], "not the trusted key");
    let (child, _) = spawn(&app, &["--trust-key", &fp]);
    stop(child);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn tampered_binaries_are_refused_at_start() {
    let d = dir("tamper");
    let (key, _) = keygen(&d, "attest.key");
    let bundle = compile(&d);
    let policy = write(
        &d,
        "policy.json",
        br#"{"capabilities":["env","policy_check"],"env":{"allow":["GREETING"]}}"#,
    );
    let app = d.join("app");
    let o = zigttp(&[
        "build",
        s(&bundle),
        "-o",
        s(&app),
        "--key",
        s(&key),
        "--policy",
        s(&policy),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = std::fs::read(&app).unwrap();
    let (_, secs) = sections(&file);
    let find = |kind: u8| secs.iter().find(|s| s.0 == kind).copied().unwrap();
    let (_, bundle_at, bundle_len) = find(1);
    let (_, policy_at, policy_len) = find(4);
    let (_, jws_at, _) = find(6);

    // A flipped payload byte without a new CRC: corruption.
    let flipped = tampered(&d, "flipped", &file, |f| f[bundle_at + 40] ^= 1);
    refuses(&flipped, &[], "CRC-32");
    // A damaged trailer.
    let trailer = tampered(&d, "trailer", &file, |f| {
        let n = f.len();
        f[n - 16] = 9; // version
    });
    refuses(&trailer, &[], "version 9");
    // A flipped bundle byte with the CRC recomputed: the signed hash catches it.
    let bundle_flip = tampered(&d, "bundle-flip", &file, |f| {
        f[bundle_at + bundle_len / 2] ^= 0x20;
        recompute_crc(f);
    });
    refuses(&bundle_flip, &[], "bytecodeSha256");
    // A policy widened by one letter, CRC recomputed.
    let text = String::from_utf8(file[policy_at..policy_at + policy_len].to_vec()).unwrap();
    assert!(text.contains("GREETING"));
    let policy_edit = tampered(&d, "policy-edit", &file, |f| {
        let i = policy_at + text.find("GREETING").unwrap();
        f[i] = b'X';
        recompute_crc(f);
    });
    refuses(&policy_edit, &[], "policySha256");
    // A signature byte changed, CRC recomputed.
    let sig = tampered(&d, "sig", &file, |f| {
        let i = jws_at + file[jws_at..].iter().rposition(|&b| b == b'.').unwrap() + 3;
        f[i] = if f[i] == b'A' { b'B' } else { b'A' };
        recompute_crc(f);
    });
    refuses(&sig, &[], "signature");
    // The genuine binary still starts.
    let (child, addr) = spawn(&app, &[]);
    assert_eq!(get(addr, "/env").status, 200);
    stop(child);
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn key_files_anyone_else_can_read_are_refused() {
    let d = dir("keymode");
    let (key, _) = keygen(&d, "attest.key");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let bundle = compile(&d);
    let o = zigttp(&[
        "build",
        s(&bundle),
        "-o",
        s(&d.join("app")),
        "--key",
        s(&key),
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("mode is 0644"), "{}", stderr(&o));
    assert!(!d.join("app").exists());
    let o = zigttp(&[
        "sign",
        s(&bundle),
        "-o",
        s(&d.join("x.jws")),
        "--key",
        s(&key),
    ]);
    assert!(stderr(&o).contains("mode is 0644"), "{}", stderr(&o));
    // keygen never overwrites without --force.
    let again = zigttp(&["keygen", "--out", s(&key)]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("already exists"));
    // A policy that does not cover the contract is not signed.
    let narrow = write(&d, "narrow.json", br#"{"capabilities":[]}"#);
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600)).unwrap();
    let o = zigttp(&[
        "build",
        s(&bundle),
        "-o",
        s(&d.join("app")),
        "--key",
        s(&key),
        "--policy",
        s(&narrow),
    ]);
    assert!(stderr(&o).contains("refusing to sign"), "{}", stderr(&o));
    std::fs::remove_dir_all(&d).unwrap();
}

/// Serves `body` with `status` to each connection, forever (a fake service).
fn fake_service(status: u16, body: Vec<u8>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    addr
}

fn edit_claims(jws: &str, edit: impl FnOnce(String) -> String) -> String {
    let parts: Vec<&str> = jws.split('.').collect();
    let claims = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(edit(claims)),
        parts[2]
    )
}

#[test]
fn run_with_attestation_and_verify_refusals() {
    let d = dir("run");
    let (key, fp) = keygen(&d, "attest.key");
    let bundle = compile(&d);
    let jws = d.join("handler.jws");
    let o = zigttp(&["sign", s(&bundle), "-o", s(&jws), "--key", s(&key)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let zigttp_bin = PathBuf::from(bin());

    // The genuine document from `run --attestation`.
    let (child, addr) = spawn(&zigttp_bin, &["run", s(&bundle), "--attestation", s(&jws)]);
    let doc = get(addr, WELL_KNOWN).body;
    assert_eq!(
        verify(&format!("http://{addr}"), &["--trust-key", &fp])
            .status
            .code(),
        Some(0)
    );
    stop(child);

    // Another policy than the one signed, or another bundle: refused.
    let policy = write(
        &d,
        "policy.json",
        br#"{"capabilities":["env","policy_check"],"env":{"allow":["GREETING","OTHER"]}}"#,
    );
    refuses(
        &zigttp_bin,
        &[
            "run",
            s(&bundle),
            "--attestation",
            s(&jws),
            "--policy",
            s(&policy),
        ],
        "policySha256",
    );
    let other = zigts_compiler::compile(
        "h.ts",
        "export function handler(req: Request): Response { return Response.text(\"other\"); }\n",
    )
    .unwrap()
    .bytes;
    let other = write(&d, "other.zbc", &other);
    refuses(
        &zigttp_bin,
        &["run", s(&other), "--attestation", s(&jws)],
        "bytecodeSha256",
    );
    refuses(
        &zigttp_bin,
        &["run", s(&bundle), "--trust-key", &fp],
        "--attestation",
    );

    // verify against forged and broken documents.
    let text = String::from_utf8(doc.clone()).unwrap();
    let genuine: serde_json::Value = serde_json::from_str(&text).unwrap();
    let genuine_jws = genuine["attest"].as_str().unwrap();
    let code = |status: u16, body: &str| {
        let addr = fake_service(status, body.as_bytes().to_vec());
        let o = verify(&format!("http://{addr}"), &[]);
        (o.status.code(), stderr(&o))
    };
    assert_eq!(code(200, &text).0, Some(0));
    // An altered claim: the signature no longer verifies.
    let forged = edit_claims(genuine_jws, |c| {
        c.replace("\"routesCount\":", "\"routesCount\":7")
    });
    assert_ne!(forged, genuine_jws);
    let (c, err) = code(200, &text.replace(genuine_jws, &forged));
    assert_eq!(c, Some(5), "{err}");
    assert!(err.contains("signature"), "{err}");
    // A contract that is not the one signed.
    let (c, err) = code(200, &text.replace("GREETING", "GREETINX"));
    assert_eq!(c, Some(5), "{err}");
    assert!(err.contains("contractSha256"), "{err}");
    // Not JSON, or no attestation at all.
    assert_eq!(code(200, "<html>").0, Some(4));
    assert_eq!(code(404, "not attested").0, Some(4));
    assert_eq!(code(500, "oops").0, Some(3));
    // Nobody listening; a URL we cannot fetch.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    assert_eq!(
        verify(&format!("http://{closed}"), &[]).status.code(),
        Some(3)
    );
    assert_eq!(verify("https://example.com", &[]).status.code(), Some(2));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn a_handler_cannot_claim_an_attestation() {
    let d = dir("claim");
    let src = write(
        &d,
        "h.ts",
        b"export function handler(req: Request): Response {\n  return Response.json({ v: \"zigttp-attest-v1\" }, { headers: { \"Zigttp-Attest\": \"forged\" } });\n}\n",
    );
    let (child, addr) = spawn(&PathBuf::from(bin()), &["serve", s(&src)]);
    let reply = get(addr, "/");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("Zigttp-Attest"), None);
    let doc = get(addr, WELL_KNOWN);
    assert_eq!(doc.status, 404);
    assert_eq!(
        verify(&format!("http://{addr}"), &[]).status.code(),
        Some(4)
    );
    stop(child);
    std::fs::remove_dir_all(&d).unwrap();
}
