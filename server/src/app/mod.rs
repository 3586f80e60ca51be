//! The application side of the server: loading handlers (from source or a
//! bundle), running one request through the VM, and turning traps into
//! error responses. Used by `serve`, `run`, `test` and `exec`.

pub mod reserved;
pub mod service;

use std::sync::Arc;
use zigts_verifier::{Limits, VerifiedBundle};
use zigts_vm::{ExecLimits, Host, Instance, Trap, TrapKind};

/// Where a handler comes from, for messages.
#[derive(Clone, Debug)]
pub struct Origin {
    pub path: String,
}

/// Compiles a source file in memory. The error is the rendered diagnostics,
/// colored when stderr (where they are printed) is a terminal.
pub fn compile_source(path: &str, text: &str) -> Result<Vec<u8>, String> {
    zigts_compiler::compile(path, text)
        .map(|c| c.bytes)
        .map_err(|e| e.render_styled(zigts_compiler::front::diag::Style::for_stderr()))
}

/// Reads and compiles a handler source file.
pub fn compile_file(path: &str) -> Result<Vec<u8>, String> {
    let text = read_text(path)?;
    compile_source(path, &text)
}

/// Reads a UTF-8 text file with a clear error.
pub fn read_text(path: &str) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    String::from_utf8(bytes).map_err(|_| format!("{path} is not valid UTF-8 text"))
}

/// Verifies bundle bytes against the module table.
pub fn verify_bundle(bytes: &[u8]) -> Result<Arc<VerifiedBundle>, String> {
    zigts_verifier::verify(bytes, &Limits::default(), zigts_vm::modules::TABLE)
        .map(Arc::new)
        .map_err(|e| format!("bundle rejected: {e}"))
}

/// Whether a path names handler source (compiled in memory) rather than a bundle.
pub fn is_source_path(path: &str) -> bool {
    [".ts", ".tsx", ".js", ".jsx"]
        .iter()
        .any(|ext| path.ends_with(ext))
}

/// Compiles (a `.ts`/`.tsx` path) or reads and verifies (anything else) a handler.
pub fn load_program(path: &str) -> Result<Arc<VerifiedBundle>, String> {
    let bytes = if is_source_path(path) {
        compile_file(path)?
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))?
    };
    verify_bundle(&bytes)
}

/// Runs the module initializer and freezes the image.
pub fn instantiate(
    program: &Arc<VerifiedBundle>,
    host: &mut dyn Host,
    limits: ExecLimits,
) -> Result<Instance, String> {
    Instance::load(Arc::clone(program), host, limits).map_err(|e| e.to_string())
}

/// How a trap is shown to the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorDetail {
    /// Development (`serve`, `test`): the message and `file:line:col` in the body.
    Show,
    /// Production (`run`): a generic body; the detail goes to the log only.
    Hide,
}

/// Status and body for a request that ended in a trap: 503 for resource
/// limits, 500 for program faults.
pub fn trap_response(trap: &Trap, detail: ErrorDetail) -> (u16, String) {
    let status = if trap.kind.is_limit() { 503 } else { 500 };
    let body = match detail {
        ErrorDetail::Show => format!("{trap}\n"),
        ErrorDetail::Hide => {
            if status == 503 {
                "Service Unavailable\n".to_string()
            } else {
                "Internal Server Error\n".to_string()
            }
        }
    };
    (status, body)
}

/// One log line for a trap, naming the limit or fault.
pub fn trap_log_line(trap: &Trap) -> String {
    match trap.kind {
        TrapKind::CallDepth | TrapKind::Deadline | TrapKind::ArenaCap => {
            format!(
                "request aborted: limit {} reached: {trap}",
                trap.kind.name()
            )
        }
        _ => format!("handler error: {trap}"),
    }
}

/// [`instantiate`] with explicit shared module state (policy, cache, ...).
pub fn instantiate_with(
    program: &Arc<VerifiedBundle>,
    services: &Arc<zigts_vm::Services>,
    host: &mut dyn Host,
    limits: ExecLimits,
) -> Result<Instance, String> {
    Instance::load_with(Arc::clone(program), Arc::clone(services), host, limits)
        .map_err(|e| e.to_string())
}

/// The policy in force: the operator's file, which must grant everything the
/// contract needs (every excess is named in the error), or, without one, the
/// least policy the contract needs.
pub fn resolve_policy(
    path: Option<&str>,
    contract: &zigts_verifier::Contract,
) -> Result<zigts_vm::Policy, String> {
    let Some(path) = path else {
        return Ok(zigts_vm::Policy::from_contract(contract));
    };
    check_policy(path, &read_text(path)?, contract).map_err(|e| format!("refusing to start: {e}"))
}

/// Parses policy text (named `label` in messages) and refuses it when the
/// contract needs more than it grants (every excess is named).
pub fn check_policy(
    label: &str,
    text: &str,
    contract: &zigts_verifier::Contract,
) -> Result<zigts_vm::Policy, String> {
    let policy = zigts_vm::Policy::from_json(text).map_err(|e| format!("{label}: {e}"))?;
    let excesses = policy.excesses(contract);
    if excesses.is_empty() {
        Ok(policy)
    } else {
        Err(format!(
            "the handler needs more than {label} grants:\n  {}",
            excesses.join("\n  ")
        ))
    }
}

/// How long an instance is reused (DESIGN section 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reuse {
    /// The contract proves pure + deterministic + state_isolated.
    Unbounded,
    /// Rebuilt from the verified bundle every this many requests.
    Every(u32),
}

impl Reuse {
    /// The reuse policy for a contract, rebuilding every `every` requests
    /// unless the contract proves the handler cannot carry state.
    pub fn for_contract(contract: &zigts_verifier::Contract, every: u32) -> Reuse {
        let p = &contract.properties;
        if p.pure && p.deterministic && p.state_isolated {
            Reuse::Unbounded
        } else {
            Reuse::Every(every.max(1))
        }
    }

    pub fn describe(self) -> String {
        match self {
            Reuse::Unbounded => "reused without bound (pure, deterministic, state-isolated)".into(),
            Reuse::Every(n) => format!("rebuilt every {n} requests per worker"),
        }
    }
}
