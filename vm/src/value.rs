//! Values of a running program.
//!
//! `Value<'a>` carries the request arena's lifetime: everything a request
//! allocates lives in one `bumpalo::Bump` that is reset after the response,
//! and the borrow checker proves no value outlives that reset. Values read
//! from the frozen image ([`crate::image`]) appear as the `Frozen*` variants,
//! which borrow the image (it outlives every request) and cannot be mutated.
//!
//! Implementation note: strings are `&'a str` (UTF-8) with UTF-16 semantics
//! computed on demand (see `js::string`); property keys are plain strings
//! compared by content. Both are deliberate first choices that keep the code
//! safe and simple; interned atoms and shapes can replace them behind the
//! accessors in this file.

use crate::image::{FrozenArray, FrozenClosure, FrozenObject};
use bumpalo::Bump;
use bumpalo::collections::Vec as BVec;
use std::cell::{Cell, RefCell};

/// A JS value.
#[derive(Clone, Copy)]
pub enum Value<'a> {
    Undefined,
    Bool(bool),
    Num(f64),
    Str(&'a str),
    Object(&'a Object<'a>),
    Array(&'a Array<'a>),
    Function(&'a Closure<'a>),
    /// A built-in function (`Math.max`, `JSON.stringify`, a module export ...).
    Native(crate::builtins::Native),
    /// A built-in namespace (`Math`, `JSON`, `Response` ...), by built-in index.
    Namespace(u16),
    Map(&'a MapObj<'a>),
    Set(&'a MapObj<'a>),
    FrozenObject(&'a FrozenObject),
    FrozenArray(&'a FrozenArray),
    FrozenFunction(&'a FrozenClosure),
    /// A built-in method read as a value (`req.headers.get`, `arr.map`):
    /// calling it calls the method on its receiver.
    Method(&'a Method<'a>),
    /// Internal: a captured variable's cell (never visible to programs).
    Cell(&'a Cell<Value<'a>>),
    /// Internal: a for-of iterator.
    Iter(&'a RefCell<crate::builtins::iter::Iter<'a>>),
}

/// What kind of object an [`Object`] is; built-in methods dispatch on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    Plain,
    /// `req.headers` and `Response` headers: `get/has/set/append/delete`.
    Headers,
    /// The request: `text()` and `json()`.
    Request,
    /// A `Result` (`ok`, `value`/`error`).
    Result,
    /// A JSX element made by `h` (`tag`, `props`, `children`).
    Element,
}

/// A built-in method bound to its receiver.
pub struct Method<'a> {
    pub receiver: Value<'a>,
    pub key: &'a str,
}

/// An ordinary object: properties in insertion order.
pub struct Object<'a> {
    pub class: Class,
    pub props: RefCell<BVec<'a, (&'a str, Value<'a>)>>,
}

/// An array.
pub struct Array<'a> {
    pub items: RefCell<BVec<'a, Value<'a>>>,
}

/// Where a closure's captured cells live.
#[derive(Clone, Copy)]
pub enum Captures<'a> {
    Cells(&'a [&'a Cell<Value<'a>>]),
    /// Captured values of a closure frozen into the image: readable, not writable.
    Frozen(&'a FrozenClosure),
}

/// A function value: code plus captured cells.
pub struct Closure<'a> {
    pub func: u32,
    pub captures: Captures<'a>,
}

/// A `Map` (or a `Set`, whose values are ignored) in insertion order, keyed by SameValueZero.
pub struct MapObj<'a> {
    pub entries: RefCell<BVec<'a, (Value<'a>, Value<'a>)>>,
}

impl<'a> Object<'a> {
    pub fn new_in(arena: &'a Bump, class: Class) -> &'a Object<'a> {
        arena.alloc(Object {
            class,
            props: RefCell::new(BVec::new_in(arena)),
        })
    }
    pub fn with_capacity_in(arena: &'a Bump, class: Class, cap: usize) -> &'a Object<'a> {
        arena.alloc(Object {
            class,
            props: RefCell::new(BVec::with_capacity_in(cap, arena)),
        })
    }
    /// Own property `key`.
    pub fn get(&self, key: &str) -> Option<Value<'a>> {
        self.props
            .borrow()
            .iter()
            .find(|(k, _)| same_key(k, key))
            .map(|(_, v)| *v)
    }
    /// Sets or adds own property `key`.
    pub fn set(&self, key: &'a str, value: Value<'a>) {
        let mut props = self.props.borrow_mut();
        if let Some(slot) = props.iter_mut().find(|(k, _)| same_key(k, key)) {
            slot.1 = value;
        } else {
            props.push((key, value));
        }
    }
    /// [`Object::get`] that first tries slot `hint` (and updates it): when
    /// the key stored there is the very same string (an atom of the
    /// program), no search is needed. The value is copied into `out`, and
    /// `false` means no own property.
    ///
    /// Why an out-parameter: returned as `Option<Value>` and then stored,
    /// the value was split into its tag and an unaligned 23-byte rest that
    /// went through overlapping stack slots, a store-forwarding stall that
    /// cost about 40% of an object-heavy program. Copied whole from the
    /// property list into the register, it is two aligned moves.
    #[inline]
    pub fn get_hinted_into(&self, key: &str, hint: &Cell<u8>, out: &mut Value<'a>) -> bool {
        let props = self.props.borrow();
        if let Some((k, v)) = props.get(usize::from(hint.get()))
            && same_str_ref(k, key)
        {
            *out = *v;
            return true;
        }
        let Some(i) = props.iter().position(|(k, _)| same_key(k, key)) else {
            return false;
        };
        if let Ok(slot) = u8::try_from(i) {
            hint.set(slot);
        }
        *out = props[i].1;
        true
    }
    /// [`Object::set`] with a slot hint, as in [`Object::get_hinted`].
    #[inline]
    pub fn set_hinted(&self, key: &'a str, value: Value<'a>, hint: &Cell<u8>) {
        let mut props = self.props.borrow_mut();
        if let Some(slot) = props.get_mut(usize::from(hint.get()))
            && same_str_ref(slot.0, key)
        {
            slot.1 = value;
            return;
        }
        let i = if let Some(i) = props.iter().position(|(k, _)| same_key(k, key)) {
            props[i].1 = value;
            i
        } else {
            props.push((key, value));
            props.len() - 1
        };
        if let Ok(slot) = u8::try_from(i) {
            hint.set(slot);
        }
    }
    /// Removes own property `key`, keeping the order of the others.
    pub fn remove(&self, key: &str) -> Option<Value<'a>> {
        let mut props = self.props.borrow_mut();
        let idx = props.iter().position(|(k, _)| *k == key)?;
        Some(props.remove(idx).1)
    }
}

/// The same string slice (address and length): equal without comparing bytes.
#[inline]
fn same_str_ref(a: &str, b: &str) -> bool {
    a.as_ptr() == b.as_ptr() && a.len() == b.len()
}

/// Property-key equality: by address first (keys written and read by the
/// program's code are mostly the same atom), then by content.
#[inline]
fn same_key(a: &str, b: &str) -> bool {
    same_str_ref(a, b) || a == b
}

impl<'a> Array<'a> {
    pub fn new_in(arena: &'a Bump) -> &'a Array<'a> {
        arena.alloc(Array {
            items: RefCell::new(BVec::new_in(arena)),
        })
    }
    pub fn from_iter_in(
        arena: &'a Bump,
        items: impl IntoIterator<Item = Value<'a>>,
    ) -> &'a Array<'a> {
        let mut v = BVec::new_in(arena);
        v.extend(items);
        arena.alloc(Array {
            items: RefCell::new(v),
        })
    }
}

impl<'a> MapObj<'a> {
    pub fn new_in(arena: &'a Bump) -> &'a MapObj<'a> {
        arena.alloc(MapObj {
            entries: RefCell::new(BVec::new_in(arena)),
        })
    }
    pub fn find(&self, key: Value<'a>) -> Option<usize> {
        self.entries
            .borrow()
            .iter()
            .position(|(k, _)| same_value_zero(*k, key))
    }
}

impl Value<'_> {
    /// JS truthiness.
    pub fn truthy(self) -> bool {
        match self {
            Value::Undefined => false,
            Value::Bool(b) => b,
            Value::Num(n) => n != 0.0 && !n.is_nan(),
            Value::Str(s) => !s.is_empty(),
            _ => true,
        }
    }

    /// `typeof` result.
    pub fn type_of(self) -> &'static str {
        match self {
            Value::Undefined => "undefined",
            Value::Bool(_) => "boolean",
            Value::Num(_) => "number",
            Value::Str(_) => "string",
            Value::Function(_) | Value::Native(_) | Value::FrozenFunction(_) | Value::Method(_) => {
                "function"
            }
            // `Response` and `Map`/`Set` are callable factories.
            Value::Namespace(b) if crate::builtins::namespace_is_callable(b) => "function",
            _ => "object",
        }
    }

    /// Whether the value can be called.
    pub fn is_callable(self) -> bool {
        match self {
            Value::Function(_) | Value::FrozenFunction(_) | Value::Native(_) | Value::Method(_) => {
                true
            }
            Value::Namespace(b) => crate::builtins::namespace_is_callable(b),
            _ => false,
        }
    }

    pub fn is_undefined(self) -> bool {
        matches!(self, Value::Undefined)
    }

    /// Whether the value is an array (arena or frozen).
    pub fn is_array(self) -> bool {
        matches!(self, Value::Array(_) | Value::FrozenArray(_))
    }
}

/// Pointer identity of two references, as JS object identity.
fn same_ref<T>(a: &T, b: &T) -> bool {
    std::ptr::eq(a, b)
}

/// `===`.
pub fn strict_eq<'a>(a: Value<'a>, b: Value<'a>) -> bool {
    match (a, b) {
        (Value::Undefined, Value::Undefined) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Num(x), Value::Num(y)) => x == y,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Object(x), Value::Object(y)) => same_ref(x, y),
        (Value::Array(x), Value::Array(y)) => same_ref(x, y),
        (Value::Function(x), Value::Function(y)) => same_ref(x, y),
        (Value::Native(x), Value::Native(y)) => x == y,
        (Value::Namespace(x), Value::Namespace(y)) => x == y,
        (Value::Map(x), Value::Map(y)) | (Value::Set(x), Value::Set(y)) => same_ref(x, y),
        (Value::FrozenObject(x), Value::FrozenObject(y)) => same_ref(x, y),
        (Value::FrozenArray(x), Value::FrozenArray(y)) => same_ref(x, y),
        (Value::FrozenFunction(x), Value::FrozenFunction(y)) => same_ref(x, y),
        (Value::Method(x), Value::Method(y)) => same_ref(x, y),
        (Value::Cell(x), Value::Cell(y)) => same_ref(x, y),
        (Value::Iter(x), Value::Iter(y)) => same_ref(x, y),
        _ => false,
    }
}

/// SameValueZero (Map/Set keys, `includes`): like `===` but NaN equals NaN.
pub fn same_value_zero<'a>(a: Value<'a>, b: Value<'a>) -> bool {
    match (a, b) {
        (Value::Num(x), Value::Num(y)) => x == y || (x.is_nan() && y.is_nan()),
        _ => strict_eq(a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hinted_access_matches_plain_access() {
        let arena = Bump::new();
        let hint = Cell::new(0);
        let a = Object::new_in(&arena, Class::Plain);
        a.set("x", Value::Num(1.0));
        a.set("y", Value::Num(2.0));
        let b = Object::new_in(&arena, Class::Plain);
        b.set("y", Value::Num(3.0));
        // Same content, another address: found by content, never by the hint alone.
        let x2: &str = arena.alloc_str("x");
        b.set(x2, Value::Num(4.0));
        let mut out = Value::Undefined;
        for (obj, want) in [(a, 1.0), (b, 4.0), (a, 1.0), (b, 4.0)] {
            assert!(obj.get_hinted_into("x", &hint, &mut out));
            assert!(matches!(out, Value::Num(n) if n == want));
        }
        assert!(!a.get_hinted_into("z", &hint, &mut out));
        b.set_hinted("x", Value::Num(5.0), &hint);
        assert!(matches!(b.get("x"), Some(Value::Num(n)) if n == 5.0));
        assert_eq!(b.props.borrow().len(), 2);
        b.set_hinted("z", Value::Num(6.0), &hint);
        assert_eq!(hint.get(), 2);
        a.set_hinted("x", Value::Num(7.0), &hint);
        assert!(matches!(a.get("x"), Some(Value::Num(n)) if n == 7.0));
        assert_eq!(a.props.borrow().len(), 2);
    }

    #[test]
    fn value_size_is_pinned() {
        // A fat `&str` makes the value 24 bytes; shrinking it is an issue-7 step.
        assert_eq!(std::mem::size_of::<Value<'_>>(), 24);
        // What nearly every VM function returns: no bigger than the value.
        assert_eq!(
            std::mem::size_of::<Result<Value<'_>, crate::trap::Trap>>(),
            24
        );
    }
}
