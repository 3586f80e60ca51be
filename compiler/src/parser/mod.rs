//! Recursive-descent parser with one binding-power function for binary
//! operators (matklad's Pratt loop, as in starlark-rust's `parser_rd.rs`).
//!
//! Productions are named after the grammar (`parse_statement`,
//! `parse_assignment_expression`, ...) and live in one file per area:
//! `stmt.rs`, `decl.rs`, `expr.rs`, `pattern.rs`, `types.rs` (TypeScript
//! type syntax: parsed and dropped), `jsx.rs`, with the diagnostics in
//! [`diagnostics`].
//!
//! Error handling: the profile rejects whole constructs, and the *first*
//! error must be the right one (conformance README rule 3), so the parser
//! stops at the first error. Productions return [`PResult`]; the first
//! diagnostic is recorded and [`Fatal`] unwinds to [`parse`], which returns
//! the statements parsed so far with `panicked = true`. Speculative parses
//! (`Parser::lookahead`) rewind the lexer and drop any diagnostic they made.

mod decl;
pub mod diagnostics;
mod expr;
mod jsx;
mod pattern;
mod stmt;
#[cfg(test)]
mod tests;
mod types;

use bumpalo::Bump;

use crate::front::ast::{AstAlloc, Program, Span, Stmt};
use crate::front::diag::{Diagnostic, FileId};
use crate::front::lexer::{Kind, LexMode, Lexer, Token, TokenValue};

/// Maximum nesting of statements, expressions, patterns, types and JSX
/// elements. Each level costs a handful of stack frames; 256 levels stay well
/// inside a 2 MiB test-thread stack in debug builds, and no handler needs more.
pub const MAX_DEPTH: u32 = 256;

/// Longest chain of binary operators in one expression (`a + b + ... `):
/// the tree it builds is as deep as the chain.
pub const MAX_CHAIN: usize = 1024;

/// What [`parse`] returns.
#[derive(Debug)]
pub struct ParseResult<'a> {
    /// The parsed program; after an error, the statements before it.
    pub program: Program<'a>,
    /// At most one error: parsing stops at the first one
    /// ([`parse_recovering`]: at most one per top-level item).
    pub diagnostics: Vec<Diagnostic>,
    /// Parsing stopped early because of an error.
    pub panicked: bool,
}

/// Parses one source file. `jsx` enables JSX (`.tsx` files).
///
/// ```
/// use zigts_compiler::front::{ast::Stmt, diag::FileId, parse};
/// let arena = bumpalo::Bump::new();
/// let r = parse(&arena, FileId(0), "export function handler(req) { return 1; }", false);
/// assert!(r.diagnostics.is_empty());
/// assert!(matches!(r.program.stmts[0], Stmt::Function(f) if f.exported));
/// ```
pub fn parse<'a>(arena: &'a Bump, file: FileId, source: &'a str, jsx: bool) -> ParseResult<'a> {
    parse_with(arena, file, source, jsx, false)
}

/// [`parse`] that goes on after a syntax error: it skips to the next line
/// that starts, at column 1, with a keyword that can begin a top-level item
/// (`export`, `function`, `const`, `let`, `import`, `type`, `interface`) and
/// parses from there, so it reports the first error of every top-level
/// item rather than only the first of the file (`zigts check`). The
/// statements after an error are parsed but the program is incomplete: use
/// it for diagnostics only.
pub fn parse_recovering<'a>(
    arena: &'a Bump,
    file: FileId,
    source: &'a str,
    jsx: bool,
) -> ParseResult<'a> {
    parse_with(arena, file, source, jsx, true)
}

fn parse_with<'a>(
    arena: &'a Bump,
    file: FileId,
    source: &'a str,
    jsx: bool,
    recover: bool,
) -> ParseResult<'a> {
    let mut parser = Parser::new(arena, file, source, jsx);
    let mut stmts = parser.ast.vec();
    let mut panicked = false;
    if u32::try_from(source.len()).is_err() {
        let _ = parser.error(diagnostics::file_too_large(file));
        panicked = true;
    } else {
        parser.bump();
        while !parser.at(Kind::Eof) {
            let item_start = parser.cur_span().start;
            if let Ok(stmt) = parser.parse_statement(true) {
                stmts.push(stmt);
                continue;
            }
            panicked = true;
            if !recover || !parser.skip_to_next_item(item_start) {
                break;
            }
        }
        // A lexing error on the last token surfaces as EOF.
        if !parser.diagnostics.is_empty() {
            panicked = true;
        }
    }
    let program = Program {
        stmts: stmts.into_bump_slice(),
        span: Span::new(0, source.len().min(u32::MAX as usize) as u32),
        source,
        jsx,
    };
    ParseResult {
        program,
        diagnostics: parser.diagnostics,
        panicked,
    }
}

/// Marker: a diagnostic has been recorded and parsing unwinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fatal;

pub type PResult<T> = Result<T, Fatal>;

/// Grammar context flags.
#[derive(Clone, Copy, Debug, Default)]
struct Context {
    /// Inside a function body (`return` allowed).
    in_function: bool,
    /// Inside a loop body of the current function (`break`/`continue`).
    in_loop: bool,
    /// `in` is not a binary operator (the head of a `for`).
    no_in: bool,
    /// Inside [`Parser::lookahead`]: skip checks that only matter for the
    /// real parse (e.g. `any`).
    speculating: bool,
}

#[derive(Clone, Copy)]
struct Checkpoint<'a> {
    lexer_pos: u32,
    cur: Token<'a>,
    prev_end: u32,
    diag_len: usize,
    depth: u32,
    ctx: Context,
}

pub(crate) struct Parser<'a> {
    lexer: Lexer<'a>,
    ast: AstAlloc<'a>,
    source: &'a str,
    file: FileId,
    jsx: bool,
    /// The current token.
    cur: Token<'a>,
    /// End of the previous token (for spans).
    prev_end: u32,
    diagnostics: Vec<Diagnostic>,
    /// How many diagnostics there were when the current top-level item
    /// began: only its first error is recorded (always 0 unless recovering).
    item_diags: usize,
    depth: u32,
    ctx: Context,
    /// The token after `cur` read in normal mode, and the lexer position
    /// after it (see [`Parser::peek`]).
    peeked: Option<(Token<'a>, u32)>,
}

impl<'a> Parser<'a> {
    fn new(arena: &'a Bump, file: FileId, source: &'a str, jsx: bool) -> Self {
        Self {
            lexer: Lexer::new(source, arena),
            ast: AstAlloc::new(arena),
            source,
            file,
            jsx,
            cur: Token {
                kind: Kind::Eof,
                span: Span::at(0),
                newline_before: false,
                value: TokenValue::None,
            },
            prev_end: 0,
            diagnostics: Vec::new(),
            item_diags: 0,
            depth: 0,
            ctx: Context::default(),
            peeked: None,
        }
    }

    // ----- cursor -----

    #[inline]
    fn cur_kind(&self) -> Kind {
        self.cur.kind
    }

    #[inline]
    fn cur_span(&self) -> Span {
        self.cur.span
    }

    #[inline]
    fn cur_text(&self) -> &'a str {
        &self.source[self.cur.span.start as usize..self.cur.span.end as usize]
    }

    #[inline]
    fn at(&self, kind: Kind) -> bool {
        self.cur.kind == kind
    }

    /// Advances, reading the next token in normal mode.
    #[inline]
    fn bump(&mut self) {
        self.bump_in(LexMode::Normal);
    }

    /// Advances, reading the next token in `mode`. A lexing error is
    /// recorded (if it is the first error) and turns into EOF.
    fn bump_in(&mut self, mode: LexMode) {
        self.prev_end = self.cur.span.end;
        if mode == LexMode::Normal
            && let Some((token, pos)) = self.peeked.take()
        {
            self.lexer.rewind(pos);
            self.cur = token;
            return;
        }
        let token = self.lexer.next_token(mode);
        self.set_current(token);
    }

    /// Makes `token` current (dropping any peeked token). A lexing error is
    /// recorded and the token becomes EOF.
    fn set_current(&mut self, token: Token<'a>) {
        self.peeked = None;
        self.cur = token;
        if token.kind == Kind::Error {
            if let Some(e) = self.lexer.take_error() {
                let d = diagnostics::lex_error(self.file, e);
                let _ = self.error(d);
            }
            self.cur.kind = Kind::Eof;
        }
    }

    #[inline]
    #[must_use]
    fn eat(&mut self, kind: Kind) -> bool {
        if self.at(kind) {
            self.bump();
            true
        } else {
            false
        }
    }

    /// Consumes `kind` or fails with "expected ...".
    fn expect(&mut self, kind: Kind) -> PResult<Span> {
        self.expect_in(kind, LexMode::Normal)
    }

    fn expect_in(&mut self, kind: Kind, mode: LexMode) -> PResult<Span> {
        if self.at(kind) {
            let span = self.cur_span();
            self.bump_in(mode);
            Ok(span)
        } else {
            Err(self.unexpected_expecting(kind.describe()))
        }
    }

    /// The span from `start` to the end of the previous token.
    #[inline]
    fn end_span(&self, start: u32) -> Span {
        Span::new(start, self.prev_end.max(start))
    }

    /// Automatic semicolon insertion: a statement ends at `;`, before `}`,
    /// at EOF or at a line break.
    fn asi(&mut self) -> PResult<()> {
        if self.eat(Kind::Semi)
            || self.at(Kind::RBrace)
            || self.at(Kind::Eof)
            || self.cur.newline_before
        {
            Ok(())
        } else {
            Err(self.unexpected_expecting("';'"))
        }
    }

    /// Whether a statement may end before the current token.
    fn can_insert_semicolon(&self) -> bool {
        matches!(self.cur_kind(), Kind::Semi | Kind::RBrace | Kind::Eof) || self.cur.newline_before
    }

    // ----- errors -----

    /// Records `d` if it is the first error (of the current top-level item,
    /// when recovering) and returns [`Fatal`].
    #[cold]
    fn error(&mut self, d: Diagnostic) -> Fatal {
        if self.diagnostics.len() == self.item_diags {
            self.diagnostics.push(d);
        }
        Fatal
    }

    /// After a syntax error in the item that began at `item_start`: moves to
    /// the next token that begins a line at column 1 with a keyword that can
    /// start a top-level item, and resets the grammar state for it. `false`
    /// at the end of the file.
    #[cold]
    fn skip_to_next_item(&mut self, item_start: u32) -> bool {
        loop {
            if self.at(Kind::Eof) {
                return false;
            }
            let start = self.cur_span().start as usize;
            let at_column_1 = start == 0 || self.source.as_bytes()[start - 1] == b'\n';
            if start > item_start as usize
                && at_column_1
                && matches!(
                    self.cur_kind(),
                    Kind::Export
                        | Kind::Function
                        | Kind::Const
                        | Kind::Let
                        | Kind::Import
                        | Kind::Type
                        | Kind::Interface
                )
            {
                self.item_diags = self.diagnostics.len();
                self.depth = 0;
                self.ctx = Context::default();
                return true;
            }
            self.bump();
        }
    }

    /// Builds a diagnostic from the parser state, records it (if first) and
    /// returns [`Fatal`].
    ///
    /// Implementation note: building the `Diagnostic` in here rather than in
    /// the caller keeps it out of the frames of the recursive productions
    /// (debug builds give every temporary its own stack slot).
    #[cold]
    #[inline(never)]
    fn fail(&mut self, make: impl FnOnce(&Self) -> Diagnostic) -> Fatal {
        let d = make(self);
        self.error(d)
    }

    /// "expected X, found Y" at the current token (or "unexpected end of
    /// file").
    #[cold]
    fn unexpected_expecting(&mut self, expected: &str) -> Fatal {
        self.fail(|p| {
            if p.at(Kind::Eof) {
                diagnostics::unexpected_eof(p.file, p.cur_span(), expected)
            } else {
                diagnostics::expected_token(p.file, p.cur_span(), expected, p.cur_text())
            }
        })
    }

    /// "unexpected token" at the current token.
    #[cold]
    fn unexpected(&mut self) -> Fatal {
        self.fail(|p| {
            if p.at(Kind::Eof) {
                diagnostics::unexpected_eof(p.file, p.cur_span(), "more input")
            } else {
                diagnostics::unexpected_token(p.file, p.cur_span(), p.cur_text())
            }
        })
    }

    /// ZTS001 "X is not supported; suggestion" at `span`.
    #[cold]
    fn unsupported(&mut self, span: Span, what: &str, suggestion: &str) -> Fatal {
        self.fail(|p| diagnostics::unsupported(p.file, span, what, suggestion))
    }

    // ----- nesting and speculation -----

    /// Runs `f` one nesting level deeper, failing past [`MAX_DEPTH`].
    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth >= MAX_DEPTH {
            return Err(self.fail(|p| diagnostics::too_deep(p.file, p.cur_span())));
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn checkpoint(&self) -> Checkpoint<'a> {
        Checkpoint {
            lexer_pos: self.lexer.pos(),
            cur: self.cur,
            prev_end: self.prev_end,
            diag_len: self.diagnostics.len(),
            depth: self.depth,
            ctx: self.ctx,
        }
    }

    fn rewind(&mut self, cp: Checkpoint<'a>) {
        self.lexer.rewind(cp.lexer_pos);
        self.cur = cp.cur;
        self.prev_end = cp.prev_end;
        self.diagnostics.truncate(cp.diag_len);
        self.depth = cp.depth;
        self.ctx = cp.ctx;
        self.peeked = None;
    }

    /// Runs `f` speculatively and rewinds: nothing it consumes or reports
    /// survives. Used to decide between readings (arrow heads, generic
    /// arguments), after which the chosen reading is parsed for real.
    fn lookahead<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let cp = self.checkpoint();
        self.ctx.speculating = true;
        let r = f(self);
        self.rewind(cp);
        r
    }

    /// The token after the current one (read in normal mode; cached until
    /// the parser moves).
    fn peek(&mut self) -> Token<'a> {
        if let Some((token, _)) = self.peeked {
            return token;
        }
        let before = self.lexer.pos();
        let token = self.lexer.next_token(LexMode::Normal);
        let after = self.lexer.pos();
        self.lexer.rewind(before);
        if token.kind != Kind::Error {
            self.peeked = Some((token, after));
        }
        token
    }

    /// At `(`/`[`/`{` (or a template head): skips to just after the matching
    /// closer, token by token. Returns false on EOF or a lexing error.
    fn skip_balanced(&mut self) -> bool {
        // Per open bracket: Some(template open) for `${`.
        let mut stack: Vec<Option<u32>> = Vec::new();
        loop {
            match self.cur_kind() {
                Kind::LParen | Kind::LBracket | Kind::LBrace => stack.push(None),
                Kind::TemplateHead | Kind::TemplateMiddle => stack.push(Some(self.cur.span.start)),
                Kind::RParen | Kind::RBracket => {
                    stack.pop();
                }
                Kind::RBrace => {
                    if let Some(Some(open)) = stack.pop() {
                        let t = self.lexer.template_continuation(self.cur.span.start, open);
                        self.set_current(t);
                        if self.at(Kind::Eof) {
                            return false;
                        }
                        continue;
                    }
                }
                Kind::Eof => return false,
                _ => {}
            }
            self.bump();
            if stack.is_empty() {
                return true;
            }
        }
    }

    // ----- helpers -----

    fn alloc<T>(&self, value: T) -> &'a T {
        self.ast.alloc(value)
    }

    /// Parses statements until `}` (not consumed).
    fn parse_statements_until_rbrace(&mut self) -> PResult<&'a [Stmt<'a>]> {
        let mut stmts = self.ast.vec();
        while !self.at(Kind::RBrace) {
            if self.at(Kind::Eof) {
                return Err(self.unexpected_expecting("'}'"));
            }
            stmts.push(self.parse_statement(false)?);
        }
        Ok(stmts.into_bump_slice())
    }
}
