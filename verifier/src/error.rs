//! Verifier errors: where (function, pc) and a stable kind.

use crate::bundle::DecodeError;
use crate::capability::Capability;
use std::fmt;

/// A rejection by the verifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyError {
    /// Function index, when the fault is inside a function.
    pub func: Option<u32>,
    /// Byte offset of the faulting instruction inside the function.
    pub pc: Option<u32>,
    pub kind: VerifyErrorKind,
}

/// Stable rejection kinds; [`VerifyErrorKind::code`] names each one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VerifyErrorKind {
    Decode(DecodeError),
    LimitExceeded {
        what: &'static str,
        limit: usize,
    },
    NoInitializer,
    BadParent {
        parent: Option<u32>,
    },
    NestingTooDeep {
        depth: usize,
    },
    ParamsExceedRegisters {
        params: u32,
        regs: u16,
    },
    UnknownOpcode(u8),
    TruncatedInstruction,
    FallsOffEnd,
    RegisterOutOfBounds {
        reg: u32,
        count: u16,
    },
    IndexOutOfBounds {
        what: &'static str,
        index: u32,
        len: usize,
    },
    ConstantKindMismatch {
        index: u32,
        expected: &'static str,
    },
    JumpOutOfBounds {
        target: u32,
    },
    JumpNotOnBoundary {
        target: u32,
    },
    ReadBeforeWrite {
        reg: u16,
    },
    ArityMismatch {
        callee: u32,
        expected: u32,
        got: u32,
    },
    DirectCallToClosure {
        callee: u32,
    },
    ClosureOutsideParent {
        callee: u32,
    },
    StoreGlobalOutsideInitializer,
    InvalidCapture {
        index: usize,
    },
    UnknownModule {
        specifier: String,
    },
    UnknownExport {
        specifier: String,
        export: String,
    },
    CapabilityNotDeclared {
        specifier: String,
        capability: Capability,
    },
    InvalidContract(String),
    CapabilityHashMismatch,
    InvalidSourceMap,
}

impl VerifyErrorKind {
    /// A stable, machine-readable name for the kind.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyErrorKind::Decode(_) => "DECODE",
            VerifyErrorKind::LimitExceeded { .. } => "LIMIT_EXCEEDED",
            VerifyErrorKind::NoInitializer => "NO_INITIALIZER",
            VerifyErrorKind::BadParent { .. } => "BAD_PARENT",
            VerifyErrorKind::NestingTooDeep { .. } => "NESTING_TOO_DEEP",
            VerifyErrorKind::ParamsExceedRegisters { .. } => "PARAMS_EXCEED_REGISTERS",
            VerifyErrorKind::UnknownOpcode(_) => "UNKNOWN_OPCODE",
            VerifyErrorKind::TruncatedInstruction => "TRUNCATED_INSTRUCTION",
            VerifyErrorKind::FallsOffEnd => "FALLS_OFF_END",
            VerifyErrorKind::RegisterOutOfBounds { .. } => "REGISTER_OUT_OF_BOUNDS",
            VerifyErrorKind::IndexOutOfBounds { .. } => "INDEX_OUT_OF_BOUNDS",
            VerifyErrorKind::ConstantKindMismatch { .. } => "CONSTANT_KIND_MISMATCH",
            VerifyErrorKind::JumpOutOfBounds { .. } => "JUMP_OUT_OF_BOUNDS",
            VerifyErrorKind::JumpNotOnBoundary { .. } => "JUMP_NOT_ON_BOUNDARY",
            VerifyErrorKind::ReadBeforeWrite { .. } => "READ_BEFORE_WRITE",
            VerifyErrorKind::ArityMismatch { .. } => "ARITY_MISMATCH",
            VerifyErrorKind::DirectCallToClosure { .. } => "DIRECT_CALL_TO_CLOSURE",
            VerifyErrorKind::ClosureOutsideParent { .. } => "CLOSURE_OUTSIDE_PARENT",
            VerifyErrorKind::StoreGlobalOutsideInitializer => "STORE_GLOBAL_OUTSIDE_INITIALIZER",
            VerifyErrorKind::InvalidCapture { .. } => "INVALID_CAPTURE",
            VerifyErrorKind::UnknownModule { .. } => "UNKNOWN_MODULE",
            VerifyErrorKind::UnknownExport { .. } => "UNKNOWN_EXPORT",
            VerifyErrorKind::CapabilityNotDeclared { .. } => "CAPABILITY_NOT_DECLARED",
            VerifyErrorKind::InvalidContract(_) => "INVALID_CONTRACT",
            VerifyErrorKind::CapabilityHashMismatch => "CAPABILITY_HASH_MISMATCH",
            VerifyErrorKind::InvalidSourceMap => "INVALID_SOURCE_MAP",
        }
    }
}

impl fmt::Display for VerifyErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyErrorKind::Decode(e) => write!(f, "{e}"),
            VerifyErrorKind::LimitExceeded { what, limit } => {
                write!(f, "too many {what} (limit {limit})")
            }
            VerifyErrorKind::NoInitializer => write!(f, "bundle has no module initializer"),
            VerifyErrorKind::BadParent { parent } => match parent {
                Some(p) => write!(f, "parent function {p} is not an earlier function"),
                None => write!(f, "only the module initializer may have no parent"),
            },
            VerifyErrorKind::NestingTooDeep { depth } => {
                write!(f, "functions nested {depth} deep")
            }
            VerifyErrorKind::ParamsExceedRegisters { params, regs } => {
                write!(f, "{params} parameter registers but only {regs} registers")
            }
            VerifyErrorKind::UnknownOpcode(b) => write!(f, "unknown opcode {b:#04x}"),
            VerifyErrorKind::TruncatedInstruction => {
                write!(f, "instruction extends past the end of the code")
            }
            VerifyErrorKind::FallsOffEnd => {
                write!(f, "execution can run past the end of the function")
            }
            VerifyErrorKind::RegisterOutOfBounds { reg, count } => {
                write!(f, "register r{reg} out of bounds (function has {count})")
            }
            VerifyErrorKind::IndexOutOfBounds { what, index, len } => {
                write!(f, "{what} index {index} out of bounds (table has {len})")
            }
            VerifyErrorKind::ConstantKindMismatch { index, expected } => {
                write!(f, "constant {index} is not a {expected}")
            }
            VerifyErrorKind::JumpOutOfBounds { target } => {
                write!(f, "jump target {target} is outside the function")
            }
            VerifyErrorKind::JumpNotOnBoundary { target } => {
                write!(f, "jump target {target} is not on an instruction boundary")
            }
            VerifyErrorKind::ReadBeforeWrite { reg } => {
                write!(f, "register r{reg} may be read before it is written")
            }
            VerifyErrorKind::ArityMismatch {
                callee,
                expected,
                got,
            } => write!(
                f,
                "direct call to function {callee} passes {got} arguments, it declares {expected}"
            ),
            VerifyErrorKind::DirectCallToClosure { callee } => write!(
                f,
                "direct call to function {callee}, which captures cells or takes a rest parameter"
            ),
            VerifyErrorKind::ClosureOutsideParent { callee } => {
                write!(f, "closure of function {callee} made outside its parent")
            }
            VerifyErrorKind::StoreGlobalOutsideInitializer => {
                write!(f, "module binding written outside the module initializer")
            }
            VerifyErrorKind::InvalidCapture { index } => {
                write!(
                    f,
                    "capture {index} does not name a register or cell of the parent"
                )
            }
            VerifyErrorKind::UnknownModule { specifier } => {
                write!(f, "import from unknown module '{specifier}'")
            }
            VerifyErrorKind::UnknownExport { specifier, export } => {
                write!(f, "module '{specifier}' has no export '{export}'")
            }
            VerifyErrorKind::CapabilityNotDeclared {
                specifier,
                capability,
            } => write!(
                f,
                "module '{specifier}' needs capability '{capability}', which the contract does not declare"
            ),
            VerifyErrorKind::InvalidContract(e) => write!(f, "contract section is invalid: {e}"),
            VerifyErrorKind::CapabilityHashMismatch => {
                write!(f, "contract capabilityHash does not match its capabilities")
            }
            VerifyErrorKind::InvalidSourceMap => write!(f, "source map is malformed"),
        }
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "verify error [{}]", self.kind.code())?;
        if let Some(func) = self.func {
            write!(f, " in function {func}")?;
        }
        if let Some(pc) = self.pc {
            write!(f, " at pc {pc}")?;
        }
        write!(f, ": {}", self.kind)
    }
}

impl std::error::Error for VerifyError {}

impl VerifyError {
    #[cold]
    pub(crate) fn bundle(kind: VerifyErrorKind) -> Self {
        VerifyError {
            func: None,
            pc: None,
            kind,
        }
    }
    #[cold]
    pub(crate) fn func(func: usize, kind: VerifyErrorKind) -> Self {
        VerifyError {
            func: Some(func as u32),
            pc: None,
            kind,
        }
    }
    #[cold]
    pub(crate) fn at(func: usize, pc: u32, kind: VerifyErrorKind) -> Self {
        VerifyError {
            func: Some(func as u32),
            pc: Some(pc),
            kind,
        }
    }
}
