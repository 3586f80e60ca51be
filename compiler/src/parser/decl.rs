//! Declarations: `let`/`const`, functions and their parameters, imports,
//! exports and the TypeScript type declarations (reference-language.md
//! sections 1.1, 1.11 and 3).

use crate::front::ast::{
    BindingElem, BindingIdent, Declarator, Function, FunctionBody, FunctionDecl, FunctionKind,
    IdentName, ImportDecl, ImportSpecifier, Pattern, RestElem, Span, Stmt, StringLit, TypeDecl,
    TypeDeclKind, VarDecl, VarKind,
};
use crate::front::lexer::Kind;

use super::{PResult, Parser, diagnostics};

/// Parameters before the rest parameter, and the rest parameter.
pub(super) type Params<'a> = (&'a [BindingElem<'a>], Option<RestElem<'a>>);

const NAMED_IMPORTS: &str = "use named imports: import { x } from \"module\"";
const NAMED_EXPORTS: &str = "use named exports: export function handler() {}";

impl<'a> Parser<'a> {
    /// `let|const declarators ;` at `let`/`const`; `start` includes `export`.
    pub(super) fn parse_var_statement(&mut self, start: u32, exported: bool) -> PResult<Stmt<'a>> {
        let kind = if self.at(Kind::Const) {
            VarKind::Const
        } else {
            VarKind::Let
        };
        self.bump();
        let mut decls = self.ast.vec();
        loop {
            let pattern = self.parse_binding_pattern()?;
            if self.at(Kind::Bang) && matches!(pattern, Pattern::Ident(_)) {
                // `let x!: T` (definite assignment) is TypeScript-only.
                self.bump();
            }
            if self.eat(Kind::Colon) {
                self.parse_type()?;
            }
            let init = if self.eat(Kind::Eq) {
                Some(self.parse_assignment_expression()?)
            } else {
                None
            };
            if init.is_none() {
                if !matches!(pattern, Pattern::Ident(_)) {
                    return Err(self.fail(|p| {
                        diagnostics::invalid_destructuring(
                            p.file,
                            pattern.span(),
                            "a destructuring declaration needs an initializer",
                            "add '= value' after the pattern",
                        )
                    }));
                }
                if kind == VarKind::Const {
                    return Err(self
                        .fail(|p| diagnostics::const_without_initializer(p.file, pattern.span())));
                }
            }
            let span = Span::new(pattern.span().start, self.prev_end);
            decls.push(Declarator {
                pattern,
                init,
                span,
            });
            if !self.eat(Kind::Comma) {
                break;
            }
        }
        self.asi()?;
        Ok(Stmt::Var(self.alloc(VarDecl {
            kind,
            decls: decls.into_bump_slice(),
            exported,
            span: self.end_span(start),
        })))
    }

    /// `function name<T>(params): R { body }` at `function`.
    pub(super) fn parse_function_declaration(
        &mut self,
        start: u32,
        exported: bool,
    ) -> PResult<Stmt<'a>> {
        let fn_start = self.expect(Kind::Function)?.start;
        if self.at(Kind::Star) {
            let span = self.cur_span();
            return Err(self.unsupported(
                span,
                "generator function",
                "generators are not available",
            ));
        }
        let name = self.parse_binding_ident()?;
        if self.at(Kind::Lt) {
            self.parse_type_params()?;
        }
        let (params, rest) = self.parse_params()?;
        if self.eat(Kind::Colon) {
            self.parse_return_type()?;
        }
        let body = self.parse_function_body()?;
        let function = Function {
            kind: FunctionKind::Declaration,
            name: Some(*name),
            params,
            rest,
            body: FunctionBody::Block(body),
            span: self.end_span(fn_start),
        };
        Ok(Stmt::Function(self.alloc(FunctionDecl {
            function,
            exported,
            span: self.end_span(start),
        })))
    }

    /// `( p1, p2 = d, { a, b }: T, ...rest: U[] )`; also used for arrows,
    /// methods and function types.
    pub(super) fn parse_params(&mut self) -> PResult<Params<'a>> {
        self.expect(Kind::LParen)?;
        let mut params = self.ast.vec();
        let mut rest = None;
        while !self.at(Kind::RParen) {
            let start = self.cur_span().start;
            match self.cur_kind() {
                Kind::Public | Kind::Private | Kind::Protected => {
                    return Err(self.reject_keyword(self.cur_kind(), self.cur_span()));
                }
                Kind::Readonly if self.peek().kind.is_identifier() => {
                    let span = self.cur_span();
                    return Err(self.unsupported(
                        span,
                        "'readonly' parameter property",
                        "use plain objects and functions instead",
                    ));
                }
                Kind::At => return Err(self.reject_keyword(Kind::At, self.cur_span())),
                _ => {}
            }
            if self.eat(Kind::Dot3) {
                let pattern = self.parse_binding_pattern()?;
                let _ = self.eat(Kind::Question);
                if self.eat(Kind::Colon) {
                    self.parse_type()?;
                }
                rest = Some(RestElem {
                    pattern,
                    span: self.end_span(start),
                });
                if !self.at(Kind::RParen) {
                    return Err(self.fail(|p| {
                        diagnostics::unexpected_with(
                            p.file,
                            p.cur_span(),
                            "a rest parameter must be the last parameter",
                            None,
                        )
                    }));
                }
                break;
            }
            let pattern = self.parse_binding_pattern()?;
            let _ = self.eat(Kind::Question);
            if self.eat(Kind::Colon) {
                self.parse_type()?;
            }
            let default = if self.eat(Kind::Eq) {
                Some(self.parse_assignment_expression()?)
            } else {
                None
            };
            params.push(BindingElem {
                pattern,
                default,
                span: self.end_span(start),
            });
            if !self.eat(Kind::Comma) {
                break;
            }
        }
        self.expect(Kind::RParen)?;
        Ok((params.into_bump_slice(), rest))
    }

    /// `import { a, b as c } from "m";` and `import type { T } from "m";`.
    /// Default, namespace and side-effect imports are ZTS002 at `import`.
    pub(super) fn parse_import_declaration(&mut self, top_level: bool) -> PResult<Stmt<'a>> {
        let import_span = self.cur_span();
        let start = import_span.start;
        let next = self.peek();
        if matches!(next.kind, Kind::LParen | Kind::Dot) {
            return Err(self.unsupported(
                import_span,
                "dynamic 'import()'",
                "use a static named import at the top of the file instead",
            ));
        }
        if !top_level {
            return Err(self.fail(|p| {
                diagnostics::invalid_import(
                    p.file,
                    import_span,
                    "import declarations are only allowed at the top level",
                )
            }));
        }
        self.bump();
        let mut type_only = false;
        if self.at(Kind::Type) && matches!(self.peek().kind, Kind::LBrace | Kind::Star) {
            self.bump();
            type_only = true;
        }
        let reject = |p: &mut Self, message: &str| {
            let d = diagnostics::unexpected_with(p.file, import_span, message, Some(NAMED_IMPORTS));
            p.error(d)
        };
        match self.cur_kind() {
            Kind::LBrace => {}
            Kind::String => {
                return Err(reject(
                    self,
                    "'import \"module\"' side-effect imports are not supported",
                ));
            }
            Kind::Star => {
                return Err(reject(
                    self,
                    "'import * as X' namespace imports are not supported",
                ));
            }
            k if k.is_identifier() || k == Kind::Type => {
                return Err(reject(
                    self,
                    "'import X from' default imports are not supported",
                ));
            }
            _ => return Err(self.unexpected_expecting("'{'")),
        }
        self.bump();
        let mut specifiers = self.ast.vec();
        while !self.at(Kind::RBrace) {
            let spec_start = self.cur_span().start;
            let mut spec_type_only = type_only;
            if self.at(Kind::Type)
                && {
                    let t = self.peek();
                    t.kind.is_identifier_name() || t.kind == Kind::String
                }
                && !matches!(self.peek().kind, Kind::As)
            {
                self.bump();
                spec_type_only = true;
            }
            let imported = match self.cur_kind() {
                k if k.is_identifier_name() => IdentName {
                    name: self.cur_text(),
                    span: self.cur_span(),
                },
                Kind::String => IdentName {
                    name: self.cur.str_value(),
                    span: self.cur_span(),
                },
                _ => return Err(self.unexpected_expecting("an imported name")),
            };
            let imported_kind = self.cur_kind();
            self.bump();
            let local = if self.eat(Kind::As) {
                *self.parse_binding_ident()?
            } else {
                if !imported_kind.is_identifier() {
                    return Err(self.fail(|p| {
                        diagnostics::expected_token(
                            p.file,
                            imported.span,
                            "'as' and a local name",
                            imported.name,
                        )
                    }));
                }
                BindingIdent {
                    name: imported.name,
                    span: imported.span,
                }
            };
            specifiers.push(ImportSpecifier {
                imported,
                local,
                type_only: spec_type_only,
                span: self.end_span(spec_start),
            });
            if !self.eat(Kind::Comma) {
                break;
            }
        }
        self.expect(Kind::RBrace)?;
        if !self.at(Kind::From) {
            return Err(self.unexpected_expecting("'from'"));
        }
        self.bump();
        if !self.at(Kind::String) {
            return Err(self.unexpected_expecting("a module specifier string"));
        }
        let source = StringLit {
            value: self.cur.str_value(),
            span: self.cur_span(),
        };
        self.bump();
        if (self.at(Kind::With) || self.at(Kind::Assert)) && !self.cur.newline_before {
            let span = self.cur_span();
            return Err(self.unsupported(
                span,
                "import attributes",
                "remove the 'with { ... }' clause",
            ));
        }
        self.asi()?;
        Ok(Stmt::Import(self.alloc(ImportDecl {
            specifiers: specifiers.into_bump_slice(),
            source,
            type_only,
            span: self.end_span(start),
        })))
    }

    /// `export function`, `export const|let`, `export type|interface|distinct
    /// type`. `export default`, `export { }` and `export *` are ZTS002 at
    /// `export`.
    pub(super) fn parse_export_declaration(&mut self, top_level: bool) -> PResult<Stmt<'a>> {
        let export_span = self.cur_span();
        let start = export_span.start;
        if !top_level {
            return Err(self.fail(|p| {
                diagnostics::invalid_export(
                    p.file,
                    export_span,
                    "export declarations are only allowed at the top level",
                )
            }));
        }
        self.bump();
        let reject = |p: &mut Self, message: &str| {
            let d = diagnostics::unexpected_with(p.file, export_span, message, Some(NAMED_EXPORTS));
            p.error(d)
        };
        match self.cur_kind() {
            Kind::Function => self.parse_function_declaration(start, true),
            Kind::Const | Kind::Let => {
                if self.at(Kind::Const) && self.peek().kind == Kind::Enum {
                    let span = self.peek().span;
                    return Err(self.reject_keyword(Kind::Enum, span));
                }
                self.parse_var_statement(start, true)
            }
            Kind::Interface => self.parse_interface_declaration(start, true),
            Kind::Type if self.peek().kind == Kind::LBrace => Err(reject(
                self,
                "'export { ... }' re-exports are not supported",
            )),
            Kind::Type => self.parse_type_alias_declaration(start, true),
            Kind::Distinct => self.parse_distinct_type_declaration(start, true),
            Kind::Default => Err(reject(self, "'export default' is not supported")),
            Kind::LBrace => Err(reject(
                self,
                "'export { ... }' re-exports are not supported",
            )),
            Kind::Star => Err(reject(self, "'export *' re-exports are not supported")),
            Kind::Eq => Err(reject(self, "'export =' is not supported")),
            Kind::Import => Err(reject(self, "'export import' is not supported")),
            Kind::Async => Err(self.reject_keyword(Kind::Async, self.cur_span())),
            Kind::Var | Kind::Enum | Kind::Class | Kind::Namespace | Kind::Module | Kind::At => {
                Err(self.reject_keyword(self.cur_kind(), self.cur_span()))
            }
            Kind::Abstract | Kind::Declare if self.peek().kind == Kind::Class => {
                let span = self.peek().span;
                Err(self.reject_keyword(Kind::Class, span))
            }
            _ => Err(self.unexpected_expecting("a declaration after 'export'")),
        }
    }

    /// `type Name<T> = Type;`
    pub(super) fn parse_type_alias_declaration(
        &mut self,
        start: u32,
        exported: bool,
    ) -> PResult<Stmt<'a>> {
        self.expect(Kind::Type)?;
        self.parse_type_decl_rest(start, exported, TypeDeclKind::Alias)
    }

    /// `distinct type Name = Type;`
    pub(super) fn parse_distinct_type_declaration(
        &mut self,
        start: u32,
        exported: bool,
    ) -> PResult<Stmt<'a>> {
        self.expect(Kind::Distinct)?;
        self.expect(Kind::Type)?;
        self.parse_type_decl_rest(start, exported, TypeDeclKind::Distinct)
    }

    fn parse_type_decl_rest(
        &mut self,
        start: u32,
        exported: bool,
        kind: TypeDeclKind,
    ) -> PResult<Stmt<'a>> {
        let name = *self.parse_binding_ident()?;
        if self.at(Kind::Lt) {
            self.parse_type_params()?;
        }
        self.expect(Kind::Eq)?;
        self.parse_type()?;
        self.asi()?;
        Ok(Stmt::Type(self.alloc(TypeDecl {
            kind,
            name,
            exported,
            span: self.end_span(start),
        })))
    }

    /// `interface Name<T> extends A, B { members }`
    pub(super) fn parse_interface_declaration(
        &mut self,
        start: u32,
        exported: bool,
    ) -> PResult<Stmt<'a>> {
        self.expect(Kind::Interface)?;
        let name = *self.parse_binding_ident()?;
        if self.at(Kind::Lt) {
            self.parse_type_params()?;
        }
        if self.eat(Kind::Extends) {
            loop {
                self.parse_type_reference()?;
                if !self.eat(Kind::Comma) {
                    break;
                }
            }
        }
        if self.at(Kind::Implements) {
            return Err(self.reject_keyword(Kind::Implements, self.cur_span()));
        }
        self.parse_object_type()?;
        Ok(Stmt::Type(self.alloc(TypeDecl {
            kind: TypeDeclKind::Interface,
            name,
            exported,
            span: self.end_span(start),
        })))
    }
}
