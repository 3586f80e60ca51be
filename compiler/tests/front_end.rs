//! Front-end conformance: every `run/` program parses cleanly, every
//! `reject/` program (except the semantic ones, 28 and 30) fails with the
//! code and `line:col` on its first line, and the rendered first diagnostics
//! match `fixtures/front_end/diagnostics.golden`.
//!
//! Regenerate the golden file with
//! `ZIGTTP_REGENERATE=1 cargo test -p zigts-compiler --test front_end`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use bumpalo::Bump;
use zigts_compiler::front::diag::{FileId, SourceFile};
use zigts_compiler::front::parse;

/// Reject files whose error comes from semantic checks, not the front end.
const SEMANTIC_REJECTS: &[&str] = &["28-module-let-assigned.ts", "30-unknown-module.ts"];

fn conformance_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "\n!!!!!!!! skipping: ../shared not found ({}) !!!!!!!!\n",
            dir.display()
        );
        None
    }
}

fn sources_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|x| x.to_str()), Some("ts" | "tsx")))
        .collect();
    files.sort();
    files
}

fn is_jsx(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "tsx")
}

/// `reject/NN-name.ts` as shown in diagnostics.
fn display_name(path: &Path) -> String {
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .map_or(String::new(), |p| p.to_string_lossy().into_owned());
    format!("{parent}/{}", path.file_name().unwrap().to_string_lossy())
}

#[test]
fn run_programs_parse_without_diagnostics() {
    let Some(root) = conformance_dir() else {
        return;
    };
    let mut files = sources_in(&root.join("run"));
    files.extend(sources_in(&root.join("run/lib")));
    assert!(
        files.len() >= 35,
        "expected the 32 handlers and 3 helpers, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let arena = Bump::new();
        let result = parse(&arena, FileId(0), &text, is_jsx(path));
        if !result.diagnostics.is_empty() || result.panicked {
            let src = SourceFile::new(display_name(path), text.clone());
            for d in &result.diagnostics {
                failures.push(src.render(d));
            }
        }
        assert!(
            !result.program.stmts.is_empty() || result.panicked,
            "{}: empty program",
            path.display()
        );
    }
    assert!(
        failures.is_empty(),
        "run programs with diagnostics:\n{}",
        failures.join("\n")
    );
}

/// `// expect-error: CODE L:C`
fn expectation(text: &str) -> (String, u32, u32) {
    let first = text.lines().next().unwrap_or("");
    let rest = first
        .strip_prefix("// expect-error: ")
        .expect("first line is an expect-error comment");
    let (code, pos) = rest.trim().split_once(' ').expect("CODE L:C");
    let (l, c) = pos.split_once(':').expect("L:C");
    (code.to_string(), l.parse().unwrap(), c.parse().unwrap())
}

/// Parses each front-end reject file; returns (file, rendered first
/// diagnostic, mismatch if any).
fn reject_results(root: &Path) -> Vec<(String, String, Option<String>)> {
    let mut out = Vec::new();
    for path in sources_in(&root.join("reject")) {
        let file_name = path.file_name().unwrap().to_string_lossy().into_owned();
        if SEMANTIC_REJECTS.contains(&file_name.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let (code, line, col) = expectation(&text);
        let arena = Bump::new();
        let result = parse(&arena, FileId(0), &text, is_jsx(&path));
        let name = display_name(&path);
        let src = SourceFile::new(name.clone(), text.clone());
        let Some(first) = result.diagnostics.first() else {
            out.push((
                name,
                String::new(),
                Some(format!("expected {code} {line}:{col}, got no diagnostic")),
            ));
            continue;
        };
        let (l, c) = src.line_col(first.span.start);
        let mismatch = (first.code != code || l != line || c != col).then(|| {
            format!(
                "expected {code} {line}:{col}, got {} {l}:{c}: {}",
                first.code, first.message
            )
        });
        assert!(result.panicked, "{name}: an error must set panicked");
        out.push((name, src.render(first), mismatch));
    }
    out
}

#[test]
fn reject_programs_fail_at_the_named_position() {
    let Some(root) = conformance_dir() else {
        return;
    };
    let results = reject_results(&root);
    assert_eq!(results.len(), 28, "28 front-end reject files");
    let failures: Vec<String> = results
        .iter()
        .filter_map(|(name, _, m)| m.as_ref().map(|m| format!("{name}: {m}")))
        .collect();
    assert!(
        failures.is_empty(),
        "reject mismatches:\n{}",
        failures.join("\n")
    );
}

#[test]
fn reject_diagnostics_match_golden() {
    let Some(root) = conformance_dir() else {
        return;
    };
    let mut rendered = String::from(
        "# @generated by compiler/tests/front_end.rs: the first diagnostic of each front-end\n\
         # reject file. Regenerate: ZIGTTP_REGENERATE=1 cargo test -p zigts-compiler --test front_end\n",
    );
    for (name, text, _) in reject_results(&root) {
        let _ = write!(rendered, "\n=== {name}\n{text}");
    }
    let golden =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/front_end/diagnostics.golden");
    if std::env::var_os("ZIGTTP_REGENERATE").is_some() || !golden.exists() {
        std::fs::write(&golden, &rendered).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&golden)
        .unwrap()
        .replace("\r\n", "\n");
    assert!(
        expected == rendered,
        "diagnostics.golden is out of date; rerun with ZIGTTP_REGENERATE=1 and review the diff.\n\
         --- expected\n{expected}\n--- actual\n{rendered}"
    );
}

/// Parses `text` (both with and without JSX) and checks nothing panics;
/// returns whether parsing reported a diagnostic.
fn parse_both(text: &str) -> bool {
    let mut failed = false;
    for jsx in [false, true] {
        let arena = Bump::new();
        let r = parse(&arena, FileId(0), text, jsx);
        assert!(r.diagnostics.len() <= 1);
        assert_eq!(r.panicked, !r.diagnostics.is_empty());
        failed |= r.panicked;
    }
    failed
}

#[test]
fn never_panics_on_hostile_input() {
    // Empty and trivial input parse cleanly.
    assert!(!parse_both(""));
    assert!(!parse_both("   \n// only a comment\n/* and another */"));
    // Binary garbage.
    let garbage: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    parse_both(&String::from_utf8_lossy(&garbage));
    parse_both("\0\u{1}\u{feff}\u{2028}ß漢字😀\u{fffd}");
    // Unterminated everything.
    for text in [
        "\"abc",
        "'abc",
        "`abc",
        "`a${",
        "`a${b",
        "`a${b}",
        "/* x",
        "f(",
        "f(a,",
        "[1, 2",
        "{ a: 1",
        "const x = {",
        "function f(",
        "function f() {",
        "if (x",
        "for (const x of",
        "match (x) {",
        "match (x) { when 1:",
        "type T = {",
        "interface I {",
        "import { a",
        "import { a } from",
        "const f = (a, b",
        "const f = (a, b) =>",
        "x ?",
        "x ? y :",
        "a |>",
        "let [a, {b",
        "<div",
        "<div>",
        "<div><span></div>",
        "<a b=",
        "<a b={",
        "<a {...x",
        "x.",
        "x?.",
        "0x",
        "1e",
        "\\u",
        "#",
        "@",
        "const s = 'a\\",
        "return",
        "assert x,",
        "`${`${`${",
    ] {
        assert!(parse_both(text), "{text:?} should be rejected");
    }
}

#[test]
fn deep_nesting_is_a_diagnostic_not_a_stack_overflow() {
    // Run on a thread with a 2 MiB stack, as test threads have by default,
    // so the limit is checked against a realistic budget.
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(|| {
            for (open, close) in [
                ("(", ")"),
                ("[", "]"),
                ("{a:", "}"),
                ("f(", ")"),
                ("- ", ""),
                ("!", ""),
                ("typeof ", ""),
            ] {
                for depth in [100, 10_000] {
                    let text = format!("x = {}1{};", open.repeat(depth), close.repeat(depth));
                    let arena = Bump::new();
                    let r = parse(&arena, FileId(0), &text, false);
                    if depth == 100 {
                        assert!(r.diagnostics.is_empty(), "{open}: {:?}", r.diagnostics);
                    } else {
                        assert!(r.panicked, "{open} x {depth}");
                    }
                }
            }
            let blocks = format!("{}{}", "{".repeat(10_000), "}".repeat(10_000));
            assert!(parse(&Bump::new(), FileId(0), &blocks, false).panicked);
            let types = format!(
                "type T = {}number{};",
                "Array<".repeat(5000),
                ">".repeat(5000)
            );
            assert!(parse(&Bump::new(), FileId(0), &types, false).panicked);
            let arrows = "(a) => ".repeat(5000) + "1";
            assert!(parse(&Bump::new(), FileId(0), &arrows, false).panicked);
            let jsx = format!("x = {}{};", "<a>".repeat(5000), "</a>".repeat(5000));
            assert!(parse(&Bump::new(), FileId(0), &jsx, true).panicked);
            let pats = format!("const {}a{} = 1;", "[".repeat(5000), "]".repeat(5000));
            assert!(parse(&Bump::new(), FileId(0), &pats, false).panicked);
            let tmpl = format!("x = {}1{};", "`${".repeat(5000), "}`".repeat(5000));
            assert!(parse(&Bump::new(), FileId(0), &tmpl, false).panicked);
        })
        .unwrap();
    handle.join().expect("no stack overflow or panic");
}
