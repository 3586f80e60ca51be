//! `zigttp:time`: formatting and parsing of epoch milliseconds. Pure: it
//! never reads the clock (pass `Date.now()` in).
//!
//! - `formatIso(ms)`: `2024-01-02T03:04:05.678Z`, as `Date.prototype.toISOString`
//!   (years outside 0..9999 in the expanded `+YYYYYY` form); undefined for a
//!   time outside the JS Date range (|ms| > 8.64e15) or not a finite number.
//! - `formatHttp(ms)`: an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC
//!   9110 5.6.7); undefined outside years 0..9999.
//! - `parseIso(s)`: the ECMAScript date-time string format (`YYYY`,
//!   `YYYY-MM`, `YYYY-MM-DD`, each optionally followed by `THH:mm`,
//!   `:ss`, `.sss` and `Z` or `+HH:mm`), or undefined. A time without an
//!   offset is UTC (the runtime has no local time zone).
//! - `addSeconds(ms, s)`: `ms + s * 1000`.

use super::ModFn;
use crate::interp::{Vm, to_number};
use crate::trap::{Trap, TrapKind};
use crate::value::Value;

const MS_PER_DAY: i64 = 86_400_000;
/// The largest |time value| of a JS Date.
const MAX_TIME: f64 = 8.64e15;

const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `(year, month 1-12, day 1-31)` of a day count since 1970-01-01.
pub(crate) fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The broken-down UTC time of a time value.
struct Civil {
    year: i64,
    month: i64,
    day: i64,
    weekday: usize,
    hour: i64,
    minute: i64,
    second: i64,
    ms: i64,
}

fn civil(ms: f64) -> Option<Civil> {
    if !ms.is_finite() || ms.abs() > MAX_TIME {
        return None;
    }
    let t = ms.trunc() as i64;
    let days = t.div_euclid(MS_PER_DAY);
    let in_day = t.rem_euclid(MS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    Some(Civil {
        year,
        month,
        day,
        weekday: (days + 4).rem_euclid(7) as usize,
        hour: in_day / 3_600_000,
        minute: in_day / 60_000 % 60,
        second: in_day / 1000 % 60,
        ms: in_day % 1000,
    })
}

/// `Date.prototype.toISOString` of a time value.
pub(crate) fn format_iso(ms: f64) -> Option<String> {
    let c = civil(ms)?;
    let year = if (0..=9999).contains(&c.year) {
        format!("{:04}", c.year)
    } else if c.year < 0 {
        format!("-{:06}", -c.year)
    } else {
        format!("+{:06}", c.year)
    };
    Some(format!(
        "{year}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        c.month, c.day, c.hour, c.minute, c.second, c.ms
    ))
}

/// An IMF-fixdate (the HTTP date format).
pub(crate) fn format_http(ms: f64) -> Option<String> {
    let c = civil(ms)?;
    if !(0..=9999).contains(&c.year) {
        return None;
    }
    Some(format!(
        "{}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        DAYS[c.weekday],
        c.day,
        MONTHS[(c.month - 1) as usize],
        c.year,
        c.hour,
        c.minute,
        c.second
    ))
}

struct Cursor<'s> {
    b: &'s [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn digits(&mut self, n: usize) -> Option<i64> {
        let s = self.b.get(self.i..self.i + n)?;
        if !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(s.iter().fold(0, |acc, d| acc * 10 + i64::from(d - b'0')))
    }
}

/// Parses the ECMAScript date-time string format into a time value.
pub(crate) fn parse_iso(s: &str) -> Option<f64> {
    let mut c = Cursor {
        b: s.as_bytes(),
        i: 0,
    };
    let year = match c.peek()? {
        sign @ (b'+' | b'-') => {
            c.i += 1;
            let y = c.digits(6)?;
            if sign == b'-' {
                if y == 0 {
                    return None; // -000000 is not a year
                }
                -y
            } else {
                y
            }
        }
        _ => c.digits(4)?,
    };
    let (mut month, mut day) = (1, 1);
    if c.eat(b'-') {
        month = c.digits(2)?;
        if c.eat(b'-') {
            day = c.digits(2)?;
        }
    }
    let (mut hour, mut minute, mut second, mut ms, mut offset) = (0, 0, 0, 0, 0);
    if matches!(c.peek(), Some(b'T' | b't' | b' ')) {
        c.i += 1;
        hour = c.digits(2)?;
        if !c.eat(b':') {
            return None;
        }
        minute = c.digits(2)?;
        if c.eat(b':') {
            second = c.digits(2)?;
            if c.eat(b'.') || c.eat(b',') {
                let start = c.i;
                while c.peek().is_some_and(|d| d.is_ascii_digit()) {
                    c.i += 1;
                }
                let frac = &c.b[start..c.i];
                if frac.is_empty() {
                    return None;
                }
                ms = frac
                    .iter()
                    .chain(std::iter::repeat(&b'0'))
                    .take(3)
                    .fold(0, |acc, d| acc * 10 + i64::from(d - b'0'));
            }
        }
        match c.peek() {
            Some(b'Z' | b'z') => c.i += 1,
            Some(sign @ (b'+' | b'-')) => {
                c.i += 1;
                let oh = c.digits(2)?;
                c.eat(b':');
                let om = c.digits(2)?;
                if oh > 23 || om > 59 {
                    return None;
                }
                offset = (oh * 60 + om) * if sign == b'-' { -1 } else { 1 };
            }
            _ => {}
        }
    }
    if c.i != c.b.len()
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 24
        || minute > 59
        || second > 59
        || (hour == 24 && (minute, second, ms) != (0, 0, 0))
    {
        return None;
    }
    let t = days_from_civil(year, month, day) * MS_PER_DAY
        + hour * 3_600_000
        + minute * 60_000
        + second * 1000
        + ms
        - offset * 60_000;
    let t = t as f64;
    (t.abs() <= MAX_TIME).then_some(t)
}

pub fn call<'a>(vm: &mut Vm<'a, '_>, f: ModFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let arg = |i: usize| args.get(i).copied().unwrap_or(Value::Undefined);
    let text = |vm: &Vm<'a, '_>, s: Option<String>| match s {
        Some(s) => Value::Str(vm.arena.alloc_str(&s)),
        None => Value::Undefined,
    };
    Ok(match f {
        ModFn::FormatIso => {
            let ms = to_number(vm, arg(0))?;
            text(vm, format_iso(ms))
        }
        ModFn::FormatHttp => {
            let ms = to_number(vm, arg(0))?;
            text(vm, format_http(ms))
        }
        ModFn::ParseIso => match arg(0) {
            Value::Str(s) => parse_iso(s.trim()).map_or(Value::Undefined, Value::Num),
            _ => Value::Undefined,
        },
        ModFn::AddSeconds => {
            let ms = to_number(vm, arg(0))?;
            let s = to_number(vm, arg(1))?;
            Value::Num(ms + s * 1000.0)
        }
        _ => return Err(Trap::new(TrapKind::Internal, "time dispatch")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn iso_and_http_formats() {
        assert_eq!(format_iso(0.0).unwrap(), "1970-01-01T00:00:00.000Z");
        assert_eq!(
            format_iso(1_704_164_645_678.0).unwrap(),
            "2024-01-02T03:04:05.678Z"
        );
        assert_eq!(format_iso(-1.0).unwrap(), "1969-12-31T23:59:59.999Z");
        assert_eq!(format_iso(8.64e15).unwrap(), "+275760-09-13T00:00:00.000Z");
        assert_eq!(format_iso(-8.64e15).unwrap(), "-271821-04-20T00:00:00.000Z");
        assert_eq!(
            format_iso(-62_198_755_200_000.0).unwrap(),
            "-000001-01-01T00:00:00.000Z"
        );
        assert_eq!(format_iso(8.64e15 + 1.0), None);
        assert_eq!(format_iso(f64::NAN), None);
        // RFC 9110's example date.
        assert_eq!(
            format_http(784_111_777_000.0).unwrap(),
            "Sun, 06 Nov 1994 08:49:37 GMT"
        );
        assert_eq!(format_http(0.0).unwrap(), "Thu, 01 Jan 1970 00:00:00 GMT");
    }

    #[test]
    fn iso_parsing() {
        assert_eq!(
            parse_iso("2024-01-02T03:04:05.678Z"),
            Some(1_704_164_645_678.0)
        );
        assert_eq!(parse_iso("1970-01-01"), Some(0.0));
        assert_eq!(parse_iso("1970"), Some(0.0));
        assert_eq!(parse_iso("1970-02"), Some(31.0 * 86_400_000.0));
        assert_eq!(parse_iso("1994-11-06T08:49:37Z"), Some(784_111_777_000.0));
        assert_eq!(
            parse_iso("1994-11-06T10:49:37+02:00"),
            Some(784_111_777_000.0)
        );
        assert_eq!(parse_iso("1994-11-06T08:49:37.5Z"), Some(784_111_777_500.0));
        assert_eq!(parse_iso("1994-11-06T08:49"), Some(784_111_740_000.0));
        assert_eq!(parse_iso("2024-02-29"), Some(1_709_164_800_000.0));
        assert_eq!(parse_iso("2024-01-01T24:00:00Z"), Some(1_704_153_600_000.0));
        assert_eq!(parse_iso("+275760-09-13T00:00:00.000Z"), Some(8.64e15));
        for bad in [
            "",
            "x",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-01-32",
            "2024-01-01T25:00",
            "2024-01-01T10",
            "2024-01-01Z",
            "2024-01-01T10:00:00Zjunk",
            "-000000-01-01",
            "+275760-09-13T00:00:00.001Z",
            "2024-1-1",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }
}
