//! Amortized O(1) string appends, so `s = s + piece` in a loop is linear,
//! not quadratic.
//!
//! The result of a long concatenation is written into an arena buffer with
//! spare capacity. When the next `+` has that exact string on its left (same
//! start, same length, the usual `s = s + x` shape), the right side is
//! written after it, inside the spare capacity, and the longer string is a
//! view over the same bytes. Earlier views stay valid: bytes are written
//! once, only past the end of every view handed out, and never moved.
//!
//! This is the VM's one `unsafe` module.
#![allow(unsafe_code)]

use bumpalo::Bump;
use std::ptr::NonNull;

/// Concatenations shorter than this are copied normally.
pub(crate) const MIN_APPEND: usize = 64;

/// The current append buffer (one per run; it lives in the run's arena).
#[derive(Debug)]
pub(crate) struct AppendBuf {
    ptr: NonNull<u8>,
    /// Bytes written (the longest view handed out).
    len: usize,
    cap: usize,
}

impl AppendBuf {
    /// `a + b` when `a` is exactly this buffer's contents and `b` fits in
    /// the spare capacity: writes `b` in place and returns the longer view.
    pub(crate) fn try_extend<'a>(&mut self, a: &'a str, b: &str) -> Option<&'a str> {
        if a.as_ptr() != self.ptr.as_ptr().cast_const()
            || a.len() != self.len
            || b.len() > self.cap - self.len
        {
            return None;
        }
        // SAFETY:
        // - `ptr..ptr+cap` is one live arena allocation made by `start` from a
        //   `&mut [u8]` that was immediately turned into this raw pointer; the
        //   arena outlives `'a` (it lent `a`, which points into it).
        // - We write `b.len()` bytes at `ptr+len`, inside `cap` (checked above),
        //   past the end of every view handed out so far (views cover at most
        //   `len` bytes), so no live `&str` observes the write.
        // - `ptr[..len]` is valid UTF-8 (the bytes of `a`) and `b` is valid
        //   UTF-8, so their concatenation is too; those bytes are never
        //   written again, so the returned shared view stays valid for `'a`.
        unsafe {
            std::ptr::copy_nonoverlapping(b.as_ptr(), self.ptr.as_ptr().add(self.len), b.len());
            self.len += b.len();
            let bytes = std::slice::from_raw_parts(self.ptr.as_ptr().cast_const(), self.len);
            Some(std::str::from_utf8_unchecked(bytes))
        }
    }

    /// Starts a buffer holding `a + b` with room to grow; returns it and the view.
    pub(crate) fn start<'a>(arena: &'a Bump, a: &str, b: &str) -> (AppendBuf, &'a str) {
        let len = a.len() + b.len();
        let cap = len.saturating_mul(2).max(256);
        let slice: &'a mut [u8] = arena.alloc_slice_fill_copy(cap, 0u8);
        slice[..a.len()].copy_from_slice(a.as_bytes());
        slice[a.len()..len].copy_from_slice(b.as_bytes());
        let ptr = NonNull::from(&mut *slice).cast::<u8>();
        let buf = AppendBuf { ptr, len, cap };
        // SAFETY: `ptr[..len]` was just written from two `&str`s (valid UTF-8)
        // and lies inside the `cap`-byte arena allocation, which lives for
        // `'a`. Later writes (`try_extend`) only touch bytes at or past `len`.
        let view = unsafe {
            std::str::from_utf8_unchecked(std::slice::from_raw_parts(
                ptr.as_ptr().cast_const(),
                len,
            ))
        };
        (buf, view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_in_place_and_keeps_old_views() {
        let arena = Bump::new();
        let (mut buf, s1) = AppendBuf::start(&arena, &"a".repeat(70), "b");
        let s2 = buf.try_extend(s1, "cd").expect("in place");
        let s3 = buf.try_extend(s2, "é").expect("in place");
        assert_eq!(s1.len(), 71);
        assert!(s2.ends_with("bcd"));
        assert!(s3.ends_with("cdé"));
        // A stale view (not the current end) is not extended.
        assert!(buf.try_extend(s2, "x").is_none());
        assert!(s3.ends_with("cdé"));
        // Past the capacity: refused, caller starts a new buffer.
        assert!(buf.try_extend(s3, &"z".repeat(1000)).is_none());
    }
}
