//! Virtual modules with shared state or output, run through real handlers:
//! `zigttp:ratelimit`, `zigttp:log` and `zigttp:sql` (including the proof
//! that parameters are bound, never interpolated).

use serde_json::{Value as Json, json};
use std::sync::Arc;
use zigts_vm::{ExecLimits, Host, Instance, LoadError, Policy, RequestParts, Services};

#[derive(Default)]
struct TestHost {
    now: f64,
    logs: Vec<String>,
    events: Vec<String>,
}

impl Host for TestHost {
    fn console(&mut self, _is_error: bool, line: &str) {
        eprintln!("{line}");
    }
    fn now_ms(&mut self) -> f64 {
        self.now
    }
    fn monotonic_ms(&mut self) -> f64 {
        0.0
    }
    fn random(&mut self) -> f64 {
        0.5
    }
    fn log_line(&mut self, line: &str) {
        self.logs.push(line.to_string());
    }
    fn security_event(&mut self, event: &str) {
        self.events.push(event.to_string());
    }
}

struct App {
    instance: Instance,
    host: TestHost,
}

fn load(src: &str, services: Services) -> Result<App, LoadError> {
    let compiled = zigts_compiler::compile("t.ts", src).unwrap_or_else(|e| panic!("{e}"));
    let program = zigts_verifier::verify(
        &compiled.bytes,
        &zigts_verifier::Limits::default(),
        zigts_vm::modules::TABLE,
    )
    .expect("verifies");
    let mut host = TestHost::default();
    let instance = Instance::load_with(
        Arc::new(program),
        Arc::new(services),
        &mut host,
        ExecLimits::default(),
    )?;
    Ok(App { instance, host })
}

impl App {
    fn new(src: &str) -> App {
        load(src, Services::new(Policy::allow_all())).unwrap_or_else(|e| panic!("{e}"))
    }

    fn call(&mut self, method: &str, target: &str, body: Option<&str>) -> (u16, String) {
        let arena = bumpalo::Bump::new();
        let req = RequestParts {
            method,
            target,
            headers: &[],
            body: body.map(str::as_bytes),
        };
        match self
            .instance
            .handle(&arena, &req, &mut self.host, ExecLimits::default())
        {
            Ok(r) => (r.status, r.body.to_string()),
            Err(t) => (500, t.to_string()),
        }
    }

    fn json(&mut self, method: &str, target: &str, body: Option<&str>) -> Json {
        let (status, text) = self.call(method, target, body);
        assert_eq!(status, 200, "{text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }
}

#[test]
fn shared_module_state_can_cross_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Services>();
    shared::<Instance>();
}

#[test]
fn rate_limits_count_per_key_across_requests() {
    let mut app = App::new(
        r#"
import { rateCheck, rateReset } from "zigttp:ratelimit";
export function handler(req: Request): Response {
  if (req.path === "/reset") {
    return Response.json({ reset: rateReset("ip:1"), again: rateReset("ip:1") });
  }
  return Response.json(rateCheck(req.query.key, 2, 60));
}
"#,
    );
    app.host.now = 1_000_000.0;
    let ok = |remaining: u64, reset_at: u64| json!({"ok": true, "value": {"remaining": remaining, "resetAt": reset_at}});
    assert_eq!(app.json("GET", "/?key=ip:1", None), ok(1, 1_060_000));
    app.host.now = 1_010_000.0;
    assert_eq!(app.json("GET", "/?key=ip:1", None), ok(0, 1_060_000));
    app.host.now = 1_020_500.0;
    assert_eq!(
        app.json("GET", "/?key=ip:1", None),
        json!({"ok": false, "error": {"tag": "rate_exceeded", "retryAfter": 40}})
    );
    assert_eq!(app.json("GET", "/?key=ip:2", None), ok(1, 1_080_500));
    // The window ends; a new one starts at the next hit.
    app.host.now = 1_060_000.0;
    assert_eq!(app.json("GET", "/?key=ip:1", None), ok(1, 1_120_000));
    assert_eq!(
        app.json("GET", "/reset", None),
        json!({"reset": true, "again": false})
    );
    assert_eq!(app.json("GET", "/?key=ip:1", None), ok(1, 1_120_000));
}

#[test]
fn log_lines_are_ndjson_with_context() {
    let mut app = App::new(
        r#"
import { logInfo, logError, logDebug, logWarn } from "zigttp:log";
export function handler(req: Request): Response {
  logInfo("user signed in", { user: "ann", attempt: 2, tags: ["a"], level: "forged" });
  logError("boom \"quoted\"\nline");
  logDebug("d", { ms: 1.5, missing: undefined });
  logWarn("w", "not an object");
  return Response.text("ok");
}
"#,
    );
    app.host.now = 1_700_000_000_123.0;
    assert_eq!(app.call("GET", "/", None).0, 200);
    let lines: Vec<Json> = app
        .host
        .logs
        .iter()
        .map(|l| {
            assert!(!l.contains('\n'), "one line: {l}");
            serde_json::from_str(l).unwrap()
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            json!({"ts": 1_700_000_000_123_u64, "level": "info", "msg": "user signed in", "user": "ann", "attempt": 2, "tags": ["a"]}),
            json!({"ts": 1_700_000_000_123_u64, "level": "error", "msg": "boom \"quoted\"\nline"}),
            json!({"ts": 1_700_000_000_123_u64, "level": "debug", "msg": "d", "ms": 1.5}),
            json!({"ts": 1_700_000_000_123_u64, "level": "warn", "msg": "w"}),
        ]
    );
    assert!(app.host.logs[0].starts_with(r#"{"ts":1700000000123,"level":"info","msg":"#));
}

const SQL_APP: &str = r#"
import { sql, sqlOne, sqlMany, sqlExec } from "zigttp:sql";
sql("init", `CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  age INTEGER,
  score REAL
)`);
sqlExec("init");
sql("add", "INSERT INTO users (name, age, score) VALUES (:name, :age, :score)");
sql("add", "INSERT INTO users (name, age, score) VALUES (:name, :age, :score)");
sql("byName", "SELECT id, name, age, score FROM users WHERE name = :name");
sql("all", "SELECT id, name FROM users ORDER BY id");
sql("count", "SELECT count(*) AS n FROM users");
sql("bump", "UPDATE users SET age = age + 1 WHERE age >= :min");
sql("stacked", "SELECT 1; DROP TABLE users");
sql("positional", "SELECT * FROM users WHERE id = ?");
export function handler(req: Request): Response {
  const p = req.body === undefined ? undefined : JSON.parse(req.body);
  return match (req) {
    when { path: "/add" }: Response.json(sqlExec("add", p))
    when { path: "/one" }: Response.json({ row: sqlOne("byName", p) })
    when { path: "/all" }: Response.json(sqlMany("all"))
    when { path: "/count" }: Response.json(sqlOne("count"))
    when { path: "/bump" }: Response.json(sqlExec("bump", p))
    when { path: "/stacked" }: Response.json(sqlOne("stacked"))
    when { path: "/positional" }: Response.json(sqlOne("positional", p))
    when { path: "/write-via-read" }: Response.json(sqlOne("bump", p))
    when { path: "/read-via-exec" }: Response.json(sqlExec("all"))
    when { path: "/unknown" }: Response.json(sqlOne("nope"))
    when { path: "/register" }: Response.json(sql("late", "SELECT 1"))
    default: Response.text("?", { status: 404 })
  };
}
"#;

#[test]
fn sql_round_trip_and_errors() {
    let mut app = App::new(SQL_APP);
    assert_eq!(
        app.json(
            "POST",
            "/add",
            Some(r#"{"name":"Ann","age":41,"score":9.5}"#)
        ),
        json!({"rowsAffected": 1, "lastInsertRowId": 1})
    );
    assert_eq!(
        app.json(
            "POST",
            "/add",
            Some(r#"{"name":"Bo","age":17,"score":null}"#)
        ),
        json!({"rowsAffected": 1, "lastInsertRowId": 2})
    );
    assert_eq!(
        app.json("POST", "/one", Some(r#"{"name":"Ann"}"#)),
        json!({"row": {"id": 1, "name": "Ann", "age": 41, "score": 9.5}})
    );
    // NULL columns read back as undefined (omitted from JSON).
    assert_eq!(
        app.json("POST", "/one", Some(r#"{"name":"Bo"}"#)),
        json!({"row": {"id": 2, "name": "Bo", "age": 17}})
    );
    assert_eq!(
        app.json("POST", "/one", Some(r#"{"name":"Cy"}"#)),
        json!({})
    );
    assert_eq!(
        app.json("POST", "/bump", Some(r#"{"min":18}"#)),
        json!({"rowsAffected": 1, "lastInsertRowId": 2})
    );
    assert_eq!(
        app.json("GET", "/all", None),
        json!([{"id": 1, "name": "Ann"}, {"id": 2, "name": "Bo"}])
    );

    let mut fails = |path: &str, body: Option<&str>, needle: &str| {
        let (status, text) = app.call("POST", path, body);
        assert_eq!(status, 500, "{path}: {text}");
        assert!(text.contains(needle), "{path}: {text}");
    };
    fails(
        "/add",
        Some(r#"{"name":"x","age":1}"#),
        "missing SQL parameter ':score'",
    );
    fails(
        "/add",
        Some(r#"{"name":"x","age":1,"score":1,"admin":1}"#),
        "unexpected SQL parameter 'admin'",
    );
    fails(
        "/add",
        Some(r#"{"name":{"nested":1},"age":1,"score":1}"#),
        "parameter 'name' must be",
    );
    fails("/add", None, "missing SQL parameter");
    fails(
        "/add",
        Some(r#"{"name":null,"age":1,"score":1}"#),
        "NOT NULL constraint failed",
    );
    fails("/stacked", None, "Multiple statements");
    fails("/positional", Some(r#"{"id":1}"#), "use named parameters");
    fails(
        "/write-via-read",
        Some(r#"{"min":0}"#),
        "need a read-only statement",
    );
    fails("/read-via-exec", None, "needs a statement that writes");
    fails("/unknown", None, "'nope' is not registered");
    fails("/register", None, "module-level code only");
    assert_eq!(app.json("GET", "/count", None), json!({"n": 2}));
}

#[test]
fn sql_parameters_are_bound_not_injected() {
    let mut app = App::new(SQL_APP);
    let hostile = [
        "Robert'); DROP TABLE users;--",
        "x' OR '1'='1",
        "O'Brien \"the \\\"quoted\\\"\" one",
        "'; DROP TABLE users; SELECT '",
    ];
    for name in hostile {
        let body = json!({"name": name, "age": 1, "score": 0}).to_string();
        assert_eq!(
            app.json("POST", "/add", Some(&body))["rowsAffected"],
            1,
            "{name}"
        );
    }
    // Every hostile string came back verbatim and the table still exists.
    let all = app.json("GET", "/all", None);
    let names: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, hostile);
    assert_eq!(app.json("GET", "/count", None), json!({"n": 4}));
    // A classic tautology matches nothing: it is compared as a string.
    let probe = json!({"name": "nobody' OR '1'='1"}).to_string();
    assert_eq!(app.json("POST", "/one", Some(&probe)), json!({}));
    let exact = json!({"name": "x' OR '1'='1"}).to_string();
    assert_eq!(app.json("POST", "/one", Some(&exact))["row"]["id"], 2);
}

#[test]
fn sql_registration_conflicts_fail_the_load() {
    let err = load(
        r#"
import { sql } from "zigttp:sql";
sql("q", "SELECT 1");
sql("q", "SELECT 2");
export function handler(req: Request): Response { return Response.text("x"); }
"#,
        Services::new(Policy::allow_all()),
    )
    .err()
    .expect("a conflicting registration is an error");
    assert!(
        err.to_string()
            .contains("'q' is already registered with a different statement"),
        "{err}"
    );
}

#[test]
fn sql_query_names_are_checked_against_the_policy() {
    let policy = Policy::from_json(
        r#"{"capabilities": ["sqlite", "policy_check"], "sql": {"allow_queries": ["init", "all", "count"]}}"#,
    )
    .unwrap();
    let mut app = load(SQL_APP, Services::new(policy)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(app.json("GET", "/all", None), json!([]));
    let (status, text) = app.call("POST", "/add", Some(r#"{"name":"x","age":1,"score":1}"#));
    assert_eq!(status, 500);
    assert!(
        text.contains("sql query 'add' is not allowed by the policy"),
        "{text}"
    );
    assert_eq!(app.instance.services().denials(), 1);
    assert_eq!(app.host.events, vec!["policy_denied sql query 'add'"]);
    assert_eq!(app.json("GET", "/count", None), json!({"n": 0}));
}

#[test]
fn each_services_gets_its_own_database_unless_given_a_file() {
    let mut a = App::new(SQL_APP);
    a.json("POST", "/add", Some(r#"{"name":"Ann","age":1,"score":1}"#));
    assert_eq!(a.json("GET", "/count", None), json!({"n": 1}));
    // A fresh Services (a new `zigttp test` case) starts empty.
    let mut b = App::new(SQL_APP);
    assert_eq!(b.json("GET", "/count", None), json!({"n": 0}));

    let dir = std::env::temp_dir().join(format!("zigttp-sql-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("app.db");
    let _ = std::fs::remove_file(&file);
    let src = SQL_APP.replace("CREATE TABLE users", "CREATE TABLE IF NOT EXISTS users");
    let with_file = || Services::new(Policy::allow_all()).with_sqlite_path(&file);
    {
        let mut c = load(&src, with_file()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.instance.services().sql.path(), Some(file.as_path()));
        c.json("POST", "/add", Some(r#"{"name":"Kept","age":1,"score":1}"#));
    }
    let mut d = load(&src, with_file()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        d.json("GET", "/all", None),
        json!([{"id": 1, "name": "Kept"}])
    );
    drop(d);
    let _ = std::fs::remove_dir_all(&dir);
}
