//! VM micro-programs: calls, property access, string building, JSON.
//! Each runs the module initializer of a small compiled program.

use criterion::{Criterion, criterion_group, criterion_main};
use std::sync::Arc;
use zigts_vm::{ExecLimits, Instance, QuietHost, SystemHost};

const PROGRAMS: &[(&str, &str)] = &[
    (
        "calls_fib20",
        "function fib(n: number): number { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nconsole.log(fib(20));",
    ),
    (
        "props",
        "function run(): number { let t = 0; for (const i of range(20000)) { const o = { a: i, b: i * 2 }; t = t + o.a + o.b; } return t; }\nconsole.log(run());",
    ),
    (
        "strings",
        "function run(): number { const parts: string[] = []; for (const i of range(5000)) { parts.push(`k${i}`); } return parts.join(',').length; }\nconsole.log(run());",
    ),
    (
        "json",
        "function run(): number { let n = 0; for (const i of range(500)) { const s = JSON.stringify({ id: i, tags: ['a', 'b'], nested: { x: 1.5 } }); n = n + JSON.parse(s).id; } return n; }\nconsole.log(run());",
    ),
];

fn bench(c: &mut Criterion) {
    let _ = SystemHost::default();
    for (name, src) in PROGRAMS {
        let bytes = zigts_compiler::compile("bench.ts", src)
            .expect("compiles")
            .bytes;
        let program = Arc::new(
            zigts_verifier::verify(
                &bytes,
                &zigts_verifier::Limits::default(),
                zigts_vm::modules::TABLE,
            )
            .expect("verifies"),
        );
        c.bench_function(&format!("vm/{name}"), |b| {
            b.iter(|| {
                Instance::load(Arc::clone(&program), &mut QuietHost, ExecLimits::default())
                    .expect("runs")
            });
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
