//! The frozen image: module-level bindings after the initializer ran.
//!
//! Loading runs function 0 once in a scratch arena; every value reachable
//! from the module bindings is then copied into the plain-heap structures
//! below and the scratch arena is dropped. The image is immutable and
//! `Send + Sync`, shared by every worker; requests read it through the
//! `Frozen*` value variants and can never write it. Object identity and
//! cycles are preserved: each arena object is copied once, by address.

use crate::builtins::Native;
use crate::value::{Captures, Class, Value};
use std::collections::HashMap;

/// A frozen value. Aggregates refer to the image's tables by index.
#[derive(Clone, Debug)]
pub enum FVal {
    Undefined,
    Bool(bool),
    Num(f64),
    Str(Box<str>),
    Object(u32),
    Array(u32),
    Function(u32),
    Native(Native),
    Namespace(u16),
}

/// A frozen object.
#[derive(Debug)]
pub struct FrozenObject {
    pub class: Class,
    pub props: Box<[(Box<str>, FVal)]>,
}

/// A frozen array.
#[derive(Debug)]
pub struct FrozenArray {
    pub items: Box<[FVal]>,
}

/// A frozen closure: its captured cells became read-only values.
#[derive(Debug)]
pub struct FrozenClosure {
    pub func: u32,
    pub captures: Box<[FVal]>,
}

/// The frozen module state.
#[derive(Debug, Default)]
pub struct Image {
    pub globals: Box<[FVal]>,
    objects: Vec<FrozenObject>,
    arrays: Vec<FrozenArray>,
    closures: Vec<FrozenClosure>,
}

/// Why module-level state could not be frozen.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FreezeError(pub String);

impl Image {
    /// The request-side view of a frozen value.
    pub fn value<'a>(&'a self, v: &'a FVal) -> Value<'a> {
        match v {
            FVal::Undefined => Value::Undefined,
            FVal::Bool(b) => Value::Bool(*b),
            FVal::Num(n) => Value::Num(*n),
            FVal::Str(s) => Value::Str(s),
            FVal::Object(i) => Value::FrozenObject(&self.objects[*i as usize]),
            FVal::Array(i) => Value::FrozenArray(&self.arrays[*i as usize]),
            FVal::Function(i) => Value::FrozenFunction(&self.closures[*i as usize]),
            FVal::Native(n) => Value::Native(*n),
            FVal::Namespace(b) => Value::Namespace(*b),
        }
    }

    /// Freezes the module bindings left by the initializer.
    pub fn freeze(globals: &[Value<'_>]) -> Result<Image, FreezeError> {
        let mut f = Freezer {
            image: Image::default(),
            seen: HashMap::new(),
        };
        let frozen = globals
            .iter()
            .map(|g| f.freeze(*g, 0))
            .collect::<Result<Vec<_>, _>>()?;
        f.image.globals = frozen.into_boxed_slice();
        Ok(f.image)
    }

    /// Number of frozen aggregates (objects, arrays, closures), for metrics.
    pub fn aggregate_count(&self) -> usize {
        self.objects.len() + self.arrays.len() + self.closures.len()
    }
}

struct Freezer {
    image: Image,
    /// Arena address -> frozen value, so shared objects stay shared.
    seen: HashMap<usize, FVal>,
}

impl Freezer {
    /// Freezes `v`, at nesting `level` (bounded like the built-ins' walks,
    /// and on a stack that grows: module state can be nested deeply).
    fn freeze(&mut self, v: Value<'_>, level: usize) -> Result<FVal, FreezeError> {
        if level > crate::builtins::MAX_NESTING {
            return Err(FreezeError(format!(
                "module state is nested more than {} levels deep",
                crate::builtins::MAX_NESTING
            )));
        }
        stacker::maybe_grow(
            crate::interp::STACK_RED_ZONE,
            crate::interp::STACK_SEGMENT,
            || self.freeze_level(v, level + 1),
        )
    }

    fn freeze_level(&mut self, v: Value<'_>, level: usize) -> Result<FVal, FreezeError> {
        Ok(match v {
            Value::Undefined => FVal::Undefined,
            Value::Bool(b) => FVal::Bool(b),
            Value::Num(n) => FVal::Num(n),
            Value::Str(s) => FVal::Str(s.into()),
            Value::Native(n) => FVal::Native(n),
            Value::Namespace(b) => FVal::Namespace(b),
            Value::Object(o) => {
                let addr = std::ptr::from_ref(o) as usize;
                if let Some(f) = self.seen.get(&addr) {
                    return Ok(f.clone());
                }
                let idx = self.image.objects.len() as u32;
                self.seen.insert(addr, FVal::Object(idx));
                self.image.objects.push(FrozenObject {
                    class: o.class,
                    props: Box::new([]),
                });
                let props: Vec<(&str, Value<'_>)> = o.props.borrow().iter().copied().collect();
                let mut out = Vec::with_capacity(props.len());
                for (k, pv) in props {
                    out.push((Box::<str>::from(k), self.freeze(pv, level)?));
                }
                self.image.objects[idx as usize].props = out.into_boxed_slice();
                FVal::Object(idx)
            }
            Value::Array(a) => {
                let addr = std::ptr::from_ref(a) as usize;
                if let Some(f) = self.seen.get(&addr) {
                    return Ok(f.clone());
                }
                let idx = self.image.arrays.len() as u32;
                self.seen.insert(addr, FVal::Array(idx));
                self.image.arrays.push(FrozenArray {
                    items: Box::new([]),
                });
                let items: Vec<Value<'_>> = a.items.borrow().iter().copied().collect();
                let out = items
                    .into_iter()
                    .map(|i| self.freeze(i, level))
                    .collect::<Result<Vec<_>, _>>()?;
                self.image.arrays[idx as usize].items = out.into_boxed_slice();
                FVal::Array(idx)
            }
            Value::Function(c) => {
                let addr = std::ptr::from_ref(c) as usize;
                if let Some(f) = self.seen.get(&addr) {
                    return Ok(f.clone());
                }
                let idx = self.image.closures.len() as u32;
                self.seen.insert(addr, FVal::Function(idx));
                self.image.closures.push(FrozenClosure {
                    func: c.func,
                    captures: Box::new([]),
                });
                let caps: Vec<FVal> = match c.captures {
                    Captures::Cells(cells) => cells
                        .iter()
                        .map(|cell| self.freeze(cell.get(), level))
                        .collect::<Result<_, _>>()?,
                    Captures::Frozen(fc) => fc.captures.to_vec(),
                };
                self.image.closures[idx as usize].captures = caps.into_boxed_slice();
                FVal::Function(idx)
            }
            Value::FrozenObject(_) | Value::FrozenArray(_) | Value::FrozenFunction(_) => {
                return Err(FreezeError(
                    "internal: frozen value during initialization".into(),
                ));
            }
            Value::Map(_) | Value::Set(_) => {
                return Err(FreezeError(
                    "a Map or Set held in module scope is not implemented yet; build it inside the handler"
                        .into(),
                ));
            }
            Value::Method(_) => {
                return Err(FreezeError(
                    "a built-in method held as a value in module scope is not implemented yet; call it inside a function"
                        .into(),
                ));
            }
            Value::Cell(_) | Value::Iter(_) => {
                return Err(FreezeError(
                    "internal: cell or iterator in module scope".into(),
                ));
            }
        })
    }
}
