//! The server over real loopback sockets, with a tiny echo service.
//! Every socket has a read timeout, so a hang fails a test instead of the run.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use zigttp::core::http::{Limits, Request, Response, Service};
use zigttp::core::{Server, ServerConfig, ShutdownHandle, serve_until};

/// Answers `METHOD TARGET\n` + body; `/slow` sleeps, `/big` sends 4 MiB,
/// `/panic` panics, `/bad-header` tries a header injection.
struct Echo;

impl Service for Echo {
    fn call(&mut self, req: &Request<'_>, res: &mut Response) {
        match req.path() {
            "/panic" => panic!("test handler panic"),
            "/slow" => thread::sleep(Duration::from_millis(300)),
            "/big" => {
                res.body_mut().resize(4 << 20, b'x');
                return;
            }
            "/bad-header" => {
                if res.add_header("X-Evil", "a\r\nSet-Cookie: x=1").is_err() {
                    res.set_status(500);
                }
                return;
            }
            "/created" => res.set_status(201),
            "/empty" => res.set_status(204),
            _ => {}
        }
        res.add_header("Content-Type", "text/plain").unwrap();
        // Framing headers from a handler are ignored.
        res.add_header("Content-Length", "999").unwrap();
        res.add_header("Connection", "close").unwrap();
        let body = res.body_mut();
        body.extend_from_slice(req.method.as_bytes());
        body.push(b' ');
        body.extend_from_slice(req.target.as_bytes());
        body.push(b'\n');
        body.extend_from_slice(req.body);
    }
}

fn start_with(limits: Limits) -> Server {
    let config = ServerConfig {
        host: "127.0.0.1".into(),
        port: 0,
        workers: 2,
        limits,
        quiet: true,
        ..ServerConfig::default()
    };
    Server::start(config, |_| Echo).expect("server starts")
}

fn start() -> Server {
    start_with(Limits::default())
}

fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn count(&self, name: &str) -> usize {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .count()
    }
}

/// Reads one response; `head_request` means "no body follows".
fn read_reply(r: &mut impl BufRead, head_request: bool) -> io::Result<Reply> {
    let mut line = String::new();
    r.read_line(&mut line)?;
    if line.is_empty() {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "no response"));
    }
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status line");
    assert!(
        line.starts_with("HTTP/1.1 ") && line.ends_with("\r\n"),
        "{line:?}"
    );
    let mut headers = Vec::new();
    loop {
        line.clear();
        r.read_line(&mut line)?;
        assert!(line.ends_with("\r\n"), "header line {line:?}");
        if line == "\r\n" {
            break;
        }
        let (name, value) = line.trim_end().split_once(": ").expect("header");
        headers.push((name.to_owned(), value.to_owned()));
    }
    let mut reply = Reply {
        status,
        headers,
        body: Vec::new(),
    };
    if !head_request && status >= 200 && status != 204 && status != 304 {
        let len: usize = reply
            .header("Content-Length")
            .expect("Content-Length")
            .parse()
            .unwrap();
        reply.body.resize(len, 0);
        r.read_exact(&mut reply.body)?;
    }
    Ok(reply)
}

/// After a response with `Connection: close`, the server's side is shut down.
fn assert_closed(r: &mut impl Read) {
    let mut rest = Vec::new();
    match r.read_to_end(&mut rest) {
        Ok(_) => assert!(rest.is_empty(), "unexpected bytes after close: {rest:?}"),
        Err(e) => assert_eq!(e.kind(), io::ErrorKind::ConnectionReset, "{e}"),
    }
}

fn get(target: &str) -> Vec<u8> {
    format!("GET {target} HTTP/1.1\r\nHost: t\r\n\r\n").into_bytes()
}

#[test]
fn keep_alive_reuses_one_connection() {
    let server = start();
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    for i in 0..5 {
        s.write_all(&get(&format!("/k/{i}"))).unwrap();
        let reply = read_reply(&mut r, false).unwrap();
        assert_eq!(reply.status, 200);
        assert_eq!(reply.body, format!("GET /k/{i}\n").as_bytes());
        assert_eq!(reply.header("Connection"), Some("keep-alive"));
        assert_eq!(reply.count("Content-Length"), 1);
        assert_eq!(reply.count("Connection"), 1);
        assert_eq!(reply.header("Content-Type"), Some("text/plain"));
        assert_eq!(reply.header("Date").map(str::len), Some(29));
    }
}

#[test]
fn pipelined_requests_in_one_write_are_answered_in_order() {
    let server = start();
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    let mut batch = get("/first");
    batch.extend_from_slice(b"POST /second HTTP/1.1\r\nContent-Length: 4\r\n\r\nbody");
    batch.extend_from_slice(&get("/third"));
    s.write_all(&batch).unwrap();
    assert_eq!(read_reply(&mut r, false).unwrap().body, b"GET /first\n");
    assert_eq!(
        read_reply(&mut r, false).unwrap().body,
        b"POST /second\nbody"
    );
    assert_eq!(read_reply(&mut r, false).unwrap().body, b"GET /third\n");
}

#[test]
fn http10_closes_unless_keep_alive() {
    let server = start();
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    s.write_all(b"GET /old HTTP/1.0\r\n\r\n").unwrap();
    let reply = read_reply(&mut r, false).unwrap();
    assert_eq!(
        (reply.status, reply.header("Connection")),
        (200, Some("close"))
    );
    assert_closed(&mut r);

    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    for _ in 0..2 {
        s.write_all(b"GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            .unwrap();
        let reply = read_reply(&mut r, false).unwrap();
        assert_eq!(reply.header("Connection"), Some("keep-alive"));
    }
}

#[test]
fn connection_close_closes_after_the_response() {
    let server = start();
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    s.write_all(b"GET /bye HTTP/1.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let reply = read_reply(&mut r, false).unwrap();
    assert_eq!(reply.header("Connection"), Some("close"));
    assert_closed(&mut r);
}

#[test]
fn head_has_headers_but_no_body() {
    let server = start();
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    s.write_all(b"HEAD /h HTTP/1.1\r\n\r\n").unwrap();
    let reply = read_reply(&mut r, true).unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("Content-Length"), Some("8")); // "HEAD /h\n"
    // The next response on the connection starts right after the head.
    s.write_all(&get("/after")).unwrap();
    assert_eq!(read_reply(&mut r, false).unwrap().body, b"GET /after\n");
}

#[test]
fn status_codes_and_no_content() {
    let server = start();
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    s.write_all(&get("/created")).unwrap();
    let reply = read_reply(&mut r, false).unwrap();
    assert_eq!(reply.status, 201);
    s.write_all(&get("/empty")).unwrap();
    let reply = read_reply(&mut r, false).unwrap();
    assert_eq!((reply.status, reply.header("Content-Length")), (204, None));
    s.write_all(&get("/bad-header")).unwrap();
    let reply = read_reply(&mut r, false).unwrap();
    assert_eq!((reply.status, reply.header("X-Evil")), (500, None));
}

#[test]
fn expect_100_continue() {
    let server = start();
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    s.write_all(b"PUT /up HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        .unwrap();
    let mut interim = [0u8; 25];
    r.read_exact(&mut interim).unwrap();
    assert_eq!(&interim, b"HTTP/1.1 100 Continue\r\n\r\n");
    s.write_all(b"hello").unwrap();
    let reply = read_reply(&mut r, false).unwrap();
    assert_eq!(
        (reply.status, reply.body.as_slice()),
        (200, &b"PUT /up\nhello"[..])
    );
}

#[test]
fn expect_100_continue_with_a_too_large_body_gets_413_at_once() {
    let server = start();
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    s.write_all(b"PUT /up HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2000000\r\n\r\n")
        .unwrap();
    let reply = read_reply(&mut r, false).unwrap();
    assert_eq!(reply.status, 413);
    assert_closed(&mut r);
}

#[test]
fn chunked_request_body() {
    let server = start();
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    s.write_all(b"POST /c HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n")
        .unwrap();
    thread::sleep(Duration::from_millis(20));
    s.write_all(b"2;x=y\r\nde\r\n0\r\nTrailer: 1\r\n\r\n")
        .unwrap();
    let reply = read_reply(&mut r, false).unwrap();
    assert_eq!(reply.body, b"POST /c\nabcde");
}

#[test]
fn two_mib_body_gets_413_and_close() {
    let server = start();
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    let len = 2 << 20;
    s.write_all(format!("POST /big HTTP/1.1\r\nContent-Length: {len}\r\n\r\n").as_bytes())
        .unwrap();
    // The client keeps sending; the server answers without reading the body.
    let mut writer = s.try_clone().unwrap();
    let sender = thread::spawn(move || {
        let chunk = vec![b'z'; 64 * 1024];
        for _ in 0..32 {
            if writer.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let reply = read_reply(&mut r, false).unwrap();
    assert_eq!(reply.status, 413);
    assert_eq!(reply.header("Connection"), Some("close"));
    assert_eq!(reply.body, b"Payload Too Large\n");
    assert_closed(&mut r);
    sender.join().unwrap();
}

#[test]
fn chunked_body_over_the_limit_gets_413() {
    let limits = Limits {
        max_body_bytes: 1000,
        ..Limits::default()
    };
    let server = start_with(limits);
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    let mut req = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..3 {
        req.extend_from_slice(b"190\r\n");
        req.extend_from_slice(&[b'a'; 400]);
        req.extend_from_slice(b"\r\n");
    }
    req.extend_from_slice(b"0\r\n\r\n");
    s.write_all(&req).unwrap();
    assert_eq!(read_reply(&mut r, false).unwrap().status, 413);
    assert_closed(&mut r);
}

#[test]
fn slow_client_sending_the_head_byte_by_byte() {
    let server = start();
    let mut s = connect(server.local_addr());
    s.set_nodelay(true).unwrap();
    let mut r = BufReader::new(s.try_clone().unwrap());
    let req = b"POST /slowly HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
    for &b in req {
        s.write_all(&[b]).unwrap();
        thread::sleep(Duration::from_millis(1));
    }
    let reply = read_reply(&mut r, false).unwrap();
    assert_eq!(reply.body, b"POST /slowly\nabc");
}

#[test]
fn two_hundred_concurrent_connections() {
    let server = start();
    let addr = server.local_addr();
    let mut conns: Vec<TcpStream> = (0..200).map(|_| connect(addr)).collect();
    for (i, s) in conns.iter_mut().enumerate() {
        s.write_all(&get(&format!("/c/{i}"))).unwrap();
    }
    for (i, s) in conns.iter_mut().enumerate() {
        let mut r = BufReader::new(s);
        let reply = read_reply(&mut r, false).unwrap();
        assert_eq!(reply.body, format!("GET /c/{i}\n").as_bytes());
    }
    // And all of them are still usable.
    for s in &mut conns {
        s.write_all(&get("/again")).unwrap();
    }
    for s in &mut conns {
        let mut r = BufReader::new(s);
        assert_eq!(read_reply(&mut r, false).unwrap().status, 200);
    }
}

#[test]
fn garbage_gets_400_and_close() {
    let server = start();
    for garbage in [
        &b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03"[..],
        b"HELLO THERE\r\n\r\n",
    ] {
        let mut s = connect(server.local_addr());
        let mut r = BufReader::new(s.try_clone().unwrap());
        s.write_all(garbage).unwrap();
        let reply = read_reply(&mut r, false).unwrap();
        assert_eq!(reply.status, 400);
        assert_eq!(
            reply.header("Content-Type"),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(reply.body, b"Bad Request\n");
        assert_closed(&mut r);
    }
}

#[test]
fn smuggling_shapes_get_400_and_close() {
    let server = start();
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    s.write_all(
        b"POST / HTTP/1.1\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n",
    )
    .unwrap();
    assert_eq!(read_reply(&mut r, false).unwrap().status, 400);
    assert_closed(&mut r);
}

#[test]
fn oversized_heads_and_targets() {
    let server = start();
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(9000));
    s.write_all(long.as_bytes()).unwrap();
    assert_eq!(read_reply(&mut r, false).unwrap().status, 414);
    assert_closed(&mut r);

    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    let big = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(17000));
    // The server answers before the head is complete; ignore a write error.
    let _ = s.write_all(big.as_bytes());
    assert_eq!(read_reply(&mut r, false).unwrap().status, 431);
    assert_closed(&mut r);
}

#[test]
fn header_read_timeout_gives_408() {
    let limits = Limits {
        header_read_timeout: Duration::from_millis(200),
        ..Limits::default()
    };
    let server = start_with(limits);
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    let started = Instant::now();
    s.write_all(b"GET /never-finished HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let reply = read_reply(&mut r, false).unwrap();
    assert_eq!(reply.status, 408);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(190) && waited < Duration::from_secs(2),
        "{waited:?}"
    );
    assert_closed(&mut r);
}

#[test]
fn idle_keep_alive_connection_is_closed() {
    let limits = Limits {
        idle_timeout: Duration::from_millis(200),
        ..Limits::default()
    };
    let server = start_with(limits);
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    s.write_all(&get("/once")).unwrap();
    assert_eq!(read_reply(&mut r, false).unwrap().status, 200);
    let started = Instant::now();
    assert_closed(&mut r);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn max_requests_per_connection() {
    let limits = Limits {
        max_requests_per_connection: 2,
        ..Limits::default()
    };
    let server = start_with(limits);
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    s.write_all(&get("/1")).unwrap();
    assert_eq!(
        read_reply(&mut r, false).unwrap().header("Connection"),
        Some("keep-alive")
    );
    s.write_all(&get("/2")).unwrap();
    assert_eq!(
        read_reply(&mut r, false).unwrap().header("Connection"),
        Some("close")
    );
    assert_closed(&mut r);
}

#[test]
fn max_connections_per_worker() {
    let limits = Limits {
        max_connections: 1,
        ..Limits::default()
    };
    let config = ServerConfig {
        port: 0,
        workers: 1,
        limits,
        quiet: true,
        ..ServerConfig::default()
    };
    let server = Server::start(config, |_| Echo).unwrap();
    let mut first = connect(server.local_addr());
    first.write_all(&get("/a")).unwrap();
    let mut r = BufReader::new(first.try_clone().unwrap());
    assert_eq!(read_reply(&mut r, false).unwrap().status, 200);
    // A second connection is accepted and closed at once.
    let mut second = connect(server.local_addr());
    let _ = second.write_all(&get("/b"));
    let mut buf = [0u8; 16];
    assert!(matches!(second.read(&mut buf), Ok(0) | Err(_)));
}

#[test]
fn large_response_with_a_slow_reader() {
    let server = start();
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    s.write_all(&get("/big")).unwrap();
    s.write_all(&get("/after-big")).unwrap();
    // Let the server fill the socket buffers and wait for WRITABLE.
    thread::sleep(Duration::from_millis(100));
    let reply = read_reply(&mut r, false).unwrap();
    assert_eq!(reply.body.len(), 4 << 20);
    assert!(reply.body.iter().all(|&b| b == b'x'));
    assert_eq!(read_reply(&mut r, false).unwrap().body, b"GET /after-big\n");
}

#[test]
fn handler_panic_gives_500_and_the_worker_survives() {
    let config = ServerConfig {
        port: 0,
        workers: 1,
        quiet: true,
        ..ServerConfig::default()
    };
    let server = Server::start(config, |_| Echo).unwrap();
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    s.write_all(&get("/panic")).unwrap();
    assert_eq!(read_reply(&mut r, false).unwrap().status, 500);
    assert_closed(&mut r);
    let mut s = connect(server.local_addr());
    let mut r = BufReader::new(s.try_clone().unwrap());
    s.write_all(&get("/fine")).unwrap();
    assert_eq!(read_reply(&mut r, false).unwrap().status, 200);
}

#[test]
fn peer_half_close_still_gets_its_answer() {
    let server = start();
    let mut s = connect(server.local_addr());
    s.write_all(&get("/half")).unwrap();
    s.shutdown(Shutdown::Write).unwrap();
    let mut r = BufReader::new(s);
    assert_eq!(read_reply(&mut r, false).unwrap().body, b"GET /half\n");
    assert_closed(&mut r);
}

#[test]
fn clean_stop_finishes_in_flight_responses() {
    let server = start();
    let addr = server.local_addr();
    let idle = connect(addr);
    let mut busy = connect(addr);
    busy.write_all(&get("/slow")).unwrap();
    thread::sleep(Duration::from_millis(50)); // the handler is running now
    let started = Instant::now();
    server.shutdown();
    let mut r = BufReader::new(busy.try_clone().unwrap());
    let reply = read_reply(&mut r, false).unwrap();
    assert_eq!(reply.body, b"GET /slow\n");
    assert_eq!(reply.header("Connection"), Some("close"));
    server.join().unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_closed(&mut BufReader::new(idle));
    // The listener is closed.
    assert!(TcpStream::connect(addr).is_err());
}

#[test]
fn serve_until_returns_after_shutdown() {
    let stop = ShutdownHandle::new();
    let config = ServerConfig {
        port: 0,
        workers: 2,
        quiet: true,
        ..ServerConfig::default()
    };
    let stopper = stop.clone();
    let t = thread::spawn(move || serve_until(config, |_| Echo, stopper));
    thread::sleep(Duration::from_millis(100));
    stop.shutdown();
    t.join().unwrap().unwrap();
}

#[test]
fn port_zero_picks_a_free_port_and_bad_hosts_fail() {
    let server = start();
    assert_ne!(server.local_addr().port(), 0);
    let config = ServerConfig {
        host: "256.1.1.1".into(),
        port: 0,
        ..ServerConfig::default()
    };
    assert!(Server::start(config, |_| Echo).is_err());
}
