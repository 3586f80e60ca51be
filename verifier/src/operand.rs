//! Operand newtypes of the ISA and their fixed-width little-endian encoding.
//!
//! Every operand has one role (see [`Role`]); the role decides how the
//! verifier checks it. Types are distinct so that an encoding bug (a register
//! where a constant index belongs) fails to compile.

use std::fmt;

/// What an operand is, as declared in the ISA table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// A register the instruction reads.
    In,
    /// A register the instruction writes.
    Out,
    /// A run of consecutive registers the instruction reads (call arguments, template parts).
    Args,
    /// An index into the constant table that must name a number.
    Num,
    /// An index into the constant table that must name a string.
    Str,
    /// An index into the atom table (property names).
    Atom,
    /// An index into the function table.
    Func,
    /// An index into the module-import table.
    Import,
    /// An index into the module-level binding slots.
    Global,
    /// An index into the built-in global table ([`crate::builtins::BUILTINS`]).
    Builtin,
    /// An index into the current function's captured cells.
    Upval,
    /// A jump target: an absolute byte offset inside the current function.
    Jump,
    /// A signed 32-bit immediate.
    Imm,
}

impl Role {
    /// Encoded width in bytes.
    pub const fn width(self) -> usize {
        match self {
            Role::In | Role::Out | Role::Builtin | Role::Upval => 2,
            Role::Args
            | Role::Num
            | Role::Str
            | Role::Atom
            | Role::Func
            | Role::Import
            | Role::Global
            | Role::Jump
            | Role::Imm => 4,
        }
    }

    /// Short description used by the disassembler docs.
    pub const fn describe(self) -> &'static str {
        match self {
            Role::In => "register read",
            Role::Out => "register written",
            Role::Args => "register run read (start u16, count u16)",
            Role::Num => "number constant index",
            Role::Str => "string constant index",
            Role::Atom => "atom index",
            Role::Func => "function index",
            Role::Import => "module import index",
            Role::Global => "module binding index",
            Role::Builtin => "built-in global index",
            Role::Upval => "captured cell index",
            Role::Jump => "jump target (byte offset in the function)",
            Role::Imm => "signed 32-bit immediate",
        }
    }
}

/// The value of one operand, uniform for the verifier and the disassembler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperandValue {
    Reg(u16),
    Range { start: u16, count: u16 },
    Index(u32),
    Imm(i32),
}

/// A register number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Reg(pub u16);

/// A run of `count` registers starting at `start`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegRange {
    pub start: u16,
    pub count: u16,
}

impl RegRange {
    /// The registers of the run, as indices.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        let start = self.start as usize;
        start..start + self.count as usize
    }
}

/// Index into the constant table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConstIdx(pub u32);
/// Index into the atom table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AtomIdx(pub u32);
/// Index into the function table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FuncIdx(pub u32);
/// Index into the module-import table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ImportIdx(pub u32);
/// Index into the module-level binding slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GlobalIdx(pub u32);
/// Index into the built-in global table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuiltinIdx(pub u16);
/// Index into the current closure's captured cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UpvalIdx(pub u16);
/// A jump target. In encoded bytecode it is a byte offset; in a
/// [`crate::VerifiedFunction`] it has been rewritten to an instruction index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target(pub u32);

/// Little-endian reader over one function's code.
pub(crate) struct Reader<'b> {
    bytes: &'b [u8],
    pos: usize,
}

impl<'b> Reader<'b> {
    pub(crate) fn new(bytes: &'b [u8], pos: usize) -> Self {
        Reader { bytes, pos }
    }
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let end = self.pos.checked_add(N)?;
        let chunk = self.bytes.get(self.pos..end)?;
        self.pos = end;
        chunk.try_into().ok()
    }
    pub(crate) fn u8(&mut self) -> Option<u8> {
        self.take::<1>().map(|b| b[0])
    }
    pub(crate) fn u16(&mut self) -> Option<u16> {
        self.take::<2>().map(u16::from_le_bytes)
    }
    pub(crate) fn u32(&mut self) -> Option<u32> {
        self.take::<4>().map(u32::from_le_bytes)
    }
}

/// Encoding, decoding and uniform inspection of an operand type.
pub(crate) trait Operand: Sized + Copy {
    fn encode(self, out: &mut Vec<u8>);
    fn decode(r: &mut Reader<'_>) -> Option<Self>;
    fn value(self) -> OperandValue;
    /// Called on every operand; only [`Target`] reacts (jump rewriting).
    fn visit_target(&mut self, _f: &mut dyn FnMut(&mut Target)) {}
}

macro_rules! index_operand {
    ($($ty:ident($inner:ty, $read:ident)),*) => {$(
        impl Operand for $ty {
            fn encode(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.0.to_le_bytes());
            }
            fn decode(r: &mut Reader<'_>) -> Option<Self> {
                r.$read().map($ty)
            }
            fn value(self) -> OperandValue {
                OperandValue::Index(u32::from(self.0))
            }
        }
    )*};
}
index_operand!(
    ConstIdx(u32, u32),
    AtomIdx(u32, u32),
    FuncIdx(u32, u32),
    ImportIdx(u32, u32),
    GlobalIdx(u32, u32),
    BuiltinIdx(u16, u16),
    UpvalIdx(u16, u16)
);

impl Operand for Target {
    fn encode(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0.to_le_bytes());
    }
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        r.u32().map(Target)
    }
    fn value(self) -> OperandValue {
        OperandValue::Index(self.0)
    }
    fn visit_target(&mut self, f: &mut dyn FnMut(&mut Target)) {
        f(self);
    }
}

impl Operand for Reg {
    fn encode(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0.to_le_bytes());
    }
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        r.u16().map(Reg)
    }
    fn value(self) -> OperandValue {
        OperandValue::Reg(self.0)
    }
}

impl Operand for RegRange {
    fn encode(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.start.to_le_bytes());
        out.extend_from_slice(&self.count.to_le_bytes());
    }
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        Some(RegRange {
            start: r.u16()?,
            count: r.u16()?,
        })
    }
    fn value(self) -> OperandValue {
        OperandValue::Range {
            start: self.start,
            count: self.count,
        }
    }
}

impl Operand for i32 {
    fn encode(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn decode(r: &mut Reader<'_>) -> Option<Self> {
        r.u32().map(|v| v as i32)
    }
    fn value(self) -> OperandValue {
        OperandValue::Imm(self)
    }
}

impl fmt::Display for OperandValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            OperandValue::Reg(r) => write!(f, "r{r}"),
            OperandValue::Range { start, count } => {
                if count == 0 {
                    write!(f, "()")
                } else {
                    write!(
                        f,
                        "(r{start}..r{})",
                        u32::from(start) + u32::from(count) - 1
                    )
                }
            }
            OperandValue::Index(i) => write!(f, "{i}"),
            OperandValue::Imm(i) => write!(f, "{i}"),
        }
    }
}
