//! The lexer: a logos token enum ([`Kind`]) wrapped by a small hand-written
//! [`Lexer`] for the context-dependent parts.
//!
//! The parser pulls one token at a time and says in which [`LexMode`] the
//! next token is to be read, because a DFA alone cannot decide:
//!
//! - template literals: the opening `` ` `` starts a chunk scanned here; after
//!   the parser has read the expression of a `${ ... }` it calls
//!   [`Lexer::template_continuation`] at the closing `}`;
//! - JSX: inside a tag, names may contain `-` and strings have no escapes
//!   ([`LexMode::JsxTag`]); between tags, text runs up to `<` or `{`
//!   ([`LexMode::JsxChild`]);
//! - `>>` in type arguments: [`Lexer::relex_at`] splits it;
//! - regex literals are rejected by the parser at the `/`, so the lexer
//!   never scans one.
//!
//! Every token records whether a line terminator precedes it
//! ([`Token::newline_before`]), for automatic semicolon insertion.
//! Prior art: oxc's `lexer/` and starlark-rust's logos wrapper (STYLE.md 1, 5).

mod kind;
mod scan;
#[cfg(test)]
mod tests;

pub use kind::{Kind, RawLexError};
pub use scan::number_value;

use bumpalo::Bump;
use logos::Logos;

use crate::front::ast::Span;

/// Value carried by a literal token.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TokenValue<'a> {
    None,
    /// Numeric literal value.
    Number(f64),
    /// Cooked string or template chunk value, or JSX text/attribute text.
    Str(&'a str),
}

/// One token. Spans are byte offsets into the source.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Token<'a> {
    pub kind: Kind,
    pub span: Span,
    /// A line terminator (or a comment containing one) precedes the token.
    pub newline_before: bool,
    pub value: TokenValue<'a>,
}

impl<'a> Token<'a> {
    /// The cooked string value (empty for non-string tokens).
    pub fn str_value(&self) -> &'a str {
        match self.value {
            TokenValue::Str(s) => s,
            _ => "",
        }
    }

    /// The numeric value (NaN for non-number tokens).
    pub fn number_value(&self) -> f64 {
        match self.value {
            TokenValue::Number(n) => n,
            _ => f64::NAN,
        }
    }
}

/// How to read the next token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LexMode {
    /// Ordinary TypeScript tokens.
    Normal,
    /// Inside a JSX tag: names with `-`, strings without escapes, `<`, `>`,
    /// `/`, `=`, `{`, `.`, `:`.
    JsxTag,
    /// Between JSX tags: text up to `<` or `{`, or one of those.
    JsxChild,
}

/// A lexical error: its kind and the span to report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LexError {
    pub kind: LexErrorKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LexErrorKind {
    /// ZTS040
    UnexpectedChar,
    /// ZTS008 (span: the opening quote)
    UnterminatedString,
    /// ZTS009 (span: the opening backtick)
    UnterminatedTemplate,
    /// ZTS011 (span: the `/*`)
    UnterminatedComment,
    /// ZTS012
    InvalidNumber,
    /// ZTS013
    InvalidEscape,
    /// ZTS014
    InvalidUnicodeEscape,
}

/// The hand-written lexer the parser drives.
pub struct Lexer<'a> {
    source: &'a str,
    bump: &'a Bump,
    /// Byte offset where the next token (or its leading trivia) starts.
    pos: u32,
    /// Set when the last token returned was [`Kind::Error`].
    error: Option<LexError>,
}

impl<'a> Lexer<'a> {
    /// `source` must be shorter than 4 GiB (spans are `u32`); the parser
    /// checks this before lexing.
    pub fn new(source: &'a str, bump: &'a Bump) -> Self {
        let mut lexer = Self {
            source,
            bump,
            pos: 0,
            error: None,
        };
        if source.starts_with("#!") {
            lexer.pos = source.find(['\n', '\r']).unwrap_or(source.len()) as u32;
        }
        lexer
    }

    pub fn source(&self) -> &'a str {
        self.source
    }

    /// Current position (for checkpoints).
    pub fn pos(&self) -> u32 {
        self.pos
    }

    /// Restores a position saved with [`Lexer::pos`].
    pub fn rewind(&mut self, pos: u32) {
        self.pos = pos;
        self.error = None;
    }

    /// The error behind the last [`Kind::Error`] token.
    pub fn take_error(&mut self) -> Option<LexError> {
        self.error.take()
    }

    fn error_token(&mut self, kind: LexErrorKind, span: Span, end: u32) -> Token<'a> {
        self.error = Some(LexError { kind, span });
        self.pos = end;
        Token {
            kind: Kind::Error,
            span,
            newline_before: false,
            value: TokenValue::None,
        }
    }

    /// Reads the next token in `mode`.
    pub fn next_token(&mut self, mode: LexMode) -> Token<'a> {
        match mode {
            LexMode::Normal => self.next_normal(),
            LexMode::JsxTag => self.next_jsx_tag(),
            LexMode::JsxChild => self.next_jsx_child(),
        }
    }

    fn next_normal(&mut self) -> Token<'a> {
        let base = self.pos as usize;
        let mut logos = Kind::lexer(&self.source[base..]);
        let mut newline_before = false;
        loop {
            let Some(result) = logos.next() else {
                let end = self.source.len() as u32;
                self.pos = end;
                return Token {
                    kind: Kind::Eof,
                    span: Span::at(end),
                    newline_before,
                    value: TokenValue::None,
                };
            };
            let r = logos.span();
            let span = Span::new((base + r.start) as u32, (base + r.end) as u32);
            let kind = match result {
                Ok(kind) => kind,
                Err(e) => return self.raw_error(e, span),
            };
            match kind {
                Kind::Whitespace | Kind::LineComment | Kind::Hashbang => continue,
                Kind::Newline => {
                    newline_before = true;
                    continue;
                }
                Kind::BlockComment => {
                    newline_before |= logos.slice().contains(['\n', '\r', '\u{2028}', '\u{2029}']);
                    continue;
                }
                _ => {}
            }
            self.pos = span.end;
            let mut token = Token {
                kind,
                span,
                newline_before,
                value: TokenValue::None,
            };
            match kind {
                Kind::Number => {
                    token.value = TokenValue::Number(scan::number_value(logos.slice()));
                }
                Kind::String => {
                    let raw = &self.source[span.start as usize + 1..span.end as usize - 1];
                    token.value = TokenValue::Str(scan::cook(raw, false, self.bump));
                }
                Kind::Backtick => {
                    let mut t = self.scan_template_chunk(span.start, span.start);
                    t.newline_before = newline_before;
                    return t;
                }
                Kind::QuestionDot
                    if self
                        .source
                        .as_bytes()
                        .get(span.end as usize)
                        .is_some_and(u8::is_ascii_digit) =>
                {
                    // `a?.5:b` is `a ? .5 : b`.
                    token.kind = Kind::Question;
                    token.span.end -= 1;
                    self.pos = token.span.end;
                }
                _ => {}
            }
            return token;
        }
    }

    #[cold]
    fn raw_error(&mut self, e: RawLexError, span: Span) -> Token<'a> {
        let at = |offset: u32, len: u32| Span::new(span.start + offset, span.start + offset + len);
        let (kind, err_span) = match e {
            RawLexError::UnexpectedChar => {
                let c = self.source[span.start as usize..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
                (
                    LexErrorKind::UnexpectedChar,
                    Span::new(span.start, span.start + c as u32),
                )
            }
            RawLexError::UnterminatedString => (
                LexErrorKind::UnterminatedString,
                Span::new(span.start, span.start + 1),
            ),
            RawLexError::UnterminatedComment => (
                LexErrorKind::UnterminatedComment,
                Span::new(span.start, span.start + 2),
            ),
            RawLexError::InvalidNumber => (LexErrorKind::InvalidNumber, span),
            RawLexError::InvalidEscape { offset, len } => {
                (LexErrorKind::InvalidEscape, at(offset, len))
            }
            RawLexError::InvalidUnicodeEscape { offset, len } => {
                (LexErrorKind::InvalidUnicodeEscape, at(offset, len))
            }
        };
        self.error_token(kind, err_span, span.end.max(err_span.end))
    }

    /// Scans a template chunk whose opening delimiter (`` ` `` or `}`) is at
    /// `delim`. `open` is the template's opening backtick, for errors.
    fn scan_template_chunk(&mut self, delim: u32, open: u32) -> Token<'a> {
        let b = self.source.as_bytes();
        let first = b[delim as usize];
        let start = delim as usize + 1;
        let mut i = start;
        while i < b.len() {
            match b[i] {
                b'`' => {
                    let kind = if first == b'`' {
                        Kind::NoSubstTemplate
                    } else {
                        Kind::TemplateTail
                    };
                    return self.template_token(kind, delim, start, i, i + 1);
                }
                b'$' if b.get(i + 1) == Some(&b'{') => {
                    let kind = if first == b'`' {
                        Kind::TemplateHead
                    } else {
                        Kind::TemplateMiddle
                    };
                    return self.template_token(kind, delim, start, i, i + 2);
                }
                b'\\' => match scan::check_escape(b, i + 1, true) {
                    Ok(next) => i = next,
                    Err(e) => {
                        let (kind, offset, len) = match e {
                            RawLexError::InvalidUnicodeEscape { offset, len } => {
                                (LexErrorKind::InvalidUnicodeEscape, offset, len)
                            }
                            RawLexError::InvalidEscape { offset, len } => {
                                (LexErrorKind::InvalidEscape, offset, len)
                            }
                            _ => (LexErrorKind::InvalidEscape, i as u32, 1),
                        };
                        let span = Span::new(offset, offset + len);
                        return self.error_token(kind, span, b.len() as u32);
                    }
                },
                _ => i += 1,
            }
        }
        self.error_token(
            LexErrorKind::UnterminatedTemplate,
            Span::new(open, open + 1),
            b.len() as u32,
        )
    }

    fn template_token(
        &mut self,
        kind: Kind,
        delim: u32,
        text_start: usize,
        text_end: usize,
        end: usize,
    ) -> Token<'a> {
        self.pos = end as u32;
        let raw = &self.source[text_start..text_end];
        Token {
            kind,
            span: Span::new(delim, end as u32),
            newline_before: false,
            value: TokenValue::Str(scan::cook(raw, true, self.bump)),
        }
    }

    /// Re-reads from the `}` at `rbrace` (which closes a `${ ... }`) as the
    /// next template chunk: [`Kind::TemplateMiddle`] or
    /// [`Kind::TemplateTail`]. `open` is the template's opening backtick.
    pub fn template_continuation(&mut self, rbrace: u32, open: u32) -> Token<'a> {
        self.error = None;
        self.scan_template_chunk(rbrace, open)
    }

    /// Re-reads the token at `pos` (used to split `>>`, `>=`, ... into `>`
    /// and the rest inside type arguments).
    pub fn relex_at(&mut self, pos: u32) -> Token<'a> {
        self.pos = pos;
        self.error = None;
        let mut t = self.next_normal();
        t.newline_before = false;
        t
    }

    /// Skips whitespace and comments in JSX tag mode; returns whether a line
    /// terminator was crossed, or an error token for an unterminated comment.
    fn skip_jsx_trivia(&mut self) -> Result<bool, Token<'a>> {
        let b = self.source.as_bytes();
        let mut i = self.pos as usize;
        let mut newline = false;
        loop {
            match b.get(i) {
                Some(b' ' | b'\t') => i += 1,
                Some(b'\n' | b'\r') => {
                    newline = true;
                    i += 1;
                }
                Some(b'/') if b.get(i + 1) == Some(&b'/') => {
                    while i < b.len() && b[i] != b'\n' && b[i] != b'\r' {
                        i += 1;
                    }
                }
                Some(b'/') if b.get(i + 1) == Some(&b'*') => {
                    let Some(end) = self.source[i + 2..].find("*/") else {
                        let span = Span::new(i as u32, i as u32 + 2);
                        return Err(self.error_token(
                            LexErrorKind::UnterminatedComment,
                            span,
                            b.len() as u32,
                        ));
                    };
                    newline |= self.source[i..i + 2 + end].contains(['\n', '\r']);
                    i += end + 4;
                }
                _ => break,
            }
        }
        self.pos = i as u32;
        Ok(newline)
    }

    fn next_jsx_tag(&mut self) -> Token<'a> {
        let newline_before = match self.skip_jsx_trivia() {
            Ok(n) => n,
            Err(t) => return t,
        };
        let start = self.pos as usize;
        let rest = &self.source[start..];
        let Some(c) = rest.chars().next() else {
            return Token {
                kind: Kind::Eof,
                span: Span::at(start as u32),
                newline_before,
                value: TokenValue::None,
            };
        };
        let simple = match c {
            '>' => Some(Kind::Gt),
            '<' => Some(Kind::Lt),
            '/' => Some(Kind::Slash),
            '=' => Some(Kind::Eq),
            '{' => Some(Kind::LBrace),
            '}' => Some(Kind::RBrace),
            '.' => Some(Kind::Dot),
            ':' => Some(Kind::Colon),
            _ => None,
        };
        let (kind, len, value) = if let Some(kind) = simple {
            (kind, 1, TokenValue::None)
        } else if c == '"' || c == '\'' {
            let Some(end) = rest[1..].find(c) else {
                let span = Span::new(start as u32, start as u32 + 1);
                return self.error_token(
                    LexErrorKind::UnterminatedString,
                    span,
                    self.source.len() as u32,
                );
            };
            (Kind::String, end + 2, TokenValue::Str(&rest[1..=end]))
        } else if is_id_start(c) {
            let len = rest
                .char_indices()
                .find(|&(_, c)| !(is_id_continue(c) || c == '-'))
                .map_or(rest.len(), |(i, _)| i);
            (Kind::Ident, len, TokenValue::None)
        } else {
            let span = Span::new(start as u32, (start + c.len_utf8()) as u32);
            return self.error_token(LexErrorKind::UnexpectedChar, span, span.end);
        };
        self.pos = (start + len) as u32;
        Token {
            kind,
            span: Span::new(start as u32, self.pos),
            newline_before,
            value,
        }
    }

    fn next_jsx_child(&mut self) -> Token<'a> {
        let start = self.pos as usize;
        let rest = &self.source[start..];
        let len = rest.find(['<', '{']).unwrap_or(rest.len());
        if len > 0 {
            self.pos = (start + len) as u32;
            return Token {
                kind: Kind::JsxText,
                span: Span::new(start as u32, self.pos),
                newline_before: false,
                value: TokenValue::Str(&rest[..len]),
            };
        }
        let kind = match rest.as_bytes().first() {
            Some(b'<') => Kind::Lt,
            Some(_) => Kind::LBrace,
            None => Kind::Eof,
        };
        let end = if kind == Kind::Eof { start } else { start + 1 };
        self.pos = end as u32;
        Token {
            kind,
            span: Span::new(start as u32, end as u32),
            newline_before: false,
            value: TokenValue::None,
        }
    }
}

/// Characters that may start an identifier (the logos `Ident` rule).
pub fn is_id_start(c: char) -> bool {
    c == '$' || c == '_' || c.is_alphabetic()
}

/// Characters that may continue an identifier.
pub fn is_id_continue(c: char) -> bool {
    c == '$' || c == '_' || c == '\u{200C}' || c == '\u{200D}' || c.is_alphanumeric()
}

/// Lexes a whole file in [`LexMode::Normal`] (templates included, treating
/// each `}` that closes a substitution as a template continuation) until EOF
/// or the first error. For tests, tools and benchmarks; the parser drives
/// the [`Lexer`] itself.
pub fn tokenize<'a>(source: &'a str, bump: &'a Bump) -> (Vec<Token<'a>>, Option<LexError>) {
    let mut lexer = Lexer::new(source, bump);
    let mut tokens = Vec::new();
    // For each open `{`: whether it is a template substitution `${`,
    // and the template's opening backtick.
    let mut braces: Vec<Option<u32>> = Vec::new();
    let mut templates: Vec<u32> = Vec::new();
    loop {
        let mut t = lexer.next_token(LexMode::Normal);
        if t.kind == Kind::RBrace
            && let Some(Some(open)) = braces.last().copied()
        {
            braces.pop();
            t = lexer.template_continuation(t.span.start, open);
        }
        match t.kind {
            Kind::Eof => return (tokens, None),
            Kind::Error => return (tokens, lexer.take_error()),
            Kind::LBrace => braces.push(None),
            Kind::RBrace => {
                braces.pop();
            }
            Kind::TemplateHead => {
                templates.push(t.span.start);
                braces.push(Some(t.span.start));
            }
            Kind::TemplateMiddle => {
                let open = templates.last().copied().unwrap_or(0);
                braces.push(Some(open));
            }
            Kind::TemplateTail => {
                templates.pop();
            }
            _ => {}
        }
        tokens.push(t);
    }
}
