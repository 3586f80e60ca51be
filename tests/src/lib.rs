//! Shared helpers of the end-to-end tests: running a request against a
//! fresh in-process server over a real loopback socket.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;
use zigts_verifier::VerifiedBundle;
use zigts_vm::{ExecLimits, SystemHost};
use zigttp::app::service::{HandlerService, RunPolicy};
use zigttp::app::{self, ErrorDetail};
use zigttp::core::{Server, ServerConfig};
use zigttp::testing::{Answer, TestRequest};

/// One request over a real socket to a fresh server instance.
pub fn answer_over_http(
    program: &Arc<VerifiedBundle>,
    case: &TestRequest,
) -> Result<Answer, String> {
    answer_over_http_with_env(program, case, &[])
}

/// The handler's environment from a case's `io` records of module `env`
/// (`args[0]` set to `result`; a `null` result leaves it unset), as the
/// conformance README asks for the real-server pass.
pub fn env_from_io(io: &[zigttp::testing::IoRecord]) -> Vec<(String, String)> {
    io.iter()
        .filter(|r| r.module == "env")
        .filter_map(|r| {
            let name = r.args.first()?.as_str()?.to_string();
            let value = r.result.as_ref()?.as_str()?.to_string();
            Some((name, value))
        })
        .collect()
}

/// [`answer_over_http`] with the handler's environment set to exactly `env`.
pub fn answer_over_http_with_env(
    program: &Arc<VerifiedBundle>,
    case: &TestRequest,
    env: &[(String, String)],
) -> Result<Answer, String> {
    let vars: Arc<std::collections::HashMap<String, String>> =
        Arc::new(env.iter().cloned().collect());
    let instance = Arc::new(app::instantiate(
        program,
        &mut SystemHost::default(),
        ExecLimits::default(),
    )?);
    let config = ServerConfig {
        host: "127.0.0.1".into(),
        port: 0,
        workers: 1,
        quiet: true,
        ..ServerConfig::default()
    };
    let policy = RunPolicy {
        detail: ErrorDetail::Show,
        quiet: true,
        ..RunPolicy::default()
    };
    let server = Server::start(config, move |_| {
        HandlerService::new(Arc::clone(&instance), policy).with_env(Arc::clone(&vars))
    })
    .map_err(|e| format!("server start: {e}"))?;
    let result = send(server.local_addr(), case);
    server.shutdown();
    let _ = server.join();
    result
}

fn send(addr: std::net::SocketAddr, case: &TestRequest) -> Result<Answer, String> {
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .map_err(|e| e.to_string())?;
    let mut req = format!(
        "{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n",
        case.method, case.url
    );
    for (k, v) in &case.headers {
        let _ = write!(req, "{k}: {v}\r\n");
    }
    if let Some(body) = &case.body {
        let _ = write!(req, "Content-Length: {}\r\n", body.len());
    }
    req.push_str("\r\n");
    if let Some(body) = &case.body {
        req.push_str(body);
    }
    stream
        .write_all(req.as_bytes())
        .map_err(|e| format!("write: {e}"))?;
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .map_err(|e| format!("read: {e}"))?;
    parse_response(&raw)
}

pub fn parse_response(raw: &[u8]) -> Result<Answer, String> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no response head")?;
    let head = std::str::from_utf8(&raw[..split]).map_err(|_| "head is not UTF-8")?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().ok_or("empty head")?;
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or(format!("bad status line {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| {
            l.split_once(':')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        })
        .collect();
    let body = String::from_utf8_lossy(&raw[split + 4..]).into_owned();
    Ok(Answer {
        status,
        headers,
        body,
    })
}
