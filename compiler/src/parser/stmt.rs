//! Statements (reference-language.md section 1.1) and the rejected
//! statement forms of section 2.1.

use crate::front::ast::{
    AssertStmt, BlockStmt, ExprStmt, ForOfStmt, IfStmt, ReturnStmt, Span, Stmt, VarKind,
};
use crate::front::lexer::Kind;

use super::{PResult, Parser, diagnostics};

impl<'a> Parser<'a> {
    /// Statement, or declaration when `top_level`.
    pub(super) fn parse_statement(&mut self, top_level: bool) -> PResult<Stmt<'a>> {
        self.nested(|p| p.parse_statement_inner(top_level))
    }

    fn parse_statement_inner(&mut self, top_level: bool) -> PResult<Stmt<'a>> {
        let start = self.cur_span().start;
        match self.cur_kind() {
            Kind::LBrace => Ok(Stmt::Block(self.parse_block()?)),
            Kind::Semi => {
                self.bump();
                Ok(Stmt::Empty(self.end_span(start)))
            }
            Kind::Debugger => {
                self.bump();
                self.asi()?;
                Ok(Stmt::Empty(self.end_span(start)))
            }
            Kind::Let | Kind::Const => {
                if self.at(Kind::Const) && self.peek().kind == Kind::Enum {
                    let span = self.peek().span;
                    return Err(self.reject_keyword(Kind::Enum, span));
                }
                self.parse_var_statement(start, false)
            }
            Kind::Function => self.parse_function_declaration(start, false),
            Kind::If => self.parse_if_statement(),
            Kind::For => self.parse_for_statement(),
            Kind::Return => self.parse_return_statement(),
            Kind::Break | Kind::Continue => self.parse_break_continue(),
            Kind::Import => self.parse_import_declaration(top_level),
            Kind::Export => self.parse_export_declaration(top_level),
            Kind::Interface => self.parse_interface_declaration(start, false),
            Kind::Type if self.next_is_identifier_on_same_line() => {
                self.parse_type_alias_declaration(start, false)
            }
            Kind::Distinct if self.peek().kind == Kind::Type => {
                self.parse_distinct_type_declaration(start, false)
            }
            Kind::Assert if self.starts_assert_statement() => self.parse_assert_statement(),
            Kind::Async if self.async_starts_construct() => {
                Err(self.reject_keyword(Kind::Async, self.cur_span()))
            }
            Kind::Namespace | Kind::Module
                if self.next_is_identifier_on_same_line() || {
                    let t = self.peek();
                    t.kind == Kind::String && !t.newline_before
                } =>
            {
                Err(self.reject_keyword(self.cur_kind(), self.cur_span()))
            }
            Kind::Abstract | Kind::Declare if self.peek().kind == Kind::Class => {
                let span = self.peek().span;
                Err(self.reject_keyword(Kind::Class, span))
            }
            Kind::Declare if self.next_is_keyword_on_same_line() => {
                let span = self.cur_span();
                Err(self.fail(|p| {
                    diagnostics::unsupported(
                        p.file,
                        span,
                        "'declare'",
                        "declare values in the handler or import them from a module instead",
                    )
                }))
            }
            kind if kind.is_identifier() && self.peek().kind == Kind::Colon => {
                // `label: statement`
                let span = self.cur_span();
                Err(self.unsupported(span, "labeled statement", "use a conditional instead"))
            }
            Kind::Var
            | Kind::While
            | Kind::Do
            | Kind::Switch
            | Kind::Case
            | Kind::Class
            | Kind::Throw
            | Kind::Try
            | Kind::Catch
            | Kind::Finally
            | Kind::Enum
            | Kind::With
            | Kind::At
            | Kind::Public
            | Kind::Private
            | Kind::Protected
            | Kind::Implements => Err(self.reject_keyword(self.cur_kind(), self.cur_span())),
            _ => self.parse_expression_statement(),
        }
    }

    /// ZTS001 for a keyword listed in [`diagnostics::keyword_rejection`].
    #[cold]
    pub(super) fn reject_keyword(&mut self, kind: Kind, span: Span) -> super::Fatal {
        match diagnostics::keyword_rejection(kind) {
            Some((what, suggestion)) => self.unsupported(span, what, suggestion),
            None => self.fail(|p| diagnostics::unexpected_token(p.file, span, kind.describe())),
        }
    }

    fn next_is_identifier_on_same_line(&mut self) -> bool {
        let t = self.peek();
        t.kind.is_identifier() && !t.newline_before
    }

    fn next_is_keyword_on_same_line(&mut self) -> bool {
        let t = self.peek();
        t.kind.is_keyword() && !t.newline_before
    }

    /// `async function`, `async x =>`, `async (` on one line.
    pub(super) fn async_starts_construct(&mut self) -> bool {
        let t = self.peek();
        !t.newline_before
            && (matches!(t.kind, Kind::Function | Kind::LParen | Kind::Lt)
                || t.kind.is_identifier())
    }

    /// `assert` is a statement keyword unless it is used as a name
    /// (`assert = ...`, `assert.x`, `assert;`).
    fn starts_assert_statement(&mut self) -> bool {
        let t = self.peek();
        !t.newline_before
            && !matches!(
                t.kind,
                Kind::Eq
                    | Kind::Dot
                    | Kind::QuestionDot
                    | Kind::Semi
                    | Kind::Comma
                    | Kind::RParen
                    | Kind::RBrace
                    | Kind::Arrow
                    | Kind::Colon
                    | Kind::Eof
            )
            && !t.kind.is_assign_op()
    }

    pub(super) fn parse_block(&mut self) -> PResult<&'a BlockStmt<'a>> {
        let start = self.expect(Kind::LBrace)?.start;
        let stmts = self.parse_statements_until_rbrace()?;
        self.bump();
        Ok(self.alloc(BlockStmt {
            stmts,
            span: self.end_span(start),
        }))
    }

    /// A function body: a block with `return` allowed and no enclosing loop.
    pub(super) fn parse_function_body(&mut self) -> PResult<&'a BlockStmt<'a>> {
        let saved = self.ctx;
        self.ctx.in_function = true;
        self.ctx.in_loop = false;
        self.ctx.no_in = false;
        let block = self.parse_block();
        self.ctx = Context {
            speculating: saved.speculating,
            ..saved
        };
        block
    }

    fn parse_expression_statement(&mut self) -> PResult<Stmt<'a>> {
        let start = self.cur_span().start;
        let expr = self.parse_expression()?;
        if self.at(Kind::Comma) {
            let span = self.cur_span();
            return Err(self.unsupported(
                span,
                "the comma operator",
                "write each expression as its own statement",
            ));
        }
        self.asi()?;
        Ok(Stmt::Expr(self.alloc(ExprStmt {
            expr,
            span: self.end_span(start),
        })))
    }

    fn parse_if_statement(&mut self) -> PResult<Stmt<'a>> {
        let start = self.expect(Kind::If)?.start;
        self.expect(Kind::LParen)?;
        let test = self.parse_expression()?;
        self.expect(Kind::RParen)?;
        let consequent = self.parse_statement(false)?;
        let alternate = if self.eat(Kind::Else) {
            Some(self.parse_statement(false)?)
        } else {
            None
        };
        Ok(Stmt::If(self.alloc(IfStmt {
            test,
            consequent,
            alternate,
            span: self.end_span(start),
        })))
    }

    /// `for (const|let pattern of expr) stmt`. Rejects C-style `for` at
    /// `for` and `for-in` at `in`.
    fn parse_for_statement(&mut self) -> PResult<Stmt<'a>> {
        let for_span = self.expect(Kind::For)?;
        let start = for_span.start;
        if self.at(Kind::Await) {
            return Err(self.reject_keyword(Kind::Await, self.cur_span()));
        }
        self.expect(Kind::LParen)?;
        let c_style = |p: &mut Self| {
            p.unsupported(
                for_span,
                "C-style 'for'",
                "use 'for (let x of array)' or 'for (let i of range(n))' instead",
            )
        };
        let kind = match self.cur_kind() {
            Kind::Const => VarKind::Const,
            Kind::Let => VarKind::Let,
            Kind::Var => return Err(self.reject_keyword(Kind::Var, self.cur_span())),
            Kind::Semi => return Err(c_style(self)),
            _ => {
                // `for (x of xs)`, `for (k in o)`, `for (i = 0; ...)`.
                let saved = self.ctx;
                self.ctx.no_in = true;
                let r = self.parse_assignment_expression();
                self.ctx.no_in = saved.no_in;
                r?;
                return Err(match self.cur_kind() {
                    Kind::In => self.reject_for_in(),
                    Kind::Of => self.fail(|p| {
                        diagnostics::expected_token(
                            p.file,
                            p.cur_span(),
                            "'const' or 'let' before the for-of binding",
                            p.cur_text(),
                        )
                    }),
                    _ => c_style(self),
                });
            }
        };
        self.bump();
        let pattern = self.parse_binding_pattern()?;
        if self.at(Kind::Colon) {
            // TypeScript rejects annotations here too; accept and skip.
            self.bump();
            self.parse_type()?;
        }
        match self.cur_kind() {
            Kind::Of => self.bump(),
            Kind::In => return Err(self.reject_for_in()),
            _ => return Err(c_style(self)),
        }
        let iterable = self.parse_assignment_expression()?;
        self.expect(Kind::RParen)?;
        let saved = self.ctx;
        self.ctx.in_loop = true;
        let body = self.parse_statement(false);
        self.ctx.in_loop = saved.in_loop;
        let body = body?;
        Ok(Stmt::ForOf(self.alloc(ForOfStmt {
            kind,
            pattern,
            iterable,
            body,
            span: self.end_span(start),
        })))
    }

    #[cold]
    fn reject_for_in(&mut self) -> super::Fatal {
        let span = self.cur_span();
        self.unsupported(
            span,
            "'for-in'",
            "use 'for-of' to iterate over values instead",
        )
    }

    fn parse_return_statement(&mut self) -> PResult<Stmt<'a>> {
        let span = self.expect(Kind::Return)?;
        if !self.ctx.in_function {
            return Err(self.fail(|p| diagnostics::return_outside_function(p.file, span)));
        }
        let arg = if self.can_insert_semicolon() {
            None
        } else {
            Some(self.parse_expression()?)
        };
        self.asi()?;
        Ok(Stmt::Return(self.alloc(ReturnStmt {
            arg,
            span: self.end_span(span.start),
        })))
    }

    fn parse_break_continue(&mut self) -> PResult<Stmt<'a>> {
        let is_break = self.at(Kind::Break);
        let keyword = if is_break { "break" } else { "continue" };
        let span = self.cur_span();
        self.bump();
        if self.cur_kind().is_identifier() && !self.cur.newline_before {
            let label = self.cur_span();
            return Err(self.unsupported(
                label,
                if is_break {
                    "labeled 'break'"
                } else {
                    "labeled 'continue'"
                },
                "use a conditional instead",
            ));
        }
        if !self.ctx.in_loop {
            return Err(self.fail(|p| diagnostics::outside_loop(p.file, span, keyword)));
        }
        self.asi()?;
        let span = self.end_span(span.start);
        Ok(if is_break {
            Stmt::Break(span)
        } else {
            Stmt::Continue(span)
        })
    }

    /// `assert cond;` / `assert cond, value;`
    fn parse_assert_statement(&mut self) -> PResult<Stmt<'a>> {
        let start = self.expect(Kind::Assert)?.start;
        let test = self.parse_expression()?;
        let value = if self.eat(Kind::Comma) {
            Some(self.parse_expression()?)
        } else {
            None
        };
        self.asi()?;
        Ok(Stmt::Assert(self.alloc(AssertStmt {
            test,
            value,
            span: self.end_span(start),
        })))
    }
}

use super::Context;
