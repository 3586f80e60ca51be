//! Binding patterns (`let`/`const`, parameters, for-of heads) and the
//! identifier node kinds.

use super::{Expr, PropKey, Span};

/// A name that introduces a binding (`const x`, a parameter, `function f`).
#[derive(Clone, Copy, Debug)]
pub struct BindingIdent<'a> {
    pub name: &'a str,
    pub span: Span,
}

/// A name that reads or writes a binding in scope.
#[derive(Clone, Copy, Debug)]
pub struct IdentRef<'a> {
    pub name: &'a str,
    pub span: Span,
}

/// A property name in a position where it is not a binding
/// (`a.name`, `{ name: v }`, an import's exported name, a JSX tag/attribute).
/// JSX names may contain `-`.
#[derive(Clone, Copy, Debug)]
pub struct IdentName<'a> {
    pub name: &'a str,
    pub span: Span,
}

/// A destructuring target.
#[derive(Clone, Copy, Debug)]
pub enum Pattern<'a> {
    Ident(&'a BindingIdent<'a>),
    Object(&'a ObjectPattern<'a>),
    Array(&'a ArrayPattern<'a>),
}

impl<'a> Pattern<'a> {
    pub fn span(self) -> Span {
        match self {
            Pattern::Ident(i) => i.span,
            Pattern::Object(o) => o.span,
            Pattern::Array(a) => a.span,
        }
    }

    /// Calls `f` on every identifier the pattern binds, left to right
    /// (defaults are not visited).
    pub fn for_each_binding(self, f: &mut impl FnMut(&'a BindingIdent<'a>)) {
        match self {
            Pattern::Ident(i) => f(i),
            Pattern::Object(o) => {
                for p in o.props {
                    p.value.for_each_binding(f);
                }
                if let Some(rest) = o.rest {
                    f(rest);
                }
            }
            Pattern::Array(a) => {
                for e in a.elems.iter().flatten() {
                    e.pattern.for_each_binding(f);
                }
                if let Some(rest) = &a.rest {
                    rest.pattern.for_each_binding(f);
                }
            }
        }
    }
}

/// `{ a, b: alias, c = 1, d: { e }, ...rest }`
#[derive(Clone, Copy, Debug)]
pub struct ObjectPattern<'a> {
    pub props: &'a [ObjectPatternProp<'a>],
    /// `...rest`; the target of an object rest is always an identifier.
    pub rest: Option<&'a BindingIdent<'a>>,
    pub span: Span,
}

/// One `key: pattern = default` entry of an [`ObjectPattern`].
/// For the shorthand `{ a = 1 }`, `key` is `a`, `value` is the binding `a`
/// and `shorthand` is true.
#[derive(Clone, Copy, Debug)]
pub struct ObjectPatternProp<'a> {
    pub key: PropKey<'a>,
    pub value: Pattern<'a>,
    pub default: Option<Expr<'a>>,
    pub shorthand: bool,
    pub span: Span,
}

/// `[first, , third = 3, [nested], ...rest]`
#[derive(Clone, Copy, Debug)]
pub struct ArrayPattern<'a> {
    /// `None` is a hole.
    pub elems: &'a [Option<BindingElem<'a>>],
    pub rest: Option<RestElem<'a>>,
    pub span: Span,
}

/// A pattern with an optional default: array pattern elements and function
/// parameters.
#[derive(Clone, Copy, Debug)]
pub struct BindingElem<'a> {
    pub pattern: Pattern<'a>,
    pub default: Option<Expr<'a>>,
    pub span: Span,
}

/// `...pattern` (array rest, trailing rest parameter). `span` covers the `...`.
#[derive(Clone, Copy, Debug)]
pub struct RestElem<'a> {
    pub pattern: Pattern<'a>,
    pub span: Span,
}
