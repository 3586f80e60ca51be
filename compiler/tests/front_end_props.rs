//! Property tests: the lexer and parser never panic, whatever the input,
//! and their diagnostics always point inside the source. The recovering
//! parser (`zigts check`) ends, reports the same first error, and at most
//! one error per top-level item.

use bumpalo::Bump;
use proptest::prelude::*;
use zigts_compiler::front::diag::{FileId, SourceFile};
use zigts_compiler::front::lexer::tokenize;
use zigts_compiler::front::{parse, parse_recovering};

fn check(text: &str) {
    let bump = Bump::new();
    let (tokens, _) = tokenize(text, &bump);
    let mut last = 0;
    for t in &tokens {
        assert!(t.span.start >= last && t.span.end as usize <= text.len());
        last = t.span.end;
    }
    for jsx in [false, true] {
        let arena = Bump::new();
        let r = parse(&arena, FileId(0), text, jsx);
        assert!(r.diagnostics.len() <= 1);
        assert_eq!(r.panicked, !r.diagnostics.is_empty());
        for d in &r.diagnostics {
            assert!(
                d.span.start <= d.span.end && d.span.end as usize <= text.len(),
                "{d:?}"
            );
            assert!(text.is_char_boundary(d.span.start as usize), "{d:?}");
            // Rendering never panics either.
            let _ = SourceFile::new("p.ts", text).render(d);
        }
        let arena = Bump::new();
        let all = parse_recovering(&arena, FileId(0), text, jsx);
        assert_eq!(all.diagnostics.first(), r.diagnostics.first());
        assert_eq!(all.panicked, !all.diagnostics.is_empty());
        assert!(all.diagnostics.len() <= text.matches('\n').count() + 1);
        for d in &all.diagnostics {
            assert!(
                d.span.start <= d.span.end && d.span.end as usize <= text.len(),
                "{d:?}"
            );
            let _ = SourceFile::new("p.ts", text).render(d);
        }
    }
}

/// Fragments that reach deeper into the grammar than random bytes do.
const VOCAB: &[&str] = &[
    "const ",
    "let ",
    "x",
    "y",
    " = ",
    "1",
    "0x1f",
    ".5",
    "\"s\"",
    "'t'",
    "`a${",
    "}`",
    "`b`",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    ";",
    "\n",
    "=>",
    "|>",
    "?.",
    "??",
    "?",
    ":",
    "+",
    "*",
    "**",
    "<",
    ">",
    ">>",
    "/",
    "!",
    "...",
    "match (x) {",
    "when ",
    "default",
    "_",
    "function f",
    "return ",
    "if ",
    "else ",
    "for (const ",
    " of ",
    "assert ",
    "import { a } from \"m\";",
    "export ",
    "type T = ",
    "interface I ",
    "<div>",
    "</div>",
    "<br />",
    "{x}",
    "text",
    "a.b",
    "f(",
    "=",
    "+=",
    "undefined",
    "true",
    "number",
    "string[]",
    "Map<K, V>",
    "/*",
    "*/",
    "//",
    "\\",
    "#",
    "@",
    "null",
    "var",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn token_soup_never_panics(parts in proptest::collection::vec(proptest::sample::select(VOCAB), 0..64)) {
        check(&parts.concat());
    }
}
