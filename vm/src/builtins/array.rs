//! Array methods. Arena arrays are mutable; frozen (module-level) arrays are
//! readable by every non-mutating method and refuse the mutating ones.
//! No `RefCell` borrow is held across a call back into JS.

use super::{call_value, iterate};
use crate::interp::{Vm, to_number};
use crate::trap::{Trap, TrapKind};
use crate::value::{Array, Value, same_value_zero, strict_eq};
use bumpalo::collections::{String as BString, Vec as BVec};

/// Largest array length we allow to be created (keeps a bad `length` from exhausting memory).
const MAX_LENGTH: f64 = 16_777_216.0;

/// Length of an array value (0 for non-arrays).
pub fn len(v: Value<'_>) -> usize {
    match v {
        Value::Array(a) => a.items.borrow().len(),
        Value::FrozenArray(fa) => fa.items.len(),
        _ => 0,
    }
}

/// Element `i` (undefined past the end).
pub fn get<'a>(vm: &Vm<'a, '_>, v: Value<'a>, i: usize) -> Value<'a> {
    match v {
        Value::Array(a) => a.items.borrow().get(i).copied().unwrap_or(Value::Undefined),
        Value::FrozenArray(fa) => fa.items.get(i).map_or(Value::Undefined, |x| vm.thaw(x)),
        _ => Value::Undefined,
    }
}

/// `a[i] = v`, growing with undefined holes.
pub fn set<'a>(vm: &mut Vm<'a, '_>, a: &'a Array<'a>, i: usize, v: Value<'a>) -> Result<(), Trap> {
    let mut items = a.items.borrow_mut();
    if i >= items.len() {
        if i as f64 >= MAX_LENGTH {
            return Err(Trap::range_error("invalid array length"));
        }
        items.resize(i + 1, Value::Undefined);
    }
    items[i] = v;
    drop(items);
    vm.check_arena()
}

/// `a.length = n`.
pub fn set_length<'a>(vm: &mut Vm<'a, '_>, a: &'a Array<'a>, n: f64) -> Result<(), Trap> {
    if !(0.0..MAX_LENGTH).contains(&n) || n.fract() != 0.0 {
        return Err(Trap::range_error("invalid array length"));
    }
    a.items.borrow_mut().resize(n as usize, Value::Undefined);
    vm.check_arena()
}

fn mutable<'a>(v: Value<'a>, method: &str) -> Result<&'a Array<'a>, Trap> {
    match v {
        Value::Array(a) => Ok(a),
        Value::FrozenArray(_) => Err(Trap::new(
            TrapKind::FrozenWrite,
            format!("cannot call '{method}' on a module-level array: it is frozen after load"),
        )),
        _ => Err(Trap::new(TrapKind::Internal, "array method on a non-array")),
    }
}

fn callable<'a>(f: Value<'a>, method: &str) -> Result<Value<'a>, Trap> {
    if f.is_callable() {
        Ok(f)
    } else {
        Err(Trap::type_error(format!(
            "{method}: callback is not a function"
        )))
    }
}

/// Relative index as `slice`/`at` interpret it.
fn relative(n: f64, len: usize) -> usize {
    let len_f = len as f64;
    let n = if n.is_nan() { 0.0 } else { n.trunc() };
    if n < 0.0 {
        (len_f + n).max(0.0) as usize
    } else {
        n.min(len_f) as usize
    }
}

fn arg<'a>(args: &[Value<'a>], i: usize) -> Value<'a> {
    args.get(i).copied().unwrap_or(Value::Undefined)
}

thread_local! {
    /// The arrays being joined on this thread, innermost last: ToString of
    /// nested arrays recurses through `join`.
    static JOINING: std::cell::RefCell<Vec<usize>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Pops the array [`join`] pushed, also when the join fails.
struct Joining;

impl Drop for Joining {
    fn drop(&mut self) {
        JOINING.with(|j| j.borrow_mut().pop());
    }
}

/// `arr.join(sep)`. An array that contains itself (at any depth) joins as
/// `""` there, as in V8; nesting beyond [`super::MAX_NESTING`] is a RangeError.
pub fn join<'a>(vm: &mut Vm<'a, '_>, v: Value<'a>, sep: &str) -> Result<&'a str, Trap> {
    let addr = match v {
        Value::Array(a) => std::ptr::from_ref(a) as usize,
        Value::FrozenArray(a) => std::ptr::from_ref(a) as usize,
        _ => 0,
    };
    let level = JOINING.with(|j| {
        let mut j = j.borrow_mut();
        if j.contains(&addr) {
            None
        } else {
            j.push(addr);
            Some(j.len())
        }
    });
    let Some(level) = level else {
        return Ok("");
    };
    let _pop = Joining;
    super::nested(level, "Array.prototype.join", || join_items(vm, v, sep))
}

fn join_items<'a>(vm: &mut Vm<'a, '_>, v: Value<'a>, sep: &str) -> Result<&'a str, Trap> {
    let mut out = BString::new_in(vm.arena);
    for i in 0..len(v) {
        if i > 0 {
            out.push_str(sep);
        }
        let item = get(vm, v, i);
        if !item.is_undefined() {
            crate::interp::append_value(vm, &mut out, item)?;
        }
    }
    vm.check_arena()?;
    Ok(out.into_bump_str())
}

fn new_array<'a>(vm: &Vm<'a, '_>, items: BVec<'a, Value<'a>>) -> Value<'a> {
    Value::Array(vm.arena.alloc(Array {
        items: std::cell::RefCell::new(items),
    }))
}

/// Calls `f(item, index, arr)` where `item` is `arr[i]` read before the
/// call (the callback may change the array). Returns the callback's result
/// alone: a `(item, result)` pair in a `Result` went back through the stack
/// in pieces on every element.
fn visit<'a>(
    vm: &mut Vm<'a, '_>,
    f: Value<'a>,
    item: Value<'a>,
    arr: Value<'a>,
    i: usize,
) -> Result<Value<'a>, Trap> {
    call_value(vm, f, &[item, Value::Num(i as f64), arr])
}

/// `Array.from(src, mapFn?)`.
pub fn from<'a>(vm: &mut Vm<'a, '_>, src: Value<'a>, map: Value<'a>) -> Result<Value<'a>, Trap> {
    let items = match src {
        Value::Object(_) | Value::FrozenObject(_) => {
            // Array-like: { length: n }.
            let len = super::get_property(vm, src, "length")?;
            let n = to_number(vm, len)?;
            let n = if n.is_finite() && n > 0.0 {
                n.min(MAX_LENGTH) as usize
            } else {
                0
            };
            let mut v = BVec::with_capacity_in(n, vm.arena);
            v.resize(n, Value::Undefined);
            v
        }
        _ => iterate(vm, src)?,
    };
    let mut items = items;
    if !map.is_undefined() {
        let f = callable(map, "Array.from")?;
        for i in 0..items.len() {
            items[i] = call_value(vm, f, &[items[i], Value::Num(i as f64)])?;
        }
    }
    Ok(new_array(vm, items))
}

/// Stable merge sort with a fallible comparator.
fn sort_values<'a>(
    vm: &mut Vm<'a, '_>,
    items: &mut [Value<'a>],
    cmp: Value<'a>,
) -> Result<(), Trap> {
    // undefined always sorts last and is never passed to the comparator.
    let defined = {
        let mut w = 0;
        for r in 0..items.len() {
            if !items[r].is_undefined() {
                items.swap(w, r);
                w += 1;
            }
        }
        w
    };
    let slice = &mut items[..defined];
    let mut keys: Option<BVec<'a, &'a str>> = None;
    if cmp.is_undefined() {
        let mut k = BVec::with_capacity_in(slice.len(), vm.arena);
        for v in slice.iter() {
            k.push(crate::interp::to_property_key(vm, *v)?);
        }
        keys = Some(k);
    }
    let n = slice.len();
    let mut idx: Vec<usize> = (0..n).collect();
    let mut buf = vec![0usize; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut o) = (start, mid, start);
            while i < mid && j < end {
                let after = if let Some(k) = &keys {
                    crate::js::string::compare_utf16(k[idx[j]], k[idx[i]]).is_lt()
                } else {
                    let r = call_value(vm, cmp, &[slice[idx[j]], slice[idx[i]]])?;
                    to_number(vm, r)? < 0.0
                };
                if after {
                    buf[o] = idx[j];
                    j += 1;
                } else {
                    buf[o] = idx[i];
                    i += 1;
                }
                o += 1;
            }
            buf[o..o + (mid - i)].copy_from_slice(&idx[i..mid]);
            let o2 = o + (mid - i);
            buf[o2..o2 + (end - j)].copy_from_slice(&idx[j..end]);
            start = end;
        }
        std::mem::swap(&mut idx, &mut buf);
        width *= 2;
    }
    let sorted: Vec<Value<'a>> = idx.iter().map(|&i| slice[i]).collect();
    slice.copy_from_slice(&sorted);
    Ok(())
}

fn flatten_into<'a>(
    vm: &mut Vm<'a, '_>,
    out: &mut BVec<'a, Value<'a>>,
    v: Value<'a>,
    depth: f64,
    level: usize,
) -> Result<(), Trap> {
    for i in 0..len(v) {
        let item = get(vm, v, i);
        if depth >= 1.0 && item.is_array() {
            super::nested(level + 1, "Array.prototype.flat", || {
                flatten_into(vm, out, item, depth - 1.0, level + 1)
            })?;
        } else {
            out.push(item);
        }
    }
    vm.check_arena()
}

/// `a.push(...items)`: the new length.
pub(crate) fn push<'a>(
    vm: &Vm<'a, '_>,
    a: &'a Array<'a>,
    items: &[Value<'a>],
) -> Result<Value<'a>, Trap> {
    let len = {
        let mut list = a.items.borrow_mut();
        list.extend(items.iter().copied());
        list.len()
    };
    vm.check_arena()?;
    Ok(Value::Num(len as f64))
}

/// Array method dispatch.
pub fn call_method<'a>(
    vm: &mut Vm<'a, '_>,
    arr: Value<'a>,
    key: &str,
    args: &[Value<'a>],
) -> Result<Value<'a>, Trap> {
    let n = len(arr);
    let a0 = arg(args, 0);
    Ok(match key {
        "push" => push(vm, mutable(arr, key)?, args)?,
        "pop" => mutable(arr, key)?
            .items
            .borrow_mut()
            .pop()
            .unwrap_or(Value::Undefined),
        "shift" => {
            let a = mutable(arr, key)?;
            let mut items = a.items.borrow_mut();
            if items.is_empty() {
                Value::Undefined
            } else {
                items.remove(0)
            }
        }
        "unshift" => {
            let a = mutable(arr, key)?;
            let mut items = a.items.borrow_mut();
            for (i, v) in args.iter().enumerate() {
                items.insert(i, *v);
            }
            Value::Num(items.len() as f64)
        }
        "slice" => {
            let start = relative(to_number(vm, a0)?, n);
            let end = match arg(args, 1) {
                Value::Undefined => n,
                e => relative(to_number(vm, e)?, n),
            };
            let mut out = BVec::new_in(vm.arena);
            for i in start..end.max(start) {
                out.push(get(vm, arr, i));
            }
            new_array(vm, out)
        }
        "splice" => {
            let a = mutable(arr, key)?;
            let start = relative(to_number(vm, a0)?, n);
            let count = match arg(args, 1) {
                Value::Undefined if args.len() < 2 => n - start,
                c => {
                    let c = to_number(vm, c)?;
                    if c.is_nan() {
                        0
                    } else {
                        c.trunc().max(0.0).min((n - start) as f64) as usize
                    }
                }
            };
            let mut items = a.items.borrow_mut();
            let removed: BVec<'a, Value<'a>> = {
                let mut r = BVec::with_capacity_in(count, vm.arena);
                r.extend(items.drain(start..start + count));
                r
            };
            for (i, v) in args.iter().skip(2).enumerate() {
                items.insert(start + i, *v);
            }
            drop(items);
            new_array(vm, removed)
        }
        "concat" => {
            let mut out = BVec::new_in(vm.arena);
            for i in 0..n {
                out.push(get(vm, arr, i));
            }
            for a in args {
                if a.is_array() {
                    for i in 0..len(*a) {
                        out.push(get(vm, *a, i));
                    }
                } else {
                    out.push(*a);
                }
            }
            new_array(vm, out)
        }
        "join" => {
            let sep = match a0 {
                Value::Undefined => ",",
                s => crate::interp::to_property_key(vm, s)?,
            };
            Value::Str(join(vm, arr, sep)?)
        }
        "toString" => Value::Str(join(vm, arr, ",")?),
        "indexOf" | "lastIndexOf" | "includes" => {
            let from = match arg(args, 1) {
                Value::Undefined => None,
                f => Some(to_number(vm, f)?),
            };
            let found = if key == "lastIndexOf" {
                let start = match from {
                    None => n as f64 - 1.0,
                    Some(f) if f < 0.0 => n as f64 + f.trunc(),
                    Some(f) => f.trunc().min(n as f64 - 1.0),
                };
                let mut r = None;
                let mut i = start;
                while i >= 0.0 {
                    if strict_eq(get(vm, arr, i as usize), a0) {
                        r = Some(i as usize);
                        break;
                    }
                    i -= 1.0;
                }
                r
            } else {
                let start = relative(from.unwrap_or(0.0), n);
                (start..n).find(|&i| {
                    let v = get(vm, arr, i);
                    if key == "includes" {
                        same_value_zero(v, a0)
                    } else {
                        strict_eq(v, a0)
                    }
                })
            };
            if key == "includes" {
                Value::Bool(found.is_some())
            } else {
                Value::Num(found.map_or(-1.0, |i| i as f64))
            }
        }
        "at" => {
            let i = to_number(vm, a0)?;
            let i = if i.is_nan() { 0.0 } else { i.trunc() };
            let idx = if i < 0.0 { n as f64 + i } else { i };
            if idx < 0.0 || idx >= n as f64 {
                Value::Undefined
            } else {
                get(vm, arr, idx as usize)
            }
        }
        "map" => {
            let f = callable(a0, key)?;
            let mut out = BVec::with_capacity_in(n, vm.arena);
            for i in 0..n {
                let item = get(vm, arr, i);
                out.push(visit(vm, f, item, arr, i)?);
            }
            new_array(vm, out)
        }
        "filter" => {
            let f = callable(a0, key)?;
            let mut out = BVec::new_in(vm.arena);
            for i in 0..n {
                let item = get(vm, arr, i);
                let keep = visit(vm, f, item, arr, i)?;
                if keep.truthy() {
                    out.push(item);
                }
            }
            new_array(vm, out)
        }
        "forEach" => {
            let f = callable(a0, key)?;
            for i in 0..n {
                let item = get(vm, arr, i);
                visit(vm, f, item, arr, i)?;
            }
            Value::Undefined
        }
        "every" | "some" => {
            let f = callable(a0, key)?;
            let want = key == "some";
            let mut result = !want;
            for i in 0..n {
                let item = get(vm, arr, i);
                if visit(vm, f, item, arr, i)?.truthy() == want {
                    result = want;
                    break;
                }
            }
            Value::Bool(result)
        }
        "find" | "findIndex" | "findLast" | "findLastIndex" => {
            let f = callable(a0, key)?;
            let backwards = key.starts_with("findLast");
            let want_index = key.ends_with("Index");
            let mut found = None;
            for step in 0..n {
                let i = if backwards { n - 1 - step } else { step };
                let item = get(vm, arr, i);
                let hit = visit(vm, f, item, arr, i)?;
                if hit.truthy() {
                    found = Some((i, item));
                    break;
                }
            }
            match (found, want_index) {
                (Some((i, _)), true) => Value::Num(i as f64),
                (None, true) => Value::Num(-1.0),
                (Some((_, item)), false) => item,
                (None, false) => Value::Undefined,
            }
        }
        "reduce" | "reduceRight" => {
            let f = callable(a0, key)?;
            // Step k visits index k (reduce) or n - 1 - k (reduceRight).
            let forward = key == "reduce";
            let index = |k: usize| if forward { k } else { n - 1 - k };
            let (mut acc, first) = if args.len() >= 2 {
                (args[1], 0)
            } else if n == 0 {
                return Err(Trap::type_error(
                    "reduce of empty array with no initial value",
                ));
            } else {
                (get(vm, arr, index(0)), 1)
            };
            for k in first..n {
                let i = index(k);
                let item = get(vm, arr, i);
                acc = call_value(vm, f, &[acc, item, Value::Num(i as f64), arr])?;
            }
            acc
        }
        "sort" | "toSorted" => {
            if !a0.is_undefined() {
                callable(a0, key)?;
            }
            let mut items: BVec<'a, Value<'a>> = BVec::with_capacity_in(n, vm.arena);
            for i in 0..n {
                items.push(get(vm, arr, i));
            }
            sort_values(vm, &mut items, a0)?;
            if key == "sort" {
                let a = mutable(arr, key)?;
                let mut dst = a.items.borrow_mut();
                dst.clear();
                dst.extend(items.iter().copied());
                arr
            } else {
                new_array(vm, items)
            }
        }
        "reverse" => {
            mutable(arr, key)?.items.borrow_mut().reverse();
            arr
        }
        "toReversed" => {
            let mut out = BVec::with_capacity_in(n, vm.arena);
            for i in (0..n).rev() {
                out.push(get(vm, arr, i));
            }
            new_array(vm, out)
        }
        "flat" => {
            let depth = match a0 {
                Value::Undefined => 1.0,
                d => to_number(vm, d)?,
            };
            let mut out = BVec::new_in(vm.arena);
            flatten_into(
                vm,
                &mut out,
                arr,
                if depth.is_nan() { 0.0 } else { depth },
                0,
            )?;
            new_array(vm, out)
        }
        "flatMap" => {
            let f = callable(a0, key)?;
            let mut out = BVec::new_in(vm.arena);
            for i in 0..n {
                let item = get(vm, arr, i);
                let r = visit(vm, f, item, arr, i)?;
                if r.is_array() {
                    for j in 0..len(r) {
                        out.push(get(vm, r, j));
                    }
                } else {
                    out.push(r);
                }
            }
            new_array(vm, out)
        }
        "fill" => {
            let a = mutable(arr, key)?;
            let start = match arg(args, 1) {
                Value::Undefined => 0,
                s => relative(to_number(vm, s)?, n),
            };
            let end = match arg(args, 2) {
                Value::Undefined => n,
                e => relative(to_number(vm, e)?, n),
            };
            let mut items = a.items.borrow_mut();
            for slot in items.iter_mut().take(end).skip(start) {
                *slot = a0;
            }
            arr
        }
        "keys" | "values" | "entries" => {
            let kind = match key {
                "keys" => super::iter::IndexedKind::Keys,
                "values" => super::iter::IndexedKind::Values,
                _ => super::iter::IndexedKind::Entries,
            };
            super::iter::value(vm, super::iter::Iter::Indexed { arr, i: 0, kind })
        }
        _ => {
            return Err(Trap::type_error(format!(
                "'{key}' is not a function on an array"
            )));
        }
    })
}
