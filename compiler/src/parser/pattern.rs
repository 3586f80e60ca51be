//! Binding patterns: identifiers, object and array destructuring with
//! renames, defaults, nesting and rest (DESIGN.md section 10).

use crate::front::ast::{
    ArrayMatchPattern, ArrayPattern, BindingElem, BindingIdent, BoolLit, MatchPattern,
    MatchPatternProp, NumberLit, ObjectMatchPattern, ObjectPattern, ObjectPatternProp, Pattern,
    PropKey, RestElem, Span, StringLit,
};
use crate::front::lexer::Kind;

use super::{PResult, Parser, diagnostics};

impl<'a> Parser<'a> {
    pub(super) fn parse_binding_pattern(&mut self) -> PResult<Pattern<'a>> {
        self.nested(|p| match p.cur_kind() {
            Kind::LBrace => p.parse_object_pattern(),
            Kind::LBracket => p.parse_array_pattern(),
            _ => Ok(Pattern::Ident(p.parse_binding_ident()?)),
        })
    }

    /// A name being declared. Reserved words are rejected, with the 2.1
    /// message when they name a rejected construct.
    pub(super) fn parse_binding_ident(&mut self) -> PResult<&'a BindingIdent<'a>> {
        let kind = self.cur_kind();
        if kind.is_identifier() {
            let ident = self.alloc(BindingIdent {
                name: self.cur_text(),
                span: self.cur_span(),
            });
            self.bump();
            return Ok(ident);
        }
        if diagnostics::keyword_rejection(kind).is_some() {
            return Err(self.reject_keyword(kind, self.cur_span()));
        }
        Err(self.fail(|p| {
            if p.at(Kind::Eof) {
                diagnostics::unexpected_eof(p.file, p.cur_span(), "an identifier")
            } else {
                diagnostics::expected_identifier(p.file, p.cur_span(), p.cur_text())
            }
        }))
    }

    /// `{ a, b: alias, c = 1, d: { e }, "k": f, [key]: g, ...rest }`
    fn parse_object_pattern(&mut self) -> PResult<Pattern<'a>> {
        let start = self.expect(Kind::LBrace)?.start;
        let mut props = self.ast.vec();
        let mut rest = None;
        while !self.at(Kind::RBrace) {
            let prop_start = self.cur_span().start;
            if self.eat(Kind::Dot3) {
                if !self.cur_kind().is_identifier() {
                    return Err(self.fail(|p| {
                        diagnostics::invalid_destructuring(
                            p.file,
                            p.cur_span(),
                            "the rest element of an object pattern must be a name",
                            "write '...rest' with a plain identifier",
                        )
                    }));
                }
                rest = Some(self.parse_binding_ident()?);
                if !self.at(Kind::RBrace) {
                    return Err(self.fail(|p| {
                        diagnostics::invalid_destructuring(
                            p.file,
                            p.cur_span(),
                            "a rest element must be last in a pattern",
                            "move '...rest' to the end",
                        )
                    }));
                }
                break;
            }
            let key_kind = self.cur_kind();
            let key = self.parse_property_key()?;
            let (value, shorthand) = if self.eat(Kind::Colon) {
                (self.parse_binding_pattern()?, false)
            } else {
                // Shorthand: the key must be a name that can be bound.
                let PropKey::Ident(name) = key else {
                    return Err(self.unexpected_expecting("':'"));
                };
                if !key_kind.is_identifier() {
                    if diagnostics::keyword_rejection(key_kind).is_some() {
                        return Err(self.reject_keyword(key_kind, name.span));
                    }
                    return Err(self
                        .fail(|p| diagnostics::expected_identifier(p.file, name.span, name.name)));
                }
                let ident = self.alloc(BindingIdent {
                    name: name.name,
                    span: name.span,
                });
                (Pattern::Ident(ident), true)
            };
            let default = if self.eat(Kind::Eq) {
                Some(self.parse_assignment_expression()?)
            } else {
                None
            };
            props.push(ObjectPatternProp {
                key,
                value,
                default,
                shorthand,
                span: self.end_span(prop_start),
            });
            if !self.eat(Kind::Comma) {
                break;
            }
        }
        self.expect(Kind::RBrace)?;
        Ok(Pattern::Object(self.alloc(ObjectPattern {
            props: props.into_bump_slice(),
            rest,
            span: self.end_span(start),
        })))
    }

    /// `[a, , b = 2, [c], ...rest]`
    fn parse_array_pattern(&mut self) -> PResult<Pattern<'a>> {
        let start = self.expect(Kind::LBracket)?.start;
        let mut elems = self.ast.vec();
        let mut rest = None;
        while !self.at(Kind::RBracket) {
            if self.eat(Kind::Comma) {
                elems.push(None);
                continue;
            }
            let elem_start = self.cur_span().start;
            if self.eat(Kind::Dot3) {
                let pattern = self.parse_binding_pattern()?;
                rest = Some(RestElem {
                    pattern,
                    span: self.end_span(elem_start),
                });
                if !self.at(Kind::RBracket) {
                    return Err(self.fail(|p| {
                        diagnostics::invalid_destructuring(
                            p.file,
                            p.cur_span(),
                            "a rest element must be last in a pattern",
                            "move '...rest' to the end",
                        )
                    }));
                }
                break;
            }
            let pattern = self.parse_binding_pattern()?;
            let default = if self.eat(Kind::Eq) {
                Some(self.parse_assignment_expression()?)
            } else {
                None
            };
            elems.push(Some(BindingElem {
                pattern,
                default,
                span: self.end_span(elem_start),
            }));
            if !self.at(Kind::RBracket) {
                self.expect(Kind::Comma)?;
            }
        }
        self.expect(Kind::RBracket)?;
        Ok(Pattern::Array(self.alloc(ArrayPattern {
            elems: elems.into_bump_slice(),
            rest,
            span: self.end_span(start),
        })))
    }
}

/// `match` arm patterns (reference-language.md section 1.5).
impl<'a> Parser<'a> {
    pub(super) fn parse_match_pattern(&mut self) -> PResult<MatchPattern<'a>> {
        self.nested(Self::parse_match_pattern_inner)
    }

    fn parse_match_pattern_inner(&mut self) -> PResult<MatchPattern<'a>> {
        let span = self.cur_span();
        let pattern = match self.cur_kind() {
            Kind::Ident if self.cur_text() == "_" => MatchPattern::Wildcard(span),
            Kind::Undefined => MatchPattern::Undefined(span),
            Kind::True | Kind::False => MatchPattern::Bool(self.alloc(BoolLit {
                value: self.at(Kind::True),
                span,
            })),
            Kind::Number => MatchPattern::Number(self.alloc(NumberLit {
                value: self.cur.number_value(),
                raw: self.cur_text(),
                span,
            })),
            Kind::Minus if self.peek().kind == Kind::Number => {
                self.bump();
                let end = self.cur_span().end;
                let span = Span::new(span.start, end);
                MatchPattern::Number(self.alloc(NumberLit {
                    value: -self.cur.number_value(),
                    raw: span.text(self.source),
                    span,
                }))
            }
            Kind::String | Kind::NoSubstTemplate => MatchPattern::String(self.alloc(StringLit {
                value: self.cur.str_value(),
                span,
            })),
            Kind::LBrace => return self.parse_object_match_pattern(),
            Kind::LBracket => return self.parse_array_match_pattern(),
            Kind::Null => return Err(self.reject_keyword(Kind::Null, span)),
            _ => {
                return Err(self.fail(|p| diagnostics::unexpected_with(
                    p.file,
                    span,
                    "expected a match pattern",
                    Some("use a literal, '_', undefined, an object pattern { k: p } or an array pattern [p, q]"),
                )));
            }
        };
        self.bump();
        Ok(pattern)
    }

    /// `{ key: pattern, "quoted-key": pattern }`
    fn parse_object_match_pattern(&mut self) -> PResult<MatchPattern<'a>> {
        let start = self.expect(Kind::LBrace)?.start;
        let mut props = self.ast.vec();
        while !self.at(Kind::RBrace) {
            let key_span = self.cur_span();
            let key = match self.cur_kind() {
                k if k.is_identifier_name() => self.cur_text(),
                Kind::String => self.cur.str_value(),
                Kind::Number => self.cur_text(),
                _ => {
                    return Err(self.fail(|p| {
                        diagnostics::expected_property_name(p.file, key_span, p.cur_text())
                    }));
                }
            };
            self.bump();
            self.expect(Kind::Colon)?;
            let value = self.parse_match_pattern()?;
            props.push(MatchPatternProp {
                key,
                key_span,
                value,
                span: self.end_span(key_span.start),
            });
            if !self.at(Kind::RBrace) {
                self.expect(Kind::Comma)?;
            }
        }
        self.expect(Kind::RBrace)?;
        Ok(MatchPattern::Object(self.alloc(ObjectMatchPattern {
            props: props.into_bump_slice(),
            span: self.end_span(start),
        })))
    }

    /// `[p0, , p2]`
    fn parse_array_match_pattern(&mut self) -> PResult<MatchPattern<'a>> {
        let start = self.expect(Kind::LBracket)?.start;
        let mut elems = self.ast.vec();
        while !self.at(Kind::RBracket) {
            if self.eat(Kind::Comma) {
                elems.push(None);
                continue;
            }
            elems.push(Some(self.parse_match_pattern()?));
            if !self.at(Kind::RBracket) {
                self.expect(Kind::Comma)?;
            }
        }
        self.expect(Kind::RBracket)?;
        Ok(MatchPattern::Array(self.alloc(ArrayMatchPattern {
            elems: elems.into_bump_slice(),
            span: self.end_span(start),
        })))
    }
}
