//! The sans-IO request decoder: split-feeding equivalence, one `hrs_*` test
//! per request-smuggling rule, the limits, and "random bytes never panic".

use proptest::prelude::*;
use zigttp::core::http::{
    BodyKind, Decoded, HttpError, Limits, MAX_HEADERS_CAP, RequestDecoder, decode_request,
};

/// An owned summary of one decoding result, comparable across feedings.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    Partial,
    Complete {
        method: String,
        target: String,
        minor_version: u8,
        headers: Vec<(String, Vec<u8>)>,
        body: Vec<u8>,
        chunked: bool,
        consumed: usize,
        keep_alive: bool,
        expect_continue: bool,
    },
    Error(HttpError),
}

impl Outcome {
    fn status(&self) -> Option<u16> {
        match self {
            Self::Error(e) => Some(e.status()),
            _ => None,
        }
    }

    fn body(&self) -> &[u8] {
        match self {
            Self::Complete { body, .. } => body,
            other => panic!("not complete: {other:?}"),
        }
    }
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
            let mut scratch = Vec::new();
            let body = head.body_bytes(buf, &mut scratch).to_vec();
            Outcome::Complete {
                method: head.method.to_owned(),
                target: head.target.to_owned(),
                minor_version: head.minor_version,
                headers: headers[..head.header_count]
                    .iter()
                    .map(|h| (h.name.to_owned(), h.value.to_vec()))
                    .collect(),
                body,
                chunked: matches!(head.body, BodyKind::Chunked { .. }),
                consumed: head.consumed,
                keep_alive: head.keep_alive,
                expect_continue: head.expect_continue,
            }
        }
    }
}

fn whole(buf: &[u8], limits: &Limits) -> Outcome {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS_CAP];
    let result = decode_request(buf, limits, &mut headers);
    summarize(result, buf, &headers)
}

/// Feeds growing prefixes (ending at each of `cuts`, then the whole buffer)
/// to one resumable decoder, as a connection does; the first non-partial
/// result wins.
fn fed(buf: &[u8], limits: &Limits, cuts: &[usize]) -> Outcome {
    let mut decoder = RequestDecoder::new();
    let mut ends: Vec<usize> = cuts
        .iter()
        .copied()
        .filter(|&c| c > 0 && c < buf.len())
        .collect();
    ends.sort_unstable();
    ends.push(buf.len());
    for end in ends {
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

fn byte_by_byte(buf: &[u8], limits: &Limits) -> Outcome {
    let cuts: Vec<usize> = (1..buf.len()).collect();
    fed(buf, limits, &cuts)
}

/// Byte by byte for small inputs. Multi-KiB inputs (the limit tests) are fed
/// in 61-byte steps and then byte by byte over their last 64 bytes: feeding
/// 16 KiB one byte at a time re-parses a growing head 16 000 times, seconds
/// in a debug build, and the properties below already cover byte-by-byte
/// feeding on small inputs.
fn finely_split(buf: &[u8], limits: &Limits) -> Outcome {
    if buf.len() <= 2048 {
        return byte_by_byte(buf, limits);
    }
    let tail = buf.len() - 64;
    let cuts: Vec<usize> = (1..tail).step_by(61).chain(tail..buf.len()).collect();
    fed(buf, limits, &cuts)
}

/// Decodes whole and split finely, asserts both agree, returns the result.
fn decode(buf: &[u8]) -> Outcome {
    decode_with(buf, &Limits::default())
}

fn decode_with(buf: &[u8], limits: &Limits) -> Outcome {
    let a = whole(buf, limits);
    let b = finely_split(buf, limits);
    assert_eq!(
        a,
        b,
        "whole vs split for {:?}",
        String::from_utf8_lossy(buf)
    );
    a
}

fn status(buf: &[u8]) -> Option<u16> {
    decode(buf).status()
}

// ---------------------------------------------------------------- basics ---

#[test]
fn simple_get() {
    let buf = b"GET /a?b=1 HTTP/1.1\r\nHost: x\r\nX-Y:  z \r\n\r\n";
    let Outcome::Complete {
        method,
        target,
        minor_version,
        headers,
        body,
        consumed,
        keep_alive,
        ..
    } = decode(buf)
    else {
        panic!()
    };
    assert_eq!(
        (method.as_str(), target.as_str(), minor_version),
        ("GET", "/a?b=1", 1)
    );
    assert_eq!(
        headers,
        [
            ("Host".into(), b"x".to_vec()),
            ("X-Y".into(), b"z".to_vec())
        ]
    );
    assert!(body.is_empty());
    assert_eq!(consumed, buf.len());
    assert!(keep_alive);
}

#[test]
fn partial_until_the_end_of_the_head() {
    let buf = b"POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";
    for end in 0..buf.len() {
        assert_eq!(
            whole(&buf[..end], &Limits::default()),
            Outcome::Partial,
            "prefix {end}"
        );
    }
    assert_eq!(decode(buf).body(), b"hello");
}

#[test]
fn pipelined_requests_are_consumed_one_at_a_time() {
    let buf = b"GET /1 HTTP/1.1\r\n\r\nPOST /2 HTTP/1.1\r\nContent-Length: 2\r\n\r\nhiGET /3 HTTP/1.1\r\n\r\n";
    let mut at = 0;
    let mut targets = Vec::new();
    while at < buf.len() {
        let Outcome::Complete {
            target,
            consumed,
            body,
            ..
        } = whole(&buf[at..], &Limits::default())
        else {
            panic!()
        };
        targets.push((target, body));
        at += consumed;
    }
    assert_eq!(
        targets,
        [
            ("/1".into(), vec![]),
            ("/2".into(), b"hi".to_vec()),
            ("/3".into(), vec![])
        ]
    );
}

#[test]
fn keep_alive_semantics() {
    let ka = |buf: &[u8]| match decode(buf) {
        Outcome::Complete { keep_alive, .. } => keep_alive,
        other => panic!("{other:?}"),
    };
    assert!(ka(b"GET / HTTP/1.1\r\n\r\n"));
    assert!(!ka(b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n"));
    assert!(!ka(b"GET / HTTP/1.1\r\nConnection: Upgrade, CLOSE\r\n\r\n"));
    assert!(!ka(b"GET / HTTP/1.0\r\n\r\n"));
    assert!(ka(b"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"));
    assert!(!ka(
        b"GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n"
    ));
}

#[test]
fn leading_empty_lines_are_skipped() {
    let buf = b"\r\n\r\nGET / HTTP/1.1\r\n\r\n";
    assert!(matches!(decode(buf), Outcome::Complete { consumed, .. } if consumed == buf.len()));
}

#[test]
fn content_length_zero_and_leading_zeros() {
    assert_eq!(
        decode(b"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").body(),
        b""
    );
    assert_eq!(
        decode(b"POST / HTTP/1.1\r\nContent-Length: 003\r\n\r\nabc").body(),
        b"abc"
    );
}

#[test]
fn chunked_body_with_extensions_and_trailers() {
    let buf = b"POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n\
                5;name=value\r\nhello\r\n1 ; x\r\n \r\nA\r\n0123456789\r\n0\r\nX-T: 1\r\nY: 2\r\n\r\nNEXT";
    let outcome = decode(buf);
    let Outcome::Complete {
        body,
        chunked,
        consumed,
        ..
    } = &outcome
    else {
        panic!("{outcome:?}")
    };
    assert!(chunked);
    assert_eq!(body, b"hello 0123456789");
    assert_eq!(&buf[*consumed..], b"NEXT");
}

#[test]
fn expect_continue_is_reported_while_the_body_is_missing() {
    let head = b"PUT /u HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n";
    let mut decoder = RequestDecoder::new();
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS_CAP];
    assert_eq!(
        decoder.decode(head, &Limits::default(), &mut headers),
        Ok(Decoded::Partial)
    );
    assert!(decoder.needs_continue());
    decoder.mark_continue_sent();
    assert!(!decoder.needs_continue());
    let mut full = head.to_vec();
    full.extend_from_slice(b"abc");
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS_CAP];
    let Ok(Decoded::Complete(h)) = decoder.decode(&full, &Limits::default(), &mut headers) else {
        panic!()
    };
    assert!(h.expect_continue);
    assert_eq!(headers[0].name, "Expect");
    // No 100-continue for HTTP/1.0 or for a request without a body.
    assert!(matches!(
        decode(b"PUT / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx"),
        Outcome::Complete {
            expect_continue: false,
            ..
        }
    ));
    assert!(matches!(
        decode(b"GET / HTTP/1.1\r\nExpect: 100-continue\r\n\r\n"),
        Outcome::Complete {
            expect_continue: false,
            ..
        }
    ));
}

#[test]
fn request_targets() {
    assert_eq!(status(b"OPTIONS * HTTP/1.1\r\n\r\n"), None);
    assert_eq!(status(b"GET http://a.example/x HTTP/1.1\r\n\r\n"), None);
    assert_eq!(status(b"GET * HTTP/1.1\r\n\r\n"), Some(400));
    assert_eq!(status(b"GET a/b HTTP/1.1\r\n\r\n"), Some(400));
    assert_eq!(status(b"CONNECT a.example:443 HTTP/1.1\r\n\r\n"), Some(400));
}

#[test]
fn garbage_is_400() {
    assert_eq!(
        status(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"),
        Some(400)
    );
    assert_eq!(status(b"hello world\r\n\r\n"), Some(400));
    assert_eq!(status(b"GET  / HTTP/1.1\r\n\r\n"), Some(400));
}

// ------------------------------------------------- request smuggling (hrs) ---

#[test]
fn hrs_duplicate_content_length_equal() {
    let buf = b"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc";
    assert_eq!(
        decode(buf),
        Outcome::Error(HttpError::Smuggling("duplicate Content-Length"))
    );
}

#[test]
fn hrs_duplicate_content_length_different() {
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nContent-Length: 3\r\ncontent-length: 4\r\n\r\nabcd"),
        Some(400)
    );
}

#[test]
fn hrs_content_length_with_sign() {
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\nabc"),
        Some(400)
    );
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nContent-Length: -3\r\n\r\nabc"),
        Some(400)
    );
}

#[test]
fn hrs_content_length_with_inner_space() {
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nContent-Length: 1 0\r\n\r\n0123456789"),
        Some(400)
    );
}

#[test]
fn hrs_content_length_empty() {
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nContent-Length:\r\n\r\n"),
        Some(400)
    );
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nContent-Length:   \r\n\r\n"),
        Some(400)
    );
}

#[test]
fn hrs_content_length_list() {
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\nabc"),
        Some(400)
    );
}

#[test]
fn hrs_content_length_not_decimal() {
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nContent-Length: 0x3\r\n\r\nabc"),
        Some(400)
    );
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nContent-Length: 3.0\r\n\r\nabc"),
        Some(400)
    );
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nContent-Length: \xd9\xa3\r\n\r\nabc"),
        Some(400)
    );
}

#[test]
fn hrs_content_length_huge_is_413() {
    let buf = b"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999999\r\n\r\n";
    assert_eq!(status(buf), Some(413));
}

#[test]
fn hrs_content_length_with_transfer_encoding() {
    let a = b"POST / HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    let b = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n";
    let expected = Outcome::Error(HttpError::Smuggling(
        "Content-Length with Transfer-Encoding",
    ));
    assert_eq!(decode(a), expected);
    assert_eq!(decode(b), expected);
}

#[test]
fn hrs_transfer_encoding_unknown_coding_is_501() {
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"),
        Some(501)
    );
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n"),
        Some(501)
    );
}

#[test]
fn hrs_transfer_encoding_chunked_not_alone() {
    for te in [
        "gzip, chunked",
        "chunked, gzip",
        "chunked, chunked",
        "chunked,",
        "xchunked, chunked",
    ] {
        let buf = format!("POST / HTTP/1.1\r\nTransfer-Encoding: {te}\r\n\r\n0\r\n\r\n");
        assert_eq!(status(buf.as_bytes()), Some(400), "{te}");
    }
    // Not a coding list that mentions chunked: an unknown coding.
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunkedx\r\n\r\n"),
        Some(501)
    );
}

#[test]
fn hrs_transfer_encoding_empty() {
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nTransfer-Encoding: \r\n\r\n"),
        Some(400)
    );
}

#[test]
fn hrs_transfer_encoding_duplicate() {
    let buf = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    assert_eq!(
        decode(buf),
        Outcome::Error(HttpError::Smuggling("duplicate Transfer-Encoding"))
    );
}

#[test]
fn hrs_transfer_encoding_case_insensitive_is_accepted() {
    let buf = b"POST / HTTP/1.1\r\ntransfer-encoding:  cHuNkEd \r\n\r\n2\r\nok\r\n0\r\n\r\n";
    assert_eq!(decode(buf).body(), b"ok");
}

#[test]
fn hrs_transfer_encoding_in_http10() {
    let buf = b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n";
    assert_eq!(status(buf), Some(400));
}

#[test]
fn hrs_obs_fold() {
    assert_eq!(status(b"GET / HTTP/1.1\r\nX-A: a\r\n b\r\n\r\n"), Some(400));
    assert_eq!(
        status(b"GET / HTTP/1.1\r\nX-A: a\r\n\tb\r\n\r\n"),
        Some(400)
    );
    // A folded Transfer-Encoding, the classic shape.
    assert_eq!(
        status(
            b"POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding:\r\n chunked\r\n\r\nabc"
        ),
        Some(400)
    );
}

#[test]
fn hrs_whitespace_before_colon() {
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nContent-Length : 3\r\n\r\nabc"),
        Some(400)
    );
    assert_eq!(
        status(b"POST / HTTP/1.1\r\nTransfer-Encoding\t: chunked\r\n\r\n0\r\n\r\n"),
        Some(400)
    );
}

#[test]
fn hrs_whitespace_before_first_header() {
    assert_eq!(status(b"GET / HTTP/1.1\r\n Host: a\r\n\r\n"), Some(400));
}

#[test]
fn hrs_bare_lf_line_ending() {
    assert_eq!(
        decode(b"GET / HTTP/1.1\nHost: a\r\n\r\n"),
        Outcome::Error(HttpError::Smuggling("bare LF line ending"))
    );
    assert_eq!(status(b"GET / HTTP/1.1\r\nHost: a\n\r\n"), Some(400));
    assert_eq!(status(b"GET / HTTP/1.1\r\nHost: a\r\n\n"), Some(400));
    assert_eq!(status(b"GET / HTTP/1.1\n\n"), Some(400));
}

#[test]
fn hrs_bare_cr() {
    assert_eq!(status(b"GET / HTTP/1.1\r\nX-A: a\rb\r\n\r\n"), Some(400));
    assert_eq!(status(b"GET / HTTP/1.1\rX-A: a\r\n\r\n"), Some(400));
}

#[test]
fn hrs_nul_in_name_or_value() {
    assert_eq!(status(b"GET / HTTP/1.1\r\nX-A: a\0b\r\n\r\n"), Some(400));
    assert_eq!(status(b"GET / HTTP/1.1\r\nX\0A: ab\r\n\r\n"), Some(400));
    assert_eq!(status(b"GET /\0 HTTP/1.1\r\n\r\n"), Some(400));
}

#[test]
fn hrs_control_bytes_in_value() {
    assert_eq!(status(b"GET / HTTP/1.1\r\nX-A: a\x0bb\r\n\r\n"), Some(400));
    assert_eq!(status(b"GET / HTTP/1.1\r\nX-A: a\x7fb\r\n\r\n"), Some(400));
}

#[test]
fn hrs_invalid_method_token() {
    assert_eq!(status(b"GE(T / HTTP/1.1\r\n\r\n"), Some(400));
    assert_eq!(status(b"G\x00ET / HTTP/1.1\r\n\r\n"), Some(400));
    assert_eq!(status(b" GET / HTTP/1.1\r\n\r\n"), Some(400));
    assert_eq!(status(b"GET\t/ HTTP/1.1\r\n\r\n"), Some(400));
}

#[test]
fn hrs_http_version() {
    assert_eq!(status(b"GET / HTTP/2.0\r\n\r\n"), Some(505));
    assert_eq!(status(b"GET / HTTP/1.2\r\n\r\n"), Some(505));
    assert_eq!(status(b"GET / HTTP/0.9\r\n\r\n"), Some(505));
    assert_eq!(status(b"GET / HTTP/3\r\n\r\n"), Some(505));
    assert_eq!(status(b"GET / HTTX/1.1\r\n\r\n"), Some(400));
    assert_eq!(status(b"GET / http/1.1\r\n\r\n"), Some(400));
    assert_eq!(status(b"GET / HTTP/1.1x\r\n\r\n"), Some(400));
    assert_eq!(status(b"GET /\r\n\r\n"), Some(400));
}

#[test]
fn hrs_duplicate_host() {
    assert_eq!(
        status(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
        Some(400)
    );
}

#[test]
fn hrs_chunk_size_malformed() {
    for chunk in [
        "-1\r\n",
        "0x5\r\nhello\r\n",
        " 5\r\nhello\r\n",
        "5 \r\nhello\r\n",
        ";5\r\n",
        "\r\n",
        "g\r\n",
    ] {
        let buf = format!("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n{chunk}0\r\n\r\n");
        assert_eq!(status(buf.as_bytes()), Some(400), "{chunk:?}");
    }
}

#[test]
fn hrs_chunk_size_overflow() {
    let buf = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff1\r\nx\r\n0\r\n\r\n";
    assert_eq!(status(buf), Some(413));
}

#[test]
fn hrs_chunk_data_not_followed_by_crlf() {
    let buf = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n";
    assert_eq!(status(buf), Some(400));
    let buf = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\n0\r\n\r\n";
    assert_eq!(status(buf), Some(400));
}

#[test]
fn hrs_chunk_line_bare_lf_or_cr() {
    let buf = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\nabc\r\n0\r\n\r\n";
    assert_eq!(status(buf), Some(400));
    let buf = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;a\nb\r\nabc\r\n0\r\n\r\n";
    assert_eq!(status(buf), Some(400));
    let buf = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\rXabc\r\n0\r\n\r\n";
    assert_eq!(status(buf), Some(400));
}

#[test]
fn hrs_chunk_trailer_bare_lf() {
    let buf = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: 1\n\r\n";
    assert_eq!(status(buf), Some(400));
}

#[test]
fn hrs_chunk_extension_too_long() {
    let ext = "a".repeat(5000);
    let buf =
        format!("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;{ext}\r\nx\r\n0\r\n\r\n");
    assert_eq!(status(buf.as_bytes()), Some(400));
}

// ---------------------------------------------------------------- limits ---

#[test]
fn limit_head_bytes_431_while_partial() {
    let limits = Limits::default();
    let mut buf2 = b"GET / HTTP/1.1\r\nX-Big: ".to_vec();
    buf2.resize(limits.max_head_bytes, b'a');
    assert_eq!(
        whole(&buf2[..limits.max_head_bytes - 1], &limits),
        Outcome::Partial
    );
    assert_eq!(
        decode_with(&buf2, &limits),
        Outcome::Error(HttpError::HeadTooLarge)
    );
    // Also when the terminator only comes later.
    buf2.extend_from_slice(b"\r\n\r\n");
    assert_eq!(decode_with(&buf2, &limits).status(), Some(431));
}

#[test]
fn limit_head_exactly_at_the_limit_is_accepted() {
    let limits = Limits {
        max_head_bytes: 64,
        ..Limits::default()
    };
    let mut buf = b"GET / HTTP/1.1\r\nX: ".to_vec();
    buf.resize(64 - 4, b'a');
    buf.extend_from_slice(b"\r\n\r\n");
    assert_eq!(buf.len(), 64);
    assert!(matches!(
        decode_with(&buf, &limits),
        Outcome::Complete { .. }
    ));
    buf.insert(20, b'a');
    assert_eq!(decode_with(&buf, &limits).status(), Some(431));
}

#[test]
fn limit_header_count_431() {
    let limits = Limits::default();
    let mut buf = b"GET / HTTP/1.1\r\n".to_vec();
    for i in 0..limits.max_headers {
        buf.extend_from_slice(format!("X-{i}: v\r\n").as_bytes());
    }
    let mut ok = buf.clone();
    ok.extend_from_slice(b"\r\n");
    assert!(matches!(decode(&ok), Outcome::Complete { ref headers, .. } if headers.len() == 64));
    buf.extend_from_slice(b"X-Last: v\r\n");
    // Already refused before the head is complete.
    assert_eq!(decode(&buf), Outcome::Error(HttpError::TooManyHeaders));
    assert_eq!(HttpError::TooManyHeaders.status(), 431);
}

#[test]
fn limit_url_414_while_partial() {
    let limits = Limits::default();
    let mut buf = b"GET /".to_vec();
    buf.resize(4 + limits.max_url_len, b'a');
    assert_eq!(whole(&buf, &limits), Outcome::Partial);
    buf.push(b'a');
    assert_eq!(decode(&buf), Outcome::Error(HttpError::UriTooLong));
    buf.extend_from_slice(b" HTTP/1.1\r\n\r\n");
    assert_eq!(status(&buf), Some(414));
    // Exactly at the limit is fine.
    let mut ok = b"GET /".to_vec();
    ok.resize(4 + limits.max_url_len, b'a');
    ok.extend_from_slice(b" HTTP/1.1\r\n\r\n");
    assert_eq!(status(&ok), None);
}

#[test]
fn limit_body_413_from_content_length() {
    let buf = b"POST / HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n";
    assert_eq!(decode(buf), Outcome::Error(HttpError::BodyTooLarge));
    let at_limit = b"POST / HTTP/1.1\r\nContent-Length: 1048576\r\n\r\n";
    assert_eq!(decode(at_limit), Outcome::Partial);
}

#[test]
fn limit_body_413_from_chunked_total() {
    let limits = Limits {
        max_body_bytes: 10,
        ..Limits::default()
    };
    let ok = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\naaaaa\r\n5\r\nbbbbb\r\n0\r\n\r\n";
    assert_eq!(decode_with(ok, &limits).body(), b"aaaaabbbbb");
    let over = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\naaaaa\r\n6\r\nbbbbbb\r\n0\r\n\r\n";
    assert_eq!(
        decode_with(over, &limits),
        Outcome::Error(HttpError::BodyTooLarge)
    );
    // Refused on the size line, before the data arrives.
    let early = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\naaaaa\r\nb";
    assert_eq!(
        whole(early, &limits),
        Outcome::Error(HttpError::BodyTooLarge)
    );
}

#[test]
fn limit_chunked_wire_overhead_413() {
    let limits = Limits {
        max_body_bytes: 100,
        ..Limits::default()
    };
    // 100 one-byte chunks with 700-byte extensions: small body, huge wire size.
    let ext = "e".repeat(700);
    let mut buf = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..100 {
        buf.extend_from_slice(format!("1;{ext}\r\nx\r\n").as_bytes());
    }
    buf.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(
        whole(&buf, &limits),
        Outcome::Error(HttpError::BodyTooLarge)
    );
}

#[test]
fn limit_trailers_431() {
    let limits = Limits {
        max_head_bytes: 256,
        ..Limits::default()
    };
    let mut buf = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n".to_vec();
    for _ in 0..30 {
        buf.extend_from_slice(b"X-Trailer: aaaa\r\n");
    }
    buf.extend_from_slice(b"\r\n");
    assert_eq!(decode_with(&buf, &limits).status(), Some(431));
}

// ------------------------------------------------------------ properties ---

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z][A-Za-z0-9-]{0,12}"
}

/// A valid request, with a `Content-Length` or chunked body (random chunk
/// sizes, extensions and trailers), or none.
fn request() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::sample::select(vec![
            "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS",
        ]),
        "/[a-z0-9/._~%-]{0,30}(\\?[a-z0-9=&]{0,20})?",
        prop::bool::ANY,
        prop::collection::vec((token(), "[ -~]{0,20}"), 0..6),
        prop::collection::vec(any::<u8>(), 0..200),
        0u8..3,
        prop::collection::vec(1usize..40, 1..8),
        prop::bool::ANY,
    )
        .prop_map(
            |(method, target, http10, headers, body, framing, cuts, ext)| {
                let mut out =
                    format!("{method} {target} HTTP/1.{}\r\n", u8::from(!http10)).into_bytes();
                for (name, value) in headers {
                    let lower = name.to_ascii_lowercase();
                    if ["content-length", "transfer-encoding", "host"].contains(&lower.as_str()) {
                        continue;
                    }
                    out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
                }
                match (framing, http10) {
                    (1, false) => {
                        out.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
                        let mut rest = &body[..];
                        let mut i = 0;
                        while !rest.is_empty() {
                            let n = cuts[i % cuts.len()].min(rest.len());
                            let e = if ext { ";k=v" } else { "" };
                            out.extend_from_slice(format!("{n:x}{e}\r\n").as_bytes());
                            out.extend_from_slice(&rest[..n]);
                            out.extend_from_slice(b"\r\n");
                            rest = &rest[n..];
                            i += 1;
                        }
                        out.extend_from_slice(if ext {
                            b"0\r\nX-T: y\r\n\r\n"
                        } else {
                            b"0\r\n\r\n"
                        });
                    }
                    (0, _) | (1, true) => {
                        out.extend_from_slice(
                            format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes(),
                        );
                        out.extend_from_slice(&body);
                    }
                    _ => out.extend_from_slice(b"\r\n"),
                }
                out
            },
        )
}

/// Small limits, so the mutated requests also hit 414/431/413.
fn small_limits() -> Limits {
    Limits {
        max_head_bytes: 200,
        max_headers: 5,
        max_url_len: 24,
        max_body_bytes: 120,
        ..Limits::default()
    }
}

fn splits(len: usize) -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(0..=len.max(1), 0..12)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn valid_requests_decode_the_same_however_split(
        (buf, cuts) in request().prop_flat_map(|b| { let n = b.len(); (Just(b), splits(n)) })
    ) {
        let limits = Limits::default();
        let expected = whole(&buf, &limits);
        prop_assert!(matches!(expected, Outcome::Complete { consumed, .. } if consumed == buf.len()),
            "{expected:?} for {:?}", String::from_utf8_lossy(&buf));
        prop_assert_eq!(&fed(&buf, &limits, &cuts), &expected);
        prop_assert_eq!(&byte_by_byte(&buf, &limits), &expected);
    }

    #[test]
    fn mutated_requests_decode_the_same_however_split(
        (buf, cuts, at, byte, insert) in request().prop_flat_map(|b| {
            let n = b.len();
            (Just(b), splits(n), 0..n, any::<u8>(), any::<bool>())
        })
    ) {
        let mut buf = buf;
        if insert { buf.insert(at, byte) } else { buf[at] = byte }
        for limits in [Limits::default(), small_limits()] {
            let expected = whole(&buf, &limits);
            prop_assert_eq!(&fed(&buf, &limits, &cuts), &expected,
                "split mismatch for {:?}", String::from_utf8_lossy(&buf));
            prop_assert_eq!(&byte_by_byte(&buf, &limits), &expected);
        }
    }

    #[test]
    fn random_bytes_never_panic(buf in prop::collection::vec(any::<u8>(), 0..2048)) {
        for limits in [Limits::default(), small_limits()] {
            let _ = whole(&buf, &limits);
            let _ = fed(&buf, &limits, &[buf.len() / 3, buf.len() / 2]);
        }
    }

    #[test]
    fn random_bytes_after_a_valid_head_never_panic(
        tail in prop::collection::vec(any::<u8>(), 0..512),
        chunked in any::<bool>(),
    ) {
        let mut buf = if chunked {
            b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec()
        } else {
            b"POST / HTTP/1.1\r\nContent-Length: 100\r\n\r\n".to_vec()
        };
        buf.extend_from_slice(&tail);
        for limits in [Limits::default(), small_limits()] {
            let expected = whole(&buf, &limits);
            prop_assert_eq!(byte_by_byte(&buf, &limits), expected);
        }
    }
}
