//! Process-wide counters for the Prometheus text endpoint (`/metrics` by
//! default; see docs/operations.md).
//!
//! One [`Metrics`] is shared (`Arc`) by every worker. Counters that a worker
//! updates per request live in that worker's own [`Shard`], a cache-line
//! aligned block of atomics that only that worker writes, so recording a
//! request is a handful of uncontended `Relaxed` atomic adds: no lock, no
//! allocation. A scrape reads every shard and sums.
//!
//! `zigttp_policy_denials_total` is the VM's own counter of call-time policy
//! denials (`zigts_vm::Services::denials`), linked in with
//! [`Metrics::link_policy_denials`], plus any [`Metrics::policy_denial`].
//!
//! Counters that have no producer yet (they exist so dashboards and alerts
//! can be written now, and read 0 until a producer arrives):
//! `zigttp_persistent_escape_failures_total` (the image-escape audit belongs
//! to the VM) and `zigttp_instance_recycles_total` (the instance reuse
//! policy). Their producers call [`Metrics::persistent_escape_failure`] and
//! [`Metrics::instance_recycle`].

use std::fmt;
use std::io::Write as _;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

/// A counter kept by another component, read at each scrape.
type CounterSource = Box<dyn Fn() -> u64 + Send + Sync>;

/// Status codes are counted in an array indexed by `status - 100`.
const FIRST_STATUS: u16 = 100;
const STATUS_SLOTS: usize = 500;

/// Upper bounds of the latency histogram buckets, in seconds (the `+Inf`
/// bucket follows). From 100 µs (a small handler) to 10 s (past the default
/// 5 s request budget).
pub const LATENCY_BUCKETS_SECONDS: [f64; 14] = [
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 2.5, 10.0,
];

/// The same bounds in nanoseconds (for comparing without floating point).
const LATENCY_BUCKETS_NANOS: [u64; 14] = [
    100_000,
    250_000,
    500_000,
    1_000_000,
    2_500_000,
    5_000_000,
    10_000_000,
    25_000_000,
    50_000_000,
    100_000_000,
    250_000_000,
    1_000_000_000,
    2_500_000_000,
    10_000_000_000,
];

/// One worker's counters. Aligned to 128 bytes (two cache lines, the
/// adjacent-line prefetcher's unit) so that two workers never write the same
/// line.
#[repr(align(128))]
struct Shard {
    /// Responses by status code (`status - 100`).
    statuses: [AtomicU64; STATUS_SLOTS],
    /// Request durations, one slot per bucket plus `+Inf` (not cumulative).
    latency: [AtomicU64; LATENCY_BUCKETS_NANOS.len() + 1],
    latency_sum_nanos: AtomicU64,
    /// Connections accepted minus connections closed.
    open_connections: AtomicU64,
    closed_connections: AtomicU64,
    ws_opened: AtomicU64,
    ws_closed: AtomicU64,
    rejected_connections: AtomicU64,
    /// Highest `Bump::allocated_bytes()` of the worker's request arena seen
    /// just before a reset.
    arena_high_water: AtomicU64,
}

impl Shard {
    fn new() -> Self {
        Self {
            statuses: [const { AtomicU64::new(0) }; STATUS_SLOTS],
            latency: [const { AtomicU64::new(0) }; LATENCY_BUCKETS_NANOS.len() + 1],
            latency_sum_nanos: AtomicU64::new(0),
            open_connections: AtomicU64::new(0),
            closed_connections: AtomicU64::new(0),
            ws_opened: AtomicU64::new(0),
            ws_closed: AtomicU64::new(0),
            rejected_connections: AtomicU64::new(0),
            arena_high_water: AtomicU64::new(0),
        }
    }
}

/// The server's metrics. Create one with the number of workers, give an
/// `Arc` of it to `ServerConfig::metrics` (the event loops record requests
/// and connections) and to whatever answers the metrics path.
pub struct Metrics {
    shards: Box<[Shard]>,
    arena_audit_failures: AtomicU64,
    persistent_escape_failures: AtomicU64,
    policy_denials: AtomicU64,
    /// The VM's policy-denial counter, added to `policy_denials`.
    policy_denials_source: OnceLock<CounterSource>,
    instance_recycles: AtomicU64,
    /// All workers are up and the server is not draining.
    ready: AtomicBool,
}

impl fmt::Debug for Metrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Metrics")
            .field("workers", &self.shards.len())
            .field("requests", &self.requests_total())
            .field("active_connections", &self.active_connections())
            .field("ready", &self.is_ready())
            .finish_non_exhaustive()
    }
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

fn read(counter: &AtomicU64) -> u64 {
    counter.load(Ordering::Relaxed)
}

impl Metrics {
    /// Counters for `workers` workers (at least one shard). Worker indexes
    /// beyond that share shards (modulo), which stays correct, only slower.
    pub fn new(workers: usize) -> Self {
        Self {
            shards: (0..workers.max(1)).map(|_| Shard::new()).collect(),
            arena_audit_failures: AtomicU64::new(0),
            persistent_escape_failures: AtomicU64::new(0),
            policy_denials: AtomicU64::new(0),
            policy_denials_source: OnceLock::new(),
            instance_recycles: AtomicU64::new(0),
            ready: AtomicBool::new(false),
        }
    }

    fn shard(&self, worker: usize) -> &Shard {
        &self.shards[worker % self.shards.len()]
    }

    /// A response was queued. `latency` is `None` for refusals the server
    /// sends without calling the service (400, 408, 413, 414, 431, ...):
    /// they count by status but stay out of the latency histogram.
    pub fn record_response(&self, worker: usize, status: u16, latency: Option<Duration>) {
        let shard = self.shard(worker);
        let slot = usize::from(status.saturating_sub(FIRST_STATUS)).min(STATUS_SLOTS - 1);
        bump(&shard.statuses[slot]);
        if let Some(latency) = latency {
            let nanos = u64::try_from(latency.as_nanos()).unwrap_or(u64::MAX);
            let bucket = LATENCY_BUCKETS_NANOS
                .iter()
                .position(|&bound| nanos <= bound)
                .unwrap_or(LATENCY_BUCKETS_NANOS.len());
            bump(&shard.latency[bucket]);
            shard.latency_sum_nanos.fetch_add(nanos, Ordering::Relaxed);
        }
    }

    /// A connection was accepted and registered.
    pub fn connection_opened(&self, worker: usize) {
        bump(&self.shard(worker).open_connections);
    }

    /// A connection became a WebSocket.
    pub fn websocket_opened(&self, worker: usize) {
        bump(&self.shard(worker).ws_opened);
    }

    /// A WebSocket ended.
    pub fn websocket_closed(&self, worker: usize) {
        bump(&self.shard(worker).ws_closed);
    }

    /// WebSockets open right now.
    pub fn active_websockets(&self) -> u64 {
        let opened: u64 = self.shards.iter().map(|s| read(&s.ws_opened)).sum();
        let closed: u64 = self.shards.iter().map(|s| read(&s.ws_closed)).sum();
        opened.saturating_sub(closed)
    }

    /// A registered connection was closed.
    pub fn connection_closed(&self, worker: usize) {
        bump(&self.shard(worker).closed_connections);
    }

    /// A connection was accepted and closed at once (`max_connections`).
    pub fn connection_rejected(&self, worker: usize) {
        bump(&self.shard(worker).rejected_connections);
    }

    /// The request arena of `worker` held `bytes` (`Bump::allocated_bytes`)
    /// just before its reset; keeps the maximum.
    pub fn record_arena_bytes(&self, worker: usize, bytes: usize) {
        self.shard(worker)
            .arena_high_water
            .fetch_max(bytes as u64, Ordering::Relaxed);
    }

    /// The arena audit found memory still allocated after a reset.
    pub fn arena_audit_failure(&self) {
        bump(&self.arena_audit_failures);
    }

    /// The persistent-escape audit found an image pointer into an arena.
    /// No producer yet (see the module docs).
    pub fn persistent_escape_failure(&self) {
        bump(&self.persistent_escape_failures);
    }

    /// A module call was denied by the policy (for producers that keep no
    /// counter of their own; the VM's is linked with
    /// [`Metrics::link_policy_denials`]).
    pub fn policy_denial(&self) {
        bump(&self.policy_denials);
    }

    /// Adds a counter kept elsewhere (e.g. `|| instance.services().denials()`)
    /// to `zigttp_policy_denials_total`. Only the first link counts; returns
    /// whether this one did.
    pub fn link_policy_denials(&self, source: impl Fn() -> u64 + Send + Sync + 'static) -> bool {
        self.policy_denials_source.set(Box::new(source)).is_ok()
    }

    /// Policy denials: ours plus the linked source's.
    pub fn policy_denials(&self) -> u64 {
        read(&self.policy_denials)
            + self
                .policy_denials_source
                .get()
                .map_or(0, |source| source())
    }

    /// An interpreter instance was rebuilt by the reuse policy. No producer
    /// yet.
    pub fn instance_recycle(&self) {
        bump(&self.instance_recycles);
    }

    /// Set by the server: `true` once every worker is up, `false` when a
    /// drain begins.
    pub fn set_ready(&self, ready: bool) {
        self.ready.store(ready, Ordering::SeqCst);
    }

    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::SeqCst)
    }

    /// Responses sent, all statuses.
    pub fn requests_total(&self) -> u64 {
        self.shards
            .iter()
            .flat_map(|s| s.statuses.iter())
            .map(read)
            .sum()
    }

    /// Responses sent with `status`.
    pub fn responses_with_status(&self, status: u16) -> u64 {
        let Some(slot) = status
            .checked_sub(FIRST_STATUS)
            .map(usize::from)
            .filter(|&s| s < STATUS_SLOTS)
        else {
            return 0;
        };
        self.shards.iter().map(|s| read(&s.statuses[slot])).sum()
    }

    /// Connections open right now.
    pub fn active_connections(&self) -> u64 {
        let opened: u64 = self.shards.iter().map(|s| read(&s.open_connections)).sum();
        let closed: u64 = self
            .shards
            .iter()
            .map(|s| read(&s.closed_connections))
            .sum();
        opened.saturating_sub(closed)
    }

    /// The largest arena high-water mark over all workers.
    pub fn arena_high_water(&self) -> u64 {
        self.shards
            .iter()
            .map(|s| read(&s.arena_high_water))
            .max()
            .unwrap_or(0)
    }

    pub fn arena_audit_failures(&self) -> u64 {
        read(&self.arena_audit_failures)
    }

    /// Appends the Prometheus text exposition (format 0.0.4) of every metric.
    pub fn render(&self, out: &mut Vec<u8>) {
        // Writing into a Vec cannot fail.
        let _ = self.write_text(out);
    }

    fn write_text(&self, out: &mut Vec<u8>) -> std::io::Result<()> {
        let mut statuses = [0u64; STATUS_SLOTS];
        for shard in &*self.shards {
            for (total, counter) in statuses.iter_mut().zip(&shard.statuses) {
                *total += read(counter);
            }
        }

        header(
            out,
            "zigttp_http_requests_total",
            "counter",
            "Responses sent, by status code (server refusals such as 400, 408 and 431 included).",
        )?;
        for (slot, &count) in statuses.iter().enumerate() {
            if count > 0 {
                let code = slot + usize::from(FIRST_STATUS);
                writeln!(out, "zigttp_http_requests_total{{code=\"{code}\"}} {count}")?;
            }
        }

        header(
            out,
            "zigttp_http_requests_by_class_total",
            "counter",
            "Responses sent, by status class (1xx to 5xx).",
        )?;
        for class in 1..=5usize {
            let start = class * 100 - usize::from(FIRST_STATUS);
            let count: u64 = statuses[start..start + 100].iter().sum();
            writeln!(
                out,
                "zigttp_http_requests_by_class_total{{class=\"{class}xx\"}} {count}"
            )?;
        }

        header(
            out,
            "zigttp_http_request_duration_seconds",
            "histogram",
            "Time from a complete request to its encoded response (refusals excluded).",
        )?;
        let mut buckets = [0u64; LATENCY_BUCKETS_NANOS.len() + 1];
        let mut sum_nanos = 0u64;
        for shard in &*self.shards {
            for (total, counter) in buckets.iter_mut().zip(&shard.latency) {
                *total += read(counter);
            }
            sum_nanos = sum_nanos.wrapping_add(read(&shard.latency_sum_nanos));
        }
        let mut cumulative = 0u64;
        for (bound, count) in LATENCY_BUCKETS_SECONDS.iter().zip(&buckets) {
            cumulative += count;
            writeln!(
                out,
                "zigttp_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {cumulative}"
            )?;
        }
        cumulative += buckets[LATENCY_BUCKETS_NANOS.len()];
        writeln!(
            out,
            "zigttp_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}"
        )?;
        writeln!(
            out,
            "zigttp_http_request_duration_seconds_sum {}",
            Duration::from_nanos(sum_nanos).as_secs_f64()
        )?;
        writeln!(
            out,
            "zigttp_http_request_duration_seconds_count {cumulative}"
        )?;

        gauge(
            out,
            "zigttp_http_active_connections",
            "Client connections open now.",
            self.active_connections(),
        )?;
        gauge(
            out,
            "zigttp_websockets_active",
            "WebSocket connections open now.",
            self.active_websockets(),
        )?;
        let rejected: u64 = self
            .shards
            .iter()
            .map(|s| read(&s.rejected_connections))
            .sum();
        counter(
            out,
            "zigttp_http_connections_rejected_total",
            "Connections closed at accept because a worker was at --max-connections.",
            rejected,
        )?;

        header(
            out,
            "zigttp_arena_bytes_high_water",
            "gauge",
            "Highest request-arena size (bumpalo allocated_bytes, before reset) per worker.",
        )?;
        for (worker, shard) in self.shards.iter().enumerate() {
            writeln!(
                out,
                "zigttp_arena_bytes_high_water{{worker=\"{worker}\"}} {}",
                read(&shard.arena_high_water)
            )?;
        }

        counter(
            out,
            "zigttp_arena_audit_failures_total",
            "Request arenas that still held memory after their reset.",
            read(&self.arena_audit_failures),
        )?;
        counter(
            out,
            "zigttp_persistent_escape_failures_total",
            "Image values found pointing into a request arena (no producer yet: always 0).",
            read(&self.persistent_escape_failures),
        )?;
        counter(
            out,
            "zigttp_policy_denials_total",
            "Module calls denied by the policy at call time.",
            self.policy_denials(),
        )?;
        counter(
            out,
            "zigttp_instance_recycles_total",
            "Interpreter instances rebuilt by the reuse policy (no producer yet: always 0).",
            read(&self.instance_recycles),
        )?;
        gauge(
            out,
            "zigttp_ready",
            "1 while the handler is loaded and the server is not draining.",
            u64::from(self.is_ready()),
        )?;
        gauge(
            out,
            "zigttp_workers",
            "Worker threads (event loops).",
            self.shards.len() as u64,
        )
    }
}

fn header(out: &mut Vec<u8>, name: &str, kind: &str, help: &str) -> std::io::Result<()> {
    writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}")
}

fn counter(out: &mut Vec<u8>, name: &str, help: &str, value: u64) -> std::io::Result<()> {
    header(out, name, "counter", help)?;
    writeln!(out, "{name} {value}")
}

fn gauge(out: &mut Vec<u8>, name: &str, help: &str, value: u64) -> std::io::Result<()> {
    header(out, name, "gauge", help)?;
    writeln!(out, "{name} {value}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(m: &Metrics) -> String {
        let mut out = Vec::new();
        m.render(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn bucket_tables_agree() {
        for (s, n) in LATENCY_BUCKETS_SECONDS.iter().zip(LATENCY_BUCKETS_NANOS) {
            assert_eq!(Duration::from_secs_f64(*s).as_nanos(), u128::from(n));
        }
    }

    #[test]
    fn counts_by_code_class_and_bucket() {
        let m = Metrics::new(2);
        m.record_response(0, 200, Some(Duration::from_micros(50)));
        m.record_response(1, 200, Some(Duration::from_millis(3)));
        m.record_response(1, 404, Some(Duration::from_secs(20)));
        m.record_response(0, 408, None);
        m.record_response(7, 503, Some(Duration::from_millis(1)));
        assert_eq!(m.requests_total(), 5);
        assert_eq!(m.responses_with_status(200), 2);
        assert_eq!(m.responses_with_status(99), 0);
        let t = text(&m);
        assert!(
            t.contains("zigttp_http_requests_total{code=\"200\"} 2\n"),
            "{t}"
        );
        assert!(
            t.contains("zigttp_http_requests_total{code=\"408\"} 1\n"),
            "{t}"
        );
        assert!(!t.contains("code=\"201\""), "{t}");
        assert!(t.contains("{class=\"2xx\"} 2\n"), "{t}");
        assert!(t.contains("{class=\"4xx\"} 2\n"), "{t}");
        assert!(t.contains("{class=\"5xx\"} 1\n"), "{t}");
        assert!(t.contains("{class=\"1xx\"} 0\n"), "{t}");
        assert!(t.contains("_bucket{le=\"0.0001\"} 1\n"), "{t}");
        assert!(t.contains("_bucket{le=\"0.001\"} 2\n"), "{t}");
        assert!(t.contains("_bucket{le=\"0.005\"} 3\n"), "{t}");
        assert!(t.contains("_bucket{le=\"10\"} 3\n"), "{t}");
        assert!(t.contains("_bucket{le=\"+Inf\"} 4\n"), "{t}");
        assert!(
            t.contains("zigttp_http_request_duration_seconds_count 4\n"),
            "{t}"
        );
        assert!(t.contains("zigttp_workers 2\n"), "{t}");
    }

    #[test]
    fn connections_arena_and_audit_counters() {
        let m = Metrics::new(1);
        m.connection_opened(0);
        m.connection_opened(0);
        m.connection_closed(0);
        m.connection_rejected(0);
        m.record_arena_bytes(0, 4096);
        m.record_arena_bytes(0, 1024);
        m.arena_audit_failure();
        m.persistent_escape_failure();
        m.policy_denial();
        assert!(m.link_policy_denials(|| 1));
        assert!(!m.link_policy_denials(|| 100));
        m.instance_recycle();
        m.set_ready(true);
        assert_eq!(m.active_connections(), 1);
        assert_eq!(m.arena_high_water(), 4096);
        let t = text(&m);
        for line in [
            "zigttp_http_active_connections 1\n",
            "zigttp_websockets_active 0\n",
            "zigttp_http_connections_rejected_total 1\n",
            "zigttp_arena_bytes_high_water{worker=\"0\"} 4096\n",
            "zigttp_arena_audit_failures_total 1\n",
            "zigttp_persistent_escape_failures_total 1\n",
            "zigttp_policy_denials_total 2\n",
            "zigttp_instance_recycles_total 1\n",
            "zigttp_ready 1\n",
        ] {
            assert!(t.contains(line), "missing {line:?} in\n{t}");
        }
        // Every sample has HELP and TYPE lines before it.
        let types = t.lines().filter(|l| l.starts_with("# TYPE ")).count();
        let helps = t.lines().filter(|l| l.starts_with("# HELP ")).count();
        assert_eq!(types, helps);
        assert_eq!(types, 13);
    }
}
