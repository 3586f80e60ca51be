//! Code check: every function's bytes decode into known instructions whose
//! operands lie wholly inside the code, and the code is not empty.

use super::Code;
use crate::bundle::Bundle;
use crate::error::{VerifyError, VerifyErrorKind};
use crate::isa::{DecodeOpError, Op};

pub(crate) fn check(bundle: &Bundle) -> Result<Vec<Code>, VerifyError> {
    bundle
        .functions
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let mut ops = Vec::new();
            let mut pcs = Vec::new();
            let mut pc = 0usize;
            while pc < f.code.len() {
                let (op, next) = Op::decode(&f.code, pc).map_err(|e| {
                    let kind = match e {
                        DecodeOpError::UnknownOpcode(b) => VerifyErrorKind::UnknownOpcode(b),
                        DecodeOpError::Truncated => VerifyErrorKind::TruncatedInstruction,
                    };
                    VerifyError::at(i, pc as u32, kind)
                })?;
                ops.push(op);
                pcs.push(pc as u32);
                pc = next;
            }
            if ops.is_empty() {
                return Err(VerifyError::func(i, VerifyErrorKind::FallsOffEnd));
            }
            Ok(Code { ops, pcs })
        })
        .collect()
}
