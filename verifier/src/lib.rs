//! zigts-verifier: the bytecode format and the verifier.
//!
//! - [`isa`]: the instruction table ([`for_each_op!`]) and everything derived from it.
//! - [`bundle`]: the `.zbc` container, encoder and decoder.
//! - [`verify()`]: the only way to obtain a [`VerifiedBundle`], which is the
//!   only input the VM accepts.
//! - [`disasm`]: human-readable listing; [`docgen`]: `docs/bytecode.md`.
//!
//! This crate depends on neither the compiler nor the VM, so it can be fuzzed
//! alone.

pub mod builtins;
pub mod bundle;
pub mod capability;
pub mod contract;
pub mod disasm;
pub mod docgen;
pub mod error;
pub mod isa;
pub mod limits;
pub mod modules;
pub mod operand;
mod verify;

pub use bundle::{Bundle, Capture, Constant, Function};
pub use capability::{Capability, capability_hash};
pub use contract::Contract;
pub use error::{VerifyError, VerifyErrorKind};
pub use isa::{Op, OpCode};
pub use limits::Limits;
pub use modules::ModuleDecl;
pub use operand::{
    AtomIdx, BuiltinIdx, ConstIdx, FuncIdx, GlobalIdx, ImportIdx, Reg, RegRange, Role, Target,
    UpvalIdx,
};
pub use verify::{VerifiedBundle, VerifiedFunction, verify};

/// Lowercase hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}
