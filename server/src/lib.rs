//! zigttp: the server runtime and the `zigttp` CLI.
//!
//! - [`core`]: sans-IO HTTP/1.1, limits, mio event loops, workers.
//! - [`app`]: loading handlers and running requests through the VM.
//! - [`testing`]: the declarative `.test.jsonl` runner.
//! - [`ws`]: WebSocket (RFC 6455) upgrade, frames, sessions, the socket registry.
//! - [`deploy`]: keys, attestation, self-extracting binaries, `zigttp verify`.
//! - [`project`]: `zigttp.json`, `zigttp init`, `zigttp types`, watch mode.
//! - [`metrics`], [`access_log`], [`static_files`]: the operational surface
//!   (docs/operations.md).

pub mod access_log;
pub mod app;
pub mod core;
pub mod deploy;
pub mod metrics;
pub mod project;
pub mod static_files;
pub mod testing;
pub mod ws;
