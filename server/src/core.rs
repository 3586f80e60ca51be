//! The HTTP server core: sans-IO HTTP/1.x decoding and encoding, limits, the
//! per-worker mio event loops and server start/stop (DESIGN.md section 7).
//!
//! Entry points: [`serve`] (CLI: signals, listening line), [`serve_until`] and
//! [`Server`] (embedding and tests), the [`http::Service`] trait.

#[path = "conn.rs"]
pub mod conn;
#[path = "event_loop.rs"]
pub mod event_loop;
#[path = "http/mod.rs"]
pub mod http;
#[path = "net.rs"]
pub mod net;
#[path = "worker.rs"]
pub mod worker;

pub use http::{Header, InvalidHeader, Limits, Request, Response, Service, WsEvent};
pub use worker::{DEFAULT_DRAIN_TIMEOUT, Server, ServerConfig, ShutdownHandle, serve, serve_until};
