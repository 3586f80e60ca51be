//! One open WebSocket on a connection: decoding the client's frames,
//! answering control frames, running the callbacks, the closing handshake,
//! and the idle ping. The connection (`core::conn`) owns the socket and the
//! buffers and calls in here once it has upgraded.

use super::WsConfig;
use super::codec::{
    self, CLOSE_ABNORMAL, CLOSE_GOING_AWAY, CLOSE_INTERNAL_ERROR, CLOSE_NORMAL,
    CLOSE_UNSUPPORTED_DATA, Frame, FrameDecoder, OP_PING, OP_PONG, OP_TEXT, Step,
};
use super::hub::Outgoing;
use crate::core::http::{Service, WsEvent};
use std::time::{Duration, Instant};

/// After our close frame, how long the peer has to answer with its own.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(5);

/// What the connection does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Next {
    /// Keep reading and writing.
    Open,
    /// Send what is queued, then close the TCP connection.
    CloseAfterWrite,
}

#[derive(Debug)]
pub(crate) struct Session {
    pub(crate) id: u32,
    room: String,
    decoder: FrameDecoder,
    /// Our close frame is queued; no more data frames go out.
    close_sent: Option<Instant>,
    /// `onClose` ran (it runs exactly once).
    reported: bool,
    last_heard: Instant,
    ping_sent: bool,
}

impl Session {
    pub(crate) fn new(id: u32, room: &str, config: &WsConfig, now: Instant) -> Self {
        Self {
            id,
            room: room.to_owned(),
            decoder: FrameDecoder::new(config.max_message),
            close_sent: None,
            reported: false,
            last_heard: now,
            ping_sent: false,
        }
    }

    /// Reports the close to the handler, once.
    pub(crate) fn report_close<S: Service>(&mut self, service: &mut S, code: u16, reason: &str) {
        if !self.reported {
            self.reported = true;
            let _ = service.ws_event(WsEvent::Close {
                id: self.id,
                code,
                reason,
            });
        }
    }

    /// Queues our close frame (once) and reports the close.
    fn close<S: Service>(
        &mut self,
        service: &mut S,
        out: &mut Vec<u8>,
        code: u16,
        reason: &str,
        now: Instant,
    ) {
        if self.close_sent.is_none() {
            codec::encode_close(out, code, reason);
            self.close_sent = Some(now);
        }
        self.report_close(service, code, reason);
    }

    /// Decodes and handles the frames at the start of `input`. Returns the
    /// bytes consumed and what to do next.
    pub(crate) fn on_input<S: Service>(
        &mut self,
        input: &[u8],
        service: &mut S,
        out: &mut Vec<u8>,
        high_water: usize,
        now: Instant,
    ) -> (usize, Next) {
        let mut used = 0;
        while out.len() < high_water {
            let step = match self.decoder.decode(&input[used..]) {
                Ok(step) => step,
                Err(e) => {
                    self.close(service, out, e.code, e.why, now);
                    return (input.len(), Next::CloseAfterWrite);
                }
            };
            let Step::Frame { consumed, frame } = step else {
                break;
            };
            used += consumed;
            self.last_heard = now;
            self.ping_sent = false;
            match frame {
                Frame::Fragment | Frame::Pong => {}
                Frame::Ping => {
                    if self.close_sent.is_none() {
                        codec::encode_frame(out, OP_PONG, self.decoder.payload());
                    }
                }
                Frame::Text if self.close_sent.is_none() => {
                    // The decoder checked UTF-8.
                    let text = std::str::from_utf8(self.decoder.payload()).unwrap_or_default();
                    let ok = service.ws_event(WsEvent::Message {
                        id: self.id,
                        text,
                        room: &self.room,
                    });
                    if !ok {
                        self.close(service, out, CLOSE_INTERNAL_ERROR, "handler error", now);
                        return (input.len(), Next::CloseAfterWrite);
                    }
                }
                Frame::Binary if self.close_sent.is_none() => {
                    self.close(
                        service,
                        out,
                        CLOSE_UNSUPPORTED_DATA,
                        "binary messages are not supported",
                        now,
                    );
                    return (input.len(), Next::CloseAfterWrite);
                }
                // Data after our close frame is dropped (RFC 6455 section 5.5.1).
                Frame::Text | Frame::Binary => {}
                Frame::Close { code } => {
                    let reason = self.decoder.payload().get(2..).unwrap_or_default();
                    let reason = std::str::from_utf8(reason).unwrap_or_default().to_owned();
                    // Echo the peer's code (none for a close without one).
                    if self.close_sent.is_none() {
                        if code == codec::CLOSE_NO_STATUS {
                            codec::encode_frame(out, codec::OP_CLOSE, b"");
                        } else {
                            codec::encode_close(out, code, "");
                        }
                        self.close_sent = Some(now);
                    }
                    self.report_close(service, code, &reason);
                    return (input.len(), Next::CloseAfterWrite);
                }
            }
        }
        (used, Next::Open)
    }

    /// A message from the hub for this socket.
    pub(crate) fn on_outgoing<S: Service>(
        &mut self,
        message: &Outgoing,
        service: &mut S,
        out: &mut Vec<u8>,
        now: Instant,
    ) {
        if self.close_sent.is_some() {
            return;
        }
        match message {
            Outgoing::Text { text, .. } => codec::encode_frame(out, OP_TEXT, text.as_bytes()),
            Outgoing::Close { code, reason, .. } => self.close(service, out, *code, reason, now),
        }
    }

    /// Idle ping, idle close, close-handshake timeout, shutdown.
    pub(crate) fn on_timer<S: Service>(
        &mut self,
        service: &mut S,
        out: &mut Vec<u8>,
        idle: Duration,
        draining: bool,
        now: Instant,
    ) -> Next {
        if let Some(sent) = self.close_sent {
            return if now.duration_since(sent) >= CLOSE_TIMEOUT {
                Next::CloseAfterWrite
            } else {
                Next::Open
            };
        }
        if draining {
            self.close(service, out, CLOSE_GOING_AWAY, "server shutting down", now);
            return Next::Open;
        }
        let silent = now.duration_since(self.last_heard);
        if silent >= idle {
            self.close(service, out, CLOSE_GOING_AWAY, "idle timeout", now);
        } else if silent >= idle / 2 && !self.ping_sent {
            codec::encode_frame(out, OP_PING, b"");
            self.ping_sent = true;
        }
        Next::Open
    }

    /// Whether our close frame went out and the peer has not answered yet.
    pub(crate) fn closing(&self) -> bool {
        self.close_sent.is_some()
    }

    /// The connection ended (EOF, error, or dropped as a slow reader).
    pub(crate) fn on_end<S: Service>(&mut self, service: &mut S) {
        let code = if self.close_sent.is_some() {
            CLOSE_NORMAL
        } else {
            CLOSE_ABNORMAL
        };
        self.report_close(service, code, "");
    }
}
