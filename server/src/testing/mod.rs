//! `zigttp test handler.ts cases.jsonl`: declarative handler tests
//! (DESIGN section 11, reference-language section 7).
//!
//! Each case runs against a fresh instance (module code runs again), with
//! `Date.now()` fixed at 0 and `Math.random()` at 0.5. Output lists PASS or
//! FAIL per case with the mismatch, then `Results: N passed, M failed`.

mod cases;

pub use cases::{Case, Expect, IoRecord, TestRequest, parse_cases};

use crate::app::{ErrorDetail, trap_response};
use bumpalo::Bump;
use std::fmt::Write as _;
use std::sync::Arc;
use zigts_verifier::VerifiedBundle;
use zigts_vm::{ExecLimits, Host, RequestParts};

/// The host used by test cases: fixed clocks, console lines collected, and
/// module calls answered from the case's `io` records.
#[derive(Debug, Default)]
pub struct TestHost {
    pub console: Vec<String>,
    /// Unused io records, in file order: (module, fn, JSON result or `None` for undefined).
    io: Vec<(String, String, Option<String>)>,
}

impl TestHost {
    /// A host answering from `records`.
    pub fn with_io(records: &[IoRecord]) -> TestHost {
        let io = records
            .iter()
            .map(|r| {
                (
                    r.module.clone(),
                    r.func.clone(),
                    r.result.as_ref().map(ToString::to_string),
                )
            })
            .collect();
        TestHost {
            console: Vec::new(),
            io,
        }
    }
}

impl Host for TestHost {
    fn console(&mut self, _is_error: bool, line: &str) {
        self.console.push(line.to_string());
    }
    fn now_ms(&mut self) -> f64 {
        0.0
    }
    fn monotonic_ms(&mut self) -> f64 {
        0.0
    }
    fn random(&mut self) -> f64 {
        0.5
    }
    /// Tests read only what io records provide.
    fn env(&mut self, _name: &str) -> Option<String> {
        None
    }
    /// An outbound call without an io record fails as denied (DESIGN section 11).
    fn outbound_allowed(&mut self) -> bool {
        false
    }
    /// A call takes the next unused record for its own module and function.
    fn stub(&mut self, module: &str, func: &str) -> Option<Option<String>> {
        let i = self
            .io
            .iter()
            .position(|(m, f, _)| m == module && f == func)?;
        Some(self.io.remove(i).2)
    }
}

/// What a handler answered in a test.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Runs one request against a fresh instance of `program` (no io records).
pub fn answer(program: &Arc<VerifiedBundle>, req: &TestRequest, limits: ExecLimits) -> Answer {
    answer_with(program, req, &[], limits)
}

/// Runs one request against a fresh instance, module calls answered from `io`.
pub fn answer_with(
    program: &Arc<VerifiedBundle>,
    req: &TestRequest,
    io: &[IoRecord],
    limits: ExecLimits,
) -> Answer {
    let mut host = TestHost::with_io(io);
    let instance = match crate::app::instantiate(program, &mut host, limits) {
        Ok(i) => i,
        Err(e) => {
            return Answer {
                status: 500,
                headers: Vec::new(),
                body: format!("{e}\n"),
            };
        }
    };
    let headers: Vec<(&str, &[u8])> = req
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_bytes()))
        .collect();
    let parts = RequestParts {
        method: &req.method,
        target: &req.url,
        headers: &headers,
        body: req.body.as_deref().map(str::as_bytes),
    };
    let arena = Bump::new();
    match instance.handle(&arena, &parts, &mut host, limits) {
        Ok(r) => Answer {
            status: r.status,
            headers: r
                .headers
                .iter()
                .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
                .collect(),
            body: r.body.to_string(),
        },
        Err(trap) => {
            let (status, body) = trap_response(&trap, ErrorDetail::Show);
            Answer {
                status,
                headers: vec![("Content-Type".into(), "text/plain; charset=utf-8".into())],
                body,
            }
        }
    }
}

/// The mismatches between an answer and a case's expectations.
pub fn check(answer: &Answer, expects: &[Expect]) -> Vec<String> {
    let mut problems = Vec::new();
    for e in expects {
        if let Some(status) = e.status
            && status != answer.status
        {
            problems.push(format!(
                "expected status: {status}, actual status: {}",
                answer.status
            ));
        }
        if let Some(body) = &e.body
            && body != &answer.body
        {
            problems.push(format!(
                "body mismatch:\n  expected: {body:?}\n  actual:   {:?}",
                answer.body
            ));
        }
        if let Some(part) = &e.body_contains
            && !answer.body.contains(part.as_str())
        {
            problems.push(format!(
                "body does not contain: {part:?} (body: {:?})",
                answer.body
            ));
        }
        for (name, value) in &e.headers {
            let found = answer
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name));
            match found {
                Some((_, v)) if v == value => {}
                Some((_, v)) => {
                    problems.push(format!("header {name}: expected {value:?}, actual {v:?}"));
                }
                None => problems.push(format!("missing header: {name}: {value}")),
            }
        }
    }
    problems
}

/// Summary of a test run.
#[derive(Debug, Default)]
pub struct Summary {
    pub passed: usize,
    pub failed: usize,
    /// The full report, ending with the `Results:` line.
    pub report: String,
}

/// Runs every case of a `.test.jsonl` text against `program`.
pub fn run(
    program: &Arc<VerifiedBundle>,
    handler_name: &str,
    cases: &[Case],
    limits: ExecLimits,
) -> Summary {
    let mut s = Summary::default();
    let _ = writeln!(s.report, "Testing {handler_name} ({} tests)\n", cases.len());
    for case in cases {
        let problems = match &case.request {
            None => vec!["no request defined".to_string()],
            Some(req) => {
                let a = answer_with(program, req, &case.io, limits);
                if case.expects.is_empty() {
                    vec!["no expect record".to_string()]
                } else {
                    check(&a, &case.expects)
                }
            }
        };
        if problems.is_empty() {
            s.passed += 1;
            let _ = writeln!(s.report, "  PASS  {}", case.name);
        } else {
            s.failed += 1;
            let _ = writeln!(s.report, "  FAIL  {}", case.name);
            for p in problems {
                for line in p.lines() {
                    let _ = writeln!(s.report, "        {line}");
                }
            }
        }
    }
    let _ = writeln!(
        s.report,
        "\nResults: {} passed, {} failed",
        s.passed, s.failed
    );
    s
}
