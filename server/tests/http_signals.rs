//! `serve` stops cleanly on SIGTERM. A test binary of its own, because signal
//! handlers are process-wide.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

use signal_hook::consts::SIGTERM;
use zigttp::core::http::{Request, Response, Service};
use zigttp::core::{ServerConfig, serve};

struct Hello;

impl Service for Hello {
    fn call(&mut self, _req: &Request<'_>, res: &mut Response) {
        res.body_mut().extend_from_slice(b"hello");
    }
}

#[test]
fn sigterm_stops_serve() {
    // A handler of our own, so a SIGTERM raised before `serve` has installed
    // its handler does not kill the test process.
    signal_hook::flag::register(SIGTERM, Arc::new(AtomicBool::new(false))).unwrap();
    let (done_tx, done_rx) = mpsc::channel();
    thread::spawn(move || {
        let config = ServerConfig {
            port: 0,
            workers: 2,
            quiet: true,
            ..ServerConfig::default()
        };
        let _ = done_tx.send(serve(config, |_| Hello));
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        thread::sleep(Duration::from_millis(200));
        signal_hook::low_level::raise(SIGTERM).unwrap();
        match done_rx.recv_timeout(Duration::from_millis(500)) {
            Ok(result) => {
                result.unwrap();
                return;
            }
            Err(RecvTimeoutError::Timeout) => {
                assert!(Instant::now() < deadline, "serve did not stop");
            }
            Err(RecvTimeoutError::Disconnected) => panic!("serve panicked"),
        }
    }
}
