//! The request path without sockets: request object -> handler -> response
//! -> arena reset, for the bench handlers. The HTTP decode/encode is measured
//! with it in `full/*`.

use bumpalo::Bump;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::sync::Arc;
use zigts_vm::{ExecLimits, Instance, RequestParts, SystemHost};
use zigttp::app::service::{HandlerService, RunPolicy};
use zigttp::core::{Header, Request, Response, Service};

const HELLO: &str = r"export function handler(_req: Request): Response {
  return Response.json({ ok: true });
}";

const API: &str = r#"
const ROLES = ["reader", "editor", "admin"];
function userById(id: number) {
  return { id: id, name: `user-${id}`, email: `user${id}@example.com`, roles: ROLES.slice(0, 1 + (id % 3)), active: id % 5 !== 0 };
}
export function handler(req: Request): Response {
  if (req.method === "GET" && req.path.startsWith("/users/")) {
    const raw = req.path.slice(7);
    const id = parseInt(raw, 10);
    if (`${id}` !== raw) {
      return Response.json({ error: "no such user", id: raw }, { status: 404 });
    }
    return Response.json(userById(id));
  }
  return Response.json({ error: "not found" }, { status: 404 });
}"#;

fn instance(src: &str) -> Arc<Instance> {
    let bytes = zigts_compiler::compile("bench.ts", src)
        .expect("bench handler compiles")
        .bytes;
    let program = zigttp::app::verify_bundle(&bytes).expect("verifies");
    Arc::new(
        zigttp::app::instantiate(&program, &mut SystemHost::default(), ExecLimits::default())
            .expect("loads"),
    )
}

fn bench(c: &mut Criterion) {
    for (name, src, target) in [("hello", HELLO, "/"), ("api_user", API, "/users/42")] {
        let inst = instance(src);
        let mut arena = Bump::new();
        let mut host = SystemHost::default();
        let headers: [(&str, &[u8]); 2] = [("host", b"127.0.0.1"), ("accept", b"*/*")];
        let parts = RequestParts {
            method: "GET",
            target,
            headers: &headers,
            body: None,
        };
        let mut out = Vec::with_capacity(1024);
        c.bench_function(&format!("vm/{name}"), |b| {
            b.iter(|| {
                {
                    let r = inst
                        .handle(&arena, black_box(&parts), &mut host, ExecLimits::default())
                        .expect("runs");
                    out.clear();
                    out.extend_from_slice(r.body.as_bytes());
                }
                arena.reset();
                black_box(&out);
            });
        });

        let mut service = HandlerService::new(Arc::clone(&inst), RunPolicy::default());
        let hdrs = [
            Header {
                name: "Host",
                value: b"127.0.0.1",
            },
            Header {
                name: "Accept",
                value: b"*/*",
            },
        ];
        let req = Request {
            method: "GET",
            target,
            minor_version: 1,
            headers: &hdrs,
            body: b"",
        };
        let mut res = Response::new();
        c.bench_function(&format!("service/{name}"), |b| {
            b.iter(|| {
                res.clear();
                service.call(black_box(&req), &mut res);
                black_box(res.status());
            });
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
