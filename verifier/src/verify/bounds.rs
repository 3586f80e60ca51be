//! Bounds check: every operand in bounds for its role, constants of the kind
//! their use needs, and the rules tied to particular instructions (closures
//! made only by their parent with valid captures, direct calls with exact
//! arity, module bindings written only by the initializer, non-negative rest
//! offsets).

use super::Code;
use crate::builtins::BUILTINS;
use crate::bundle::{Bundle, Capture, Constant};
use crate::error::{VerifyError, VerifyErrorKind};
use crate::isa::Op;
use crate::operand::{OperandValue, Role};

pub(crate) fn check(bundle: &Bundle, code: &[Code]) -> Result<(), VerifyError> {
    for (i, (f, c)) in bundle.functions.iter().zip(code).enumerate() {
        for (op, &pc) in c.ops.iter().zip(&c.pcs) {
            let fail = |kind| VerifyError::at(i, pc, kind);
            let mut err = None;
            op.for_each_operand(|role, value| {
                if err.is_none() {
                    err = operand(bundle, i, role, value).err();
                }
            });
            if let Some(kind) = err {
                return Err(fail(kind));
            }
            match *op {
                Op::MakeClosure { f: callee, .. } => {
                    let target = &bundle.functions[callee.0 as usize];
                    if target.parent != Some(i as u32) {
                        return Err(fail(VerifyErrorKind::ClosureOutsideParent {
                            callee: callee.0,
                        }));
                    }
                    for (index, cap) in target.captures.iter().enumerate() {
                        let ok = match *cap {
                            Capture::Local(r) => r.0 < f.reg_count,
                            Capture::Upval(u) => (u.0 as usize) < f.captures.len(),
                        };
                        if !ok {
                            return Err(fail(VerifyErrorKind::InvalidCapture { index }));
                        }
                    }
                }
                Op::CallDirect {
                    f: callee, args, ..
                } => {
                    let target = &bundle.functions[callee.0 as usize];
                    if !target.captures.is_empty() || target.has_rest || callee.0 == 0 {
                        return Err(fail(VerifyErrorKind::DirectCallToClosure {
                            callee: callee.0,
                        }));
                    }
                    if args.count != target.param_count {
                        return Err(fail(VerifyErrorKind::ArityMismatch {
                            callee: callee.0,
                            expected: u32::from(target.param_count),
                            got: u32::from(args.count),
                        }));
                    }
                }
                Op::StoreGlobal { .. } if i != 0 => {
                    return Err(fail(VerifyErrorKind::StoreGlobalOutsideInitializer));
                }
                Op::ArrayRest { from, .. } if from < 0 => {
                    return Err(fail(VerifyErrorKind::IndexOutOfBounds {
                        what: "rest offset",
                        index: from as u32,
                        len: 0,
                    }));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

fn operand(
    bundle: &Bundle,
    func: usize,
    role: Role,
    value: OperandValue,
) -> Result<(), VerifyErrorKind> {
    let f = &bundle.functions[func];
    let index = |what: &'static str, index: u32, len: usize| {
        if (index as usize) < len {
            Ok(())
        } else {
            Err(VerifyErrorKind::IndexOutOfBounds { what, index, len })
        }
    };
    match (role, value) {
        (Role::In | Role::Out, OperandValue::Reg(r)) => {
            if r < f.reg_count {
                Ok(())
            } else {
                Err(VerifyErrorKind::RegisterOutOfBounds {
                    reg: u32::from(r),
                    count: f.reg_count,
                })
            }
        }
        (Role::Args, OperandValue::Range { start, count }) => {
            let end = u32::from(start) + u32::from(count);
            if end <= u32::from(f.reg_count) {
                Ok(())
            } else {
                Err(VerifyErrorKind::RegisterOutOfBounds {
                    reg: end - 1,
                    count: f.reg_count,
                })
            }
        }
        (Role::Num | Role::Str, OperandValue::Index(k)) => {
            index("constant", k, bundle.constants.len())?;
            match (role, &bundle.constants[k as usize]) {
                (Role::Num, Constant::Number(_)) | (Role::Str, Constant::String(_)) => Ok(()),
                (Role::Num, _) => Err(VerifyErrorKind::ConstantKindMismatch {
                    index: k,
                    expected: "number",
                }),
                _ => Err(VerifyErrorKind::ConstantKindMismatch {
                    index: k,
                    expected: "string",
                }),
            }
        }
        (Role::Atom, OperandValue::Index(k)) => index("atom", k, bundle.atoms.len()),
        (Role::Func, OperandValue::Index(k)) => index("function", k, bundle.functions.len()),
        (Role::Import, OperandValue::Index(k)) => index("import", k, bundle.imports.len()),
        (Role::Global, OperandValue::Index(k)) => {
            index("module binding", k, bundle.module.globals.len())
        }
        (Role::Builtin, OperandValue::Index(k)) => index("builtin", k, BUILTINS.len()),
        (Role::Upval, OperandValue::Index(k)) => index("captured cell", k, f.captures.len()),
        // Jump targets are checked by the cfg pass; immediates are any value.
        _ => Ok(()),
    }
}
