//! Cold start, spawn to first `200`, measured tighter than
//! `compare.sh coldstart` (which forks from bash and probes about once a
//! millisecond, a floor of about 5 ms on a 2-core machine): each command is
//! spawned directly, then its port is tried every 100 us with `GET /` until a
//! `200` comes back. Commands run in interleaved rounds; the median, min and
//! max per command are printed (docs/performance.md).
//!
//! ```sh
//! cargo bench -p zigttp --bench coldstart -- ROUNDS 'CMD {port}' ['CMD {port}' ...]
//! cargo bench -p zigttp --bench coldstart -- 15 \
//!   "$D/zigttp run hello.zbc --port {port}" "$HOME/.cache/zigttp-bench/bin/bun bun_hello.js {port}"
//! ```
//!
//! `{port}` is replaced by a free port; words are split on spaces.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().expect("address").port()
}

/// Whether `GET /` on `port` answers `200` now.
fn answers(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    if s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .is_err()
    {
        return false;
    }
    let mut head = [0u8; 12];
    s.read_exact(&mut head).is_ok() && &head[9..12] == b"200"
}

/// Milliseconds from spawn to the first `200`, or `None` after 10 s.
fn start_once(template: &str) -> Option<f64> {
    let port = free_port();
    let line = template.replace("{port}", &port.to_string());
    let mut words = line.split_whitespace();
    let program = words.next().expect("a command");
    let t0 = Instant::now();
    let mut child = Command::new(program)
        .args(words)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {program}: {e}"));
    let mut took = None;
    while t0.elapsed() < Duration::from_secs(10) {
        if answers(port) {
            took = Some(t0.elapsed().as_secs_f64() * 1e3);
            break;
        }
        std::thread::sleep(Duration::from_micros(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    took
}

fn main() {
    // `cargo bench` adds `--bench`.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let Some((rounds, commands)) = args.split_first() else {
        eprintln!("usage: coldstart ROUNDS 'CMD {{port}}' ...  (see the file's header)");
        return;
    };
    let rounds: usize = rounds.parse().expect("ROUNDS is a number");
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); commands.len()];
    for _ in 0..rounds {
        for (i, cmd) in commands.iter().enumerate() {
            match start_once(cmd) {
                Some(ms) => times[i].push(ms),
                None => eprintln!("no 200 within 10 s: {cmd}"),
            }
        }
    }
    for (cmd, t) in commands.iter().zip(&mut times) {
        t.sort_by(f64::total_cmp);
        if t.is_empty() {
            println!("{cmd}: no successful start");
            continue;
        }
        println!(
            "median {:7.3} ms  min {:7.3}  max {:7.3}  ({} starts)  {cmd}",
            t[t.len() / 2],
            t[0],
            t[t.len() - 1],
            t.len()
        );
    }
}
