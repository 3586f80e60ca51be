//! Virtual modules without shared state, run through real handlers:
//! `zigttp:auth` (with the RFC 4231, jwt.io and FIPS 180-2 vectors through
//! `zigttp:crypto`), `decode`, `id`, `time` and `http`.

use serde_json::{Value as Json, json};
use std::sync::Arc;
use zigts_vm::{ExecLimits, Host, Instance, Policy, RequestParts, Services};

#[derive(Default)]
struct TestHost {
    now: f64,
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
    fn security_event(&mut self, event: &str) {
        self.events.push(event.to_string());
    }
}

struct App {
    instance: Instance,
    host: TestHost,
}

impl App {
    fn new(src: &str) -> App {
        App::with(src, Policy::allow_all(), 0.0)
    }

    fn with(src: &str, policy: Policy, now: f64) -> App {
        let compiled = zigts_compiler::compile("t.ts", src).unwrap_or_else(|e| panic!("{e}"));
        let program = zigts_verifier::verify(
            &compiled.bytes,
            &zigts_verifier::Limits::default(),
            zigts_vm::modules::TABLE,
        )
        .expect("verifies");
        let mut host = TestHost {
            now,
            ..TestHost::default()
        };
        let instance = Instance::load_with(
            Arc::new(program),
            Arc::new(Services::new(policy)),
            &mut host,
            ExecLimits::default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        App { instance, host }
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

    fn json(&mut self, target: &str) -> Json {
        let (status, body) = self.call("GET", target, None);
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"))
    }
}

#[test]
fn sha256_fips_180_2_and_hmac_rfc4231_through_the_js_api() {
    let mut app = App::new(
        r#"
import { sha256, hmacSha256 } from "zigttp:crypto";
export function handler(req: Request): Response {
  return Response.json({
    abc: sha256("abc"),
    empty: sha256(""),
    two_blocks: sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
    tc1: hmacSha256(String.fromCharCode(11).repeat(20), "Hi There"),
    tc2: hmacSha256("Jefe", "what do ya want for nothing?"),
  });
}
"#,
    );
    assert_eq!(
        app.json("/"),
        json!({
            // FIPS 180-2 appendix B.1, the empty string, and B.2 (448 bits).
            "abc": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "empty": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "two_blocks": "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            // RFC 4231 test cases 1 and 2 (the others have binary keys or
            // data and are tested on `crypto::hmac_sha256` in auth.rs).
            "tc1": "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            "tc2": "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        })
    );
}

const JWT_APP: &str = r#"
import { jwtSign, jwtVerify, parseBearer, verifyWebhookSignature, timingSafeEqual } from "zigttp:auth";
import { hmacSha256 } from "zigttp:crypto";
const SECRET = "your-256-bit-secret";
export function handler(req: Request): Response {
  const claims = JSON.stringify({ sub: "1234567890", name: "John Doe", iat: 1516239022 });
  const token = jwtSign('{"sub":"1234567890","name":"John Doe","iat":1516239022}', SECRET);
  const verified = jwtVerify(token, SECRET);
  const sig = hmacSha256("whsec", "{\"event\":\"paid\"}");
  return Response.json({
    token,
    claims: verified.ok ? verified.value : verified.error,
    roundTrip: jwtVerify(jwtSign(claims, "k"), "k").value,
    wrongSecret: jwtVerify(token, "other").error,
    tampered: jwtVerify(token.slice(0, -2) + "AA", SECRET).error,
    garbage: jwtVerify("not.a-token", SECRET).error,
    notAString: jwtVerify(undefined, SECRET).error,
    none: jwtVerify("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", SECRET).error,
    askedHs512: jwtVerify(token, SECRET, "HS512").error,
    askedHs256: jwtVerify(token, SECRET, { alg: "HS256" }).ok,
    expired: jwtVerify(jwtSign('{"exp":1000}', "k"), "k").error,
    expiredWithLeeway: jwtVerify(jwtSign('{"exp":1000}', "k"), "k", { leeway: 600 }).ok,
    notYet: jwtVerify(jwtSign('{"nbf":5000}', "k"), "k").error,
    valid: jwtVerify(jwtSign('{"nbf":1000,"exp":1600}', "k"), "k").ok,
    badExp: jwtVerify(jwtSign('{"exp":"soon"}', "k"), "k").error,
    bearer: parseBearer("Bearer " + token) === token,
    bearerLower: parseBearer("bearer abc"),
    basic: parseBearer("Basic dXNlcg==") === undefined,
    hook: verifyWebhookSignature("{\"event\":\"paid\"}", "whsec", sig),
    hookPrefixed: verifyWebhookSignature("{\"event\":\"paid\"}", "whsec", "sha256=" + sig.toUpperCase()),
    hookWrong: verifyWebhookSignature("{\"event\":\"paid!\"}", "whsec", sig),
    hookShort: verifyWebhookSignature("{\"event\":\"paid\"}", "whsec", sig.slice(0, 10)),
    hookNotHex: verifyWebhookSignature("{\"event\":\"paid\"}", "whsec", "zz" + sig.slice(2)),
    eq: timingSafeEqual("abc", "abc"),
    neLast: timingSafeEqual("abc", "abd"),
    neLen: timingSafeEqual("abc", "abcd"),
  });
}
"#;

#[test]
fn jwt_hs256_round_trips_and_rejects() {
    // The host clock is at 1200 s: `exp` 1000 has passed, `nbf` 5000 has not.
    let mut app = App::with(JWT_APP, Policy::allow_all(), 1_200_000.0);
    let got = app.json("/");
    // The HS256 example token shown on jwt.io (header {"alg":"HS256","typ":"JWT"},
    // claims {"sub":"1234567890","name":"John Doe","iat":1516239022}, secret
    // "your-256-bit-secret"); cross-checked with Python's hmac module.
    assert_eq!(
        got["token"],
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
    );
    let claims = json!({"sub": "1234567890", "name": "John Doe", "iat": 1_516_239_022});
    assert_eq!(got["claims"], claims);
    assert_eq!(got["roundTrip"], claims);
    assert_eq!(got["wrongSecret"], "invalid signature");
    assert_eq!(got["tampered"], "invalid signature");
    assert_eq!(got["garbage"], "invalid token");
    assert_eq!(got["notAString"], "invalid token");
    assert_eq!(got["none"], "unsupported alg");
    assert_eq!(got["askedHs512"], "unsupported alg");
    assert_eq!(got["askedHs256"], true);
    assert_eq!(got["expired"], "token expired");
    assert_eq!(got["expiredWithLeeway"], true);
    assert_eq!(got["notYet"], "token not yet valid");
    assert_eq!(got["valid"], true);
    assert_eq!(got["badExp"], "invalid token");
    assert_eq!(got["bearer"], true);
    assert_eq!(got["bearerLower"], "abc");
    assert_eq!(got["basic"], true);
    assert_eq!(got["hook"], true);
    assert_eq!(got["hookPrefixed"], true);
    assert_eq!(got["hookWrong"], false);
    assert_eq!(got["hookShort"], false);
    assert_eq!(got["hookNotHex"], false);
    assert_eq!(got["eq"], true);
    assert_eq!(got["neLast"], false);
    assert_eq!(got["neLen"], false);
}

#[test]
fn jwt_sign_wants_a_json_object_string() {
    let mut app = App::new(
        r#"
import { jwtSign } from "zigttp:auth";
export function handler(req: Request): Response {
  return Response.text(jwtSign({ sub: "x" }, "k"));
}
"#,
    );
    let (status, body) = app.call("GET", "/", None);
    assert_eq!(status, 500);
    assert!(body.contains("JSON.stringify(claims)"), "{body}");
}

#[test]
fn modules_need_their_capabilities() {
    let src = r#"
import { uuid } from "zigttp:id";
export function handler(req: Request): Response { return Response.text(uuid()); }
"#;
    let policy = Policy::from_json(r#"{"capabilities": ["clock"]}"#).unwrap();
    let mut app = App::with(src, policy, 0.0);
    let (status, body) = app.call("GET", "/", None);
    assert_eq!(status, 500);
    assert!(body.contains("needs capability 'random'"), "{body}");
    assert_eq!(app.host.events.len(), 1);
    assert_eq!(app.instance.services().denials(), 1);
}

const DECODE_APP: &str = r#"
import { schemaCompile } from "zigttp:validate";
import { decodeJson, decodeForm, decodeQuery } from "zigttp:decode";
schemaCompile("user", JSON.stringify({
  type: "object",
  properties: {
    name: { type: "string", minLength: 1 },
    age: { type: "integer", minimum: 0 },
    admin: { type: "boolean" },
    tags: { type: "array", items: { type: "string" } },
    scores: { type: "array", items: { type: "number" } },
  },
  required: ["name", "age"],
}));
export function handler(req: Request): Response {
  const r = match (req) {
    when { path: "/json" }: decodeJson("user", req.body)
    when { path: "/form" }: decodeForm("user", req.body)
    when { path: "/query" }: decodeQuery("user", req.query)
    default: decodeJson("nope", "{}")
  };
  return Response.json(r);
}
"#;

#[test]
fn decode_coerces_forms_and_queries_by_schema() {
    let mut app = App::new(DECODE_APP);
    let mut post = |path: &str, body: &str| {
        let (status, text) = app.call("POST", path, Some(body));
        assert_eq!(status, 200, "{text}");
        serde_json::from_str::<Json>(&text).unwrap()
    };
    assert_eq!(
        post("/json", r#"{"name":"Ann","age":41}"#),
        json!({"ok": true, "value": {"name": "Ann", "age": 41}})
    );
    assert_eq!(
        post("/json", r#"{"name":"Ann","age":"41"}"#),
        json!({"ok": false, "errors": [{"path": "/age", "message": "type mismatch"}]})
    );
    assert_eq!(
        post("/json", "{oops"),
        json!({"ok": false, "error": "invalid JSON"})
    );
    assert_eq!(
        post(
            "/form",
            "name=Ann+Lee&age=30&admin=false&tags=a&tags=b%20c&scores=1.5"
        ),
        json!({"ok": true, "value": {
            "name": "Ann Lee", "age": 30, "admin": false, "tags": ["a", "b c"], "scores": [1.5]
        }})
    );
    assert_eq!(
        post("/form", "name=&age=-1"),
        json!({"ok": false, "errors": [
            {"path": "/name", "message": "string too short"},
            {"path": "/age", "message": "below minimum"},
        ]})
    );
    assert_eq!(
        post("/form", "age=x"),
        json!({"ok": false, "errors": [
            {"path": "/name", "message": "missing required field"},
            {"path": "/age", "message": "type mismatch"},
        ]})
    );
    assert_eq!(
        post("/other", ""),
        json!({"ok": false, "error": "schema not found"})
    );
    // `?name=5` arrives as the number 5 in req.query; the schema wants a string.
    assert_eq!(
        app.json("/query?name=5&age=41&admin=true&tags=x"),
        json!({"ok": true, "value": {"name": "5", "age": 41, "admin": true, "tags": ["x"]}})
    );
    assert_eq!(
        app.json("/query?name=Bo&age=1.5"),
        json!({"ok": false, "errors": [{"path": "/age", "message": "type mismatch"}]})
    );
}

#[test]
fn ids_are_well_formed_and_distinct() {
    let mut app = App::with(
        r#"
import { uuid, ulid, nanoid } from "zigttp:id";
export function handler(req: Request): Response {
  return Response.json({
    uuids: [...range(50)].map((i) => uuid()),
    ulid: ulid(),
    nano: nanoid(),
    nano10: nanoid(10),
  });
}
"#,
        Policy::allow_all(),
        // The ULID specification's example time: "01ARYZ6S41".
        1_469_918_176_385.0,
    );
    let got = app.json("/");
    let uuids: Vec<&str> = got["uuids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let distinct: std::collections::BTreeSet<&&str> = uuids.iter().collect();
    assert_eq!(distinct.len(), 50);
    for u in &uuids {
        let b = u.as_bytes();
        assert_eq!(b.len(), 36, "{u}");
        for (i, c) in b.iter().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                assert_eq!(*c, b'-');
            } else {
                assert!(c.is_ascii_digit() || (b'a'..=b'f').contains(c), "{u}");
            }
        }
        assert_eq!(b[14], b'4', "version 4: {u}");
        assert!(b"89ab".contains(&b[19]), "RFC 4122 variant: {u}");
    }
    let ulid = got["ulid"].as_str().unwrap();
    assert_eq!(ulid.len(), 26);
    assert!(ulid.starts_with("01ARYZ6S41"), "{ulid}");
    assert!(
        ulid.bytes()
            .all(|c| b"0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(&c))
    );
    let url_safe = |s: &str| {
        s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    };
    assert_eq!(got["nano"].as_str().unwrap().len(), 21);
    assert!(url_safe(got["nano"].as_str().unwrap()));
    assert_eq!(got["nano10"].as_str().unwrap().len(), 10);

    let mut bad = App::new(
        r#"
import { nanoid } from "zigttp:id";
export function handler(req: Request): Response { return Response.text(nanoid(0)); }
"#,
    );
    let (status, body) = bad.call("GET", "/", None);
    assert_eq!(status, 500);
    assert!(body.contains("RangeError"), "{body}");
}

#[test]
fn time_formats_and_parses() {
    let mut app = App::new(
        r#"
import { formatIso, formatHttp, parseIso, addSeconds } from "zigttp:time";
export function handler(req: Request): Response {
  return Response.json({
    iso: formatIso(1704164645678),
    epoch: formatIso(0),
    before: formatIso(-1),
    http: formatHttp(784111777000),
    parsed: parseIso("2024-01-02T03:04:05.678Z"),
    offset: parseIso("1994-11-06T10:49:37+02:00"),
    dateOnly: parseIso("2024-02-29"),
    invalid: parseIso("2023-02-29") === undefined,
    garbage: parseIso("yesterday") === undefined,
    nan: formatIso(NaN) === undefined,
    later: addSeconds(1000, 1.5),
    roundTrip: parseIso(formatIso(1234567890123)),
  });
}
"#,
    );
    assert_eq!(
        app.json("/"),
        json!({
            "iso": "2024-01-02T03:04:05.678Z",
            "epoch": "1970-01-01T00:00:00.000Z",
            "before": "1969-12-31T23:59:59.999Z",
            "http": "Sun, 06 Nov 1994 08:49:37 GMT",
            "parsed": 1_704_164_645_678_u64,
            "offset": 784_111_777_000_u64,
            "dateOnly": 1_709_164_800_000_u64,
            "invalid": true,
            "garbage": true,
            "nan": true,
            "later": 2500,
            "roundTrip": 1_234_567_890_123_u64,
        })
    );
}

#[test]
fn http_cookies_negotiation_content_type_and_cors() {
    let mut app = App::new(
        r#"
import { parseCookies, setCookie, negotiate, parseContentType, cors } from "zigttp:http";
export function handler(req: Request): Response {
  return Response.json({
    cookies: parseCookies("sid=abc123; theme=\"dark\"; sid=shadowed; broken; =x"),
    set: setCookie("sid", "abc", { path: "/", domain: "example.com", httpOnly: true, secure: true, sameSite: "lax", maxAge: 3600.7, expires: 784111777000 }),
    plain: setCookie("a", "b"),
    crlfValue: setCookie("sid", "x\r\nSet-Cookie: admin=1") === undefined,
    semicolon: setCookie("sid", "x; Domain=evil.com") === undefined,
    badName: setCookie("s id", "x") === undefined,
    badPath: setCookie("sid", "x", { path: "/\r\n" }) === undefined,
    badSameSite: setCookie("sid", "x", { sameSite: "sometimes" }) === undefined,
    json: negotiate("text/html;q=0.5, application/json", "text/html, application/json"),
    wildcard: negotiate("image/*", "text/plain, image/webp"),
    refused: negotiate("text/plain;q=0", "text/plain") === undefined,
    noAccept: negotiate(undefined, "text/plain"),
    ct: parseContentType("Text/HTML; Charset=\"UTF-8\""),
    ctBare: parseContentType("application/json"),
    cors: cors("https://app.example.com", { methods: ["GET", "POST"], headers: "Content-Type", maxAge: 600, credentials: true }),
    corsAny: cors("*"),
    corsInjected: cors("https://x\r\nSet-Cookie: a=b") === undefined,
  });
}
"#,
    );
    assert_eq!(
        app.json("/"),
        json!({
            "cookies": {"sid": "abc123", "theme": "dark"},
            "set": "sid=abc; Path=/; Domain=example.com; Max-Age=3600; Expires=Sun, 06 Nov 1994 08:49:37 GMT; HttpOnly; Secure; SameSite=Lax",
            "plain": "a=b",
            "crlfValue": true,
            "semicolon": true,
            "badName": true,
            "badPath": true,
            "badSameSite": true,
            "json": "application/json",
            "wildcard": "image/webp",
            "refused": true,
            "noAccept": "text/plain",
            "ct": {"type": "text", "subtype": "html", "charset": "UTF-8"},
            "ctBare": {"type": "application", "subtype": "json"},
            "cors": {
                "Access-Control-Allow-Origin": "https://app.example.com",
                "Vary": "Origin",
                "Access-Control-Allow-Methods": "GET, POST",
                "Access-Control-Allow-Headers": "Content-Type",
                "Access-Control-Max-Age": "600",
                "Access-Control-Allow-Credentials": "true",
            },
            "corsAny": {"Access-Control-Allow-Origin": "*"},
            "corsInjected": true,
        })
    );
}
