//! Expressions.
//!
//! `expr(e, dst)` leaves the value of `e` in `dst`; `expr_any(e)` returns a
//! register holding it (a plain local's own register when that is safe).
//! Implementation note: a local's register may be returned without a copy
//! only if nothing evaluated later in the same expression can assign it, so
//! operand evaluation checks [`may_assign`] on what follows.

use super::{Codegen, Place};
use crate::check::Resolved;
use crate::front::ast::*;
use zigts_verifier::{FuncIdx, Op, Reg, RegRange};

/// Whether evaluating `e` may assign a variable (conservative).
fn may_assign(e: Expr<'_>) -> bool {
    match e {
        Expr::Assign(_) => true,
        Expr::Number(_)
        | Expr::String(_)
        | Expr::Bool(_)
        | Expr::Undefined(_)
        | Expr::Ident(_)
        | Expr::Function(_) => false,
        Expr::Template(t) => t.exprs.iter().any(|x| may_assign(*x)),
        Expr::Array(a) => a.elems.iter().any(|el| match el {
            ArrayElem::Expr(x) => may_assign(*x),
            ArrayElem::Spread(s) => may_assign(s.arg),
            ArrayElem::Hole(_) => false,
        }),
        Expr::Object(o) => o.props.iter().any(|p| match p {
            ObjectProp::Prop(p) => {
                may_assign(p.value) || matches!(p.key, PropKey::Computed(c) if may_assign(c.expr))
            }
            ObjectProp::Spread(s) => may_assign(s.arg),
        }),
        Expr::Member(m) => may_assign(m.object),
        Expr::Index(i) => may_assign(i.object) || may_assign(i.index),
        Expr::Call(c) => {
            may_assign(c.callee)
                || c.args.iter().any(|a| match a {
                    Arg::Expr(x) => may_assign(*x),
                    Arg::Spread(s) => may_assign(s.arg),
                })
        }
        Expr::Chain(c) => may_assign(c.expr),
        Expr::Unary(u) => may_assign(u.arg),
        Expr::Binary(b) => may_assign(b.left) || may_assign(b.right),
        Expr::Logical(l) => may_assign(l.left) || may_assign(l.right),
        Expr::Conditional(c) => {
            may_assign(c.test) || may_assign(c.consequent) || may_assign(c.alternate)
        }
        Expr::Pipe(p) => may_assign(p.left) || may_assign(p.right),
        Expr::Match(m) => may_assign(m.discriminant) || m.arms.iter().any(|a| may_assign(a.body)),
        Expr::JsxElement(_) | Expr::JsxFragment(_) => true,
    }
}

/// Whether compiling `e` into `dst` writes `dst` before it has read
/// everything (so `x = e` must not target `x`'s register directly).
fn writes_dst_early(e: Expr<'_>) -> bool {
    matches!(
        e,
        Expr::Object(_)
            | Expr::Array(_)
            | Expr::Logical(_)
            | Expr::Assign(_)
            | Expr::Chain(_)
            | Expr::Match(_)
    )
}

fn binary_op(op: BinaryOp, dst: Reg, a: Reg, b: Reg) -> Op {
    match op {
        BinaryOp::Add => Op::Add { dst, a, b },
        BinaryOp::Sub => Op::Sub { dst, a, b },
        BinaryOp::Mul => Op::Mul { dst, a, b },
        BinaryOp::Div => Op::Div { dst, a, b },
        BinaryOp::Rem => Op::Mod { dst, a, b },
        BinaryOp::Exp => Op::Pow { dst, a, b },
        BinaryOp::Shl => Op::Shl { dst, a, b },
        BinaryOp::Shr => Op::Shr { dst, a, b },
        BinaryOp::UShr => Op::UShr { dst, a, b },
        BinaryOp::BitAnd => Op::BitAnd { dst, a, b },
        BinaryOp::BitOr => Op::BitOr { dst, a, b },
        BinaryOp::BitXor => Op::BitXor { dst, a, b },
        BinaryOp::StrictEq => Op::StrictEq { dst, a, b },
        BinaryOp::StrictNe => Op::StrictNe { dst, a, b },
        BinaryOp::Lt => Op::Lt { dst, a, b },
        BinaryOp::Le => Op::Le { dst, a, b },
        BinaryOp::Gt => Op::Gt { dst, a, b },
        BinaryOp::Ge => Op::Ge { dst, a, b },
        BinaryOp::In => Op::In {
            dst,
            key: a,
            obj: b,
        },
    }
}

/// `v` as an `i32` immediate: an integer in range, and not -0 (whose sign an
/// integer cannot keep).
pub(super) fn int_value(v: f64) -> Option<i32> {
    let exact = v.fract() == 0.0 && v.abs() <= f64::from(i32::MAX);
    (exact && !(v == 0.0 && v.is_sign_negative())).then_some(v as i32)
}

/// `e` as an `i32` immediate, when it is such a number literal.
fn int_literal(e: Expr<'_>) -> Option<i32> {
    let Expr::Number(n) = e else { return None };
    int_value(n.value)
}

/// The `*_imm` form of `a op value`, for the operators that have one.
fn binary_op_imm(op: BinaryOp, dst: Reg, a: Reg, value: i32) -> Option<Op> {
    Some(match op {
        BinaryOp::Add => Op::AddImm { dst, a, value },
        BinaryOp::Sub => Op::SubImm { dst, a, value },
        BinaryOp::Mul => Op::MulImm { dst, a, value },
        BinaryOp::Rem => Op::ModImm { dst, a, value },
        BinaryOp::StrictEq => Op::StrictEqImm { dst, a, value },
        BinaryOp::StrictNe => Op::StrictNeImm { dst, a, value },
        BinaryOp::Lt => Op::LtImm { dst, a, value },
        BinaryOp::Le => Op::LeImm { dst, a, value },
        BinaryOp::Gt => Op::GtImm { dst, a, value },
        BinaryOp::Ge => Op::GeImm { dst, a, value },
        _ => return None,
    })
}

impl<'a> Codegen<'a, '_> {
    /// A register holding `e`'s value.
    pub(super) fn expr_any(&mut self, e: Expr<'a>) -> Reg {
        if let Expr::Ident(i) = e
            && let Some(Resolved::Binding(b)) = self.resolved(i)
            && let Place::Reg(r) = self.place(b)
        {
            return r;
        }
        let t = self.temp();
        self.expr(e, t);
        t
    }

    /// Like [`Self::expr_any`], but copies when something evaluated later may reassign it.
    fn operand(&mut self, e: Expr<'a>, later: &[Expr<'a>]) -> Reg {
        if later.iter().any(|x| may_assign(*x)) {
            let t = self.temp();
            self.expr(e, t);
            t
        } else {
            self.expr_any(e)
        }
    }

    /// Evaluates `e` for its effects only.
    pub(super) fn expr_discard(&mut self, e: Expr<'a>) {
        let m = self.mark();
        let t = self.temp();
        self.expr(e, t);
        self.release(m);
    }

    /// Compiles `e` into `dst`.
    pub(super) fn expr(&mut self, e: Expr<'a>, dst: Reg) {
        let mark = self.mark();
        self.set_span(e.span());
        match e {
            Expr::Number(n) => self.load_number(n.value, dst),
            Expr::String(s) => self.load_str(s.value, dst),
            Expr::Bool(b) => self.emit(if b.value {
                Op::LoadTrue { dst }
            } else {
                Op::LoadFalse { dst }
            }),
            Expr::Undefined(_) => self.emit(Op::LoadUndef { dst }),
            Expr::Template(t) => self.template(t, dst),
            Expr::Ident(i) => match self.resolved(i) {
                Some(Resolved::Binding(b)) => {
                    let p = self.place(b);
                    self.read_place(p, dst);
                }
                Some(Resolved::Builtin(b)) => self.emit(Op::LoadBuiltin {
                    dst,
                    b: zigts_verifier::BuiltinIdx(b),
                }),
                Some(Resolved::Number(bits)) => self.load_number(f64::from_bits(bits), dst),
                None => self.emit(Op::LoadUndef { dst }),
            },
            Expr::Array(a) => {
                self.emit(Op::NewArray { dst });
                for el in a.elems {
                    let m = self.mark();
                    match el {
                        ArrayElem::Expr(x) => {
                            let v = self.expr_any(*x);
                            self.emit(Op::ArrayPush { arr: dst, src: v });
                        }
                        ArrayElem::Spread(s) => {
                            let v = self.expr_any(s.arg);
                            self.emit(Op::ArraySpread { arr: dst, src: v });
                        }
                        ArrayElem::Hole(_) => {
                            let v = self.temp();
                            self.emit(Op::LoadUndef { dst: v });
                            self.emit(Op::ArrayPush { arr: dst, src: v });
                        }
                    }
                    self.release(m);
                }
            }
            Expr::Object(o) => self.object(o, dst),
            Expr::Function(f) => self.closure(f, "", dst),
            Expr::Member(m) => {
                let obj = self.expr_any(m.object);
                self.optional_link(m.optional, obj);
                let key = self.atom(m.property.name);
                self.set_span(m.span);
                self.emit(Op::GetProp { dst, obj, key });
            }
            Expr::Index(ix) => {
                let obj = self.operand(ix.object, &[ix.index]);
                self.optional_link(ix.optional, obj);
                let key = self.expr_any(ix.index);
                self.set_span(ix.span);
                self.emit(Op::GetElem { dst, obj, key });
            }
            Expr::Call(c) => self.call(c, dst),
            Expr::Chain(ch) => {
                let nil = self.label();
                let end = self.label();
                let saved = self.f().chain_nil.replace(nil);
                self.expr(ch.expr, dst);
                self.f().chain_nil = saved;
                self.emit(Op::Jump {
                    target: Self::target(end),
                });
                self.bind(nil);
                self.emit(Op::LoadUndef { dst });
                self.bind(end);
            }
            Expr::Unary(u) => {
                let src = self.expr_any(u.arg);
                self.set_span(u.span);
                self.emit(match u.op {
                    UnaryOp::Not => Op::Not { dst, src },
                    UnaryOp::BitNot => Op::BitNot { dst, src },
                    UnaryOp::Plus => Op::Plus { dst, src },
                    UnaryOp::Minus => Op::Neg { dst, src },
                    UnaryOp::Typeof => Op::TypeOf { dst, src },
                    UnaryOp::Void => Op::LoadUndef { dst },
                });
            }
            Expr::Binary(b) => {
                let l = self.operand(b.left, &[b.right]);
                if let Some(value) = int_literal(b.right)
                    && let Some(op) = binary_op_imm(b.op, dst, l, value)
                {
                    self.set_span(b.op_span);
                    self.emit(op);
                } else {
                    let r = self.expr_any(b.right);
                    self.set_span(b.op_span);
                    self.emit(binary_op(b.op, dst, l, r));
                }
            }
            Expr::Logical(l) => {
                self.expr(l.left, dst);
                let end = self.label();
                let t = Self::target(end);
                self.emit(match l.op {
                    LogicalOp::And => Op::JumpIfFalse {
                        cond: dst,
                        target: t,
                    },
                    LogicalOp::Or => Op::JumpIfTrue {
                        cond: dst,
                        target: t,
                    },
                    LogicalOp::Nullish => Op::JumpIfNotUndef {
                        src: dst,
                        target: t,
                    },
                });
                self.expr(l.right, dst);
                self.bind(end);
            }
            Expr::Conditional(c) => {
                let else_l = self.label();
                let end = self.label();
                let cond = self.expr_any(c.test);
                self.emit(Op::JumpIfFalse {
                    cond,
                    target: Self::target(else_l),
                });
                self.expr(c.consequent, dst);
                self.emit(Op::Jump {
                    target: Self::target(end),
                });
                self.bind(else_l);
                self.expr(c.alternate, dst);
                self.bind(end);
            }
            Expr::Assign(a) => self.assign(a, dst),
            Expr::Pipe(p) => self.pipe(p, dst),
            Expr::Match(m) => self.match_expr(m, dst),
            Expr::JsxElement(el) => self.jsx_element(el, dst),
            Expr::JsxFragment(fr) => self.jsx_call(None, &[], fr.children, dst),
        }
        self.release(mark);
    }

    /// An optional link (`?.`): short-circuit the chain when `obj` is undefined.
    fn optional_link(&mut self, optional: bool, obj: Reg) {
        if optional && let Some(nil) = self.f().chain_nil {
            self.emit(Op::JumpIfUndef {
                src: obj,
                target: Self::target(nil),
            });
        }
    }

    fn template(&mut self, t: &'a TemplateLit<'a>, dst: Reg) {
        enum Part<'x, 'a> {
            Text(&'x str),
            Expr(Expr<'a>),
        }
        if t.exprs.is_empty() {
            let s = t.quasis.first().map_or("", |q| q.cooked);
            self.load_str(s, dst);
            return;
        }
        let mut parts = Vec::new();
        for (i, q) in t.quasis.iter().enumerate() {
            if !q.cooked.is_empty() {
                parts.push(Part::Text(q.cooked));
            }
            if let Some(e) = t.exprs.get(i) {
                parts.push(Part::Expr(*e));
            }
        }
        let range = self.temps(parts.len());
        for (i, p) in parts.iter().enumerate() {
            let r = Reg(range.start + i as u16);
            match p {
                Part::Text(s) => self.load_str(s, r),
                Part::Expr(e) => self.expr(*e, r),
            }
        }
        self.set_span(t.span);
        self.emit(Op::Concat { dst, parts: range });
    }

    fn object(&mut self, o: &'a ObjectLit<'a>, dst: Reg) {
        self.emit(Op::NewObject { dst });
        for p in o.props {
            let m = self.mark();
            match p {
                ObjectProp::Prop(p) => {
                    self.set_span(p.span);
                    match p.key {
                        PropKey::Computed(c) => {
                            let k = self.operand(c.expr, &[p.value]);
                            let v = self.expr_any(p.value);
                            self.emit(Op::SetElem {
                                obj: dst,
                                key: k,
                                src: v,
                            });
                        }
                        key => {
                            let name = Self::static_key(key);
                            let v = match (p.kind, p.value) {
                                (PropKind::Method, Expr::Function(f)) => {
                                    let t = self.temp();
                                    self.closure(f, &name, t);
                                    t
                                }
                                (_, value) => self.expr_any(value),
                            };
                            let atom = self.atom(&name);
                            self.emit(Op::SetProp {
                                obj: dst,
                                key: atom,
                                src: v,
                            });
                        }
                    }
                }
                ObjectProp::Spread(s) => {
                    let v = self.expr_any(s.arg);
                    self.emit(Op::ObjectSpread { obj: dst, src: v });
                }
            }
            self.release(m);
        }
    }

    /// Arguments into consecutive registers, or `None` (after building an
    /// array in `array`) when a spread is present.
    fn args(
        &mut self,
        args: &'a [Arg<'a>],
        extra_first: Option<Expr<'a>>,
    ) -> Result<RegRange, Reg> {
        let spread = args.iter().any(|a| matches!(a, Arg::Spread(_)));
        if spread {
            let arr = self.temp();
            self.emit(Op::NewArray { dst: arr });
            if let Some(x) = extra_first {
                let v = self.expr_any(x);
                self.emit(Op::ArrayPush { arr, src: v });
            }
            for a in args {
                let m = self.mark();
                match a {
                    Arg::Expr(x) => {
                        let v = self.expr_any(*x);
                        self.emit(Op::ArrayPush { arr, src: v });
                    }
                    Arg::Spread(s) => {
                        let v = self.expr_any(s.arg);
                        self.emit(Op::ArraySpread { arr, src: v });
                    }
                }
                self.release(m);
            }
            return Err(arr);
        }
        let n = args.len() + usize::from(extra_first.is_some());
        let range = self.temps(n);
        let mut i = 0;
        if let Some(x) = extra_first {
            self.expr(x, Reg(range.start));
            i = 1;
        }
        for a in args {
            if let Arg::Expr(x) = a {
                self.expr(*x, Reg(range.start + i));
            }
            i += 1;
        }
        Ok(range)
    }

    /// `call_direct` target of a callee identifier, if it names a top-level function.
    fn direct_target(&self, callee: Expr<'a>) -> Option<super::DirectTarget> {
        let Expr::Ident(i) = callee else { return None };
        let Some(Resolved::Binding(b)) = self.resolved(i) else {
            return None;
        };
        self.direct.get(&b).copied()
    }

    fn call(&mut self, c: &'a CallExpr<'a>, dst: Reg) {
        match c.callee {
            Expr::Member(m) if !c.optional => {
                let later: Vec<Expr<'a>> = c
                    .args
                    .iter()
                    .map(|a| match a {
                        Arg::Expr(x) => *x,
                        Arg::Spread(s) => s.arg,
                    })
                    .collect();
                let obj = self.operand(m.object, &later);
                self.optional_link(m.optional, obj);
                let key = self.atom(m.property.name);
                let args = self.args(c.args, None);
                self.set_span(c.span);
                match args {
                    Ok(range) => self.emit(Op::CallMethod {
                        dst,
                        obj,
                        key,
                        args: range,
                    }),
                    Err(arr) => self.emit(Op::CallMethodSpread {
                        dst,
                        obj,
                        key,
                        args: arr,
                    }),
                }
            }
            callee => {
                if !c.optional
                    && !c.args.iter().any(|a| matches!(a, Arg::Spread(_)))
                    && let Some(target) = self.direct_target(callee)
                {
                    let args: Vec<Expr<'a>> = c
                        .args
                        .iter()
                        .map(|a| match a {
                            Arg::Expr(x) => *x,
                            Arg::Spread(s) => s.arg,
                        })
                        .collect();
                    self.call_direct(target, &args, dst, c.span);
                    return;
                }
                let f = self.temp();
                self.expr(callee, f);
                self.optional_link(c.optional, f);
                let args = self.args(c.args, None);
                self.set_span(c.span);
                match args {
                    Ok(range) => self.emit(Op::Call {
                        dst,
                        callee: f,
                        args: range,
                    }),
                    Err(arr) => self.emit(Op::CallSpread {
                        dst,
                        callee: f,
                        args: arr,
                    }),
                }
            }
        }
    }

    /// A direct call: arguments padded with undefined (or extra ones
    /// evaluated and dropped) to the callee's parameter count.
    fn call_direct(
        &mut self,
        target: super::DirectTarget,
        args: &[Expr<'a>],
        dst: Reg,
        span: Span,
    ) {
        let range = self.temps(target.params.max(args.len()));
        for (i, a) in args.iter().enumerate() {
            self.expr(*a, Reg(range.start + i as u16));
        }
        for i in args.len()..target.params {
            self.emit(Op::LoadUndef {
                dst: Reg(range.start + i as u16),
            });
        }
        self.set_span(span);
        let range = RegRange {
            start: range.start,
            count: target.params as u16,
        };
        self.emit(Op::CallDirect {
            dst,
            f: FuncIdx(target.func),
            args: range,
        });
    }

    fn pipe(&mut self, p: &'a PipeExpr<'a>, dst: Reg) {
        if let Some(&id) = self.res.funcs.get(&crate::check::addr(p)) {
            self.guard_composition(p, id, dst);
            return;
        }
        match p.right {
            Expr::Member(m) if !m.optional => {
                let obj = self.operand(m.object, &[p.left]);
                let key = self.atom(m.property.name);
                let range = self.temps(1);
                self.expr(p.left, Reg(range.start));
                self.set_span(p.span);
                self.emit(Op::CallMethod {
                    dst,
                    obj,
                    key,
                    args: range,
                });
            }
            right => {
                if let Some(target) = self.direct_target(right) {
                    self.call_direct(target, &[p.left], dst, p.span);
                    return;
                }
                let f = self.temp();
                self.expr(right, f);
                let range = self.temps(1);
                self.expr(p.left, Reg(range.start));
                self.set_span(p.span);
                self.emit(Op::Call {
                    dst,
                    callee: f,
                    args: range,
                });
            }
        }
    }

    fn assign(&mut self, a: &'a AssignExpr<'a>, dst: Reg) {
        match a.target {
            AssignTarget::Ident(i) => {
                let Some(Resolved::Binding(b)) = self.resolved(i) else {
                    return;
                };
                let place = self.place(b);
                match (a.op.binary(), place) {
                    (None, Place::Reg(r)) if !writes_dst_early(a.value) => {
                        self.expr(a.value, r);
                        if r != dst {
                            self.emit(Op::Move { dst, src: r });
                        }
                    }
                    (None, p) => {
                        self.expr(a.value, dst);
                        self.write_place(p, dst, i.span);
                    }
                    (Some(op), p) => {
                        let cur = self.temp();
                        self.read_place(p, cur);
                        let rhs = self.expr_any(a.value);
                        self.set_span(a.span);
                        self.emit(binary_op(op, dst, cur, rhs));
                        self.write_place(p, dst, i.span);
                    }
                }
            }
            AssignTarget::Member(m) => {
                let obj = self.operand(m.object, &[a.value]);
                let key = self.atom(m.property.name);
                match a.op.binary() {
                    None => self.expr(a.value, dst),
                    Some(op) => {
                        let cur = self.temp();
                        self.emit(Op::GetProp { dst: cur, obj, key });
                        let rhs = self.expr_any(a.value);
                        self.set_span(a.span);
                        self.emit(binary_op(op, dst, cur, rhs));
                    }
                }
                self.set_span(a.span);
                self.emit(Op::SetProp { obj, key, src: dst });
            }
            AssignTarget::Index(ix) => {
                let obj = self.operand(ix.object, &[ix.index, a.value]);
                let key = self.operand(ix.index, &[a.value]);
                match a.op.binary() {
                    None => self.expr(a.value, dst),
                    Some(op) => {
                        let cur = self.temp();
                        self.emit(Op::GetElem { dst: cur, obj, key });
                        let rhs = self.expr_any(a.value);
                        self.set_span(a.span);
                        self.emit(binary_op(op, dst, cur, rhs));
                    }
                }
                self.set_span(a.span);
                self.emit(Op::SetElem { obj, key, src: dst });
            }
        }
    }

    fn match_expr(&mut self, m: &'a MatchExpr<'a>, dst: Reg) {
        let subject = self.temp();
        self.expr(m.discriminant, subject);
        let end = self.label();
        let mut default = None;
        for arm in m.arms {
            let test = match arm.test {
                MatchTest::Default(_) | MatchTest::When(MatchPattern::Wildcard(_)) => {
                    // `_` at the top level behaves exactly like `default`.
                    if default.is_none() {
                        default = Some(arm.body);
                    }
                    continue;
                }
                MatchTest::When(p) => p,
            };
            self.set_span(arm.span);
            let next = self.label();
            let mark = self.mark();
            self.match_pattern(test, subject, next, true);
            self.release(mark);
            self.expr(arm.body, dst);
            self.emit(Op::Jump {
                target: Self::target(end),
            });
            self.bind(next);
        }
        match default {
            Some(body) => self.expr(body, dst),
            None => self.emit(Op::LoadUndef { dst }),
        }
        self.bind(end);
    }

    /// Jumps to `fail` unless `v` matches `p`.
    fn match_pattern(&mut self, p: MatchPattern<'a>, v: Reg, fail: super::Label, top: bool) {
        let fail_t = Self::target(fail);
        let eq = |this: &mut Self, load: &dyn Fn(&mut Self, Reg)| {
            let lit = this.temp();
            load(this, lit);
            let t = this.temp();
            this.emit(Op::StrictEq {
                dst: t,
                a: v,
                b: lit,
            });
            this.emit(Op::JumpIfFalse {
                cond: t,
                target: fail_t,
            });
        };
        match p {
            MatchPattern::Wildcard(_) => self.emit(Op::JumpIfUndef {
                src: v,
                target: fail_t,
            }),
            MatchPattern::Undefined(_) => self.emit(Op::JumpIfNotUndef {
                src: v,
                target: fail_t,
            }),
            MatchPattern::Bool(b) => eq(self, &|s, r| {
                s.emit(if b.value {
                    Op::LoadTrue { dst: r }
                } else {
                    Op::LoadFalse { dst: r }
                });
            }),
            MatchPattern::Number(n) => eq(self, &|s, r| s.load_number(n.value, r)),
            MatchPattern::String(st) => eq(self, &|s, r| s.load_str(st.value, r)),
            MatchPattern::Object(o) => {
                if o.props.is_empty() && top {
                    return;
                }
                self.emit(Op::JumpIfUndef {
                    src: v,
                    target: fail_t,
                });
                for prop in o.props {
                    let pv = self.temp();
                    let key = self.atom(prop.key);
                    self.emit(Op::GetProp {
                        dst: pv,
                        obj: v,
                        key,
                    });
                    self.match_pattern(prop.value, pv, fail, false);
                }
            }
            MatchPattern::Array(a) => {
                self.emit(Op::JumpIfUndef {
                    src: v,
                    target: fail_t,
                });
                // Array.isArray(v) && v.length === n
                let ns = self.temp();
                let b = zigts_verifier::builtins::builtin_index("Array").unwrap_or(0);
                self.emit(Op::LoadBuiltin {
                    dst: ns,
                    b: zigts_verifier::BuiltinIdx(b),
                });
                let args = self.temps(1);
                self.emit(Op::Move {
                    dst: Reg(args.start),
                    src: v,
                });
                let is = self.temp();
                let key = self.atom("isArray");
                self.emit(Op::CallMethod {
                    dst: is,
                    obj: ns,
                    key,
                    args,
                });
                self.emit(Op::JumpIfFalse {
                    cond: is,
                    target: fail_t,
                });
                let len = self.temp();
                let lkey = self.atom("length");
                self.emit(Op::GetProp {
                    dst: len,
                    obj: v,
                    key: lkey,
                });
                let n = self.temp();
                self.load_number(a.elems.len() as f64, n);
                let same = self.temp();
                self.emit(Op::StrictEq {
                    dst: same,
                    a: len,
                    b: n,
                });
                self.emit(Op::JumpIfFalse {
                    cond: same,
                    target: fail_t,
                });
                for (i, el) in a.elems.iter().enumerate() {
                    let Some(el) = el else { continue };
                    let idx = self.temp();
                    self.load_number(i as f64, idx);
                    let ev = self.temp();
                    self.emit(Op::GetElem {
                        dst: ev,
                        obj: v,
                        key: idx,
                    });
                    self.match_pattern(*el, ev, fail, false);
                }
            }
        }
    }

    fn jsx_element(&mut self, el: &'a JsxElement<'a>, dst: Reg) {
        self.jsx_call(Some(el.name), el.attrs, el.children, dst);
    }

    /// `h(tag, props, ...children)`; a fragment has an undefined tag.
    fn jsx_call(
        &mut self,
        name: Option<JsxName<'a>>,
        attrs: &'a [JsxAttr<'a>],
        children: &'a [JsxChild<'a>],
        dst: Reg,
    ) {
        let h = self.temp();
        let hb = zigts_verifier::builtins::builtin_index("h").unwrap_or(0);
        self.emit(Op::LoadBuiltin {
            dst: h,
            b: zigts_verifier::BuiltinIdx(hb),
        });
        let args = self.temps(2 + children.len());
        let tag = Reg(args.start);
        match name {
            None => self.emit(Op::LoadUndef { dst: tag }),
            Some(JsxName::Intrinsic(n)) => self.load_str(n.name, tag),
            Some(JsxName::Component(r)) => self.expr(Expr::Ident(r), tag),
            Some(JsxName::Member(m)) => {
                self.expr(Expr::Ident(&m.object), tag);
                for seg in m.path {
                    let key = self.atom(seg.name);
                    self.emit(Op::GetProp {
                        dst: tag,
                        obj: tag,
                        key,
                    });
                }
            }
        }
        let props = Reg(args.start + 1);
        if name.is_none() {
            self.emit(Op::LoadUndef { dst: props });
        } else {
            self.emit(Op::NewObject { dst: props });
        }
        for attr in attrs {
            let m = self.mark();
            match attr {
                JsxAttr::Attr(a) => {
                    let v = match a.value {
                        None => {
                            let t = self.temp();
                            self.emit(Op::LoadTrue { dst: t });
                            t
                        }
                        Some(JsxAttrValue::String(s)) => {
                            let t = self.temp();
                            self.load_str(s.value, t);
                            t
                        }
                        Some(JsxAttrValue::Expr(e)) => self.expr_any(e),
                    };
                    let key = self.atom(a.name.name);
                    self.emit(Op::SetProp {
                        obj: props,
                        key,
                        src: v,
                    });
                }
                JsxAttr::Spread(s) => {
                    let v = self.expr_any(s.arg);
                    self.emit(Op::ObjectSpread { obj: props, src: v });
                }
            }
            self.release(m);
        }
        for (i, child) in children.iter().enumerate() {
            let r = Reg(args.start + 2 + i as u16);
            match child {
                JsxChild::Text(t) => self.load_str(t.value, r),
                JsxChild::Expr(e) => self.expr(*e, r),
                JsxChild::Element(el) => self.jsx_element(el, r),
                JsxChild::Fragment(f) => self.jsx_call(None, &[], f.children, r),
            }
        }
        self.emit(Op::Call {
            dst,
            callee: h,
            args,
        });
    }

    /// `guard(a) |> h |> guard(b)` as one function of the request:
    /// `(req) => { const g = a(req); if (g !== undefined) return g;
    /// const res = h(req); const p = b(res); if (p !== undefined) return p;
    /// return res; }`.
    fn guard_composition(&mut self, p: &'a PipeExpr<'a>, id: crate::check::FuncId, dst: Reg) {
        let res = self.res;
        let is_guard = |r: &IdentRef<'a>| match res.refs.get(&crate::check::addr(r)) {
            Some(Resolved::Binding(b)) => {
                res.bindings[*b as usize].import == Some(crate::check::GUARD)
            }
            _ => false,
        };
        let Some(Ok(chain)) = crate::check::guard_chain(p, is_guard) else {
            self.unsupported(p.span, "this guard composition");
            return;
        };
        let saved = self.f().span;
        self.begin_function(id, String::from("<guards>"), 1, false);
        self.set_span(p.span);
        let req = Reg(0);
        let run = |this: &mut Self, f: Expr<'a>, arg: Reg| -> Reg {
            let callee = this.expr_any(f);
            let args = this.temps(1);
            this.emit(Op::Move {
                dst: Reg(args.start),
                src: arg,
            });
            let out = this.temp();
            this.emit(Op::Call {
                dst: out,
                callee,
                args,
            });
            out
        };
        let guard = |this: &mut Self, f: Expr<'a>, arg: Reg| {
            let m = this.mark();
            let out = run(this, f, arg);
            let next = this.label();
            this.emit(Op::JumpIfUndef {
                src: out,
                target: Self::target(next),
            });
            this.emit(Op::Return { src: out });
            this.bind(next);
            this.release(m);
        };
        for g in &chain.pre {
            guard(self, *g, req);
        }
        let response = run(self, chain.handler, req);
        for g in &chain.post {
            guard(self, *g, response);
        }
        self.emit(Op::Return { src: response });
        self.finish_function();
        self.set_span(saved);
        self.emit(Op::MakeClosure {
            dst,
            f: zigts_verifier::FuncIdx(id),
        });
    }
}
