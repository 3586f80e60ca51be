//! for-of iteration: arrays, strings (by code point), Map entries, Set values, `range`.

use crate::image::FrozenArray;
use crate::interp::{Vm, to_number};
use crate::trap::Trap;
use crate::value::{Array, MapObj, Value};
use std::cell::RefCell;

/// An iterator's state.
#[derive(Clone, Copy)]
pub enum Iter<'a> {
    Array {
        arr: &'a Array<'a>,
        i: usize,
    },
    Frozen {
        arr: &'a FrozenArray,
        i: usize,
    },
    Str {
        s: &'a str,
        pos: usize,
    },
    MapEntries {
        map: &'a MapObj<'a>,
        i: usize,
    },
    MapKeys {
        map: &'a MapObj<'a>,
        i: usize,
    },
    MapValues {
        map: &'a MapObj<'a>,
        i: usize,
    },
    Range {
        cur: f64,
        end: f64,
        step: f64,
    },
    /// `arr.keys()`, `arr.values()`, `arr.entries()`: live over the array.
    Indexed {
        arr: Value<'a>,
        i: usize,
        kind: IndexedKind,
    },
    /// `set.entries()`: `[v, v]` pairs.
    SetEntries {
        map: &'a MapObj<'a>,
        i: usize,
    },
}

/// What an [`Iter::Indexed`] yields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexedKind {
    Keys,
    Values,
    Entries,
}

/// An iterator value over `it`.
pub fn value<'a>(vm: &Vm<'a, '_>, it: Iter<'a>) -> Value<'a> {
    Value::Iter(vm.arena.alloc(RefCell::new(it)))
}

impl<'a> Iter<'a> {
    /// Starts iterating `src`.
    pub fn new(vm: &mut Vm<'a, '_>, src: Value<'a>) -> Result<Iter<'a>, Trap> {
        Ok(match src {
            Value::Array(arr) => Iter::Array { arr, i: 0 },
            Value::FrozenArray(arr) => Iter::Frozen { arr, i: 0 },
            Value::Str(s) => Iter::Str { s, pos: 0 },
            Value::Map(map) => Iter::MapEntries { map, i: 0 },
            Value::Set(map) => Iter::MapKeys { map, i: 0 },
            Value::Iter(it) => *it.borrow(),
            other => {
                let what = match other {
                    Value::Undefined => "undefined",
                    Value::Num(_) => "a number",
                    Value::Bool(_) => "a boolean",
                    _ => "an object",
                };
                let _ = vm;
                return Err(Trap::type_error(format!("{what} is not iterable")));
            }
        })
    }

    /// The next value into `out`, `false` when done. Arrays and `range`
    /// (the hot cases) write the value straight to `out`: returned as an
    /// `Option<Value>` and then stored, it went through the stack in pieces
    /// (see [`crate::value::Object::get_hinted_into`]).
    pub fn step_into(&mut self, vm: &mut Vm<'a, '_>, out: &mut Value<'a>) -> Result<bool, Trap> {
        let next = match self {
            Iter::Array { arr, i } => {
                let items = arr.items.borrow();
                let more = *i < items.len();
                if more {
                    *out = items[*i];
                }
                *i += 1;
                return Ok(more);
            }
            Iter::Range { cur, end, step } => {
                let more = if *step > 0.0 {
                    *cur < *end
                } else {
                    *cur > *end
                };
                if more {
                    *out = Value::Num(*cur);
                    *cur += *step;
                }
                return Ok(more);
            }
            Iter::Frozen { arr, i } => {
                let v = arr.items.get(*i).map(|v| vm.thaw(v));
                *i += 1;
                v
            }
            Iter::Str { s, pos } => {
                let rest = &s[*pos..];
                let c = rest.chars().next();
                c.map(|c| {
                    let piece = &rest[..c.len_utf8()];
                    *pos += c.len_utf8();
                    Value::Str(piece)
                })
            }
            Iter::MapEntries { map, i } => {
                let e = map.entries.borrow().get(*i).copied();
                *i += 1;
                e.map(|(k, v)| Value::Array(Array::from_iter_in(vm.arena, [k, v])))
            }
            Iter::MapKeys { map, i } => {
                let e = map.entries.borrow().get(*i).copied();
                *i += 1;
                e.map(|(k, _)| k)
            }
            Iter::MapValues { map, i } => {
                let e = map.entries.borrow().get(*i).copied();
                *i += 1;
                e.map(|(_, v)| v)
            }
            Iter::Indexed { arr, i, kind } => {
                if *i >= super::array::len(*arr) {
                    None
                } else {
                    let idx = *i;
                    *i += 1;
                    Some(match kind {
                        IndexedKind::Keys => Value::Num(idx as f64),
                        IndexedKind::Values => super::array::get(vm, *arr, idx),
                        IndexedKind::Entries => {
                            let v = super::array::get(vm, *arr, idx);
                            Value::Array(Array::from_iter_in(vm.arena, [Value::Num(idx as f64), v]))
                        }
                    })
                }
            }
            Iter::SetEntries { map, i } => {
                let e = map.entries.borrow().get(*i).copied();
                *i += 1;
                e.map(|(k, _)| Value::Array(Array::from_iter_in(vm.arena, [k, k])))
            }
        };
        Ok(match next {
            Some(v) => {
                *out = v;
                true
            }
            None => false,
        })
    }

    /// The next value, or `None` when done.
    pub fn step(&mut self, vm: &mut Vm<'a, '_>) -> Result<Option<Value<'a>>, Trap> {
        let mut v = Value::Undefined;
        Ok(self.step_into(vm, &mut v)?.then_some(v))
    }

    /// The next value of a shared iterator, or `None` when done.
    pub fn next(cell: &RefCell<Iter<'a>>, vm: &mut Vm<'a, '_>) -> Result<Option<Value<'a>>, Trap> {
        cell.borrow_mut().step(vm)
    }

    /// `iter_next`: [`Iter::step_into`] on a shared iterator, in place.
    /// Holding the borrow while stepping is sound: no step runs program
    /// code, so nothing can reach this iterator meanwhile.
    #[inline]
    pub fn next_into(
        cell: &RefCell<Iter<'a>>,
        vm: &mut Vm<'a, '_>,
        out: &mut Value<'a>,
    ) -> Result<bool, Trap> {
        cell.borrow_mut().step_into(vm, out)
    }
}

/// `range(end)`, `range(start, end)`, `range(start, end, step)`: integers,
/// floats truncated, a zero step becomes 1.
pub fn range<'a>(vm: &mut Vm<'a, '_>, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
    let mut n = [0.0f64; 3];
    for (slot, a) in n.iter_mut().zip(args) {
        let x = to_number(vm, *a)?;
        *slot = if x.is_finite() {
            x.trunc()
        } else if x.is_nan() {
            0.0
        } else {
            x
        };
    }
    let (cur, end, step) = match args.len() {
        0 | 1 => (0.0, n[0], 1.0),
        2 => (n[0], n[1], 1.0),
        _ => (n[0], n[1], if n[2] == 0.0 { 1.0 } else { n[2] }),
    };
    Ok(Value::Iter(vm.arena.alloc(RefCell::new(Iter::Range {
        cur,
        end,
        step,
    }))))
}
