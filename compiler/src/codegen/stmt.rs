//! Statements: blocks (with hoisting), declarations, control flow.

use super::{Codegen, Loop};
use crate::check::addr;
use crate::front::ast::*;
use crate::front::diag::Diagnostic;
use zigts_verifier::{FuncIdx, Op};

impl<'a> Codegen<'a, '_> {
    /// A block: allocate every binding it declares (cells for captured
    /// ones), create its function declarations, run its statements, then
    /// release its registers.
    pub(super) fn block_body(&mut self, stmts: &'a [Stmt<'a>]) {
        let mark = self.mark();
        for stmt in stmts {
            match stmt {
                Stmt::Var(v) => {
                    for d in v.decls {
                        let mut ids = Vec::new();
                        d.pattern
                            .for_each_binding(&mut |b| ids.push(self.res.decls[&addr(b)]));
                        for b in ids {
                            self.declare_local(b);
                        }
                    }
                }
                Stmt::Function(fd) => {
                    if let Some(name) = fd.function.name.as_ref() {
                        let b = self.res.decls[&addr(name)];
                        self.declare_local(b);
                    }
                }
                Stmt::Type(t) if t.kind == TypeDeclKind::Distinct => {
                    let b = self.res.decls[&addr(&t.name)];
                    self.declare_local(b);
                }
                _ => {}
            }
        }
        // Hoisted: function declarations and distinct-type constructors exist
        // before any statement of the block runs.
        for stmt in stmts {
            match stmt {
                Stmt::Function(fd) => {
                    let Some(name) = fd.function.name.as_ref() else {
                        continue;
                    };
                    self.set_span(fd.span);
                    let m = self.mark();
                    let r = self.temp();
                    self.closure(&fd.function, name.name, r);
                    self.init_binding(name, r);
                    self.release(m);
                }
                Stmt::Type(t) if t.kind == TypeDeclKind::Distinct => {
                    self.set_span(t.span);
                    self.distinct_constructor(t);
                }
                _ => {}
            }
        }
        for stmt in stmts {
            let m = self.mark();
            self.stmt(*stmt);
            self.release(m);
        }
        self.release(mark);
    }

    /// `distinct type X = B`: `X` is a one-parameter identity function.
    fn distinct_constructor(&mut self, t: &'a TypeDecl<'a>) {
        let Some(&id) = self.res.funcs.get(&addr(t)) else {
            self.unsupported(t.span, "'distinct type' constructor");
            return;
        };
        self.begin_function(id, t.name.name.to_string(), 1, false);
        self.emit(Op::Return {
            src: zigts_verifier::Reg(0),
        });
        self.finish_function();
        let m = self.mark();
        let r = self.temp();
        self.emit(Op::MakeClosure {
            dst: r,
            f: FuncIdx(id),
        });
        self.init_binding(&t.name, r);
        self.release(m);
    }

    fn scoped(&mut self, stmt: Stmt<'a>) {
        match stmt {
            Stmt::Block(b) => self.block_body(b.stmts),
            other => {
                let m = self.mark();
                self.stmt(other);
                self.release(m);
            }
        }
    }

    pub(super) fn stmt(&mut self, stmt: Stmt<'a>) {
        self.set_span(stmt.span());
        match stmt {
            Stmt::Expr(e) => {
                self.expr_discard(e.expr);
            }
            Stmt::Var(v) => {
                for d in v.decls {
                    self.set_span(d.span);
                    match (d.pattern, d.init) {
                        (Pattern::Ident(ident), init) => {
                            let b = self.res.decls[&addr(ident)];
                            let place = self.place(b);
                            match (place, init) {
                                (super::Place::Reg(r), Some(init)) => self.expr(init, r),
                                (super::Place::Reg(r), None) => self.emit(Op::LoadUndef { dst: r }),
                                (p, init) => {
                                    let t = self.temp();
                                    match init {
                                        Some(init) => self.expr(init, t),
                                        None => self.emit(Op::LoadUndef { dst: t }),
                                    }
                                    self.write_place(p, t, ident.span);
                                }
                            }
                        }
                        (pattern, Some(init)) => {
                            let t = self.expr_any(init);
                            self.bind_pattern(pattern, t);
                        }
                        (pattern, None) => {
                            self.diags.push(Diagnostic::error(
                                "ZTS017",
                                self.file,
                                pattern.span(),
                                "a destructuring declaration needs an initializer",
                            ));
                        }
                    }
                }
            }
            Stmt::Function(_) | Stmt::Import(_) | Stmt::Type(_) | Stmt::Empty(_) => {}
            Stmt::Block(b) => self.block_body(b.stmts),
            Stmt::If(i) => {
                let else_l = self.label();
                let cond = self.expr_any(i.test);
                self.emit(Op::JumpIfFalse {
                    cond,
                    target: Self::target(else_l),
                });
                self.scoped(i.consequent);
                if let Some(alt) = i.alternate {
                    let end = self.label();
                    self.emit(Op::Jump {
                        target: Self::target(end),
                    });
                    self.bind(else_l);
                    self.scoped(alt);
                    self.bind(end);
                } else {
                    self.bind(else_l);
                }
            }
            Stmt::ForOf(f) => self.for_of(f),
            Stmt::Return(r) => match r.arg {
                Some(a) => {
                    let v = self.expr_any(a);
                    self.emit(Op::Return { src: v });
                }
                None => self.emit(Op::ReturnUndef {}),
            },
            Stmt::Assert(a) => {
                let ok = self.label();
                let cond = self.expr_any(a.test);
                self.emit(Op::JumpIfTrue {
                    cond,
                    target: Self::target(ok),
                });
                match a.value {
                    Some(v) => {
                        let r = self.expr_any(v);
                        self.emit(Op::Return { src: r });
                    }
                    None => self.emit(Op::ReturnUndef {}),
                }
                self.bind(ok);
            }
            Stmt::Break(span) | Stmt::Continue(span) => {
                let is_break = matches!(stmt, Stmt::Break(_));
                let target = self
                    .f()
                    .loops
                    .last()
                    .map(|l| if is_break { l.break_to } else { l.continue_to });
                match target {
                    Some(l) => self.emit(Op::Jump {
                        target: Self::target(l),
                    }),
                    None => self.diags.push(Diagnostic::error(
                        if is_break { "ZTS022" } else { "ZTS023" },
                        self.file,
                        span,
                        format!(
                            "'{}' outside of loop",
                            if is_break { "break" } else { "continue" }
                        ),
                    )),
                }
            }
        }
    }

    fn for_of(&mut self, f: &'a ForOfStmt<'a>) {
        let mark = self.mark();
        let src = self.expr_any(f.iterable);
        let iter = self.temp();
        self.emit(Op::IterInit { dst: iter, src });
        let value = self.temp();
        let next = self.label();
        let end = self.label();
        self.bind(next);
        self.emit(Op::IterNext {
            dst: value,
            iter,
            done: Self::target(end),
        });
        // Bindings of the head are fresh each iteration (closures capture per iteration).
        let body_mark = self.mark();
        let mut ids = Vec::new();
        f.pattern
            .for_each_binding(&mut |b| ids.push(self.res.decls[&addr(b)]));
        for b in ids {
            self.declare_local(b);
        }
        match f.pattern {
            Pattern::Ident(ident) => self.init_binding(ident, value),
            other => self.bind_pattern(other, value),
        }
        self.f().loops.push(Loop {
            continue_to: next,
            break_to: end,
        });
        self.scoped(f.body);
        self.f().loops.pop();
        self.release(body_mark);
        self.emit(Op::Jump {
            target: Self::target(next),
        });
        self.bind(end);
        self.release(mark);
    }
}
