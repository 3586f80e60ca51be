//! Bytes (as lossy UTF-8) -> the whole compiler. Nothing may panic, and
//! whatever compiles must verify (compile() checks that itself).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = zigts_compiler::compile("fuzz.ts", &text);
});
