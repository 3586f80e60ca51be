//! Destructuring: binding patterns against a value in a register.

use super::Codegen;
use crate::front::ast::*;
use zigts_verifier::Op;

impl<'a> Codegen<'a, '_> {
    /// Binds `pattern` to the value in `src` (bindings already declared).
    pub(super) fn bind_pattern(&mut self, pattern: Pattern<'a>, src: zigts_verifier::Reg) {
        match pattern {
            Pattern::Ident(ident) => self.init_binding(ident, src),
            Pattern::Object(o) => {
                let mark = self.mark();
                let mut keys = Vec::new();
                for prop in o.props {
                    self.set_span(prop.span);
                    let v = self.temp();
                    match prop.key {
                        PropKey::Computed(c) => {
                            let k = self.temp();
                            self.expr(c.expr, k);
                            self.emit(Op::GetElem {
                                dst: v,
                                obj: src,
                                key: k,
                            });
                            keys.push(KeySource::Reg(k));
                        }
                        key => {
                            let name = Self::static_key(key);
                            let atom = self.atom(&name);
                            self.emit(Op::GetProp {
                                dst: v,
                                obj: src,
                                key: atom,
                            });
                            keys.push(KeySource::Name(name));
                        }
                    }
                    self.default_value(v, prop.default);
                    self.bind_pattern(prop.value, v);
                }
                if let Some(rest) = o.rest {
                    let range = self.temps(keys.len());
                    for (i, k) in keys.iter().enumerate() {
                        let dst = zigts_verifier::Reg(range.start + i as u16);
                        match k {
                            KeySource::Name(n) => self.load_str(n, dst),
                            KeySource::Reg(r) => self.emit(Op::Move { dst, src: *r }),
                        }
                    }
                    let out = self.temp();
                    self.emit(Op::ObjectRest {
                        dst: out,
                        src,
                        exclude: range,
                    });
                    self.init_binding(rest, out);
                }
                self.release(mark);
            }
            Pattern::Array(a) => {
                let mark = self.mark();
                for (i, elem) in a.elems.iter().enumerate() {
                    let Some(elem) = elem else { continue };
                    self.set_span(elem.span);
                    let idx = self.temp();
                    self.load_number(i as f64, idx);
                    let v = self.temp();
                    self.emit(Op::GetElem {
                        dst: v,
                        obj: src,
                        key: idx,
                    });
                    self.default_value(v, elem.default);
                    self.bind_pattern(elem.pattern, v);
                }
                if let Some(rest) = &a.rest {
                    let out = self.temp();
                    self.emit(Op::ArrayRest {
                        dst: out,
                        src,
                        from: a.elems.len() as i32,
                    });
                    self.bind_pattern(rest.pattern, out);
                }
                self.release(mark);
            }
        }
    }

    /// `v = v === undefined ? default : v`.
    fn default_value(&mut self, v: zigts_verifier::Reg, default: Option<Expr<'a>>) {
        if let Some(d) = default {
            let skip = self.label();
            self.emit(Op::JumpIfNotUndef {
                src: v,
                target: Self::target(skip),
            });
            self.expr(d, v);
            self.bind(skip);
        }
    }

    /// The property name of a non-computed key.
    pub(super) fn static_key(key: PropKey<'a>) -> String {
        match key {
            PropKey::Ident(i) => i.name.to_string(),
            PropKey::String(s) => s.value.to_string(),
            PropKey::Number(n) => zigts_vm::js::number::number_to_string(n.value),
            PropKey::Computed(_) => String::new(),
        }
    }
}

enum KeySource {
    Name(String),
    Reg(zigts_verifier::Reg),
}
