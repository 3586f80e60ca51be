//! Any single-byte change to a compiled bundle is either rejected by the
//! verifier or, when accepted, runs under the VM's limits without a panic
//! (DESIGN section 9: a bundle the verifier accepts never panics the VM).

use bumpalo::Bump;
use proptest::prelude::*;
use std::sync::Arc;
use std::time::{Duration, Instant};
use zigts_verifier::bundle::seal;
use zigts_verifier::{Limits, verify};
use zigts_vm::{ExecLimits, Instance, QuietHost, RequestParts};

const SOURCE: &str = r#"
const ROUTES = { "/a": "alpha", "/b": "beta" };
function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
function collect(xs: number[]): string {
  const out: string[] = [];
  for (const [i, x] of xs.entries()) {
    if (x % 2 === 0) { continue; }
    out.push(`${i}:${x * 1.5}`);
  }
  return out.join(",");
}
export function handler(req: Request): Response {
  const { path, query } = req;
  const name = ROUTES[path] ?? "none";
  const counter = ((start: number) => { let n = start; return () => { n += 1; return n; }; })(query.n ?? 0);
  return match (path) {
    when "/fib": Response.json({ v: fib(10), c: counter() })
    default: Response.text(`${name} ${collect([1, 2, 3, 4, 5])} ${JSON.stringify({ q: query })}`, { status: 200 })
  };
}
"#;

fn limits() -> ExecLimits {
    ExecLimits {
        deadline: Some(Instant::now() + Duration::from_millis(200)),
        arena_cap: 8 << 20,
        ..ExecLimits::default()
    }
}

fn run_if_accepted(bytes: &[u8]) {
    let Ok(program) = verify(bytes, &Limits::default(), zigts_vm::modules::TABLE) else {
        return;
    };
    let Ok(instance) = Instance::load(Arc::new(program), &mut QuietHost, limits()) else {
        return;
    };
    let arena = Bump::new();
    for target in ["/a", "/fib", "/x?n=3"] {
        let parts = RequestParts {
            method: "GET",
            target,
            headers: &[],
            body: None,
        };
        let _ = instance.handle(&arena, &parts, &mut QuietHost, limits());
    }
}

#[test]
fn the_sample_runs() {
    let bytes = zigts_compiler::compile("m.ts", SOURCE)
        .expect("compiles")
        .bytes;
    let program = verify(&bytes, &Limits::default(), zigts_vm::modules::TABLE).expect("verifies");
    let instance = Instance::load(Arc::new(program), &mut QuietHost, limits()).expect("loads");
    let arena = Bump::new();
    let parts = RequestParts {
        method: "GET",
        target: "/fib",
        headers: &[],
        body: None,
    };
    let r = instance
        .handle(&arena, &parts, &mut QuietHost, limits())
        .expect("runs");
    assert_eq!(r.body, "{\"v\":55,\"c\":1}");
}

/// Mutated bundles per run: 3,000 in `cargo test`; set
/// `ZIGTTP_MUTATION_CASES` for a long run (the issue asks for 100,000 once).
fn mutation_cases() -> u32 {
    std::env::var("ZIGTTP_MUTATION_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(mutation_cases()))]

    #[test]
    fn mutated_bundles_are_rejected_or_run_safely(pos in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let bytes = zigts_compiler::compile("m.ts", SOURCE).expect("compiles").bytes;
        let body_len = bytes.len() - 32;
        let mut m = bytes[..body_len].to_vec();
        m[pos.index(body_len)] = byte;
        seal(&mut m);
        run_if_accepted(&m);
    }
}
