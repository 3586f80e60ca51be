//! The access log: one line per response, written by the worker that sent it.
//!
//! ```text
//! ts=2025-01-02T03:04:05.678Z method=GET path=/users/7 status=200 bytes=512 duration_us=143
//! ```
//!
//! What a line holds: the time (UTC, milliseconds), the method, the request
//! path **without** its query string, the status, the body bytes sent (0 for
//! `HEAD`, 204 and 304) and the time from the complete request to the
//! encoded response in microseconds (0 for refusals, which are logged with
//! `method=- path=-`: a request the server could not parse has neither).
//!
//! What a line never holds: query strings, header names or values (cookies,
//! `Authorization`), request or response bodies, client addresses. Bytes of
//! the path outside printable ASCII, and `"` and `\`, are written as `\xHH`
//! so a path cannot forge a line; paths longer than [`MAX_LOGGED_PATH`] bytes
//! are cut and end in `...`.
//!
//! Each worker formats into its own reused buffer. For stderr, lines are
//! collected and written together by [`AccessLogger::flush`]: one
//! `write_all` under stderr's lock per batch of whole lines, so lines from
//! different workers never interleave. A worker never sends a response while
//! it holds unwritten lines (the responses of one event-loop turn are sent
//! after the turn's lines are written), so a line is out before its client
//! sees the response, and a client's requests are logged in order whichever
//! worker serves them. The buffer is also written before the worker waits
//! for events, once it passes [`STDERR_BATCH_BYTES`], and on drop. A sink
//! gets every finished line in its own call.

use std::fmt;
use std::io::Write as _;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::core::http::encode::push_decimal;

/// Stderr lines are written once this many bytes are waiting, even in the
/// middle of an event-loop turn.
pub const STDERR_BATCH_BYTES: usize = 16 * 1024;

/// Longest path written to the log, in bytes of the raw path.
pub const MAX_LOGGED_PATH: usize = 1024;

/// Receives finished lines (newline included) from any worker.
pub type LineSink = Arc<dyn Fn(&[u8]) + Send + Sync>;

/// Where access-log lines go.
#[derive(Clone, Default)]
pub enum AccessLog {
    /// No access log (the default of `ServerConfig`).
    #[default]
    Off,
    /// One line per response on standard error (the CLI's default).
    Stderr,
    /// Each line is passed to a function (embedding, tests).
    Sink(LineSink),
}

impl fmt::Debug for AccessLog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Off => "Off",
            Self::Stderr => "Stderr",
            Self::Sink(_) => "Sink(..)",
        })
    }
}

impl AccessLog {
    pub fn is_off(&self) -> bool {
        matches!(self, Self::Off)
    }
}

/// What one access-log line describes.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    /// `None` for a refusal of an unparsable or over-limit request.
    pub method: Option<&'a str>,
    /// The request path; anything from the first `?` on is dropped here.
    pub path: Option<&'a str>,
    pub status: u16,
    pub bytes: usize,
    pub duration: Duration,
}

/// A worker's access logger: the destination and a reused line buffer.
#[derive(Debug)]
pub struct AccessLogger {
    target: AccessLog,
    line: Vec<u8>,
}

impl AccessLogger {
    pub fn new(target: AccessLog) -> Self {
        let capacity = match target {
            AccessLog::Off => 0,
            AccessLog::Stderr => STDERR_BATCH_BYTES + 4 * MAX_LOGGED_PATH + 256,
            AccessLog::Sink(_) => 256,
        };
        Self {
            target,
            line: Vec::with_capacity(capacity),
        }
    }

    pub fn is_off(&self) -> bool {
        self.target.is_off()
    }

    /// Formats and emits one line (nothing when off).
    pub fn log(&mut self, entry: &Entry<'_>, now: SystemTime) {
        match &self.target {
            AccessLog::Off => {}
            AccessLog::Stderr => {
                format_line(&mut self.line, entry, now);
                if self.line.len() >= STDERR_BATCH_BYTES {
                    self.flush();
                }
            }
            AccessLog::Sink(sink) => {
                self.line.clear();
                format_line(&mut self.line, entry, now);
                sink(&self.line);
            }
        }
    }

    /// Stderr lines are waiting to be written.
    pub fn has_pending(&self) -> bool {
        matches!(self.target, AccessLog::Stderr) && !self.line.is_empty()
    }

    /// Writes the stderr lines collected so far (nothing for other targets).
    pub fn flush(&mut self) {
        if matches!(self.target, AccessLog::Stderr) && !self.line.is_empty() {
            let _ = std::io::stderr().lock().write_all(&self.line);
            self.line.clear();
        }
    }
}

impl Drop for AccessLogger {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Appends one line (with its newline) for `entry` to `out`.
pub fn format_line(out: &mut Vec<u8>, entry: &Entry<'_>, now: SystemTime) {
    out.extend_from_slice(b"ts=");
    push_timestamp(out, now);
    out.extend_from_slice(b" method=");
    match entry.method {
        Some(method) => push_escaped(out, method.as_bytes()),
        None => out.push(b'-'),
    }
    out.extend_from_slice(b" path=");
    match entry.path {
        Some(path) => {
            let path = path.split_once('?').map_or(path, |(p, _)| p).as_bytes();
            if path.len() > MAX_LOGGED_PATH {
                push_escaped(out, &path[..MAX_LOGGED_PATH]);
                out.extend_from_slice(b"...");
            } else {
                push_escaped(out, path);
            }
        }
        None => out.push(b'-'),
    }
    out.extend_from_slice(b" status=");
    push_decimal(out, usize::from(entry.status));
    out.extend_from_slice(b" bytes=");
    push_decimal(out, entry.bytes);
    out.extend_from_slice(b" duration_us=");
    push_decimal(
        out,
        usize::try_from(entry.duration.as_micros()).unwrap_or(usize::MAX),
    );
    out.push(b'\n');
}

fn push_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in bytes {
        if b.is_ascii_graphic() && b != b'"' && b != b'\\' {
            out.push(b);
        } else {
            out.extend_from_slice(&[
                b'\\',
                b'x',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 15)],
            ]);
        }
    }
}

fn push_padded(out: &mut Vec<u8>, n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut i = digits.len();
    let mut n = n;
    while n > 0 && i > 0 {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let start = (digits.len() - width).min(i);
    out.extend_from_slice(&digits[start..]);
}

/// RFC 3339 UTC with milliseconds: `2025-01-02T03:04:05.678Z`.
fn push_timestamp(out: &mut Vec<u8>, now: SystemTime) {
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (year, month, day) = civil_from_days((secs / 86_400) as i64);
    let rem = secs % 86_400;
    push_padded(out, year as u64, 4);
    out.push(b'-');
    push_padded(out, u64::from(month), 2);
    out.push(b'-');
    push_padded(out, u64::from(day), 2);
    out.push(b'T');
    push_padded(out, rem / 3600, 2);
    out.push(b':');
    push_padded(out, rem / 60 % 60, 2);
    out.push(b':');
    push_padded(out, rem % 60, 2);
    out.push(b'.');
    push_padded(out, u64::from(since.subsec_millis()), 3);
    out.push(b'Z');
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(entry: &Entry<'_>, secs: u64, millis: u64) -> String {
        let mut out = Vec::new();
        let t = UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_millis(millis);
        format_line(&mut out, entry, t);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn timestamps() {
        let e = Entry {
            method: Some("GET"),
            path: Some("/"),
            status: 200,
            bytes: 0,
            duration: Duration::ZERO,
        };
        assert!(line(&e, 0, 0).starts_with("ts=1970-01-01T00:00:00.000Z "));
        // 1994-11-06T08:49:37Z, the RFC 9110 example date.
        assert!(line(&e, 784_111_777, 5).starts_with("ts=1994-11-06T08:49:37.005Z "));
        // A leap day.
        assert!(line(&e, 1_709_164_800, 999).starts_with("ts=2024-02-29T00:00:00.999Z "));
        assert!(line(&e, 4_102_444_799, 0).starts_with("ts=2099-12-31T23:59:59.000Z "));
    }

    #[test]
    fn fields_and_what_is_left_out() {
        let e = Entry {
            method: Some("POST"),
            path: Some("/login?password=hunter2&token=abc"),
            status: 201,
            bytes: 17,
            duration: Duration::from_micros(1234),
        };
        let l = line(&e, 0, 0);
        assert_eq!(
            l,
            "ts=1970-01-01T00:00:00.000Z method=POST path=/login status=201 bytes=17 duration_us=1234\n"
        );
        assert!(!l.contains("hunter2"));
    }

    #[test]
    fn refusals_and_hostile_paths() {
        let refusal = Entry {
            method: None,
            path: None,
            status: 408,
            bytes: 16,
            duration: Duration::ZERO,
        };
        assert!(
            line(&refusal, 0, 0).ends_with(" method=- path=- status=408 bytes=16 duration_us=0\n")
        );
        let hostile = Entry {
            method: Some("GET"),
            path: Some("/a\"b\\c\u{e9}\n status=200"),
            status: 404,
            bytes: 0,
            duration: Duration::ZERO,
        };
        let l = line(&hostile, 0, 0);
        assert!(
            l.contains(" path=/a\\x22b\\x5Cc\\xC3\\xA9\\x0A\\x20status=200 status=404 "),
            "{l}"
        );
        assert_eq!(l.matches('\n').count(), 1);
        let long = format!("/{}", "a".repeat(5000));
        let l = line(
            &Entry {
                path: Some(&long),
                ..hostile
            },
            0,
            0,
        );
        assert!(l.contains(&format!("path=/{}... ", "a".repeat(MAX_LOGGED_PATH - 1))));
    }
}
