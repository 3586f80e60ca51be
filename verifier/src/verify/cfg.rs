//! Control-flow check: every jump lands on an instruction boundary inside the
//! function, and no path runs past the last instruction.

use super::Code;
use crate::bundle::Bundle;
use crate::error::{VerifyError, VerifyErrorKind};

pub(crate) fn check(bundle: &Bundle, code: &[Code]) -> Result<(), VerifyError> {
    for (i, (f, c)) in bundle.functions.iter().zip(code).enumerate() {
        for (op, &pc) in c.ops.iter().zip(&c.pcs) {
            if let Some(t) = op.target() {
                if t.0 as usize >= f.code.len() {
                    return Err(VerifyError::at(
                        i,
                        pc,
                        VerifyErrorKind::JumpOutOfBounds { target: t.0 },
                    ));
                }
                if c.index_of(t.0).is_none() {
                    return Err(VerifyError::at(
                        i,
                        pc,
                        VerifyErrorKind::JumpNotOnBoundary { target: t.0 },
                    ));
                }
            }
        }
        if let (Some(last), Some(&pc)) = (c.ops.last(), c.pcs.last())
            && last.falls_through()
        {
            return Err(VerifyError::at(i, pc, VerifyErrorKind::FallsOffEnd));
        }
    }
    Ok(())
}
