//! A minimal HTTP/1.1 client for the loopback tests of the operational
//! surface (`ops.rs`, `ops_cli.rs`). Every socket has read and write
//! timeouts, so a hang fails a test instead of the run. Also: reading the
//! port of a started server from its listening line.

#![allow(dead_code)]

use std::io::{self, BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Child;
use std::time::Duration;

/// The first line a started server prints on stdout
/// (`zigttp listening on http://127.0.0.1:PORT`) and the port in it, if any.
pub fn listening_line(child: &mut Child) -> (String, Option<u16>) {
    let mut line = String::new();
    let _ = BufReader::new(child.stdout.take().expect("stdout is piped")).read_line(&mut line);
    let port = line.trim().rsplit(':').next().and_then(|p| p.parse().ok());
    (line, port)
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub fn connect(addr: SocketAddr) -> TcpStream {
    let s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

/// Reads one response; `head_request` means "no body follows".
pub fn read_reply(r: &mut impl BufRead, head_request: bool) -> io::Result<Reply> {
    let mut line = String::new();
    r.read_line(&mut line)?;
    if line.is_empty() {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "no response"));
    }
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("status line {line:?}"));
    let mut headers = Vec::new();
    loop {
        line.clear();
        r.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
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

/// Sends `raw` on a fresh connection and reads one response.
pub fn exchange(addr: SocketAddr, raw: &[u8]) -> Reply {
    let mut s = connect(addr);
    s.write_all(raw).unwrap();
    let head = raw.starts_with(b"HEAD ");
    read_reply(&mut BufReader::new(s), head).expect("reply")
}

/// `METHOD target` with `Host` and `Connection: close` on a fresh connection.
pub fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    exchange(
        addr,
        format!("{method} {target} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n").as_bytes(),
    )
}

pub fn get(addr: SocketAddr, target: &str) -> Reply {
    request(addr, "GET", target)
}

/// The value of the sample line `name` (with labels, e.g.
/// `zigttp_http_requests_total{code="200"}`) in Prometheus text, or 0.
pub fn sample(metrics: &str, name: &str) -> f64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
        .map_or(0.0, |v| v.trim().parse().expect("sample value"))
}
