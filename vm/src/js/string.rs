//! JavaScript string semantics (UTF-16 code units) over UTF-8 `&str`.
//!
//! JS strings are sequences of UTF-16 code units: `length`, indices,
//! `charCodeAt`, `slice`, `indexOf` all count units, so a character outside
//! the Basic Multilingual Plane (`"😀"`) has length 2. The VM stores strings
//! as UTF-8; these helpers translate between the two without converting the
//! whole string, with ASCII fast paths.
//!
//! A UTF-8 string cannot hold a lone surrogate. Where JS would produce one
//! (an index range that cuts a surrogate pair, `String.fromCharCode(0xD800)`),
//! the helpers produce U+FFFD for that half instead. Reading code units
//! ([`code_unit_at`]) still reports the real surrogate values.

use std::borrow::Cow;
use std::cmp::Ordering;

use super::number::to_uint16;

/// U+FFFD, used wherever JS would produce a lone surrogate.
pub const REPLACEMENT: char = '\u{FFFD}';

/// The length of `s` in UTF-16 code units (JS `s.length`, ECMA-262 §22.1.3).
pub fn utf16_len(s: &str) -> usize {
    let bytes = s.as_bytes();
    if bytes.is_ascii() {
        return bytes.len();
    }
    utf16_len_bytes(bytes)
}

/// UTF-16 units encoded by a run of (possibly partial) UTF-8 bytes: one per
/// lead byte, plus one more for each 4-byte lead (a surrogate pair).
fn utf16_len_bytes(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .map(|&b| usize::from((b & 0xC0) != 0x80) + usize::from(b >= 0xF0))
        .sum()
}

/// `s.charCodeAt(index)` (ECMA-262 §22.1.3.3): the UTF-16 code unit at
/// `index`, or `None` past the end (JS returns `NaN`). For a character
/// outside the BMP, the two indices give its high and low surrogate.
pub fn code_unit_at(s: &str, index: usize) -> Option<u16> {
    let bytes = s.as_bytes();
    if bytes.get(..=index).is_some_and(<[u8]>::is_ascii) {
        return bytes.get(index).map(|&b| u16::from(b));
    }
    let mut unit = 0usize;
    let mut buf = [0u16; 2];
    for c in s.chars() {
        let encoded = c.encode_utf16(&mut buf);
        if index < unit + encoded.len() {
            return encoded.get(index - unit).copied();
        }
        unit += encoded.len();
    }
    None
}

/// Why a UTF-16 index has no byte offset of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Utf16OffsetError {
    /// The index falls between the high and low surrogate of the
    /// supplementary character that starts at byte `char_start` (4 bytes in
    /// UTF-8).
    MidSurrogatePair { char_start: usize },
    /// The index is greater than the UTF-16 length, which is `len`.
    OutOfRange { len: usize },
}

/// The byte offset in `s` of UTF-16 index `index`. `index == utf16_len(s)`
/// gives `Ok(s.len())`. An index that cuts a surrogate pair, or one past the
/// end, is an error that says which (so callers can substitute U+FFFD or
/// clamp).
pub fn utf16_offset_to_byte(s: &str, index: usize) -> Result<usize, Utf16OffsetError> {
    let bytes = s.as_bytes();
    if bytes.get(..index).is_some_and(<[u8]>::is_ascii) {
        return Ok(index);
    }
    let mut unit = 0usize;
    for (byte, c) in s.char_indices() {
        if unit == index {
            return Ok(byte);
        }
        let width = c.len_utf16();
        if index < unit + width {
            return Err(Utf16OffsetError::MidSurrogatePair { char_start: byte });
        }
        unit += width;
    }
    if unit == index {
        Ok(s.len())
    } else {
        Err(Utf16OffsetError::OutOfRange { len: unit })
    }
}

/// The UTF-16 index of byte offset `byte` in `s` (the number of code units
/// encoded before it). Offsets past the end count the whole string; an
/// offset inside a character counts that character's units as if it had
/// started before it, so pass char boundaries.
pub fn byte_to_utf16_offset(s: &str, byte: usize) -> usize {
    let bytes = s.as_bytes();
    let prefix = bytes.get(..byte).unwrap_or(bytes);
    if prefix.is_ascii() {
        prefix.len()
    } else {
        utf16_len_bytes(prefix)
    }
}

/// A UTF-16 index resolved against a string.
enum Pos {
    /// On a char boundary at this byte offset.
    Boundary(usize),
    /// Inside the surrogate pair of the 4-byte char at this byte offset.
    Mid(usize),
    /// Past the end.
    Past,
}

fn resolve(s: &str, index: usize) -> Pos {
    match utf16_offset_to_byte(s, index) {
        Ok(b) => Pos::Boundary(b),
        Err(Utf16OffsetError::MidSurrogatePair { char_start }) => Pos::Mid(char_start),
        Err(Utf16OffsetError::OutOfRange { .. }) => Pos::Past,
    }
}

/// The code units `start..end` of `s` (the core of `slice`, `substring`,
/// `charAt`, `at`, `substr`; ECMA-262 §22.1.3.22 String.prototype.slice
/// after its index arithmetic). `end` is clamped to the length; an empty or
/// inverted range gives `""`. Borrowed when both ends fall on char
/// boundaries; a cut through a surrogate pair yields U+FFFD for the half
/// that is kept.
pub fn slice_utf16(s: &str, start: usize, end: usize) -> Cow<'_, str> {
    if start >= end {
        return Cow::Borrowed("");
    }
    let (start_byte, lead) = match resolve(s, start) {
        Pos::Boundary(b) => (b, false),
        Pos::Mid(char_start) => (char_start + 4, true),
        Pos::Past => return Cow::Borrowed(""),
    };
    let (end_byte, tail) = match resolve(s, end) {
        Pos::Boundary(b) => (b, false),
        Pos::Mid(char_start) => (char_start, true),
        Pos::Past => (s.len(), false),
    };
    // start < end guarantees start_byte <= end_byte except when both cut the
    // same pair, which would need end == start.
    let middle = s.get(start_byte..end_byte.max(start_byte)).unwrap_or("");
    if !lead && !tail {
        return Cow::Borrowed(middle);
    }
    let mut out = String::with_capacity(middle.len() + 6);
    if lead {
        out.push(REPLACEMENT);
    }
    out.push_str(middle);
    if tail {
        out.push(REPLACEMENT);
    }
    Cow::Owned(out)
}

/// Index arithmetic of `slice` and `at`: ECMA-262 §22.1.3.22 steps 4-5. The
/// argument is ToNumber(arg) (`undefined` → `NaN` → 0 for the start; callers
/// pass `len` for an undefined end). Negative values count from the end;
/// the result is clamped to `0..=len`.
pub fn relative_index(pos: f64, len: usize) -> usize {
    let rel = super::number::to_integer_or_infinity(pos);
    let len_f = len as f64;
    if rel < 0.0 {
        let from_end = len_f + rel;
        if from_end <= 0.0 {
            0
        } else {
            from_end as usize
        }
    } else if rel >= len_f {
        len
    } else {
        rel as usize
    }
}

/// Index arithmetic of `substring`, `indexOf`, `startsWith`, `includes`,
/// `padStart`...: `ToIntegerOrInfinity` clamped to `0..=len` (negative → 0).
pub fn clamp_index(pos: f64, len: usize) -> usize {
    let v = super::number::to_integer_or_infinity(pos);
    if v <= 0.0 {
        0
    } else if v >= len as f64 {
        len
    } else {
        v as usize
    }
}

/// `haystack.indexOf(needle, from)`: ECMA-262 §22.1.3.9 with `StringIndexOf`
/// (§6.1.4.1). `from` is the already-clamped position (see [`clamp_index`]);
/// it is clamped to the length again here. Returns the UTF-16 index of the
/// first match at or after `from`; an empty needle matches at
/// `min(from, len)`.
pub fn index_of_utf16(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    if needle.is_empty() {
        return Some(from.min(utf16_len(haystack)));
    }
    // A valid UTF-8 needle can only match at char boundaries, which is also
    // where its UTF-16 form can match (it starts with a BMP unit or a high
    // surrogate). A `from` inside a pair therefore starts at the next char.
    let (start_byte, start_unit) = match resolve(haystack, from) {
        Pos::Boundary(b) => (b, from),
        Pos::Mid(char_start) => (char_start + 4, from + 1),
        Pos::Past => return None,
    };
    let rest = haystack.get(start_byte..)?;
    let found = rest.find(needle)?;
    Some(start_unit + byte_to_utf16_offset(rest, found))
}

/// `haystack.lastIndexOf(needle, from)`: ECMA-262 §22.1.3.11 with
/// `StringLastIndexOf` (§6.1.4.2). `from` is the position after `ToNumber` and
/// `ToIntegerOrInfinity` (pass `usize::MAX` when the argument is `undefined`,
/// `NaN` or `+Infinity`; 0 for negatives); it is clamped to the length.
/// Returns the UTF-16 index of the last match starting at or before `from`;
/// an empty needle matches at `min(from, len)`.
pub fn last_index_of_utf16(haystack: &str, needle: &str, from: usize) -> Option<usize> {
    let from = from.min(utf16_len(haystack));
    if needle.is_empty() {
        return Some(from);
    }
    let max_start = match resolve(haystack, from) {
        Pos::Boundary(b) => b,
        Pos::Mid(char_start) => char_start,
        Pos::Past => haystack.len(),
    };
    let mut limit = max_start.saturating_add(needle.len()).min(haystack.len());
    while !haystack.is_char_boundary(limit) {
        limit += 1;
    }
    let window = haystack.get(..limit)?;
    let (found, _) = window
        .rmatch_indices(needle)
        .find(|&(i, _)| i <= max_start)?;
    Some(byte_to_utf16_offset(haystack, found))
}

/// Whether `c` is JS whitespace for `trim`, `parseInt`, `Number(s)`:
/// ECMA-262 §12.2 `WhiteSpace` (TAB, VT, FF, ZWNBSP U+FEFF, and every `Zs`
/// space: U+0020, U+00A0, U+1680, U+2000..=U+200A, U+202F, U+205F, U+3000)
/// plus §12.3 `LineTerminator` (LF, CR, U+2028, U+2029). Unlike
/// `char::is_whitespace`, U+0085 is not included and U+FEFF is.
pub fn is_js_whitespace(c: char) -> bool {
    matches!(
        c,
        '\u{9}' | '\u{A}' | '\u{B}' | '\u{C}' | '\u{D}' | ' ' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202F}'
                | '\u{205F}'
                | '\u{3000}'
                | '\u{FEFF}'
    )
}

/// `s.trim()`: ECMA-262 §22.1.3.32 (`TrimString`, both ends).
pub fn trim_js(s: &str) -> &str {
    s.trim_matches(is_js_whitespace)
}

/// `s.trimStart()`: ECMA-262 §22.1.3.34.
pub fn trim_start_js(s: &str) -> &str {
    s.trim_start_matches(is_js_whitespace)
}

/// `s.trimEnd()`: ECMA-262 §22.1.3.33.
pub fn trim_end_js(s: &str) -> &str {
    s.trim_end_matches(is_js_whitespace)
}

/// Compares two strings as JS `<`/`>` and `Array.prototype.sort` do:
/// `IsLessThan` (ECMA-262 §7.2.13) orders strings by UTF-16 code units. This
/// equals byte order except that a character at or above U+10000 (high
/// surrogate 0xD800..) sorts *before* one in U+E000..=U+FFFF.
pub fn compare_utf16(a: &str, b: &str) -> Ordering {
    let (ab, bb) = (a.as_bytes(), b.as_bytes());
    let common = ab.iter().zip(bb).take_while(|(x, y)| x == y).count();
    if common == ab.len() || common == bb.len() {
        return ab.len().cmp(&bb.len());
    }
    // The first difference is inside the chars that start at the last char
    // boundary at or before `common`; everything before them is equal.
    let mut start = common;
    while !a.is_char_boundary(start) {
        start -= 1;
    }
    let ca = a.get(start..).and_then(|t| t.chars().next());
    let cb = b.get(start..).and_then(|t| t.chars().next());
    match (ca, cb) {
        (Some(x), Some(y)) => {
            let (mut bx, mut by) = ([0u16; 2], [0u16; 2]);
            let ux: &[u16] = x.encode_utf16(&mut bx);
            let uy: &[u16] = y.encode_utf16(&mut by);
            ux.cmp(uy)
        }
        _ => ab.cmp(bb),
    }
}

/// `String.fromCharCode(...codes)`: ECMA-262 §22.1.2.1. Each argument is
/// converted with `ToNumber` by the caller and goes through `ToUint16` here; a high
/// surrogate immediately followed by a low one forms one character; any
/// other surrogate becomes U+FFFD.
pub fn from_char_codes(codes: impl Iterator<Item = f64>) -> String {
    let units = codes.map(to_uint16);
    char::decode_utf16(units)
        .map(|r| r.unwrap_or(REPLACEMENT))
        .collect()
}

/// `String.prototype.padStart` / `padEnd`: ECMA-262 §22.1.3.17.2 `StringPad`.
///
/// `max_len` is the target length in UTF-16 units (already through
/// `ToLength`); `filler` is the fill string (`" "` when the argument is
/// `undefined`). When `max_len <= utf16_len(s)` or `filler` is empty, `s`
/// is returned borrowed. The filler is repeated and truncated to the missing
/// number of code units; a truncation through a surrogate pair keeps U+FFFD
/// for the half. Returns `None` only if the result cannot be allocated:
/// callers should check `max_len` against their own string-size limit
/// first.
pub fn pad_utf16<'a>(
    s: &'a str,
    max_len: usize,
    filler: &str,
    at_start: bool,
) -> Option<Cow<'a, str>> {
    let len = utf16_len(s);
    if max_len <= len || filler.is_empty() {
        return Some(Cow::Borrowed(s));
    }
    let fill_len = max_len - len;
    let filler_len = utf16_len(filler);
    let whole = fill_len / filler_len;
    let part = fill_len % filler_len;
    let tail = slice_utf16(filler, 0, part);
    let bytes = filler
        .len()
        .checked_mul(whole)
        .and_then(|n| n.checked_add(tail.len()))
        .and_then(|n| n.checked_add(s.len()))?;
    let mut out = String::new();
    out.try_reserve_exact(bytes).ok()?;
    if !at_start {
        out.push_str(s);
    }
    for _ in 0..whole {
        out.push_str(filler);
    }
    out.push_str(&tail);
    if at_start {
        out.push_str(s);
    }
    Some(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_and_units() {
        assert_eq!(utf16_len("Hello, World"), 12);
        assert_eq!(utf16_len("héllo"), 5);
        assert_eq!(utf16_len("a😀b"), 4);
        assert_eq!(code_unit_at("a😀b", 1), Some(55357));
        assert_eq!(code_unit_at("a😀b", 2), Some(56832));
        assert_eq!(code_unit_at("a😀b", 3), Some(u16::from(b'b')));
        assert_eq!(code_unit_at("a😀b", 4), None);
        assert_eq!(code_unit_at("héllo", 1), Some(233));
        assert_eq!(code_unit_at("", 0), None);
    }

    #[test]
    fn offsets() {
        let s = "a😀b";
        assert_eq!(utf16_offset_to_byte(s, 0), Ok(0));
        assert_eq!(utf16_offset_to_byte(s, 1), Ok(1));
        assert_eq!(
            utf16_offset_to_byte(s, 2),
            Err(Utf16OffsetError::MidSurrogatePair { char_start: 1 })
        );
        assert_eq!(utf16_offset_to_byte(s, 3), Ok(5));
        assert_eq!(utf16_offset_to_byte(s, 4), Ok(6));
        assert_eq!(
            utf16_offset_to_byte(s, 5),
            Err(Utf16OffsetError::OutOfRange { len: 4 })
        );
        assert_eq!(byte_to_utf16_offset(s, 5), 3);
        assert_eq!(byte_to_utf16_offset(s, 99), 4);
    }

    #[test]
    fn slices() {
        let emo = "a😀b";
        assert_eq!(slice_utf16(emo, 1, 3), "😀");
        assert!(matches!(slice_utf16(emo, 1, 3), Cow::Borrowed(_)));
        assert_eq!(slice_utf16(emo, 0, 2), "a\u{FFFD}");
        assert_eq!(slice_utf16(emo, 2, 4), "\u{FFFD}b");
        assert_eq!(slice_utf16(emo, 2, 3), "\u{FFFD}");
        assert_eq!(slice_utf16(emo, 3, 99), "b");
        assert_eq!(slice_utf16(emo, 5, 9), "");
        assert_eq!(slice_utf16(emo, 3, 1), "");
        assert_eq!(slice_utf16("héllo", 1, 3), "él");
    }

    #[test]
    fn index_arithmetic() {
        assert_eq!(relative_index(-5.0, 12), 7);
        assert_eq!(relative_index(-50.0, 12), 0);
        assert_eq!(relative_index(f64::NAN, 12), 0);
        assert_eq!(relative_index(f64::INFINITY, 12), 12);
        assert_eq!(relative_index(3.7, 12), 3);
        assert_eq!(clamp_index(-3.0, 12), 0);
        assert_eq!(clamp_index(99.0, 12), 12);
        assert_eq!(clamp_index(f64::NEG_INFINITY, 12), 0);
    }

    #[test]
    fn searching() {
        let s = "Hello, World";
        assert_eq!(index_of_utf16(s, "o", 0), Some(4));
        assert_eq!(index_of_utf16(s, "o", 5), Some(8));
        assert_eq!(index_of_utf16(s, "z", 0), None);
        assert_eq!(index_of_utf16(s, "", 99), Some(12));
        assert_eq!(last_index_of_utf16(s, "o", usize::MAX), Some(8));
        assert_eq!(last_index_of_utf16(s, "o", 7), Some(4));
        assert_eq!(last_index_of_utf16(s, "o", 3), None);
        assert_eq!(last_index_of_utf16(s, "", 5), Some(5));
        assert_eq!(last_index_of_utf16(s, "", usize::MAX), Some(12));
        let emo = "a😀b😀";
        assert_eq!(index_of_utf16(emo, "b", 0), Some(3));
        assert_eq!(index_of_utf16(emo, "😀", 2), Some(4));
        assert_eq!(last_index_of_utf16(emo, "😀", 4), Some(4));
        assert_eq!(last_index_of_utf16(emo, "😀", 3), Some(1));
        assert_eq!(last_index_of_utf16(emo, "😀", 2), Some(1));
        assert_eq!(last_index_of_utf16("héé", "é", 1), Some(1));
    }

    #[test]
    fn whitespace() {
        assert_eq!(trim_js("  padded \t\n"), "padded");
        assert_eq!(trim_start_js("  padded \t\n"), "padded \t\n");
        assert_eq!(trim_end_js("  padded \t\n"), "  padded");
        assert_eq!(trim_js("\u{feff}\u{a0}\u{2028}x\u{3000}"), "x");
        assert_eq!(trim_js("\u{85}x"), "\u{85}x");
        assert!(!is_js_whitespace('\u{180E}'));
        assert!(!is_js_whitespace('\u{200B}'));
    }

    #[test]
    fn comparison() {
        assert_eq!(compare_utf16("a", "b"), Ordering::Less);
        assert_eq!(compare_utf16("ab", "a"), Ordering::Greater);
        assert_eq!(compare_utf16("", ""), Ordering::Equal);
        // U+1F600 (0xD83D 0xDE00) < U+FF21 in UTF-16, though not in UTF-8.
        assert_eq!(compare_utf16("😀", "\u{FF21}"), Ordering::Less);
        assert_eq!(compare_utf16("x\u{E000}", "x😀"), Ordering::Greater);
        assert_eq!(compare_utf16("é", "e"), Ordering::Greater);
    }

    #[test]
    fn char_codes() {
        assert_eq!(from_char_codes([72.0, 105.0, 33.0].into_iter()), "Hi!");
        assert_eq!(from_char_codes([55357.0, 56832.0].into_iter()), "😀");
        assert_eq!(from_char_codes([55357.0].into_iter()), "\u{FFFD}");
        assert_eq!(
            from_char_codes([56832.0, 55357.0].into_iter()),
            "\u{FFFD}\u{FFFD}"
        );
        assert_eq!(
            from_char_codes([65_601.0, -1.0, f64::NAN].into_iter()),
            "A\u{FFFF}\0"
        );
    }

    #[test]
    fn padding() {
        assert_eq!(pad_utf16("7", 3, "0", true).as_deref(), Some("007"));
        assert_eq!(pad_utf16("ab", 7, "xy", false).as_deref(), Some("abxyxyx"));
        assert_eq!(pad_utf16("abcdef", 3, "0", true).as_deref(), Some("abcdef"));
        assert_eq!(pad_utf16("x", 3, " ", true).as_deref(), Some("  x"));
        assert_eq!(pad_utf16("é", 3, "*", true).as_deref(), Some("**é"));
        assert_eq!(pad_utf16("x", 2, "😀", true).as_deref(), Some("\u{FFFD}x"));
        assert_eq!(pad_utf16("x", 5, "", true).as_deref(), Some("x"));
        assert_eq!(pad_utf16("x", usize::MAX, "ab", true), None);
    }
}
