//! WebSocket (RFC 6455) in the event loop: the handshake, frame codec,
//! per-connection session and the registry shared by workers.
//!
//! Handlers opt in by exporting `onMessage` (and optionally `onOpen`,
//! `onClose`) and importing `zigttp:websocket` (capability `websocket`). A
//! connection that upgrades stays on the worker that accepted it; each
//! callback runs in that worker's request arena, reset afterwards.

pub mod codec;
pub mod handshake;
pub mod hub;
pub(crate) mod session;

use std::sync::Arc;
use std::time::Duration;

/// Default cap on one message (all fragments): 64 KiB.
pub const DEFAULT_MAX_MESSAGE: usize = 64 << 10;
/// Default idle timeout: a ping after half of it, a close (1001) after all of it.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_mins(1);

/// WebSocket settings of a server.
#[derive(Clone, Debug)]
pub struct WsConfig {
    pub hub: Arc<hub::Hub>,
    pub origins: handshake::Origins,
    pub max_message: usize,
    pub idle_timeout: Duration,
}

impl WsConfig {
    pub fn new(hub: Arc<hub::Hub>) -> Self {
        Self {
            hub,
            origins: handshake::Origins::default(),
            max_message: DEFAULT_MAX_MESSAGE,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
        }
    }

    /// A socket whose unsent output exceeds this is dropped (a client that
    /// does not read): four maximal messages, at least 1 MiB.
    pub fn max_pending_output(&self) -> usize {
        (self.max_message.saturating_mul(4)).max(1 << 20)
    }
}
