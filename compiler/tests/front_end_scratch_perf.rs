use bumpalo::Bump;
use zigts_compiler::front::{diag::FileId, parse};
#[test]
fn perf() {
    let mut srcs = vec![];
    for d in ["run", "run/lib"] {
        for e in std::fs::read_dir(format!("/work/shared/conformance/{d}")).unwrap().flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "ts" || x == "tsx") { srcs.push((std::fs::read_to_string(&p).unwrap(), p.extension().unwrap() == "tsx")); }
        }
    }
    let total: usize = srcs.iter().map(|s| s.0.len()).sum();
    let mut arena = Bump::new();
    let t = std::time::Instant::now();
    for _ in 0..200 { for (s, jsx) in &srcs { let r = parse(&arena, FileId(0), s, *jsx); assert!(r.diagnostics.is_empty()); } arena.reset(); }
    let el = t.elapsed();
    eprintln!("PERF {:.1} MB/s", (total * 200) as f64 / el.as_secs_f64() / 1e6);
}
