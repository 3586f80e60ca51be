//! Run-time faults. A trap ends the current request (500/503) and never the worker.

use std::fmt;

/// Stable trap kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrapKind {
    /// A JS type error: property of undefined, calling a non-function, ...
    TypeError,
    /// A JS range error: bad argument range, invalid array length, ...
    RangeError,
    /// Writing to a frozen module-level value.
    FrozenWrite,
    /// The call-depth limit.
    CallDepth,
    /// The per-request instruction budget or deadline.
    Deadline,
    /// The request arena grew past its byte cap.
    ArenaCap,
    /// A capability the policy does not grant.
    PolicyDenied,
    /// A feature that is declared but not built yet.
    NotImplemented,
    /// A broken internal invariant (a bug in the compiler or VM, never in the program).
    Internal,
}

impl TrapKind {
    /// Name used in logs.
    pub fn name(self) -> &'static str {
        match self {
            TrapKind::TypeError => "TypeError",
            TrapKind::RangeError => "RangeError",
            TrapKind::FrozenWrite => "FrozenWrite",
            TrapKind::CallDepth => "CallDepthExceeded",
            TrapKind::Deadline => "DeadlineExceeded",
            TrapKind::ArenaCap => "ArenaLimitExceeded",
            TrapKind::PolicyDenied => "PolicyDenied",
            TrapKind::NotImplemented => "NotImplemented",
            TrapKind::Internal => "InternalError",
        }
    }

    /// Whether the fault is a resource limit (answered with 503) rather than a
    /// program error (500).
    pub fn is_limit(self) -> bool {
        matches!(
            self,
            TrapKind::CallDepth | TrapKind::Deadline | TrapKind::ArenaCap
        )
    }
}

/// Where a trap happened, resolved through the source map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrapLocation {
    pub file: String,
    pub line: u32,
    pub col: u32,
}

/// A run-time fault: a pointer to its [`TrapData`] (fields read through it).
///
/// Boxed so that `Result<Value, Trap>`, what nearly every VM function
/// returns, is as small as a `Value` (the error uses a spare tag of the
/// value): the successful path then moves 24 bytes instead of about 70.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trap(Box<TrapData>);

/// What a [`Trap`] says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrapData {
    pub kind: TrapKind,
    pub message: String,
    pub location: Option<TrapLocation>,
}

impl std::ops::Deref for Trap {
    type Target = TrapData;
    fn deref(&self) -> &TrapData {
        &self.0
    }
}

impl std::ops::DerefMut for Trap {
    fn deref_mut(&mut self) -> &mut TrapData {
        &mut self.0
    }
}

impl Trap {
    #[cold]
    pub fn new(kind: TrapKind, message: impl Into<String>) -> Trap {
        Trap(Box::new(TrapData {
            kind,
            message: message.into(),
            location: None,
        }))
    }
    #[cold]
    pub fn type_error(message: impl Into<String>) -> Trap {
        Trap::new(TrapKind::TypeError, message)
    }
    #[cold]
    pub fn range_error(message: impl Into<String>) -> Trap {
        Trap::new(TrapKind::RangeError, message)
    }
}

impl fmt::Display for Trap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.name(), self.message)?;
        if let Some(loc) = &self.location {
            write!(f, " (at {}:{}:{})", loc.file, loc.line, loc.col)?;
        }
        Ok(())
    }
}

impl std::error::Error for Trap {}
