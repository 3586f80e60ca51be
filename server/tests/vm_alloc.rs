//! Steady-state requests through the VM cause no system allocation: the
//! request object, the handler's values and the response all live in the
//! worker's arena, which is reset (keeping its memory) after each request.
//!
//! A counting global allocator sees every allocation of this test binary;
//! it holds a single test so nothing else allocates meanwhile.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use zigts_vm::{ExecLimits, SystemHost};
use zigttp::app::service::{HandlerService, RunPolicy};
use zigttp::core::{Header, Request, Response, Service};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::ALLOCATIONS;

#[global_allocator]
static GLOBAL: counting_alloc::Counting = counting_alloc::Counting;

const API: &str = r#"
const ROLES = ["reader", "editor", "admin"];
function userById(id: number) {
  return { id: id, name: `user-${id}`, email: `user${id}@example.com`, roles: ROLES.slice(0, 1 + (id % 3)), active: id % 5 !== 0 };
}
function summarize(items: { sku: string; qty: number; price: number }[]) {
  let units = 0;
  for (const item of items) {
    units = units + item.qty;
  }
  return { count: items.length, units, skus: items.map((i) => i.sku).join(",") };
}
export function handler(req: Request): Response {
  if (req.method === "GET" && req.path.startsWith("/users/")) {
    const raw = req.path.slice(7);
    const id = parseInt(raw, 10);
    return Response.json(userById(id), { headers: { "X-User": raw } });
  }
  if (req.method === "POST" && req.path === "/echo") {
    const order = req.json();
    return Response.json({ ...summarize(order.items), q: req.query.tag ?? "none" });
  }
  return Response.json({ error: "not found", path: req.path }, { status: 404 });
}
"#;

#[test]
fn steady_state_requests_do_not_allocate() {
    let bytes = zigts_compiler::compile("api.ts", API)
        .expect("compiles")
        .bytes;
    let program = zigttp::app::verify_bundle(&bytes).expect("verifies");
    let instance = Arc::new(
        zigttp::app::instantiate(&program, &mut SystemHost::default(), ExecLimits::default())
            .expect("loads"),
    );
    // With metrics: the arena high-water mark and the arena audit run per request.
    let metrics = Arc::new(zigttp::metrics::Metrics::new(1));
    let mut service =
        HandlerService::new(instance, RunPolicy::default()).with_metrics(Arc::clone(&metrics), 0);
    let headers = [
        Header {
            name: "Host",
            value: b"127.0.0.1:3000",
        },
        Header {
            name: "User-Agent",
            value: b"wrk",
        },
        Header {
            name: "Content-Type",
            value: b"application/json",
        },
    ];
    let body = br#"{"items":[{"sku":"A1","qty":2,"price":150},{"sku":"B2","qty":1,"price":999}]}"#;
    let requests = [
        Request {
            method: "GET",
            target: "/users/42",
            minor_version: 1,
            headers: &headers,
            body: b"",
        },
        Request {
            method: "POST",
            target: "/echo?tag=x%20y",
            minor_version: 1,
            headers: &headers,
            body,
        },
        Request {
            method: "GET",
            target: "/missing",
            minor_version: 1,
            headers: &headers,
            body: b"",
        },
    ];
    let mut res = Response::new();
    let mut run = |n: usize| {
        for i in 0..n {
            res.clear();
            service.call(&requests[i % requests.len()], &mut res);
        }
    };
    run(300);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    run(3000);
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    res.clear();
    service.call(&requests[0], &mut res);
    assert_eq!(res.status(), 200);
    assert_eq!(
        after - before,
        0,
        "system allocations during 3000 steady-state requests"
    );
    assert!(metrics.arena_high_water() > 0);
    assert_eq!(metrics.arena_audit_failures(), 0);
}
