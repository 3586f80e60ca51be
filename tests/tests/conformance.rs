//! The conformance runner: every program of `../shared/conformance/run/`
//! through `zigttp test` semantics and through a real server on loopback,
//! and every `../shared/conformance/reject/` program through the compiler.
//!
//! It prints how many pass. It fails only when something listed in
//! `tests/conformance/expected-passes.txt` no longer passes (a regression);
//! programs that need later work are reported, not failed. Regenerate the
//! list with `ZIGTTP_REGENERATE=1 cargo test -p zigttp-tests --test conformance`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use zigts_vm::ExecLimits;
use zigttp::app;
use zigttp::testing::{Case, check, parse_cases};
use zigttp_tests::{answer_over_http_with_env, env_from_io};

fn shared() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance");
    dir.is_dir().then_some(dir)
}

fn expected_file() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance/expected-passes.txt")
}

fn first_line_expectation(text: &str) -> Option<(String, String)> {
    let rest = text.lines().next()?.strip_prefix("// expect-error: ")?;
    let (code, pos) = rest.split_once(' ')?;
    Some((code.to_string(), pos.trim().to_string()))
}

#[test]
fn conformance() {
    let Some(root) = shared() else {
        eprintln!(
            "\n!!! SKIPPING conformance: ../shared/conformance not found beside the checkout !!!\n"
        );
        return;
    };
    let mut passes: BTreeSet<String> = BTreeSet::new();
    let mut report = Vec::new();
    let (mut total_test, mut total_server, mut cases_count) = (0, 0, 0);

    let mut handlers: Vec<PathBuf> = std::fs::read_dir(root.join("run"))
        .expect("read run/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            (name.ends_with(".ts") || name.ends_with(".tsx"))
                && name.as_bytes().first().is_some_and(u8::is_ascii_digit)
        })
        .collect();
    handlers.sort();
    for path in &handlers {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let cases_path = path.with_file_name(format!("{stem}.test.jsonl"));
        let Ok(cases_text) = std::fs::read_to_string(&cases_path) else {
            continue;
        };
        let cases: Vec<Case> = parse_cases(&cases_text).expect("conformance case files parse");
        cases_count += cases.len();
        let program = match app::load_program(path.to_str().unwrap_or_default()) {
            Ok(p) => p,
            Err(e) => {
                let first = e.lines().next().unwrap_or("").to_string();
                report.push(format!("  run/{stem}: does not compile: {first}"));
                continue;
            }
        };
        let (mut ok_test, mut ok_server) = (0, 0);
        for case in &cases {
            let Some(req) = &case.request else { continue };
            let a = zigttp::testing::answer_with(&program, req, &case.io, ExecLimits::default());
            if check(&a, &case.expects).is_empty() {
                ok_test += 1;
                passes.insert(format!("test run/{stem} :: {}", case.name));
            }
            match answer_over_http_with_env(&program, req, &env_from_io(&case.io)) {
                Ok(a) if check(&a, &case.expects).is_empty() => {
                    ok_server += 1;
                    passes.insert(format!("server run/{stem} :: {}", case.name));
                }
                _ => {}
            }
        }
        total_test += ok_test;
        total_server += ok_server;
        report.push(format!(
            "  run/{stem}: {ok_test}/{} via test runner, {ok_server}/{} via server",
            cases.len(),
            cases.len()
        ));
    }

    let mut rejects: Vec<PathBuf> = std::fs::read_dir(root.join("reject"))
        .expect("read reject/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "ts"))
        .collect();
    rejects.sort();
    let mut ok_reject = 0;
    for path in &rejects {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        let text = std::fs::read_to_string(path).expect("read reject file");
        let Some((code, pos)) = first_line_expectation(&text) else {
            continue;
        };
        let name = format!("reject/{stem}.ts");
        let verdict = match zigts_compiler::compile(&name, &text) {
            Ok(_) => "compiled, but must be rejected".to_string(),
            Err(e) => {
                let d = &e.diagnostics[0];
                let (_, line, col) = e.position(d).unwrap_or(("", 0, 0));
                if d.code == code && format!("{line}:{col}") == pos {
                    ok_reject += 1;
                    passes.insert(format!("reject {name}"));
                    continue;
                }
                format!("got {} at {line}:{col}, want {code} at {pos}", d.code)
            }
        };
        report.push(format!("  {name}: {verdict}"));
    }

    println!("conformance report:\n{}", report.join("\n"));
    println!(
        "conformance: {total_test}/{cases_count} cases via zigttp test, {total_server}/{cases_count} via a real server, {ok_reject}/{} rejections",
        rejects.len()
    );

    let file = expected_file();
    if std::env::var_os("ZIGTTP_REGENERATE").is_some() {
        let mut text = String::from(
            "# @generated by tests/tests/conformance.rs: conformance items that pass.\n\
             # Regenerate: ZIGTTP_REGENERATE=1 cargo test -p zigttp-tests --test conformance\n",
        );
        for p in &passes {
            text.push_str(p);
            text.push('\n');
        }
        std::fs::write(&file, text).expect("write expected-passes.txt");
        return;
    }
    let expected: BTreeSet<String> = std::fs::read_to_string(&file)
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    let regressions: Vec<&String> = expected.difference(&passes).collect();
    let new: Vec<&String> = passes.difference(&expected).collect();
    if !new.is_empty() {
        println!(
            "newly passing (add them with ZIGTTP_REGENERATE=1):\n  {}",
            new.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n  ")
        );
    }
    assert!(
        regressions.is_empty(),
        "conformance regressions:\n  {}",
        regressions
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  ")
    );
}
