//! Operator semantics (JS abstract operations the instructions need).

use super::Vm;
use crate::trap::Trap;
use crate::value::Value;
use bumpalo::collections::String as BString;
use std::cmp::Ordering;

/// ToNumber.
pub(crate) fn num<'a>(vm: &mut Vm<'a, '_>, v: Value<'a>) -> Result<f64, Trap> {
    Ok(match v {
        Value::Num(n) => n,
        Value::Undefined => f64::NAN,
        Value::Bool(b) => f64::from(u8::from(b)),
        Value::Str(s) => crate::js::number::string_to_number(s),
        Value::Array(_) | Value::FrozenArray(_) => {
            let s = to_string(vm, v)?;
            crate::js::number::string_to_number(s)
        }
        _ => f64::NAN,
    })
}

/// ToNumber, public for builtins.
pub fn to_number<'a>(vm: &mut Vm<'a, '_>, v: Value<'a>) -> Result<f64, Trap> {
    num(vm, v)
}

/// ToInt32 of both operands.
pub(crate) fn int_pair<'a>(
    vm: &mut Vm<'a, '_>,
    a: Value<'a>,
    b: Value<'a>,
) -> Result<(i32, i32), Trap> {
    let x = crate::js::number::to_int32(num(vm, a)?);
    let y = crate::js::number::to_int32(num(vm, b)?);
    Ok((x, y))
}

/// `**` / `Math.pow` (differs from `powf` for NaN exponents and |base| = 1).
pub fn pow(x: f64, y: f64) -> f64 {
    if y.is_nan() || (x.abs() == 1.0 && y.is_infinite()) {
        return f64::NAN;
    }
    x.powf(y)
}

fn is_stringish(v: Value<'_>) -> bool {
    !matches!(v, Value::Undefined | Value::Bool(_) | Value::Num(_))
}

/// `+`: string concatenation when either side converts to a string, else addition.
pub(crate) fn add<'a>(vm: &mut Vm<'a, '_>, a: Value<'a>, b: Value<'a>) -> Result<Value<'a>, Trap> {
    if is_stringish(a) || is_stringish(b) {
        let left = to_string(vm, a)?;
        let right = to_string(vm, b)?;
        let joined = if left.len() + right.len() >= super::append::MIN_APPEND {
            if let Some(s) = vm
                .append
                .as_mut()
                .and_then(|buf| buf.try_extend(left, right))
            {
                s
            } else {
                let (buf, s) = super::append::AppendBuf::start(vm.arena, left, right);
                vm.append = Some(buf);
                s
            }
        } else {
            let mut s = BString::with_capacity_in(left.len() + right.len(), vm.arena);
            s.push_str(left);
            s.push_str(right);
            s.into_bump_str()
        };
        vm.check_arena()?;
        return Ok(Value::Str(joined));
    }
    Ok(Value::Num(num(vm, a)? + num(vm, b)?))
}

/// Relational comparison: `None` when either side is NaN.
pub(crate) fn compare<'a>(
    vm: &mut Vm<'a, '_>,
    a: Value<'a>,
    b: Value<'a>,
) -> Result<Option<Ordering>, Trap> {
    if let (Value::Str(x), Value::Str(y)) = (a, b) {
        return Ok(Some(crate::js::string::compare_utf16(x, y)));
    }
    let (x, y) = (num(vm, a)?, num(vm, b)?);
    Ok(x.partial_cmp(&y))
}

/// Appends the JS string conversion of `v` (ToString) to `out`.
pub(crate) fn append_string<'a>(
    vm: &mut Vm<'a, '_>,
    out: &mut BString<'a>,
    v: Value<'a>,
) -> Result<(), Trap> {
    match v {
        Value::Str(s) => out.push_str(s),
        Value::Num(n) => push_number(out, n),
        Value::Undefined => out.push_str("undefined"),
        Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
        Value::Array(_) | Value::FrozenArray(_) => {
            let joined = crate::builtins::array::join(vm, v, ",")?;
            out.push_str(joined);
        }
        v if v.is_callable() => out.push_str("function () { [native code] }"),
        Value::Map(_) => out.push_str("[object Map]"),
        Value::Set(_) => out.push_str("[object Set]"),
        _ => out.push_str("[object Object]"),
    }
    Ok(())
}

/// Appends JS `String(n)`.
pub(crate) fn push_number(out: &mut BString<'_>, n: f64) {
    crate::js::number::write_number(n, out);
}

/// ToString of `v` appended to `out` (public for builtins).
pub fn append_value<'a>(
    vm: &mut Vm<'a, '_>,
    out: &mut BString<'a>,
    v: Value<'a>,
) -> Result<(), Trap> {
    append_string(vm, out, v)
}

/// ToString into the arena.
pub(crate) fn to_string<'a>(vm: &mut Vm<'a, '_>, v: Value<'a>) -> Result<&'a str, Trap> {
    if let Value::Str(s) = v {
        return Ok(s);
    }
    let mut s = BString::new_in(vm.arena);
    append_string(vm, &mut s, v)?;
    Ok(s.into_bump_str())
}

/// ToPropertyKey: the string a value names as a property.
pub fn to_property_key<'a>(vm: &mut Vm<'a, '_>, v: Value<'a>) -> Result<&'a str, Trap> {
    to_string(vm, v)
}

/// JS `%` on numbers. Two integers below 2^53 in magnitude (the usual `i % n`)
/// take an exact integer remainder; anything else goes to `fmod`. The sign of
/// a zero result follows the dividend, as in JS (`-4 % 2` is `-0`).
#[inline]
pub(crate) fn rem(x: f64, y: f64) -> f64 {
    const LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53
    if x.fract() == 0.0 && y.fract() == 0.0 && x.abs() < LIMIT && y.abs() < LIMIT && y != 0.0 {
        let r = (x as i64) % (y as i64);
        if r == 0 && x.is_sign_negative() {
            return -0.0;
        }
        return r as f64;
    }
    x % y
}

#[cfg(test)]
mod tests {
    use super::rem;

    #[test]
    fn rem_follows_js() {
        let same = |a: f64, b: f64| a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan());
        let cases = [
            (7.0, 3.0, 1.0),
            (-7.0, 3.0, -1.0),
            (7.0, -3.0, 1.0),
            (-4.0, 2.0, -0.0),
            (-0.0, 5.0, -0.0),
            (0.0, -5.0, 0.0),
            (5.5, 2.0, 1.5),
            (5.0, 0.0, f64::NAN),
            (f64::INFINITY, 2.0, f64::NAN),
            (3.0, f64::INFINITY, 3.0),
            (
                9_007_199_254_740_993.0,
                10.0,
                9_007_199_254_740_993.0 % 10.0,
            ),
        ];
        for (x, y, want) in cases {
            assert!(
                same(rem(x, y), want),
                "{x} % {y} = {} (want {want})",
                rem(x, y)
            );
        }
    }
}
