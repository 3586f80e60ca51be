//! Listener setup and the small I/O-error vocabulary of the event loop.

use std::io;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};

use socket2::{Domain, Protocol, Socket, Type};

/// Listen backlog. std and mio fix it at 128, which overflows under bursts of
/// new connections (load tests, a restart with many clients) and costs each
/// dropped SYN a 1 s client retransmit. The kernel clamps it to
/// `net.core.somaxconn`.
const BACKLOG: i32 = 1024;

/// Binds a non-blocking listener on the first address `host:port` resolves
/// to that accepts the bind (`port` 0 picks a free port).
pub(crate) fn bind(host: &str, port: u16) -> io::Result<TcpListener> {
    let mut last_err = None;
    for addr in (host, port).to_socket_addrs()? {
        match bind_addr(addr) {
            Ok(listener) => return Ok(listener),
            Err(e) => last_err = Some(e),
        }
    }
    Err(last_err.unwrap_or_else(|| {
        io::Error::new(
            io::ErrorKind::AddrNotAvailable,
            format!("{host} resolves to no address"),
        )
    }))
}

fn bind_addr(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    // Rebind right after a restart even while old connections sit in TIME_WAIT.
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(BACKLOG)?;
    socket.set_nonblocking(true)?;
    Ok(socket.into())
}

pub(crate) fn would_block(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::WouldBlock
}

pub(crate) fn interrupted(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Interrupted
}

/// The peer went away (reset, broken pipe, ...): routine, never logged.
pub(crate) fn is_disconnect(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::BrokenPipe
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::NotConnected
            | io::ErrorKind::UnexpectedEof
            | io::ErrorKind::TimedOut
    )
}

/// Out of file descriptors or kernel memory: stop accepting for a moment.
pub(crate) fn is_resource_exhaustion(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
    )
}
