//! JSX elements and fragments (`.tsx` only; reference-language.md section
//! 1.10). The parser tells the lexer which JSX mode the next token is read
//! in: [`LexMode::JsxTag`] inside `<...>`, [`LexMode::JsxChild`] between tags.
//!
//! Text children are trimmed of leading and trailing space, tab, CR and LF;
//! whitespace-only text is dropped. `<Fragment>` is parsed as `<>`.

use crate::front::ast::{
    Expr, IdentName, IdentRef, JsxAttr, JsxAttrValue, JsxAttribute, JsxChild, JsxElement,
    JsxFragment, JsxMemberName, JsxName, JsxText, Span, SpreadElem, StringLit,
};
use crate::front::lexer::{Kind, LexMode};

use super::{PResult, Parser, diagnostics};

/// What a `<` opened.
enum Opened<'a> {
    Element(&'a JsxElement<'a>),
    Fragment(&'a JsxFragment<'a>),
}

impl<'a> Parser<'a> {
    /// At `<` in expression position.
    pub(super) fn parse_jsx_expression(&mut self) -> PResult<Expr<'a>> {
        let start = self.cur_span().start;
        self.bump_in(LexMode::JsxTag);
        Ok(
            match self.nested(|p| p.parse_jsx_after_lt(start, LexMode::Normal))? {
                Opened::Element(e) => Expr::JsxElement(e),
                Opened::Fragment(f) => Expr::JsxFragment(f),
            },
        )
    }

    /// After `<` (the current token was read in tag mode). `outer` is the
    /// mode of the token after the element's final `>`.
    fn parse_jsx_after_lt(&mut self, start: u32, outer: LexMode) -> PResult<Opened<'a>> {
        if self.at(Kind::Gt) {
            self.bump_in(LexMode::JsxChild);
            let children = self.parse_jsx_children(start, "")?;
            // At `/` of `</`.
            self.bump_in(LexMode::JsxTag);
            self.expect_in(Kind::Gt, outer)?;
            return Ok(Opened::Fragment(self.alloc(JsxFragment {
                children,
                span: self.end_span(start),
            })));
        }
        let name_start = self.cur_span().start;
        let name = self.parse_jsx_name()?;
        let name_text = self.end_span(name_start).text(self.source);
        let mut attrs = self.ast.vec();
        loop {
            match self.cur_kind() {
                Kind::Gt | Kind::Slash => break,
                Kind::LBrace => {
                    let attr_start = self.cur_span().start;
                    self.bump();
                    if !self.eat(Kind::Dot3) {
                        return Err(self.unexpected_expecting("'...' in a spread attribute"));
                    }
                    let arg = self.parse_assignment_expression()?;
                    self.expect_in(Kind::RBrace, LexMode::JsxTag)?;
                    attrs.push(JsxAttr::Spread(self.alloc(SpreadElem {
                        arg,
                        span: self.end_span(attr_start),
                    })));
                }
                Kind::Ident => attrs.push(JsxAttr::Attr(self.parse_jsx_attribute()?)),
                Kind::Eof => {
                    return Err(self.fail(|p| {
                        diagnostics::jsx_unclosed(
                            p.file,
                            Span::new(start, name_start + name_text.len() as u32),
                            name_text,
                        )
                    }));
                }
                _ => {
                    return Err(self.fail(|p| {
                        diagnostics::jsx_bad_attribute(p.file, p.cur_span(), p.cur_text())
                    }));
                }
            }
        }
        let attrs = attrs.into_bump_slice();
        if self.at(Kind::Slash) {
            self.bump_in(LexMode::JsxTag);
            self.expect_in(Kind::Gt, outer)?;
            return Ok(Opened::Element(self.alloc(JsxElement {
                name,
                attrs,
                children: &[],
                self_closing: true,
                span: self.end_span(start),
            })));
        }
        self.bump_in(LexMode::JsxChild);
        let children = self.parse_jsx_children(start, name_text)?;
        // At `/` of `</name>`.
        self.bump_in(LexMode::JsxTag);
        let close_start = self.cur_span().start;
        if self.at(Kind::Gt) {
            return Err(
                self.fail(|p| diagnostics::jsx_mismatched_tag(p.file, p.cur_span(), name_text, ""))
            );
        }
        self.parse_jsx_name()?;
        let close_span = self.end_span(close_start);
        let close_text = close_span.text(self.source);
        if close_text != name_text {
            return Err(self.fail(|p| {
                diagnostics::jsx_mismatched_tag(p.file, close_span, name_text, close_text)
            }));
        }
        self.expect_in(Kind::Gt, outer)?;
        if name_text == "Fragment" && attrs.is_empty() {
            return Ok(Opened::Fragment(self.alloc(JsxFragment {
                children,
                span: self.end_span(start),
            })));
        }
        Ok(Opened::Element(self.alloc(JsxElement {
            name,
            attrs,
            children,
            self_closing: false,
            span: self.end_span(start),
        })))
    }

    /// `div`, `my-widget`, `Card`, `Foo.Bar` (tokens read in tag mode).
    fn parse_jsx_name(&mut self) -> PResult<JsxName<'a>> {
        if !self.at(Kind::Ident) {
            return Err(self.unexpected_expecting("a JSX tag name"));
        }
        let first = IdentName {
            name: self.cur_text(),
            span: self.cur_span(),
        };
        self.bump_in(LexMode::JsxTag);
        if self.at(Kind::Dot) {
            let mut path = self.ast.vec();
            while self.at(Kind::Dot) {
                self.bump_in(LexMode::JsxTag);
                if !self.at(Kind::Ident) {
                    return Err(self.unexpected_expecting("a JSX tag name"));
                }
                path.push(IdentName {
                    name: self.cur_text(),
                    span: self.cur_span(),
                });
                self.bump_in(LexMode::JsxTag);
            }
            return Ok(JsxName::Member(self.alloc(JsxMemberName {
                object: IdentRef {
                    name: first.name,
                    span: first.span,
                },
                path: path.into_bump_slice(),
                span: self.end_span(first.span.start),
            })));
        }
        if self.at(Kind::Colon) {
            // Namespaced tag `svg:rect`: an intrinsic tag named as written.
            self.bump_in(LexMode::JsxTag);
            if !self.at(Kind::Ident) {
                return Err(self.unexpected_expecting("a JSX tag name"));
            }
            self.bump_in(LexMode::JsxTag);
            let span = self.end_span(first.span.start);
            return Ok(JsxName::Intrinsic(self.alloc(IdentName {
                name: span.text(self.source),
                span,
            })));
        }
        let c = first.name.chars().next().unwrap_or('a');
        Ok(if c.is_ascii_lowercase() || first.name.contains('-') {
            JsxName::Intrinsic(self.alloc(first))
        } else {
            JsxName::Component(self.alloc(IdentRef {
                name: first.name,
                span: first.span,
            }))
        })
    }

    /// `name`, `name="text"`, `name={expr}`, `ns:name=...`
    fn parse_jsx_attribute(&mut self) -> PResult<&'a JsxAttribute<'a>> {
        let start = self.cur_span().start;
        self.bump_in(LexMode::JsxTag);
        if self.at(Kind::Colon) {
            self.bump_in(LexMode::JsxTag);
            if !self.at(Kind::Ident) {
                return Err(self
                    .fail(|p| diagnostics::jsx_bad_attribute(p.file, p.cur_span(), p.cur_text())));
            }
            self.bump_in(LexMode::JsxTag);
        }
        let name_span = self.end_span(start);
        let name = IdentName {
            name: name_span.text(self.source),
            span: name_span,
        };
        let value = if self.at(Kind::Eq) {
            self.bump_in(LexMode::JsxTag);
            match self.cur_kind() {
                Kind::String => {
                    let lit = self.alloc(StringLit {
                        value: self.cur.str_value(),
                        span: self.cur_span(),
                    });
                    self.bump_in(LexMode::JsxTag);
                    Some(JsxAttrValue::String(lit))
                }
                Kind::LBrace => {
                    self.bump();
                    if self.at(Kind::RBrace) {
                        return Err(self
                            .fail(|p| diagnostics::jsx_expression_expected(p.file, p.cur_span())));
                    }
                    let expr = self.parse_assignment_expression()?;
                    self.expect_in(Kind::RBrace, LexMode::JsxTag)?;
                    Some(JsxAttrValue::Expr(expr))
                }
                _ => {
                    return Err(self.fail(|p| {
                        diagnostics::jsx_bad_attribute(p.file, p.cur_span(), p.cur_text())
                    }));
                }
            }
        } else {
            None
        };
        Ok(self.alloc(JsxAttribute {
            name,
            value,
            span: self.end_span(start),
        }))
    }

    /// Children up to the closing `</`; returns with the current token being
    /// the `/` of the closing tag.
    fn parse_jsx_children(&mut self, open: u32, name: &str) -> PResult<&'a [JsxChild<'a>]> {
        let mut children = self.ast.vec();
        loop {
            match self.cur_kind() {
                Kind::JsxText => {
                    if let Some(text) = self.trimmed_jsx_text() {
                        children.push(JsxChild::Text(text));
                    }
                    self.bump_in(LexMode::JsxChild);
                }
                Kind::LBrace => {
                    self.bump();
                    if self.at(Kind::RBrace) {
                        // `{}` or `{/* comment */}`
                        self.bump_in(LexMode::JsxChild);
                        continue;
                    }
                    if self.at(Kind::Dot3) {
                        let span = self.cur_span();
                        return Err(self.unsupported(
                            span,
                            "spread child '{...x}'",
                            "use '{x}' with an array instead",
                        ));
                    }
                    let expr = self.parse_expression()?;
                    self.expect_in(Kind::RBrace, LexMode::JsxChild)?;
                    children.push(JsxChild::Expr(expr));
                }
                Kind::Lt => {
                    let start = self.cur_span().start;
                    self.bump_in(LexMode::JsxTag);
                    if self.at(Kind::Slash) {
                        break;
                    }
                    match self.nested(|p| p.parse_jsx_after_lt(start, LexMode::JsxChild))? {
                        Opened::Element(e) => children.push(JsxChild::Element(e)),
                        Opened::Fragment(f) => children.push(JsxChild::Fragment(f)),
                    }
                }
                _ => {
                    let end = if name.is_empty() {
                        open + 2
                    } else {
                        open + 1 + name.len() as u32
                    };
                    return Err(self
                        .fail(|p| diagnostics::jsx_unclosed(p.file, Span::new(open, end), name)));
                }
            }
        }
        Ok(children.into_bump_slice())
    }

    /// The current JSX text token trimmed (space, tab, CR, LF); `None` when
    /// only whitespace.
    fn trimmed_jsx_text(&self) -> Option<&'a JsxText<'a>> {
        let raw = self.cur.str_value();
        let ws: &[char] = &[' ', '\t', '\r', '\n'];
        let trimmed = raw.trim_start_matches(ws);
        let lead = raw.len() - trimmed.len();
        let trimmed = trimmed.trim_end_matches(ws);
        if trimmed.is_empty() {
            return None;
        }
        let start = self.cur_span().start + lead as u32;
        Some(self.alloc(JsxText {
            value: trimmed,
            span: Span::new(start, start + trimmed.len() as u32),
        }))
    }
}
