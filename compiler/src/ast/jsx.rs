//! JSX nodes (`.tsx` only; reference-language.md section 1.10).

use super::{Expr, IdentName, IdentRef, Span, SpreadElem, StringLit};

/// `<name attrs>children</name>` or `<name attrs />`.
#[derive(Clone, Copy, Debug)]
pub struct JsxElement<'a> {
    pub name: JsxName<'a>,
    pub attrs: &'a [JsxAttr<'a>],
    pub children: &'a [JsxChild<'a>],
    pub self_closing: bool,
    pub span: Span,
}

/// `<>children</>`; `<Fragment>children</Fragment>` is parsed into this too.
#[derive(Clone, Copy, Debug)]
pub struct JsxFragment<'a> {
    pub children: &'a [JsxChild<'a>],
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub enum JsxName<'a> {
    /// A lowercase tag (`div`, `my-widget`): the tag is this string.
    Intrinsic(&'a IdentName<'a>),
    /// A capitalised tag (`Card`): a function in scope.
    Component(&'a IdentRef<'a>),
    /// `<Foo.Bar>`: property `Bar` of `Foo`.
    Member(&'a JsxMemberName<'a>),
}

impl JsxName<'_> {
    pub fn span(self) -> Span {
        match self {
            JsxName::Intrinsic(n) => n.span,
            JsxName::Component(c) => c.span,
            JsxName::Member(m) => m.span,
        }
    }
}

/// `Object.prop1.prop2`
#[derive(Clone, Copy, Debug)]
pub struct JsxMemberName<'a> {
    pub object: IdentRef<'a>,
    pub path: &'a [IdentName<'a>],
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub enum JsxAttr<'a> {
    /// `name`, `name="s"`, `name={expr}`
    Attr(&'a JsxAttribute<'a>),
    /// `{...props}`
    Spread(&'a SpreadElem<'a>),
}

/// An attribute; the name may contain `-` (`data-id`) and `:`.
/// `value: None` is a bare attribute (`checked`), meaning `true`.
#[derive(Clone, Copy, Debug)]
pub struct JsxAttribute<'a> {
    pub name: IdentName<'a>,
    pub value: Option<JsxAttrValue<'a>>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug)]
pub enum JsxAttrValue<'a> {
    /// `"text"` (no escapes are processed inside JSX attribute strings).
    String(&'a StringLit<'a>),
    /// `{expr}`
    Expr(Expr<'a>),
}

#[derive(Clone, Copy, Debug)]
pub enum JsxChild<'a> {
    /// Text, already trimmed at both ends; whitespace-only runs are dropped
    /// by the parser, so `value` is never empty.
    Text(&'a JsxText<'a>),
    /// `{expr}` (empty containers and comments are dropped).
    Expr(Expr<'a>),
    Element(&'a JsxElement<'a>),
    Fragment(&'a JsxFragment<'a>),
}

#[derive(Clone, Copy, Debug)]
pub struct JsxText<'a> {
    pub value: &'a str,
    /// The trimmed text.
    pub span: Span,
}
