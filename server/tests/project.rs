//! Projects end to end, over real processes and loopback sockets:
//! `zigttp init` + `zigttp test` + `zigttp build` + running the binary;
//! `serve` reading `zigttp.json`; `serve --watch` swapping good versions
//! and keeping the old one on errors; `zigttp types`.

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;
use support::{Reply, get};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_zigttp")
}

/// A fresh, empty directory per test.
fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("zigttp-project-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs `zigttp ARGS` in `cwd`.
fn zigttp(cwd: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(cwd)
        .env_remove("XDG_CONFIG_HOME")
        .output()
        .expect("run zigttp")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `zigttp init NAME` in `parent`; returns the project directory.
fn init(parent: &Path, name: &str) -> PathBuf {
    let o = zigttp(parent, &["init", name]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("created"), "{}", text(&o.stdout));
    parent.join(name)
}

/// A server process, its port, and its stderr lines as they come.
struct Server {
    child: Child,
    port: u16,
    stderr: Receiver<String>,
}

impl Server {
    fn spawn(program: &Path, cwd: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(program)
            .args(args)
            .args(["--port", "0", "--workers", "1", "--access-log", "off"])
            .current_dir(cwd)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let (tx, stderr) = channel();
        let err = child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let (line, port) = support::listening_line(&mut child);
        let Some(port) = port else {
            let _ = child.kill();
            let err: Vec<String> = stderr.try_iter().collect();
            panic!("no listening line: {line:?}; stderr: {err:?}");
        };
        Server {
            child,
            port,
            stderr,
        }
    }

    fn get(&self, path: &str) -> Reply {
        get(([127, 0, 0, 1], self.port).into(), path)
    }

    /// The body of `GET path`.
    fn body(&self, path: &str) -> String {
        self.get(path).text()
    }

    /// Waits for a stderr line containing `needle`; returns the lines read.
    fn wait_for(&self, needle: &str) -> Vec<String> {
        let mut seen = Vec::new();
        loop {
            match self.stderr.recv_timeout(Duration::from_mins(1)) {
                Ok(line) => {
                    let hit = line.contains(needle);
                    seen.push(line);
                    if hit {
                        return seen;
                    }
                }
                Err(e) => panic!("no stderr line with {needle:?} ({e}); saw {seen:?}"),
            }
        }
    }

    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        assert!(self.child.wait().unwrap().success());
    }
}

/// A test that fails midway must not leave its server running.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn init_then_test_then_build_then_run_the_binary() {
    let d = dir("e2e");
    let project = init(&d, "hello");
    for f in [
        "zigttp.json",
        "handler.ts",
        "handler.test.jsonl",
        "policy.json",
        "public/index.html",
        "zigttp.d.ts",
        "tsconfig.json",
    ] {
        assert!(project.join(f).is_file(), "{f}");
    }

    let o = zigttp(&project, &["test"]);
    let out = text(&o.stdout);
    assert!(o.status.success(), "{out}{}", text(&o.stderr));
    assert!(out.contains("Results: 4 passed, 0 failed"), "{out}");
    let o = zigttp(&project, &["test", "--quiet"]);
    assert_eq!(text(&o.stdout), "Results: 4 passed, 0 failed\n");
    std::fs::write(
        project.join("more.test.jsonl"),
        "{\"type\":\"test\",\"name\":\"ok\"}\n{\"type\":\"request\",\"url\":\"/health\"}\n{\"type\":\"expect\",\"status\":200}\n{\"type\":\"test\",\"name\":\"bad\"}\n{\"type\":\"request\",\"url\":\"/\"}\n{\"type\":\"expect\",\"status\":418}\n",
    )
    .unwrap();
    let o = zigttp(&project, &["test", "-q", "handler.ts", "more.test.jsonl"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stdout),
        "  FAIL  bad\n        expected status: 418, actual status: 200\nResults: 1 passed, 1 failed\n"
    );

    let key = d.join("attest.key");
    let o = zigttp(&d, &["keygen", "--out", key.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = zigttp(&project, &["build", "--key", key.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).starts_with("wrote hello ("),
        "{}",
        text(&o.stdout)
    );
    let app = project.join("hello");
    assert!(app.is_file());

    let server = Server::spawn(&app, &d, &[]);
    let r = server.get("/");
    assert_eq!(r.status, 200);
    assert_eq!(r.text(), r#"{"message":"Hello, world!"}"#);
    assert_eq!(server.body("/hello/ada"), r#"{"message":"Hello, ada!"}"#);
    assert_eq!(server.get("/nope").status, 404);
    server.stop();
}

#[test]
fn serve_reads_zigttp_json_and_prints_a_banner() {
    let d = dir("serve");
    let project = init(&d, "site");
    let server = Server::spawn(Path::new(bin()), &project, &["serve"]);
    let lines = server.wait_for("zigttp: metrics at");
    let banner = lines.join("\n");
    assert!(
        banner.contains("zigttp: serving handler.ts (development"),
        "{banner}"
    );
    assert!(
        banner.contains("zigttp: routes: GET /, GET /health, GET /hello/:name"),
        "{banner}"
    );
    assert!(
        banner.contains("zigttp: capabilities: env, policy_check"),
        "{banner}"
    );
    assert!(banner.contains("zigttp: instances are"), "{banner}");
    assert!(banner.contains("static files from"), "{banner}");
    let r = server.get("/static/index.html");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Served from public/"), "{r:?}");
    assert_eq!(server.body("/"), r#"{"message":"Hello, world!"}"#);
    server.stop();

    // The policy comes from zigttp.json: one that grants too little refuses.
    std::fs::write(project.join("policy.json"), r#"{"capabilities":[]}"#).unwrap();
    let o = zigttp(&project, &["serve", "--port", "0"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("policy.json"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn commands_without_a_file_need_a_project() {
    let d = dir("none");
    for args in [vec!["serve"], vec!["test"], vec!["build", "--key", "k"]] {
        let o = zigttp(&d, &args);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("no zigttp.json"), "{args:?}: {err}");
        assert!(err.contains("zigttp init"), "{args:?}: {err}");
    }
    let o = zigttp(&d, &["serve", "--watch", "bundle.zbc"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("--watch recompiles a handler source"));
    std::fs::write(d.join("zigttp.json"), r#"{"entry":"h.ts","prot":1}"#).unwrap();
    let o = zigttp(&d, &["test"]);
    assert!(
        text(&o.stderr).contains("unknown field"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn init_quiet_prints_nothing() {
    let d = dir("quiet");
    let o = zigttp(&d, &["init", "q", "--quiet"]);
    assert!(o.status.success());
    assert!(o.stdout.is_empty() && o.stderr.is_empty());
    assert!(d.join("q/zigttp.json").is_file());
}

#[test]
fn init_dot_fills_the_current_empty_directory() {
    let d = dir("dot");
    let project = d.join("named-here");
    std::fs::create_dir_all(&project).unwrap();
    let o = zigttp(&project, &["init", "."]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let config = std::fs::read_to_string(project.join("zigttp.json")).unwrap();
    assert!(config.contains("\"name\": \"named-here\""), "{config}");
    let o = zigttp(&project, &["test", "-q"]);
    assert!(o.status.success(), "{}", text(&o.stdout));
}

#[test]
fn init_refuses_a_directory_that_is_not_empty() {
    let d = dir("taken");
    std::fs::create_dir_all(d.join("app")).unwrap();
    std::fs::write(d.join("app/keep.txt"), "mine").unwrap();
    let o = zigttp(&d, &["init", "app"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("not empty"), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(d.join("app/keep.txt")).unwrap(),
        "mine"
    );
    assert!(!d.join("app/zigttp.json").exists());
}

#[test]
fn types_writes_the_declarations() {
    let d = dir("types");
    let o = zigttp(&d, &["types"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let written = std::fs::read_to_string(d.join("zigttp.d.ts")).unwrap();
    assert_eq!(written, zigttp::project::types::declarations());
    assert!(written.contains("declare module \"zigttp:env\""));
    let o = zigttp(&d, &["types", "-o", "-"]);
    assert_eq!(text(&o.stdout), written);
}

/// The generated declarations type-check a new project with the real
/// TypeScript compiler, when one is installed (`tsc` on PATH, or the
/// program named by `ZIGTTP_TSC`); otherwise the test says that it skips.
#[test]
fn a_new_project_type_checks_with_tsc_when_available() {
    let tsc = std::env::var("ZIGTTP_TSC").unwrap_or_else(|_| "tsc".into());
    if Command::new(&tsc).arg("--version").output().is_err() {
        eprintln!(
            "SKIPPING: {tsc} not found; set ZIGTTP_TSC to a TypeScript compiler to run this check"
        );
        return;
    }
    let d = dir("tsc");
    let project = init(&d, "typed");
    std::fs::write(
        project.join("more.ts"),
        "import { sqlOne } from \"zigttp:sql\";\nimport { rateCheck } from \"zigttp:ratelimit\";\nexport function more(req: Request): Response {\n  const row = sqlOne(\"getUser\", { id: 1 });\n  const r = rateCheck(\"k\", 10, 60);\n  const m = Map<string, number>();\n  for (const i of range(3)) {\n    m.set(i.toFixed(0), i);\n  }\n  return Response.json({ row, ok: r.ok, size: m.size, q: req.query.q ?? \"\" }, { status: 200 });\n}\n",
    )
    .unwrap();
    let o = Command::new(&tsc)
        .args(["-p", "."])
        .current_dir(&project)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    // And it rejects what zigts does not have.
    std::fs::write(
        project.join("bad.ts"),
        "import { nothing } from \"zigttp:env\";\nconst p: Promise<number> = undefined;\n",
    )
    .unwrap();
    let o = Command::new(&tsc)
        .args(["-p", "."])
        .current_dir(&project)
        .output()
        .unwrap();
    let out = text(&o.stdout);
    assert!(!o.status.success());
    assert!(out.contains("no exported member 'nothing'"), "{out}");
    assert!(out.contains("Cannot find name 'Promise'"), "{out}");
}

/// Replaces `from` with `to` in the file (which must hold it), atomically
/// (a new file renamed over the old, as editors save), so that the watcher
/// never sees half a write.
fn edit(path: &Path, from: &str, to: &str) {
    let old = std::fs::read_to_string(path).unwrap();
    assert!(old.contains(from), "{from:?} not in {}", path.display());
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, old.replacen(from, to, 1)).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn watch_swaps_good_versions_and_keeps_serving_on_errors() {
    let d = dir("watch");
    let project = init(&d, "w");
    let handler = project.join("handler.ts");
    let server = Server::spawn(Path::new(bin()), &project, &["serve", "--watch"]);
    server.wait_for("zigttp: watching handler.ts");
    assert_eq!(server.body("/"), r#"{"message":"Hello, world!"}"#);

    // A good edit is swapped in.
    edit(&handler, "?? \"Hello\"", "?? \"Howdy\"");
    server.wait_for("zigttp: reloaded handler.ts");
    assert_eq!(server.body("/"), r#"{"message":"Howdy, world!"}"#);

    // A syntax error: the diagnostics are printed, the old version serves.
    edit(&handler, "export function handler", "export function (");
    let lines = server.wait_for("not reloaded").join("\n");
    assert!(lines.contains("error[ZTS"), "{lines}");
    assert!(lines.contains("handler.ts:"), "{lines}");
    assert!(!lines.contains("\u{1b}["), "no color when piped: {lines}");
    assert_eq!(server.body("/"), r#"{"message":"Howdy, world!"}"#);
    edit(&handler, "export function (", "export function handler");
    server.wait_for("zigttp: reloaded handler.ts");

    // A new import in a new file: the helper is watched too.
    let tmp = project.join("util.tmp");
    std::fs::write(
        &tmp,
        "export function shout(s: string): string { return s.toUpperCase(); }\n",
    )
    .unwrap();
    std::fs::rename(&tmp, project.join("util.ts")).unwrap();
    edit(
        &handler,
        "import { env }",
        "import { shout } from \"./util.ts\";\nimport { env }",
    );
    edit(&handler, "greet(\"world\")", "greet(shout(\"world\"))");
    server.wait_for("zigttp: reloaded handler.ts");
    assert_eq!(server.body("/"), r#"{"message":"Howdy, WORLD!"}"#);
    edit(&project.join("util.ts"), "toUpperCase", "toLowerCase");
    server.wait_for("zigttp: reloaded handler.ts");
    assert_eq!(server.body("/"), r#"{"message":"Howdy, world!"}"#);

    // A version that needs more than policy.json grants is refused.
    edit(&handler, "env(\"GREETING\")", "env(\"SECRET\")");
    let lines = server.wait_for("not reloaded").join("\n");
    assert!(lines.contains("env 'SECRET' is not allowed"), "{lines}");
    assert_eq!(server.body("/"), r#"{"message":"Howdy, world!"}"#);

    // Granting it (the policy file is watched) swaps it in and shows the
    // contract change.
    edit(
        &project.join("policy.json"),
        "\"GREETING\"",
        "\"GREETING\", \"SECRET\"",
    );
    let lines = server.wait_for("zigttp: reloaded handler.ts");
    let more = server.wait_for("zigttp: contract: env");
    let all = [lines, more].concat().join("\n");
    assert!(
        all.contains("zigttp: contract: env + SECRET, - GREETING"),
        "{all}"
    );
    assert_eq!(server.get("/").status, 200);
    server.stop();
}
