//! Every limit the HTTP server enforces, in one struct with documented defaults
//! (DESIGN.md section 7). The decoder reads the size limits, the event loop the
//! timeouts and connection caps.

use std::time::Duration;

/// Size of the fixed (stack) arrays that receive parsed request headers.
///
/// [`Limits::max_headers`] is clamped to this value: it is the compile-time
/// ceiling, the limit itself is the run-time setting.
pub const MAX_HEADERS_CAP: usize = 128;

/// Longest chunk-size line (`1A;ext=value\r\n`) accepted in a chunked body.
/// Sizes are at most 16 hex digits; the rest is room for chunk extensions.
pub const MAX_CHUNK_LINE: usize = 4096;

/// Server-wide limits. `Limits::default()` gives the documented defaults.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest request head (request line + header lines + the empty line), in
    /// bytes. Exceeding it, even before the head is complete, gives 431.
    /// Default 16 KiB. It also caps the trailer section of a chunked body.
    pub max_head_bytes: usize,
    /// Most header lines in one request; one more gives 431. Default 64, at
    /// most [`MAX_HEADERS_CAP`].
    pub max_headers: usize,
    /// Longest request target (path + query), in bytes; longer gives 414.
    /// Default 8 KiB.
    pub max_url_len: usize,
    /// Largest request body (after de-chunking), in bytes; larger gives 413,
    /// decided from `Content-Length` before any body byte is read. Default 1 MiB.
    pub max_body_bytes: usize,
    /// Time allowed from the first byte of a request head to its last; then
    /// 408 and close. Default 10 s.
    pub header_read_timeout: Duration,
    /// Time allowed from the end of a request head to the end of its body; then
    /// 408 and close. Default 30 s (1 MiB at about 35 KB/s).
    pub body_read_timeout: Duration,
    /// An idle keep-alive connection (nothing buffered, nothing to write) is
    /// closed after this long. Default 5 s.
    pub idle_timeout: Duration,
    /// A connection whose peer accepts no response bytes for this long is
    /// closed. Default 30 s.
    pub write_timeout: Duration,
    /// Most open connections per worker; further ones are accepted and closed
    /// at once. Default 10 000.
    pub max_connections: usize,
    /// Requests served on one connection before it is closed
    /// (`Connection: close` on the last response). Default 10 000.
    pub max_requests_per_connection: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_head_bytes: 16 * 1024,
            max_headers: 64,
            max_url_len: 8 * 1024,
            max_body_bytes: 1024 * 1024,
            header_read_timeout: Duration::from_secs(10),
            body_read_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_secs(5),
            write_timeout: Duration::from_secs(30),
            max_connections: 10_000,
            max_requests_per_connection: 10_000,
        }
    }
}

impl Limits {
    /// The header-count limit actually applied: `max_headers` clamped to
    /// `1..=MAX_HEADERS_CAP`.
    pub fn effective_max_headers(&self) -> usize {
        self.max_headers.clamp(1, MAX_HEADERS_CAP)
    }

    /// Most bytes a chunked body may occupy on the wire (sizes, extensions,
    /// CRLFs and data, trailers excluded): twice the body limit plus 64 KiB.
    /// Chunk framing costs at most a few bytes per chunk, so only bodies cut
    /// into absurdly small chunks (a handful of bytes each) hit this; they get
    /// 413. Without it the read buffer of one request would be unbounded.
    pub fn max_chunked_wire_bytes(&self) -> usize {
        self.max_body_bytes
            .saturating_mul(2)
            .saturating_add(64 * 1024)
    }

    /// Upper bound of the unprocessed bytes a connection buffers for one
    /// request: head, body on the wire and trailers. The decoder rejects a
    /// request before its bytes reach this, so the event loop stops reading
    /// (backpressure) only while earlier pipelined requests are still queued.
    pub fn max_buffered_request_bytes(&self) -> usize {
        self.max_head_bytes
            .saturating_mul(2)
            .saturating_add(self.max_chunked_wire_bytes().max(self.max_body_bytes))
            .saturating_add(MAX_CHUNK_LINE)
    }

    /// The shortest of the timeouts; the event loop scans for expired
    /// connections a few times per this period.
    pub(crate) fn shortest_timeout(&self) -> Duration {
        self.header_read_timeout
            .min(self.body_read_timeout)
            .min(self.idle_timeout)
            .min(self.write_timeout)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let l = Limits::default();
        assert_eq!(l.max_head_bytes, 16_384);
        assert_eq!(l.max_headers, 64);
        assert_eq!(l.max_url_len, 8_192);
        assert_eq!(l.max_body_bytes, 1_048_576);
        assert_eq!(l.header_read_timeout, Duration::from_secs(10));
        assert_eq!(l.idle_timeout, Duration::from_secs(5));
        assert_eq!(l.max_connections, 10_000);
        assert_eq!(l.max_requests_per_connection, 10_000);
    }

    #[test]
    fn header_limit_is_clamped_to_the_array() {
        let mut l = Limits {
            max_headers: 10_000,
            ..Limits::default()
        };
        assert_eq!(l.effective_max_headers(), MAX_HEADERS_CAP);
        l.max_headers = 0;
        assert_eq!(l.effective_max_headers(), 1);
    }

    #[test]
    fn buffer_bound_covers_a_maximal_request() {
        let l = Limits::default();
        assert!(l.max_buffered_request_bytes() > l.max_head_bytes + l.max_chunked_wire_bytes());
    }
}
