//! State that module calls share across requests and workers: the policy in
//! force, the cache, compiled validation schemas, and security counters.
//! A fresh `Services` is a fresh world (each `zigttp test` case gets one).

use crate::modules::{Cache, Schemas};
use crate::policy::Policy;
use std::sync::atomic::{AtomicU64, Ordering};

/// Shared module state of one program.
#[derive(Debug)]
pub struct Services {
    pub policy: Policy,
    pub cache: Cache,
    pub schemas: Schemas,
    denials: AtomicU64,
}

impl Services {
    pub fn new(policy: Policy) -> Services {
        Services {
            policy,
            cache: Cache::default(),
            schemas: Schemas::default(),
            denials: AtomicU64::new(0),
        }
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
