//! Bytes -> the sans-IO HTTP request decoder. Nothing may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zigttp::core::http::{Limits, decode_request};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let _ = decode_request(data, &limits, &mut headers);
});
