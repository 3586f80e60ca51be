//! What the contract records for the modules: capabilities, egress hosts of
//! `fetch`, SQL statements registered with `sql`, and the policy derived
//! from it.

use zigts_verifier::Capability;
use zigts_verifier::contract::SqlQuery;
use zigts_vm::Policy;

fn contract(src: &str) -> zigts_verifier::Contract {
    zigts_compiler::compile("t.ts", src)
        .unwrap_or_else(|e| panic!("{e}"))
        .contract
}

#[test]
fn fetch_hosts_are_literal_or_dynamic() {
    let c = contract(
        r#"
import { fetch, fetchSync } from "zigttp:fetch";
const BILLING = "http://billing.internal:8080/charge";
export function handler(req: Request): Response {
  fetch("https://API.Example.com/v1/users");
  fetchSync({ url: "http://b.example.org/x" }, { method: "POST" });
  fetch(BILLING);
  fetch(`http://api.example.com/v2`);
  return Response.text("ok");
}
"#,
    );
    assert_eq!(
        c.egress.literal,
        ["api.example.com", "b.example.org", "billing.internal"]
    );
    assert!(!c.egress.dynamic);
    assert_eq!(
        c.capabilities,
        [Capability::RuntimeCallback, Capability::Network]
    );
    assert!(!c.properties.read_only && !c.properties.pure);
    let policy = Policy::from_contract(&c);
    assert!(policy.egress.allows("API.EXAMPLE.COM", true));
    assert!(!policy.egress.allows("evil.com", true));

    for dynamic in [
        "fetch(req.query.u)",
        "fetch(`https://${req.query.h}/x`)",
        "fetch({ url: req.query.u })",
        "fetch(\"/relative/path\")",
    ] {
        let c = contract(&format!(
            "import {{ fetch }} from \"zigttp:fetch\";\nexport function handler(req: Request): Response {{ {dynamic}; return Response.text(\"\"); }}\n"
        ));
        assert!(c.egress.dynamic, "{dynamic}");
        assert!(c.egress.literal.is_empty(), "{dynamic}");
    }
}

#[test]
fn sql_statements_are_recorded_with_operation_and_tables() {
    let c = contract(
        r#"
import { sql, sqlOne, sqlExec } from "zigttp:sql";
const GET_USER = "getUser";
sql(GET_USER, "SELECT u.id, u.name FROM users u LEFT JOIN teams t ON t.id = u.team WHERE u.id = :id");
sql("addOrder", `
  INSERT INTO orders (user_id, total)
  VALUES (:user, :total)
`);
sql("expire", "DELETE FROM sessions WHERE expires < :now");
sql("touch", "UPDATE users SET seen = :now WHERE id = :id");
export function handler(req: Request): Response {
  return Response.json(sqlOne(GET_USER, { id: 1 }));
}
"#,
    );
    let q = |name: &str, op: &str, tables: &[&str]| SqlQuery {
        name: name.into(),
        operation: op.into(),
        tables: tables.iter().map(|t| (*t).to_string()).collect(),
    };
    assert_eq!(
        c.sql.queries,
        [
            q("addOrder", "insert", &["orders"]),
            q("expire", "delete", &["sessions"]),
            q("getUser", "select", &["teams", "users"]),
            q("touch", "update", &["users"]),
        ]
    );
    assert!(!c.sql.dynamic);
    assert_eq!(
        c.capabilities,
        [Capability::Sqlite, Capability::PolicyCheck]
    );
    let policy = Policy::from_contract(&c);
    assert!(policy.sql.allows("getUser", false) && !policy.sql.allows("other", false));
    // An operator policy that leaves a query out names it.
    let strict = Policy::from_json(
        r#"{"capabilities": ["sqlite", "policy_check"], "sql": {"allow_queries": ["getUser", "addOrder", "expire"]}}"#,
    )
    .unwrap();
    assert_eq!(strict.excesses(&c), ["sql query 'touch' is not allowed"]);

    let c = contract(
        r#"
import { sql } from "zigttp:sql";
const QUERIES = { a: "SELECT 1" };
for (const k of Object.keys(QUERIES)) { sql(k, QUERIES[k]); }
export function handler(req: Request): Response { return Response.text(""); }
"#,
    );
    assert!(c.sql.dynamic);
}

#[test]
fn every_module_declares_the_reference_capabilities() {
    use Capability::*;
    let want: &[(&str, &[Capability])] = &[
        ("zigttp:auth", &[Crypto, Clock]),
        ("zigttp:decode", &[]),
        ("zigttp:id", &[Clock, Random]),
        ("zigttp:time", &[]),
        ("zigttp:log", &[Clock, Stderr]),
        ("zigttp:http", &[]),
        ("zigttp:ratelimit", &[Clock]),
        ("zigttp:sql", &[Sqlite, PolicyCheck]),
        ("zigttp:fetch", &[Network, RuntimeCallback]),
    ];
    for (spec, caps) in want {
        let m = zigts_verifier::modules::find_module(zigts_vm::modules::TABLE, spec)
            .unwrap_or_else(|| panic!("{spec} is implemented"));
        assert_eq!(m.capabilities, *caps, "{spec}");
        assert!(!zigts_vm::modules::PLANNED.contains(spec));
    }
    let c = contract(
        r#"
import { logInfo } from "zigttp:log";
import { uuid } from "zigttp:id";
export function handler(req: Request): Response { logInfo(uuid()); return Response.text(""); }
"#,
    );
    assert_eq!(c.capabilities, [Clock, Random, Stderr]);
    assert!(!c.properties.read_only, "log writes");
    assert!(!c.properties.deterministic, "uuid is random");
}

#[test]
fn clock_and_random_answers_are_not_deterministic() {
    let deterministic = |import: &str, call: &str| {
        contract(&format!(
            "{import}\nexport function handler(req: Request): Response {{ return Response.json({call}); }}\n"
        ))
        .properties
        .deterministic
    };
    assert!(!deterministic(
        r#"import { nanoid } from "zigttp:id";"#,
        "nanoid()"
    ));
    assert!(!deterministic(
        r#"import { jwtVerify } from "zigttp:auth";"#,
        r#"jwtVerify("t", "k")"#
    ));
    assert!(!deterministic(
        r#"import { rateCheck } from "zigttp:ratelimit";"#,
        r#"rateCheck("k", 1, 1)"#
    ));
    assert!(deterministic(
        r#"import { jwtSign } from "zigttp:auth";"#,
        r#"jwtSign("{}", "k")"#
    ));
    assert!(deterministic(
        r#"import { formatIso } from "zigttp:time";"#,
        "formatIso(0)"
    ));
}
