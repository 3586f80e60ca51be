//! Starting and stopping the server: one listener shared by N worker threads,
//! each with its own mio event loop and its own `Service`.
//!
//! Listener sharing: one socket is bound once and cloned (`dup`) into every
//! worker's `Poll`, rather than one `SO_REUSEPORT` socket per worker. With a
//! shared socket any idle worker picks up a new connection, while
//! `SO_REUSEPORT` hashes connections to a fixed listener even when that
//! worker is busy running a handler; nobody else (another process of the same
//! user) can bind the port next to us; `port: 0` needs no extra step; and
//! there is no backlog of a closed per-worker listener whose queued
//! connections would be reset. The cost is that every worker wakes on a new
//! connection and all but one get `WouldBlock` from `accept`, which is cheap
//! at one worker per core with keep-alive connections.
//!
//! Shutdown: [`ShutdownHandle::shutdown`] sets a flag and wakes every loop
//! through its `mio::Waker`; each loop closes its listener clone and its idle
//! connections, finishes responses in flight, and returns. [`serve`] wires
//! SIGINT and SIGTERM to the same handle.

use std::io::{self, Write as _};
use std::net::SocketAddr;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError, mpsc};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use mio::{Interest, Poll, Waker};

use crate::access_log::AccessLog;
use crate::core::event_loop::{EventLoop, LISTENER, LoopSettings, WAKER};
use crate::core::http::{Limits, Service};
use crate::core::net;
use crate::metrics::Metrics;
use crate::ws::WsConfig;

/// How long a drain (after [`ShutdownHandle::shutdown`] or SIGTERM) waits for
/// requests in flight before closing what is left: 10 s.
pub const DEFAULT_DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// How to run the server.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Host name or IP address to bind (`127.0.0.1` by default).
    pub host: String,
    /// Port to bind; `0` picks a free one (printed in the listening line).
    pub port: u16,
    /// Worker threads; `0` means one per available core.
    pub workers: usize,
    pub limits: Limits,
    /// Suppresses logging (the listening line is always printed by [`serve`]).
    pub quiet: bool,
    /// After a shutdown request, how long requests in flight may take before
    /// the remaining connections are closed. Default [`DEFAULT_DRAIN_TIMEOUT`].
    pub drain_timeout: Duration,
    /// Counters the event loops update (requests by status, latency,
    /// connections) and the readiness flag; `None` records nothing.
    pub metrics: Option<Arc<Metrics>>,
    /// One line per response (off by default; independent of `quiet`).
    pub access_log: AccessLog,
    /// WebSocket support (`None`: upgrade requests are ordinary requests).
    /// Its hub must have been made for [`ServerConfig::effective_workers`].
    pub websocket: Option<WsConfig>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            host: "127.0.0.1".to_owned(),
            port: 3000,
            workers: 0,
            limits: Limits::default(),
            quiet: false,
            drain_timeout: DEFAULT_DRAIN_TIMEOUT,
            metrics: None,
            access_log: AccessLog::Off,
            websocket: None,
        }
    }
}

impl ServerConfig {
    /// `workers`, or the number of available cores when it is 0.
    pub fn effective_workers(&self) -> usize {
        if self.workers > 0 {
            self.workers
        } else {
            available_cores()
        }
    }
}

/// `std::thread::available_parallelism`, asked once per process: on Linux it
/// reads the cgroup quota files every time, and start-up asks twice (metrics
/// shards, then the workers).
fn available_cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| thread::available_parallelism().map_or(1, std::num::NonZero::get))
}

/// State shared between a [`ShutdownHandle`] and the worker loops.
#[derive(Debug, Default)]
pub(crate) struct Shared {
    stop: AtomicBool,
    wakers: Mutex<Vec<Arc<Waker>>>,
}

impl Shared {
    pub(crate) fn stop_requested(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    fn add_waker(&self, waker: Arc<Waker>) {
        self.wakers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(waker);
    }
}

/// Stops a running server from any thread. Cheap to clone. Create one before
/// the server to pass to [`serve_until`] or [`Server::start_with_handle`].
#[derive(Clone, Debug, Default)]
pub struct ShutdownHandle {
    shared: Arc<Shared>,
}

impl ShutdownHandle {
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks every worker to stop: listeners close, idle connections close,
    /// responses in flight are finished. Returns at once; idempotent.
    pub fn shutdown(&self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        let wakers = self
            .shared
            .wakers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        for waker in wakers.iter() {
            let _ = waker.wake();
        }
    }

    pub fn is_shutdown(&self) -> bool {
        self.shared.stop_requested()
    }
}

/// A started server: workers are running and accepting.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    handle: ShutdownHandle,
    workers: Vec<JoinHandle<io::Result<()>>>,
}

impl Server {
    /// Binds, starts the workers and returns once every worker is ready.
    /// Prints nothing. Dropping the `Server` shuts it down and waits for it.
    pub fn start<F, S>(config: ServerConfig, make_service: F) -> io::Result<Server>
    where
        F: Fn(usize) -> S + Send + Sync + 'static,
        S: Service,
    {
        Self::start_with_handle(config, make_service, ShutdownHandle::new())
    }

    /// [`Server::start`] with a handle created beforehand.
    pub fn start_with_handle<F, S>(
        config: ServerConfig,
        make_service: F,
        handle: ShutdownHandle,
    ) -> io::Result<Server>
    where
        F: Fn(usize) -> S + Send + Sync + 'static,
        S: Service,
    {
        Self::launch(config, make_service, handle, false).map(|(server, _)| server)
    }

    /// Binds and starts the workers. With `inline_first`, worker 0 is not
    /// given a thread: its service is built here and its loop is returned,
    /// for the caller to run on its own thread (the CLI's main thread would
    /// otherwise only wait), which saves a thread start and a hand-over
    /// between threads on the way to the first response.
    fn launch<F, S>(
        config: ServerConfig,
        make_service: F,
        handle: ShutdownHandle,
        inline_first: bool,
    ) -> io::Result<(Server, Option<EventLoop<S>>)>
    where
        F: Fn(usize) -> S + Send + Sync + 'static,
        S: Service,
    {
        let count = config.effective_workers();
        let ServerConfig {
            host,
            port,
            workers: _,
            limits,
            quiet,
            drain_timeout,
            metrics,
            access_log,
            websocket,
        } = config;
        let listener = net::bind(&host, port)?;
        let addr = listener.local_addr()?;
        let make_service = Arc::new(make_service);
        let (ready_tx, ready_rx) = mpsc::channel::<Result<(), String>>();
        let mut server = Server {
            addr,
            handle,
            workers: Vec::with_capacity(count),
        };
        let mut first = None;
        let mut spawned = 0;
        // Threads first, so that they build their services while worker 0
        // (when inline) builds its own.
        let indexes = (1..count).chain(std::iter::once(0));
        for index in indexes {
            let poll = Poll::new()?;
            let mut worker_listener = mio::net::TcpListener::from_std(listener.try_clone()?);
            poll.registry()
                .register(&mut worker_listener, LISTENER, Interest::READABLE)?;
            let waker = Arc::new(Waker::new(poll.registry(), WAKER)?);
            server.handle.shared.add_waker(Arc::clone(&waker));
            let shared = Arc::clone(&server.handle.shared);
            let settings = LoopSettings {
                worker: index,
                limits: limits.clone(),
                quiet,
                drain_timeout,
                metrics: metrics.clone(),
                access_log: access_log.clone(),
                websocket: websocket.clone(),
            };
            if index == 0 && inline_first {
                // This thread runs worker 0's loop (see above).
                if let Some(ws) = &settings.websocket {
                    ws.hub.attach_worker(0, Arc::clone(&waker));
                }
                let built = panic::catch_unwind(AssertUnwindSafe(|| make_service(0)));
                let Ok(service) = built else {
                    return Err(io::Error::other("worker 0: make_service panicked"));
                };
                first = Some(EventLoop::new(
                    poll,
                    worker_listener,
                    service,
                    settings,
                    shared,
                ));
                continue;
            }
            let make_service = Arc::clone(&make_service);
            let ready_tx = ready_tx.clone();
            let worker = thread::Builder::new()
                .name(format!("zigttp-worker-{index}"))
                .spawn(move || {
                    if let Some(ws) = &settings.websocket {
                        ws.hub.attach_worker(index, waker);
                    }
                    let built = panic::catch_unwind(AssertUnwindSafe(|| make_service(index)));
                    let Ok(service) = built else {
                        let _ =
                            ready_tx.send(Err(format!("worker {index}: make_service panicked")));
                        return Ok(());
                    };
                    let _ = ready_tx.send(Ok(()));
                    drop(ready_tx);
                    EventLoop::new(poll, worker_listener, service, settings, shared).run()
                })?;
            server.workers.push(worker);
            spawned += 1;
        }
        drop(ready_tx);
        // The workers hold their own clones; ours is no longer needed.
        drop(listener);
        for _ in 0..spawned {
            match ready_rx.recv() {
                Ok(Ok(())) => {}
                Ok(Err(message)) => return Err(io::Error::other(message)),
                Err(_) => return Err(io::Error::other("a worker exited during start-up")),
            }
        }
        if let Some(metrics) = &metrics {
            metrics.set_ready(!server.handle.is_shutdown());
        }
        Ok((server, first))
    }

    /// The bound address (with the real port when `port` was 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn shutdown_handle(&self) -> ShutdownHandle {
        self.handle.clone()
    }

    /// Same as `self.shutdown_handle().shutdown()`.
    pub fn shutdown(&self) {
        self.handle.shutdown();
    }

    /// Waits for every worker to finish (after a shutdown). The first worker
    /// error, if any, is returned.
    pub fn join(mut self) -> io::Result<()> {
        self.join_workers()
    }

    fn join_workers(&mut self) -> io::Result<()> {
        let mut result = Ok(());
        for worker in self.workers.drain(..) {
            let outcome = worker
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("worker panicked")));
            if result.is_ok() {
                result = outcome;
            }
        }
        result
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if !self.workers.is_empty() {
            self.handle.shutdown();
            let _ = self.join_workers();
        }
    }
}

/// Prints the one line tests and tools parse, flushed.
fn announce(addr: SocketAddr) -> io::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "zigttp listening on http://{addr}")?;
    out.flush()
}

/// After a signal, how much longer than the drain timeout [`serve`] waits for
/// its workers before it exits the process anyway (a worker can be inside a
/// handler call, which ends at the request deadline, not at the drain's).
const EXIT_MARGIN: Duration = Duration::from_secs(1);

/// Binds `config.host:config.port`, starts the workers (each builds its
/// service with `make_service(worker_index)` on its own thread), prints
/// `zigttp listening on http://HOST:PORT` once all are ready, and serves until
/// SIGINT or SIGTERM; then drains (stops accepting, closes idle connections,
/// finishes requests in flight) and returns `Ok(())`. Whatever is still open
/// after `config.drain_timeout` is closed; if a worker is still busy
/// [`EXIT_MARGIN`] after that, the process exits with status 0 on its own. A
/// second signal during the drain exits at once (status 130).
pub fn serve<F, S>(config: ServerConfig, make_service: F) -> io::Result<()>
where
    F: Fn(usize) -> S + Send + Sync + 'static,
    S: Service,
{
    use signal_hook::consts::{SIGINT, SIGTERM};
    use signal_hook::iterator::Signals;

    let handle = ShutdownHandle::new();
    // The handlers are installed now; a signal that arrives before the
    // watcher thread runs waits in the iterator's pipe.
    let mut signals = Signals::new([SIGINT, SIGTERM])?;
    let signals_handle = signals.handle();
    let stopper = handle.clone();
    let drain_timeout = config.drain_timeout;
    let quiet = config.quiet;
    let finished = Arc::new(AtomicBool::new(false));
    let finished_seen = Arc::clone(&finished);
    let mut watcher = None;
    // The watcher thread is started once the server answers: it is not
    // needed for the first response, and on a busy machine every extra
    // thread before it is one more to schedule.
    let result = run_inline(config, make_service, handle, || {
        watcher = Some(
            thread::Builder::new()
                .name("zigttp-signals".to_owned())
                .spawn(move || {
                    let mut received = 0;
                    for _ in signals.forever() {
                        received += 1;
                        if received > 1 {
                            std::process::exit(130);
                        }
                        if !quiet {
                            eprintln!(
                                "zigttp: draining: no new connections, finishing requests in flight (at most {} ms)",
                                drain_timeout.as_millis()
                            );
                        }
                        stopper.shutdown();
                        let finished = Arc::clone(&finished_seen);
                        let _ = thread::Builder::new()
                            .name("zigttp-drain-deadline".to_owned())
                            .spawn(move || {
                                thread::sleep(drain_timeout + EXIT_MARGIN);
                                if !finished.load(Ordering::SeqCst) {
                                    eprintln!(
                                        "zigttp: drain deadline passed with a handler still running; exiting"
                                    );
                                    std::process::exit(0);
                                }
                            });
                    }
                }),
        );
    });
    finished.store(true, Ordering::SeqCst);
    signals_handle.close();
    if let Some(Ok(watcher)) = watcher {
        let _ = watcher.join();
    }
    result
}

/// Like [`serve`] (including the listening line) but without signal handling:
/// it returns once `stop` is shut down and the workers have drained.
pub fn serve_until<F, S>(
    config: ServerConfig,
    make_service: F,
    stop: ShutdownHandle,
) -> io::Result<()>
where
    F: Fn(usize) -> S + Send + Sync + 'static,
    S: Service,
{
    run_inline(config, make_service, stop, || {})
}

/// Starts the server with worker 0 on the calling thread, prints the
/// listening line, calls `started`, runs worker 0's loop, then waits for the
/// other workers.
fn run_inline<F, S>(
    config: ServerConfig,
    make_service: F,
    stop: ShutdownHandle,
    started: impl FnOnce(),
) -> io::Result<()>
where
    F: Fn(usize) -> S + Send + Sync + 'static,
    S: Service,
{
    let (server, first) = Server::launch(config, make_service, stop, true)?;
    announce(server.local_addr())?;
    started();
    let first_result = match first {
        Some(event_loop) => panic::catch_unwind(AssertUnwindSafe(|| event_loop.run()))
            .unwrap_or_else(|_| Err(io::Error::other("worker panicked"))),
        None => Ok(()),
    };
    let others = server.join();
    first_result.and(others)
}
