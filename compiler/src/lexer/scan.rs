//! Hand-written scanners used by the logos callbacks and the wrapper:
//! comments, numbers, strings and escapes (ECMAScript 12.9), and cooking of
//! escapes into values.

use bumpalo::Bump;
use logos::Lexer as LogosLexer;

use super::kind::{Kind, RawLexError};

/// `/* ... */`; logos matched `/*`.
pub(super) fn block_comment(lex: &mut LogosLexer<'_, Kind>) -> Result<(), RawLexError> {
    let rest = lex.remainder();
    if let Some(end) = rest.find("*/") {
        lex.bump(end + 2);
        Ok(())
    } else {
        lex.bump(rest.len());
        Err(RawLexError::UnterminatedComment)
    }
}

/// A numeric literal; logos matched its first digit (or `.digit`).
pub(super) fn number(lex: &mut LogosLexer<'_, Kind>) -> Result<(), RawLexError> {
    let start = lex.span().start;
    let (len, ok) = scan_number(&lex.source()[start..]);
    let matched = lex.slice().len();
    lex.bump(len.saturating_sub(matched));
    if ok {
        Ok(())
    } else {
        Err(RawLexError::InvalidNumber)
    }
}

/// A `"..."` or `'...'` literal; logos matched the opening quote.
pub(super) fn string(lex: &mut LogosLexer<'_, Kind>) -> Result<(), RawLexError> {
    let quote = lex.slice().as_bytes()[0];
    let rest = lex.remainder().as_bytes();
    let mut i = 0;
    while i < rest.len() {
        match rest[i] {
            b if b == quote => {
                lex.bump(i + 1);
                return Ok(());
            }
            b'\n' | b'\r' => break,
            b'\\' => match check_escape(rest, i + 1, false) {
                Ok(next) => i = next,
                Err(e) => {
                    // Offsets are relative to the token start (the quote).
                    let e = shift_error(e, 1);
                    lex.bump(skip_to_line_end(rest, i));
                    return Err(e);
                }
            },
            _ => i += 1,
        }
    }
    lex.bump(skip_to_line_end(rest, i));
    Err(RawLexError::UnterminatedString)
}

fn shift_error(e: RawLexError, by: u32) -> RawLexError {
    match e {
        RawLexError::InvalidEscape { offset, len } => RawLexError::InvalidEscape {
            offset: offset + by,
            len,
        },
        RawLexError::InvalidUnicodeEscape { offset, len } => RawLexError::InvalidUnicodeEscape {
            offset: offset + by,
            len,
        },
        e => e,
    }
}

/// Index of the end of the line starting the scan at `i` (on a char boundary).
fn skip_to_line_end(rest: &[u8], mut i: usize) -> usize {
    while i < rest.len() && rest[i] != b'\n' && rest[i] != b'\r' {
        i += 1;
    }
    i
}

/// Scans a numeric literal at the start of `text`. Returns its length (any
/// identifier characters glued to it included) and whether it is valid.
pub(crate) fn scan_number(text: &str) -> (usize, bool) {
    let b = text.as_bytes();
    let mut i = 0;
    let mut ok = true;
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    if at(0) == b'0' && matches!(at(1), b'x' | b'X' | b'o' | b'O' | b'b' | b'B') {
        let radix = match at(1) {
            b'x' | b'X' => 16,
            b'o' | b'O' => 8,
            _ => 2,
        };
        i = 2;
        let (n, good) = digits(b, i, radix);
        ok &= good && n > 0;
        i += n;
    } else {
        if at(0) != b'.' {
            let (n, good) = digits(b, 0, 10);
            ok &= good;
            // Legacy octal (`012`) and `08` are errors in strict code, and so
            // is a separator right after a leading zero.
            if n > 1 && at(0) == b'0' {
                ok = false;
            }
            i = n;
        }
        if at(i) == b'.' {
            i += 1;
            let (n, good) = digits(b, i, 10);
            ok &= good;
            if i == 1 && n == 0 {
                ok = false;
            }
            i += n;
        }
        if matches!(at(i), b'e' | b'E') {
            i += 1;
            if matches!(at(i), b'+' | b'-') {
                i += 1;
            }
            let (n, good) = digits(b, i, 10);
            ok &= good && n > 0;
            i += n;
        }
    }
    // `3in`, `10n` (BigInt), `1_`: an identifier character may not follow.
    let tail = ident_tail_len(&text[i..]);
    if tail > 0 {
        ok = false;
        i += tail;
    }
    (i, ok)
}

/// Digits of `radix` with `_` separators from `start`: (length, separators ok).
fn digits(b: &[u8], start: usize, radix: u32) -> (usize, bool) {
    let mut i = start;
    let mut ok = true;
    let mut prev_sep = true; // a leading separator is an error
    while i < b.len() {
        let c = b[i];
        if c == b'_' {
            if prev_sep {
                ok = false;
            }
            prev_sep = true;
        } else if (c as char).is_digit(radix) {
            prev_sep = false;
        } else {
            break;
        }
        i += 1;
    }
    if i > start && b[i - 1] == b'_' {
        ok = false;
    }
    (i - start, ok)
}

/// Length of identifier characters at the start of `s`.
fn ident_tail_len(s: &str) -> usize {
    s.char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .map_or(s.len(), |(i, _)| i)
}

/// The value of a numeric literal that the lexer accepted (separators
/// allowed; `0x`/`0o`/`0b` prefixes; decimal forms as in JS).
pub fn number_value(raw: &str) -> f64 {
    let clean: String = raw.chars().filter(|&c| c != '_').collect();
    let b = clean.as_bytes();
    if b.len() > 2 && b[0] == b'0' {
        let radix = match b[1] {
            b'x' | b'X' => Some(16),
            b'o' | b'O' => Some(8),
            b'b' | b'B' => Some(2),
            _ => None,
        };
        if let Some(radix) = radix {
            return radix_value(&clean[2..], radix);
        }
    }
    clean.parse::<f64>().unwrap_or(f64::NAN)
}

/// Integer digits in a power-of-two radix, rounded correctly to f64.
fn radix_value(digits: &str, radix: u32) -> f64 {
    let mut exact: u128 = 0;
    let mut overflow = false;
    let mut approx = 0.0f64;
    for c in digits.chars() {
        let d = c.to_digit(radix).unwrap_or(0);
        approx = approx * f64::from(radix) + f64::from(d);
        if !overflow {
            match exact
                .checked_mul(u128::from(radix))
                .and_then(|v| v.checked_add(u128::from(d)))
            {
                Some(v) => exact = v,
                None => overflow = true,
            }
        }
    }
    if overflow { approx } else { exact as f64 }
}

/// Validates the escape after a backslash at `i - 1`. Returns the index after
/// the escape. `template` selects the template rules (same validity in
/// untagged templates).
pub(crate) fn check_escape(b: &[u8], i: usize, template: bool) -> Result<usize, RawLexError> {
    let _ = template;
    let bad = |len: usize| RawLexError::InvalidEscape {
        offset: (i - 1) as u32,
        len: len as u32,
    };
    let bad_u = |len: usize| RawLexError::InvalidUnicodeEscape {
        offset: (i - 1) as u32,
        len: len as u32,
    };
    let Some(&c) = b.get(i) else {
        return Ok(i); // backslash at EOF: the unterminated literal is reported
    };
    match c {
        b'x' => {
            if b.len() > i + 2 && is_hex(b[i + 1]) && is_hex(b[i + 2]) {
                Ok(i + 3)
            } else {
                Err(bad(2))
            }
        }
        b'u' => match read_unicode_escape(b, i + 1) {
            Some((_, next)) => Ok(next),
            None => Err(bad_u(2)),
        },
        b'0' if !b.get(i + 1).is_some_and(u8::is_ascii_digit) => Ok(i + 1),
        b'0'..=b'9' => Err(bad(2)),
        b'\r' if b.get(i + 1) == Some(&b'\n') => Ok(i + 2),
        _ => Ok(i + utf8_len(c)),
    }
}

fn is_hex(c: u8) -> bool {
    c.is_ascii_hexdigit()
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// Reads `XXXX` or `{X...}` at `i` (after `\u`): (code point, next index).
fn read_unicode_escape(b: &[u8], i: usize) -> Option<(u32, usize)> {
    if b.get(i) == Some(&b'{') {
        let mut j = i + 1;
        let mut v: u32 = 0;
        while j < b.len() && is_hex(b[j]) {
            v = v
                .checked_mul(16)?
                .checked_add((b[j] as char).to_digit(16)?)?;
            if v > 0x10_FFFF {
                return None;
            }
            j += 1;
        }
        if j == i + 1 || b.get(j) != Some(&b'}') {
            return None;
        }
        Some((v, j + 1))
    } else {
        if b.len() < i + 4 || !b[i..i + 4].iter().all(|&c| is_hex(c)) {
            return None;
        }
        let s = std::str::from_utf8(&b[i..i + 4]).ok()?;
        Some((u32::from_str_radix(s, 16).ok()?, i + 4))
    }
}

/// Applies escapes in `raw` (already validated). Template rules normalise
/// `\r\n` and `\r` to `\n`. Lone surrogates become U+FFFD. Returns `raw`
/// itself when there is nothing to cook.
pub(crate) fn cook<'a>(raw: &'a str, template: bool, bump: &'a Bump) -> &'a str {
    if !(raw.contains('\\') || template && raw.contains('\r')) {
        return raw;
    }
    let bytes = raw.as_bytes();
    let mut out = bumpalo::collections::String::with_capacity_in(raw.len(), bump);
    let mut pending_high: Option<u32> = None;
    let mut i = 0;
    let flush = |out: &mut bumpalo::collections::String<'a>, high: &mut Option<u32>| {
        if high.take().is_some() {
            out.push('\u{FFFD}');
        }
    };
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'\r' && template {
            flush(&mut out, &mut pending_high);
            out.push('\n');
            i += if bytes.get(i + 1) == Some(&b'\n') {
                2
            } else {
                1
            };
            continue;
        }
        if byte != b'\\' {
            flush(&mut out, &mut pending_high);
            let len = utf8_len(byte);
            out.push_str(&raw[i..i + len]);
            i += len;
            continue;
        }
        i += 1;
        let Some(&esc) = bytes.get(i) else { break };
        let unit = match esc {
            b'n' => Some('\n' as u32),
            b't' => Some('\t' as u32),
            b'r' => Some('\r' as u32),
            b'b' => Some(0x08),
            b'f' => Some(0x0c),
            b'v' => Some(0x0b),
            b'0' => Some(0),
            b'x' => {
                let value = u32::from_str_radix(&raw[i + 1..i + 3], 16).unwrap_or(0xFFFD);
                i += 2;
                Some(value)
            }
            b'u' => {
                let (value, next) = read_unicode_escape(bytes, i + 1).unwrap_or((0xFFFD, i + 1));
                i = next - 1;
                Some(value)
            }
            b'\n' => None,
            b'\r' => {
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                None
            }
            _ => {
                // Identity escape (also U+2028/2029 line continuations).
                let len = utf8_len(esc);
                let ch = &raw[i..i + len];
                i += len;
                flush(&mut out, &mut pending_high);
                if ch != "\u{2028}" && ch != "\u{2029}" {
                    out.push_str(ch);
                }
                continue;
            }
        };
        i += 1;
        match unit {
            None => flush(&mut out, &mut pending_high),
            Some(unit) if (0xD800..0xDC00).contains(&unit) => {
                flush(&mut out, &mut pending_high);
                pending_high = Some(unit);
            }
            Some(unit) if (0xDC00..0xE000).contains(&unit) => {
                if let Some(high) = pending_high.take() {
                    let cp = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00);
                    out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                } else {
                    out.push('\u{FFFD}');
                }
            }
            Some(unit) => {
                flush(&mut out, &mut pending_high);
                out.push(char::from_u32(unit).unwrap_or('\u{FFFD}'));
            }
        }
    }
    flush(&mut out, &mut pending_high);
    out.into_bump_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> Option<f64> {
        let (len, ok) = scan_number(s);
        (ok && len == s.len()).then(|| number_value(s))
    }

    #[test]
    fn numbers() {
        assert_eq!(num("0"), Some(0.0));
        assert_eq!(num("42"), Some(42.0));
        assert_eq!(num("1_000_000"), Some(1e6));
        assert_eq!(num(".5"), Some(0.5));
        assert_eq!(num("5."), Some(5.0));
        assert_eq!(num("1e21"), Some(1e21));
        assert_eq!(num("123.456e5"), Some(123.456e5));
        assert_eq!(num("1e-7"), Some(1e-7));
        assert_eq!(num("0xff"), Some(255.0));
        assert_eq!(num("0XFF_FF"), Some(65535.0));
        assert_eq!(num("0o17"), Some(15.0));
        assert_eq!(num("0b1010"), Some(10.0));
        assert_eq!(num("0.000001"), Some(0.000_001));
        assert_eq!(num("0x1fffffffffffff"), Some(9_007_199_254_740_991.0));
        for bad in [
            "012", "08", "1_", "1__0", "0x", "1e", "1e+", "3in", "10n", "0_1", "0b2", "1._5",
        ] {
            assert_eq!(num(bad), None, "{bad}");
        }
    }

    #[test]
    fn cooking() {
        let bump = Bump::new();
        assert_eq!(cook("plain", false, &bump), "plain");
        assert_eq!(
            cook(r"a\nb\tc\\d\'\x41\u0042\u{1F600}", false, &bump),
            "a\nb\tc\\d'AB😀"
        );
        assert_eq!(cook(r"\uD83D\uDE00", false, &bump), "😀");
        assert_eq!(cook(r"\uD800x", false, &bump), "\u{FFFD}x");
        assert_eq!(cook("a\\\nb", false, &bump), "ab");
        assert_eq!(cook("a\\\r\nb", false, &bump), "ab");
        assert_eq!(cook("\\b\\f\\v\\0", false, &bump), "\u{8}\u{c}\u{b}\0");
        assert_eq!(cook("x\r\ny\rz", true, &bump), "x\ny\nz");
        assert_eq!(cook(r"\`\$", true, &bump), "`$");
    }

    #[test]
    fn escapes() {
        let ok = |s: &str| check_escape(s.as_bytes(), 1, false).is_ok();
        assert!(ok(r"\n"));
        assert!(ok(r"\x4f"));
        assert!(ok(r"\u00e9"));
        assert!(ok(r"\u{10FFFF}"));
        assert!(ok(r"\0"));
        assert!(!ok(r"\x4"));
        assert!(!ok(r"\u00"));
        assert!(!ok(r"\u{110000}"));
        assert!(!ok(r"\u{}"));
        assert!(!ok(r"\01"));
        assert!(!ok(r"\8"));
    }
}
