//! ECMAScript Number semantics: printing, parsing and integer conversions.
//!
//! Every function is exact: printing follows ECMA-262 `Number::toString` (via
//! `ryu-js`, which implements the shortest round-trip digits with the JS
//! exponent rules), `toFixed` uses exact big-integer arithmetic on the binary
//! value of the double, and parsing uses Rust's correctly rounded `f64`
//! parser on validated lexemes. Where the specification leaves a choice to
//! the implementation (`toString(radix)` digits, `parseInt` with a radix that
//! is not a power of two or ten) the algorithm is the one V8 uses, so results
//! are byte-identical to Node.

use super::TextBuf;
use super::string::{trim_js, trim_start_js};

// ---------------------------------------------------------------------------
// Printing
// ---------------------------------------------------------------------------

/// Appends `String(n)` to `out` (a `String` or an arena string): ECMA-262 §6.1.6.1.20 `Number::toString(x, 10)`.
///
/// `NaN`, `Infinity`, `-Infinity`; `-0` prints as `"0"`; plain notation for
/// `1e-7 < |n| < 1e21` (`0.000001`, `12345600`), exponent notation outside
/// (`1e+21`, `1e-7`, `1.7976931348623157e+308`); the digits are the shortest
/// that round-trip.
pub fn write_number(n: f64, out: &mut impl TextBuf) {
    // Fast path for integers that print as plain digits (the common case).
    // `fract()` is NaN for non-finite values, so they never take it.
    if n.fract() == 0.0 && n.abs() < 1e15 {
        write_i64(n as i64, out);
        return;
    }
    let mut buffer = ryu_js::Buffer::new();
    out.push_str(buffer.format(n));
}

/// `String(n)` as a new string; see [`write_number`].
pub fn number_to_string(n: f64) -> String {
    let mut out = String::new();
    write_number(n, &mut out);
    out
}

fn write_i64(v: i64, out: &mut impl TextBuf) {
    let mut buf = [0u8; 20];
    let mut pos = buf.len();
    let mut u = v.unsigned_abs();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (u % 10) as u8;
        u /= 10;
        if u == 0 {
            break;
        }
    }
    if v < 0 {
        out.push('-');
    }
    for &b in &buf[pos..] {
        out.push(char::from(b));
    }
}

// ---------------------------------------------------------------------------
// Number.prototype.toFixed
// ---------------------------------------------------------------------------

/// `Number.prototype.toFixed(digits)`: ECMA-262 §21.1.3.3.
///
/// Returns `None` when `digits > 100` (JS throws a `RangeError`; the caller
/// decides what to do). `NaN` gives `"NaN"`; `|n| >= 1e21` (including the
/// infinities) falls back to `String(n)`. Otherwise the result is the integer
/// `m` for which `m / 10^digits - |n|` is as close to zero as possible,
/// computed from the exact binary value of `n`; of two such `m` the larger is
/// taken (so `(0.5).toFixed(0)` is `"1"`, `(2.5).toFixed(0)` is `"3"`,
/// `(-1.5).toFixed(0)` is `"-2"`, but `(1.005).toFixed(2)` is `"1.00"` because
/// the double nearest 1.005 is below it). A negative `n` keeps its sign even
/// when the digits are all zero (`(-0.0001).toFixed(2)` is `"-0.00"`), while
/// `-0` prints as `"0.00"`, as in JS.
pub fn to_fixed(n: f64, digits: u32) -> Option<String> {
    if digits > 100 {
        return None;
    }
    if n.is_nan() {
        return Some("NaN".to_owned());
    }
    let negative = n < 0.0;
    let x = n.abs();
    if x >= 1e21 {
        return Some(number_to_string(n));
    }
    let m = fixed_scaled_digits(x, digits);
    let f = digits as usize;
    let mut out = String::with_capacity(m.len() + f + 3);
    if negative {
        out.push('-');
    }
    if f == 0 {
        out.push_str(&m);
        return Some(out);
    }
    // m has at least f + 1 digits once left-padded with zeros.
    let pad = (f + 1).saturating_sub(m.len());
    let padded_len = m.len() + pad;
    let int_len = padded_len - f;
    let mut written = 0;
    for _ in 0..pad {
        if written == int_len {
            out.push('.');
        }
        out.push('0');
        written += 1;
    }
    for c in m.chars() {
        if written == int_len {
            out.push('.');
        }
        out.push(c);
        written += 1;
    }
    Some(out)
}

/// The decimal digits of `round_half_up(x * 10^f)` for a finite `x >= 0`
/// below 1e21, computed exactly.
fn fixed_scaled_digits(x: f64, f: u32) -> String {
    let (mantissa, exp) = decompose(x);
    if mantissa == 0 {
        return "0".to_owned();
    }
    if exp >= 0 {
        // x = mantissa * 2^exp is an integer below 1e21 < 2^70.
        if f <= 17 {
            let int = u128::from(mantissa) << exp;
            return (int * 10u128.pow(f)).to_string();
        }
        let mut big = BigUint::from_u64(mantissa);
        big.shl(exp as usize);
        big.mul_pow10(f);
        return big.into_decimal();
    }
    let k = exp.unsigned_abs() as usize; // x = mantissa / 2^k
    if f <= 20 {
        // mantissa * 10^f < 2^53 * 10^20 < 2^120.
        let p = u128::from(mantissa) * 10u128.pow(f);
        if k >= 121 {
            // p + 2^(k-1) < 2^k, so the rounded quotient is 0.
            return "0".to_owned();
        }
        let rounded = (p + (1u128 << (k - 1))) >> k;
        return rounded.to_string();
    }
    let mut big = BigUint::from_u64(mantissa);
    big.mul_pow10(f);
    big.add_pow2(k - 1);
    big.shr(k);
    big.into_decimal()
}

/// Splits a finite, non-negative double into `(mantissa, exponent)` with
/// `x == mantissa * 2^exponent` exactly.
fn decompose(x: f64) -> (u64, i32) {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1u64 << 52), biased - 1075)
    }
}

/// A minimal unsigned big integer (little-endian base-2^32 limbs), enough for
/// the exact decimal expansion that `toFixed` needs.
#[derive(Debug, Clone)]
struct BigUint {
    limbs: Vec<u32>,
}

impl BigUint {
    fn from_u64(v: u64) -> Self {
        let mut big = BigUint {
            limbs: vec![v as u32, (v >> 32) as u32],
        };
        big.trim();
        big
    }

    fn trim(&mut self) {
        while self.limbs.last() == Some(&0) {
            self.limbs.pop();
        }
    }

    fn mul_small(&mut self, m: u32) {
        let mut carry = 0u64;
        for limb in &mut self.limbs {
            let v = u64::from(*limb) * u64::from(m) + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry != 0 {
            self.limbs.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut e: u32) {
        while e >= 9 {
            self.mul_small(1_000_000_000);
            e -= 9;
        }
        if e > 0 {
            self.mul_small(10u32.pow(e));
        }
    }

    fn shl(&mut self, bits: usize) {
        let limb_shift = bits / 32;
        let bit_shift = bits % 32;
        if bit_shift != 0 {
            let mut carry = 0u32;
            for limb in &mut self.limbs {
                let v = (u64::from(*limb) << bit_shift) | u64::from(carry);
                *limb = v as u32;
                carry = (v >> 32) as u32;
            }
            if carry != 0 {
                self.limbs.push(carry);
            }
        }
        if limb_shift != 0 && !self.limbs.is_empty() {
            let mut shifted = vec![0u32; limb_shift];
            shifted.append(&mut self.limbs);
            self.limbs = shifted;
        }
    }

    fn shr(&mut self, bits: usize) {
        let limb_shift = bits / 32;
        let bit_shift = bits % 32;
        if limb_shift >= self.limbs.len() {
            self.limbs.clear();
            return;
        }
        self.limbs.drain(..limb_shift);
        if bit_shift != 0 {
            let mut carry = 0u32;
            for limb in self.limbs.iter_mut().rev() {
                let v = *limb;
                *limb = (v >> bit_shift) | (carry << (32 - bit_shift));
                carry = v & ((1u32 << bit_shift) - 1);
            }
        }
        self.trim();
    }

    fn add_pow2(&mut self, bit: usize) {
        let index = bit / 32;
        if self.limbs.len() <= index {
            self.limbs.resize(index + 1, 0);
        }
        let mut carry = 1u64 << (bit % 32);
        for limb in self.limbs.iter_mut().skip(index) {
            let v = u64::from(*limb) + carry;
            *limb = v as u32;
            carry = v >> 32;
            if carry == 0 {
                break;
            }
        }
        if carry != 0 {
            self.limbs.push(carry as u32);
        }
    }

    /// Divides in place by `d` (non-zero) and returns the remainder.
    fn div_rem_small(&mut self, d: u32) -> u32 {
        let mut rem = 0u64;
        for limb in self.limbs.iter_mut().rev() {
            let v = (rem << 32) | u64::from(*limb);
            *limb = (v / u64::from(d)) as u32;
            rem = v % u64::from(d);
        }
        self.trim();
        rem as u32
    }

    fn into_decimal(mut self) -> String {
        if self.limbs.is_empty() {
            return "0".to_owned();
        }
        let mut chunks = Vec::new();
        while !self.limbs.is_empty() {
            chunks.push(self.div_rem_small(1_000_000_000));
        }
        let mut out = String::with_capacity(chunks.len() * 9);
        let mut first = true;
        for chunk in chunks.iter().rev() {
            let text = chunk.to_string();
            if !first {
                for _ in text.len()..9 {
                    out.push('0');
                }
            }
            out.push_str(&text);
            first = false;
        }
        out
    }
}

// ---------------------------------------------------------------------------
// Number.prototype.toString(radix)
// ---------------------------------------------------------------------------

const DIGIT_CHARS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

/// `Number.prototype.toString(radix)`: ECMA-262 §21.1.3.6 with
/// §6.1.6.1.20 `Number::toString(x, radix)`.
///
/// Returns `None` when `radix` is outside `2..=36` (JS throws a `RangeError`).
/// Radix 10 is [`write_number`]. For other radices the spec leaves the digits
/// implementation-approximated; this is V8's `DoubleToRadixCString`, so the
/// output matches Node exactly: fraction digits are produced only up to the
/// precision of the double (with round-half-even on the last digit), and
/// integer digits beyond 2^53 are filled with zeros.
pub fn to_radix_string(n: f64, radix: u32) -> Option<String> {
    if !(2..=36).contains(&radix) {
        return None;
    }
    if radix == 10 || !n.is_finite() || n == 0.0 {
        return Some(number_to_string(n));
    }
    Some(radix_string_finite(n, radix))
}

/// The next representable double above a finite `x >= 0`.
fn next_up_non_negative(x: f64) -> f64 {
    f64::from_bits(x.to_bits() + 1)
}

/// V8's `Double::Exponent()`: the power of two of the lowest mantissa bit.
fn double_exponent(x: f64) -> i32 {
    let biased = ((x.to_bits() >> 52) & 0x7ff) as i32;
    if biased == 0 { -1074 } else { biased - 1075 }
}

fn digit_char(d: u32) -> u8 {
    DIGIT_CHARS.get(d as usize).copied().unwrap_or(b'0')
}

fn radix_string_finite(value: f64, radix: u32) -> String {
    let negative = value < 0.0;
    let value = value.abs();
    let r = f64::from(radix);
    let mut integer = value.floor();
    let mut fraction = value - integer;
    // Only compute fraction digits up to the precision of the input.
    let mut delta = 0.5 * (next_up_non_negative(value) - value);
    delta = delta.max(next_up_non_negative(0.0));
    let mut frac_digits: Vec<u8> = Vec::new();
    if fraction >= delta {
        loop {
            fraction *= r;
            delta *= r;
            let digit = fraction as u32;
            frac_digits.push(digit_char(digit));
            fraction -= f64::from(digit);
            // Round to even.
            if (fraction > 0.5 || (fraction == 0.5 && digit & 1 == 1)) && fraction + delta > 1.0 {
                // Round up, propagating the carry through written digits.
                loop {
                    match frac_digits.pop() {
                        None => {
                            integer += 1.0;
                            break;
                        }
                        Some(c) => {
                            let d = digit_value(c);
                            if d + 1 < radix {
                                frac_digits.push(digit_char(d + 1));
                                break;
                            }
                        }
                    }
                }
                break;
            }
            if fraction < delta {
                break;
            }
        }
    }
    // Integer digits, least significant first; digits below the precision of
    // the double are filled with zeros.
    let mut int_digits: Vec<u8> = Vec::new();
    while double_exponent(integer / r) > 0 {
        integer /= r;
        int_digits.push(b'0');
    }
    loop {
        let remainder = integer % r;
        int_digits.push(digit_char(remainder as u32));
        integer = (integer - remainder) / r;
        if integer <= 0.0 {
            break;
        }
    }
    let mut out = String::with_capacity(int_digits.len() + frac_digits.len() + 2);
    if negative {
        out.push('-');
    }
    out.extend(int_digits.iter().rev().map(|&b| char::from(b)));
    if !frac_digits.is_empty() {
        out.push('.');
        out.extend(frac_digits.iter().map(|&b| char::from(b)));
    }
    out
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

/// The value of an ASCII digit in radices up to 36, or 99 for anything else.
fn digit_value(b: u8) -> u32 {
    match b {
        b'0'..=b'9' => u32::from(b - b'0'),
        b'a'..=b'z' => u32::from(b - b'a') + 10,
        b'A'..=b'Z' => u32::from(b - b'A') + 10,
        _ => 99,
    }
}

/// How many leading bytes of `bytes` are digits of `radix`.
fn digit_run(bytes: &[u8], radix: u32) -> usize {
    bytes
        .iter()
        .take_while(|&&b| digit_value(b) < radix)
        .count()
}

/// Global `parseInt(string, radix)`: ECMA-262 §19.2.5.
///
/// `radix` is `ToNumber(radix)`, or `None` for `undefined`; it goes through
/// `ToInt32`, so `0`, `NaN` and `undefined` all mean "10, or 16 with a `0x`
/// prefix". Leading JS whitespace (`WhiteSpace` and `LineTerminator`) is skipped,
/// then an optional sign, then the `0x`/`0X` prefix when the radix is 0 or 16;
/// parsing stops at the first character that is not a digit of the radix.
/// No digits, or a radix outside 2..=36, gives `NaN`; `"-0"` gives `-0`.
/// Radices 10 and powers of two are correctly rounded; other radices use
/// V8's 32-bit-chunk accumulation (the spec allows an approximation there),
/// so large values lose precision exactly as in Node.
pub fn parse_int(s: &str, radix: Option<f64>) -> f64 {
    let s = trim_start_js(s);
    let (negative, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..).unwrap_or("")),
        Some(b'+') => (false, s.get(1..).unwrap_or("")),
        _ => (false, s),
    };
    let mut r = radix.map_or(0, to_int32);
    let mut strip_prefix = true;
    if r == 0 {
        r = 10;
    } else {
        if !(2..=36).contains(&r) {
            return f64::NAN;
        }
        if r != 16 {
            strip_prefix = false;
        }
    }
    let mut digits = rest.as_bytes();
    let prefixed = digits
        .strip_prefix(b"0x")
        .or_else(|| digits.strip_prefix(b"0X"));
    if let Some(after) = prefixed.filter(|_| strip_prefix) {
        digits = after;
        r = 16;
    }
    let radix = r as u32;
    let count = digit_run(digits, radix);
    let Some(digits) = digits.get(..count).filter(|d| !d.is_empty()) else {
        return f64::NAN;
    };
    let value = digits_to_f64(digits, radix);
    if negative { -value } else { value }
}

/// The value of a non-empty run of valid `radix` digits, as `parseInt`
/// computes it.
fn digits_to_f64(digits: &[u8], radix: u32) -> f64 {
    if radix == 10 {
        // Rust's float parser is correctly rounded for any number of digits.
        return std::str::from_utf8(digits)
            .ok()
            .and_then(|text| text.parse::<f64>().ok())
            .unwrap_or(f64::NAN);
    }
    if radix.is_power_of_two() {
        return pow2_digits_to_f64(digits, radix.trailing_zeros());
    }
    generic_radix_digits_to_f64(digits, radix)
}

/// Correctly rounded (half to even) value of digits in radix `2^log2`.
/// This is V8's `InternalStringToIntDouble`.
fn pow2_digits_to_f64(digits: &[u8], log2: u32) -> f64 {
    let radix = 1u64 << log2;
    let start = digits.iter().take_while(|&&b| b == b'0').count();
    let digits = digits.get(start..).unwrap_or(&[]);
    let mut number: u64 = 0;
    let mut exponent: u64 = 0;
    for (i, &b) in digits.iter().enumerate() {
        number = number * radix + u64::from(digit_value(b));
        let overflow = number >> 53;
        if overflow != 0 {
            // Keep 53 significant bits and round the dropped ones.
            let overflow_bits = 64 - overflow.leading_zeros();
            let dropped_mask = (1u64 << overflow_bits) - 1;
            let dropped = number & dropped_mask;
            number >>= overflow_bits;
            exponent = u64::from(overflow_bits);
            let mut zero_tail = true;
            for &rest in digits.iter().skip(i + 1) {
                zero_tail = zero_tail && rest == b'0';
                exponent = exponent.saturating_add(u64::from(log2));
            }
            let middle = 1u64 << (overflow_bits - 1);
            if dropped > middle || (dropped == middle && (number & 1 != 0 || !zero_tail)) {
                number += 1;
            }
            if number & (1u64 << 53) != 0 {
                exponent += 1;
                number >>= 1;
            }
            break;
        }
    }
    scale_by_pow2(number as f64, exponent)
}

/// `x * 2^e` for an integral `x < 2^53` (already rounded), overflowing to
/// infinity.
fn scale_by_pow2(x: f64, e: u64) -> f64 {
    if e == 0 || x == 0.0 {
        return x;
    }
    if e > 1100 {
        return f64::INFINITY;
    }
    let mut result = x;
    let mut remaining = e;
    while remaining > 0 {
        let step = remaining.min(1000);
        result *= f64::from_bits((step + 1023) << 52);
        remaining -= step;
    }
    result
}

/// V8's `HandleGenericCase`: accumulate 32-bit chunks, folding each with one
/// double multiply-add. Rounding errors above 2^53 are Node's exact behaviour.
fn generic_radix_digits_to_f64(digits: &[u8], radix: u32) -> f64 {
    const MAX_MULTIPLIER: u32 = 0xFFFF_FFFF / 36;
    // V8 skips leading zeros before chunking; that moves the chunk
    // boundaries and so the rounding.
    let mut result = 0.0f64;
    let mut iter = digits.iter().skip_while(|&&b| b == b'0').peekable();
    while iter.peek().is_some() {
        let mut part: u32 = 0;
        let mut multiplier: u32 = 1;
        while let Some(&&b) = iter.peek() {
            let m = multiplier * radix;
            if m > MAX_MULTIPLIER {
                break;
            }
            part = part * radix + digit_value(b);
            multiplier = m;
            iter.next();
        }
        result = result * f64::from(multiplier) + f64::from(part);
    }
    result
}

/// Length of the longest prefix of `b` that is a `StrUnsignedDecimalLiteral`
/// without `Infinity` (ECMA-262 §7.1.4.1.1): `digits [. digits?] [exp]`
/// or `. digits [exp]`. Zero when there is none.
fn unsigned_decimal_prefix(b: &[u8]) -> usize {
    let int_digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = int_digits;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        frac_digits = b.get(i + 1..).map_or(0, |rest| {
            rest.iter().take_while(|c| c.is_ascii_digit()).count()
        });
        if int_digits > 0 || frac_digits > 0 {
            i += 1 + frac_digits;
        }
    }
    if int_digits == 0 && frac_digits == 0 {
        return 0;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exp_digits = b.get(j..).map_or(0, |rest| {
            rest.iter().take_while(|c| c.is_ascii_digit()).count()
        });
        if exp_digits > 0 {
            i = j + exp_digits;
        }
    }
    i
}

/// Parses a validated decimal lexeme (optional sign included).
fn parse_decimal_lexeme(lexeme: &str) -> f64 {
    lexeme.parse::<f64>().unwrap_or(f64::NAN)
}

/// Global `parseFloat(string)`: ECMA-262 §19.2.4.
///
/// Skips leading JS whitespace, then takes the longest prefix that is a
/// `StrDecimalLiteral` (`[+-]` then `Infinity`, or decimal digits with an
/// optional fraction and exponent). No hex, no numeric separators; `NaN`
/// when there is no such prefix. `"-0"` gives `-0`.
pub fn parse_float(s: &str) -> f64 {
    let t = trim_start_js(s);
    let b = t.as_bytes();
    let sign_len = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let body = b.get(sign_len..).unwrap_or(&[]);
    if body.starts_with(b"Infinity") {
        return if b.first() == Some(&b'-') {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    let len = unsigned_decimal_prefix(body);
    if len == 0 {
        return f64::NAN;
    }
    t.get(..sign_len + len)
        .map_or(f64::NAN, parse_decimal_lexeme)
}

/// `ToNumber` applied to a String: ECMA-262 §7.1.4.1.1 `StringToNumber`.
///
/// Surrounding JS whitespace is trimmed; the empty (or all-whitespace) string
/// is `0`. Accepted: `0x`/`0o`/`0b` integer literals (either case, no sign,
/// correctly rounded), and decimal literals with an optional sign, fraction
/// and exponent, or `[+-]Infinity`. Everything else is `NaN`: trailing
/// garbage, `"1_000"`, `"inf"`, `"."`, a sign before a `0x` literal.
pub fn string_to_number(s: &str) -> f64 {
    let t = trim_js(s);
    let b = t.as_bytes();
    if b.is_empty() {
        return 0.0;
    }
    if b.len() > 2 && b[0] == b'0' {
        let log2 = match b[1] {
            b'x' | b'X' => Some(4),
            b'o' | b'O' => Some(3),
            b'b' | b'B' => Some(1),
            _ => None,
        };
        if let Some(log2) = log2 {
            let digits = b.get(2..).unwrap_or(&[]);
            if digit_run(digits, 1 << log2) != digits.len() {
                return f64::NAN;
            }
            return pow2_digits_to_f64(digits, log2);
        }
    }
    let sign_len = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let body = b.get(sign_len..).unwrap_or(&[]);
    if body == b"Infinity" {
        return if b[0] == b'-' {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
    }
    let len = unsigned_decimal_prefix(body);
    if len == 0 || len != body.len() {
        return f64::NAN;
    }
    parse_decimal_lexeme(t)
}

// ---------------------------------------------------------------------------
// Integer conversions
// ---------------------------------------------------------------------------

/// `ToIntegerOrInfinity`: ECMA-262 §7.1.5. `NaN` and `-0` give `0`; finite
/// values are truncated toward zero; infinities stay infinite.
pub fn to_integer_or_infinity(n: f64) -> f64 {
    if n.is_nan() {
        return 0.0;
    }
    // `+ 0.0` turns -0 into +0.
    n.trunc() + 0.0
}

/// `ToUint32`: ECMA-262 §7.1.7. `NaN`, `±Infinity` give 0; otherwise the
/// truncated value modulo 2^32.
pub fn to_uint32(n: f64) -> u32 {
    if !n.is_finite() {
        return 0;
    }
    let t = n.trunc();
    if t.abs() < 9_223_372_036_854_775_808.0 {
        // |t| < 2^63:
        // two's-complement truncation of an exact i64 is the modulo.
        return (t as i64) as u32;
    }
    // |t| >= 2^63: fmod is exact for doubles.
    let m = t % 4_294_967_296.0;
    let m = if m < 0.0 { m + 4_294_967_296.0 } else { m };
    m as u32
}

/// `ToInt32`: ECMA-262 §7.1.6. `ToUint32` reinterpreted as two's complement
/// (`2147483648 | 0 === -2147483648`, `4294967296 | 0 === 0`).
pub fn to_int32(n: f64) -> i32 {
    to_uint32(n) as i32
}

/// `ToUint16`: ECMA-262 §7.1.9 (used by `String.fromCharCode`).
pub fn to_uint16(n: f64) -> u16 {
    to_uint32(n) as u16
}

/// Whether `s` is an array index: ECMA-262 §6.1.7 — a canonical numeric
/// string (`ToString(ToUint32(s)) === s`) of an integer in `0..=2^32 - 2`.
/// `"0"`, `"12"` yes; `"01"`, `"-1"`, `"1.0"`, `"+1"`, `"4294967295"` no.
pub fn is_array_index(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 10 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if b[0] == b'0' {
        return (b.len() == 1).then_some(0);
    }
    let v = b
        .iter()
        .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0'));
    u32::try_from(v).ok().filter(|&v| v != u32::MAX)
}

/// The request-query rule (DESIGN section 10): `Some(v)` when `s` is exactly
/// what `String(v)` prints for some 32-bit integer `v`. `"41"`, `"-3"`, `"0"`
/// yes; `"007"`, `"+1"`, `"-0"` (String(-0) is `"0"`), `" 1"`, `"1.0"`,
/// `"2147483648"` no.
pub fn canonical_i32(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    let (negative, digits) = match b.strip_prefix(b"-") {
        Some(rest) => (true, rest),
        None => (false, b),
    };
    if digits.is_empty() || digits.len() > 10 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if digits[0] == b'0' && (digits.len() > 1 || negative) {
        return None;
    }
    let v = digits
        .iter()
        .fold(0i64, |acc, &d| acc * 10 + i64::from(d - b'0'));
    i32::try_from(if negative { -v } else { v }).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_js() {
        let cases: &[(f64, &str)] = &[
            (0.1 + 0.2, "0.30000000000000004"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (-0.0, "0"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "Infinity"),
            (f64::NEG_INFINITY, "-Infinity"),
            (1e-7, "1e-7"),
            (0.000_001, "0.000001"),
            (123.456e5, "12345600"),
            (-1.5, "-1.5"),
            (5e-324, "5e-324"),
            (f64::MAX, "1.7976931348623157e+308"),
            (-2_147_483_649.0, "-2147483649"),
            (999_999_999_999_999.0, "999999999999999"),
            (1e15, "1000000000000000"),
        ];
        for &(n, want) in cases {
            assert_eq!(number_to_string(n), want, "{n:?}");
        }
    }

    #[test]
    fn to_fixed_rounds_the_exact_value() {
        let cases: &[(f64, u32, &str)] = &[
            (0.5, 0, "1"),
            (1.5, 0, "2"),
            (2.5, 0, "3"),
            (-1.5, 0, "-2"),
            (1.005, 2, "1.00"),
            (1.45, 1, "1.4"),
            (-0.0001, 2, "-0.00"),
            (-0.0, 2, "0.00"),
            (0.0, 0, "0"),
            (1.234_56, 2, "1.23"),
            (10.0, 2, "10.00"),
            (0.000_001, 7, "0.0000010"),
            (123.456, 1, "123.5"),
            (1e21, 2, "1e+21"),
            (f64::NAN, 2, "NaN"),
            (f64::NEG_INFINITY, 1, "-Infinity"),
            (1e-10, 20, "0.00000000010000000000"),
            (
                123.456,
                100,
                "123.4560000000000030695446184836328029632568359375000000000000000000000000000000000000000000000000000000",
            ),
        ];
        for &(n, d, want) in cases {
            assert_eq!(to_fixed(n, d).as_deref(), Some(want), "{n:?}.toFixed({d})");
        }
        assert_eq!(to_fixed(1.0, 101), None);
    }

    #[test]
    fn bigint_path_matches_u128_path() {
        for &x in &[0.1, 1.005, 123.456, 5e-324, 1e20, 0.5, 2.5, 7e-10] {
            for f in 0..=20 {
                let fast = fixed_scaled_digits(x, f);
                let (mantissa, exp) = decompose(x);
                let mut big = BigUint::from_u64(mantissa);
                big.mul_pow10(f);
                if exp >= 0 {
                    big.shl(exp as usize);
                } else {
                    let k = exp.unsigned_abs() as usize;
                    big.add_pow2(k - 1);
                    big.shr(k);
                }
                assert_eq!(big.into_decimal(), fast, "{x} {f}");
            }
        }
    }

    #[test]
    fn radix() {
        assert_eq!(to_radix_string(255.0, 16).as_deref(), Some("ff"));
        assert_eq!(to_radix_string(255.0, 2).as_deref(), Some("11111111"));
        assert_eq!(to_radix_string(-255.0, 36).as_deref(), Some("-73"));
        assert_eq!(to_radix_string(0.5, 2).as_deref(), Some("0.1"));
        assert_eq!(to_radix_string(3.75, 2).as_deref(), Some("11.11"));
        assert_eq!(to_radix_string(-0.0, 2).as_deref(), Some("0"));
        assert_eq!(to_radix_string(f64::NAN, 2).as_deref(), Some("NaN"));
        assert_eq!(to_radix_string(1.0, 37), None);
        assert_eq!(to_radix_string(1.0, 1), None);
        assert_eq!(
            to_radix_string(0.1, 3).as_deref(),
            Some("0.0022002200220022002200220022002201")
        );
        assert_eq!(
            to_radix_string(std::f64::consts::PI, 7).as_deref(),
            Some("3.066365143203613411")
        );
    }

    #[test]
    fn parse_int_cases() {
        assert_eq!(parse_int("42px", None), 42.0);
        assert_eq!(parse_int("  -17 ", None), -17.0);
        assert_eq!(parse_int("ff", Some(16.0)), 255.0);
        assert_eq!(parse_int("0x1A", None), 26.0);
        assert_eq!(parse_int("0x1A", Some(16.0)), 26.0);
        assert_eq!(parse_int("0x1A", Some(10.0)), 0.0);
        assert_eq!(parse_int("101", Some(2.0)), 5.0);
        assert_eq!(parse_int("3.99", None), 3.0);
        assert!(parse_int("abc", None).is_nan());
        assert!(parse_int("0x", None).is_nan());
        assert!(parse_int("-", None).is_nan());
        assert!(parse_int("12", Some(37.0)).is_nan());
        assert!(parse_int("12", Some(1.0)).is_nan());
        assert_eq!(parse_int("12", Some(4_294_967_312.0)), 18.0);
        assert_eq!(parse_int("12", Some(f64::NAN)), 12.0);
        assert!(parse_int("-0", None).is_sign_negative());
        assert_eq!(parse_int("\u{a0}\u{feff}12", None), 12.0);
    }

    #[test]
    fn parse_float_cases() {
        assert_eq!(parse_float("3.25abc"), 3.25);
        assert_eq!(parse_float(".5"), 0.5);
        assert_eq!(parse_float("-1.5e3"), -1500.0);
        assert_eq!(parse_float("1."), 1.0);
        assert_eq!(parse_float("1e"), 1.0);
        assert_eq!(parse_float("1e+"), 1.0);
        assert_eq!(parse_float("0x10"), 0.0);
        assert_eq!(parse_float("-Infinityx"), f64::NEG_INFINITY);
        assert!(parse_float("infinity").is_nan());
        assert!(parse_float(".e1").is_nan());
        assert!(parse_float("").is_nan());
        assert!(parse_float("-0").is_sign_negative());
    }

    #[test]
    fn string_to_number_cases() {
        assert_eq!(string_to_number("12.50"), 12.5);
        assert_eq!(string_to_number(""), 0.0);
        assert_eq!(string_to_number(" \n\u{2028}"), 0.0);
        assert_eq!(string_to_number(" 8 "), 8.0);
        assert_eq!(string_to_number("0x10"), 16.0);
        assert_eq!(string_to_number("0B101"), 5.0);
        assert_eq!(string_to_number("0o17"), 15.0);
        assert_eq!(string_to_number("-Infinity"), f64::NEG_INFINITY);
        assert_eq!(string_to_number("5."), 5.0);
        assert_eq!(string_to_number("00012"), 12.0);
        for bad in [
            "1x",
            "0x",
            "-0x10",
            ".",
            "1_000",
            "inf",
            "NaN",
            "1e",
            "-",
            "+",
            "0b2",
            "Infinityx",
        ] {
            assert!(string_to_number(bad).is_nan(), "{bad}");
        }
    }

    #[test]
    fn int_conversions() {
        assert_eq!(to_int32(2_147_483_648.0), -2_147_483_648);
        assert_eq!(to_int32(4_294_967_296.0), 0);
        assert_eq!(to_int32(-7.9), -7);
        assert_eq!(to_int32(f64::NAN), 0);
        assert_eq!(to_int32(f64::INFINITY), 0);
        assert_eq!(to_uint32(-1.0), 4_294_967_295);
        assert_eq!(to_uint32(1e300), 0);
        assert_eq!(to_uint32(-1e19 - 4096.0), to_uint32(-1e19 - 4096.0));
        assert_eq!(to_uint16(65_537.0), 1);
        assert_eq!(to_integer_or_infinity(-0.5).to_bits(), 0.0f64.to_bits());
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(is_array_index("0"), Some(0));
        assert_eq!(is_array_index("12"), Some(12));
        assert_eq!(is_array_index("4294967294"), Some(4_294_967_294));
        for bad in [
            "",
            "01",
            "-1",
            "1.0",
            "+1",
            "4294967295",
            "99999999999",
            " 1",
        ] {
            assert_eq!(is_array_index(bad), None, "{bad}");
        }
        assert_eq!(canonical_i32("41"), Some(41));
        assert_eq!(canonical_i32("-3"), Some(-3));
        assert_eq!(canonical_i32("0"), Some(0));
        assert_eq!(canonical_i32("2147483647"), Some(i32::MAX));
        assert_eq!(canonical_i32("-2147483648"), Some(i32::MIN));
        for bad in [
            "007",
            "2147483648",
            "-2147483649",
            "-0",
            "+1",
            "",
            "-",
            "1.0",
            " 1",
            "1e3",
        ] {
            assert_eq!(canonical_i32(bad), None, "{bad}");
        }
    }
}
