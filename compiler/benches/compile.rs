//! Compile time of a handler, on a synthetic handler of about 5,000 lines:
//! the whole pipeline (lexing, parsing, checks, codegen, encoding and
//! self-verification), and its first and last stages alone (the front end;
//! the verifier over the finished bundle). Codegen and checks are the
//! difference.

use criterion::{Criterion, criterion_group, criterion_main};
use std::fmt::Write as _;
use zigts_compiler::front::diag::FileId;

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
    c.bench_function("compile/5k_lines/lex_parse", |b| {
        b.iter(|| {
            let arena = bumpalo::Bump::new();
            let parsed = zigts_compiler::front::parse(&arena, FileId(0), &src, false);
            assert!(parsed.diagnostics.is_empty());
            parsed.program.stmts.len()
        });
    });
    let bytes = zigts_compiler::compile("big.ts", &src)
        .expect("compiles")
        .bytes;
    let limits = zigts_verifier::Limits::default();
    c.bench_function("compile/5k_lines/verify", |b| {
        b.iter(|| {
            zigts_verifier::verify(&bytes, &limits, zigts_vm::modules::TABLE).expect("verifies")
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
