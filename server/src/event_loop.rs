//! The per-worker mio event loop: accept, dispatch readiness to connections,
//! scan timers, drain on shutdown. Shaped after mio's `examples/tcp_server.rs`
//! (STYLE.md 4a), with a slab of connections instead of a map.
//!
//! Timers: instead of a timer wheel, the loop scans its connections a few
//! times per shortest timeout (every `shortest_timeout / 4`, clamped to
//! 10..=250 ms; with no connections it sleeps until an event). A scan of
//! 10 000 connections is a few microseconds of work, and expiry is accurate to
//! one scan interval, which is all the timeouts need.

use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use mio::net::TcpListener;
use mio::{Events, Interest, Poll, Token};

use crate::access_log::{AccessLog, AccessLogger};
use crate::core::conn::{Conn, Ctx, Outcome};
use crate::core::http::{DateCache, Limits, Response, Service};
use crate::core::net::{interrupted, is_resource_exhaustion, would_block};
use crate::core::worker::Shared;
use crate::metrics::Metrics;
use crate::ws::WsConfig;
use crate::ws::hub::Outgoing;

/// Token of the listening socket.
pub(crate) const LISTENER: Token = Token(usize::MAX - 1);
/// Token of the shutdown waker.
pub(crate) const WAKER: Token = Token(usize::MAX);

/// Readiness events taken per `poll` call.
const EVENTS_CAPACITY: usize = 1024;

/// What a worker's loop is configured with (from `ServerConfig`).
pub(crate) struct LoopSettings {
    pub(crate) worker: usize,
    pub(crate) limits: Limits,
    pub(crate) quiet: bool,
    /// How long a shutdown waits for connections that are mid-request or
    /// mid-response before closing them anyway.
    pub(crate) drain_timeout: Duration,
    pub(crate) metrics: Option<Arc<Metrics>>,
    pub(crate) access_log: AccessLog,
    pub(crate) websocket: Option<WsConfig>,
}

/// Connections indexed by token; freed slots are reused.
#[derive(Default)]
struct Slab {
    entries: Vec<Option<Conn>>,
    free: Vec<usize>,
    len: usize,
}

impl Slab {
    fn next_key(&self) -> usize {
        self.free.last().copied().unwrap_or(self.entries.len())
    }

    fn insert(&mut self, conn: Conn) -> usize {
        self.len += 1;
        if let Some(key) = self.free.pop() {
            self.entries[key] = Some(conn);
            key
        } else {
            self.entries.push(Some(conn));
            self.entries.len() - 1
        }
    }

    fn get_mut(&mut self, key: usize) -> Option<&mut Conn> {
        self.entries.get_mut(key).and_then(Option::as_mut)
    }

    fn remove(&mut self, key: usize) -> Option<Conn> {
        let conn = self.entries.get_mut(key).and_then(Option::take)?;
        self.free.push(key);
        self.len -= 1;
        Some(conn)
    }

    fn keys(&self) -> impl Iterator<Item = usize> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, c)| c.is_some())
            .map(|(k, _)| k)
    }
}

/// Everything one worker thread owns.
pub(crate) struct EventLoop<S> {
    poll: Poll,
    events: Events,
    listener: Option<TcpListener>,
    conns: Slab,
    /// Connections to close once the current batch of events is handled (so
    /// a slot is never reused while events for its old owner are pending).
    closing: Vec<usize>,
    ctx: Ctx<S>,
    shared: Arc<Shared>,
    /// Accepting stopped after running out of descriptors; retried at the
    /// next timer scan.
    accept_paused: bool,
    drain_timeout: Duration,
    /// WebSocket messages taken from this worker's hub outbox.
    ws_outbox: Vec<Outgoing>,
}

impl<S: Service> EventLoop<S> {
    /// `poll` must already have the listener registered as [`LISTENER`] and
    /// a waker as [`WAKER`].
    pub(crate) fn new(
        poll: Poll,
        listener: TcpListener,
        service: S,
        settings: LoopSettings,
        shared: Arc<Shared>,
    ) -> Self {
        let LoopSettings {
            worker,
            limits,
            quiet,
            drain_timeout,
            metrics,
            access_log,
            websocket,
        } = settings;
        Self {
            poll,
            events: Events::with_capacity(EVENTS_CAPACITY),
            listener: Some(listener),
            conns: Slab::default(),
            closing: Vec::new(),
            ctx: Ctx {
                service,
                response: Response::new(),
                scratch: Vec::new(),
                date: DateCache::new(),
                limits,
                now: Instant::now(),
                draining: false,
                shared: Arc::clone(&shared),
                quiet,
                worker,
                metrics,
                access_log: AccessLogger::new(access_log),
                ws: websocket,
                defer_writes: false,
                deferred: Vec::with_capacity(EVENTS_CAPACITY),
            },
            ws_outbox: Vec::new(),
            shared,
            accept_paused: false,
            drain_timeout,
        }
    }

    /// Runs until shutdown has been requested and every connection is done
    /// (or the drain grace period is over).
    pub(crate) fn run(mut self) -> io::Result<()> {
        let tick = (self.ctx.limits.shortest_timeout() / 4)
            .clamp(Duration::from_millis(10), Duration::from_millis(250));
        let mut next_scan = Instant::now() + tick;
        let mut drain_deadline = None;
        loop {
            if drain_deadline.is_none() && self.shared.stop_requested() {
                drain_deadline = Some(Instant::now() + self.drain_timeout);
                self.begin_drain();
            }
            if drain_deadline.is_some_and(|d| self.conns.len == 0 || Instant::now() >= d) {
                break;
            }
            // The access-log lines of the last turn go out before the
            // worker may sleep.
            self.ctx.access_log.flush();
            let timeout = if self.conns.len == 0 && !self.accept_paused && drain_deadline.is_none()
            {
                None
            } else {
                Some(next_scan.saturating_duration_since(Instant::now()))
            };
            if let Err(e) = self.poll.poll(&mut self.events, timeout) {
                if interrupted(&e) {
                    continue;
                }
                return Err(e);
            }
            self.ctx.now = Instant::now();
            self.ctx.date.refresh(SystemTime::now());
            self.dispatch();
            self.deliver_ws();
            self.close_pending();
            if self.ctx.now >= next_scan {
                self.scan_timers();
                self.deliver_ws();
                self.close_pending();
                if self.accept_paused {
                    self.accept_paused = false;
                    self.accept();
                }
                next_scan = self.ctx.now + tick;
            }
        }
        for key in self.conns.keys().collect::<Vec<_>>() {
            self.close(key);
        }
        Ok(())
    }

    fn dispatch(&mut self) {
        let registry = self.poll.registry();
        let mut accept_ready = false;
        // Responses wait until the access-log lines of this batch are
        // written (one write for the batch; see `Ctx::defer_writes`).
        self.ctx.defer_writes = true;
        for event in &self.events {
            match event.token() {
                LISTENER => accept_ready = true,
                WAKER => {}
                Token(key) => {
                    let Some(conn) = self.conns.get_mut(key) else {
                        continue;
                    };
                    let hup = event.is_read_closed() || event.is_error();
                    let readable = event.is_readable() || hup;
                    if conn.ready(readable, hup, &mut self.ctx, registry) == Outcome::Close {
                        self.closing.push(key);
                    }
                }
            }
        }
        self.ctx.defer_writes = false;
        self.ctx.access_log.flush();
        let mut deferred = std::mem::take(&mut self.ctx.deferred);
        for key in deferred.drain(..) {
            if let Some(conn) = self.conns.get_mut(key)
                && conn.ready(false, false, &mut self.ctx, registry) == Outcome::Close
            {
                self.closing.push(key);
            }
        }
        self.ctx.deferred = deferred;
        if accept_ready {
            self.accept();
        }
    }

    /// Accepts until `WouldBlock` (edge-triggered: a partial drain could miss
    /// connections for good).
    fn accept(&mut self) {
        let Some(listener) = &self.listener else {
            return;
        };
        loop {
            match listener.accept() {
                Ok((mut stream, _peer)) => {
                    if self.conns.len >= self.ctx.limits.max_connections {
                        drop(stream);
                        if let Some(metrics) = &self.ctx.metrics {
                            metrics.connection_rejected(self.ctx.worker);
                        }
                        continue;
                    }
                    // Small responses must not wait for Nagle's algorithm.
                    let _ = stream.set_nodelay(true);
                    let key = self.conns.next_key();
                    if let Err(e) =
                        self.poll
                            .registry()
                            .register(&mut stream, Token(key), Interest::READABLE)
                    {
                        log(
                            self.ctx.quiet,
                            &format!("cannot register a connection: {e}"),
                        );
                        continue;
                    }
                    self.conns
                        .insert(Conn::new(stream, Token(key), self.ctx.now));
                    if let Some(metrics) = &self.ctx.metrics {
                        metrics.connection_opened(self.ctx.worker);
                    }
                }
                Err(e) if would_block(&e) => return,
                Err(e) if interrupted(&e) || e.kind() == io::ErrorKind::ConnectionAborted => {}
                Err(e) => {
                    if is_resource_exhaustion(&e) {
                        log(self.ctx.quiet, &format!("accept paused: {e}"));
                    } else {
                        log(self.ctx.quiet, &format!("accept error: {e}"));
                    }
                    self.accept_paused = true;
                    return;
                }
            }
        }
    }

    /// Writes what handlers queued for this worker's WebSockets (until the
    /// outbox stays empty: delivering can run callbacks that queue more).
    fn deliver_ws(&mut self) {
        let Some(hub) = self.ctx.ws.as_ref().map(|ws| Arc::clone(&ws.hub)) else {
            return;
        };
        let worker = self.ctx.worker;
        let registry = self.poll.registry();
        loop {
            hub.drain_outbox(worker, &mut self.ws_outbox);
            if self.ws_outbox.is_empty() {
                return;
            }
            for message in self.ws_outbox.drain(..) {
                let Some(key) = hub.slot(message.id(), worker) else {
                    continue;
                };
                let Some(conn) = self.conns.get_mut(key) else {
                    continue;
                };
                if conn.ws_outgoing(&message, &mut self.ctx, registry) == Outcome::Close
                    && !self.closing.contains(&key)
                {
                    self.closing.push(key);
                }
            }
        }
    }

    fn scan_timers(&mut self) {
        let registry = self.poll.registry();
        for (key, slot) in self.conns.entries.iter_mut().enumerate() {
            let Some(conn) = slot else { continue };
            if conn.check_timers(&mut self.ctx, registry) == Outcome::Close {
                self.closing.push(key);
            }
        }
    }

    /// Stop accepting (the listener is closed by the last worker to drop its
    /// clone), stop keep-alive, close idle connections.
    fn begin_drain(&mut self) {
        if let Some(mut listener) = self.listener.take() {
            let _ = self.poll.registry().deregister(&mut listener);
        }
        self.accept_paused = false;
        self.ctx.draining = true;
        if let Some(metrics) = &self.ctx.metrics {
            metrics.set_ready(false);
        }
        self.ctx.now = Instant::now();
        let registry = self.poll.registry();
        for (key, slot) in self.conns.entries.iter_mut().enumerate() {
            let Some(conn) = slot else { continue };
            conn.hurry_linger(self.ctx.now);
            // Serve what already arrived (answered with `Connection: close`)
            // rather than dropping it with the idle connection.
            if conn.ready(true, false, &mut self.ctx, registry) == Outcome::Close || conn.is_idle()
            {
                self.closing.push(key);
            }
        }
        self.close_pending();
    }

    fn close_pending(&mut self) {
        while let Some(key) = self.closing.pop() {
            self.close(key);
        }
    }

    fn close(&mut self, key: usize) {
        if let Some(mut conn) = self.conns.remove(key) {
            conn.end_ws(&mut self.ctx);
            let _ = self.poll.registry().deregister(conn.stream_mut());
            if let Some(metrics) = &self.ctx.metrics {
                metrics.connection_closed(self.ctx.worker);
            }
        }
    }
}

fn log(quiet: bool, message: &str) {
    if !quiet {
        eprintln!("zigttp: {message}");
    }
}
