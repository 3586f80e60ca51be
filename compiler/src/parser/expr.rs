//! Expressions (reference-language.md sections 1.2-1.9).
//!
//! Precedence, low to high: assignment < `|>` < `?:` < `??` < `||` < `&&` <
//! `|` < `^` < `&` < equality < comparison/`in` < shift < additive <
//! multiplicative < `**` < unary < postfix < call. Assignment, pipe and the
//! conditional have their own functions; every binary operator from `??` up
//! goes through the one binding-power loop in
//! [`Parser::parse_binary_expression`].

use crate::front::ast::{
    Arg, ArrayElem, ArrayLit, AssignExpr, AssignOp, AssignTarget, BinaryExpr, BinaryOp,
    BindingElem, BoolLit, CallExpr, ChainExpr, ComputedKey, ConditionalExpr, Expr, Function,
    FunctionBody, FunctionKind, IdentName, IdentRef, IndexExpr, LogicalExpr, LogicalOp, MatchArm,
    MatchExpr, MatchTest, MemberExpr, NumberLit, ObjectLit, ObjectProp, Pattern, PipeExpr, PropKey,
    PropKind, Property, Span, SpreadElem, StringLit, TemplateLit, TemplateQuasi, UnaryExpr,
    UnaryOp,
};
use crate::front::lexer::Kind;

use super::{PResult, Parser, diagnostics};

/// A binary operator and its binding powers.
#[derive(Clone, Copy)]
enum InfixOp {
    Binary(BinaryOp),
    Logical(LogicalOp),
}

/// Binding powers `(left, right)` of an infix operator token. Left-
/// associative operators bind their right operand one step tighter
/// (`right = left + 1`); `**` is right-associative (`right == left`).
/// `==`, `!=` and `instanceof` get their slot so they can be rejected where
/// they appear; `as`/`satisfies` are handled by the caller.
fn infix_binding_power(kind: Kind) -> Option<(InfixOp, u8, u8)> {
    use BinaryOp as B;
    use InfixOp::{Binary, Logical};
    let (op, bp) = match kind {
        Kind::Question2 => (Logical(LogicalOp::Nullish), 1),
        Kind::Pipe2 => (Logical(LogicalOp::Or), 2),
        Kind::Amp2 => (Logical(LogicalOp::And), 3),
        Kind::Pipe1 => (Binary(B::BitOr), 4),
        Kind::Caret => (Binary(B::BitXor), 5),
        Kind::Amp => (Binary(B::BitAnd), 6),
        Kind::Eq3 | Kind::Eq2 => (Binary(B::StrictEq), 7),
        Kind::Neq2 | Kind::Neq => (Binary(B::StrictNe), 7),
        Kind::Lt => (Binary(B::Lt), 8),
        Kind::LtEq => (Binary(B::Le), 8),
        Kind::Gt => (Binary(B::Gt), 8),
        Kind::GtEq => (Binary(B::Ge), 8),
        Kind::In | Kind::Instanceof => (Binary(B::In), 8),
        Kind::ShiftLeft => (Binary(B::Shl), 9),
        Kind::ShiftRight => (Binary(B::Shr), 9),
        Kind::ShiftRight3 => (Binary(B::UShr), 9),
        Kind::Plus => (Binary(B::Add), 10),
        Kind::Minus => (Binary(B::Sub), 10),
        Kind::Star => (Binary(B::Mul), 11),
        Kind::Slash => (Binary(B::Div), 11),
        Kind::Percent => (Binary(B::Rem), 11),
        Kind::Star2 => return Some((Binary(B::Exp), 12, 12)),
        _ => return None,
    };
    Some((op, bp, bp + 1))
}

fn assign_op(kind: Kind) -> Option<AssignOp> {
    Some(match kind {
        Kind::Eq => AssignOp::Assign,
        Kind::PlusEq => AssignOp::Add,
        Kind::MinusEq => AssignOp::Sub,
        Kind::StarEq => AssignOp::Mul,
        Kind::SlashEq => AssignOp::Div,
        Kind::PercentEq => AssignOp::Rem,
        Kind::Star2Eq => AssignOp::Exp,
        Kind::ShiftLeftEq => AssignOp::Shl,
        Kind::ShiftRightEq => AssignOp::Shr,
        Kind::ShiftRight3Eq => AssignOp::UShr,
        Kind::AmpEq => AssignOp::BitAnd,
        Kind::PipeEq => AssignOp::BitOr,
        Kind::CaretEq => AssignOp::BitXor,
        _ => return None,
    })
}

impl<'a> Parser<'a> {
    /// An expression (there is no comma operator).
    pub(super) fn parse_expression(&mut self) -> PResult<Expr<'a>> {
        let saved = self.ctx.no_in;
        self.ctx.no_in = false;
        let r = self.parse_assignment_expression();
        self.ctx.no_in = saved;
        r
    }

    /// `AssignmentExpression` (keeps the current `no_in` flag).
    pub(super) fn parse_assignment_expression(&mut self) -> PResult<Expr<'a>> {
        self.nested(|p| p.parse_assignment(true))
    }

    /// `target op= value`, right-associative. Without `allow_pipe` the left
    /// side stops below `|>` (the alternate of a conditional).
    fn parse_assignment(&mut self, allow_pipe: bool) -> PResult<Expr<'a>> {
        let start = self.cur_span().start;
        let left = if allow_pipe {
            self.parse_pipe_expression()?
        } else {
            self.parse_conditional_expression()?
        };
        let kind = self.cur_kind();
        if !kind.is_assign_op() {
            return Ok(left);
        }
        let (op, target) = self.assignment_target(kind, left)?;
        self.bump();
        let value = self.nested(|p| p.parse_assignment(allow_pipe))?;
        Ok(Expr::Assign(self.alloc(AssignExpr {
            op,
            target,
            value,
            span: self.end_span(start),
        })))
    }

    /// The operator and target of an assignment whose left side is `left`.
    #[inline(never)]
    fn assignment_target(
        &mut self,
        kind: Kind,
        left: Expr<'a>,
    ) -> PResult<(AssignOp, AssignTarget<'a>)> {
        let Some(op) = assign_op(kind) else {
            let (what, suggestion) = match kind {
                Kind::Amp2Eq => ("'&&='", "use 'x = x && value' instead"),
                Kind::Pipe2Eq => ("'||='", "use 'x = x || value' instead"),
                _ => ("'??='", "use 'x = x ?? value' instead"),
            };
            let span = self.cur_span();
            return Err(self.unsupported(span, what, suggestion));
        };
        let target = match left {
            Expr::Ident(i) => AssignTarget::Ident(i),
            Expr::Member(m) if !m.optional => AssignTarget::Member(m),
            Expr::Index(i) if !i.optional => AssignTarget::Index(i),
            Expr::Object(_) | Expr::Array(_) => {
                return Err(self.fail(|p| {
                    diagnostics::invalid_destructuring(
                        p.file,
                        left.span(),
                        "destructuring assignment is not supported",
                        "destructure in a 'const' or 'let' declaration instead",
                    )
                }));
            }
            _ => {
                return Err(
                    self.fail(|p| diagnostics::invalid_assignment_target(p.file, left.span()))
                );
            }
        };
        Ok((op, target))
    }

    /// `left |> right`, folding to the left; the right side is parsed at
    /// conditional level.
    fn parse_pipe_expression(&mut self) -> PResult<Expr<'a>> {
        let start = self.cur_span().start;
        let mut left = self.parse_conditional_expression()?;
        while self.eat(Kind::Pipe) {
            let right = self.parse_conditional_expression()?;
            left = Expr::Pipe(self.alloc(PipeExpr {
                left,
                right,
                span: self.end_span(start),
            }));
        }
        Ok(left)
    }

    /// `test ? consequent : alternate`
    fn parse_conditional_expression(&mut self) -> PResult<Expr<'a>> {
        let start = self.cur_span().start;
        let test = self.parse_binary_expression(0)?;
        if !self.eat(Kind::Question) {
            return Ok(test);
        }
        let consequent = self.parse_expression()?;
        self.expect(Kind::Colon)?;
        let alternate = self.nested(|p| p.parse_assignment(false))?;
        Ok(Expr::Conditional(self.alloc(ConditionalExpr {
            test,
            consequent,
            alternate,
            span: self.end_span(start),
        })))
    }

    /// The binding-power loop for every binary and logical operator.
    fn parse_binary_expression(&mut self, min_bp: u8) -> PResult<Expr<'a>> {
        let start = self.cur_span().start;
        let mut left = self.parse_unary_expression()?;
        // Each operator folded here deepens the (left-leaning) tree that the
        // later passes walk recursively, so a chain is bounded too.
        let mut chain = 0usize;
        loop {
            let kind = self.cur_kind();
            if matches!(kind, Kind::As | Kind::Satisfies) && !self.cur.newline_before {
                return Err(self
                    .fail(|p| diagnostics::type_assertion(p.file, p.cur_span(), kind.describe())));
            }
            let Some((op, l_bp, r_bp)) = infix_binding_power(kind) else {
                break;
            };
            if l_bp < min_bp || (kind == Kind::In && self.ctx.no_in) {
                break;
            }
            let op_span = self.cur_span();
            match kind {
                Kind::Eq2 => {
                    return Err(self.unsupported(
                        op_span,
                        "'=='",
                        "use '===' for strict equality instead",
                    ));
                }
                Kind::Neq => {
                    return Err(self.unsupported(
                        op_span,
                        "'!='",
                        "use '!==' for strict inequality instead",
                    ));
                }
                Kind::Instanceof => return Err(self.reject_keyword(Kind::Instanceof, op_span)),
                _ => {}
            }
            chain += 1;
            if chain > super::MAX_CHAIN {
                return Err(self.fail(|p| diagnostics::chain_too_long(p.file, op_span)));
            }
            self.bump();
            // Right operands nest (a right-associative chain such as
            // `a ** b ** c` recurses here).
            let right = self.nested(|p| p.parse_binary_expression(r_bp))?;
            let span = self.end_span(start);
            left = match op {
                InfixOp::Binary(op) => Expr::Binary(self.alloc(BinaryExpr {
                    op,
                    left,
                    right,
                    op_span,
                    span,
                })),
                InfixOp::Logical(op) => Expr::Logical(self.alloc(LogicalExpr {
                    op,
                    left,
                    right,
                    span,
                })),
            };
        }
        Ok(left)
    }

    /// Prefix operators; `delete`, `await`, `++`, `--` are rejected.
    fn parse_unary_expression(&mut self) -> PResult<Expr<'a>> {
        let op = match self.cur_kind() {
            Kind::Bang => UnaryOp::Not,
            Kind::Tilde => UnaryOp::BitNot,
            Kind::Plus => UnaryOp::Plus,
            Kind::Minus => UnaryOp::Minus,
            Kind::Typeof => UnaryOp::Typeof,
            Kind::Void => UnaryOp::Void,
            Kind::Delete | Kind::Await => {
                return Err(self.reject_keyword(self.cur_kind(), self.cur_span()));
            }
            Kind::Plus2 | Kind::Minus2 => return Err(self.reject_increment()),
            _ => return self.parse_postfix_expression(),
        };
        let start = self.cur_span().start;
        self.bump();
        let arg = self.nested(Self::parse_unary_expression)?;
        if self.at(Kind::Star2) {
            return Err(self.fail(|p| {
                diagnostics::unexpected_with(
                    p.file,
                    p.cur_span(),
                    "a unary expression cannot be the left operand of '**'",
                    Some("add parentheses, e.g. '(-x) ** 2'"),
                )
            }));
        }
        Ok(Expr::Unary(self.alloc(UnaryExpr {
            op,
            arg,
            span: self.end_span(start),
        })))
    }

    #[cold]
    fn reject_increment(&mut self) -> super::Fatal {
        let span = self.cur_span();
        if self.at(Kind::Plus2) {
            self.unsupported(span, "'++'", "use 'x = x + 1' instead")
        } else {
            self.unsupported(span, "'--'", "use 'x = x - 1' instead")
        }
    }

    /// Postfix `++`/`--` (rejected) and `!` (non-null assertion, rejected).
    fn parse_postfix_expression(&mut self) -> PResult<Expr<'a>> {
        let expr = self.parse_call_member_expression()?;
        if !self.cur.newline_before {
            match self.cur_kind() {
                Kind::Plus2 | Kind::Minus2 => return Err(self.reject_increment()),
                Kind::Bang => return Err(self.reject_non_null()),
                _ => {}
            }
        }
        Ok(expr)
    }

    #[cold]
    fn reject_non_null(&mut self) -> super::Fatal {
        let span = self.cur_span();
        self.unsupported(
            span,
            "the non-null assertion '!'",
            "check for undefined explicitly, e.g. 'if (x !== undefined)'",
        )
    }

    /// Member access, calls, optional chains and (erased) type arguments.
    fn parse_call_member_expression(&mut self) -> PResult<Expr<'a>> {
        let start = self.cur_span().start;
        let mut expr = self.parse_primary_expression()?;
        // An arrow ends its expression (`() => {}(x)` is no call), but a
        // parenthesized one may be called: `((x) => x * x)(7)`.
        if matches!(expr, Expr::Function(f) if f.kind == FunctionKind::Arrow && f.span.start == start)
        {
            return Ok(expr);
        }
        let mut in_chain = false;
        while let Some(next) = self.parse_suffix(expr, start, &mut in_chain)? {
            expr = next;
        }
        if in_chain {
            expr = Expr::Chain(self.alloc(ChainExpr {
                expr,
                span: self.end_span(start),
            }));
        }
        Ok(expr)
    }

    /// One `.name`, `?.x`, `[k]`, `(args)` or `<T>(args)` suffix applied to
    /// `expr`; `None` when the current token continues no chain.
    #[inline(never)]
    fn parse_suffix(
        &mut self,
        expr: Expr<'a>,
        start: u32,
        in_chain: &mut bool,
    ) -> PResult<Option<Expr<'a>>> {
        Ok(Some(match self.cur_kind() {
            Kind::Dot => {
                self.bump();
                let property = self.parse_identifier_name()?;
                self.check_object_member(expr, property)?;
                self.member(expr, property, false, start)
            }
            Kind::QuestionDot => {
                self.bump();
                *in_chain = true;
                match self.cur_kind() {
                    Kind::LParen => self.parse_call(expr, true, start)?,
                    Kind::LBracket => self.parse_index(expr, true, start)?,
                    Kind::Lt => {
                        self.parse_type_args()?;
                        self.parse_call(expr, true, start)?
                    }
                    _ => {
                        let property = self.parse_identifier_name()?;
                        self.member(expr, property, true, start)
                    }
                }
            }
            Kind::LBracket => self.parse_index(expr, false, start)?,
            Kind::LParen => self.parse_call(expr, false, start)?,
            Kind::NoSubstTemplate | Kind::TemplateHead => {
                let span = self.cur_span();
                return Err(self.unsupported(
                    span,
                    "tagged template",
                    "call the function with a template literal argument instead",
                ));
            }
            Kind::Lt if self.lookahead(Self::at_type_args_then_call) => {
                // `f<T>(x)`: the type arguments are erased.
                self.parse_type_args()?;
                self.parse_call(expr, false, start)?
            }
            Kind::Bang if !self.cur.newline_before && self.non_null_continues() => {
                return Err(self.reject_non_null());
            }
            _ => return Ok(None),
        }))
    }

    /// `x!.y`, `x![0]`, `x!(...)`: a non-null assertion followed by more
    /// of the chain (a trailing `x!` is caught in the postfix position).
    fn non_null_continues(&mut self) -> bool {
        matches!(
            self.peek().kind,
            Kind::Dot | Kind::LBracket | Kind::LParen | Kind::QuestionDot
        )
    }

    fn member(
        &self,
        object: Expr<'a>,
        property: IdentName<'a>,
        optional: bool,
        start: u32,
    ) -> Expr<'a> {
        Expr::Member(self.alloc(MemberExpr {
            object,
            property,
            optional,
            span: self.end_span(start),
        }))
    }

    /// `Object.assign` / `Object.freeze` / `Object.isFrozen` are rejected.
    fn check_object_member(&mut self, object: Expr<'a>, property: IdentName<'a>) -> PResult<()> {
        let Expr::Ident(obj) = object else {
            return Ok(());
        };
        if obj.name != "Object" {
            return Ok(());
        }
        let span = obj.span.to(property.span);
        match property.name {
            "assign" => Err(self.unsupported(
                span,
                "'Object.assign'",
                "use object spread {...obj1, ...obj2} instead",
            )),
            "freeze" => {
                Err(self.unsupported(span, "'Object.freeze'", "objects are mutable by design"))
            }
            "isFrozen" => {
                Err(self.unsupported(span, "'Object.isFrozen'", "objects are mutable by design"))
            }
            _ => Ok(()),
        }
    }

    /// After `<` in call position: `<T, U>(` reads as type arguments.
    fn at_type_args_then_call(&mut self) -> bool {
        self.parse_type_args().is_ok() && self.at(Kind::LParen)
    }

    /// Any identifier name, keywords included (after `.`, `?.`).
    fn parse_identifier_name(&mut self) -> PResult<IdentName<'a>> {
        if self.cur_kind().is_identifier_name() {
            let name = IdentName {
                name: self.cur_text(),
                span: self.cur_span(),
            };
            self.bump();
            Ok(name)
        } else if self.at(Kind::Hash) {
            let span = self.cur_span();
            Err(self.unsupported(
                span,
                "private name '#x'",
                "use plain objects and functions instead",
            ))
        } else {
            Err(self.fail(|p| {
                if p.at(Kind::Eof) {
                    diagnostics::unexpected_eof(p.file, p.cur_span(), "a property name")
                } else {
                    diagnostics::expected_property_name(p.file, p.cur_span(), p.cur_text())
                }
            }))
        }
    }

    #[inline(never)]
    fn parse_index(&mut self, object: Expr<'a>, optional: bool, start: u32) -> PResult<Expr<'a>> {
        self.expect(Kind::LBracket)?;
        let index = self.parse_expression()?;
        self.expect(Kind::RBracket)?;
        Ok(Expr::Index(self.alloc(IndexExpr {
            object,
            index,
            optional,
            span: self.end_span(start),
        })))
    }

    #[inline(never)]
    fn parse_call(&mut self, callee: Expr<'a>, optional: bool, start: u32) -> PResult<Expr<'a>> {
        self.expect(Kind::LParen)?;
        let mut args = self.ast.vec();
        while !self.at(Kind::RParen) {
            let arg_start = self.cur_span().start;
            if self.eat(Kind::Dot3) {
                let arg = self.parse_assignment_expression()?;
                args.push(Arg::Spread(self.alloc(SpreadElem {
                    arg,
                    span: self.end_span(arg_start),
                })));
            } else {
                args.push(Arg::Expr(self.parse_expression()?));
            }
            if !self.eat(Kind::Comma) {
                break;
            }
        }
        self.expect(Kind::RParen)?;
        Ok(Expr::Call(self.alloc(CallExpr {
            callee,
            args: args.into_bump_slice(),
            optional,
            span: self.end_span(start),
        })))
    }

    /// Literals, names, arrows, groups, array/object literals, templates,
    /// `match`, JSX, and the rejected primaries.
    ///
    /// Implementation note: this sits on the recursion path of every nested
    /// expression, so it only dispatches; each production lives in its own
    /// `#[inline(never)]` function to keep this frame small (see
    /// [`super::MAX_DEPTH`]).
    fn parse_primary_expression(&mut self) -> PResult<Expr<'a>> {
        match self.cur_kind() {
            Kind::Number | Kind::String | Kind::True | Kind::False | Kind::Undefined => {
                Ok(self.parse_literal())
            }
            Kind::NoSubstTemplate | Kind::TemplateHead => self.parse_template_literal(),
            Kind::LParen => self.parse_parenthesized_or_arrow(),
            Kind::LBracket => self.parse_array_literal(),
            Kind::LBrace => self.parse_object_literal(),
            Kind::Lt => self.parse_lt_primary(),
            Kind::Match if self.peek().kind == Kind::LParen => self.parse_match_expression(),
            k if k.is_identifier() => self.parse_identifier_primary(),
            _ => Err(self.reject_primary()),
        }
    }

    #[inline(never)]
    fn parse_literal(&mut self) -> Expr<'a> {
        let span = self.cur_span();
        let expr = match self.cur_kind() {
            Kind::Number => Expr::Number(self.alloc(NumberLit {
                value: self.cur.number_value(),
                raw: self.cur_text(),
                span,
            })),
            Kind::String => Expr::String(self.alloc(StringLit {
                value: self.cur.str_value(),
                span,
            })),
            Kind::True | Kind::False => Expr::Bool(self.alloc(BoolLit {
                value: self.at(Kind::True),
                span,
            })),
            _ => Expr::Undefined(span),
        };
        self.bump();
        expr
    }

    #[inline(never)]
    fn parse_parenthesized_or_arrow(&mut self) -> PResult<Expr<'a>> {
        if self.lookahead(Self::at_arrow_after_parens) {
            return self.parse_arrow_function();
        }
        self.bump();
        if self.at(Kind::RParen) {
            return Err(self.expected_expression());
        }
        let expr = self.parse_expression()?;
        if self.at(Kind::Comma) {
            let span = self.cur_span();
            return Err(self.unsupported(
                span,
                "the comma operator",
                "write each expression separately",
            ));
        }
        self.expect(Kind::RParen)?;
        Ok(expr)
    }

    /// `<` in expression position: generic arrow, JSX, or a rejected
    /// `<T>expr` assertion.
    #[inline(never)]
    fn parse_lt_primary(&mut self) -> PResult<Expr<'a>> {
        if self.lookahead(Self::at_generic_arrow) {
            return self.parse_arrow_function();
        }
        if self.jsx {
            return self.parse_jsx_expression();
        }
        Err(self.fail(|p| diagnostics::type_assertion(p.file, p.cur_span(), "<T>")))
    }

    #[inline(never)]
    fn parse_identifier_primary(&mut self) -> PResult<Expr<'a>> {
        let span = self.cur_span();
        if self.at(Kind::Async) && self.async_starts_construct() {
            return Err(self.reject_keyword(Kind::Async, span));
        }
        if self.peek().kind == Kind::Arrow {
            return self.parse_arrow_function();
        }
        let name = self.cur_text();
        match name {
            "Promise" => {
                return Err(self.unsupported(
                    span,
                    "'Promise'",
                    "use Result types or callbacks instead",
                ));
            }
            "RegExp" => {
                return Err(self.unsupported(span, "'RegExp'", "use string methods instead"));
            }
            _ => {}
        }
        self.bump();
        Ok(Expr::Ident(self.alloc(IdentRef { name, span })))
    }

    /// Everything that cannot start an expression, with the 2.1 message
    /// where there is one.
    #[cold]
    #[inline(never)]
    fn reject_primary(&mut self) -> super::Fatal {
        let span = self.cur_span();
        let kind = self.cur_kind();
        match kind {
            Kind::Slash | Kind::SlashEq => self.unsupported(
                Span::new(span.start, span.start + 1),
                "regex literal",
                "use string methods instead",
            ),
            Kind::Import => self.unsupported(
                span,
                "dynamic 'import()'",
                "use a static named import at the top of the file instead",
            ),
            Kind::Hash => self.unsupported(
                span,
                "private name '#x'",
                "use plain objects and functions instead",
            ),
            _ if diagnostics::keyword_rejection(kind).is_some() => self.reject_keyword(kind, span),
            _ => self.expected_expression(),
        }
    }

    #[cold]
    fn expected_expression(&mut self) -> super::Fatal {
        self.fail(|p| {
            if p.at(Kind::Eof) {
                diagnostics::unexpected_eof(p.file, p.cur_span(), "an expression")
            } else {
                diagnostics::expected_expression(p.file, p.cur_span(), p.cur_text())
            }
        })
    }

    /// At `(`: do the parentheses hold arrow parameters? True when the
    /// matching `)` is followed by `=>`, or by `: ReturnType =>`.
    fn at_arrow_after_parens(&mut self) -> bool {
        if !self.skip_balanced() {
            return false;
        }
        if self.at(Kind::Arrow) {
            return true;
        }
        self.at(Kind::Colon) && {
            self.bump();
            self.parse_return_type().is_ok() && self.at(Kind::Arrow)
        }
    }

    /// At `<`: `<T>(x: T) => x` (in `.tsx` only the unambiguous `<T,>` and
    /// `<T extends U>` forms).
    fn at_generic_arrow(&mut self) -> bool {
        if self.jsx {
            let t = self.peek();
            if !t.kind.is_identifier() {
                return false;
            }
            let after = self.lookahead(|p| {
                p.bump();
                p.bump();
                p.cur_kind()
            });
            if !matches!(after, Kind::Comma | Kind::Extends) {
                return false;
            }
        }
        self.parse_type_params().is_ok() && self.at(Kind::LParen) && self.at_arrow_after_parens()
    }

    /// `x => body`, `(params): R => body`, `<T>(params) => body`.
    #[inline(never)]
    fn parse_arrow_function(&mut self) -> PResult<Expr<'a>> {
        let start = self.cur_span().start;
        let (params, rest) = if self.cur_kind().is_identifier() {
            let ident = self.parse_binding_ident()?;
            let params = std::slice::from_ref(self.alloc(BindingElem {
                pattern: Pattern::Ident(ident),
                default: None,
                span: ident.span,
            }));
            (params, None)
        } else {
            if self.at(Kind::Lt) {
                self.parse_type_params()?;
            }
            let params = self.parse_params()?;
            if self.eat(Kind::Colon) {
                self.parse_return_type()?;
            }
            params
        };
        if self.cur.newline_before && self.at(Kind::Arrow) {
            return Err(self.unexpected());
        }
        self.expect(Kind::Arrow)?;
        let body = if self.at(Kind::LBrace) {
            FunctionBody::Block(self.parse_function_body()?)
        } else {
            let saved = self.ctx;
            self.ctx.in_function = true;
            self.ctx.in_loop = false;
            let body = self.parse_assignment_expression();
            self.ctx = saved;
            FunctionBody::Expr(body?)
        };
        Ok(Expr::Function(self.alloc(Function {
            kind: FunctionKind::Arrow,
            name: None,
            params,
            rest,
            body,
            span: self.end_span(start),
        })))
    }

    /// `` `text ${expr} text` ``
    #[inline(never)]
    fn parse_template_literal(&mut self) -> PResult<Expr<'a>> {
        let open = self.cur_span().start;
        let mut quasis = self.ast.vec();
        let mut exprs = self.ast.vec();
        loop {
            let t = self.cur;
            let text_end = match t.kind {
                Kind::TemplateHead | Kind::TemplateMiddle => t.span.end - 2,
                _ => t.span.end - 1,
            };
            let text = Span::new(t.span.start + 1, text_end);
            quasis.push(TemplateQuasi {
                cooked: t.str_value(),
                raw: text.text(self.source),
                span: text,
            });
            if matches!(t.kind, Kind::NoSubstTemplate | Kind::TemplateTail) {
                self.bump();
                break;
            }
            self.bump();
            exprs.push(self.parse_expression()?);
            if !self.at(Kind::RBrace) {
                return Err(self.unexpected_expecting("'}' to close '${'"));
            }
            let next = self
                .lexer
                .template_continuation(self.cur_span().start, open);
            self.set_current(next);
            if self.at(Kind::Eof) {
                return Err(self.unexpected_expecting("the rest of the template literal"));
            }
        }
        Ok(Expr::Template(self.alloc(TemplateLit {
            quasis: quasis.into_bump_slice(),
            exprs: exprs.into_bump_slice(),
            span: self.end_span(open),
        })))
    }

    /// `[a, , ...b]`
    #[inline(never)]
    fn parse_array_literal(&mut self) -> PResult<Expr<'a>> {
        let start = self.expect(Kind::LBracket)?.start;
        let mut elems = self.ast.vec();
        while !self.at(Kind::RBracket) {
            if self.at(Kind::Comma) {
                elems.push(ArrayElem::Hole(Span::at(self.cur_span().start)));
                self.bump();
                continue;
            }
            let elem_start = self.cur_span().start;
            if self.eat(Kind::Dot3) {
                let arg = self.parse_assignment_expression()?;
                elems.push(ArrayElem::Spread(self.alloc(SpreadElem {
                    arg,
                    span: self.end_span(elem_start),
                })));
            } else {
                elems.push(ArrayElem::Expr(self.parse_expression()?));
            }
            if !self.at(Kind::RBracket) {
                self.expect(Kind::Comma)?;
            }
        }
        self.expect(Kind::RBracket)?;
        Ok(Expr::Array(self.alloc(ArrayLit {
            elems: elems.into_bump_slice(),
            span: self.end_span(start),
        })))
    }

    /// `{ a: 1, b, [k]: v, "s": 2, 3: x, ...o, m() {} }`
    #[inline(never)]
    fn parse_object_literal(&mut self) -> PResult<Expr<'a>> {
        let start = self.expect(Kind::LBrace)?.start;
        let mut props = self.ast.vec();
        while !self.at(Kind::RBrace) {
            let prop_start = self.cur_span().start;
            if self.eat(Kind::Dot3) {
                let arg = self.parse_assignment_expression()?;
                props.push(ObjectProp::Spread(self.alloc(SpreadElem {
                    arg,
                    span: self.end_span(prop_start),
                })));
            } else {
                props.push(ObjectProp::Prop(self.parse_object_property()?));
            }
            if !self.at(Kind::RBrace) {
                self.expect(Kind::Comma)?;
            }
        }
        self.expect(Kind::RBrace)?;
        Ok(Expr::Object(self.alloc(ObjectLit {
            props: props.into_bump_slice(),
            span: self.end_span(start),
        })))
    }

    #[inline(never)]
    fn parse_object_property(&mut self) -> PResult<&'a Property<'a>> {
        let start = self.cur_span().start;
        let kind = self.cur_kind();
        // `get x() {}`, `set x(v) {}`, `async m() {}`, `*m() {}`
        if matches!(kind, Kind::Get | Kind::Set | Kind::Async) {
            let next = self.peek();
            let is_modifier = !matches!(
                next.kind,
                Kind::Colon | Kind::LParen | Kind::Comma | Kind::RBrace | Kind::Eq | Kind::Lt
            ) && !next.newline_before;
            if is_modifier {
                let span = self.cur_span();
                return Err(match kind {
                    Kind::Async => self.reject_keyword(Kind::Async, span),
                    Kind::Get => {
                        self.unsupported(span, "'get' accessor", "use a plain property instead")
                    }
                    _ => self.unsupported(span, "'set' accessor", "use a plain property instead"),
                });
            }
        }
        if self.at(Kind::Star) {
            let span = self.cur_span();
            return Err(self.unsupported(span, "generator method", "generators are not available"));
        }
        let key = self.parse_property_key()?;
        let (value, prop_kind) = match self.cur_kind() {
            Kind::Colon => {
                self.bump();
                (self.parse_assignment_expression()?, PropKind::Init)
            }
            Kind::LParen | Kind::Lt => (self.parse_method(start)?, PropKind::Method),
            _ => {
                let PropKey::Ident(name) = key else {
                    return Err(self.unexpected_expecting("':'"));
                };
                if self.at(Kind::Eq) {
                    return Err(self.fail(|p| {
                        diagnostics::invalid_destructuring(
                            p.file,
                            p.cur_span(),
                            "a shorthand property cannot have a default value here",
                            "use 'key: value'",
                        )
                    }));
                }
                let value = match kind {
                    Kind::Undefined => Expr::Undefined(name.span),
                    k if k.is_identifier() => Expr::Ident(self.alloc(IdentRef {
                        name: name.name,
                        span: name.span,
                    })),
                    k if diagnostics::keyword_rejection(k).is_some() => {
                        return Err(self.reject_keyword(k, name.span));
                    }
                    _ => {
                        return Err(self.fail(|p| {
                            diagnostics::expected_identifier(p.file, name.span, name.name)
                        }));
                    }
                };
                (value, PropKind::Shorthand)
            }
        };
        Ok(self.alloc(Property {
            key,
            value,
            kind: prop_kind,
            span: self.end_span(start),
        }))
    }

    /// `m<T>(params): R { body }` after the key.
    #[inline(never)]
    fn parse_method(&mut self, start: u32) -> PResult<Expr<'a>> {
        if self.at(Kind::Lt) {
            self.parse_type_params()?;
        }
        let (params, rest) = self.parse_params()?;
        if self.eat(Kind::Colon) {
            self.parse_return_type()?;
        }
        let body = self.parse_function_body()?;
        Ok(Expr::Function(self.alloc(Function {
            kind: FunctionKind::Method,
            name: None,
            params,
            rest,
            body: FunctionBody::Block(body),
            span: self.end_span(start),
        })))
    }

    /// A property key: identifier name, string, number or `[computed]`.
    pub(super) fn parse_property_key(&mut self) -> PResult<PropKey<'a>> {
        let span = self.cur_span();
        let key = match self.cur_kind() {
            k if k.is_identifier_name() => PropKey::Ident(self.alloc(IdentName {
                name: self.cur_text(),
                span,
            })),
            Kind::String => PropKey::String(self.alloc(StringLit {
                value: self.cur.str_value(),
                span,
            })),
            Kind::Number => PropKey::Number(self.alloc(NumberLit {
                value: self.cur.number_value(),
                raw: self.cur_text(),
                span,
            })),
            Kind::LBracket => {
                self.bump();
                let expr = self.parse_expression()?;
                self.expect(Kind::RBracket)?;
                return Ok(PropKey::Computed(self.alloc(ComputedKey {
                    expr,
                    span: self.end_span(span.start),
                })));
            }
            Kind::Hash => {
                return Err(self.unsupported(
                    span,
                    "private name '#x'",
                    "use plain objects and functions instead",
                ));
            }
            _ => {
                return Err(self.fail(|p| {
                    if p.at(Kind::Eof) {
                        diagnostics::unexpected_eof(p.file, span, "a property name")
                    } else {
                        diagnostics::expected_property_name(p.file, span, p.cur_text())
                    }
                }));
            }
        };
        self.bump();
        Ok(key)
    }

    /// `match (e) { when p: v [,] ... default: d [,] }`
    #[inline(never)]
    fn parse_match_expression(&mut self) -> PResult<Expr<'a>> {
        let start = self.expect(Kind::Match)?.start;
        self.expect(Kind::LParen)?;
        let discriminant = self.parse_expression()?;
        self.expect(Kind::RParen)?;
        self.expect(Kind::LBrace)?;
        let mut arms = self.ast.vec();
        while !self.at(Kind::RBrace) {
            let arm_start = self.cur_span().start;
            let test = match self.cur_kind() {
                Kind::When => {
                    self.bump();
                    MatchTest::When(self.parse_match_pattern()?)
                }
                Kind::Default => {
                    let span = self.cur_span();
                    self.bump();
                    MatchTest::Default(span)
                }
                _ => return Err(self.unexpected_expecting("'when' or 'default'")),
            };
            self.expect(Kind::Colon)?;
            let body = self.parse_expression()?;
            arms.push(MatchArm {
                test,
                body,
                span: self.end_span(arm_start),
            });
            let _ = self.eat(Kind::Comma);
        }
        let close = self.cur_span();
        if arms.is_empty() || arms.len() > 255 {
            let message = if arms.is_empty() {
                "a match expression needs at least one arm"
            } else {
                "a match expression has at most 255 arms"
            };
            return Err(self.fail(|p| diagnostics::unexpected_with(p.file, close, message, None)));
        }
        self.bump();
        Ok(Expr::Match(self.alloc(MatchExpr {
            discriminant,
            arms: arms.into_bump_slice(),
            span: self.end_span(start),
        })))
    }
}
