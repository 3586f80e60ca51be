//! `zigttp:cache`: an in-process LRU cache with TTLs and namespaces, shared
//! by every worker. Keys and values are strings copied out of the request
//! arena into the cache's own storage; nothing is shared by reference.

use super::{ModFn, str_arg};
use crate::interp::{Vm, to_number};
use crate::trap::Trap;
use crate::value::{Class, Object, Value};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Most entries kept (least recently used ones are evicted beyond it).
pub const MAX_ENTRIES: usize = 10_000;
/// Most bytes of keys and values kept (16 MiB).
pub const MAX_BYTES: usize = 16 << 20;

#[derive(Debug)]
struct Entry {
    value: String,
    expires: Option<Instant>,
    last_used: u64,
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<(String, String), Entry>,
    tick: u64,
    bytes: usize,
    hits: HashMap<String, (u64, u64)>,
}

/// The shared cache.
#[derive(Debug, Default)]
pub struct Cache {
    inner: Mutex<Inner>,
}

impl Inner {
    fn live(&mut self, ns: &str, key: &str, now: Instant) -> Option<&mut Entry> {
        let k = (ns.to_string(), key.to_string());
        let expired = self
            .entries
            .get(&k)
            .is_some_and(|e| e.expires.is_some_and(|t| t <= now));
        if expired {
            if let Some(e) = self.entries.remove(&k) {
                self.bytes -= k.0.len() + k.1.len() + e.value.len();
            }
            return None;
        }
        self.tick += 1;
        let tick = self.tick;
        let e = self.entries.get_mut(&k)?;
        e.last_used = tick;
        Some(e)
    }

    fn put(&mut self, ns: &str, key: &str, value: String, ttl: Option<Duration>, now: Instant) {
        self.remove(ns, key);
        let size = ns.len() + key.len() + value.len();
        while !self.entries.is_empty()
            && (self.entries.len() >= MAX_ENTRIES || self.bytes + size > MAX_BYTES)
        {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.last_used)
                .map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                self.remove(&k.0, &k.1);
            }
        }
        if size > MAX_BYTES {
            return;
        }
        self.tick += 1;
        self.bytes += size;
        let entry = Entry {
            value,
            expires: ttl.map(|d| now + d),
            last_used: self.tick,
        };
        self.entries
            .insert((ns.to_string(), key.to_string()), entry);
    }

    fn remove(&mut self, ns: &str, key: &str) -> bool {
        match self.entries.remove(&(ns.to_string(), key.to_string())) {
            Some(e) => {
                self.bytes -= ns.len() + key.len() + e.value.len();
                true
            }
            None => false,
        }
    }
}

fn ttl_arg<'a>(vm: &mut Vm<'a, '_>, v: Option<Value<'a>>) -> Result<Option<Duration>, Trap> {
    match v {
        None | Some(Value::Undefined) => Ok(None),
        Some(v) => {
            let secs = to_number(vm, v)?;
            Ok((secs.is_finite() && secs > 0.0).then(|| Duration::from_secs_f64(secs.min(1e9))))
        }
    }
}

pub fn call<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let now = Instant::now();
    if f == ModFn::CacheStats {
        let ns = match args.first().copied() {
            None | Some(Value::Undefined) => None,
            Some(v) => Some(crate::interp::to_property_key(vm, v)?),
        };
        let inner = vm
            .services
            .cache
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (mut hits, mut misses, mut entries, mut bytes) = (0u64, 0u64, 0usize, 0usize);
        for (name, (h, m)) in &inner.hits {
            if ns.is_none_or(|n| n == name) {
                hits += h;
                misses += m;
            }
        }
        for ((name, key), e) in &inner.entries {
            if ns.is_none_or(|n| n == name) {
                entries += 1;
                bytes += key.len() + e.value.len();
            }
        }
        drop(inner);
        let o = Object::new_in(vm.arena, Class::Plain);
        o.set("hits", Value::Num(hits as f64));
        o.set("misses", Value::Num(misses as f64));
        o.set("entries", Value::Num(entries as f64));
        o.set("bytes", Value::Num(bytes as f64));
        return Ok(Value::Object(o));
    }
    let ns = str_arg(vm, args, 0)?;
    let key = str_arg(vm, args, 1)?;
    Ok(match f {
        ModFn::CacheGet => {
            let mut inner = vm
                .services
                .cache
                .inner
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let found = inner.live(ns, key, now).map(|e| e.value.clone());
            let counters = inner.hits.entry(ns.to_string()).or_default();
            if found.is_some() {
                counters.0 += 1;
            } else {
                counters.1 += 1;
            }
            drop(inner);
            match found {
                Some(v) => Value::Str(vm.arena.alloc_str(&v)),
                None => Value::Undefined,
            }
        }
        ModFn::CacheSet => {
            let Some(Value::Str(value)) = args.get(2).copied() else {
                // Only strings are cached (the reference's rule).
                return Ok(Value::Bool(false));
            };
            let ttl = ttl_arg(vm, args.get(3).copied())?;
            let mut inner = vm
                .services
                .cache
                .inner
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            inner.put(ns, key, value.to_string(), ttl, now);
            Value::Bool(true)
        }
        ModFn::CacheDelete => {
            let mut inner = vm
                .services
                .cache
                .inner
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            Value::Bool(inner.remove(ns, key))
        }
        ModFn::CacheIncr => {
            let delta = match args.get(2).copied() {
                None | Some(Value::Undefined) => 1.0,
                Some(v) => to_number(vm, v)?,
            };
            let ttl = ttl_arg(vm, args.get(3).copied())?;
            let mut inner = vm
                .services
                .cache
                .inner
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let current = inner
                .live(ns, key, now)
                .map(|e| crate::js::number::string_to_number(&e.value))
                .filter(|n| !n.is_nan())
                .unwrap_or(0.0);
            let next = current + delta;
            inner.put(ns, key, crate::js::number::number_to_string(next), ttl, now);
            Value::Num(next)
        }
        _ => return Err(Trap::new(crate::trap::TrapKind::Internal, "cache dispatch")),
    })
}
