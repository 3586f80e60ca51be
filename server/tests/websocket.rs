//! WebSocket (RFC 6455) over real loopback sockets: the handshake and its
//! refusals, echo through a handler, fragmentation, control frames, every
//! close code the server must send (1002 for protocol errors and bad peer
//! close codes, 1003 binary, 1007 invalid UTF-8, 1009 oversized, 1011
//! handler failure), the closing handshake, the idle ping, a client that
//! does not read, and 1,000 concurrent sockets exchanging messages.
//!
//! Most tests speak raw frames (so they can send what a conforming client
//! never would); the concurrency test uses the `tungstenite` client.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use zigts_vm::{ExecLimits, Services, SystemHost};
use zigttp::app::service::{HandlerService, RunPolicy};
use zigttp::core::{Server, ServerConfig};
use zigttp::ws::WsConfig;
use zigttp::ws::handshake::Origins;
use zigttp::ws::hub::Hub;

const HANDLER: &str = r#"
import { send, close, getWebSockets, serializeAttachment, deserializeAttachment } from "zigttp:websocket";
export function handler(req: Request): Response { return Response.text("plain http"); }
export function onOpen(ws: number, room: string): void {
  serializeAttachment(ws, `opened ${room}`);
}
export function onMessage(ws: number, data: string, room: string): void {
  if (data === "flood") {
    const big = "x".repeat(60000);
    for (const i of range(300)) { send(ws, big); }
    return;
  }
  if (data === "close-me") { close(ws, 4001, "asked"); return; }
  if (data === "attachment") { send(ws, deserializeAttachment(ws) ?? "none"); return; }
  if (data === "fail") { const parts = data.split("/"); send(ws, parts[3].length); return; }
  if (data.startsWith("all:")) {
    for (const peer of getWebSockets(room)) { send(peer, data.slice(4)); }
    return;
  }
  send(ws, data);
}
"#;

fn start(source: &str, tweak: impl FnOnce(&mut WsConfig)) -> Server {
    let bytes = zigts_compiler::compile("ws.ts", source)
        .expect("compiles")
        .bytes;
    let program = zigttp::app::verify_bundle(&bytes).expect("verifies");
    let hub = Arc::new(Hub::new(2));
    let services = Arc::new(
        Services::new(zigts_vm::Policy::from_contract(program.contract()))
            .with_websockets(hub.clone()),
    );
    let instance = Arc::new(
        zigttp::app::instantiate_with(
            &program,
            &services,
            &mut SystemHost::default(),
            ExecLimits::default(),
        )
        .expect("loads"),
    );
    let accepts = instance.exports("onMessage");
    let mut ws = WsConfig::new(hub);
    tweak(&mut ws);
    let config = ServerConfig {
        port: 0,
        workers: 2,
        quiet: true,
        websocket: Some(ws),
        ..ServerConfig::default()
    };
    let policy = RunPolicy {
        quiet: true,
        ..RunPolicy::default()
    };
    Server::start(config, move |_| {
        let service = HandlerService::new(Arc::clone(&instance), policy);
        if accepts {
            service.with_websockets()
        } else {
            service
        }
    })
    .expect("server starts")
}

/// A client that writes raw frames.
struct Raw {
    s: TcpStream,
    buf: Vec<u8>,
}

const KEY: &str = "dGhlIHNhbXBsZSBub25jZQ==";

fn handshake_request(path: &str, extra: &str) -> String {
    format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {KEY}\r\n{extra}\r\n"
    )
}

/// Sends `request` and returns the response head and the connection.
fn raw_exchange(addr: SocketAddr, request: &str) -> (String, Raw) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut chunk).unwrap();
        assert!(n > 0, "closed before a response head");
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buf[..end].to_vec()).unwrap();
    (
        head,
        Raw {
            s,
            buf: buf[end..].to_vec(),
        },
    )
}

fn open(addr: SocketAddr, path: &str) -> Raw {
    let (head, raw) = raw_exchange(addr, &handshake_request(path, ""));
    assert!(head.starts_with("HTTP/1.1 101 "), "{head}");
    // RFC 6455 section 1.3's example key and its accept value.
    assert!(
        head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"),
        "{head}"
    );
    raw
}

impl Raw {
    fn frame(&mut self, fin: bool, opcode: u8, payload: &[u8], masked: bool) {
        let mut out = vec![if fin { 0x80 } else { 0 } | opcode];
        let m = if masked { 0x80 } else { 0 };
        let n = payload.len();
        if n < 126 {
            out.push(m | n as u8);
        } else if n <= 0xFFFF {
            out.push(m | 0x7E);
            out.extend_from_slice(&(n as u16).to_be_bytes());
        } else {
            out.push(m | 0x7F);
            out.extend_from_slice(&(n as u64).to_be_bytes());
        }
        if masked {
            let mask = [1, 2, 3, 4];
            out.extend_from_slice(&mask);
            out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i & 3]));
        } else {
            out.extend_from_slice(payload);
        }
        self.s.write_all(&out).unwrap();
    }

    fn text(&mut self, text: &str) {
        self.frame(true, 1, text.as_bytes(), true);
    }

    fn fill(&mut self, want: usize) -> bool {
        let mut chunk = [0u8; 16384];
        while self.buf.len() < want {
            match self.s.read(&mut chunk) {
                Ok(0) | Err(_) => return false,
                Ok(n) => self.buf.extend_from_slice(&chunk[..n]),
            }
        }
        true
    }

    /// The next server frame: (opcode, payload). Server frames are unmasked and final.
    fn read(&mut self) -> (u8, Vec<u8>) {
        assert!(self.fill(2), "connection ended");
        assert_eq!(
            self.buf[0] & 0xF0,
            0x80,
            "server frames are final, no RSV bits"
        );
        assert_eq!(self.buf[1] & 0x80, 0, "server frames are unmasked");
        let (len, off) = match self.buf[1] & 0x7F {
            126 => {
                assert!(self.fill(4));
                (u16::from_be_bytes([self.buf[2], self.buf[3]]) as usize, 4)
            }
            127 => {
                assert!(self.fill(10));
                (
                    u64::from_be_bytes(self.buf[2..10].try_into().unwrap()) as usize,
                    10,
                )
            }
            n => (n as usize, 2),
        };
        assert!(self.fill(off + len), "connection ended inside a frame");
        let op = self.buf[0] & 0x0F;
        let payload = self.buf[off..off + len].to_vec();
        self.buf.drain(..off + len);
        (op, payload)
    }

    fn read_text(&mut self) -> String {
        let (op, payload) = self.read();
        assert_eq!(op, 1, "expected text, got opcode {op}: {payload:?}");
        String::from_utf8(payload).unwrap()
    }

    /// The server's close frame: its code.
    fn read_close(&mut self) -> u16 {
        loop {
            let (op, payload) = self.read();
            if op == 8 {
                return u16::from_be_bytes([payload[0], payload[1]]);
            }
        }
    }

    /// After a close, the server ends the TCP connection.
    fn expect_eof(&mut self) {
        let mut chunk = [0u8; 1024];
        loop {
            match self.s.read(&mut chunk) {
                Ok(0) => return,
                Ok(_) => {}
                Err(e) => panic!("expected EOF, got {e}"),
            }
        }
    }
}

#[test]
fn echo_fragments_pings_and_attachments() {
    let server = start(HANDLER, |_| {});
    let addr = server.local_addr();
    let mut c = open(addr, "/room");
    c.text("hello");
    assert_eq!(c.read_text(), "hello");
    // A message in three fragments with a ping in the middle.
    c.frame(false, 1, b"frag", true);
    c.frame(true, 9, b"are you there", true);
    assert_eq!(c.read(), (10, b"are you there".to_vec()));
    c.frame(false, 0, "mént".as_bytes(), true);
    c.frame(true, 0, b"ed", true);
    assert_eq!(c.read_text(), "fragménted");
    // A pong nobody asked for is ignored.
    c.frame(true, 10, b"", true);
    c.text("attachment");
    assert_eq!(c.read_text(), "opened /room");
    c.text("close-me");
    assert_eq!(c.read_close(), 4001);
    c.frame(true, 8, &4001u16.to_be_bytes(), true);
    c.expect_eof();
    // Plain HTTP still reaches the handler.
    let (head, _) = raw_exchange(
        addr,
        "GET /x HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
    );
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    server.shutdown();
    server.join().unwrap();
}

#[test]
fn protocol_errors_close_with_their_codes() {
    let server = start(HANDLER, |ws| ws.max_message = 1000);
    let addr = server.local_addr();
    let check = |send: &dyn Fn(&mut Raw), code: u16| {
        let mut c = open(addr, "/p");
        send(&mut c);
        assert_eq!(c.read_close(), code);
        c.expect_eof();
    };
    // An unmasked client frame.
    check(&|c| c.frame(true, 1, b"hi", false), 1002);
    // Reserved opcode.
    check(&|c| c.frame(true, 3, b"", true), 1002);
    // A control frame over 125 bytes, and a fragmented one.
    check(&|c| c.frame(true, 9, &[0; 126], true), 1002);
    check(&|c| c.frame(false, 9, b"", true), 1002);
    // A continuation with no message.
    check(&|c| c.frame(true, 0, b"x", true), 1002);
    // Reserved close codes from the peer.
    for bad in [999u16, 1004, 1005, 1006, 1015, 2000, 5000] {
        check(&|c| c.frame(true, 8, &bad.to_be_bytes(), true), 1002);
    }
    check(&|c| c.frame(true, 8, &[3], true), 1002);
    // Invalid UTF-8 in a text message, split inside a character too.
    check(&|c| c.frame(true, 1, &[0x68, 0xFF], true), 1007);
    check(
        &|c| {
            c.frame(false, 1, &[0xE2, 0x82], true);
            c.frame(true, 0, &[0x41], true);
        },
        1007,
    );
    // Over the size cap, in one frame or across fragments.
    check(&|c| c.frame(true, 1, &[b'a'; 1001], true), 1009);
    check(
        &|c| {
            c.frame(false, 1, &[b'a'; 600], true);
            c.frame(true, 0, &[b'a'; 600], true);
        },
        1009,
    );
    // Binary messages are not accepted.
    check(&|c| c.frame(true, 2, &[1, 2, 3], true), 1003);
    // A handler that fails.
    check(&|c| c.text("fail"), 1011);
    server.shutdown();
    server.join().unwrap();
}

#[test]
fn peer_close_is_echoed_and_the_connection_ends() {
    let server = start(HANDLER, |_| {});
    let mut c = open(server.local_addr(), "/c");
    let mut payload = 1000u16.to_be_bytes().to_vec();
    payload.extend_from_slice(b"done");
    c.frame(true, 8, &payload, true);
    assert_eq!(c.read_close(), 1000);
    c.expect_eof();
    // A close frame with no code is answered with an empty close.
    let mut c = open(server.local_addr(), "/c");
    c.frame(true, 8, b"", true);
    assert_eq!(c.read(), (8, Vec::new()));
    c.expect_eof();
    server.shutdown();
    server.join().unwrap();
}

#[test]
fn handshake_refusals() {
    let server = start(HANDLER, |ws| {
        ws.origins = Origins::Only(vec!["https://app.example".into()]);
    });
    let addr = server.local_addr();
    let status = |req: String| raw_exchange(addr, &req).0;
    let v8 = status(handshake_request("/", "").replace("Version: 13", "Version: 8"));
    assert!(v8.starts_with("HTTP/1.1 426 "), "{v8}");
    assert!(v8.contains("Sec-WebSocket-Version: 13\r\n"), "{v8}");
    let short_key = status(handshake_request("/", "").replace(KEY, "c2hvcnQ="));
    assert!(short_key.starts_with("HTTP/1.1 400 "), "{short_key}");
    let no_conn =
        status(handshake_request("/", "").replace("Connection: Upgrade", "Connection: keep-alive"));
    assert!(no_conn.starts_with("HTTP/1.1 400 "), "{no_conn}");
    let post = status(handshake_request("/", "").replacen("GET", "POST", 1));
    assert!(post.starts_with("HTTP/1.1 400 "), "{post}");
    let evil = status(handshake_request("/", "Origin: https://evil.example\r\n"));
    assert!(evil.starts_with("HTTP/1.1 403 "), "{evil}");
    let ok = status(handshake_request("/", "Origin: https://app.example\r\n"));
    assert!(ok.starts_with("HTTP/1.1 101 "), "{ok}");
    server.shutdown();
    server.join().unwrap();

    // Same-origin by default.
    let server = start(HANDLER, |_| {});
    let addr = server.local_addr();
    let cross = raw_exchange(
        addr,
        &handshake_request("/", "Origin: http://other.example\r\n"),
    )
    .0;
    assert!(cross.starts_with("HTTP/1.1 403 "), "{cross}");
    let same = raw_exchange(
        addr,
        &handshake_request("/", "Origin: http://127.0.0.1\r\n"),
    )
    .0;
    assert!(same.starts_with("HTTP/1.1 101 "), "{same}");
    server.shutdown();
    server.join().unwrap();

    // A handler without onMessage gets upgrade requests as plain requests.
    let plain = start(
        "export function handler(req: Request): Response { return Response.text(\"no ws\"); }\n",
        |_| {},
    );
    let head = raw_exchange(plain.local_addr(), &handshake_request("/", "")).0;
    assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
    plain.shutdown();
    plain.join().unwrap();
}

#[test]
fn silent_sockets_are_pinged_then_closed() {
    let server = start(HANDLER, |ws| ws.idle_timeout = Duration::from_millis(600));
    let mut c = open(server.local_addr(), "/idle");
    assert_eq!(
        c.read(),
        (9, Vec::new()),
        "a ping after half the idle timeout"
    );
    // Answering keeps it open; silence after that closes it with 1001.
    c.frame(true, 10, b"", true);
    c.text("still here");
    assert_eq!(c.read_text(), "still here");
    assert_eq!(c.read(), (9, Vec::new()));
    assert_eq!(c.read_close(), 1001);
    server.shutdown();
    server.join().unwrap();
}

#[test]
fn a_client_that_does_not_read_is_dropped_and_others_carry_on() {
    let server = start(HANDLER, |ws| ws.max_message = 64 << 10);
    let addr = server.local_addr();
    let mut slow = open(addr, "/slow");
    // 300 x 60 KB queued for a client that never reads: over the 1 MiB
    // pending-output cap once the socket buffers are full.
    slow.text("flood");
    let mut other = open(addr, "/other");
    other.text("ping?");
    assert_eq!(other.read_text(), "ping?");
    // The slow client is eventually disconnected (reading now drains what
    // was sent before the drop, then EOF).
    std::thread::sleep(Duration::from_millis(500));
    let mut got = 0usize;
    let mut chunk = vec![0u8; 1 << 16];
    loop {
        match slow.s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) => panic!("expected EOF after the drop: {e}"),
        }
    }
    assert!(
        got < 300 * 60_000,
        "all {got} bytes arrived: the client was not dropped"
    );
    other.text("still fine");
    assert_eq!(other.read_text(), "still fine");
    server.shutdown();
    server.join().unwrap();
}

#[test]
fn a_thousand_concurrent_sockets() {
    use tungstenite::Message;
    let server = start(HANDLER, |_| {});
    let url = format!("ws://{}/crowd", server.local_addr());
    let mut clients = Vec::with_capacity(1000);
    for _ in 0..1000 {
        let stream = TcpStream::connect(server.local_addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let (ws, response) = tungstenite::client(url.as_str(), stream).expect("handshake");
        assert_eq!(response.status(), 101);
        clients.push(ws);
    }
    for (i, ws) in clients.iter_mut().enumerate() {
        ws.send(Message::text(format!("m{i}"))).unwrap();
    }
    for (i, ws) in clients.iter_mut().enumerate() {
        assert_eq!(ws.read().unwrap(), Message::text(format!("m{i}")));
    }
    // One message to the whole room reaches all 1,000, across both workers.
    clients[0].send(Message::text("all:hello room")).unwrap();
    for ws in &mut clients {
        assert_eq!(ws.read().unwrap(), Message::text("hello room"));
    }
    for ws in &mut clients {
        ws.close(None).unwrap();
    }
    for ws in &mut clients {
        // The close echo, then the end of the stream.
        while ws.read().is_ok() {}
    }
    server.shutdown();
    server.join().unwrap();
}

/// The chat example through the `zigttp` binary (two workers): join, rename,
/// broadcast to the room, quit.
#[test]
fn the_chat_example_over_the_binary() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let chat = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/chat.ts");
    let mut child = Command::new(env!("CARGO_BIN_EXE_zigttp"))
        .args(["serve", chat, "--port", "0", "--workers", "2", "--quiet"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line.trim().rsplit(':').next().unwrap().parse().unwrap();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut a = open(addr, "/lobby");
    assert!(a.read_text().ends_with("joined /lobby"));
    let mut b = open(addr, "/lobby");
    let joined = b.read_text();
    assert_eq!(a.read_text(), joined);
    b.text("/nick bob");
    assert!(a.read_text().ends_with("is now bob"));
    assert!(b.read_text().ends_with("is now bob"));
    a.text("hi bob");
    assert!(b.read_text().ends_with(": hi bob"));
    assert!(a.read_text().ends_with(": hi bob"));
    b.text("/quit");
    assert_eq!(b.read_close(), 1000);
    b.frame(true, 8, &1000u16.to_be_bytes(), true);
    b.expect_eof();
    // A drain closes the sockets still open with 1001 and waits for the
    // closing handshake.
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    assert_eq!(a.read_close(), 1001);
    a.frame(true, 8, &1001u16.to_be_bytes(), true);
    a.expect_eof();
    assert!(child.wait().unwrap().success());
}
