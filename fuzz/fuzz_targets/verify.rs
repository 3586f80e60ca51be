//! Raw bytes -> decode -> verify -> (if accepted) disassemble, load and run
//! two requests, under tight limits. Nothing may panic.
//!
//! Almost every mutation of a bundle breaks its trailing SHA-256, which would
//! stop the fuzzer at the hash check. So the input is checked twice: as it
//! is (a wrong hash must be rejected), and with the last 32 bytes replaced
//! by the right hash, which lets mutations reach every later rule.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::Arc;
use std::time::{Duration, Instant};
use zigts_verifier::bundle::{HASH_LEN, seal};
use zigts_vm::{ExecLimits, Instance, QuietHost, RequestParts};

fn exec() -> ExecLimits {
    ExecLimits {
        deadline: Some(Instant::now() + Duration::from_millis(50)),
        arena_cap: 4 << 20,
        ..ExecLimits::default()
    }
}

fn run(bytes: &[u8]) {
    let limits = zigts_verifier::Limits::default();
    let Ok(program) = zigts_verifier::verify(bytes, &limits, zigts_vm::modules::TABLE) else {
        return;
    };
    let _ = zigts_verifier::disasm::disassemble(program.bundle());
    let Ok(instance) = Instance::load(Arc::new(program), &mut QuietHost, exec()) else {
        return;
    };
    let requests = [
        RequestParts {
            method: "GET",
            target: "/x?a=1&b=%20",
            headers: &[("host", b"a"), ("accept", b"*/*")],
            body: None,
        },
        RequestParts {
            method: "POST",
            target: "/api/items",
            headers: &[("content-type", b"application/json")],
            body: Some(br#"{"name":"x","n":[1,2.5,null]}"#),
        },
    ];
    for parts in &requests {
        let arena = bumpalo::Bump::new();
        let _ = instance.handle(&arena, parts, &mut QuietHost, exec());
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < HASH_LEN {
        run(data);
        return;
    }
    let mut sealed = data[..data.len() - HASH_LEN].to_vec();
    seal(&mut sealed);
    if sealed != data {
        // The hash is wrong: nothing after it may be trusted.
        let limits = zigts_verifier::Limits::default();
        assert!(zigts_verifier::verify(data, &limits, zigts_vm::modules::TABLE).is_err());
    }
    run(&sealed);
});
