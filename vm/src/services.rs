//! State that module calls share across requests and workers: the policy in
//! force, the cache, compiled validation schemas, rate-limit counters, the
//! SQLite database, outbound HTTP limits, and security counters.
//! A fresh `Services` is a fresh world (each `zigttp test` case gets one).

use crate::modules::{Cache, FetchLimits, RateLimits, Schemas, SqlStore, WebSocketHost};
use crate::policy::Policy;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Shared module state of one program.
#[derive(Debug)]
pub struct Services {
    pub policy: Policy,
    pub cache: Cache,
    pub schemas: Schemas,
    /// `zigttp:ratelimit` fixed-window counters.
    pub rate_limits: RateLimits,
    /// `zigttp:sql`: named statements and the database (in memory unless
    /// [`Services::with_sqlite_path`] names a file).
    pub sql: SqlStore,
    /// `zigttp:fetch` timeouts and response cap.
    pub fetch: FetchLimits,
    /// `zigttp:websocket`: the server's sockets (`None` outside a server
    /// with WebSocket support; the module's calls then fail).
    pub websockets: Option<Arc<dyn WebSocketHost>>,
    denials: AtomicU64,
}

impl Services {
    pub fn new(policy: Policy) -> Services {
        Services {
            policy,
            cache: Cache::default(),
            schemas: Schemas::default(),
            rate_limits: RateLimits::default(),
            sql: SqlStore::default(),
            fetch: FetchLimits::default(),
            websockets: None,
            denials: AtomicU64::new(0),
        }
    }

    /// Uses the SQLite database file `path` for `zigttp:sql` (created when
    /// missing) instead of a private in-memory database. This is what
    /// `--sqlite FILE` sets.
    pub fn with_sqlite_path(mut self, path: impl Into<PathBuf>) -> Services {
        self.sql = SqlStore::with_path(path.into());
        self
    }

    /// Replaces the outbound HTTP limits of `zigttp:fetch`.
    pub fn with_fetch_limits(mut self, limits: FetchLimits) -> Services {
        self.fetch = limits;
        self
    }

    /// Connects `zigttp:websocket` to the server's sockets.
    pub fn with_websockets(mut self, host: Arc<dyn WebSocketHost>) -> Services {
        self.websockets = Some(host);
        self
    }

    /// Records a policy denial (a security event, exported as a metric).
    pub fn count_denial(&self) {
        self.denials.fetch_add(1, Ordering::Relaxed);
    }

    /// Policy denials so far.
    pub fn denials(&self) -> u64 {
        self.denials.load(Ordering::Relaxed)
    }
}
