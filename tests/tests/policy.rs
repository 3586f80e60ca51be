//! The capability boundary (DESIGN section 6): a bundle needing more than the
//! policy grants is refused before it runs, naming each excess; at call time
//! a value outside the allow-list (a dynamic env name, a cache namespace) is
//! denied with a clean error for that request and counted.

use bumpalo::Bump;
use std::sync::Arc;
use zigts_vm::{ExecLimits, Host, Instance, Policy, RequestParts, Services};

#[derive(Default)]
struct EnvHost {
    events: Vec<String>,
}

impl Host for EnvHost {
    fn console(&mut self, _: bool, _: &str) {}
    fn now_ms(&mut self) -> f64 {
        0.0
    }
    fn monotonic_ms(&mut self) -> f64 {
        0.0
    }
    fn random(&mut self) -> f64 {
        0.5
    }
    fn env(&mut self, name: &str) -> Option<String> {
        Some(format!("value-of-{name}"))
    }
    fn security_event(&mut self, event: &str) {
        self.events.push(event.to_string());
    }
}

const DYNAMIC_ENV: &str = r#"
import { env } from "zigttp:env";
import { cacheGet } from "zigttp:cache";
export function handler(req: Request): Response {
  if (req.path === "/cache") {
    return Response.json({ v: cacheGet(`${req.query.ns}`, "k") ?? "none" });
  }
  return Response.json({ v: env(`${req.query.name}`) ?? "unset" });
}
"#;

fn program(src: &str) -> Arc<zigts_verifier::VerifiedBundle> {
    let bytes = zigts_compiler::compile("p.ts", src)
        .expect("compiles")
        .bytes;
    Arc::new(
        zigts_verifier::verify(
            &bytes,
            &zigts_verifier::Limits::default(),
            zigts_vm::modules::TABLE,
        )
        .expect("verifies"),
    )
}

fn get(instance: &Instance, host: &mut EnvHost, target: &str) -> Result<String, zigts_vm::Trap> {
    let arena = Bump::new();
    let parts = RequestParts {
        method: "GET",
        target,
        headers: &[],
        body: None,
    };
    instance
        .handle(&arena, &parts, host, ExecLimits::default())
        .map(|r| r.body.to_string())
}

#[test]
fn the_contract_records_dynamic_use() {
    let p = program(DYNAMIC_ENV);
    assert!(p.contract().env.dynamic);
    assert!(p.contract().cache.dynamic);
    let caps: Vec<&str> = p.contract().capabilities.iter().map(|c| c.name()).collect();
    assert_eq!(caps, ["env", "clock", "policy_check"]);
}

#[test]
fn dynamic_env_outside_the_allow_list_is_denied_at_call_time() {
    let p = program(DYNAMIC_ENV);
    let policy = Policy::from_json(
        r#"{"capabilities":["env","clock","policy_check"],"env":{"allow":["API_KEY"]},"cache":{"allow_namespaces":["sessions"]}}"#,
    )
    .expect("policy parses");
    let services = Arc::new(Services::new(policy));
    let mut host = EnvHost::default();
    let instance = Instance::load_with(p, Arc::clone(&services), &mut host, ExecLimits::default())
        .expect("loads");
    assert_eq!(
        get(&instance, &mut host, "/?name=API_KEY").unwrap(),
        r#"{"v":"value-of-API_KEY"}"#
    );
    let denied = get(&instance, &mut host, "/?name=DATABASE_URL").unwrap_err();
    assert_eq!(denied.kind, zigts_vm::TrapKind::PolicyDenied);
    assert!(
        denied.message.contains("env 'DATABASE_URL' is not allowed"),
        "{}",
        denied.message
    );
    let denied = get(&instance, &mut host, "/cache?ns=other").unwrap_err();
    assert!(
        denied.message.contains("cache namespace 'other'"),
        "{}",
        denied.message
    );
    assert_eq!(
        get(&instance, &mut host, "/cache?ns=sessions").unwrap(),
        r#"{"v":"none"}"#
    );
    assert_eq!(services.denials(), 2);
    assert_eq!(host.events.len(), 2);
}

#[test]
fn an_ungranted_capability_is_refused_at_mount_and_at_call_time() {
    let p = program(DYNAMIC_ENV);
    let policy = Policy::from_json(r#"{"capabilities":["clock"],"env":{"allow":["API_KEY"]}}"#)
        .expect("parses");
    let excesses = policy.excesses(p.contract());
    assert!(
        excesses.contains(&"capability 'env' is not granted".to_string()),
        "{excesses:?}"
    );
    assert!(
        excesses.contains(&"capability 'policy_check' is not granted".to_string()),
        "{excesses:?}"
    );
    assert!(
        excesses.contains(&"dynamic env access is not allowed".to_string()),
        "{excesses:?}"
    );
    assert!(
        excesses.contains(&"dynamic cache namespace access is not allowed".to_string()),
        "{excesses:?}"
    );
    // Even if an embedder mounted it anyway, the call itself is refused.
    let mut host = EnvHost::default();
    let instance = Instance::load_with(
        p,
        Arc::new(Services::new(policy)),
        &mut host,
        ExecLimits::default(),
    )
    .expect("loads");
    let denied = get(&instance, &mut host, "/?name=API_KEY").unwrap_err();
    assert!(
        denied.message.contains("needs capability 'env'"),
        "{}",
        denied.message
    );
}

#[test]
fn literal_env_names_become_the_derived_policy() {
    let p = program(
        r#"import { env } from "zigttp:env";
           export function handler(req: Request): Response { return Response.text(env("GREETING") ?? "hi"); }"#,
    );
    assert_eq!(p.contract().env.literal, ["GREETING"]);
    assert!(!p.contract().env.dynamic);
    let derived = Policy::from_contract(p.contract());
    assert!(derived.excesses(p.contract()).is_empty());
    assert!(derived.env.allows("GREETING", false));
    assert!(!derived.env.allows("OTHER", false));
    let strict =
        Policy::from_json(r#"{"capabilities":["env","policy_check"],"env":{"allow":["OTHER"]}}"#)
            .unwrap();
    assert_eq!(
        strict.excesses(p.contract()),
        ["env 'GREETING' is not allowed"]
    );
}
