//! `Result.ok/err` and the Result methods (reference-language section 4):
//! a Result is an object `{ ok: true, value }` or `{ ok: false, error }`.

use super::{call_value, get_property};
use crate::interp::Vm;
use crate::trap::Trap;
use crate::value::{Class, Object, Value};

/// `Result.ok(v)`.
pub fn ok<'a>(vm: &Vm<'a, '_>, v: Value<'a>) -> Value<'a> {
    let r = Object::with_capacity_in(vm.arena, Class::Result, 2);
    r.set("ok", Value::Bool(true));
    r.set("value", v);
    Value::Object(r)
}

/// `Result.err(e)`.
pub fn err<'a>(vm: &Vm<'a, '_>, e: Value<'a>) -> Value<'a> {
    let r = Object::with_capacity_in(vm.arena, Class::Result, 2);
    r.set("ok", Value::Bool(false));
    r.set("error", e);
    Value::Object(r)
}

/// Methods of a Result (arena or frozen).
pub fn method<'a>(
    vm: &mut Vm<'a, '_>,
    r: Value<'a>,
    key: &str,
    args: &[Value<'a>],
) -> Result<Value<'a>, Trap> {
    let is_ok = get_property(vm, r, "ok")?.truthy();
    let value = get_property(vm, r, "value")?;
    let error = get_property(vm, r, "error")?;
    let a0 = args.first().copied().unwrap_or(Value::Undefined);
    Ok(match key {
        "isOk" => Value::Bool(is_ok),
        "isErr" => Value::Bool(!is_ok),
        "unwrap" => {
            if !is_ok {
                let shown = crate::interp::to_property_key(vm, error)?;
                return Err(Trap::type_error(format!(
                    "called unwrap() on an err Result: {shown}"
                )));
            }
            value
        }
        "unwrapOr" => {
            if is_ok {
                value
            } else {
                a0
            }
        }
        "unwrapErr" => {
            if is_ok {
                return Err(Trap::type_error("called unwrapErr() on an ok Result"));
            }
            error
        }
        "map" => {
            if is_ok {
                let v = call_value(vm, a0, &[value])?;
                ok(vm, v)
            } else {
                r
            }
        }
        "mapErr" => {
            if is_ok {
                r
            } else {
                let e = call_value(vm, a0, &[error])?;
                err(vm, e)
            }
        }
        "andThen" => {
            if is_ok {
                call_value(vm, a0, &[value])?
            } else {
                r
            }
        }
        "match" => {
            let branch = get_property(vm, a0, if is_ok { "ok" } else { "err" })?;
            call_value(vm, branch, &[if is_ok { value } else { error }])?
        }
        _ => {
            return Err(Trap::type_error(format!(
                "'{key}' is not a function on a Result"
            )));
        }
    })
}
