//! Pure, value-independent JavaScript semantics helpers.
//!
//! Everything here works on plain Rust data (`f64`, `&str`) and knows nothing
//! about the VM's value representation, so the interpreter, the builtins, the
//! JSON module and the server can share one exact implementation of the
//! ECMAScript rules (ECMA-262, 2024 edition section numbers are cited on every
//! function).
//!
//! - [`number`]: `String(n)`, `toFixed`, `toString(radix)`, `parseInt`,
//!   `parseFloat`, `ToNumber(string)`, `ToInt32`/`ToUint32`, index and
//!   query-value canonical forms.
//! - [`string`]: UTF-16 code-unit semantics (`length`, indexing, `slice`,
//!   `indexOf`, comparison, `String.fromCharCode`, trimming) over UTF-8 `&str`.
//! - [`json`]: `JSON.stringify` string quoting and a strict, iterative
//!   `JSON.parse` that builds values through a [`json::JsonSink`].
//!
//! # Lone surrogates
//!
//! Strings are stored as UTF-8, which cannot hold an unpaired UTF-16
//! surrogate. Wherever JavaScript would produce one (cutting a surrogate pair
//! in half with `slice`/`charAt`/`padStart`, `String.fromCharCode(0xD800)`,
//! `JSON.parse('"\ud800"')`), these helpers produce U+FFFD REPLACEMENT
//! CHARACTER instead. Code-unit *queries* (`charCodeAt`, `length`, indices)
//! are unaffected and report the real surrogate values of the stored text.

pub mod json;
pub mod number;
pub mod string;

/// A growable UTF-8 buffer that the `write_*` helpers append to, so they work
/// both on `std::string::String` and on the request arena's
/// `bumpalo::collections::String`.
pub trait TextBuf {
    fn push_str(&mut self, s: &str);
    fn push(&mut self, c: char);
    /// Capacity hint; may do nothing.
    fn reserve(&mut self, additional: usize);
}

impl TextBuf for String {
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s);
    }
    fn push(&mut self, c: char) {
        String::push(self, c);
    }
    fn reserve(&mut self, additional: usize) {
        String::reserve(self, additional);
    }
}

impl TextBuf for bumpalo::collections::String<'_> {
    fn push_str(&mut self, s: &str) {
        bumpalo::collections::String::push_str(self, s);
    }
    fn push(&mut self, c: char) {
        bumpalo::collections::String::push(self, c);
    }
    fn reserve(&mut self, additional: usize) {
        bumpalo::collections::String::reserve(self, additional);
    }
}
