//! TypeScript type syntax: parsed and dropped (reference-language.md
//! section 3). Covers unions, intersections, generics with constraints and
//! defaults, function and constructor types, object and mapped types, index
//! signatures, tuples, template literal types, `readonly`, `keyof`,
//! `typeof`, `infer`, conditional types, indexed access, literal types,
//! arrays and type predicates (`x is T`, `asserts x`).
//!
//! The only rejection here is `any` (ZTS041), skipped while speculating so
//! that a lookahead never reports it; the real parse then does.

use crate::front::lexer::{Kind, LexMode};

use super::{PResult, Parser, diagnostics};

impl Parser<'_> {
    /// A type.
    pub(super) fn parse_type(&mut self) -> PResult<()> {
        self.nested(|p| p.parse_type_inner(true))
    }

    /// A type without a top-level conditional (`T extends U ? X : Y`), as
    /// in the constraint of a type parameter.
    fn parse_type_no_conditional(&mut self) -> PResult<()> {
        self.nested(|p| p.parse_type_inner(false))
    }

    fn parse_type_inner(&mut self, allow_conditional: bool) -> PResult<()> {
        if self.at_function_type() {
            return self.parse_function_type();
        }
        self.parse_union_type()?;
        if allow_conditional && self.at(Kind::Extends) && !self.cur.newline_before {
            self.bump();
            self.parse_type_no_conditional()?;
            self.expect(Kind::Question)?;
            self.parse_type()?;
            self.expect(Kind::Colon)?;
            self.parse_type()?;
        }
        Ok(())
    }

    /// A return type annotation after `:`: also a type predicate
    /// `x is T`, `asserts x`, `asserts x is T`.
    pub(super) fn parse_return_type(&mut self) -> PResult<()> {
        if self.cur_text() == "asserts" && self.cur_kind() == Kind::Ident {
            let next = self.peek();
            if (next.kind.is_identifier() || next.kind == Kind::This) && !next.newline_before {
                self.bump();
                self.bump();
                if self.is_contextual("is") {
                    self.bump();
                    self.parse_type()?;
                }
                return Ok(());
            }
        }
        if self.cur_kind().is_identifier() || self.at(Kind::This) {
            let next = self.peek();
            if next.kind == Kind::Ident && !next.newline_before && self.next_text_is("is") {
                self.bump();
                self.bump();
                return self.parse_type();
            }
        }
        self.parse_type()
    }

    fn is_contextual(&self, word: &str) -> bool {
        self.cur_kind() == Kind::Ident && self.cur_text() == word
    }

    fn next_text_is(&mut self, word: &str) -> bool {
        self.lookahead(|p| {
            p.bump();
            p.cur_text() == word
        })
    }

    /// `(` ... `) =>`, `<T>(...) =>`, `new (...) =>`, `abstract new`.
    fn at_function_type(&mut self) -> bool {
        match self.cur_kind() {
            Kind::Lt => true,
            Kind::New | Kind::Abstract => true,
            Kind::LParen => self.lookahead(|p| p.skip_balanced() && p.at(Kind::Arrow)),
            _ => false,
        }
    }

    fn parse_function_type(&mut self) -> PResult<()> {
        let _ = self.eat(Kind::Abstract);
        let _ = self.eat(Kind::New);
        if self.at(Kind::Lt) {
            self.parse_type_params()?;
        }
        self.parse_params()?;
        self.expect(Kind::Arrow)?;
        self.parse_return_type()
    }

    fn parse_union_type(&mut self) -> PResult<()> {
        let _ = self.eat(Kind::Pipe1);
        self.parse_intersection_type()?;
        while self.eat(Kind::Pipe1) {
            self.parse_intersection_type()?;
        }
        Ok(())
    }

    fn parse_intersection_type(&mut self) -> PResult<()> {
        let _ = self.eat(Kind::Amp);
        self.parse_type_operator()?;
        while self.eat(Kind::Amp) {
            self.parse_type_operator()?;
        }
        Ok(())
    }

    /// `keyof T`, `readonly T[]`, `unique symbol`, `infer U [extends C]`.
    fn parse_type_operator(&mut self) -> PResult<()> {
        match self.cur_kind() {
            Kind::Keyof | Kind::Readonly => {
                self.bump();
                self.nested(Self::parse_type_operator)
            }
            Kind::Ident
                if matches!(self.cur_text(), "unique" | "infer") && {
                    let t = self.peek();
                    t.kind.is_identifier() && !t.newline_before
                } =>
            {
                let infer = self.cur_text() == "infer";
                self.bump();
                if infer {
                    self.bump();
                    if self.at(Kind::Extends)
                        && self.lookahead(|p| {
                            p.bump();
                            p.parse_type_no_conditional().is_ok() && !p.at(Kind::Question)
                        })
                    {
                        self.bump();
                        self.parse_type_no_conditional()?;
                    }
                    Ok(())
                } else {
                    self.nested(Self::parse_type_operator)
                }
            }
            _ => self.parse_postfix_type(),
        }
    }

    /// `T[]`, `T[K]`
    fn parse_postfix_type(&mut self) -> PResult<()> {
        self.parse_primary_type()?;
        while self.at(Kind::LBracket) && !self.cur.newline_before {
            self.bump();
            if !self.eat(Kind::RBracket) {
                self.parse_type()?;
                self.expect(Kind::RBracket)?;
            }
        }
        Ok(())
    }

    fn parse_primary_type(&mut self) -> PResult<()> {
        match self.cur_kind() {
            Kind::LParen => {
                self.bump();
                self.parse_type()?;
                self.expect(Kind::RParen)?;
                Ok(())
            }
            Kind::LBrace => self.parse_object_type(),
            Kind::LBracket => self.parse_tuple_type(),
            Kind::String
            | Kind::Number
            | Kind::NoSubstTemplate
            | Kind::True
            | Kind::False
            | Kind::Null
            | Kind::Undefined
            | Kind::Void
            | Kind::This => {
                self.bump();
                Ok(())
            }
            Kind::Minus if self.peek().kind == Kind::Number => {
                self.bump();
                self.bump();
                Ok(())
            }
            Kind::TemplateHead => self.parse_template_literal_type(),
            Kind::Typeof => {
                self.bump();
                if self.at(Kind::Import) {
                    let span = self.cur_span();
                    return Err(self.unsupported(
                        span,
                        "'typeof import()'",
                        "import the type by name instead",
                    ));
                }
                self.parse_entity_name()?;
                if self.at(Kind::Lt) && !self.cur.newline_before {
                    self.parse_type_args()?;
                }
                Ok(())
            }
            k if k.is_identifier() => self.parse_type_reference(),
            Kind::Function | Kind::Import => {
                let span = self.cur_span();
                Err(self
                    .fail(|p| diagnostics::unexpected_with(p.file, span, "expected a type", None)))
            }
            _ => Err(self.unexpected_expecting("a type")),
        }
    }

    /// `Name`, `A.B.C`, with optional `<args>`. `any` is ZTS041.
    pub(super) fn parse_type_reference(&mut self) -> PResult<()> {
        if self.is_contextual("any") && !self.ctx.speculating {
            return Err(self.fail(|p| diagnostics::any_type(p.file, p.cur_span())));
        }
        self.parse_entity_name()?;
        if self.at(Kind::Lt) && !self.cur.newline_before {
            self.parse_type_args()?;
        }
        Ok(())
    }

    fn parse_entity_name(&mut self) -> PResult<()> {
        if !(self.cur_kind().is_identifier() || self.at(Kind::This)) {
            return Err(self.unexpected_expecting("a type name"));
        }
        self.bump();
        while self.at(Kind::Dot) {
            self.bump();
            if !self.cur_kind().is_identifier_name() {
                return Err(self.unexpected_expecting("a type name"));
            }
            self.bump();
        }
        Ok(())
    }

    /// `<T, U>` type arguments.
    pub(super) fn parse_type_args(&mut self) -> PResult<()> {
        self.expect(Kind::Lt)?;
        loop {
            self.parse_type()?;
            if !self.eat(Kind::Comma) {
                break;
            }
            if self.at_type_closing_gt() {
                break;
            }
        }
        self.expect_type_gt()
    }

    /// `<T extends C = D, const U, in out V>` type parameters.
    pub(super) fn parse_type_params(&mut self) -> PResult<()> {
        self.expect(Kind::Lt)?;
        while !self.at_type_closing_gt() {
            while matches!(self.cur_kind(), Kind::Const | Kind::In)
                || (self.is_contextual("out") && self.peek().kind.is_identifier())
            {
                self.bump();
            }
            if !self.cur_kind().is_identifier() {
                return Err(self.unexpected_expecting("a type parameter name"));
            }
            self.bump();
            if self.eat(Kind::Extends) {
                self.parse_type()?;
            }
            if self.eat(Kind::Eq) {
                self.parse_type()?;
            }
            if !self.eat(Kind::Comma) {
                break;
            }
        }
        self.expect_type_gt()
    }

    fn at_type_closing_gt(&self) -> bool {
        matches!(
            self.cur_kind(),
            Kind::Gt
                | Kind::ShiftRight
                | Kind::ShiftRight3
                | Kind::GtEq
                | Kind::ShiftRightEq
                | Kind::ShiftRight3Eq
        )
    }

    /// Consumes one `>`, splitting `>>`, `>>>`, `>=`, `>>=`, `>>>=`.
    fn expect_type_gt(&mut self) -> PResult<()> {
        if self.at(Kind::Gt) {
            self.bump();
            return Ok(());
        }
        if !self.at_type_closing_gt() {
            return Err(self.unexpected_expecting("'>'"));
        }
        let split = self.cur.span.start + 1;
        self.prev_end = split;
        let t = self.lexer.relex_at(split);
        self.set_current(t);
        Ok(())
    }

    /// `{ a: T; b?: U, readonly c: V; [k: string]: W; [K in X]?: Y; m(x: T): U; (x): T; new (): T }`
    pub(super) fn parse_object_type(&mut self) -> PResult<()> {
        self.expect(Kind::LBrace)?;
        while !self.at(Kind::RBrace) {
            self.nested(Self::parse_type_member)?;
            if !(self.eat(Kind::Semi)
                || self.eat(Kind::Comma)
                || self.at(Kind::RBrace)
                || self.cur.newline_before)
            {
                return Err(self.unexpected_expecting("';' or '}'"));
            }
        }
        self.bump();
        Ok(())
    }

    fn parse_type_member(&mut self) -> PResult<()> {
        // Modifiers: `readonly`, `+readonly`, `-readonly`.
        if matches!(self.cur_kind(), Kind::Plus | Kind::Minus) && self.peek().kind == Kind::Readonly
        {
            self.bump();
        }
        if self.at(Kind::Readonly)
            && !matches!(
                self.peek().kind,
                Kind::Colon | Kind::Question | Kind::LParen | Kind::Semi | Kind::Comma
            )
        {
            self.bump();
        }
        match self.cur_kind() {
            Kind::LParen | Kind::Lt => {
                // Call signature.
                if self.at(Kind::Lt) {
                    self.parse_type_params()?;
                }
                self.parse_params()?;
                return self.parse_optional_annotation();
            }
            Kind::New if matches!(self.peek().kind, Kind::LParen | Kind::Lt) => {
                self.bump();
                if self.at(Kind::Lt) {
                    self.parse_type_params()?;
                }
                self.parse_params()?;
                return self.parse_optional_annotation();
            }
            Kind::LBracket => {
                self.bump();
                let next = self.peek().kind;
                if self.cur_kind().is_identifier() && next == Kind::Colon {
                    // Index signature `[key: K]: V`.
                    self.bump();
                    self.bump();
                    self.parse_type()?;
                    self.expect(Kind::RBracket)?;
                } else if self.cur_kind().is_identifier() && next == Kind::In {
                    // Mapped type `[K in T as U]`.
                    self.bump();
                    self.bump();
                    self.parse_type()?;
                    if self.eat(Kind::As) {
                        self.parse_type()?;
                    }
                    self.expect(Kind::RBracket)?;
                } else {
                    // Computed key `[Symbol.iterator]`.
                    self.parse_expression()?;
                    self.expect(Kind::RBracket)?;
                }
            }
            Kind::String | Kind::Number => self.bump(),
            k if k.is_identifier_name() => self.bump(),
            _ => return Err(self.unexpected_expecting("a property name")),
        }
        if matches!(self.cur_kind(), Kind::Plus | Kind::Minus) && self.peek().kind == Kind::Question
        {
            self.bump();
        }
        let _ = self.eat(Kind::Question);
        if matches!(self.cur_kind(), Kind::LParen | Kind::Lt) {
            // Method signature.
            if self.at(Kind::Lt) {
                self.parse_type_params()?;
            }
            self.parse_params()?;
        }
        self.parse_optional_annotation()
    }

    fn parse_optional_annotation(&mut self) -> PResult<()> {
        if self.eat(Kind::Colon) {
            self.parse_return_type()
        } else {
            Ok(())
        }
    }

    /// `[A, B?, ...C[], name: D]`
    fn parse_tuple_type(&mut self) -> PResult<()> {
        self.expect(Kind::LBracket)?;
        while !self.at(Kind::RBracket) {
            let _ = self.eat(Kind::Dot3);
            // Labeled element `name: T` / `name?: T`.
            if self.cur_kind().is_identifier() {
                let next = self.peek().kind;
                if next == Kind::Colon
                    || (next == Kind::Question
                        && self.lookahead(|p| {
                            p.bump();
                            p.bump();
                            p.at(Kind::Colon)
                        }))
                {
                    self.bump();
                    let _ = self.eat(Kind::Question);
                    self.bump();
                }
            }
            self.parse_type()?;
            let _ = self.eat(Kind::Question);
            if !self.eat(Kind::Comma) {
                break;
            }
        }
        self.expect(Kind::RBracket)?;
        Ok(())
    }

    /// `` `/api/${string}` ``
    fn parse_template_literal_type(&mut self) -> PResult<()> {
        let open = self.cur_span().start;
        loop {
            let kind = self.cur_kind();
            self.bump_in(LexMode::Normal);
            if matches!(kind, Kind::NoSubstTemplate | Kind::TemplateTail) {
                return Ok(());
            }
            self.parse_type()?;
            if !self.at(Kind::RBrace) {
                return Err(self.unexpected_expecting("'}'"));
            }
            let t = self
                .lexer
                .template_continuation(self.cur_span().start, open);
            self.set_current(t);
            if self.at(Kind::Eof) {
                return Err(self.unexpected_expecting("the rest of the template literal type"));
            }
        }
    }
}
