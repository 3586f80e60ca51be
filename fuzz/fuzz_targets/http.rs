//! Bytes -> the sans-IO HTTP request decoder. Nothing may panic, and:
//! - the input decodes the same whole as fed in growing prefixes to one
//!   resumable decoder (the decoder's documented invariant);
//! - a complete request stays inside the buffer, and a chunked body
//!   de-chunks to the length the decoder announced;
//! - pipelined requests are decoded one after another to the end of input.
//!
//! Each input runs under the default limits and under small ones, so short
//! inputs also reach the 414/431/413 paths.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zigttp::core::http::{
    BodyKind, Decoded, HttpError, Limits, MAX_HEADERS_CAP, RequestDecoder, decode_request,
};

/// What one decoding step produced, owned, so results can be compared.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Partial,
    Error(HttpError),
    Complete {
        head: String,
        headers: Vec<(String, Vec<u8>)>,
        body: Vec<u8>,
        consumed: usize,
    },
}

fn summarize(
    result: Result<Decoded<'_>, HttpError>,
    buf: &[u8],
    headers: &[httparse::Header<'_>],
) -> Outcome {
    match result {
        Ok(Decoded::Partial) => Outcome::Partial,
        Err(e) => Outcome::Error(e),
        Ok(Decoded::Complete(head)) => {
            assert!(head.head_len <= head.consumed && head.consumed <= buf.len());
            assert!(head.header_count <= headers.len());
            let mut scratch = Vec::new();
            let body = head.body_bytes(buf, &mut scratch).to_vec();
            match head.body {
                BodyKind::None => assert!(body.is_empty()),
                BodyKind::Length { start, len } => {
                    assert!(start == head.head_len && start + len == head.consumed);
                }
                BodyKind::Chunked { start, end, len } => {
                    assert!(start == head.head_len && end == head.consumed);
                    assert_eq!(body.len(), len, "dechunked length");
                }
            }
            Outcome::Complete {
                head: format!("{head:?}"),
                headers: headers[..head.header_count]
                    .iter()
                    .map(|h| (h.name.to_owned(), h.value.to_vec()))
                    .collect(),
                body,
                consumed: head.consumed,
            }
        }
    }
}

fn whole(buf: &[u8], limits: &Limits) -> Outcome {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS_CAP];
    let result = decode_request(buf, limits, &mut headers);
    summarize(result, buf, &headers)
}

/// Growing prefixes ending at `cuts` (sorted), then the whole buffer; the
/// first non-partial result wins.
fn fed(buf: &[u8], limits: &Limits, cuts: impl Iterator<Item = usize>) -> Outcome {
    let mut decoder = RequestDecoder::new();
    for end in cuts.filter(|&c| c > 0 && c < buf.len()).chain([buf.len()]) {
        let prefix = &buf[..end];
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS_CAP];
        let result = decoder.decode(prefix, limits, &mut headers);
        let outcome = summarize(result, prefix, &headers);
        if outcome != Outcome::Partial {
            return outcome;
        }
    }
    Outcome::Partial
}

fn small_limits() -> Limits {
    Limits {
        max_head_bytes: 200,
        max_headers: 5,
        max_url_len: 24,
        max_body_bytes: 120,
        ..Limits::default()
    }
}

fn check(data: &[u8], limits: &Limits) {
    let mut rest = data;
    // Every complete request consumes at least its request line, so this ends.
    loop {
        let expected = whole(rest, limits);
        // Byte by byte for short inputs, else eighths.
        let split = if rest.len() <= 256 {
            fed(rest, limits, 1..rest.len())
        } else {
            let step = rest.len() / 8;
            fed(rest, limits, (1..8).map(|i| i * step))
        };
        assert_eq!(
            expected,
            split,
            "whole vs split for {:?}",
            String::from_utf8_lossy(rest)
        );
        match expected {
            Outcome::Complete { consumed, .. } if consumed < rest.len() => {
                assert!(consumed > 0);
                rest = &rest[consumed..];
            }
            _ => break,
        }
    }
}

fuzz_target!(|data: &[u8]| {
    check(data, &Limits::default());
    check(data, &small_limits());
});
