//! The arena AST of the zigts profile.
//!
//! Every node lives in one `bumpalo::Bump` (see [`AstAlloc`]): children are
//! `&'a` references and lists are `&'a [T]`; nothing here owns heap memory or
//! needs `Drop`. Every node carries a [`Span`] of `u32` byte offsets.
//! Identifier names are `&'a str` slices of the source; string values are
//! either slices of the source or, when the literal had escapes, cooked copies
//! in the arena.
//!
//! The enums ([`Expr`], [`Stmt`], [`Pattern`]) hold one arena reference per
//! variant (or a bare [`Span`]), so they stay 16 bytes; a test pins the sizes.
//!
//! TypeScript-only syntax is parsed and then dropped, except the declarations
//! that later passes need a name for ([`TypeDecl`]: `type`, `interface`,
//! `distinct type`).

mod expr;
mod jsx;
mod ops;
mod pattern;
mod span;
mod stmt;

pub use expr::*;
pub use jsx::*;
pub use ops::*;
pub use pattern::*;
pub use span::Span;
pub use stmt::*;

use bumpalo::Bump;

/// A parsed source file.
#[derive(Clone, Copy, Debug)]
pub struct Program<'a> {
    /// Top-level statements in source order, imports included.
    pub stmts: &'a [Stmt<'a>],
    /// The whole file.
    pub span: Span,
    /// The source text the spans and names point into.
    pub source: &'a str,
    /// Whether the file was parsed with JSX enabled (`.tsx`).
    pub jsx: bool,
}

impl<'a> Program<'a> {
    /// The import declarations, in source order.
    pub fn imports(&self) -> impl Iterator<Item = &'a ImportDecl<'a>> + 'a {
        self.stmts.iter().filter_map(|s| match s {
            Stmt::Import(i) => Some(*i),
            _ => None,
        })
    }

    /// The source text covered by `span`.
    pub fn text(&self, span: Span) -> &'a str {
        &self.source[span.start as usize..span.end as usize]
    }
}

/// Allocation helper over a `Bump` that refuses types needing `Drop`
/// (a `Bump` never runs destructors, so such a value would leak).
///
/// ```compile_fail
/// use zigts_compiler::front::ast::AstAlloc;
/// let bump = bumpalo::Bump::new();
/// let a = AstAlloc::new(&bump);
/// let _ = a.alloc(String::from("owned")); // String needs Drop: rejected
/// ```
#[derive(Clone, Copy)]
pub struct AstAlloc<'a> {
    bump: &'a Bump,
}

impl<'a> AstAlloc<'a> {
    pub fn new(bump: &'a Bump) -> Self {
        Self { bump }
    }

    /// The underlying arena.
    pub fn bump(self) -> &'a Bump {
        self.bump
    }

    /// Moves `value` into the arena.
    #[inline]
    pub fn alloc<T>(self, value: T) -> &'a T {
        const { assert!(!std::mem::needs_drop::<T>(), "AST nodes must not need Drop") };
        self.bump.alloc(value)
    }

    /// A growable list in the arena; finish it with [`AstAlloc::slice`].
    #[inline]
    pub fn vec<T>(self) -> bumpalo::collections::Vec<'a, T> {
        const { assert!(!std::mem::needs_drop::<T>(), "AST nodes must not need Drop") };
        bumpalo::collections::Vec::new_in(self.bump)
    }

    /// Freezes an arena list into a slice.
    #[inline]
    pub fn slice<T>(self, v: bumpalo::collections::Vec<'a, T>) -> &'a [T] {
        v.into_bump_slice()
    }

    /// Copies a string into the arena.
    #[inline]
    pub fn str(self, s: &str) -> &'a str {
        self.bump.alloc_str(s)
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;
    use std::mem::size_of;

    #[test]
    fn enum_sizes_are_pinned() {
        assert_eq!(size_of::<Span>(), 8);
        assert_eq!(size_of::<Expr<'_>>(), 16);
        assert!(size_of::<Expr<'_>>() <= 24);
        assert_eq!(size_of::<Stmt<'_>>(), 16);
        assert_eq!(size_of::<Pattern<'_>>(), 16);
        assert_eq!(size_of::<PropKey<'_>>(), 16);
        assert_eq!(size_of::<Arg<'_>>(), 16);
        assert_eq!(size_of::<ArrayElem<'_>>(), 16);
        assert_eq!(size_of::<MatchPattern<'_>>(), 16);
        assert_eq!(size_of::<JsxChild<'_>>(), 16);
    }

    #[test]
    fn nodes_need_no_drop() {
        assert!(!std::mem::needs_drop::<Program<'_>>());
        assert!(!std::mem::needs_drop::<Function<'_>>());
        assert!(!std::mem::needs_drop::<MatchExpr<'_>>());
        assert!(!std::mem::needs_drop::<JsxElement<'_>>());
    }
}
