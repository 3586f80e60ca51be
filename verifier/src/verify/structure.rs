//! Structure check: table sizes within [`Limits`], function parents form a
//! tree rooted at the initializer, nesting depth, parameter registers,
//! exports and the source map's shape.

use crate::bundle::Bundle;
use crate::error::{VerifyError, VerifyErrorKind};
use crate::limits::Limits;

pub(crate) fn check(bundle: &Bundle, limits: &Limits) -> Result<(), VerifyError> {
    if bundle.functions.is_empty() {
        return Err(VerifyError::bundle(VerifyErrorKind::NoInitializer));
    }
    let limit = |what, limit| VerifyError::bundle(VerifyErrorKind::LimitExceeded { what, limit });
    if bundle.functions.len() > limits.max_functions {
        return Err(limit("functions", limits.max_functions));
    }
    let mut depth = vec![0usize; bundle.functions.len()];
    for (i, f) in bundle.functions.iter().enumerate() {
        match (i, f.parent) {
            (0, None) => {}
            (0, Some(_)) | (_, None) => {
                return Err(VerifyError::func(
                    i,
                    VerifyErrorKind::BadParent { parent: f.parent },
                ));
            }
            (_, Some(p)) if (p as usize) < i => {
                depth[i] = depth[p as usize] + 1;
                if depth[i] > limits.max_nesting {
                    return Err(VerifyError::func(
                        i,
                        VerifyErrorKind::NestingTooDeep { depth: depth[i] },
                    ));
                }
            }
            (_, Some(_)) => {
                return Err(VerifyError::func(
                    i,
                    VerifyErrorKind::BadParent { parent: f.parent },
                ));
            }
        }
        if f.reg_count as usize > limits.max_registers {
            return Err(VerifyError::func(
                i,
                VerifyErrorKind::LimitExceeded {
                    what: "registers",
                    limit: limits.max_registers,
                },
            ));
        }
        if f.param_count as usize > limits.max_params {
            return Err(VerifyError::func(
                i,
                VerifyErrorKind::LimitExceeded {
                    what: "parameters",
                    limit: limits.max_params,
                },
            ));
        }
        let param_regs = u32::from(f.param_count) + u32::from(f.has_rest);
        if param_regs > u32::from(f.reg_count) {
            return Err(VerifyError::func(
                i,
                VerifyErrorKind::ParamsExceedRegisters {
                    params: param_regs,
                    regs: f.reg_count,
                },
            ));
        }
        if i == 0 && (f.param_count != 0 || f.has_rest || !f.captures.is_empty()) {
            return Err(VerifyError::func(
                i,
                VerifyErrorKind::InvalidCapture { index: 0 },
            ));
        }
    }
    if bundle.module.globals.len() > limits.max_globals {
        return Err(limit("module bindings", limits.max_globals));
    }
    for e in &bundle.module.exports {
        if e.global as usize >= bundle.module.globals.len() {
            return Err(VerifyError::bundle(VerifyErrorKind::IndexOutOfBounds {
                what: "export binding",
                index: e.global,
                len: bundle.module.globals.len(),
            }));
        }
    }
    let sm = &bundle.source_map;
    if !sm.functions.is_empty() && sm.functions.len() != bundle.functions.len() {
        return Err(VerifyError::bundle(VerifyErrorKind::InvalidSourceMap));
    }
    for (i, table) in sm.functions.iter().enumerate() {
        let code_len = bundle.functions[i].code.len();
        let mut last = None;
        for p in table {
            let ordered = last.is_none_or(|l| p.pc > l);
            if !ordered || p.pc as usize >= code_len || p.file as usize >= sm.files.len() {
                return Err(VerifyError::func(i, VerifyErrorKind::InvalidSourceMap));
            }
            last = Some(p.pc);
        }
    }
    Ok(())
}
