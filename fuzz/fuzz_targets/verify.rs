//! Raw bytes -> decode -> verify -> (if accepted) load and run one request,
//! under tight limits. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::Arc;
use std::time::{Duration, Instant};
use zigts_vm::{ExecLimits, Host, Instance, RequestParts};

struct Quiet;
impl Host for Quiet {
    fn console(&mut self, _: bool, _: &str) {}
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

fuzz_target!(|data: &[u8]| {
    let limits = zigts_verifier::Limits::default();
    let Ok(program) = zigts_verifier::verify(data, &limits, zigts_vm::modules::TABLE) else { return };
    let exec = || ExecLimits { deadline: Some(Instant::now() + Duration::from_millis(50)), arena_cap: 4 << 20, ..ExecLimits::default() };
    let Ok(instance) = Instance::load(Arc::new(program), &mut Quiet, exec()) else { return };
    let arena = bumpalo::Bump::new();
    let parts = RequestParts { method: "GET", target: "/x?a=1", headers: &[], body: None };
    let _ = instance.handle(&arena, &parts, &mut Quiet, exec());
});
