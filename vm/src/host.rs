//! What a run needs from its embedder: output, clocks, randomness.

/// The embedder's side of a run. The server, the test runner and `exec`
/// each provide one.
pub trait Host {
    /// One `console.*` line (without newline); `is_error` for warn/error.
    fn console(&mut self, is_error: bool, line: &str);
    /// `Date.now()`: milliseconds since the Unix epoch.
    fn now_ms(&mut self) -> f64;
    /// `performance.now()`: monotonic milliseconds.
    fn monotonic_ms(&mut self) -> f64;
    /// `Math.random()`: a number in [0, 1).
    fn random(&mut self) -> f64;
    /// An environment variable (after the policy allowed the name).
    fn env(&mut self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
    /// A security event (a policy denial): logged by the embedder as one line.
    fn security_event(&mut self, event: &str) {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), "security: {event}");
    }
    /// One structured log line from `zigttp:log` (NDJSON, without the
    /// newline). The default writes it to stderr; a test host may collect it.
    fn log_line(&mut self, line: &str) {
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }
    /// Whether `zigttp:fetch` may open real connections (after the policy
    /// allowed the host). A test host answers false so that an outbound call
    /// without an io stub fails as denied (DESIGN section 11).
    fn outbound_allowed(&mut self) -> bool {
        true
    }
    /// A recorded answer for a module call (`zigttp test` io records):
    /// `Some(None)` is undefined, `Some(Some(json))` a value; `None` means
    /// "run the real implementation".
    fn stub(&mut self, _module: &str, _func: &str) -> Option<Option<String>> {
        None
    }
}

/// A host with no side effects, for fuzzing, property tests and benchmarks:
/// output and log lines are dropped, both clocks read 0, `Math.random()` is
/// 0.5, no environment variable is set and outbound connections are refused.
#[derive(Debug, Default, Clone, Copy)]
pub struct QuietHost;

impl Host for QuietHost {
    fn console(&mut self, _: bool, _: &str) {}
    fn now_ms(&mut self) -> f64 {
        0.0
    }
    fn monotonic_ms(&mut self) -> f64 {
        0.0
    }
    fn random(&mut self) -> f64 {
        0.5
    }
    fn env(&mut self, _: &str) -> Option<String> {
        None
    }
    fn security_event(&mut self, _: &str) {}
    fn log_line(&mut self, _: &str) {}
    fn outbound_allowed(&mut self) -> bool {
        false
    }
}

/// A host for production: real clocks, console lines to stdout/stderr.
#[derive(Debug)]
pub struct SystemHost {
    start: std::time::Instant,
    rng: u64,
    /// When set, `env()` reads only this map instead of the process environment.
    env: Option<std::sync::Arc<std::collections::HashMap<String, String>>>,
}

impl SystemHost {
    /// A host whose handler environment is exactly `vars` (an env file, tests).
    pub fn with_env(vars: std::sync::Arc<std::collections::HashMap<String, String>>) -> SystemHost {
        SystemHost {
            env: Some(vars),
            ..SystemHost::default()
        }
    }
}

impl Default for SystemHost {
    fn default() -> Self {
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0x9E37_79B9_7F4A_7C15, |d| d.as_nanos() as u64);
        SystemHost {
            start: std::time::Instant::now(),
            rng: seed | 1,
            env: None,
        }
    }
}

impl Host for SystemHost {
    fn console(&mut self, is_error: bool, line: &str) {
        use std::io::Write;
        if is_error {
            let _ = writeln!(std::io::stderr().lock(), "{line}");
        } else {
            let _ = writeln!(std::io::stdout().lock(), "{line}");
        }
    }
    fn now_ms(&mut self) -> f64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_millis() as f64)
    }
    fn monotonic_ms(&mut self) -> f64 {
        self.start.elapsed().as_secs_f64() * 1000.0
    }
    fn env(&mut self, name: &str) -> Option<String> {
        match &self.env {
            Some(vars) => vars.get(name).cloned(),
            None => std::env::var(name).ok(),
        }
    }
    fn random(&mut self) -> f64 {
        // xorshift64*: Math.random is not a CSPRNG in JS either.
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        let x = self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}
