//! Statements and declarations.

use super::{BindingIdent, Expr, Function, IdentName, Pattern, Span, StringLit, VarKind};

/// A statement. Every variant is one arena reference or a bare span.
#[derive(Clone, Copy, Debug)]
pub enum Stmt<'a> {
    /// `expr;`
    Expr(&'a ExprStmt<'a>),
    /// `[export] let|const ...;`
    Var(&'a VarDecl<'a>),
    /// `[export] function name(...) {...}`
    Function(&'a FunctionDecl<'a>),
    /// `import { a, b as c } from "spec";` (top level only)
    Import(&'a ImportDecl<'a>),
    /// `type` / `interface` / `distinct type` (top level or in blocks);
    /// erased except for `distinct type`, whose name is an identity function.
    Type(&'a TypeDecl<'a>),
    /// `{ ... }`
    Block(&'a BlockStmt<'a>),
    /// `if (test) consequent [else alternate]`
    If(&'a IfStmt<'a>),
    /// `for (const|let pattern of iterable) body`
    ForOf(&'a ForOfStmt<'a>),
    /// `return [arg];`
    Return(&'a ReturnStmt<'a>),
    /// `assert test;` / `assert test, value;`
    Assert(&'a AssertStmt<'a>),
    /// `break;` (unlabeled; the span is the statement)
    Break(Span),
    /// `continue;`
    Continue(Span),
    /// `;` and `debugger;`
    Empty(Span),
}

impl Stmt<'_> {
    pub fn span(self) -> Span {
        match self {
            Stmt::Expr(s) => s.span,
            Stmt::Var(s) => s.span,
            Stmt::Function(s) => s.span,
            Stmt::Import(s) => s.span,
            Stmt::Type(s) => s.span,
            Stmt::Block(s) => s.span,
            Stmt::If(s) => s.span,
            Stmt::ForOf(s) => s.span,
            Stmt::Return(s) => s.span,
            Stmt::Assert(s) => s.span,
            Stmt::Break(span) | Stmt::Continue(span) | Stmt::Empty(span) => span,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct ExprStmt<'a> {
    pub expr: Expr<'a>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub struct BlockStmt<'a> {
    pub stmts: &'a [Stmt<'a>],
    pub span: Span,
}

/// `let a = 1, { b } = o;`
#[derive(Clone, Copy, Debug)]
pub struct VarDecl<'a> {
    pub kind: VarKind,
    pub decls: &'a [Declarator<'a>],
    /// Preceded by `export` (top level only).
    pub exported: bool,
    pub span: Span,
}

/// One `pattern [= init]`; `const` always has an initializer, and so does
/// any destructuring pattern.
#[derive(Clone, Copy, Debug)]
pub struct Declarator<'a> {
    pub pattern: Pattern<'a>,
    pub init: Option<Expr<'a>>,
    pub span: Span,
}

/// A function declaration; `function.name` is always set.
#[derive(Clone, Copy, Debug)]
pub struct FunctionDecl<'a> {
    pub function: Function<'a>,
    pub exported: bool,
    /// Includes `export` when present.
    pub span: Span,
}

impl<'a> FunctionDecl<'a> {
    /// The declared name.
    pub fn name(&self) -> BindingIdent<'a> {
        self.function.name.unwrap_or(BindingIdent {
            name: "",
            span: self.span,
        })
    }
}

/// `import [type] { imported as local, ... } from "source";`
#[derive(Clone, Copy, Debug)]
pub struct ImportDecl<'a> {
    pub specifiers: &'a [ImportSpecifier<'a>],
    pub source: StringLit<'a>,
    /// `import type { ... }`: the whole declaration is erased.
    pub type_only: bool,
    pub span: Span,
}

/// `imported as local` (or just `name`, where both are the same token).
#[derive(Clone, Copy, Debug)]
pub struct ImportSpecifier<'a> {
    pub imported: IdentName<'a>,
    pub local: BindingIdent<'a>,
    /// `import { type X }` or inside `import type { ... }`.
    pub type_only: bool,
    pub span: Span,
}

/// A TypeScript type declaration, kept only for its name.
#[derive(Clone, Copy, Debug)]
pub struct TypeDecl<'a> {
    pub kind: TypeDeclKind,
    pub name: BindingIdent<'a>,
    pub exported: bool,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeDeclKind {
    /// `type X = T;`
    Alias,
    /// `interface X { ... }`
    Interface,
    /// `distinct type X = T;`: `X(v)` is the identity function at run time.
    Distinct,
}

#[derive(Clone, Copy, Debug)]
pub struct IfStmt<'a> {
    pub test: Expr<'a>,
    pub consequent: Stmt<'a>,
    pub alternate: Option<Stmt<'a>>,
    pub span: Span,
}

/// `for (const|let pattern of iterable) body`
#[derive(Clone, Copy, Debug)]
pub struct ForOfStmt<'a> {
    pub kind: VarKind,
    pub pattern: Pattern<'a>,
    pub iterable: Expr<'a>,
    pub body: Stmt<'a>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub struct ReturnStmt<'a> {
    pub arg: Option<Expr<'a>>,
    pub span: Span,
}

/// `assert test;` halts the function when `test` is falsy;
/// `assert test, value;` returns `value` instead.
#[derive(Clone, Copy, Debug)]
pub struct AssertStmt<'a> {
    pub test: Expr<'a>,
    pub value: Option<Expr<'a>>,
    pub span: Span,
}
