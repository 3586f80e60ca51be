//! `Math.*`, `Number.*` constants and number methods (`toFixed`, `toString(radix)`).

use super::Native;
use crate::interp::{Vm, pow, to_number};
use crate::trap::Trap;
use crate::value::Value;

macro_rules! math_fns {
    ($($variant:ident $name:literal),* $(,)?) => {
        /// A `Math` function.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum MathFn { $($variant,)* }

        fn math_fn(key: &str) -> Option<MathFn> {
            match key {
                $($name => Some(MathFn::$variant),)*
                _ => None,
            }
        }
    };
}

math_fns!(
    Abs "abs", Acos "acos", Acosh "acosh", Asin "asin", Asinh "asinh", Atan "atan", Atanh "atanh",
    Atan2 "atan2", Cbrt "cbrt", Ceil "ceil", Clz32 "clz32", Cos "cos", Cosh "cosh", Exp "exp",
    Expm1 "expm1", Floor "floor", Fround "fround", Hypot "hypot", Imul "imul", Log "log",
    Log1p "log1p", Log10 "log10", Log2 "log2", Max "max", Min "min", Pow "pow", Random "random",
    Round "round", Sign "sign", Sin "sin", Sinh "sinh", Sqrt "sqrt", Tan "tan", Tanh "tanh",
    Trunc "trunc",
);

/// `Math.<key>`: a function or a constant.
pub fn member<'a>(key: &str) -> Option<Value<'a>> {
    let c = match key {
        "PI" => std::f64::consts::PI,
        "E" => std::f64::consts::E,
        "LN2" => std::f64::consts::LN_2,
        "LN10" => std::f64::consts::LN_10,
        "LOG2E" => std::f64::consts::LOG2_E,
        "LOG10E" => std::f64::consts::LOG10_E,
        "SQRT2" => std::f64::consts::SQRT_2,
        "SQRT1_2" => std::f64::consts::FRAC_1_SQRT_2,
        _ => return math_fn(key).map(|f| Value::Native(Native::Math(f))),
    };
    Some(Value::Num(c))
}

/// `Number.<key>` constants.
pub fn number_constant(key: &str) -> Option<f64> {
    Some(match key {
        "MAX_VALUE" => f64::MAX,
        "MIN_VALUE" => 5e-324,
        "MAX_SAFE_INTEGER" => 9_007_199_254_740_991.0,
        "MIN_SAFE_INTEGER" => -9_007_199_254_740_991.0,
        "EPSILON" => f64::EPSILON,
        "NaN" => f64::NAN,
        "POSITIVE_INFINITY" => f64::INFINITY,
        "NEGATIVE_INFINITY" => f64::NEG_INFINITY,
        _ => return None,
    })
}

/// JS `Math.round`: halves round toward +Infinity.
fn round(x: f64) -> f64 {
    if !x.is_finite() || x.fract() == 0.0 {
        return x;
    }
    // Not floor(x + 0.5): that addition itself rounds (0.49999999999999994 + 0.5 is 1).
    let down = x.floor();
    let r = if x - down >= 0.5 { down + 1.0 } else { down };
    if r == 0.0 && x < 0.0 { -0.0 } else { r }
}

/// `Math.hypot`: scaled by the largest magnitude (no overflow or underflow)
/// and summed with Kahan compensation, as V8 does.
fn hypot(nums: &[f64]) -> f64 {
    if nums.iter().any(|n| n.is_infinite()) {
        return f64::INFINITY;
    }
    if nums.iter().any(|n| n.is_nan()) {
        return f64::NAN;
    }
    let max = nums.iter().fold(0.0f64, |m, n| m.max(n.abs()));
    if max == 0.0 {
        return 0.0;
    }
    let (mut sum, mut compensation) = (0.0f64, 0.0f64);
    for n in nums {
        let scaled = n / max;
        let term = scaled * scaled - compensation;
        let next = sum + term;
        compensation = (next - sum) - term;
        sum = next;
    }
    sum.sqrt() * max
}

/// `Math.asinh` without the overflow of `x + x` near the largest doubles.
fn asinh(x: f64) -> f64 {
    if x.abs() > 268_435_456.0 {
        x.signum() * (x.abs().ln() + std::f64::consts::LN_2)
    } else {
        x.asinh()
    }
}

/// `Math.acosh` without the overflow of `x + x` near the largest doubles.
fn acosh(x: f64) -> f64 {
    if x > 268_435_456.0 {
        x.ln() + std::f64::consts::LN_2
    } else {
        x.acosh()
    }
}

/// Calls a `Math` function.
pub fn call<'a>(vm: &mut Vm<'a, '_>, f: MathFn, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let mut nums = smallvec::SmallVec::<[f64; 4]>::new();
    for a in args {
        nums.push(to_number(vm, *a)?);
    }
    let x = nums.first().copied().unwrap_or(f64::NAN);
    let y = nums.get(1).copied().unwrap_or(f64::NAN);
    let r = match f {
        MathFn::Abs => x.abs(),
        MathFn::Acos => x.acos(),
        MathFn::Acosh => acosh(x),
        MathFn::Asin => x.asin(),
        MathFn::Asinh => asinh(x),
        MathFn::Atan => x.atan(),
        MathFn::Atanh => x.atanh(),
        MathFn::Atan2 => x.atan2(y),
        MathFn::Cbrt => x.cbrt(),
        MathFn::Ceil => x.ceil(),
        MathFn::Clz32 => f64::from(crate::js::number::to_uint32(x).leading_zeros()),
        MathFn::Cos => x.cos(),
        MathFn::Cosh => x.cosh(),
        MathFn::Exp => x.exp(),
        MathFn::Expm1 => x.exp_m1(),
        MathFn::Floor => x.floor(),
        MathFn::Fround => f64::from(x as f32),
        MathFn::Hypot => hypot(&nums),
        MathFn::Imul => {
            f64::from(crate::js::number::to_int32(x).wrapping_mul(crate::js::number::to_int32(y)))
        }
        MathFn::Log => x.ln(),
        MathFn::Log1p => x.ln_1p(),
        MathFn::Log10 => x.log10(),
        MathFn::Log2 => x.log2(),
        MathFn::Max => nums.iter().fold(f64::NEG_INFINITY, |m, &n| {
            if m.is_nan() || n.is_nan() {
                f64::NAN
            } else if n > m || (n == 0.0 && m == 0.0 && m.is_sign_negative()) {
                n
            } else {
                m
            }
        }),
        MathFn::Min => nums.iter().fold(f64::INFINITY, |m, &n| {
            if m.is_nan() || n.is_nan() {
                f64::NAN
            } else if n < m || (n == 0.0 && m == 0.0 && n.is_sign_negative()) {
                n
            } else {
                m
            }
        }),
        MathFn::Pow => pow(x, y),
        MathFn::Random => vm.host.random(),
        MathFn::Round => round(x),
        MathFn::Sign => {
            if x.is_nan() || x == 0.0 {
                x
            } else {
                x.signum()
            }
        }
        MathFn::Sin => x.sin(),
        MathFn::Sinh => x.sinh(),
        MathFn::Sqrt => x.sqrt(),
        MathFn::Tan => x.tan(),
        MathFn::Tanh => x.tanh(),
        MathFn::Trunc => x.trunc(),
    };
    Ok(Value::Num(r))
}

/// Methods on numbers.
pub fn number_method<'a>(
    vm: &mut Vm<'a, '_>,
    n: f64,
    key: &str,
    args: &[Value<'a>],
) -> Result<Value<'a>, Trap> {
    let a0 = args.first().copied().unwrap_or(Value::Undefined);
    match key {
        "toFixed" => {
            let digits = match a0 {
                Value::Undefined => 0.0,
                d => to_number(vm, d)?.trunc(),
            };
            let digits = if digits.is_nan() { 0.0 } else { digits };
            if !(0.0..=100.0).contains(&digits) {
                return Err(Trap::range_error(
                    "toFixed() digits argument must be between 0 and 100",
                ));
            }
            let s = crate::js::number::to_fixed(n, digits as u32).ok_or_else(|| {
                Trap::range_error("toFixed() digits argument must be between 0 and 100")
            })?;
            Ok(Value::Str(vm.arena.alloc_str(&s)))
        }
        "toString" => {
            let radix = match a0 {
                Value::Undefined => 10.0,
                r => to_number(vm, r)?.trunc(),
            };
            if !(2.0..=36.0).contains(&radix) {
                return Err(Trap::range_error(
                    "toString() radix must be between 2 and 36",
                ));
            }
            let s = crate::js::number::to_radix_string(n, radix as u32)
                .ok_or_else(|| Trap::range_error("toString() radix must be between 2 and 36"))?;
            Ok(Value::Str(vm.arena.alloc_str(&s)))
        }
        "valueOf" => Ok(Value::Num(n)),
        _ => Err(Trap::type_error(format!(
            "'{key}' is not a function on a number"
        ))),
    }
}
