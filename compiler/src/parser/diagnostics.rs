//! Parser and lexer diagnostics: one `#[cold]` constructor per error, with
//! the codes of reference-language.md section 2 and the exact suggestion
//! texts of its section 2.1 table.

use crate::front::ast::Span;
use crate::front::diag::{Diagnostic, FileId};
use crate::front::lexer::{LexError, LexErrorKind};

/// ZTS001 (`unsupported_feature`): `"{what} is not supported"` with the
/// suggestion after "; ".
#[cold]
pub fn unsupported(file: FileId, span: Span, what: &str, suggestion: &str) -> Diagnostic {
    Diagnostic::error("ZTS001", file, span, format!("{what} is not supported"))
        .with_suggestion(suggestion)
}

/// ZTS002 (`unexpected_token`).
#[cold]
pub fn unexpected_token(file: FileId, span: Span, found: &str) -> Diagnostic {
    Diagnostic::error(
        "ZTS002",
        file,
        span,
        format!("unexpected token '{}'", clip(found)),
    )
}

/// ZTS002 with a message of its own (module forms, match, guards ...).
#[cold]
pub fn unexpected_with(
    file: FileId,
    span: Span,
    message: &str,
    suggestion: Option<&str>,
) -> Diagnostic {
    let d = Diagnostic::error("ZTS002", file, span, message);
    match suggestion {
        Some(s) => d.with_suggestion(s),
        None => d,
    }
}

/// ZTS003 (`expected_token`).
#[cold]
pub fn expected_token(file: FileId, span: Span, expected: &str, found: &str) -> Diagnostic {
    Diagnostic::error(
        "ZTS003",
        file,
        span,
        format!("expected {expected}, found '{}'", clip(found)),
    )
}

/// ZTS004 (`expected_expression`).
#[cold]
pub fn expected_expression(file: FileId, span: Span, found: &str) -> Diagnostic {
    Diagnostic::error(
        "ZTS004",
        file,
        span,
        format!("expected an expression, found '{}'", clip(found)),
    )
}

/// ZTS006 (`expected_identifier`).
#[cold]
pub fn expected_identifier(file: FileId, span: Span, found: &str) -> Diagnostic {
    Diagnostic::error(
        "ZTS006",
        file,
        span,
        format!("expected an identifier, found '{}'", clip(found)),
    )
}

/// ZTS007 (`unexpected_eof`).
#[cold]
pub fn unexpected_eof(file: FileId, span: Span, expected: &str) -> Diagnostic {
    Diagnostic::error(
        "ZTS007",
        file,
        span,
        format!("unexpected end of file, expected {expected}"),
    )
}

/// ZTS015 (`expected_property_name`).
#[cold]
pub fn expected_property_name(file: FileId, span: Span, found: &str) -> Diagnostic {
    Diagnostic::error(
        "ZTS015",
        file,
        span,
        format!("expected a property name, found '{}'", clip(found)),
    )
}

/// ZTS016 (`invalid_assignment_target`).
#[cold]
pub fn invalid_assignment_target(file: FileId, span: Span) -> Diagnostic {
    Diagnostic::error("ZTS016", file, span, "invalid assignment target")
        .with_suggestion("assign to a variable, a property 'o.k' or an element 'o[k]'")
}

/// ZTS017 (`invalid_destructuring`).
#[cold]
pub fn invalid_destructuring(
    file: FileId,
    span: Span,
    message: &str,
    suggestion: &str,
) -> Diagnostic {
    Diagnostic::error("ZTS017", file, span, message).with_suggestion(suggestion)
}

/// ZTS021 (`const_without_initializer`).
#[cold]
pub fn const_without_initializer(file: FileId, span: Span) -> Diagnostic {
    Diagnostic::error(
        "ZTS021",
        file,
        span,
        "'const' declaration must be initialized",
    )
}

/// ZTS022 / ZTS023 (`invalid_break` / `invalid_continue`).
#[cold]
pub fn outside_loop(file: FileId, span: Span, keyword: &str) -> Diagnostic {
    let code = if keyword == "break" {
        "ZTS022"
    } else {
        "ZTS023"
    };
    Diagnostic::error(code, file, span, format!("'{keyword}' outside of loop"))
}

/// ZTS024 (`invalid_return`).
#[cold]
pub fn return_outside_function(file: FileId, span: Span) -> Diagnostic {
    Diagnostic::error("ZTS024", file, span, "'return' outside of function")
}

/// ZTS033: `</b>` closing `<a>`.
#[cold]
pub fn jsx_mismatched_tag(file: FileId, span: Span, open: &str, close: &str) -> Diagnostic {
    Diagnostic::error(
        "ZTS033",
        file,
        span,
        format!("mismatched JSX closing tag: expected '</{open}>', found '</{close}>'"),
    )
}

/// ZTS034: not an attribute.
#[cold]
pub fn jsx_bad_attribute(file: FileId, span: Span, found: &str) -> Diagnostic {
    Diagnostic::error(
        "ZTS034",
        file,
        span,
        format!("invalid JSX attribute '{}'", clip(found)),
    )
}

/// ZTS035: no closing tag before EOF.
#[cold]
pub fn jsx_unclosed(file: FileId, span: Span, name: &str) -> Diagnostic {
    Diagnostic::error(
        "ZTS035",
        file,
        span,
        format!("unclosed JSX element '<{name}>'"),
    )
}

/// ZTS036: `{}` where a JSX expression is required.
#[cold]
pub fn jsx_expression_expected(file: FileId, span: Span) -> Diagnostic {
    Diagnostic::error("ZTS036", file, span, "expected an expression inside '{}'")
}

/// ZTS037: an import in the wrong place.
#[cold]
pub fn invalid_import(file: FileId, span: Span, message: &str) -> Diagnostic {
    Diagnostic::error("ZTS037", file, span, message)
}

/// ZTS038: an export in the wrong place.
#[cold]
pub fn invalid_export(file: FileId, span: Span, message: &str) -> Diagnostic {
    Diagnostic::error("ZTS038", file, span, message)
}

/// ZTS041: `any` in a type.
#[cold]
pub fn any_type(file: FileId, span: Span) -> Diagnostic {
    Diagnostic::error("ZTS041", file, span, "'any' type is not supported")
        .with_suggestion("use specific types (string, number, object) or union types instead")
}

/// ZTS042 / ZTS043: `x as T`, `<T>x`, `x satisfies T`.
#[cold]
pub fn type_assertion(file: FileId, span: Span, keyword: &str) -> Diagnostic {
    let code = if keyword == "satisfies" {
        "ZTS043"
    } else {
        "ZTS042"
    };
    Diagnostic::error(
        code,
        file,
        span,
        format!("'{keyword}' type assertion is not supported"),
    )
    .with_suggestion("use type-safe patterns instead")
}

/// ZTS002: more than [`super::MAX_CHAIN`] operators in one chain.
#[cold]
pub fn chain_too_long(file: FileId, span: Span) -> Diagnostic {
    Diagnostic::error(
        "ZTS002",
        file,
        span,
        format!(
            "expression is too long (more than {} operators in a row)",
            super::MAX_CHAIN
        ),
    )
    .with_suggestion("build the value in several statements")
}

/// ZTS002: nesting past [`super::MAX_DEPTH`].
#[cold]
pub fn too_deep(file: FileId, span: Span) -> Diagnostic {
    Diagnostic::error(
        "ZTS002",
        file,
        span,
        format!(
            "nesting is too deep (more than {} levels)",
            super::MAX_DEPTH
        ),
    )
    .with_suggestion("split the expression or statement into smaller parts")
}

/// ZTS002: a file of 4 GiB or more (spans are `u32`).
#[cold]
pub fn file_too_large(file: FileId) -> Diagnostic {
    Diagnostic::error(
        "ZTS002",
        file,
        Span::at(0),
        "source file is too large (4 GiB or more)",
    )
}

/// ZTS008-014, ZTS040: lexing errors.
#[cold]
pub fn lex_error(file: FileId, e: LexError) -> Diagnostic {
    let (code, message) = match e.kind {
        LexErrorKind::UnexpectedChar => ("ZTS040", "unexpected character"),
        LexErrorKind::UnterminatedString => ("ZTS008", "unterminated string literal"),
        LexErrorKind::UnterminatedTemplate => ("ZTS009", "unterminated template literal"),
        LexErrorKind::UnterminatedComment => ("ZTS011", "unterminated block comment"),
        LexErrorKind::InvalidNumber => ("ZTS012", "invalid number literal"),
        LexErrorKind::InvalidEscape => ("ZTS013", "invalid escape sequence"),
        LexErrorKind::InvalidUnicodeEscape => ("ZTS014", "invalid unicode escape sequence"),
    };
    let d = Diagnostic::error(code, file, e.span, message);
    match e.kind {
        LexErrorKind::UnterminatedString => {
            d.with_suggestion("close the string with a matching quote on the same line")
        }
        LexErrorKind::UnterminatedTemplate => {
            d.with_suggestion("close the template literal with '`'")
        }
        LexErrorKind::UnterminatedComment => d.with_suggestion("close the comment with '*/'"),
        _ => d,
    }
}

/// Keeps messages short when the offending token is long (a string, JSX
/// text).
fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if out.len() < s.len() {
        out.push_str("...");
    }
    out
}

/// The 2.1 rejection for a keyword that starts an unsupported construct,
/// as `(what, suggestion)`.
pub fn keyword_rejection(kind: crate::front::lexer::Kind) -> Option<(&'static str, &'static str)> {
    use crate::front::lexer::Kind;
    const LOOP: &str = "use 'for-of' with a finite collection instead";
    const RESULT: &str = "use Result types for error handling";
    const ACCESS: &str = "use naming conventions (e.g., _private) instead";
    const ASYNC: &str = "use fetchSync(), parallel(), race()";
    Some(match kind {
        Kind::Var => ("'var'", "use 'let' or 'const' instead"),
        Kind::While => ("'while'", LOOP),
        Kind::Do => ("'do-while'", LOOP),
        Kind::Switch | Kind::Case => ("'switch'", "use 'match' expression instead"),
        Kind::Class => ("'class'", "use plain objects and functions instead"),
        Kind::This => ("'this'", "pass context explicitly as a parameter"),
        Kind::New => ("'new'", "use factory functions instead"),
        Kind::Null => ("'null'", "use 'undefined' for absent values instead"),
        Kind::Throw => ("'throw'", RESULT),
        Kind::Try | Kind::Catch | Kind::Finally => ("'try/catch'", RESULT),
        Kind::Delete => ("'delete'", "use object spread to omit properties"),
        Kind::Instanceof => (
            "'instanceof'",
            "use discriminated unions with tag property instead",
        ),
        Kind::Enum => (
            "'enum'",
            "use object literals or discriminated unions instead",
        ),
        Kind::Async => ("'async'", ASYNC),
        Kind::Await => ("'await'", ASYNC),
        Kind::Function => (
            "function expression",
            "use arrow functions '(x) => x * 2' or function declarations 'function name() { }' instead",
        ),
        Kind::Yield => ("'yield'", "generators are not available"),
        Kind::Super => ("'super'", "use explicit function calls instead"),
        Kind::Implements => ("'implements'", "use duck typing or runtime checks instead"),
        Kind::Public => ("'public'", ACCESS),
        Kind::Private => ("'private'", ACCESS),
        Kind::Protected => ("'protected'", ACCESS),
        Kind::Namespace => ("'namespace'", "use ES6 modules instead"),
        Kind::Module => ("'module'", "use ES6 modules instead"),
        Kind::At => ("'@decorator'", "use function composition instead"),
        Kind::With => ("'with'", "use explicit property access instead"),
        _ => return None,
    })
}
