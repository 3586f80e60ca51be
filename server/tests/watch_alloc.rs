//! The watch-mode swap point (`HandlerSlot`): a service that follows a slot
//! serves the replacement from its next request on, and between swaps its
//! requests cause no system allocation (one atomic load per request).
//!
//! A counting global allocator sees every allocation of this test binary;
//! it holds a single test so nothing else allocates meanwhile.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use zigts_vm::{ExecLimits, Instance, SystemHost};
use zigttp::app::Reuse;
use zigttp::app::service::{HandlerService, HandlerSlot, RunPolicy};
use zigttp::core::{Request, Response, Service};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::ALLOCATIONS;

#[global_allocator]
static GLOBAL: counting_alloc::Counting = counting_alloc::Counting;

fn load(src: &str) -> Arc<Instance> {
    let bytes = zigts_compiler::compile("w.ts", src)
        .expect("compiles")
        .bytes;
    let program = zigttp::app::verify_bundle(&bytes).expect("verifies");
    Arc::new(
        zigttp::app::instantiate(&program, &mut SystemHost::default(), ExecLimits::default())
            .expect("loads"),
    )
}

fn body(res: &Response) -> String {
    String::from_utf8_lossy(res.body()).into_owned()
}

#[test]
fn a_watching_service_swaps_and_does_not_allocate_between_swaps() {
    let v1 = load(
        "export function handler(req: Request): Response { return Response.text(`one ${req.path}`); }\n",
    );
    let v2 = load(
        "export function handler(req: Request): Response { return Response.text(`two ${req.path}`); }\n",
    );
    let slot = Arc::new(HandlerSlot::new(v1, Reuse::Unbounded));
    let mut service = HandlerService::new(Arc::clone(&slot.current().0), RunPolicy::default())
        .watching(Arc::clone(&slot));
    let req = Request {
        method: "GET",
        target: "/p",
        minor_version: 1,
        headers: &[],
        body: b"",
    };
    let mut res = Response::new();
    let run = |service: &mut HandlerService, res: &mut Response, n: usize| {
        for _ in 0..n {
            res.clear();
            service.call(&req, res);
        }
    };
    run(&mut service, &mut res, 200);
    assert_eq!(body(&res), "one /p");
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    run(&mut service, &mut res, 2000);
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    assert_eq!(after - before, 0, "allocations while following the slot");

    slot.replace(v2, Reuse::Unbounded);
    run(&mut service, &mut res, 1);
    assert_eq!(
        body(&res),
        "two /p",
        "the next request uses the replacement"
    );
    run(&mut service, &mut res, 200);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    run(&mut service, &mut res, 2000);
    let after = ALLOCATIONS.load(Ordering::Relaxed);
    assert_eq!(after - before, 0, "allocations after a swap");
    assert_eq!(body(&res), "two /p");
}
