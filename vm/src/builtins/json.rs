//! `JSON.stringify` and `JSON.parse` over VM values (DESIGN section 10:
//! JSON `null` parses to undefined; invalid input gives undefined; undefined
//! properties are omitted and undefined array items become `null`; indent
//! supported; property order is JS order).

use super::array;
use super::object::own_entries;
use crate::interp::{Vm, to_number};
use crate::js::json::{JsonSink, parse_json};
use crate::trap::Trap;
use crate::value::{Array, Class, Object, Value};
use bumpalo::Bump;
use bumpalo::collections::{String as BString, Vec as BVec};

/// Nesting limit for both directions (deeper input is an error, never a stack overflow).
pub const MAX_DEPTH: usize = 512;

struct Writer<'a, 'o> {
    out: &'o mut BString<'a>,
    indent: &'a str,
    /// Addresses of the objects being written, to detect cycles (inline up
    /// to 32 levels, so ordinary documents allocate nothing here).
    stack: smallvec::SmallVec<[usize; 32]>,
}

fn address(v: Value<'_>) -> usize {
    match v {
        Value::Object(o) => std::ptr::from_ref(o) as usize,
        Value::Array(a) => std::ptr::from_ref(a) as usize,
        Value::FrozenObject(o) => std::ptr::from_ref(o) as usize,
        Value::FrozenArray(a) => std::ptr::from_ref(a) as usize,
        _ => 0,
    }
}

/// Whether `v` is written at all as an object property (undefined and functions are skipped).
fn is_skipped(v: Value<'_>) -> bool {
    v.is_undefined() || v.is_callable()
}

impl<'a> Writer<'a, '_> {
    fn newline(&mut self) {
        if !self.indent.is_empty() {
            self.out.push('\n');
            for _ in 0..self.stack.len() {
                self.out.push_str(self.indent);
            }
        }
    }

    fn value(&mut self, vm: &mut Vm<'a, '_>, v: Value<'a>) -> Result<(), Trap> {
        match v {
            v if is_skipped(v) => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if b { "true" } else { "false" }),
            Value::Num(n) => {
                crate::js::json::write_json_number(n, self.out);
            }
            Value::Str(s) => crate::js::json::write_json_string(s, self.out),
            Value::Array(_) | Value::FrozenArray(_) => {
                self.enter(v)?;
                self.out.push('[');
                let n = array::len(v);
                for i in 0..n {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.newline();
                    let item = array::get(vm, v, i);
                    self.value(vm, item)?;
                }
                self.stack.pop();
                if n > 0 {
                    self.newline();
                }
                self.out.push(']');
            }
            Value::Object(_) | Value::FrozenObject(_) => {
                self.enter(v)?;
                self.out.push('{');
                let mut first = true;
                for (k, pv) in own_entries(vm, v) {
                    if is_skipped(pv) {
                        continue;
                    }
                    if !first {
                        self.out.push(',');
                    }
                    first = false;
                    self.newline();
                    crate::js::json::write_json_string(k, self.out);
                    self.out.push(':');
                    if !self.indent.is_empty() {
                        self.out.push(' ');
                    }
                    self.value(vm, pv)?;
                }
                self.stack.pop();
                if !first {
                    self.newline();
                }
                self.out.push('}');
            }
            _ => self.out.push_str("{}"),
        }
        vm.check_arena()
    }

    fn enter(&mut self, v: Value<'_>) -> Result<(), Trap> {
        let addr = address(v);
        if self.stack.contains(&addr) {
            return Err(Trap::type_error("converting circular structure to JSON"));
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(Trap::range_error("JSON.stringify: value nested too deeply"));
        }
        self.stack.push(addr);
        Ok(())
    }
}

/// `JSON.stringify(v, _, indent)`; undefined (and functions) at top level give undefined.
pub fn stringify<'a>(
    vm: &mut Vm<'a, '_>,
    v: Value<'a>,
    indent: Value<'a>,
) -> Result<Value<'a>, Trap> {
    if is_skipped(v) {
        return Ok(Value::Undefined);
    }
    let indent: &'a str = match indent {
        Value::Num(_) => {
            let n = to_number(vm, indent)?.clamp(0.0, 10.0) as usize;
            &"          "[..n]
        }
        Value::Str(s) => {
            let end = s.char_indices().nth(10).map_or(s.len(), |(i, _)| i);
            &s[..end]
        }
        _ => "",
    };
    let mut out = BString::new_in(vm.arena);
    let mut w = Writer {
        out: &mut out,
        indent,
        stack: smallvec::SmallVec::new(),
    };
    w.value(vm, v)?;
    Ok(Value::Str(out.into_bump_str()))
}

/// Writes `v` as JSON into `out` (for `Response.json`).
pub fn write<'a>(vm: &mut Vm<'a, '_>, out: &mut BString<'a>, v: Value<'a>) -> Result<(), Trap> {
    let mut w = Writer {
        out,
        indent: "",
        stack: smallvec::SmallVec::new(),
    };
    w.value(vm, v)
}

struct Sink<'a> {
    arena: &'a Bump,
}

impl<'a> JsonSink for Sink<'a> {
    type Value = Value<'a>;
    type Array = BVec<'a, Value<'a>>;
    type Object = &'a Object<'a>;

    fn null(&mut self) -> Value<'a> {
        Value::Undefined
    }
    fn boolean(&mut self, b: bool) -> Value<'a> {
        Value::Bool(b)
    }
    fn number(&mut self, n: f64) -> Value<'a> {
        Value::Num(n)
    }
    fn string(&mut self, s: &str) -> Value<'a> {
        Value::Str(self.arena.alloc_str(s))
    }
    fn begin_array(&mut self) -> Self::Array {
        BVec::new_in(self.arena)
    }
    fn push(&mut self, array: &mut Self::Array, v: Value<'a>) {
        array.push(v);
    }
    fn end_array(&mut self, array: Self::Array) -> Value<'a> {
        Value::Array(self.arena.alloc(Array {
            items: std::cell::RefCell::new(array),
        }))
    }
    fn begin_object(&mut self) -> Self::Object {
        Object::new_in(self.arena, Class::Plain)
    }
    fn insert(&mut self, object: &mut Self::Object, key: &str, v: Value<'a>) {
        let key = self.arena.alloc_str(key);
        object.set(key, v);
    }
    fn end_object(&mut self, object: Self::Object) -> Value<'a> {
        Value::Object(object)
    }
}

/// Parses JSON text; `None` when it is not valid JSON.
pub fn parse_str<'a>(vm: &mut Vm<'a, '_>, text: &str) -> Result<Option<Value<'a>>, Trap> {
    let mut sink = Sink { arena: vm.arena };
    let parsed = parse_json(text, &mut sink, MAX_DEPTH).ok();
    vm.check_arena()?;
    Ok(parsed)
}

/// `JSON.parse(s)`: the value, or undefined when `s` is not valid JSON.
pub fn parse<'a>(vm: &mut Vm<'a, '_>, s: Value<'a>) -> Result<Value<'a>, Trap> {
    let text = crate::interp::to_property_key(vm, s)?;
    Ok(parse_str(vm, text)?.unwrap_or(Value::Undefined))
}
