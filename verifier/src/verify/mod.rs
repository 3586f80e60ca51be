//! The verifier: the only way to obtain a [`VerifiedBundle`].
//!
//! Passes run in a fixed order, structural ones first, because later passes
//! index tables that earlier passes proved in bounds:
//!
//! 1. `decode`     - container, hash, every tag and length (bundle/decode.rs)
//! 2. `structure`  - limits, function parents and nesting, exports, source map
//! 3. `code`       - every instruction decodes (known opcode, whole operands)
//! 4. `bounds`     - every operand in bounds for its role; constant kinds;
//!    closure, capture, direct-call and module-binding rules
//! 5. `cfg`        - jump targets on instruction boundaries; no fall-through
//!    off the end
//! 6. `registers`  - every register read is written on every path before it
//! 7. `imports`    - imports name real module exports; the contract declares
//!    every capability they need
//!
//! No size or shape of input skips a pass.

mod bounds;
mod cfg;
mod code;
mod imports;
mod registers;
mod structure;

use crate::bundle::{self, Bundle};
use crate::contract::Contract;
use crate::error::{VerifyError, VerifyErrorKind};
use crate::isa::Op;
use crate::limits::Limits;
use crate::modules::ModuleDecl;
use crate::operand::Target;
use sha2::{Digest, Sha256};

/// A function whose code passed every check. Jump targets in `ops` are
/// instruction indices (not byte offsets).
#[derive(Debug)]
pub struct VerifiedFunction {
    pub ops: Box<[Op]>,
    /// Byte offset of each instruction, for source positions.
    pub pcs: Box<[u32]>,
    /// Copied from the function table, so calls need one lookup.
    pub reg_count: u16,
    pub param_count: u16,
    pub has_rest: bool,
}

/// A bundle that passed the verifier. Only [`verify`] constructs it.
#[derive(Debug)]
pub struct VerifiedBundle {
    bundle: Bundle,
    functions: Vec<VerifiedFunction>,
    contract: Contract,
    sha256: [u8; 32],
}

impl VerifiedBundle {
    /// The decoded bundle (tables, source map, raw contract bytes).
    pub fn bundle(&self) -> &Bundle {
        &self.bundle
    }
    /// Verified code, one entry per function.
    pub fn functions(&self) -> &[VerifiedFunction] {
        &self.functions
    }
    /// The parsed contract.
    pub fn contract(&self) -> &Contract {
        &self.contract
    }
    /// SHA-256 of the whole `.zbc` file.
    pub fn sha256(&self) -> [u8; 32] {
        self.sha256
    }
}

/// Per-function decoded code shared by the passes.
pub(crate) struct Code {
    pub ops: Vec<Op>,
    pub pcs: Vec<u32>,
}

impl Code {
    /// Instruction index of byte offset `pc`, if an instruction starts there.
    pub fn index_of(&self, pc: u32) -> Option<usize> {
        self.pcs.binary_search(&pc).ok()
    }
}

/// Decodes and verifies `.zbc` bytes against `limits` and the module table.
pub fn verify(
    bytes: &[u8],
    limits: &Limits,
    modules: &[ModuleDecl],
) -> Result<VerifiedBundle, VerifyError> {
    let bundle = bundle::decode(bytes, limits)
        .map_err(|e| VerifyError::bundle(VerifyErrorKind::Decode(e)))?;
    structure::check(&bundle, limits)?;
    let code = code::check(&bundle)?;
    bounds::check(&bundle, &code)?;
    cfg::check(&bundle, &code)?;
    registers::check(&bundle, &code, limits)?;
    let contract = imports::check(&bundle, modules)?;

    let functions = code
        .into_iter()
        .zip(&bundle.functions)
        .map(|(c, f)| {
            let Code { mut ops, pcs } = c;
            for op in &mut ops {
                op.for_each_target_mut(&mut |t: &mut Target| {
                    // cfg::check proved every target is an instruction start.
                    t.0 = pcs.binary_search(&t.0).map_or(0, |i| i as u32);
                });
            }
            VerifiedFunction {
                ops: ops.into_boxed_slice(),
                pcs: pcs.into_boxed_slice(),
                reg_count: f.reg_count,
                param_count: f.param_count,
                has_rest: f.has_rest,
            }
        })
        .collect();
    let sha256 = Sha256::digest(bytes).into();
    Ok(VerifiedBundle {
        bundle,
        functions,
        contract,
        sha256,
    })
}
