//! Static files under `/static/` (`zigttp serve --static DIR`).
//!
//! The file path is the request *path* after `/static/` (never the query).
//! It is checked in two stages:
//!
//! 1. Lexically, segment by segment, before touching the file system
//!    ([`relative_path`]): percent-escapes are decoded per segment, and a
//!    request is refused if a segment is `.` or `..` (also when written
//!    `%2e%2e`), starts with a `.` (hidden files are never served), is empty
//!    (an absolute path such as `/static//etc/passwd`), looks like a drive
//!    letter (`C:`), or contains a backslash or an encoded `/` (`%2f`) — 403;
//!    a malformed escape or an encoded NUL (`%00`) — 400.
//! 2. On the file system: the joined path is canonicalized (`realpath`) and
//!    must stay inside the canonical root, which catches symlinks that point
//!    out of it (403). A missing file is 404.
//!
//! The file is then opened with `O_NOFOLLOW | O_NONBLOCK` (no symlink swapped
//! in after the check, no hang on a FIFO) and must be a regular file (404
//! otherwise) of at most [`MAX_FILE_BYTES`] (500 otherwise: responses are
//! built in memory).
//!
//! Responses carry `Content-Type` (by extension, see [`content_type`]), a
//! strong `ETag` derived from the size and modification time, and
//! `Last-Modified`; `If-None-Match` with a matching tag (or `*`) gives 304.
//! `GET` and `HEAD` only (405 with `Allow` otherwise). No directory listings,
//! no index files, no cache: every request reads the file.

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::core::http::{Request, Response, if_none_match, reason};

/// The URL prefix static files are served under.
pub const PREFIX: &str = "/static/";

/// Largest file served (responses are built in memory): 32 MiB.
pub const MAX_FILE_BYTES: u64 = 32 << 20;

/// A static-file root, canonicalized once at start.
#[derive(Clone, Debug)]
pub struct StaticFiles {
    root: PathBuf,
}

/// `Content-Type` for a file name, by its extension (ASCII case-insensitive):
/// html htm css js mjs json png jpg jpeg gif svg ico woff woff2 ttf txt xml
/// pdf; anything else is `application/octet-stream`.
pub fn content_type(name: &[u8]) -> &'static str {
    let ext = name
        .iter()
        .rposition(|&b| b == b'.')
        .map_or(&b""[..], |dot| &name[dot + 1..]);
    let mut lower = [0u8; 8];
    if ext.len() > lower.len() {
        return "application/octet-stream";
    }
    for (dst, src) in lower.iter_mut().zip(ext) {
        *dst = src.to_ascii_lowercase();
    }
    match &lower[..ext.len()] {
        b"html" | b"htm" => "text/html; charset=utf-8",
        b"css" => "text/css; charset=utf-8",
        b"js" | b"mjs" => "text/javascript; charset=utf-8",
        b"json" => "application/json",
        b"png" => "image/png",
        b"jpg" | b"jpeg" => "image/jpeg",
        b"gif" => "image/gif",
        b"svg" => "image/svg+xml",
        b"ico" => "image/x-icon",
        b"woff" => "font/woff",
        b"woff2" => "font/woff2",
        b"ttf" => "font/ttf",
        b"txt" => "text/plain; charset=utf-8",
        b"xml" => "application/xml",
        b"pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes one path segment into `out`. `Err(status)` for a
/// malformed escape or NUL (400) and for a decoded `/` or `\` (403).
fn decode_segment(segment: &[u8], out: &mut Vec<u8>) -> Result<(), u16> {
    out.clear();
    let mut i = 0;
    while i < segment.len() {
        let b = match segment[i] {
            b'%' => {
                let hi = segment.get(i + 1).copied().and_then(hex_value);
                let lo = segment.get(i + 2).copied().and_then(hex_value);
                let (Some(hi), Some(lo)) = (hi, lo) else {
                    return Err(400);
                };
                i += 3;
                hi << 4 | lo
            }
            b => {
                i += 1;
                b
            }
        };
        match b {
            0 => return Err(400),
            b'/' | b'\\' => return Err(403),
            _ => out.push(b),
        }
    }
    Ok(())
}

/// Checks and decodes `raw` (the request path after `/static/`, without the
/// query) into a relative path, or gives the refusal status: 400 for a
/// malformed escape or NUL, 403 for traversal shapes (see the module docs),
/// 404 for an empty name or a trailing slash (no directory listings).
pub fn relative_path(raw: &str) -> Result<PathBuf, u16> {
    if raw.is_empty() {
        return Err(404);
    }
    if raw.bytes().any(|b| b == 0) {
        return Err(400);
    }
    if raw.contains('\\') {
        return Err(403);
    }
    let mut path = PathBuf::new();
    let mut decoded = Vec::new();
    let mut segments = raw.split('/').peekable();
    while let Some(segment) = segments.next() {
        let last = segments.peek().is_none();
        if segment.is_empty() {
            // `a//b` or a leading `/` (an absolute path) is refused; a
            // trailing slash names a directory, which is never listed.
            return Err(if last { 404 } else { 403 });
        }
        decode_segment(segment.as_bytes(), &mut decoded)?;
        let is_drive = decoded.len() >= 2 && decoded[0].is_ascii_alphabetic() && decoded[1] == b':';
        // `.`, `..` and hidden names all start with a dot.
        if decoded.first() == Some(&b'.') || is_drive {
            return Err(403);
        }
        path.push(OsStr::from_bytes(&decoded));
    }
    Ok(path)
}

/// A strong entity tag from the size and the modification time (ns).
fn entity_tag(out: &mut String, len: u64, modified: Option<SystemTime>) {
    let since = modified
        .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
        .unwrap_or_default();
    let _ = write!(
        out,
        "\"{len:x}-{:x}{:08x}\"",
        since.as_secs(),
        since.subsec_nanos()
    );
}

fn refuse(res: &mut Response, status: u16) {
    res.clear();
    res.set_status(status);
    let _ = res.add_header("Content-Type", "text/plain; charset=utf-8");
    if status == 405 {
        let _ = res.add_header("Allow", "GET, HEAD");
    }
    let body = res.body_mut();
    body.extend_from_slice(reason(status).as_bytes());
    body.push(b'\n');
}

impl StaticFiles {
    /// Canonicalizes `dir`, which must be a directory.
    pub fn open(dir: impl AsRef<Path>) -> io::Result<Self> {
        let dir = dir.as_ref();
        let root = fs::canonicalize(dir)?;
        if !root.is_dir() {
            return Err(io::Error::new(
                io::ErrorKind::NotADirectory,
                format!("{} is not a directory", dir.display()),
            ));
        }
        Ok(Self { root })
    }

    /// The canonical root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Whether `path` (a request path, no query) is under [`PREFIX`].
    pub fn owns(path: &str) -> bool {
        path.starts_with(PREFIX)
    }

    /// Answers a request whose path is under [`PREFIX`].
    pub fn serve(&self, req: &Request<'_>, res: &mut Response) {
        if req.method != "GET" && req.method != "HEAD" {
            return refuse(res, 405);
        }
        let raw = req.path().strip_prefix(PREFIX).unwrap_or("");
        let file = match relative_path(raw).and_then(|rel| self.open_inside(&rel)) {
            Ok(file) => file,
            Err(status) => return refuse(res, status),
        };
        let Ok(meta) = file.metadata() else {
            return refuse(res, 404);
        };
        if !meta.is_file() {
            return refuse(res, 404);
        }
        if meta.len() > MAX_FILE_BYTES {
            return refuse(res, 500);
        }
        let mut etag = String::with_capacity(40);
        let modified = meta.modified().ok();
        entity_tag(&mut etag, meta.len(), modified);
        let _ = res.add_header("ETag", &etag);
        if req
            .header("if-none-match")
            .is_some_and(|h| if_none_match(h, &etag))
        {
            res.set_status(304);
            return;
        }
        let body = res.body_mut();
        body.reserve(meta.len() as usize);
        if (&file).take(MAX_FILE_BYTES).read_to_end(body).is_err() {
            return refuse(res, 500);
        }
        let name = raw.rsplit('/').next().unwrap_or(raw);
        let _ = res.add_header("Content-Type", content_type(name.as_bytes()));
        let _ = res.add_header("X-Content-Type-Options", "nosniff");
        if let Some(modified) = modified {
            let _ = res.add_header("Last-Modified", &httpdate::fmt_http_date(modified));
        }
    }

    /// Resolves `rel` under the root and opens it, or gives the status: 404
    /// when it does not exist, 403 when its real path leaves the root.
    fn open_inside(&self, rel: &Path) -> Result<File, u16> {
        let real = match fs::canonicalize(self.root.join(rel)) {
            Ok(real) => real,
            Err(e) => {
                return Err(match e.kind() {
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => 404,
                    _ => 403,
                });
            }
        };
        if !real.starts_with(&self.root) {
            return Err(403);
        }
        OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(&real)
            .map_err(|e| match e.kind() {
                io::ErrorKind::NotFound => 404,
                _ => 403,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_names_pass() {
        assert_eq!(relative_path("a.css"), Ok(PathBuf::from("a.css")));
        assert_eq!(
            relative_path("img/logo.png"),
            Ok(PathBuf::from("img/logo.png"))
        );
        assert_eq!(relative_path("a%20b.txt"), Ok(PathBuf::from("a b.txt")));
        assert_eq!(relative_path("x..y"), Ok(PathBuf::from("x..y")));
        assert_eq!(relative_path("%C3%A9.txt"), Ok(PathBuf::from("\u{e9}.txt")));
    }

    #[test]
    fn traversal_shapes_are_refused() {
        for (raw, status) in [
            ("..", 403),
            ("../etc/passwd", 403),
            ("a/../../etc/passwd", 403),
            ("a/..", 403),
            ("./a", 403),
            ("%2e%2e/etc/passwd", 403),
            ("%2E%2E/etc/passwd", 403),
            (".%2e/x", 403),
            ("%2e./x", 403),
            ("..%2fetc%2fpasswd", 403),
            ("a%2fb", 403),
            ("a%2Fb", 403),
            ("a%5cb", 403),
            ("..\\etc\\passwd", 403),
            ("a\\b", 403),
            ("/etc/passwd", 403),
            ("a//b", 403),
            ("C:/Windows/win.ini", 403),
            ("c:%5cboot.ini", 403),
            ("C%3a/x", 403),
            (".env", 403),
            ("a/.git/config", 403),
            ("a%00.txt", 400),
            ("a\0b", 400),
            ("%", 400),
            ("%2", 400),
            ("%zz", 400),
            ("", 404),
            ("dir/", 404),
        ] {
            assert_eq!(relative_path(raw), Err(status), "{raw:?}");
        }
    }

    #[test]
    fn content_types() {
        for (name, ty) in [
            ("a.html", "text/html; charset=utf-8"),
            ("A.HTM", "text/html; charset=utf-8"),
            ("a.css", "text/css; charset=utf-8"),
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.json", "application/json"),
            ("a.png", "image/png"),
            ("a.jpg", "image/jpeg"),
            ("a.jpeg", "image/jpeg"),
            ("a.gif", "image/gif"),
            ("a.svg", "image/svg+xml"),
            ("a.ico", "image/x-icon"),
            ("a.woff", "font/woff"),
            ("a.woff2", "font/woff2"),
            ("a.ttf", "font/ttf"),
            ("a.txt", "text/plain; charset=utf-8"),
            ("a.xml", "application/xml"),
            ("a.pdf", "application/pdf"),
            ("a.tar.gz", "application/octet-stream"),
            ("Makefile", "application/octet-stream"),
            ("a.verylongextension", "application/octet-stream"),
        ] {
            assert_eq!(content_type(name.as_bytes()), ty, "{name}");
        }
    }

    #[test]
    fn if_none_match_comparison() {
        let tag = "\"10-5f5e1000000000a\"";
        assert!(if_none_match(tag.as_bytes(), tag));
        assert!(if_none_match(b"\"x\", W/\"10-5f5e1000000000a\"", tag));
        assert!(if_none_match(b"*", tag));
        assert!(!if_none_match(b"\"10-5f5e1000000000b\"", tag));
        assert!(!if_none_match(b"", tag));
    }

    #[test]
    fn entity_tags_change_with_size_and_time() {
        let t = UNIX_EPOCH + std::time::Duration::new(1_700_000_000, 5);
        let mut a = String::new();
        entity_tag(&mut a, 16, Some(t));
        assert_eq!(a, "\"10-6553f10000000005\"");
        let mut b = String::new();
        entity_tag(&mut b, 17, Some(t));
        assert_ne!(a, b);
    }
}
