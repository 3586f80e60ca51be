//! `Map()` and `Set()` factories and their methods (SameValueZero keys,
//! insertion order, `size`, `forEach`, `keys/values/entries`).

use super::{call_value, iterate};
use crate::interp::Vm;
use crate::trap::Trap;
use crate::value::{MapObj, Value};

/// `Map(entries?)`.
pub fn new_map<'a>(vm: &mut Vm<'a, '_>, init: Value<'a>) -> Result<Value<'a>, Trap> {
    let m = MapObj::new_in(vm.arena);
    if !init.is_undefined() {
        for pair in iterate(vm, init)? {
            let k = super::array::get(vm, pair, 0);
            let v = super::array::get(vm, pair, 1);
            insert(m, k, v);
        }
    }
    Ok(Value::Map(m))
}

/// `Set(values?)`.
pub fn new_set<'a>(vm: &mut Vm<'a, '_>, init: Value<'a>) -> Result<Value<'a>, Trap> {
    let s = MapObj::new_in(vm.arena);
    if !init.is_undefined() {
        for v in iterate(vm, init)? {
            insert(s, v, v);
        }
    }
    Ok(Value::Set(s))
}

fn normalize(k: Value<'_>) -> Value<'_> {
    // -0 and +0 are the same key; adding +0 turns -0 into +0 and keeps the rest.
    match k {
        Value::Num(n) => Value::Num(n + 0.0),
        other => other,
    }
}

fn insert<'a>(m: &MapObj<'a>, k: Value<'a>, v: Value<'a>) {
    let k = normalize(k);
    match m.find(k) {
        Some(i) => m.entries.borrow_mut()[i].1 = v,
        None => m.entries.borrow_mut().push((k, v)),
    }
}

fn common<'a>(
    vm: &mut Vm<'a, '_>,
    m: &'a MapObj<'a>,
    this: Value<'a>,
    key: &str,
    args: &[Value<'a>],
) -> Result<Option<Value<'a>>, Trap> {
    let a0 = args.first().copied().unwrap_or(Value::Undefined);
    Ok(Some(match key {
        "has" => Value::Bool(m.find(normalize(a0)).is_some()),
        "delete" => match m.find(normalize(a0)) {
            Some(i) => {
                m.entries.borrow_mut().remove(i);
                Value::Bool(true)
            }
            None => Value::Bool(false),
        },
        "clear" => {
            m.entries.borrow_mut().clear();
            Value::Undefined
        }
        "forEach" => {
            let mut i = 0;
            loop {
                let e = m.entries.borrow().get(i).copied();
                let Some((k, v)) = e else { break };
                call_value(vm, a0, &[v, k, this])?;
                i += 1;
            }
            Value::Undefined
        }
        _ => return Ok(None),
    }))
}

/// Map method dispatch.
pub fn map_method<'a>(
    vm: &mut Vm<'a, '_>,
    m: &'a MapObj<'a>,
    key: &str,
    args: &[Value<'a>],
) -> Result<Value<'a>, Trap> {
    let a0 = args.first().copied().unwrap_or(Value::Undefined);
    if let Some(v) = common(vm, m, Value::Map(m), key, args)? {
        return Ok(v);
    }
    Ok(match key {
        "get" => m
            .find(normalize(a0))
            .map_or(Value::Undefined, |i| m.entries.borrow()[i].1),
        "set" => {
            insert(m, a0, args.get(1).copied().unwrap_or(Value::Undefined));
            vm.check_arena()?;
            Value::Map(m)
        }
        "keys" => super::iter::value(vm, super::iter::Iter::MapKeys { map: m, i: 0 }),
        "values" => super::iter::value(vm, super::iter::Iter::MapValues { map: m, i: 0 }),
        "entries" => super::iter::value(vm, super::iter::Iter::MapEntries { map: m, i: 0 }),
        _ => {
            return Err(Trap::type_error(format!(
                "'{key}' is not a function on a Map"
            )));
        }
    })
}

/// Set method dispatch.
pub fn set_method<'a>(
    vm: &mut Vm<'a, '_>,
    s: &'a MapObj<'a>,
    key: &str,
    args: &[Value<'a>],
) -> Result<Value<'a>, Trap> {
    let a0 = args.first().copied().unwrap_or(Value::Undefined);
    if let Some(v) = common(vm, s, Value::Set(s), key, args)? {
        return Ok(v);
    }
    Ok(match key {
        "add" => {
            insert(s, a0, a0);
            vm.check_arena()?;
            Value::Set(s)
        }
        "keys" | "values" => super::iter::value(vm, super::iter::Iter::MapKeys { map: s, i: 0 }),
        "entries" => super::iter::value(vm, super::iter::Iter::SetEntries { map: s, i: 0 }),
        _ => {
            return Err(Trap::type_error(format!(
                "'{key}' is not a function on a Set"
            )));
        }
    })
}
