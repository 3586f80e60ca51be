//! Steady-state requests cause no heap allocation in the server (STYLE.md
//! 4, lesson 4): buffers, the response and the date are all reused, and
//! neither the metrics, the access log nor the reserved-path routing
//! allocate per request.
//!
//! The test counts every allocation in the process with a wrapping global
//! allocator; the client side uses only pre-allocated buffers, and this binary
//! holds a single test, so nothing else allocates meanwhile.

// The counting allocator is the only unsafe code here: `GlobalAlloc` is an
// unsafe trait and a test of allocations cannot avoid it.
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use zigttp::access_log::AccessLog;
use zigttp::app::reserved::{Reserved, ReservedPaths};
use zigttp::core::http::{Request, Response, Service};
use zigttp::core::{Server, ServerConfig};
use zigttp::metrics::Metrics;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::ALLOCATIONS;

#[global_allocator]
static GLOBAL: counting_alloc::Counting = counting_alloc::Counting;

/// Access-log lines and bytes seen by the sink (counted, not stored).
static LOG_LINES: AtomicUsize = AtomicUsize::new(0);

/// Echoes the target and body, with a header: no allocation once the
/// response buffers have grown.
struct Echo;

impl Service for Echo {
    fn call(&mut self, req: &Request<'_>, res: &mut Response) {
        res.add_header("Content-Type", "text/plain").unwrap();
        let body = res.body_mut();
        body.extend_from_slice(req.target.as_bytes());
        body.extend_from_slice(req.body);
    }
}

/// Sends `request` and reads exactly `reply_len` bytes into `buf`.
fn round_trip(s: &mut TcpStream, request: &[u8], buf: &mut [u8], reply_len: usize) {
    s.write_all(request).unwrap();
    s.read_exact(&mut buf[..reply_len]).unwrap();
}

#[test]
fn steady_state_requests_do_not_allocate() {
    let metrics = Arc::new(Metrics::new(1));
    let config = ServerConfig {
        port: 0,
        workers: 1,
        quiet: true,
        metrics: Some(Arc::clone(&metrics)),
        access_log: AccessLog::Sink(Arc::new(|line: &[u8]| {
            assert!(line.ends_with(b"\n"));
            LOG_LINES.fetch_add(1, Ordering::Relaxed);
        })),
        ..ServerConfig::default()
    };
    let paths = Arc::new(ReservedPaths::default());
    let shared = Arc::clone(&metrics);
    let server = Server::start(config, move |_| {
        Reserved::new(Echo, Arc::clone(&shared), Arc::clone(&paths))
    })
    .unwrap();
    let mut s = TcpStream::connect(server.local_addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_nodelay(true).unwrap();
    let get = b"GET /steady?x=1 HTTP/1.1\r\nHost: t\r\nAccept: */*\r\n\r\n";
    let post = b"POST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello";
    let chunked =
        b"POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n";
    let mut buf = vec![0u8; 4096];
    // Learn the reply sizes (all replies have a fixed length: the Date header
    // is always 29 bytes).
    let mut reply_len = |request: &[u8], buf: &mut [u8]| {
        s.write_all(request).unwrap();
        let mut len = 0;
        loop {
            len += s.read(&mut buf[len..]).unwrap();
            let text = std::str::from_utf8(&buf[..len]).unwrap();
            if let Some(head_end) = text.find("\r\n\r\n") {
                let cl = text.split("Content-Length: ").nth(1).unwrap();
                let cl: usize = cl[..cl.find('\r').unwrap()].parse().unwrap();
                if len == head_end + 4 + cl {
                    return len;
                }
            }
        }
    };
    let lens = [
        reply_len(get, &mut buf),
        reply_len(post, &mut buf),
        reply_len(chunked, &mut buf),
    ];
    let requests: [&[u8]; 3] = [get, post, chunked];
    for _ in 0..100 {
        for (request, &len) in requests.iter().zip(&lens) {
            round_trip(&mut s, request, &mut buf, len);
        }
    }
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    for _ in 0..1000 {
        for (request, &len) in requests.iter().zip(&lens) {
            round_trip(&mut s, request, &mut buf, len);
        }
    }
    let allocations = ALLOCATIONS.load(Ordering::SeqCst) - before;
    assert_eq!(
        allocations, 0,
        "{allocations} allocations in 3000 steady-state requests"
    );
    // The observation really ran for every request.
    assert_eq!(metrics.requests_total(), 3303);
    assert_eq!(LOG_LINES.load(Ordering::Relaxed), 3303);
}
