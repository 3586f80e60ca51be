//! `zigttp:websocket`: what a WebSocket handler can do with sockets. The
//! server owns the sockets; the VM reaches them through the
//! [`WebSocketHost`] the embedder installs in [`crate::Services`].
//!
//! - `send(ws, data)`: queue a text message; `false` if the socket is gone.
//! - `close(ws, code?, reason?)`: start the closing handshake (code 1000 or
//!   3000-4999, default 1000; reason at most 123 bytes); `false` if gone.
//! - `getWebSockets(room)`: the ids of the open sockets in a room (the
//!   request path they connected to), in id order, across all workers.
//! - `serializeAttachment(ws, text)`: keep a string (at most 1 MiB) with the
//!   socket, the state a handler carries between callbacks (each callback
//!   runs in a fresh arena); `deserializeAttachment(ws)` reads it back.
//!
//! `ws` is the socket id the callbacks receive (a positive integer).

use super::{ModFn, arg, str_arg};
use crate::interp::{Vm, to_number};
use crate::trap::Trap;
use crate::value::{Array, Value};

/// Largest attachment.
pub const MAX_ATTACHMENT: usize = 1 << 20;
/// Largest close reason (a close frame holds 125 bytes, 2 are the code).
pub const MAX_CLOSE_REASON: usize = 123;

/// The embedder's sockets.
pub trait WebSocketHost: Send + Sync + std::fmt::Debug {
    /// Queues a text message to socket `id`; `false` if it is not open.
    fn send(&self, id: u32, text: &str) -> bool;
    /// Starts closing socket `id`; `false` if it is not open.
    fn close(&self, id: u32, code: u16, reason: &str) -> bool;
    /// Open sockets in `room`, in id order.
    fn sockets_in(&self, room: &str) -> Vec<u32>;
    /// Replaces the attachment of socket `id`; `false` if it is not open.
    fn set_attachment(&self, id: u32, value: &str) -> bool;
    fn attachment(&self, id: u32) -> Option<String>;
}

fn socket_id<'a>(vm: &mut Vm<'a, '_>, args: &[Value<'a>]) -> Result<u32, Trap> {
    let n = to_number(vm, arg(args, 0))?;
    if n.fract() == 0.0 && n >= 1.0 && n <= f64::from(u32::MAX) {
        Ok(n as u32)
    } else {
        Err(Trap::type_error(format!(
            "{n} is not a WebSocket id (ids are positive integers)"
        )))
    }
}

pub fn call<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let Some(host) = vm.services.websockets.clone() else {
        return Err(Trap::type_error(
            "zigttp:websocket is not available here (only a server with WebSocket support runs it)",
        ));
    };
    Ok(match f {
        ModFn::WsSend => {
            let id = socket_id(vm, args)?;
            let text = str_arg(vm, args, 1)?;
            Value::Bool(host.send(id, text))
        }
        ModFn::WsClose => {
            let id = socket_id(vm, args)?;
            let code = match arg(args, 1) {
                Value::Undefined => 1000,
                v => {
                    let n = to_number(vm, v)?;
                    if n == 1000.0 || (3000.0..=4999.0).contains(&n) && n.fract() == 0.0 {
                        n as u16
                    } else {
                        return Err(Trap::range_error(format!(
                            "close code {n} is not allowed (use 1000 or 3000-4999)"
                        )));
                    }
                }
            };
            let reason = match arg(args, 2) {
                Value::Undefined => "",
                _ => str_arg(vm, args, 2)?,
            };
            if reason.len() > MAX_CLOSE_REASON {
                return Err(Trap::range_error(format!(
                    "a close reason is at most {MAX_CLOSE_REASON} bytes"
                )));
            }
            Value::Bool(host.close(id, code, reason))
        }
        ModFn::WsGetWebSockets => {
            let room = str_arg(vm, args, 0)?;
            let ids = host.sockets_in(room);
            Value::Array(Array::from_iter_in(
                vm.arena,
                ids.into_iter().map(|id| Value::Num(f64::from(id))),
            ))
        }
        ModFn::WsSerializeAttachment => {
            let id = socket_id(vm, args)?;
            let text = str_arg(vm, args, 1)?;
            if text.len() > MAX_ATTACHMENT {
                return Err(Trap::range_error(format!(
                    "an attachment is at most {MAX_ATTACHMENT} bytes"
                )));
            }
            Value::Bool(host.set_attachment(id, text))
        }
        ModFn::WsDeserializeAttachment => {
            let id = socket_id(vm, args)?;
            match host.attachment(id) {
                Some(s) => Value::Str(vm.arena.alloc_str(&s)),
                None => Value::Undefined,
            }
        }
        _ => {
            return Err(Trap::new(
                crate::trap::TrapKind::Internal,
                "websocket dispatch",
            ));
        }
    })
}
