//! WebSocket echo load client: `cargo bench -p zigttp --bench ws_echo --
//! ws://127.0.0.1:PORT/ [CONNECTIONS] [SECONDS] [BYTES]`. Each connection
//! (one thread each) sends a text message and waits for its echo, over and
//! over; the result is echoed messages per second over all connections. The
//! same client measures every server (see `benches/ws/run.sh`), so the ratios
//! between servers are what counts, not the absolute numbers.

use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tungstenite::Message;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some(url) = args.first().cloned() else {
        eprintln!("usage: ws_echo ws://HOST:PORT/PATH [CONNECTIONS=50] [SECONDS=5] [BYTES=32]");
        std::process::exit(2);
    };
    let number =
        |i: usize, default: u64| args.get(i).and_then(|a| a.parse().ok()).unwrap_or(default);
    let connections = number(1, 50);
    let seconds = number(2, 5);
    let bytes = number(3, 32) as usize;
    let authority = url
        .trim_start_matches("ws://")
        .split('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let stop = Arc::new(AtomicBool::new(false));
    let total = Arc::new(AtomicU64::new(0));
    let payload = "x".repeat(bytes);
    let threads: Vec<_> = (0..connections)
        .map(|_| {
            let (url, authority, payload) = (url.clone(), authority.clone(), payload.clone());
            let (stop, total) = (Arc::clone(&stop), Arc::clone(&total));
            std::thread::spawn(move || {
                let stream = TcpStream::connect(&authority).expect("connect");
                stream.set_nodelay(true).expect("nodelay");
                let (mut ws, _) = tungstenite::client(url.as_str(), stream).expect("handshake");
                let mut n = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    ws.send(Message::text(payload.as_str())).expect("send");
                    loop {
                        match ws.read().expect("read") {
                            Message::Text(t) => {
                                assert_eq!(t.len(), payload.len(), "echo differs");
                                break;
                            }
                            Message::Ping(_) | Message::Pong(_) => {}
                            other => panic!("unexpected {other:?}"),
                        }
                    }
                    n += 1;
                }
                total.fetch_add(n, Ordering::Relaxed);
                let _ = ws.close(None);
            })
        })
        .collect();
    let start = Instant::now();
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().expect("client thread");
    }
    let elapsed = start.elapsed().as_secs_f64();
    let count = total.load(Ordering::Relaxed);
    println!(
        "{:.0} messages/s ({count} echoes, {connections} connections, {elapsed:.1} s)",
        count as f64 / elapsed
    );
}
