//! The registry of open WebSockets, shared by every worker: ids, rooms,
//! attachments, and one outbox per worker.
//!
//! A socket lives on the worker that accepted it. Anything that writes to
//! it (`send`/`close` from any handler on any worker) goes through the
//! owner's outbox; the owner's event loop drains its outbox after every
//! batch of events and is woken through its `mio::Waker` when another
//! thread queued something. Messages to one socket keep their order.

use mio::Waker;
use std::cell::Cell;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use zigts_vm::modules::WebSocketHost;

thread_local! {
    /// The worker index of the current thread, if it is a worker.
    static WORKER: Cell<Option<usize>> = const { Cell::new(None) };
}

/// What an event loop must write to one of its sockets.
#[derive(Debug, PartialEq, Eq)]
pub enum Outgoing {
    Text { id: u32, text: String },
    Close { id: u32, code: u16, reason: String },
}

impl Outgoing {
    /// The socket it is for.
    pub fn id(&self) -> u32 {
        match self {
            Outgoing::Text { id, .. } | Outgoing::Close { id, .. } => *id,
        }
    }
}

#[derive(Debug)]
struct Socket {
    worker: usize,
    /// The connection's slot in its worker's event loop.
    slot: usize,
    room: String,
    attachment: Option<String>,
}

#[derive(Debug, Default)]
struct Registry {
    sockets: HashMap<u32, Socket>,
    /// room -> ids, for `getWebSockets`.
    rooms: HashMap<String, BTreeSet<u32>>,
}

/// The shared registry.
#[derive(Debug)]
pub struct Hub {
    next_id: AtomicU32,
    registry: Mutex<Registry>,
    outboxes: Vec<Mutex<Vec<Outgoing>>>,
    wakers: Mutex<Vec<Option<Arc<Waker>>>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Hub {
    /// A hub for `workers` event loops.
    pub fn new(workers: usize) -> Hub {
        Hub {
            next_id: AtomicU32::new(1),
            registry: Mutex::new(Registry::default()),
            outboxes: (0..workers.max(1))
                .map(|_| Mutex::new(Vec::new()))
                .collect(),
            wakers: Mutex::new(vec![None; workers.max(1)]),
        }
    }

    /// Called by worker `index`'s thread when its loop starts.
    pub(crate) fn attach_worker(&self, index: usize, waker: Arc<Waker>) {
        WORKER.with(|w| w.set(Some(index)));
        if let Some(slot) = lock(&self.wakers).get_mut(index) {
            *slot = Some(waker);
        }
    }

    /// Registers a socket that just opened on `worker` at `slot`.
    pub(crate) fn open(&self, worker: usize, slot: usize, room: &str) -> u32 {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut r = lock(&self.registry);
        r.rooms.entry(room.to_owned()).or_default().insert(id);
        r.sockets.insert(
            id,
            Socket {
                worker,
                slot,
                room: room.to_owned(),
                attachment: None,
            },
        );
        id
    }

    /// Forgets a socket (it closed).
    pub(crate) fn remove(&self, id: u32) {
        let mut r = lock(&self.registry);
        let Some(s) = r.sockets.remove(&id) else {
            return;
        };
        if let Some(room) = r.rooms.get_mut(&s.room) {
            room.remove(&id);
            if room.is_empty() {
                r.rooms.remove(&s.room);
            }
        }
    }

    /// The event-loop slot of socket `id`, if it belongs to `worker`.
    pub(crate) fn slot(&self, id: u32, worker: usize) -> Option<usize> {
        lock(&self.registry)
            .sockets
            .get(&id)
            .filter(|s| s.worker == worker)
            .map(|s| s.slot)
    }

    /// Takes what worker `index` has to write.
    pub(crate) fn drain_outbox(&self, index: usize, into: &mut Vec<Outgoing>) {
        if let Some(outbox) = self.outboxes.get(index) {
            into.append(&mut lock(outbox));
        }
    }

    /// Open sockets.
    pub fn len(&self) -> usize {
        lock(&self.registry).sockets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn post(&self, id: u32, message: Outgoing) -> bool {
        let Some(worker) = lock(&self.registry).sockets.get(&id).map(|s| s.worker) else {
            return false;
        };
        lock(&self.outboxes[worker]).push(message);
        // The current worker drains its own outbox after the event it is
        // handling; another worker must be woken.
        if WORKER.with(Cell::get) != Some(worker)
            && let Some(waker) = &lock(&self.wakers)[worker]
        {
            let _ = waker.wake();
        }
        true
    }
}

impl WebSocketHost for Hub {
    fn send(&self, id: u32, text: &str) -> bool {
        self.post(
            id,
            Outgoing::Text {
                id,
                text: text.to_owned(),
            },
        )
    }

    fn close(&self, id: u32, code: u16, reason: &str) -> bool {
        self.post(
            id,
            Outgoing::Close {
                id,
                code,
                reason: reason.to_owned(),
            },
        )
    }

    fn sockets_in(&self, room: &str) -> Vec<u32> {
        lock(&self.registry)
            .rooms
            .get(room)
            .map(|ids| ids.iter().copied().collect())
            .unwrap_or_default()
    }

    fn set_attachment(&self, id: u32, value: &str) -> bool {
        match lock(&self.registry).sockets.get_mut(&id) {
            Some(s) => {
                s.attachment = Some(value.to_owned());
                true
            }
            None => false,
        }
    }

    fn attachment(&self, id: u32) -> Option<String> {
        lock(&self.registry)
            .sockets
            .get(&id)
            .and_then(|s| s.attachment.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rooms_attachments_and_outboxes() {
        let hub = Hub::new(2);
        let a = hub.open(0, 7, "/chat");
        let b = hub.open(1, 3, "/chat");
        let c = hub.open(1, 4, "/other");
        assert_eq!(hub.sockets_in("/chat"), vec![a, b]);
        assert_eq!(hub.slot(b, 1), Some(3));
        assert_eq!(hub.slot(b, 0), None);
        assert!(hub.set_attachment(a, "alice"));
        assert_eq!(hub.attachment(a).as_deref(), Some("alice"));
        assert!(hub.send(b, "hi"));
        assert!(hub.close(c, 1000, "bye"));
        let mut out = Vec::new();
        hub.drain_outbox(1, &mut out);
        assert_eq!(out.len(), 2);
        hub.drain_outbox(0, &mut out);
        assert_eq!(out.len(), 2);
        hub.remove(a);
        assert!(!hub.send(a, "gone"));
        assert_eq!(hub.attachment(a), None);
        assert_eq!(hub.sockets_in("/chat"), vec![b]);
        hub.remove(b);
        assert!(hub.sockets_in("/chat").is_empty());
        assert_eq!(hub.len(), 1);
    }
}
