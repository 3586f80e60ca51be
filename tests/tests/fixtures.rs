//! The project's own regression programs (`tests/fixtures/run/*.ts` with
//! `.test.jsonl` cases): every case must pass through the test runner and
//! through a real server.

use std::path::Path;
use zigts_vm::ExecLimits;
use zigttp::testing::{check, parse_cases};
use zigttp_tests::answer_over_http;

#[test]
fn every_fixture_passes() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/run");
    let mut handlers: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/run")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ts" || e == "tsx"))
        .collect();
    handlers.sort();
    assert!(!handlers.is_empty());
    let mut failures = Vec::new();
    let mut count = 0;
    for path in &handlers {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let cases_text = std::fs::read_to_string(path.with_file_name(format!("{stem}.test.jsonl")))
            .expect("case file");
        let cases = parse_cases(&cases_text).expect("cases parse");
        let program = zigttp::app::load_program(path.to_str().unwrap_or_default())
            .unwrap_or_else(|e| panic!("{stem}: {e}"));
        for case in &cases {
            let req = case.request.as_ref().expect("request");
            count += 1;
            let a = zigttp::testing::answer(&program, req, ExecLimits::default());
            for p in check(&a, &case.expects) {
                failures.push(format!("{stem} :: {} (test runner): {p}", case.name));
            }
            match answer_over_http(&program, req) {
                Ok(a) => {
                    for p in check(&a, &case.expects) {
                        failures.push(format!("{stem} :: {} (server): {p}", case.name));
                    }
                }
                Err(e) => failures.push(format!("{stem} :: {} (server): {e}", case.name)),
            }
        }
    }
    println!("fixtures: {count} cases in {} programs", handlers.len());
    assert!(
        failures.is_empty(),
        "fixture failures:\n{}",
        failures.join("\n")
    );
}
