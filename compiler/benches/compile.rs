//! Compile time of a handler: lexing, parsing, checks, codegen, encoding and
//! self-verification, on a synthetic handler of about 5,000 lines.

use criterion::{Criterion, criterion_group, criterion_main};
use std::fmt::Write as _;

fn big_handler(functions: usize) -> String {
    let mut s = String::new();
    for i in 0..functions {
        let _ = write!(
            s,
            "function helper{i}(req: Request, n: number): string {{\n  const parts: string[] = [];\n  for (const k of range(n)) {{\n    if (k % 2 === 0) {{\n      parts.push(`${{req.path}}-${{k}}`);\n    }} else {{\n      parts.push(`odd ${{k * {i}}}`);\n    }}\n  }}\n  return parts.join(\",\");\n}}\n\n"
        );
    }
    s.push_str("export function handler(req: Request): Response {\n  return Response.text(helper0(req, 3));\n}\n");
    s
}

fn bench(c: &mut Criterion) {
    let src = big_handler(420);
    assert!(src.lines().count() >= 5000);
    c.bench_function("compile/5k_lines", |b| {
        b.iter(|| zigts_compiler::compile("big.ts", &src).expect("compiles"));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
