//! `Object.*`, object spread and rest, and JS own-property order.

use super::array;
use crate::interp::{Vm, to_property_key};
use crate::trap::{Trap, TrapKind};
use crate::value::{Array, Class, Object, Value};
use bumpalo::collections::Vec as BVec;

/// Own enumerable properties in JS order: integer-like keys ascending, then
/// the others in insertion order.
pub fn own_entries<'a>(vm: &Vm<'a, '_>, v: Value<'a>) -> BVec<'a, (&'a str, Value<'a>)> {
    let mut out = BVec::new_in(vm.arena);
    match v {
        Value::Object(o) => out.extend(o.props.borrow().iter().copied()),
        Value::FrozenObject(fo) => out.extend(fo.props.iter().map(|(k, fv)| (&**k, vm.thaw(fv)))),
        Value::Array(_) | Value::FrozenArray(_) => {
            for i in 0..array::len(v) {
                let key: &'a str = vm.arena.alloc_str(&i.to_string());
                out.push((key, array::get(vm, v, i)));
            }
            return out;
        }
        Value::Str(s) => {
            // Object.keys("ab") is ["0", "1"]: one entry per UTF-16 code unit.
            for i in 0..crate::js::string::utf16_len(s) {
                let key: &'a str = vm.arena.alloc_str(&i.to_string());
                out.push((key, super::string::char_at_index(vm, s, i)));
            }
            return out;
        }
        _ => return out,
    }
    if out
        .iter()
        .any(|(k, _)| crate::js::number::is_array_index(k).is_some())
    {
        let mut indexed: Vec<(u32, &'a str, Value<'a>)> = Vec::new();
        let mut named: Vec<(&'a str, Value<'a>)> = Vec::new();
        for (k, val) in out.iter().copied() {
            match crate::js::number::is_array_index(k) {
                Some(i) => indexed.push((i, k, val)),
                None => named.push((k, val)),
            }
        }
        indexed.sort_by_key(|(i, _, _)| *i);
        out.clear();
        out.extend(indexed.into_iter().map(|(_, k, v)| (k, v)));
        out.extend(named);
    }
    out
}

fn require_object<'a>(v: Value<'a>, what: &str) -> Result<Value<'a>, Trap> {
    match v {
        Value::Undefined => Err(Trap::type_error(format!("{what} called on undefined"))),
        _ => Ok(v),
    }
}

fn array_of<'a>(vm: &Vm<'a, '_>, items: impl IntoIterator<Item = Value<'a>>) -> Value<'a> {
    Value::Array(Array::from_iter_in(vm.arena, items))
}

/// `Object.keys(v)`.
pub fn keys<'a>(vm: &mut Vm<'a, '_>, v: Value<'a>) -> Result<Value<'a>, Trap> {
    let v = require_object(v, "Object.keys")?;
    let entries = own_entries(vm, v);
    Ok(array_of(vm, entries.iter().map(|(k, _)| Value::Str(k))))
}

/// `Object.values(v)`.
pub fn values<'a>(vm: &mut Vm<'a, '_>, v: Value<'a>) -> Result<Value<'a>, Trap> {
    let v = require_object(v, "Object.values")?;
    let entries = own_entries(vm, v);
    Ok(array_of(vm, entries.iter().map(|(_, val)| *val)))
}

/// `Object.entries(v)`.
pub fn entries<'a>(vm: &mut Vm<'a, '_>, v: Value<'a>) -> Result<Value<'a>, Trap> {
    let v = require_object(v, "Object.entries")?;
    let entries = own_entries(vm, v);
    let pairs: BVec<'a, Value<'a>> = {
        let mut p = BVec::with_capacity_in(entries.len(), vm.arena);
        for (k, val) in &entries {
            p.push(Value::Array(Array::from_iter_in(
                vm.arena,
                [Value::Str(k), *val],
            )));
        }
        p
    };
    Ok(array_of(vm, pairs))
}

/// `Object.hasOwn(v, key)`.
pub fn has_own<'a>(vm: &Vm<'a, '_>, v: Value<'a>, key: &str) -> bool {
    match v {
        Value::Object(_) | Value::FrozenObject(_) => super::own_property(vm, v, key).is_some(),
        Value::Array(_) | Value::FrozenArray(_) => {
            crate::js::number::is_array_index(key).is_some_and(|i| (i as usize) < array::len(v))
        }
        _ => false,
    }
}

/// `Object.fromEntries(iterable of [key, value])`.
pub fn from_entries<'a>(vm: &mut Vm<'a, '_>, src: Value<'a>) -> Result<Value<'a>, Trap> {
    let items = super::iterate(vm, src)?;
    let obj = Object::new_in(vm.arena, Class::Plain);
    for pair in items {
        let k = array::get(vm, pair, 0);
        let v = array::get(vm, pair, 1);
        let k = to_property_key(vm, k)?;
        obj.set(k, v);
    }
    Ok(Value::Object(obj))
}

/// `{ ...src }` into `dst`.
pub fn spread_into<'a>(vm: &mut Vm<'a, '_>, dst: Value<'a>, src: Value<'a>) -> Result<(), Trap> {
    let Value::Object(target) = dst else {
        return Err(Trap::new(
            TrapKind::Internal,
            "object_spread into a non-object",
        ));
    };
    for (k, v) in own_entries(vm, src) {
        target.set(k, v);
    }
    Ok(())
}

/// `const { a, ...rest } = src`.
pub fn rest<'a>(
    vm: &mut Vm<'a, '_>,
    src: Value<'a>,
    exclude: &[&'a str],
) -> Result<Value<'a>, Trap> {
    if src.is_undefined() {
        return Err(Trap::type_error("cannot destructure undefined"));
    }
    let obj = Object::new_in(vm.arena, Class::Plain);
    for (k, v) in own_entries(vm, src) {
        if !exclude.contains(&k) {
            obj.set(k, v);
        }
    }
    Ok(Value::Object(obj))
}
