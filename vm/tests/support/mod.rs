//! Shared by the VM's integration tests: run a program's module code and
//! collect what it logs.

use std::sync::Arc;
use zigts_vm::{ExecLimits, Host, Instance, LoadError};

pub struct Lines(pub Vec<String>);
impl Host for Lines {
    fn console(&mut self, _: bool, line: &str) {
        self.0.push(line.to_owned());
    }
    fn now_ms(&mut self) -> f64 {
        0.0
    }
    fn monotonic_ms(&mut self) -> f64 {
        0.0
    }
    fn random(&mut self) -> f64 {
        0.5
    }
}

pub fn limits() -> ExecLimits {
    ExecLimits {
        arena_cap: 256 << 20,
        ..ExecLimits::default()
    }
}

/// Runs `source`'s module code; returns its console lines or the load error.
pub fn run(name: &str, source: &str) -> Result<Vec<String>, String> {
    let program =
        zigts_compiler::compile(name, source).unwrap_or_else(|e| panic!("{}", e.render()));
    let program = zigts_verifier::verify(
        &program.bytes,
        &zigts_verifier::Limits::default(),
        zigts_vm::modules::TABLE,
    )
    .expect("verifies");
    let mut host = Lines(Vec::new());
    match Instance::load(Arc::new(program), &mut host, limits()) {
        Ok(_) => Ok(host.0),
        Err(LoadError::Init(t)) => Err(t.to_string()),
        Err(LoadError::Freeze(e)) => Err(e),
    }
}
