//! Paths the server answers itself, before the handler runs:
//!
//! | path | answer |
//! |---|---|
//! | `/healthz` | `200 ok\n` while the process serves |
//! | `/readyz` | `200 ready\n` while the handler is loaded and the server is not draining, else `503 draining\n` |
//! | `/metrics` (or `--metrics-path`) | Prometheus text, unless metrics are off |
//! | `/static/...` | files from `--static DIR` (only when it is set) |
//! | `/.well-known/zigttp-attest` | the attestation document (404 when the handler is not attested) |
//!
//! The attestation path is reserved even without an attestation, so a
//! handler can never answer it; for the same reason the server owns the
//! `Zigttp-Attest` response header: it sets it on every handler response
//! when attested and removes any the handler set otherwise.
//!
//! Matching is on the path only (a query is ignored) and exact. The
//! reserved paths answer `GET` and `HEAD`; other methods get 405 with
//! `Allow: GET, HEAD`. Everything else goes to the wrapped service.

use std::sync::Arc;

use crate::core::http::{Request, Response, Service, reason};
use crate::deploy::well_known::{self, WellKnown};
use crate::metrics::Metrics;
use crate::static_files::StaticFiles;

/// The health-check path.
pub const HEALTHZ: &str = "/healthz";
/// The readiness path.
pub const READYZ: &str = "/readyz";
/// The default metrics path.
pub const DEFAULT_METRICS_PATH: &str = "/metrics";

/// What the server reserves; shared by all workers.
#[derive(Clone, Debug)]
pub struct ReservedPaths {
    /// Where the Prometheus text is served; `None` turns the endpoint off
    /// (the path then goes to the handler like any other).
    pub metrics_path: Option<String>,
    /// `--static DIR`: files under `/static/`.
    pub static_files: Option<Arc<StaticFiles>>,
    /// The attestation document, when the handler runs attested.
    pub attestation: Option<Arc<WellKnown>>,
}

impl Default for ReservedPaths {
    fn default() -> Self {
        Self {
            metrics_path: Some(DEFAULT_METRICS_PATH.to_owned()),
            static_files: None,
            attestation: None,
        }
    }
}

impl ReservedPaths {
    /// Checks a metrics path: it must start with `/`, hold no `?` or `#`, and
    /// not be one of the other reserved paths.
    pub fn check_metrics_path(path: &str) -> Result<(), String> {
        if !path.starts_with('/') || path.contains(['?', '#']) || path.contains(char::is_whitespace)
        {
            return Err(format!(
                "metrics path {path:?} must start with '/' and hold no '?', '#' or spaces"
            ));
        }
        if path == HEALTHZ || path == READYZ || path == well_known::PATH || StaticFiles::owns(path)
        {
            return Err(format!(
                "metrics path {path:?} collides with a reserved path"
            ));
        }
        Ok(())
    }
}

/// Wraps a worker's service with the reserved paths.
pub struct Reserved<S> {
    inner: S,
    metrics: Arc<Metrics>,
    paths: Arc<ReservedPaths>,
}

impl<S> Reserved<S> {
    /// `metrics` must be the one given to `ServerConfig::metrics`: the server
    /// sets its readiness flag, which `/readyz` reports.
    pub fn new(inner: S, metrics: Arc<Metrics>, paths: Arc<ReservedPaths>) -> Self {
        Self {
            inner,
            metrics,
            paths,
        }
    }

    pub fn inner(&self) -> &S {
        &self.inner
    }
}

fn text(res: &mut Response, status: u16, body: &[u8]) {
    res.set_status(status);
    let _ = res.add_header("Content-Type", "text/plain; charset=utf-8");
    let _ = res.add_header("Cache-Control", "no-store");
    res.body_mut().extend_from_slice(body);
}

fn method_not_allowed(res: &mut Response) {
    res.set_status(405);
    let _ = res.add_header("Allow", "GET, HEAD");
    let _ = res.add_header("Content-Type", "text/plain; charset=utf-8");
    let body = res.body_mut();
    body.extend_from_slice(reason(405).as_bytes());
    body.push(b'\n');
}

impl<S: Service> Service for Reserved<S> {
    fn accepts_websockets(&self) -> bool {
        self.inner.accepts_websockets()
    }

    fn ws_event(&mut self, event: crate::core::WsEvent<'_>) -> bool {
        self.inner.ws_event(event)
    }

    fn call(&mut self, req: &Request<'_>, res: &mut Response) {
        let path = req.path();
        let is_metrics = self.paths.metrics_path.as_deref() == Some(path);
        if path == HEALTHZ || path == READYZ || is_metrics || path == well_known::PATH {
            if req.method != "GET" && req.method != "HEAD" {
                return method_not_allowed(res);
            }
            if path == well_known::PATH {
                match &self.paths.attestation {
                    Some(doc) => doc.serve(req, res),
                    None => text(res, 404, b"this service is not attested\n"),
                }
            } else if path == HEALTHZ {
                text(res, 200, b"ok\n");
            } else if path == READYZ {
                if self.metrics.is_ready() {
                    text(res, 200, b"ready\n");
                } else {
                    text(res, 503, b"draining\n");
                }
            } else {
                res.set_status(200);
                let _ = res.add_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                let _ = res.add_header("Cache-Control", "no-store");
                self.metrics.render(res.body_mut());
            }
            return;
        }
        match &self.paths.static_files {
            Some(files) if StaticFiles::owns(path) => files.serve(req, res),
            _ => {
                self.inner.call(req, res);
                match &self.paths.attestation {
                    Some(doc) => {
                        let _ = res.set_header(well_known::HEADER, doc.jws());
                    }
                    None => res.remove_header(well_known::HEADER),
                }
            }
        }
    }
}
