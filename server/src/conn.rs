//! One client connection: its reusable buffers, its request decoder and the
//! state machine `Reading -> Handling -> Writing { offset } -> Reading |
//! Closing` (STYLE.md 4a/4b, DESIGN.md section 7).
//!
//! The socket is registered edge-triggered, so every readiness event is
//! followed by reads until `WouldBlock` (mio's "draining readiness" rule);
//! responses are written straight away and `WRITABLE` interest is added only
//! while a write is stuck half-way.

use std::io::{self, Read, Write};
use std::net::Shutdown;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use mio::net::TcpStream;
use mio::{Interest, Registry, Token};

use crate::access_log::{AccessLogger, Entry};
use crate::core::http::{
    CONTINUE_RESPONSE, DateCache, Decoded, Head, Header, HttpError, Limits, MAX_HEADERS_CAP,
    RequestDecoder, Response, Service, encode_error, encode_response, reason,
};
use crate::core::net::{interrupted, is_disconnect, would_block};
use crate::core::worker::Shared;
use crate::metrics::Metrics;
use crate::ws::hub::Outgoing;
use crate::ws::session::{Next, Session};
use crate::ws::{WsConfig, handshake};

/// Initial (and shrink-back) size of a connection's read buffer.
const READ_BUF_INITIAL: usize = 4 * 1024;
/// Grow the read buffer when less than this is free after compaction.
const READ_MIN_SPARE: usize = 1024;
/// A read buffer that grew beyond this (a big body) is shrunk back once empty.
const READ_BUF_KEEP: usize = 64 * 1024;
/// Stop encoding pipelined responses once this much is queued; write first.
const WRITE_HIGH_WATER: usize = 64 * 1024;
/// A write buffer that grew beyond this (a big response) is shrunk once sent.
const WRITE_BUF_KEEP: usize = 256 * 1024;
/// After the last response of a closing connection, how long unread input is
/// still drained before the socket is closed (closing with unread input makes
/// the kernel send RST, which can destroy the response in flight).
const LINGER_TIMEOUT: Duration = Duration::from_secs(2);
/// ... and how many such bytes at most.
const LINGER_MAX_BYTES: usize = 4 * 1024 * 1024;
/// The linger period while the server shuts down, so that a peer that keeps
/// its socket open does not hold up the exit.
const DRAIN_LINGER_TIMEOUT: Duration = Duration::from_millis(250);

/// Whether the event loop keeps the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Open,
    Close,
}

/// Where a connection is in its request/response cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConnState {
    /// Waiting for (the rest of) a request.
    Reading,
    /// A complete request is being served (transient, inside one event).
    Handling,
    /// `write_buf[offset..]` is still to be sent.
    Writing { offset: usize },
    /// The last response is out and our side is shut down; input is drained
    /// until the peer closes or `until` passes.
    Closing { until: Instant },
}

/// Per-worker state shared by all connections of that worker.
pub(crate) struct Ctx<S> {
    pub(crate) service: S,
    pub(crate) response: Response,
    /// De-chunked request bodies.
    pub(crate) scratch: Vec<u8>,
    pub(crate) date: DateCache,
    pub(crate) limits: Limits,
    /// The time of the current poll wakeup.
    pub(crate) now: Instant,
    /// Shutting down: no more keep-alive.
    pub(crate) draining: bool,
    /// Shutdown requested (seen before the loop itself notices).
    pub(crate) shared: Arc<Shared>,
    pub(crate) quiet: bool,
    /// This worker's index (its metrics shard).
    pub(crate) worker: usize,
    pub(crate) metrics: Option<Arc<Metrics>>,
    pub(crate) access_log: AccessLogger,
    /// WebSocket support, when the server has it.
    pub(crate) ws: Option<WsConfig>,
    /// While the loop dispatches a batch of events: a connection with a
    /// response to send while access-log lines wait puts its key in
    /// `deferred` instead of writing; the loop writes the lines, then drives
    /// those connections again. Otherwise the lines are written first.
    pub(crate) defer_writes: bool,
    pub(crate) deferred: Vec<usize>,
}

impl<S> Ctx<S> {
    /// Records one response in the metrics and the access log. `latency` is
    /// `None` for refusals (the service was not called).
    fn observe(&mut self, entry: &Entry<'_>, latency: Option<Duration>) {
        if let Some(metrics) = &self.metrics {
            metrics.record_response(self.worker, entry.status, latency);
        }
        if !self.access_log.is_off() {
            self.access_log.log(entry, SystemTime::now());
        }
    }
}

/// A read buffer that stays fully initialized (`data.len()` is its size), so
/// reading into it needs no `unsafe` and no zeroing per read.
struct ReadBuf {
    data: Vec<u8>,
    /// Start of the unprocessed bytes.
    start: usize,
    /// End of the received bytes.
    end: usize,
}

impl ReadBuf {
    fn new() -> Self {
        Self {
            data: vec![0; READ_BUF_INITIAL],
            start: 0,
            end: 0,
        }
    }

    fn pending_len(&self) -> usize {
        self.end - self.start
    }

    /// Makes room for a read: compacts, then grows (up to `cap` pending bytes
    /// plus slack).
    fn make_room(&mut self, cap: usize) {
        if self.data.len() - self.end >= READ_MIN_SPARE {
            return;
        }
        if self.start > 0 {
            self.data.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.data.len() - self.end < READ_MIN_SPARE {
            let target = (self.data.len() * 2)
                .min(cap + READ_MIN_SPARE)
                .max(self.end + READ_MIN_SPARE);
            self.data.resize(target, 0);
        }
    }

    /// Called when everything received was processed.
    fn reset(&mut self) {
        self.start = 0;
        self.end = 0;
        if self.data.len() > READ_BUF_KEEP {
            self.data.truncate(READ_BUF_INITIAL);
            self.data.shrink_to_fit();
        }
    }
}

enum Flush {
    Done,
    Blocked(usize),
    Failed,
}

pub(crate) struct Conn {
    stream: TcpStream,
    token: Token,
    state: ConnState,
    read: ReadBuf,
    write_buf: Vec<u8>,
    decoder: RequestDecoder,
    /// Requests answered on this connection.
    served: usize,
    /// Close once `write_buf` is sent (error, `Connection: close`, limits).
    close_after_write: bool,
    /// The peer shut down its sending side.
    peer_eof: bool,
    /// The socket has nothing more to read: the last read returned
    /// `WouldBlock`, or fewer bytes than there was room for. Wait for the
    /// next event.
    drained: bool,
    /// An event reported the peer's shutdown (or a socket error): read on
    /// until `WouldBlock` or EOF, since no further edge will come.
    hup_seen: bool,
    /// `WRITABLE` is part of the registered interest.
    writable_interest: bool,
    /// Last time bytes moved in either direction.
    last_active: Instant,
    /// When the first bytes of the pending (incomplete) request were seen.
    request_started: Option<Instant>,
    /// When the head of the pending request was complete (body still due).
    body_started: Option<Instant>,
    lingered: usize,
    /// Set once the connection upgraded to a WebSocket.
    ws: Option<Box<Session>>,
}

/// How [`respond`] left the connection.
enum Answer {
    /// Answered; whether it stays open.
    Http { keep_alive: bool },
    /// Switched to a WebSocket on this path (the `101` is queued).
    Upgraded { path: String },
}

impl Conn {
    pub(crate) fn new(stream: TcpStream, token: Token, now: Instant) -> Self {
        Self {
            stream,
            token,
            state: ConnState::Reading,
            read: ReadBuf::new(),
            write_buf: Vec::new(),
            decoder: RequestDecoder::new(),
            served: 0,
            close_after_write: false,
            peer_eof: false,
            drained: false,
            hup_seen: false,
            writable_interest: false,
            last_active: now,
            request_started: None,
            body_started: None,
            lingered: 0,
            ws: None,
        }
    }

    pub(crate) fn stream_mut(&mut self) -> &mut TcpStream {
        &mut self.stream
    }

    /// Nothing received, nothing to send: safe to close at shutdown.
    pub(crate) fn is_idle(&self) -> bool {
        self.ws.is_none()
            && self.state == ConnState::Reading
            && self.read.pending_len() == 0
            && self.write_buf.is_empty()
    }

    /// A readiness event for this connection.
    pub(crate) fn ready<S: Service>(
        &mut self,
        readable: bool,
        hup: bool,
        ctx: &mut Ctx<S>,
        registry: &Registry,
    ) -> Outcome {
        if readable {
            self.drained = false;
        }
        if hup {
            self.hup_seen = true;
        }
        self.drive(ctx, registry)
    }

    /// Timer scan: enforces the header/body read, idle, write and linger
    /// timeouts.
    pub(crate) fn check_timers<S: Service>(
        &mut self,
        ctx: &mut Ctx<S>,
        registry: &Registry,
    ) -> Outcome {
        let now = ctx.now;
        if self.ws.is_some() {
            return self.ws_timers(ctx, registry);
        }
        let limits = &ctx.limits;
        let expired = match self.state {
            ConnState::Closing { until } => {
                if now >= until {
                    return Outcome::Close;
                }
                false
            }
            ConnState::Writing { .. } => {
                if now.duration_since(self.last_active) >= limits.write_timeout {
                    return Outcome::Close;
                }
                false
            }
            ConnState::Reading | ConnState::Handling => {
                match (self.request_started, self.body_started) {
                    (_, Some(t)) => now.duration_since(t) >= limits.body_read_timeout,
                    (Some(t), None) => now.duration_since(t) >= limits.header_read_timeout,
                    (None, None) => {
                        if self.read.pending_len() == 0
                            && now.duration_since(self.last_active) >= limits.idle_timeout
                        {
                            return Outcome::Close;
                        }
                        false
                    }
                }
            }
        };
        if expired {
            self.refuse(HttpError::Timeout, ctx);
            return self.drive(ctx, registry);
        }
        Outcome::Open
    }

    /// Runs the state machine until it has to wait for the socket.
    fn drive<S: Service>(&mut self, ctx: &mut Ctx<S>, registry: &Registry) -> Outcome {
        loop {
            // An upgrade can happen in the middle of this loop.
            if self.ws.is_some() {
                return self.drive_ws(ctx, registry);
            }
            match self.state {
                ConnState::Writing { offset }
                    if ctx.access_log.has_pending() && ctx.defer_writes =>
                {
                    ctx.deferred.push(self.token.0);
                    self.state = ConnState::Writing { offset };
                    return Outcome::Open;
                }
                ConnState::Writing { offset } => match self.write_pending(offset, ctx, registry) {
                    Flush::Done => {
                        if self.close_after_write {
                            if self.begin_close(ctx) == Outcome::Close {
                                return Outcome::Close;
                            }
                        } else {
                            self.state = ConnState::Reading;
                        }
                    }
                    Flush::Blocked(_) => return Outcome::Open,
                    Flush::Failed => return Outcome::Close,
                },
                ConnState::Closing { .. } => return self.discard_input(),
                ConnState::Reading | ConnState::Handling => {
                    self.serve_buffered(ctx);
                    if !self.write_buf.is_empty() {
                        self.state = ConnState::Writing { offset: 0 };
                        continue;
                    }
                    if self.close_after_write {
                        if self.begin_close(ctx) == Outcome::Close {
                            return Outcome::Close;
                        }
                        continue;
                    }
                    if self.peer_eof {
                        return Outcome::Close;
                    }
                    if self.drained {
                        return Outcome::Open;
                    }
                    if !self.fill(ctx) {
                        return Outcome::Close;
                    }
                }
            }
        }
    }

    /// One read into the buffer. Returns `false` on a failed socket.
    fn fill<S>(&mut self, ctx: &mut Ctx<S>) -> bool {
        let cap = ctx.limits.max_buffered_request_bytes();
        if self.read.pending_len() >= cap {
            // Unreachable in practice: the decoder refuses a request before
            // its bytes reach `cap`, and complete ones are served first.
            self.refuse(HttpError::BodyTooLarge, ctx);
            return true;
        }
        self.read_some(ctx, cap)
    }

    /// One read into the buffer, growing it up to `cap` pending bytes.
    fn read_some<S>(&mut self, ctx: &Ctx<S>, cap: usize) -> bool {
        self.read.make_room(cap);
        loop {
            let room = self.read.data.len() - self.read.end;
            match self.stream.read(&mut self.read.data[self.read.end..]) {
                Ok(0) => {
                    self.peer_eof = true;
                    return true;
                }
                Ok(n) => {
                    self.read.end += n;
                    self.last_active = ctx.now;
                    // A short read emptied the socket's receive queue: more
                    // data will raise a new (edge-triggered) event, so the
                    // read that would only return `WouldBlock` is skipped.
                    // Not after a shutdown or error event, which raises no
                    // further edge: then read on until EOF.
                    if n < room && !self.hup_seen {
                        self.drained = true;
                    }
                    return true;
                }
                Err(e) if would_block(&e) => {
                    self.drained = true;
                    return true;
                }
                Err(e) if interrupted(&e) => {}
                Err(e) => {
                    log_io_error("read", &e, ctx.quiet);
                    return false;
                }
            }
        }
    }

    /// Decodes and answers every complete request in the buffer, in order,
    /// until one is incomplete, the connection must close, or enough output
    /// is queued.
    fn serve_buffered<S: Service>(&mut self, ctx: &mut Ctx<S>) {
        while !self.close_after_write && self.write_buf.len() < WRITE_HIGH_WATER {
            let pending = &self.read.data[self.read.start..self.read.end];
            if pending.is_empty() {
                break;
            }
            self.state = ConnState::Handling;
            let mut raw = [httparse::EMPTY_HEADER; MAX_HEADERS_CAP];
            match self.decoder.decode(pending, &ctx.limits, &mut raw) {
                Ok(Decoded::Partial) => {
                    self.request_started.get_or_insert(ctx.now);
                    if self.decoder.head_complete() {
                        self.body_started.get_or_insert(ctx.now);
                    }
                    if self.decoder.needs_continue() {
                        self.write_buf.extend_from_slice(CONTINUE_RESPONSE);
                        self.decoder.mark_continue_sent();
                    }
                    break;
                }
                Ok(Decoded::Complete(head)) => {
                    let consumed = head.consumed;
                    self.served += 1;
                    let keep_alive = head.keep_alive
                        && !ctx.draining
                        && self.served < ctx.limits.max_requests_per_connection;
                    let answer =
                        respond(&head, pending, &raw, ctx, &mut self.write_buf, keep_alive);
                    self.read.start += consumed;
                    self.request_started = None;
                    self.body_started = None;
                    match answer {
                        Answer::Http { keep_alive: open } => {
                            self.close_after_write = !(keep_alive && open);
                        }
                        Answer::Upgraded { path } => {
                            self.upgrade(&path, ctx);
                            return;
                        }
                    }
                }
                Err(e) => {
                    self.refuse(e, ctx);
                    break;
                }
            }
        }
        self.state = ConnState::Reading;
        if self.read.pending_len() == 0 {
            self.read.reset();
        }
    }

    /// Queues an error response, drops all unprocessed input, and arranges
    /// for the connection to close after the response.
    fn refuse<S>(&mut self, error: HttpError, ctx: &mut Ctx<S>) {
        let status = error.status();
        encode_error(&mut self.write_buf, status, &ctx.date);
        ctx.observe(
            &Entry {
                method: None,
                path: None,
                status,
                bytes: reason(status).len() + 1,
                duration: Duration::ZERO,
            },
            None,
        );
        self.close_after_write = true;
        self.read.start = self.read.end;
        self.decoder.reset();
        self.request_started = None;
        self.body_started = None;
        self.state = ConnState::Writing { offset: 0 };
    }

    fn flush<S>(&mut self, mut offset: usize, ctx: &mut Ctx<S>) -> Flush {
        let (now, quiet) = (ctx.now, ctx.quiet);
        // Log lines first: see `Ctx::defer_writes`.
        ctx.access_log.flush();
        while offset < self.write_buf.len() {
            match self.stream.write(&self.write_buf[offset..]) {
                Ok(0) => return Flush::Failed,
                Ok(n) => {
                    offset += n;
                    self.last_active = now;
                }
                Err(e) if would_block(&e) => return Flush::Blocked(offset),
                Err(e) if interrupted(&e) => {}
                Err(e) => {
                    log_io_error("write", &e, quiet);
                    return Flush::Failed;
                }
            }
        }
        self.write_buf.clear();
        if self.write_buf.capacity() > WRITE_BUF_KEEP {
            self.write_buf.shrink_to(WRITE_HIGH_WATER);
        }
        Flush::Done
    }

    /// The last response is sent: shut down our side (the peer sees EOF right
    /// after the response) and linger on the input.
    fn begin_close<S>(&mut self, ctx: &Ctx<S>) -> Outcome {
        if self.peer_eof || self.stream.shutdown(Shutdown::Write).is_err() {
            return Outcome::Close;
        }
        self.read.reset();
        let linger = if ctx.draining {
            DRAIN_LINGER_TIMEOUT
        } else {
            LINGER_TIMEOUT
        };
        self.state = ConnState::Closing {
            until: ctx.now + linger,
        };
        Outcome::Open
    }

    /// Shutdown began: shorten a linger in progress.
    pub(crate) fn hurry_linger(&mut self, now: Instant) {
        if let ConnState::Closing { until } = &mut self.state {
            *until = (*until).min(now + DRAIN_LINGER_TIMEOUT);
        }
    }

    /// Reads and drops input until the peer closes (then close) or the socket
    /// is drained (then wait).
    fn discard_input(&mut self) -> Outcome {
        loop {
            match self.stream.read(&mut self.read.data) {
                Ok(0) => return Outcome::Close,
                Ok(n) => {
                    self.lingered += n;
                    if self.lingered > LINGER_MAX_BYTES {
                        return Outcome::Close;
                    }
                }
                Err(e) if would_block(&e) => return Outcome::Open,
                Err(e) if interrupted(&e) => {}
                Err(_) => return Outcome::Close,
            }
        }
    }

    /// The `101` is queued: from here on the connection speaks WebSocket.
    fn upgrade<S: Service>(&mut self, path: &str, ctx: &mut Ctx<S>) {
        let Some(ws) = &ctx.ws else { return };
        let id = ws.hub.open(ctx.worker, self.token.0, path);
        let mut session = Box::new(Session::new(id, path, ws, ctx.now));
        if let Some(metrics) = &ctx.metrics {
            metrics.websocket_opened(ctx.worker);
        }
        let ok = ctx
            .service
            .ws_event(crate::core::http::WsEvent::Open { id, path });
        if !ok {
            let message = Outgoing::Close {
                id,
                code: crate::ws::codec::CLOSE_INTERNAL_ERROR,
                reason: "handler error".into(),
            };
            session.on_outgoing(&message, &mut ctx.service, &mut self.write_buf, ctx.now);
            self.close_after_write = true;
        }
        self.ws = Some(session);
        self.state = ConnState::Reading;
    }

    /// The WebSocket state machine: write what is queued, then handle
    /// buffered frames, then read; input waits while output is backed up.
    fn drive_ws<S: Service>(&mut self, ctx: &mut Ctx<S>, registry: &Registry) -> Outcome {
        let Some(cap) = ctx.ws.as_ref().map(|ws| ws.max_message + READ_MIN_SPARE) else {
            return Outcome::Close;
        };
        loop {
            if let ConnState::Closing { .. } = self.state {
                return self.discard_input();
            }
            let Some(session) = self.ws.as_mut() else {
                return Outcome::Close;
            };
            if ctx.draining && !session.closing() {
                let _ = session.on_timer(
                    &mut ctx.service,
                    &mut self.write_buf,
                    Duration::ZERO,
                    true,
                    ctx.now,
                );
            }
            if !self.write_buf.is_empty() {
                let offset = match self.state {
                    ConnState::Writing { offset } => offset,
                    _ => 0,
                };
                match self.write_pending(offset, ctx, registry) {
                    Flush::Done => self.state = ConnState::Reading,
                    Flush::Blocked(_) => return self.ws_backlog_check(ctx),
                    Flush::Failed => return Outcome::Close,
                }
            }
            if self.close_after_write {
                return self.begin_close(ctx);
            }
            let Some(session) = self.ws.as_mut() else {
                return Outcome::Close;
            };
            if self.read.pending_len() > 0 {
                let pending = &self.read.data[self.read.start..self.read.end];
                let (used, next) = session.on_input(
                    pending,
                    &mut ctx.service,
                    &mut self.write_buf,
                    WRITE_HIGH_WATER,
                    ctx.now,
                );
                self.read.start += used;
                if self.read.pending_len() == 0 {
                    self.read.reset();
                }
                if next == Next::CloseAfterWrite {
                    self.close_after_write = true;
                    self.read.reset();
                }
                if !self.write_buf.is_empty() || self.close_after_write {
                    continue;
                }
            }
            if self.peer_eof {
                return Outcome::Close;
            }
            if self.drained {
                return Outcome::Open;
            }
            if !self.read_some(ctx, cap) {
                return Outcome::Close;
            }
        }
    }

    /// Timers of a WebSocket: write timeout, linger, idle ping and close,
    /// the closing handshake's timeout.
    fn ws_timers<S: Service>(&mut self, ctx: &mut Ctx<S>, registry: &Registry) -> Outcome {
        let now = ctx.now;
        match self.state {
            ConnState::Closing { until } => {
                return if now >= until {
                    Outcome::Close
                } else {
                    Outcome::Open
                };
            }
            ConnState::Writing { .. }
                if now.duration_since(self.last_active) >= ctx.limits.write_timeout =>
            {
                return Outcome::Close;
            }
            _ => {}
        }
        let idle = ctx
            .ws
            .as_ref()
            .map_or(crate::ws::DEFAULT_IDLE_TIMEOUT, |ws| ws.idle_timeout);
        let Some(session) = self.ws.as_mut() else {
            return Outcome::Close;
        };
        let next = session.on_timer(
            &mut ctx.service,
            &mut self.write_buf,
            idle,
            ctx.draining,
            now,
        );
        if next == Next::CloseAfterWrite {
            self.close_after_write = true;
        }
        self.drive_ws(ctx, registry)
    }

    /// A message a handler queued for this WebSocket.
    pub(crate) fn ws_outgoing<S: Service>(
        &mut self,
        message: &Outgoing,
        ctx: &mut Ctx<S>,
        registry: &Registry,
    ) -> Outcome {
        let Some(session) = self.ws.as_mut() else {
            return Outcome::Open;
        };
        session.on_outgoing(message, &mut ctx.service, &mut self.write_buf, ctx.now);
        if matches!(self.state, ConnState::Writing { .. }) {
            // Still blocked: the bytes wait behind the ones in flight.
            return self.ws_backlog_check(ctx);
        }
        self.drive_ws(ctx, registry)
    }

    /// While a WebSocket's writes are blocked: a client that does not read
    /// must not grow the unsent output without end
    /// ([`WsConfig::max_pending_output`]); past it, the connection is dropped.
    fn ws_backlog_check<S>(&self, ctx: &Ctx<S>) -> Outcome {
        let offset = match self.state {
            ConnState::Writing { offset } => offset,
            _ => 0,
        };
        let cap = ctx
            .ws
            .as_ref()
            .map_or(usize::MAX, WsConfig::max_pending_output);
        if self.write_buf.len() - offset <= cap {
            return Outcome::Open;
        }
        if !ctx.quiet {
            eprintln!("zigttp: dropped a WebSocket that does not read its messages");
        }
        Outcome::Close
    }

    /// The connection is being closed: report the end of its WebSocket (if
    /// any) to the handler and the registry.
    pub(crate) fn end_ws<S: Service>(&mut self, ctx: &mut Ctx<S>) {
        if let Some(mut session) = self.ws.take() {
            session.on_end(&mut ctx.service);
            if let Some(ws) = &ctx.ws {
                ws.hub.remove(session.id);
            }
            if let Some(metrics) = &ctx.metrics {
                metrics.websocket_closed(ctx.worker);
            }
        }
    }

    /// Flushes `write_buf[offset..]`, recording where a blocked write stopped
    /// and keeping `WRITABLE` interest on only while a write is stuck.
    fn write_pending<S>(&mut self, offset: usize, ctx: &mut Ctx<S>, registry: &Registry) -> Flush {
        let flushed = self.flush(offset, ctx);
        let stuck = match flushed {
            Flush::Blocked(offset) => {
                self.state = ConnState::Writing { offset };
                true
            }
            Flush::Done => false,
            Flush::Failed => return Flush::Failed,
        };
        if stuck != self.writable_interest && !self.set_writable(stuck, registry) {
            return Flush::Failed;
        }
        flushed
    }

    fn set_writable(&mut self, on: bool, registry: &Registry) -> bool {
        let interest = if on {
            Interest::READABLE | Interest::WRITABLE
        } else {
            Interest::READABLE
        };
        self.writable_interest = on;
        registry
            .reregister(&mut self.stream, self.token, interest)
            .is_ok()
    }
}

/// Calls the service for one complete request and encodes its response into
/// `out`. The connection stays open when `keep_alive`, unless the service
/// panicked (a 500 was queued instead) or a shutdown began meanwhile; or it
/// becomes a WebSocket.
fn respond<S: Service>(
    head: &Head<'_>,
    buf: &[u8],
    raw: &[httparse::Header<'_>],
    ctx: &mut Ctx<S>,
    out: &mut Vec<u8>,
    keep_alive: bool,
) -> Answer {
    let mut headers = [Header::EMPTY; MAX_HEADERS_CAP];
    for (dst, src) in headers.iter_mut().zip(&raw[..head.header_count]) {
        *dst = Header {
            name: src.name,
            value: src.value,
        };
    }
    let body = head.body_bytes(buf, &mut ctx.scratch);
    let request = crate::core::http::Request {
        method: head.method,
        target: head.target,
        minor_version: head.minor_version,
        headers: &headers[..head.header_count],
        body,
    };
    // The path borrows the read buffer, not `ctx.scratch` (which `request`
    // holds), so it can be logged after the call.
    let path = head.target.split_once('?').map_or(head.target, |(p, _)| p);
    if ctx.ws.is_some()
        && !ctx.draining
        && ctx.service.accepts_websockets()
        && handshake::wants_upgrade(&request)
    {
        let origins = ctx.ws.as_ref().map(|ws| &ws.origins);
        let (answer, status, bytes) = upgrade_response(&request, path, origins, &ctx.date, out);
        ctx.observe(
            &Entry {
                method: Some(head.method),
                path: Some(path),
                status,
                bytes,
                duration: Duration::ZERO,
            },
            None,
        );
        return answer;
    }
    ctx.response.clear();
    let started = Instant::now();
    let service = &mut ctx.service;
    let response = &mut ctx.response;
    let answered = panic::catch_unwind(AssertUnwindSafe(|| service.call(&request, response)));
    if answered.is_err() {
        if !ctx.quiet {
            eprintln!(
                "zigttp: handler panicked on {} {}; answered 500",
                head.method,
                request.path()
            );
        }
        encode_error(out, 500, &ctx.date);
        let duration = started.elapsed();
        ctx.observe(
            &Entry {
                method: Some(head.method),
                path: Some(path),
                status: 500,
                bytes: reason(500).len() + 1,
                duration,
            },
            Some(duration),
        );
        return Answer::Http { keep_alive: false };
    }
    // Decided after the call: a shutdown that began while the handler ran
    // must not promise the client another request.
    let keep_alive = keep_alive && !ctx.draining && !ctx.shared.stop_requested();
    let head_only = head.method == "HEAD";
    encode_response(out, &ctx.response, head_only, keep_alive, &ctx.date);
    let duration = started.elapsed();
    let (status, bytes) = sent(&ctx.response, head_only);
    ctx.observe(
        &Entry {
            method: Some(head.method),
            path: Some(path),
            status,
            bytes,
            duration,
        },
        Some(duration),
    );
    Answer::Http { keep_alive }
}

/// Answers an upgrade request: `101` (the connection becomes a WebSocket)
/// or the refusal's status, after which the connection closes. Returns the
/// answer, the status and the body length sent.
fn upgrade_response(
    request: &crate::core::http::Request<'_>,
    path: &str,
    origins: Option<&handshake::Origins>,
    date: &DateCache,
    out: &mut Vec<u8>,
) -> (Answer, u16, usize) {
    let same_origin = handshake::Origins::SameOrigin;
    match handshake::check(request, origins.unwrap_or(&same_origin)) {
        Ok(accept) => {
            handshake::switching_protocols(out, &accept);
            (
                Answer::Upgraded {
                    path: path.to_owned(),
                },
                101,
                0,
            )
        }
        Err(refusal) => {
            let mut res = Response::new();
            res.set_status(refusal.status);
            if let Some((name, value)) = refusal.header {
                let _ = res.add_header(name, value);
            }
            let _ = res.add_header("Content-Type", "text/plain; charset=utf-8");
            res.body_mut().extend_from_slice(refusal.why.as_bytes());
            res.body_mut().push(b'\n');
            encode_response(out, &res, false, false, date);
            (
                Answer::Http { keep_alive: false },
                refusal.status,
                res.body().len(),
            )
        }
    }
}

/// The status and body length [`encode_response`] put on the wire for `res`.
fn sent(res: &Response, head_only: bool) -> (u16, usize) {
    match res.status() {
        status @ (204 | 304) => (status, 0),
        status @ 200..=599 => (status, if head_only { 0 } else { res.body().len() }),
        _ => (500, 0),
    }
}

fn log_io_error(what: &str, e: &io::Error, quiet: bool) {
    if !quiet && !is_disconnect(e) {
        eprintln!("zigttp: {what} error: {e}");
    }
}
