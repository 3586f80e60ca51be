//! `zigttp:ratelimit`: fixed-window counters per key, shared by every worker.
//!
//! `rateCheck(key, limit, windowSec)`: a key's window starts at its first
//! hit (host clock) and lasts `windowSec` seconds; the first `limit` hits in
//! it answer `{ok: true, value: {remaining, resetAt}}` (`resetAt` in epoch
//! ms), later ones `{ok: false, error: {tag: "rate_exceeded", retryAfter}}`
//! (`retryAfter` in whole seconds, rounded up). `rateReset(key)` forgets a
//! key and answers whether it was known.

use super::{ModFn, str_arg};
use crate::builtins::result::{err, ok};
use crate::interp::{Vm, to_number};
use crate::trap::{Trap, TrapKind};
use crate::value::{Class, Object, Value};
use std::collections::HashMap;
use std::sync::Mutex;

/// Most keys tracked; beyond it expired windows are dropped, then the oldest.
pub const MAX_KEYS: usize = 100_000;
/// Expired windows are swept every this many checks.
const SWEEP_EVERY: u64 = 256;

#[derive(Debug, Clone, Copy)]
struct Window {
    start_ms: f64,
    end_ms: f64,
    count: u64,
}

#[derive(Debug, Default)]
struct Inner {
    windows: HashMap<String, Window>,
    checks: u64,
}

/// The shared counters.
#[derive(Debug, Default)]
pub struct RateLimits {
    inner: Mutex<Inner>,
}

/// What one check decided.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Decision {
    Allowed { remaining: u64, reset_at: f64 },
    Exceeded { retry_after: f64 },
}

impl RateLimits {
    pub(crate) fn check(&self, key: &str, limit: u64, window_ms: f64, now: f64) -> Decision {
        let mut inner = self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        inner.checks += 1;
        let full = inner.windows.len() >= MAX_KEYS && !inner.windows.contains_key(key);
        if full || inner.checks.is_multiple_of(SWEEP_EVERY) {
            inner.windows.retain(|_, w| now < w.end_ms);
        }
        if full && inner.windows.len() >= MAX_KEYS {
            let oldest = inner
                .windows
                .iter()
                .min_by(|a, b| a.1.start_ms.total_cmp(&b.1.start_ms))
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                inner.windows.remove(&k);
            }
        }
        let w = inner.windows.entry(key.to_string()).or_insert(Window {
            start_ms: now,
            end_ms: now + window_ms,
            count: 0,
        });
        if now >= w.end_ms {
            *w = Window {
                start_ms: now,
                end_ms: now + window_ms,
                count: 0,
            };
        }
        if w.count >= limit {
            return Decision::Exceeded {
                retry_after: ((w.end_ms - now) / 1000.0).ceil().max(0.0),
            };
        }
        w.count += 1;
        Decision::Allowed {
            remaining: limit - w.count,
            reset_at: w.end_ms,
        }
    }

    pub(crate) fn reset(&self, key: &str) -> bool {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .windows
            .remove(key)
            .is_some()
    }
}

pub fn call<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let key = str_arg(vm, args, 0)?;
    match f {
        ModFn::RateReset => Ok(Value::Bool(vm.services.rate_limits.reset(key))),
        ModFn::RateCheck => {
            let limit = to_number(vm, args.get(1).copied().unwrap_or(Value::Undefined))?;
            let window = to_number(vm, args.get(2).copied().unwrap_or(Value::Undefined))?;
            if !(limit.is_finite() && limit >= 1.0) {
                return Err(Trap::range_error(
                    "rateCheck: the limit must be a number >= 1",
                ));
            }
            if !(window.is_finite() && window > 0.0) {
                return Err(Trap::range_error(
                    "rateCheck: the window must be a positive number of seconds",
                ));
            }
            let now = vm.host.now_ms();
            let decision =
                vm.services
                    .rate_limits
                    .check(key, limit.floor() as u64, window * 1000.0, now);
            Ok(match decision {
                Decision::Allowed {
                    remaining,
                    reset_at,
                } => {
                    let v = Object::with_capacity_in(vm.arena, Class::Plain, 2);
                    v.set("remaining", Value::Num(remaining as f64));
                    v.set("resetAt", Value::Num(reset_at));
                    ok(vm, Value::Object(v))
                }
                Decision::Exceeded { retry_after } => {
                    let e = Object::with_capacity_in(vm.arena, Class::Plain, 2);
                    e.set("tag", Value::Str("rate_exceeded"));
                    e.set("retryAfter", Value::Num(retry_after));
                    err(vm, Value::Object(e))
                }
            })
        }
        _ => Err(Trap::new(TrapKind::Internal, "ratelimit dispatch")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_window() {
        let r = RateLimits::default();
        let allowed = |remaining, reset_at| Decision::Allowed {
            remaining,
            reset_at,
        };
        assert_eq!(r.check("k", 2, 60_000.0, 1_000.0), allowed(1, 61_000.0));
        assert_eq!(r.check("k", 2, 60_000.0, 2_000.0), allowed(0, 61_000.0));
        assert_eq!(
            r.check("k", 2, 60_000.0, 2_500.0),
            Decision::Exceeded { retry_after: 59.0 }
        );
        assert_eq!(r.check("other", 2, 60_000.0, 2_500.0), allowed(1, 62_500.0));
        // A new window starts once the old one has ended.
        assert_eq!(r.check("k", 2, 60_000.0, 61_000.0), allowed(1, 121_000.0));
        assert!(r.reset("k"));
        assert!(!r.reset("k"));
        assert_eq!(r.check("k", 2, 60_000.0, 61_001.0), allowed(1, 121_001.0));
    }
}
