//! Lexer unit tests: a token golden, metamorphic checks (monotonic spans,
//! CRLF invariance) and the error positions.

use std::fmt::Write as _;

use bumpalo::Bump;

use super::{Kind, LexErrorKind, LexMode, Lexer, Token, TokenValue, tokenize};

/// `Kind text` per line, `*` marking a preceding newline.
fn dump(source: &str) -> String {
    let bump = Bump::new();
    let (tokens, err) = tokenize(source, &bump);
    let mut out = String::new();
    for t in &tokens {
        let text = &source[t.span.start as usize..t.span.end as usize];
        let nl = if t.newline_before { "*" } else { " " };
        let value = match t.value {
            TokenValue::None => String::new(),
            TokenValue::Number(n) => format!(" = {n}"),
            TokenValue::Str(s) => format!(" = {s:?}"),
        };
        let _ = writeln!(out, "{nl}{:?} {text}{value}", t.kind);
    }
    if let Some(e) = err {
        let _ = writeln!(
            out,
            "error {:?} at {}..{}",
            e.kind, e.span.start, e.span.end
        );
    }
    out
}

#[test]
fn token_golden() {
    let source = "import { a as b } from \"m\";\n\
                  // comment\n\
                  const x = 0x1F + .5e1 ?? y?.z |> f; /* multi\nline */ `t${1}u${`v${2}`}w`;\n\
                  x >>>= 1_000; a?.5:b; 'q\\n';";
    let expected = " Import import
 LBrace {
 Ident a
 As as
 Ident b
 RBrace }
 From from
 String \"m\" = \"m\"
 Semi ;
*Const const
 Ident x
 Eq =
 Number 0x1F = 31
 Plus +
 Number .5e1 = 5
 Question2 ??
 Ident y
 QuestionDot ?.
 Ident z
 Pipe |>
 Ident f
 Semi ;
*TemplateHead `t${ = \"t\"
 Number 1 = 1
 TemplateMiddle }u${ = \"u\"
 TemplateHead `v${ = \"v\"
 Number 2 = 2
 TemplateTail }` = \"\"
 TemplateTail }w` = \"w\"
 Semi ;
*Ident x
 ShiftRight3Eq >>>=
 Number 1_000 = 1000
 Semi ;
 Ident a
 Question ?
 Number .5 = 0.5
 Colon :
 Ident b
 Semi ;
 String 'q\\n' = \"q\\n\"
 Semi ;
";
    assert_eq!(dump(source), expected);
}

#[test]
fn keywords_and_operators() {
    let bump = Bump::new();
    let src = "var while do switch class this new null throw try delete instanceof enum async \
               await function yield super implements public private protected namespace module \
               interface type distinct match when default assert satisfies typeof void in of \
               let const return if else for break continue true false undefined \
               == != === !== ++ -- &&= ||= ??= => ... @ ** **= << >> >>> <<= >>= &= |= ^= %=";
    let (tokens, err) = tokenize(src, &bump);
    assert!(err.is_none());
    assert!(tokens.iter().all(|t| t.kind != Kind::Ident), "{tokens:?}");
    let ops: Vec<Kind> = tokens.iter().rev().take(21).map(|t| t.kind).collect();
    assert!(ops.contains(&Kind::Amp2Eq) && ops.contains(&Kind::Dot3) && ops.contains(&Kind::At));
}

#[test]
fn errors_point_at_the_right_place() {
    let bump = Bump::new();
    let cases: &[(&str, LexErrorKind, u32, u32)] = &[
        ("x = \"abc\n", LexErrorKind::UnterminatedString, 4, 5),
        ("x = 'abc", LexErrorKind::UnterminatedString, 4, 5),
        ("a `x${b}y", LexErrorKind::UnterminatedTemplate, 2, 3),
        ("`abc", LexErrorKind::UnterminatedTemplate, 0, 1),
        ("a /* b", LexErrorKind::UnterminatedComment, 2, 4),
        ("1 + 012", LexErrorKind::InvalidNumber, 4, 7),
        ("3in", LexErrorKind::InvalidNumber, 0, 3),
        ("'a\\x4g'", LexErrorKind::InvalidEscape, 2, 4),
        ("'a\\u12'", LexErrorKind::InvalidUnicodeEscape, 2, 4),
        ("`\\u{110000}`", LexErrorKind::InvalidUnicodeEscape, 1, 3),
        ("a \\ b", LexErrorKind::UnexpectedChar, 2, 3),
    ];
    for &(src, kind, start, end) in cases {
        let (_, err) = tokenize(src, &bump);
        let err = err.unwrap_or_else(|| panic!("no error for {src:?}"));
        assert_eq!(
            (err.kind, err.span.start, err.span.end),
            (kind, start, end),
            "{src:?}"
        );
    }
    // `#` lexes as its own token (private names are rejected by the parser).
    let (tokens, err) = tokenize("a # b", &bump);
    assert!(err.is_none() && tokens.iter().any(|t| t.kind == Kind::Hash));
}

#[test]
fn jsx_modes() {
    let bump = Bump::new();
    let src = "<div data-id=\"a\\b\" x={1}>Hi {name} there</div>";
    let mut lx = Lexer::new(src, &bump);
    let modes = [
        LexMode::Normal,   // <
        LexMode::JsxTag,   // div
        LexMode::JsxTag,   // data-id
        LexMode::JsxTag,   // =
        LexMode::JsxTag,   // "a\b"
        LexMode::JsxTag,   // x
        LexMode::JsxTag,   // =
        LexMode::JsxTag,   // {
        LexMode::Normal,   // 1
        LexMode::JsxTag,   // }
        LexMode::JsxTag,   // >
        LexMode::JsxChild, // text
    ];
    let tokens: Vec<Token<'_>> = modes.iter().map(|&m| lx.next_token(m)).collect();
    let kinds: Vec<(Kind, String)> = tokens
        .iter()
        .map(|t| (t.kind, t.span.text(src).to_string()))
        .collect();
    assert_eq!(tokens[4].value, TokenValue::Str("a\\b"));
    assert_eq!(tokens[11].kind, Kind::JsxText);
    assert_eq!(tokens[11].value, TokenValue::Str("Hi "));
    let names: Vec<&str> = kinds.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(
        names,
        [
            "<", "div", "data-id", "=", "\"a\\b\"", "x", "=", "{", "1", "}", ">", "Hi "
        ]
    );
}

fn conformance_sources() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/conformance");
    let mut out = Vec::new();
    for dir in ["run", "run/lib", "reject"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if matches!(p.extension().and_then(|x| x.to_str()), Some("ts" | "tsx"))
                && let Ok(text) = std::fs::read_to_string(&p)
            {
                out.push((p.display().to_string(), text));
            }
        }
    }
    out.push((
        "inline".into(),
        "const a = `x${`y${1}`}z`; // c\n/* d */ b?.c ?? 1e3;".into(),
    ));
    out
}

#[test]
fn spans_are_monotonic() {
    for (name, text) in conformance_sources() {
        let bump = Bump::new();
        let (tokens, _) = tokenize(&text, &bump);
        let mut last = 0;
        for t in &tokens {
            assert!(
                t.span.start >= last,
                "{name}: span went backwards at {:?}",
                t.span
            );
            assert!(t.span.end > t.span.start, "{name}: empty token {t:?}");
            last = t.span.end;
        }
    }
}

#[test]
fn crlf_does_not_change_tokens() {
    for (name, text) in conformance_sources() {
        let lf = text.replace("\r\n", "\n");
        let crlf = lf.replace('\n', "\r\n");
        let bump = Bump::new();
        let (a, ea) = tokenize(&lf, &bump);
        let (b, eb) = tokenize(&crlf, &bump);
        assert_eq!(ea.map(|e| e.kind), eb.map(|e| e.kind), "{name}");
        assert_eq!(a.len(), b.len(), "{name}");
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x.kind, y.kind, "{name}");
            assert_eq!(x.newline_before, y.newline_before, "{name}");
            assert_eq!(x.value, y.value, "{name}: {:?}", x.span.text(&lf));
        }
    }
}
