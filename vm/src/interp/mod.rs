//! The register interpreter.
//!
//! One `loop` + `match` over verified [`Op`]s (wasmi's older executor shape).
//! JS-to-JS calls push a frame and continue in the same loop; only natives
//! that call back into JS (e.g. `Array.prototype.map`) re-enter [`Vm::call`],
//! bounded by the call-depth limit. Registers of all frames live in one
//! arena vector indexed by each frame's base.
//!
//! Safety of indexing: the verifier proved every register, constant, atom,
//! function and table index in bounds and every read register written, so
//! indexing here cannot fail for a verified bundle; a failure would be a
//! verifier bug and panics (the fuzzers look for exactly that).

mod append;
mod ops;

pub use ops::{append_value, pow, to_number, to_property_key};

use crate::builtins::{self, iter::Iter};
use crate::host::Host;
use crate::image::Image;
use crate::trap::{Trap, TrapKind, TrapLocation};
use crate::value::{Array, Captures, Class, Closure, Object, Value};
use bumpalo::Bump;
use bumpalo::collections::Vec as BVec;
use smallvec::SmallVec;
use std::cell::{Cell, RefCell};
use std::cmp::Ordering::{Equal, Greater, Less};
use std::time::Instant;
use zigts_verifier::{Op, VerifiedBundle};

/// Per-run resource limits.
#[derive(Clone, Copy, Debug)]
pub struct ExecLimits {
    /// Maximum JS call depth (frames plus native re-entries).
    pub max_call_depth: usize,
    /// Wall-clock deadline, checked every few thousand jumps and calls.
    pub deadline: Option<Instant>,
    /// Cap on the request arena's allocated bytes.
    pub arena_cap: usize,
}

impl Default for ExecLimits {
    fn default() -> Self {
        ExecLimits {
            max_call_depth: 1_000,
            deadline: None,
            arena_cap: 64 << 20,
        }
    }
}

/// When less stack than this is left, a native-to-JS call continues on a new
/// segment (debug builds use tens of KiB per interpreter re-entry).
pub(crate) const STACK_RED_ZONE: usize = 256 << 10;
/// Size of each new stack segment.
pub(crate) const STACK_SEGMENT: usize = 4 << 20;

/// The address of a local of the caller's frame: where the stack is now,
/// as far as [`Vm::call_function`]'s check needs to know. Not inlined, so
/// the frame is a real one below the caller's.
#[inline(never)]
fn stack_address() -> usize {
    let here = 0u8;
    std::hint::black_box(std::ptr::from_ref(&here)).addr()
}

/// How often (in jumps and calls) the deadline and arena cap are checked.
const FUEL_PER_CHECK: u32 = 4_096;

/// Module bindings: mutable while the initializer runs, frozen afterwards.
pub(crate) enum Globals<'a> {
    Init(RefCell<BVec<'a, Value<'a>>>),
    Image(&'a Image),
}

/// Where call arguments come from.
#[derive(Clone, Copy)]
enum ArgSource<'s, 'a> {
    Slice(&'s [Value<'a>]),
    /// Caller registers `start..start + count` (absolute indices).
    Regs {
        start: usize,
        count: usize,
    },
}

/// Arguments for a native call, copied off the register file (no heap for up to 8).
type NativeArgs<'a> = SmallVec<[Value<'a>; 8]>;

/// A function about to be called.
#[derive(Clone, Copy)]
pub(crate) struct Callee<'a> {
    pub func: u32,
    pub captures: Captures<'a>,
}

#[derive(Clone, Copy)]
struct Frame<'a> {
    func: u32,
    code: &'a [Op],
    ip: usize,
    base: usize,
    /// Caller register that receives the return value.
    dst: u16,
    /// This frame's register count (the next frame's base is `base + regs`).
    regs: usize,
    captures: Captures<'a>,
}

/// One interpreter run: the initializer, a request, or a test case.
pub struct Vm<'a, 'h> {
    pub(crate) arena: &'a Bump,
    pub(crate) program: &'a VerifiedBundle,
    pub(crate) globals: Globals<'a>,
    pub(crate) host: &'h mut dyn Host,
    pub(crate) services: &'a crate::services::Services,
    regs: BVec<'a, Value<'a>>,
    frames: BVec<'a, Frame<'a>>,
    limits: ExecLimits,
    fuel: u32,
    native_depth: usize,
    /// The buffer behind the last long string concatenation.
    pub(crate) append: Option<append::AppendBuf>,
    /// Per atom, the property slot where `get_prop`/`set_prop` last found
    /// that key on an arena object: a hint checked before the linear search
    /// (objects built by the same code keep their keys in the same order).
    slot_hints: &'a [Cell<u8>],
    /// Where the stack was last checked to have [`STACK_RED_ZONE`] left
    /// below it (0: not yet); see [`Vm::call_function`].
    stack_checked_at: usize,
}

impl<'a, 'h> Vm<'a, 'h> {
    pub(crate) fn new(
        arena: &'a Bump,
        program: &'a VerifiedBundle,
        globals: Globals<'a>,
        services: &'a crate::services::Services,
        host: &'h mut dyn Host,
        limits: ExecLimits,
    ) -> Self {
        Vm {
            arena,
            program,
            globals,
            services,
            host,
            regs: BVec::with_capacity_in(256, arena),
            frames: BVec::with_capacity_in(32, arena),
            limits,
            fuel: FUEL_PER_CHECK,
            native_depth: 0,
            append: None,
            slot_hints: arena.alloc_slice_fill_with(program.bundle().atoms.len(), |_| Cell::new(0)),
            stack_checked_at: 0,
        }
    }

    /// The frozen image, when running a request.
    pub(crate) fn image(&self) -> Option<&'a Image> {
        match self.globals {
            Globals::Image(img) => Some(img),
            Globals::Init(_) => None,
        }
    }

    /// Converts a callable value into a callee, or `None`.
    pub(crate) fn callee_of(v: Value<'a>) -> Option<Callee<'a>> {
        match v {
            Value::Function(c) => Some(Callee {
                func: c.func,
                captures: c.captures,
            }),
            Value::FrozenFunction(fc) => Some(Callee {
                func: fc.func,
                captures: Captures::Frozen(fc),
            }),
            _ => None,
        }
    }

    /// Calls any callable value with `args` (natives included).
    pub fn call(&mut self, f: Value<'a>, args: &[Value<'a>]) -> Result<Value<'a>, Trap> {
        if let Some(callee) = Self::callee_of(f) {
            return self.call_function(callee, args);
        }
        builtins::call_value(self, f, args)
    }

    /// Runs a JS function to completion on a fresh frame.
    pub(crate) fn call_function(
        &mut self,
        callee: Callee<'a>,
        args: &[Value<'a>],
    ) -> Result<Value<'a>, Trap> {
        self.native_depth += 1;
        if self.frames.len() + self.native_depth > self.limits.max_call_depth {
            self.native_depth -= 1;
            return Err(Trap::new(
                TrapKind::CallDepth,
                "maximum call depth exceeded",
            ));
        }
        let stop = self.frames.len();
        // Asking stacker costs a call and a thread-local read, once per
        // callback of `map`/`filter`/`sort`... Skipped when this call is at
        // most half a red zone below the last point that was checked: that
        // range is the same stack segment (a new segment cannot overlap it),
        // so at least half a red zone is left, more than one interpreter
        // entry needs before the next call checks again.
        let sp = stack_address();
        let result = if self.stack_checked_at.wrapping_sub(sp) <= STACK_RED_ZONE / 2 {
            self.push_frame(callee, args, 0)
                .and_then(|()| self.run(stop))
        } else {
            stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
                self.stack_checked_at = stack_address();
                self.push_frame(callee, args, 0)
                    .and_then(|()| self.run(stop))
            })
        };
        self.frames.truncate(stop);
        self.native_depth -= 1;
        result
    }

    fn push_frame(&mut self, callee: Callee<'a>, args: &[Value<'a>], dst: u16) -> Result<(), Trap> {
        self.push_frame_with(callee, ArgSource::Slice(args), dst)
    }

    /// Pushes a frame for `callee`, copying arguments into its parameter
    /// registers straight from `args` (caller registers need no copy through
    /// the arena).
    fn push_frame_with(
        &mut self,
        callee: Callee<'a>,
        args: ArgSource<'_, 'a>,
        dst: u16,
    ) -> Result<(), Trap> {
        if self.frames.len() + self.native_depth > self.limits.max_call_depth {
            return Err(Trap::new(
                TrapKind::CallDepth,
                "maximum call depth exceeded",
            ));
        }
        let def = &self.program.functions()[callee.func as usize];
        let code = &def.ops;
        let base = self.frames.last().map_or(0, |f| f.base + f.regs);
        let need = base + def.reg_count as usize;
        if self.regs.len() < need {
            self.regs.resize(need, Value::Undefined);
        }
        let params = def.param_count as usize;
        let argc = match args {
            ArgSource::Slice(s) => s.len(),
            ArgSource::Regs { count, .. } => count,
        };
        // Straight copies, then `undefined` for missing arguments: a select
        // between an argument and `undefined` per register compiled to
        // overlapping partial copies of the 24-byte value through the stack
        // (a store-forwarding stall on every argument of every call).
        let given = params.min(argc);
        match args {
            ArgSource::Slice(s) => self.regs[base..base + given].copy_from_slice(&s[..given]),
            ArgSource::Regs { start, .. } => {
                self.regs.copy_within(start..start + given, base);
            }
        }
        self.regs[base + given..base + params].fill(Value::Undefined);
        if def.has_rest {
            let extra = argc.saturating_sub(params);
            let mut items = BVec::with_capacity_in(extra, self.arena);
            for i in params..argc {
                items.push(match args {
                    ArgSource::Slice(s) => s[i],
                    ArgSource::Regs { start, .. } => self.regs[start + i],
                });
            }
            let rest = self.arena.alloc(Array {
                items: RefCell::new(items),
            });
            self.regs[base + params] = Value::Array(rest);
        }
        self.frames.push(Frame {
            func: callee.func,
            code,
            ip: 0,
            base,
            dst,
            regs: def.reg_count as usize,
            captures: callee.captures,
        });
        Ok(())
    }

    /// Adds the source position of the current instruction to a trap.
    #[cold]
    fn locate(&self, mut trap: Trap, func: u32, ip: usize) -> Trap {
        if trap.location.is_none() {
            let pcs = &self.program.functions()[func as usize].pcs;
            let pc = pcs.get(ip.saturating_sub(1)).copied().unwrap_or(0);
            if let Some((file, line, col)) =
                self.program.bundle().source_map.lookup(func as usize, pc)
            {
                trap.location = Some(TrapLocation {
                    file: file.to_string(),
                    line,
                    col,
                });
            }
        }
        trap
    }

    #[cold]
    fn check_limits(&mut self) -> Result<(), Trap> {
        self.fuel = FUEL_PER_CHECK;
        if let Some(deadline) = self.limits.deadline
            && Instant::now() >= deadline
        {
            return Err(Trap::new(TrapKind::Deadline, "request deadline exceeded"));
        }
        self.check_arena()
    }

    /// Fails when the arena has grown past its cap.
    pub(crate) fn check_arena(&self) -> Result<(), Trap> {
        if self.arena.allocated_bytes() > self.limits.arena_cap {
            return Err(Trap::new(
                TrapKind::ArenaCap,
                format!("request memory exceeded {} bytes", self.limits.arena_cap),
            ));
        }
        Ok(())
    }

    fn upvalue(&self, captures: Captures<'a>, idx: u16) -> Result<Value<'a>, Trap> {
        match captures {
            Captures::Cells(cells) => Ok(cells[idx as usize].get()),
            Captures::Frozen(fc) => match self.image() {
                Some(img) => Ok(img.value(&fc.captures[idx as usize])),
                None => Err(Trap::new(
                    TrapKind::Internal,
                    "frozen closure during initialization",
                )),
            },
        }
    }

    fn run(&mut self, stop: usize) -> Result<Value<'a>, Trap> {
        let mut f = *self.frames.last().expect("a frame was pushed");
        macro_rules! reg {
            ($r:expr) => {
                self.regs[f.base + $r.0 as usize]
            };
        }
        macro_rules! tri {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(t) => return Err(self.locate(t, f.func, f.ip)),
                }
            };
        }
        // Numbers take the inline path; anything else goes through the JS
        // conversions. Operands are values: a register, or an immediate of
        // the `*_imm` forms as a number.
        macro_rules! arith {
            ($dst:expr, $x:expr, $y:expr, $op:tt) => {{
                let (x, y) = ($x, $y);
                reg!($dst) = match (x, y) {
                    (Value::Num(x), Value::Num(y)) => Value::Num(x $op y),
                    _ => Value::Num(tri!(ops::num(self, x)) $op tri!(ops::num(self, y))),
                };
            }};
        }
        macro_rules! add {
            ($dst:expr, $x:expr, $y:expr) => {{
                let (x, y) = ($x, $y);
                reg!($dst) = match (x, y) {
                    (Value::Num(x), Value::Num(y)) => Value::Num(x + y),
                    _ => tri!(ops::add(self, x, y)),
                };
            }};
        }
        macro_rules! rem {
            ($dst:expr, $x:expr, $y:expr) => {{
                let (x, y) = ($x, $y);
                reg!($dst) = match (x, y) {
                    (Value::Num(x), Value::Num(y)) => Value::Num(ops::rem(x, y)),
                    _ => Value::Num(ops::rem(tri!(ops::num(self, x)), tri!(ops::num(self, y)))),
                };
            }};
        }
        macro_rules! compare {
            ($dst:expr, $x:expr, $y:expr, $op:tt, $ord:pat) => {{
                let (x, y) = ($x, $y);
                set_bool!($dst, match (x, y) {
                    (Value::Num(x), Value::Num(y)) => x $op y,
                    _ => matches!(tri!(ops::compare(self, x, y)), $ord),
                });
            }};
        }
        // A comparison's result. When the next instruction branches on it
        // (every `if`, `while` and `for` test), the branch is taken here and
        // that instruction skipped: one dispatch less, same effects (the
        // register is still written, a taken branch still burns fuel).
        macro_rules! set_bool {
            ($dst:expr, $b:expr) => {{
                let b: bool = $b;
                reg!($dst) = Value::Bool(b);
                match f.code.get(f.ip) {
                    Some(&Op::JumpIfFalse { cond, target }) if cond == $dst => {
                        f.ip += 1;
                        if !b {
                            fuel!();
                            f.ip = target.0 as usize;
                        }
                    }
                    Some(&Op::JumpIfTrue { cond, target }) if cond == $dst => {
                        f.ip += 1;
                        if b {
                            fuel!();
                            f.ip = target.0 as usize;
                        }
                    }
                    _ => {}
                }
            }};
        }
        // The immediate of a `*_imm` instruction as a value.
        let imm = |value: i32| Value::Num(f64::from(value));
        macro_rules! fuel {
            () => {
                self.fuel -= 1;
                if self.fuel == 0 {
                    tri!(self.check_limits());
                }
            };
        }
        loop {
            let op = f.code[f.ip];
            f.ip += 1;
            match op {
                Op::Nop {} => {}
                Op::LoadUndef { dst } => reg!(dst) = Value::Undefined,
                Op::LoadTrue { dst } => reg!(dst) = Value::Bool(true),
                Op::LoadFalse { dst } => reg!(dst) = Value::Bool(false),
                Op::LoadInt { dst, value } => reg!(dst) = Value::Num(f64::from(value)),
                Op::LoadNum { dst, k } => {
                    reg!(dst) = match &self.program.bundle().constants[k.0 as usize] {
                        zigts_verifier::Constant::Number(n) => Value::Num(*n),
                        zigts_verifier::Constant::String(_) => {
                            unreachable!("verified constant kind")
                        }
                    };
                }
                Op::LoadStr { dst, k } => {
                    reg!(dst) = match &self.program.bundle().constants[k.0 as usize] {
                        zigts_verifier::Constant::String(s) => Value::Str(s.as_str()),
                        zigts_verifier::Constant::Number(_) => {
                            unreachable!("verified constant kind")
                        }
                    };
                }
                Op::Move { dst, src } => reg!(dst) = reg!(src),
                Op::LoadGlobal { dst, g } => {
                    reg!(dst) = match &self.globals {
                        Globals::Init(gl) => gl.borrow()[g.0 as usize],
                        Globals::Image(img) => img.value(&img.globals[g.0 as usize]),
                    };
                }
                Op::StoreGlobal { g, src } => {
                    let v = reg!(src);
                    match &self.globals {
                        Globals::Init(gl) => gl.borrow_mut()[g.0 as usize] = v,
                        Globals::Image(_) => {
                            tri!(Err(Trap::new(
                                TrapKind::FrozenWrite,
                                "module binding is read-only"
                            )));
                        }
                    }
                }
                Op::LoadBuiltin { dst, b } => reg!(dst) = builtins::global(b.0),
                Op::LoadImport { dst, i } => reg!(dst) = tri!(builtins::import(self, i.0)),
                Op::MakeClosure { dst, f: callee } => {
                    let def = &self.program.bundle().functions[callee.0 as usize];
                    let mut cells = BVec::with_capacity_in(def.captures.len(), self.arena);
                    for cap in &def.captures {
                        let cell = match *cap {
                            zigts_verifier::Capture::Local(r) => match reg!(r) {
                                Value::Cell(c) => c,
                                _ => tri!(Err(Trap::new(
                                    TrapKind::Internal,
                                    "captured register is not a cell"
                                ))),
                            },
                            zigts_verifier::Capture::Upval(u) => match f.captures {
                                Captures::Cells(cs) => cs[u.0 as usize],
                                // A closure made inside a frozen closure gets its own copy
                                // of the frozen value: writes stay inside this request.
                                Captures::Frozen(_) => {
                                    let v = tri!(self.upvalue(f.captures, u.0));
                                    &*self.arena.alloc(Cell::new(v))
                                }
                            },
                        };
                        cells.push(cell);
                    }
                    let closure = self.arena.alloc(Closure {
                        func: callee.0,
                        captures: Captures::Cells(cells.into_bump_slice()),
                    });
                    reg!(dst) = Value::Function(closure);
                }
                Op::BoxNew { dst, src } => {
                    let v = reg!(src);
                    reg!(dst) = Value::Cell(self.arena.alloc(Cell::new(v)));
                }
                Op::BoxGet { dst, cell } => {
                    reg!(dst) = match reg!(cell) {
                        Value::Cell(c) => c.get(),
                        _ => tri!(Err(Trap::new(TrapKind::Internal, "box_get on a non-cell"))),
                    };
                }
                Op::BoxSet { cell, src } => {
                    let v = reg!(src);
                    match reg!(cell) {
                        Value::Cell(c) => c.set(v),
                        _ => tri!(Err(Trap::new(TrapKind::Internal, "box_set on a non-cell"))),
                    }
                }
                Op::UpGet { dst, up } => reg!(dst) = tri!(self.upvalue(f.captures, up.0)),
                Op::UpSet { up, src } => {
                    let v = reg!(src);
                    match f.captures {
                        Captures::Cells(cells) => cells[up.0 as usize].set(v),
                        Captures::Frozen(_) => tri!(Err(Trap::new(
                            TrapKind::FrozenWrite,
                            "cannot assign to a variable captured by module-level state"
                        ))),
                    }
                }
                Op::Add { dst, a, b } => add!(dst, reg!(a), reg!(b)),
                Op::Sub { dst, a, b } => arith!(dst, reg!(a), reg!(b), -),
                Op::Mul { dst, a, b } => arith!(dst, reg!(a), reg!(b), *),
                Op::Div { dst, a, b } => arith!(dst, reg!(a), reg!(b), /),
                Op::Mod { dst, a, b } => rem!(dst, reg!(a), reg!(b)),
                Op::AddImm { dst, a, value } => add!(dst, reg!(a), imm(value)),
                Op::SubImm { dst, a, value } => arith!(dst, reg!(a), imm(value), -),
                Op::MulImm { dst, a, value } => arith!(dst, reg!(a), imm(value), *),
                Op::ModImm { dst, a, value } => rem!(dst, reg!(a), imm(value)),
                Op::Pow { dst, a, b } => {
                    let (x, y) = (reg!(a), reg!(b));
                    reg!(dst) =
                        Value::Num(ops::pow(tri!(ops::num(self, x)), tri!(ops::num(self, y))));
                }
                Op::BitAnd { dst, a, b } => {
                    let (x, y) = tri!(ops::int_pair(self, reg!(a), reg!(b)));
                    reg!(dst) = Value::Num(f64::from(x & y));
                }
                Op::BitOr { dst, a, b } => {
                    let (x, y) = tri!(ops::int_pair(self, reg!(a), reg!(b)));
                    reg!(dst) = Value::Num(f64::from(x | y));
                }
                Op::BitXor { dst, a, b } => {
                    let (x, y) = tri!(ops::int_pair(self, reg!(a), reg!(b)));
                    reg!(dst) = Value::Num(f64::from(x ^ y));
                }
                Op::Shl { dst, a, b } => {
                    let (x, y) = tri!(ops::int_pair(self, reg!(a), reg!(b)));
                    reg!(dst) = Value::Num(f64::from(x.wrapping_shl(y as u32 & 31)));
                }
                Op::Shr { dst, a, b } => {
                    let (x, y) = tri!(ops::int_pair(self, reg!(a), reg!(b)));
                    reg!(dst) = Value::Num(f64::from(x >> (y as u32 & 31)));
                }
                Op::UShr { dst, a, b } => {
                    let (x, y) = tri!(ops::int_pair(self, reg!(a), reg!(b)));
                    reg!(dst) = Value::Num(f64::from((x as u32) >> (y as u32 & 31)));
                }
                Op::StrictEq { dst, a, b } => {
                    set_bool!(dst, crate::value::strict_eq(reg!(a), reg!(b)));
                }
                Op::StrictNe { dst, a, b } => {
                    set_bool!(dst, !crate::value::strict_eq(reg!(a), reg!(b)));
                }
                Op::StrictEqImm { dst, a, value } => {
                    set_bool!(dst, crate::value::strict_eq(reg!(a), imm(value)));
                }
                Op::StrictNeImm { dst, a, value } => {
                    set_bool!(dst, !crate::value::strict_eq(reg!(a), imm(value)));
                }
                Op::Lt { dst, a, b } => compare!(dst, reg!(a), reg!(b), <, Some(Less)),
                Op::Le { dst, a, b } => compare!(dst, reg!(a), reg!(b), <=, Some(Less | Equal)),
                Op::Gt { dst, a, b } => compare!(dst, reg!(a), reg!(b), >, Some(Greater)),
                Op::Ge { dst, a, b } => compare!(dst, reg!(a), reg!(b), >=, Some(Greater | Equal)),
                Op::LtImm { dst, a, value } => compare!(dst, reg!(a), imm(value), <, Some(Less)),
                Op::LeImm { dst, a, value } => {
                    compare!(dst, reg!(a), imm(value), <=, Some(Less | Equal));
                }
                Op::GtImm { dst, a, value } => compare!(dst, reg!(a), imm(value), >, Some(Greater)),
                Op::GeImm { dst, a, value } => {
                    compare!(dst, reg!(a), imm(value), >=, Some(Greater | Equal));
                }
                Op::In { dst, key, obj } => {
                    let (k, o) = (reg!(key), reg!(obj));
                    reg!(dst) = Value::Bool(tri!(builtins::has_property(self, o, k)));
                }
                Op::Neg { dst, src } => {
                    let v = reg!(src);
                    reg!(dst) = Value::Num(-tri!(ops::num(self, v)));
                }
                Op::Plus { dst, src } => {
                    let v = reg!(src);
                    reg!(dst) = Value::Num(tri!(ops::num(self, v)));
                }
                Op::Not { dst, src } => reg!(dst) = Value::Bool(!reg!(src).truthy()),
                Op::BitNot { dst, src } => {
                    let v = reg!(src);
                    reg!(dst) = Value::Num(f64::from(!crate::js::number::to_int32(tri!(
                        ops::num(self, v)
                    ))));
                }
                Op::TypeOf { dst, src } => reg!(dst) = Value::Str(reg!(src).type_of()),
                Op::Concat { dst, parts } => {
                    let mut s = bumpalo::collections::String::new_in(self.arena);
                    for i in parts.iter() {
                        let v = self.regs[f.base + i];
                        tri!(ops::append_string(self, &mut s, v));
                    }
                    reg!(dst) = Value::Str(s.into_bump_str());
                }
                Op::Jump { target } => {
                    fuel!();
                    f.ip = target.0 as usize;
                }
                Op::JumpIfTrue { cond, target } => {
                    if reg!(cond).truthy() {
                        fuel!();
                        f.ip = target.0 as usize;
                    }
                }
                Op::JumpIfFalse { cond, target } => {
                    if !reg!(cond).truthy() {
                        fuel!();
                        f.ip = target.0 as usize;
                    }
                }
                Op::JumpIfUndef { src, target } => {
                    if reg!(src).is_undefined() {
                        fuel!();
                        f.ip = target.0 as usize;
                    }
                }
                Op::JumpIfNotUndef { src, target } => {
                    if !reg!(src).is_undefined() {
                        fuel!();
                        f.ip = target.0 as usize;
                    }
                }
                Op::Return { src } => {
                    let v = reg!(src);
                    if let Some(next) = self.pop_frame(stop, v) {
                        f = next;
                    } else {
                        return Ok(v);
                    }
                }
                Op::ReturnUndef {} => {
                    if let Some(next) = self.pop_frame(stop, Value::Undefined) {
                        f = next;
                    } else {
                        return Ok(Value::Undefined);
                    }
                }
                Op::NewObject { dst } => {
                    reg!(dst) = Value::Object(Object::new_in(self.arena, Class::Plain));
                }
                Op::NewArray { dst } => reg!(dst) = Value::Array(Array::new_in(self.arena)),
                Op::GetProp { dst, obj, key } => {
                    let o = reg!(obj);
                    let k = self.atom(key.0);
                    // An own property of an arena object, found through the
                    // slot cache; anything else takes the general path.
                    let found = match o {
                        Value::Object(ob) => {
                            ob.get_hinted_into(k, &self.slot_hints[key.0 as usize], &mut reg!(dst))
                        }
                        _ => false,
                    };
                    if !found {
                        reg!(dst) = tri!(builtins::get_property(self, o, k));
                    }
                }
                Op::SetProp { obj, key, src } => {
                    let (o, v) = (reg!(obj), reg!(src));
                    let k = self.atom(key.0);
                    match o {
                        Value::Object(ob) => ob.set_hinted(k, v, &self.slot_hints[key.0 as usize]),
                        _ => tri!(builtins::set_property(self, o, k, v)),
                    }
                }
                Op::GetElem { dst, obj, key } => {
                    let (o, k) = (reg!(obj), reg!(key));
                    reg!(dst) = tri!(builtins::get_element(self, o, k));
                }
                Op::SetElem { obj, key, src } => {
                    let (o, k, v) = (reg!(obj), reg!(key), reg!(src));
                    tri!(builtins::set_element(self, o, k, v));
                }
                Op::ArrayPush { arr, src } => {
                    let v = reg!(src);
                    match reg!(arr) {
                        Value::Array(a) => a.items.borrow_mut().push(v),
                        _ => tri!(Err(Trap::new(
                            TrapKind::Internal,
                            "array_push on a non-array"
                        ))),
                    }
                }
                Op::ArraySpread { arr, src } => {
                    let (a, s) = (reg!(arr), reg!(src));
                    tri!(builtins::spread_into_array(self, a, s));
                }
                Op::ObjectSpread { obj, src } => {
                    let (o, s) = (reg!(obj), reg!(src));
                    tri!(builtins::object::spread_into(self, o, s));
                }
                Op::ObjectRest { dst, src, exclude } => {
                    let s = reg!(src);
                    let mut keys: BVec<'a, &'a str> = BVec::new_in(self.arena);
                    for i in exclude.iter() {
                        let k = self.regs[f.base + i];
                        keys.push(tri!(ops::to_property_key(self, k)));
                    }
                    reg!(dst) = tri!(builtins::object::rest(self, s, &keys));
                }
                Op::ArrayRest { dst, src, from } => {
                    let s = reg!(src);
                    reg!(dst) = tri!(builtins::array_rest(self, s, from as usize));
                }
                Op::Call { dst, callee, args } => {
                    fuel!();
                    let c = reg!(callee);
                    let start = f.base + args.start as usize;
                    let count = args.count as usize;
                    self.frames.last_mut().expect("frame").ip = f.ip;
                    if let Some(target) = Self::callee_of(c) {
                        tri!(self.push_frame_with(target, ArgSource::Regs { start, count }, dst.0));
                        f = *self.frames.last().expect("frame");
                    } else {
                        let argv: NativeArgs<'a> =
                            self.regs[start..start + count].iter().copied().collect();
                        let v = tri!(builtins::call_value(self, c, &argv));
                        reg!(dst) = v;
                    }
                }
                Op::CallDirect {
                    dst,
                    f: callee,
                    args,
                } => {
                    fuel!();
                    let start = f.base + args.start as usize;
                    let count = args.count as usize;
                    self.frames.last_mut().expect("frame").ip = f.ip;
                    let target = Callee {
                        func: callee.0,
                        captures: Captures::Cells(&[]),
                    };
                    tri!(self.push_frame_with(target, ArgSource::Regs { start, count }, dst.0));
                    f = *self.frames.last().expect("frame");
                }
                Op::CallMethod {
                    dst,
                    obj,
                    key,
                    args,
                } => {
                    fuel!();
                    let o = reg!(obj);
                    let k = self.atom(key.0);
                    let start = f.base + args.start as usize;
                    if let Value::Array(a) = o
                        && args.count == 1
                        && k == "push"
                    {
                        // The commonest method call, without copying the
                        // argument list and dispatching on the receiver
                        // and the name (what `array::call_method` does).
                        let v = self.regs[start];
                        reg!(dst) = tri!(builtins::array::push(self, a, &[v]));
                    } else {
                        let argv: NativeArgs<'a> = self.regs[start..start + args.count as usize]
                            .iter()
                            .copied()
                            .collect();
                        self.frames.last_mut().expect("frame").ip = f.ip;
                        let v = tri!(builtins::call_method(self, o, k, &argv));
                        reg!(dst) = v;
                    }
                }
                Op::CallSpread { dst, callee, args } => {
                    fuel!();
                    let c = reg!(callee);
                    let argv = tri!(builtins::spread_args(self, reg!(args)));
                    self.frames.last_mut().expect("frame").ip = f.ip;
                    let v = tri!(self.call(c, argv));
                    reg!(dst) = v;
                }
                Op::CallMethodSpread {
                    dst,
                    obj,
                    key,
                    args,
                } => {
                    fuel!();
                    let o = reg!(obj);
                    let k = self.atom(key.0);
                    let argv = tri!(builtins::spread_args(self, reg!(args)));
                    self.frames.last_mut().expect("frame").ip = f.ip;
                    let v = tri!(builtins::call_method(self, o, k, argv));
                    reg!(dst) = v;
                }
                Op::IterInit { dst, src } => {
                    let s = reg!(src);
                    // An iterator value iterates itself (its state is shared and consumed).
                    reg!(dst) = if let Value::Iter(_) = s {
                        s
                    } else {
                        let it = tri!(Iter::new(self, s));
                        Value::Iter(self.arena.alloc(RefCell::new(it)))
                    };
                }
                Op::IterNext { dst, iter, done } => {
                    fuel!();
                    let mut v = Value::Undefined;
                    let more = match reg!(iter) {
                        Value::Iter(it) => tri!(Iter::next_into(it, self, &mut v)),
                        _ => tri!(Err(Trap::new(
                            TrapKind::Internal,
                            "iter_next on a non-iterator"
                        ))),
                    };
                    if more {
                        reg!(dst) = v;
                    } else {
                        f.ip = done.0 as usize;
                    }
                }
            }
        }
    }

    /// Pops the current frame, delivering `v` to the caller. Returns the
    /// caller's frame, or `None` when the run that started at `stop` is done.
    fn pop_frame(&mut self, stop: usize, v: Value<'a>) -> Option<Frame<'a>> {
        let done = self.frames.pop().expect("frame");
        if self.frames.len() <= stop {
            return None;
        }
        let caller = *self.frames.last().expect("caller frame");
        self.regs[caller.base + done.dst as usize] = v;
        Some(caller)
    }

    /// Atom `i` of the bundle.
    pub(crate) fn atom(&self, i: u32) -> &'a str {
        self.program.bundle().atoms[i as usize].as_str()
    }
}
