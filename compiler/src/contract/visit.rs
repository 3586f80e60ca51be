//! A read-only walk over every expression of a program (nested functions included).

use crate::front::ast::*;

/// Calls `f` on every expression in `program`, outer before inner.
pub fn program<'a>(program: &Program<'a>, f: &mut impl FnMut(Expr<'a>)) {
    for s in program.stmts {
        stmt(*s, f);
    }
}

/// Calls `f` with every `name = init` of a `let`/`const` declaration whose
/// pattern is a plain identifier, at any depth.
pub fn declarations<'a>(program: &Program<'a>, f: &mut impl FnMut(&'a BindingIdent<'a>, Expr<'a>)) {
    fn walk<'a>(stmts: &'a [Stmt<'a>], f: &mut impl FnMut(&'a BindingIdent<'a>, Expr<'a>)) {
        for s in stmts {
            match s {
                Stmt::Var(v) => {
                    for d in v.decls {
                        if let (Pattern::Ident(i), Some(init)) = (d.pattern, d.init) {
                            f(i, init);
                        }
                    }
                }
                Stmt::Block(b) => walk(b.stmts, f),
                Stmt::Function(fd) => {
                    if let FunctionBody::Block(b) = fd.function.body {
                        walk(b.stmts, f);
                    }
                }
                _ => {}
            }
        }
    }
    walk(program.stmts, f);
}

fn stmt<'a>(s: Stmt<'a>, f: &mut impl FnMut(Expr<'a>)) {
    match s {
        Stmt::Expr(e) => expr(e.expr, f),
        Stmt::Var(v) => {
            for d in v.decls {
                pattern(d.pattern, f);
                if let Some(i) = d.init {
                    expr(i, f);
                }
            }
        }
        Stmt::Function(fd) => function(&fd.function, f),
        Stmt::Block(b) => b.stmts.iter().for_each(|s| stmt(*s, f)),
        Stmt::If(i) => {
            expr(i.test, f);
            stmt(i.consequent, f);
            if let Some(a) = i.alternate {
                stmt(a, f);
            }
        }
        Stmt::ForOf(fo) => {
            pattern(fo.pattern, f);
            expr(fo.iterable, f);
            stmt(fo.body, f);
        }
        Stmt::Return(r) => {
            if let Some(a) = r.arg {
                expr(a, f);
            }
        }
        Stmt::Assert(a) => {
            expr(a.test, f);
            if let Some(v) = a.value {
                expr(v, f);
            }
        }
        Stmt::Import(_) | Stmt::Type(_) | Stmt::Break(_) | Stmt::Continue(_) | Stmt::Empty(_) => {}
    }
}

fn pattern<'a>(p: Pattern<'a>, f: &mut impl FnMut(Expr<'a>)) {
    match p {
        Pattern::Ident(_) => {}
        Pattern::Object(o) => {
            for prop in o.props {
                if let PropKey::Computed(c) = prop.key {
                    expr(c.expr, f);
                }
                if let Some(d) = prop.default {
                    expr(d, f);
                }
                pattern(prop.value, f);
            }
        }
        Pattern::Array(a) => {
            for e in a.elems.iter().flatten() {
                if let Some(d) = e.default {
                    expr(d, f);
                }
                pattern(e.pattern, f);
            }
            if let Some(r) = &a.rest {
                pattern(r.pattern, f);
            }
        }
    }
}

fn function<'a>(func: &Function<'a>, f: &mut impl FnMut(Expr<'a>)) {
    for p in func.params {
        pattern(p.pattern, f);
        if let Some(d) = p.default {
            expr(d, f);
        }
    }
    match func.body {
        FunctionBody::Block(b) => b.stmts.iter().for_each(|s| stmt(*s, f)),
        FunctionBody::Expr(e) => expr(e, f),
    }
}

fn expr<'a>(e: Expr<'a>, f: &mut impl FnMut(Expr<'a>)) {
    f(e);
    match e {
        Expr::Number(_) | Expr::String(_) | Expr::Bool(_) | Expr::Undefined(_) | Expr::Ident(_) => {
        }
        Expr::Template(t) => t.exprs.iter().for_each(|x| expr(*x, f)),
        Expr::Array(a) => {
            for el in a.elems {
                match el {
                    ArrayElem::Expr(x) => expr(*x, f),
                    ArrayElem::Spread(s) => expr(s.arg, f),
                    ArrayElem::Hole(_) => {}
                }
            }
        }
        Expr::Object(o) => {
            for p in o.props {
                match p {
                    ObjectProp::Prop(p) => {
                        if let PropKey::Computed(c) = p.key {
                            expr(c.expr, f);
                        }
                        expr(p.value, f);
                    }
                    ObjectProp::Spread(s) => expr(s.arg, f),
                }
            }
        }
        Expr::Function(func) => function(func, f),
        Expr::Member(m) => expr(m.object, f),
        Expr::Index(i) => {
            expr(i.object, f);
            expr(i.index, f);
        }
        Expr::Call(c) => {
            expr(c.callee, f);
            for a in c.args {
                match a {
                    Arg::Expr(x) => expr(*x, f),
                    Arg::Spread(s) => expr(s.arg, f),
                }
            }
        }
        Expr::Chain(c) => expr(c.expr, f),
        Expr::Unary(u) => expr(u.arg, f),
        Expr::Binary(b) => {
            expr(b.left, f);
            expr(b.right, f);
        }
        Expr::Logical(l) => {
            expr(l.left, f);
            expr(l.right, f);
        }
        Expr::Conditional(c) => {
            expr(c.test, f);
            expr(c.consequent, f);
            expr(c.alternate, f);
        }
        Expr::Assign(a) => {
            match a.target {
                AssignTarget::Ident(_) => {}
                AssignTarget::Member(m) => expr(m.object, f),
                AssignTarget::Index(i) => {
                    expr(i.object, f);
                    expr(i.index, f);
                }
            }
            expr(a.value, f);
        }
        Expr::Pipe(p) => {
            expr(p.left, f);
            expr(p.right, f);
        }
        Expr::Match(m) => {
            expr(m.discriminant, f);
            m.arms.iter().for_each(|a| expr(a.body, f));
        }
        Expr::JsxElement(el) => jsx_element(el, f),
        Expr::JsxFragment(fr) => jsx_children(fr.children, f),
    }
}

fn jsx_element<'a>(el: &JsxElement<'a>, f: &mut impl FnMut(Expr<'a>)) {
    for attr in el.attrs {
        match attr {
            JsxAttr::Attr(a) => {
                if let Some(JsxAttrValue::Expr(e)) = a.value {
                    expr(e, f);
                }
            }
            JsxAttr::Spread(s) => expr(s.arg, f),
        }
    }
    jsx_children(el.children, f);
}

fn jsx_children<'a>(children: &[JsxChild<'a>], f: &mut impl FnMut(Expr<'a>)) {
    for c in children {
        match c {
            JsxChild::Text(_) => {}
            JsxChild::Expr(e) => expr(*e, f),
            JsxChild::Element(el) => jsx_element(el, f),
            JsxChild::Fragment(fr) => jsx_children(fr.children, f),
        }
    }
}
