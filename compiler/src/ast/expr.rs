//! Expressions, functions and `match`.

use super::{
    AssignOp, BinaryOp, BindingElem, BindingIdent, BlockStmt, IdentName, IdentRef, JsxElement,
    JsxFragment, LogicalOp, RestElem, Span, UnaryOp,
};

/// An expression. Every variant is one arena reference (or a bare span), so
/// `Expr` is 16 bytes. Parentheses are not represented.
#[derive(Clone, Copy, Debug)]
pub enum Expr<'a> {
    /// `42`, `0x1f`, `1e-7`, `.5`
    Number(&'a NumberLit<'a>),
    /// `"text"` / `'text'`
    String(&'a StringLit<'a>),
    /// `` `a ${b} c` `` (untagged; tagged templates are rejected)
    Template(&'a TemplateLit<'a>),
    /// `true` / `false`
    Bool(&'a BoolLit),
    /// `undefined` (a literal in this profile, never a binding)
    Undefined(Span),
    /// A reference to a binding or global (`x`, `NaN`, `Response`).
    Ident(&'a IdentRef<'a>),
    /// `[a, , ...b]`
    Array(&'a ArrayLit<'a>),
    /// `{ a: 1, b, [k]: v, ...o, m() {} }`
    Object(&'a ObjectLit<'a>),
    /// An arrow function or an object-literal method.
    Function(&'a Function<'a>),
    /// `a.b` / `a?.b`
    Member(&'a MemberExpr<'a>),
    /// `a[k]` / `a?.[k]`
    Index(&'a IndexExpr<'a>),
    /// `f(x, ...ys)` / `f?.(x)`; generic arguments are erased.
    Call(&'a CallExpr<'a>),
    /// Marks where an optional chain that contains at least one `?.` link
    /// ends: if any optional link inside short-circuits, the whole chain
    /// evaluates to `undefined` (like `ChainExpression` in `ESTree`).
    Chain(&'a ChainExpr<'a>),
    /// `!x`, `-x`, `typeof x`, ...
    Unary(&'a UnaryExpr<'a>),
    /// `a + b`, `a === b`, `k in o`, ...
    Binary(&'a BinaryExpr<'a>),
    /// `a && b`, `a || b`, `a ?? b`
    Logical(&'a LogicalExpr<'a>),
    /// `c ? a : b`
    Conditional(&'a ConditionalExpr<'a>),
    /// `x = v`, `o.k += v`, `a[i] **= 2`
    Assign(&'a AssignExpr<'a>),
    /// `x |> f` (means `f(x)`; codegen desugars)
    Pipe(&'a PipeExpr<'a>),
    /// `match (e) { when p: v ... default: d }`
    Match(&'a MatchExpr<'a>),
    /// `<tag ...>children</tag>` (only in `.tsx`)
    JsxElement(&'a JsxElement<'a>),
    /// `<>children</>` and `<Fragment>children</Fragment>`
    JsxFragment(&'a JsxFragment<'a>),
}

impl Expr<'_> {
    pub fn span(self) -> Span {
        match self {
            Expr::Number(n) => n.span,
            Expr::String(s) => s.span,
            Expr::Template(t) => t.span,
            Expr::Bool(b) => b.span,
            Expr::Undefined(span) => span,
            Expr::Ident(i) => i.span,
            Expr::Array(a) => a.span,
            Expr::Object(o) => o.span,
            Expr::Function(f) => f.span,
            Expr::Member(m) => m.span,
            Expr::Index(i) => i.span,
            Expr::Call(c) => c.span,
            Expr::Chain(c) => c.span,
            Expr::Unary(u) => u.span,
            Expr::Binary(b) => b.span,
            Expr::Logical(l) => l.span,
            Expr::Conditional(c) => c.span,
            Expr::Assign(a) => a.span,
            Expr::Pipe(p) => p.span,
            Expr::Match(m) => m.span,
            Expr::JsxElement(e) => e.span,
            Expr::JsxFragment(f) => f.span,
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct NumberLit<'a> {
    pub value: f64,
    /// The literal as written (`1_000`, `0xff`).
    pub raw: &'a str,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub struct StringLit<'a> {
    /// The cooked value (escapes applied). A lone surrogate escape such as
    /// `"\uD800"` cannot be held in a `str` and is cooked to U+FFFD.
    pub value: &'a str,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub struct BoolLit {
    pub value: bool,
    pub span: Span,
}

/// `` `q0 ${e0} q1 ${e1} q2` ``: `quasis.len() == exprs.len() + 1`.
#[derive(Clone, Copy, Debug)]
pub struct TemplateLit<'a> {
    pub quasis: &'a [TemplateQuasi<'a>],
    pub exprs: &'a [Expr<'a>],
    pub span: Span,
}

/// One text chunk of a template literal.
#[derive(Clone, Copy, Debug)]
pub struct TemplateQuasi<'a> {
    /// Escapes applied, line terminators normalised to `\n`.
    pub cooked: &'a str,
    /// The text as written between the delimiters.
    pub raw: &'a str,
    /// The text only (without the `` ` ``, `${` or `}` delimiters).
    pub span: Span,
}

/// `...expr` in an array literal, call arguments, object literal or JSX
/// attributes. `span` covers the `...` and the argument.
#[derive(Clone, Copy, Debug)]
pub struct SpreadElem<'a> {
    pub arg: Expr<'a>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub struct ArrayLit<'a> {
    pub elems: &'a [ArrayElem<'a>],
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub enum ArrayElem<'a> {
    Expr(Expr<'a>),
    Spread(&'a SpreadElem<'a>),
    /// An elision `[a, , b]`; the span is the position of the missing element.
    Hole(Span),
}

#[derive(Clone, Copy, Debug)]
pub struct ObjectLit<'a> {
    pub props: &'a [ObjectProp<'a>],
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub enum ObjectProp<'a> {
    Prop(&'a Property<'a>),
    Spread(&'a SpreadElem<'a>),
}

/// `key: value`, shorthand `key`, or method `key(params) { body }`.
#[derive(Clone, Copy, Debug)]
pub struct Property<'a> {
    pub key: PropKey<'a>,
    /// For shorthand, an [`Expr::Ident`] with the key's name; for a method,
    /// an [`Expr::Function`] of kind [`FunctionKind::Method`].
    pub value: Expr<'a>,
    pub kind: PropKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropKind {
    /// `key: value`
    Init,
    /// `{ key }`
    Shorthand,
    /// `key() {}`
    Method,
}

/// A property key in an object literal or object pattern.
#[derive(Clone, Copy, Debug)]
pub enum PropKey<'a> {
    /// `name:` (any identifier name, keywords included)
    Ident(&'a IdentName<'a>),
    /// `"quoted-key":`
    String(&'a StringLit<'a>),
    /// `10:`
    Number(&'a NumberLit<'a>),
    /// `[expr]:`
    Computed(&'a ComputedKey<'a>),
}

impl<'a> PropKey<'a> {
    pub fn span(self) -> Span {
        match self {
            PropKey::Ident(i) => i.span,
            PropKey::String(s) => s.span,
            PropKey::Number(n) => n.span,
            PropKey::Computed(c) => c.span,
        }
    }

    /// The key as a string when it is static (identifier or string literal);
    /// number keys need JS number-to-string conversion and are left to the
    /// caller.
    pub fn static_name(self) -> Option<&'a str> {
        match self {
            PropKey::Ident(i) => Some(i.name),
            PropKey::String(s) => Some(s.value),
            PropKey::Number(_) | PropKey::Computed(_) => None,
        }
    }
}

/// `[expr]` as a key; `span` includes the brackets.
#[derive(Clone, Copy, Debug)]
pub struct ComputedKey<'a> {
    pub expr: Expr<'a>,
    pub span: Span,
}

/// A function: declaration, arrow or object-literal method.
#[derive(Clone, Copy, Debug)]
pub struct Function<'a> {
    pub kind: FunctionKind,
    /// Set for declarations; `None` for arrows and methods.
    pub name: Option<BindingIdent<'a>>,
    /// Parameters before the rest parameter, each with an optional default.
    pub params: &'a [BindingElem<'a>],
    /// A trailing `...rest` parameter.
    pub rest: Option<RestElem<'a>>,
    pub body: FunctionBody<'a>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FunctionKind {
    /// `function name(...) {}`
    Declaration,
    /// `(...) => ...`
    Arrow,
    /// `{ name(...) {} }`
    Method,
}

#[derive(Clone, Copy, Debug)]
pub enum FunctionBody<'a> {
    Block(&'a BlockStmt<'a>),
    /// Arrow with an expression body.
    Expr(Expr<'a>),
}

/// `object.property`; `optional` is true for `object?.property`.
#[derive(Clone, Copy, Debug)]
pub struct MemberExpr<'a> {
    pub object: Expr<'a>,
    pub property: IdentName<'a>,
    pub optional: bool,
    pub span: Span,
}

/// `object[index]`; `optional` is true for `object?.[index]`.
#[derive(Clone, Copy, Debug)]
pub struct IndexExpr<'a> {
    pub object: Expr<'a>,
    pub index: Expr<'a>,
    pub optional: bool,
    pub span: Span,
}

/// `callee(args)`; `optional` is true for `callee?.(args)`.
#[derive(Clone, Copy, Debug)]
pub struct CallExpr<'a> {
    pub callee: Expr<'a>,
    pub args: &'a [Arg<'a>],
    pub optional: bool,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub enum Arg<'a> {
    Expr(Expr<'a>),
    Spread(&'a SpreadElem<'a>),
}

/// See [`Expr::Chain`]. `expr` is a Member/Index/Call whose chain of objects
/// and callees contains at least one optional link.
#[derive(Clone, Copy, Debug)]
pub struct ChainExpr<'a> {
    pub expr: Expr<'a>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub struct UnaryExpr<'a> {
    pub op: UnaryOp,
    pub arg: Expr<'a>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub struct BinaryExpr<'a> {
    pub op: BinaryOp,
    pub left: Expr<'a>,
    pub right: Expr<'a>,
    /// The operator token.
    pub op_span: Span,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub struct LogicalExpr<'a> {
    pub op: LogicalOp,
    pub left: Expr<'a>,
    pub right: Expr<'a>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub struct ConditionalExpr<'a> {
    pub test: Expr<'a>,
    pub consequent: Expr<'a>,
    pub alternate: Expr<'a>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub struct AssignExpr<'a> {
    pub op: AssignOp,
    pub target: AssignTarget<'a>,
    pub value: Expr<'a>,
    pub span: Span,
}

/// What may stand left of `=`: destructuring assignment is not supported,
/// and an optional chain is never a target.
#[derive(Clone, Copy, Debug)]
pub enum AssignTarget<'a> {
    Ident(&'a IdentRef<'a>),
    Member(&'a MemberExpr<'a>),
    Index(&'a IndexExpr<'a>),
}

impl AssignTarget<'_> {
    pub fn span(self) -> Span {
        match self {
            AssignTarget::Ident(i) => i.span,
            AssignTarget::Member(m) => m.span,
            AssignTarget::Index(i) => i.span,
        }
    }
}

/// `left |> right` means `right(left)`; `x |> f |> g` nests to the left.
#[derive(Clone, Copy, Debug)]
pub struct PipeExpr<'a> {
    pub left: Expr<'a>,
    pub right: Expr<'a>,
    pub span: Span,
}

/// `match (discriminant) { arms }`; arms in source order, at least one.
#[derive(Clone, Copy, Debug)]
pub struct MatchExpr<'a> {
    pub discriminant: Expr<'a>,
    pub arms: &'a [MatchArm<'a>],
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub struct MatchArm<'a> {
    pub test: MatchTest<'a>,
    pub body: Expr<'a>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub enum MatchTest<'a> {
    /// `when <pattern>:`
    When(MatchPattern<'a>),
    /// `default:`; the span is the keyword.
    Default(Span),
}

/// A `when` pattern (reference-language.md section 1.5).
#[derive(Clone, Copy, Debug)]
pub enum MatchPattern<'a> {
    /// `_`: matches anything (behaves as `default` at the top level; inside
    /// an object pattern it means "present, not undefined").
    Wildcard(Span),
    /// `undefined`
    Undefined(Span),
    Bool(&'a BoolLit),
    /// A number literal, possibly negated (`-1`).
    Number(&'a NumberLit<'a>),
    /// A string literal or a template without substitutions.
    String(&'a StringLit<'a>),
    Object(&'a ObjectMatchPattern<'a>),
    Array(&'a ArrayMatchPattern<'a>),
}

impl MatchPattern<'_> {
    pub fn span(self) -> Span {
        match self {
            MatchPattern::Wildcard(s) | MatchPattern::Undefined(s) => s,
            MatchPattern::Bool(b) => b.span,
            MatchPattern::Number(n) => n.span,
            MatchPattern::String(s) => s.span,
            MatchPattern::Object(o) => o.span,
            MatchPattern::Array(a) => a.span,
        }
    }
}

/// `{ key: pattern, "quoted": pattern }`
#[derive(Clone, Copy, Debug)]
pub struct ObjectMatchPattern<'a> {
    pub props: &'a [MatchPatternProp<'a>],
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub struct MatchPatternProp<'a> {
    /// The property name (identifier name or string literal, cooked).
    pub key: &'a str,
    pub key_span: Span,
    pub value: MatchPattern<'a>,
    pub span: Span,
}

/// `[p0, , p2]`: matches arrays of exactly `elems.len()` elements; `None`
/// is a hole (no test on that element).
#[derive(Clone, Copy, Debug)]
pub struct ArrayMatchPattern<'a> {
    pub elems: &'a [Option<MatchPattern<'a>>],
    pub span: Span,
}
