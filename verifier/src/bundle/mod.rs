//! The `.zbc` bundle: an in-memory model, its encoder and its decoder.
//!
//! Layout (all integers little-endian):
//!
//! ```text
//! magic        4 bytes  "ZBC\0"
//! version      u16      FORMAT_VERSION
//! count        u16      number of sections
//! table        count x (kind u16, offset u32, length u32)   offsets from file start
//! sections     the bytes the table points at, each kind exactly once
//! sha256       32 bytes SHA-256 of every byte before it
//! ```
//!
//! Sections: atoms, constants, functions, imports, module, contract,
//! source map (layouts in `encode.rs`). Decoding checks the hash first, then
//! validates every tag, length and UTF-8 string; it trusts nothing else (that
//! is the verifier's job).

mod decode;
mod encode;

pub use decode::{DecodeError, decode};
pub use encode::{encode, seal};

use crate::operand::{Reg, UpvalIdx};

/// File magic.
pub const MAGIC: [u8; 4] = *b"ZBC\0";
/// Format version this crate reads and writes.
pub const FORMAT_VERSION: u16 = 1;
/// Size of the trailing SHA-256.
pub const HASH_LEN: usize = 32;

/// Section kinds, in the order the encoder writes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u16)]
pub enum SectionKind {
    Atoms = 1,
    Constants = 2,
    Functions = 3,
    Imports = 4,
    Module = 5,
    Contract = 6,
    SourceMap = 7,
}

impl SectionKind {
    pub const ALL: [SectionKind; 7] = [
        SectionKind::Atoms,
        SectionKind::Constants,
        SectionKind::Functions,
        SectionKind::Imports,
        SectionKind::Module,
        SectionKind::Contract,
        SectionKind::SourceMap,
    ];

    pub fn from_u16(v: u16) -> Option<SectionKind> {
        SectionKind::ALL.into_iter().find(|k| *k as u16 == v)
    }

    pub fn name(self) -> &'static str {
        match self {
            SectionKind::Atoms => "atoms",
            SectionKind::Constants => "constants",
            SectionKind::Functions => "functions",
            SectionKind::Imports => "imports",
            SectionKind::Module => "module",
            SectionKind::Contract => "contract",
            SectionKind::SourceMap => "source map",
        }
    }
}

/// A constant-table entry.
#[derive(Clone, Debug, PartialEq)]
pub enum Constant {
    Number(f64),
    String(String),
}

/// Where a closure's captured cell comes from, seen from the function that
/// runs `make_closure` (the closure's parent).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Capture {
    /// A register of the parent that holds a cell.
    Local(Reg),
    /// One of the parent's own captured cells.
    Upval(UpvalIdx),
}

/// One function.
#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    /// Name for traces and the disassembler (may be empty).
    pub name: String,
    /// The lexically enclosing function, always a lower index; `None` only
    /// for the module initializer (function 0). Only the parent may create a
    /// closure of this function, and captures are resolved in the parent.
    pub parent: Option<u32>,
    /// Declared parameters; arguments arrive in registers `0..param_count`.
    pub param_count: u16,
    /// Whether a rest parameter collects further arguments into register `param_count`.
    pub has_rest: bool,
    pub reg_count: u16,
    pub captures: Vec<Capture>,
    pub code: Vec<u8>,
}

/// A module import: `import { export } from "specifier"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    pub specifier: String,
    pub export: String,
}

/// An exported module-level binding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Export {
    pub name: String,
    pub global: u32,
}

/// Module-level bindings and exports. Function 0 initializes the bindings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModuleInfo {
    /// One name per module-level binding slot.
    pub globals: Vec<String>,
    pub exports: Vec<Export>,
}

/// One source position: from byte offset `pc` on, code comes from here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourcePos {
    pub pc: u32,
    pub file: u16,
    pub line: u32,
    pub col: u32,
}

/// pc -> source position tables, one per function.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMap {
    pub files: Vec<String>,
    pub functions: Vec<Vec<SourcePos>>,
}

impl SourceMap {
    /// The position of byte offset `pc` in function `func`.
    pub fn lookup(&self, func: usize, pc: u32) -> Option<(&str, u32, u32)> {
        let table = self.functions.get(func)?;
        let idx = table.partition_point(|p| p.pc <= pc).checked_sub(1)?;
        let pos = table[idx];
        let file = self.files.get(pos.file as usize)?;
        Some((file.as_str(), pos.line, pos.col))
    }
}

/// A whole bundle, as the compiler builds it and the decoder returns it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bundle {
    pub atoms: Vec<String>,
    pub constants: Vec<Constant>,
    pub functions: Vec<Function>,
    pub imports: Vec<Import>,
    pub module: ModuleInfo,
    /// The contract JSON, byte for byte as embedded (it is hashed and signed).
    pub contract: Vec<u8>,
    pub source_map: SourceMap,
}
