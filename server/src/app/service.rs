//! The HTTP service: one per worker, running requests through the VM in a
//! worker-owned arena that is reset after every response.

use super::{ErrorDetail, trap_log_line, trap_response};
use crate::core::{Request, Response, Service, WsEvent};
use crate::metrics::Metrics;
use bumpalo::Bump;
use smallvec::SmallVec;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};
use zigts_vm::{CallbackArg, ExecLimits, Instance, RequestParts, SystemHost};

/// Per-request execution policy.
#[derive(Clone, Copy, Debug)]
pub struct RunPolicy {
    /// Wall-clock budget of one request (default 5 s).
    pub timeout: Duration,
    /// Call depth, arena cap.
    pub limits: ExecLimits,
    pub detail: ErrorDetail,
    pub quiet: bool,
}

impl Default for RunPolicy {
    fn default() -> Self {
        RunPolicy {
            timeout: Duration::from_secs(5),
            limits: ExecLimits::default(),
            detail: ErrorDetail::Hide,
            quiet: false,
        }
    }
}

/// A handler that can be replaced while the server runs (`zigttp serve
/// --watch`). Workers compare the generation once per request (one atomic
/// load, no allocation) and take the new instance only when it changed.
pub struct HandlerSlot {
    generation: AtomicU64,
    current: Mutex<(Arc<Instance>, super::Reuse)>,
}

impl HandlerSlot {
    pub fn new(instance: Arc<Instance>, reuse: super::Reuse) -> Self {
        HandlerSlot {
            generation: AtomicU64::new(0),
            current: Mutex::new((instance, reuse)),
        }
    }

    /// Makes `instance` the handler of every worker's next request.
    pub fn replace(&self, instance: Arc<Instance>, reuse: super::Reuse) {
        *self.current.lock().unwrap_or_else(PoisonError::into_inner) = (instance, reuse);
        self.generation.fetch_add(1, Ordering::Release);
    }

    /// The instance in force and its reuse policy.
    pub fn current(&self) -> (Arc<Instance>, super::Reuse) {
        let guard = self.current.lock().unwrap_or_else(PoisonError::into_inner);
        (Arc::clone(&guard.0), guard.1)
    }

    fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }
}

/// Initial size of a worker's request arena.
const ARENA_INITIAL: usize = 64 << 10;

/// A worker's service.
pub struct HandlerService {
    instance: Arc<Instance>,
    arena: Bump,
    host: SystemHost,
    policy: RunPolicy,
    /// Where the arena high-water mark and audit failures are counted, and
    /// this worker's index there.
    metrics: Option<(Arc<Metrics>, usize)>,
    /// Rebuild the instance after this many requests (`None`: reuse forever).
    recycle_every: Option<u32>,
    served: u32,
    /// Upgrade requests become WebSockets whose events run the handler's
    /// `onOpen`/`onMessage`/`onClose`.
    websockets: bool,
    /// Where a replacement handler comes from, and the generation in use.
    slot: Option<(Arc<HandlerSlot>, u64)>,
}

impl HandlerService {
    pub fn new(instance: Arc<Instance>, policy: RunPolicy) -> Self {
        HandlerService {
            instance,
            arena: Bump::with_capacity(ARENA_INITIAL),
            host: SystemHost::default(),
            policy,
            metrics: None,
            recycle_every: None,
            served: 0,
            websockets: false,
            slot: None,
        }
    }

    /// Gives the handler exactly `vars` as its environment (instead of the process's).
    pub fn with_env(mut self, vars: Arc<std::collections::HashMap<String, String>>) -> Self {
        self.host = SystemHost::with_env(vars);
        self
    }

    /// Rebuilds this worker's instance (module code runs again; the shared
    /// module state is kept) after every `every` requests.
    pub fn recycling(mut self, reuse: super::Reuse) -> Self {
        self.set_reuse(reuse);
        self
    }

    fn set_reuse(&mut self, reuse: super::Reuse) {
        self.recycle_every = match reuse {
            super::Reuse::Unbounded => None,
            super::Reuse::Every(n) => Some(n),
        };
    }

    /// Serves whatever handler `slot` holds, now and after every replacement.
    pub fn watching(mut self, slot: Arc<HandlerSlot>) -> Self {
        let generation = slot.generation();
        let (instance, reuse) = slot.current();
        self.instance = instance;
        self.slot = Some((slot, generation));
        self.recycling(reuse)
    }

    /// Takes the slot's handler when it was replaced since the last request.
    fn follow_slot(&mut self) {
        let Some((slot, seen)) = &mut self.slot else {
            return;
        };
        let generation = slot.generation();
        if generation == *seen {
            return;
        }
        *seen = generation;
        let (instance, reuse) = slot.current();
        self.instance = instance;
        self.served = 0;
        self.set_reuse(reuse);
    }

    fn maybe_recycle(&mut self) {
        let Some(every) = self.recycle_every else {
            return;
        };
        self.served += 1;
        if self.served < every {
            return;
        }
        self.served = 0;
        let program = Arc::clone(self.instance.program());
        let services = Arc::clone(self.instance.services());
        match Instance::load_with(program, services, &mut self.host, self.policy.limits) {
            Ok(fresh) => {
                self.instance = Arc::new(fresh);
                if let Some((metrics, _)) = &self.metrics {
                    metrics.instance_recycle();
                }
            }
            // Keep serving with the current instance; the module code already
            // succeeded once, so this is logged, not fatal.
            Err(e) => {
                if !self.policy.quiet {
                    eprintln!("zigttp: instance rebuild failed, keeping the current one: {e}");
                }
            }
        }
    }

    /// Accepts WebSocket upgrades (the handler exports `onMessage` and the
    /// policy grants `websocket`).
    pub fn with_websockets(mut self) -> Self {
        self.websockets = true;
        self
    }

    /// Records the arena size before each reset (`zigttp_arena_bytes_high_water`)
    /// and audit failures in `metrics`, as worker `worker`.
    pub fn with_metrics(mut self, metrics: Arc<Metrics>, worker: usize) -> Self {
        self.metrics = Some((metrics, worker));
        self
    }

    /// Resets the request arena, then audits it: a reset arena holds no
    /// allocation and a single chunk. The check is O(1) (one chunk) and runs
    /// after every request. A failure is counted
    /// (`zigttp_arena_audit_failures_total`), logged, and the arena is
    /// replaced by a fresh one.
    fn reset_arena(&mut self) {
        if let Some((metrics, worker)) = &self.metrics {
            metrics.record_arena_bytes(*worker, self.arena.allocated_bytes());
        }
        self.arena.reset();
        let mut chunks = 0usize;
        let mut still_allocated = 0usize;
        for chunk in self.arena.iter_allocated_chunks() {
            chunks += 1;
            still_allocated += chunk.len();
        }
        if chunks > 1 || still_allocated > 0 {
            if let Some((metrics, _)) = &self.metrics {
                metrics.arena_audit_failure();
            }
            if !self.policy.quiet {
                eprintln!(
                    "zigttp: request arena audit failed: {still_allocated} bytes in {chunks} chunks after reset; arena replaced"
                );
            }
            self.arena = Bump::with_capacity(ARENA_INITIAL);
        }
    }

    fn fail(res: &mut Response, status: u16, body: &str) {
        res.clear();
        res.set_status(status);
        let _ = res.add_header("Content-Type", "text/plain; charset=utf-8");
        res.body_mut().extend_from_slice(body.as_bytes());
    }
}

impl Service for HandlerService {
    fn accepts_websockets(&self) -> bool {
        self.websockets
    }

    fn ws_event(&mut self, event: WsEvent<'_>) -> bool {
        self.follow_slot();
        let id = |id: u32| CallbackArg::Num(f64::from(id));
        let (name, args): (&str, [CallbackArg<'_>; 3]) = match event {
            WsEvent::Open { id: ws, path } => (
                "onOpen",
                [id(ws), CallbackArg::Str(path), CallbackArg::Str(path)],
            ),
            WsEvent::Message { id: ws, text, room } => (
                "onMessage",
                [id(ws), CallbackArg::Str(text), CallbackArg::Str(room)],
            ),
            WsEvent::Close {
                id: ws,
                code,
                reason,
            } => (
                "onClose",
                [
                    id(ws),
                    CallbackArg::Num(f64::from(code)),
                    CallbackArg::Str(reason),
                ],
            ),
        };
        let limits = ExecLimits {
            deadline: Some(Instant::now() + self.policy.timeout),
            ..self.policy.limits
        };
        let outcome = self
            .instance
            .call_export(&self.arena, name, &args, &mut self.host, limits);
        self.reset_arena();
        match outcome {
            Ok(_) => true,
            Err(trap) => {
                if !self.policy.quiet {
                    eprintln!("websocket {name}: {}", trap_log_line(&trap));
                }
                false
            }
        }
    }

    fn call(&mut self, req: &Request<'_>, res: &mut Response) {
        self.follow_slot();
        self.maybe_recycle();
        let headers: SmallVec<[(&str, &[u8]); 32]> =
            req.headers.iter().map(|h| (h.name, h.value)).collect();
        let has_body = !req.body.is_empty()
            || req.header("content-length").is_some()
            || req.header("transfer-encoding").is_some();
        let parts = RequestParts {
            method: req.method,
            target: req.target,
            headers: &headers,
            body: has_body.then_some(req.body),
        };
        let limits = ExecLimits {
            deadline: Some(Instant::now() + self.policy.timeout),
            ..self.policy.limits
        };
        let outcome = match self
            .instance
            .handle(&self.arena, &parts, &mut self.host, limits)
        {
            Ok(r) => {
                res.set_status(r.status);
                let mut bad = None;
                for (k, v) in &r.headers {
                    if let Err(e) = res.add_header(k, v) {
                        bad = Some(format!(
                            "handler set an invalid header '{}': {e}",
                            k.escape_debug()
                        ));
                        break;
                    }
                }
                if bad.is_none() {
                    res.body_mut().extend_from_slice(r.body.as_bytes());
                }
                bad.map(|m| (500, m))
            }
            Err(trap) => {
                if !self.policy.quiet {
                    eprintln!("{} {}: {}", req.method, req.path(), trap_log_line(&trap));
                }
                let (status, body) = trap_response(&trap, self.policy.detail);
                Some((status, body))
            }
        };
        self.reset_arena();
        if let Some((status, msg)) = outcome {
            if status == 500 && !msg.ends_with('\n') && !self.policy.quiet {
                eprintln!("{} {}: {msg}", req.method, req.path());
            }
            let body = match self.policy.detail {
                ErrorDetail::Show => msg,
                ErrorDetail::Hide if status == 503 => "Service Unavailable\n".to_string(),
                ErrorDetail::Hide => "Internal Server Error\n".to_string(),
            };
            Self::fail(res, status, &body);
        }
    }
}
