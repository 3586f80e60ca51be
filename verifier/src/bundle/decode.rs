//! Bundle decoder: validates every tag, length, count and string; allocates
//! only in proportion to the bytes actually present.

use super::encode::{FLAG_REST, NO_PARENT};
use super::{
    Bundle, Capture, Constant, Export, FORMAT_VERSION, Function, HASH_LEN, Import, MAGIC,
    ModuleInfo, SectionKind, SourceMap, SourcePos,
};
use crate::limits::Limits;
use crate::operand::{Reg, UpvalIdx};
use sha2::{Digest, Sha256};
use std::fmt;

/// Why a byte string is not a well-formed bundle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// The section being read, if the error is inside one.
    pub section: Option<SectionKind>,
    /// Byte offset in the file.
    pub offset: usize,
    pub kind: DecodeErrorKind,
}

/// Stable decode-error kinds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeErrorKind {
    TooShort,
    BadMagic,
    UnsupportedVersion(u16),
    HashMismatch,
    TooLarge { size: usize, limit: usize },
    UnknownSection(u16),
    DuplicateSection,
    MissingSection(SectionKind),
    SectionOutOfBounds,
    SectionsOverlap,
    Truncated,
    InvalidUtf8,
    UnknownTag(u8),
    ReservedFlags(u8),
    TrailingBytes,
    LimitExceeded { what: &'static str, limit: usize },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid bundle")?;
        if let Some(s) = self.section {
            write!(f, " ({} section)", s.name())?;
        }
        write!(f, " at byte {}: ", self.offset)?;
        match &self.kind {
            DecodeErrorKind::TooShort => write!(f, "file too short to be a bundle"),
            DecodeErrorKind::BadMagic => write!(f, "not a .zbc bundle (bad magic)"),
            DecodeErrorKind::UnsupportedVersion(v) => {
                write!(
                    f,
                    "format version {v} is not supported (expected {FORMAT_VERSION})"
                )
            }
            DecodeErrorKind::HashMismatch => {
                write!(
                    f,
                    "content hash mismatch: the bundle is corrupted or was modified"
                )
            }
            DecodeErrorKind::TooLarge { size, limit } => {
                write!(f, "bundle is {size} bytes, the limit is {limit}")
            }
            DecodeErrorKind::UnknownSection(k) => write!(f, "unknown section kind {k}"),
            DecodeErrorKind::DuplicateSection => write!(f, "section appears twice"),
            DecodeErrorKind::MissingSection(k) => write!(f, "missing {} section", k.name()),
            DecodeErrorKind::SectionOutOfBounds => write!(f, "section lies outside the file"),
            DecodeErrorKind::SectionsOverlap => write!(f, "sections overlap"),
            DecodeErrorKind::Truncated => write!(f, "unexpected end of section"),
            DecodeErrorKind::InvalidUtf8 => write!(f, "string is not valid UTF-8"),
            DecodeErrorKind::UnknownTag(t) => write!(f, "unknown tag {t}"),
            DecodeErrorKind::ReservedFlags(b) => write!(f, "reserved flag bits set ({b:#04x})"),
            DecodeErrorKind::TrailingBytes => write!(f, "unexpected bytes after section content"),
            DecodeErrorKind::LimitExceeded { what, limit } => {
                write!(f, "too many {what} (limit {limit})")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// Reader over one section, reporting file offsets.
struct R<'b> {
    bytes: &'b [u8],
    pos: usize,
    base: usize,
    section: SectionKind,
    limits: &'b Limits,
}

impl<'b> R<'b> {
    fn err(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError {
            section: Some(self.section),
            offset: self.base + self.pos,
            kind,
        }
    }
    fn take(&mut self, n: usize) -> Result<&'b [u8], DecodeError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        match end {
            Some(end) => {
                let s = &self.bytes[self.pos..end];
                self.pos = end;
                Ok(s)
            }
            None => Err(self.err(DecodeErrorKind::Truncated)),
        }
    }
    fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(self.take(1)?[0])
    }
    fn u16(&mut self) -> Result<u16, DecodeError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> Result<u32, DecodeError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64, DecodeError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    /// A count of items each at least `min_item` bytes long, bounded by a
    /// limit and by the bytes left (so a forged count cannot make us allocate).
    fn count(
        &mut self,
        what: &'static str,
        limit: usize,
        min_item: usize,
    ) -> Result<usize, DecodeError> {
        let n = self.u32()? as usize;
        if n > limit {
            return Err(self.err(DecodeErrorKind::LimitExceeded { what, limit }));
        }
        if n.saturating_mul(min_item) > self.bytes.len() - self.pos {
            return Err(self.err(DecodeErrorKind::Truncated));
        }
        Ok(n)
    }
    fn blob(&mut self, limit: usize, what: &'static str) -> Result<&'b [u8], DecodeError> {
        let n = self.u32()? as usize;
        if n > limit {
            return Err(self.err(DecodeErrorKind::LimitExceeded { what, limit }));
        }
        self.take(n)
    }
    fn str(&mut self) -> Result<String, DecodeError> {
        let at = self.pos;
        let b = self.blob(self.limits.max_string_bytes, "string bytes")?;
        std::str::from_utf8(b)
            .map(str::to_owned)
            .map_err(|_| DecodeError {
                section: Some(self.section),
                offset: self.base + at,
                kind: DecodeErrorKind::InvalidUtf8,
            })
    }
    fn finish(&self) -> Result<(), DecodeError> {
        if self.pos == self.bytes.len() {
            Ok(())
        } else {
            Err(self.err(DecodeErrorKind::TrailingBytes))
        }
    }
}

fn file_err(offset: usize, kind: DecodeErrorKind) -> DecodeError {
    DecodeError {
        section: None,
        offset,
        kind,
    }
}

/// Decodes `.zbc` bytes into a [`Bundle`], checking the content hash first.
/// The result is well-formed but not verified: pass it to [`crate::verify`].
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Bundle, DecodeError> {
    if bytes.len() > limits.max_bundle_bytes {
        return Err(file_err(
            0,
            DecodeErrorKind::TooLarge {
                size: bytes.len(),
                limit: limits.max_bundle_bytes,
            },
        ));
    }
    if bytes.len() < 8 + HASH_LEN {
        return Err(file_err(0, DecodeErrorKind::TooShort));
    }
    if bytes[..4] != MAGIC {
        return Err(file_err(0, DecodeErrorKind::BadMagic));
    }
    let version = u16::from_le_bytes([bytes[4], bytes[5]]);
    if version != FORMAT_VERSION {
        return Err(file_err(4, DecodeErrorKind::UnsupportedVersion(version)));
    }
    let content_end = bytes.len() - HASH_LEN;
    let digest = Sha256::digest(&bytes[..content_end]);
    if digest[..] != bytes[content_end..] {
        return Err(file_err(content_end, DecodeErrorKind::HashMismatch));
    }
    let count = u16::from_le_bytes([bytes[6], bytes[7]]) as usize;
    let table_end = 8 + count * 10;
    if table_end > content_end {
        return Err(file_err(8, DecodeErrorKind::Truncated));
    }
    let mut slots: [Option<(usize, usize)>; 7] = [None; 7];
    let mut ranges: Vec<(usize, usize)> = Vec::with_capacity(count);
    for i in 0..count {
        let at = 8 + i * 10;
        let kind_raw = u16::from_le_bytes([bytes[at], bytes[at + 1]]);
        let off = u32::from_le_bytes([bytes[at + 2], bytes[at + 3], bytes[at + 4], bytes[at + 5]])
            as usize;
        let len = u32::from_le_bytes([bytes[at + 6], bytes[at + 7], bytes[at + 8], bytes[at + 9]])
            as usize;
        let kind = SectionKind::from_u16(kind_raw)
            .ok_or_else(|| file_err(at, DecodeErrorKind::UnknownSection(kind_raw)))?;
        let slot = &mut slots[kind as usize - 1];
        if slot.is_some() {
            return Err(file_err(at, DecodeErrorKind::DuplicateSection));
        }
        let end = off
            .checked_add(len)
            .filter(|&e| off >= table_end && e <= content_end);
        let Some(end) = end else {
            return Err(file_err(at, DecodeErrorKind::SectionOutOfBounds));
        };
        if ranges.iter().any(|&(s, e)| off < e && s < end) {
            return Err(file_err(at, DecodeErrorKind::SectionsOverlap));
        }
        ranges.push((off, end));
        *slot = Some((off, end));
    }
    let reader = |kind: SectionKind| -> Result<R<'_>, DecodeError> {
        let (off, end) = slots[kind as usize - 1]
            .ok_or_else(|| file_err(6, DecodeErrorKind::MissingSection(kind)))?;
        Ok(R {
            bytes: &bytes[off..end],
            pos: 0,
            base: off,
            section: kind,
            limits,
        })
    };

    let mut bundle = Bundle::default();

    let mut r = reader(SectionKind::Atoms)?;
    let n = r.count("atoms", limits.max_atoms, 4)?;
    for _ in 0..n {
        bundle.atoms.push(r.str()?);
    }
    r.finish()?;

    let mut r = reader(SectionKind::Constants)?;
    let n = r.count("constants", limits.max_constants, 5)?;
    for _ in 0..n {
        let at = r.pos;
        let c = match r.u8()? {
            0 => Constant::Number(f64::from_bits(r.u64()?)),
            1 => Constant::String(r.str()?),
            t => {
                r.pos = at;
                return Err(r.err(DecodeErrorKind::UnknownTag(t)));
            }
        };
        bundle.constants.push(c);
    }
    r.finish()?;

    let mut r = reader(SectionKind::Functions)?;
    let n = r.count("functions", limits.max_functions, 21)?;
    for _ in 0..n {
        let name = r.str()?;
        let parent = match r.u32()? {
            NO_PARENT => None,
            p => Some(p),
        };
        let param_count = r.u16()?;
        let flags_at = r.pos;
        let flags = r.u8()?;
        if flags & !FLAG_REST != 0 {
            r.pos = flags_at;
            return Err(r.err(DecodeErrorKind::ReservedFlags(flags)));
        }
        let reg_count = r.u16()?;
        let m = r.count("captures", limits.max_captures, 3)?;
        let mut captures = Vec::with_capacity(m);
        for _ in 0..m {
            let at = r.pos;
            let c = match r.u8()? {
                0 => Capture::Local(Reg(r.u16()?)),
                1 => Capture::Upval(UpvalIdx(r.u16()?)),
                t => {
                    r.pos = at;
                    return Err(r.err(DecodeErrorKind::UnknownTag(t)));
                }
            };
            captures.push(c);
        }
        let code = r.blob(limits.max_code_bytes, "code bytes")?.to_vec();
        bundle.functions.push(Function {
            name,
            parent,
            param_count,
            has_rest: flags & FLAG_REST != 0,
            reg_count,
            captures,
            code,
        });
    }
    r.finish()?;

    let mut r = reader(SectionKind::Imports)?;
    let n = r.count("imports", limits.max_imports, 8)?;
    for _ in 0..n {
        let specifier = r.str()?;
        let export = r.str()?;
        bundle.imports.push(Import { specifier, export });
    }
    r.finish()?;

    let mut r = reader(SectionKind::Module)?;
    let n = r.count("module bindings", limits.max_globals, 4)?;
    let mut module = ModuleInfo::default();
    for _ in 0..n {
        module.globals.push(r.str()?);
    }
    let m = r.count("exports", limits.max_globals, 8)?;
    for _ in 0..m {
        let name = r.str()?;
        let global = r.u32()?;
        module.exports.push(Export { name, global });
    }
    r.finish()?;
    bundle.module = module;

    let r = reader(SectionKind::Contract)?;
    bundle.contract = r.bytes.to_vec();

    let mut r = reader(SectionKind::SourceMap)?;
    let files = r.count("source files", limits.max_functions, 4)?;
    let mut sm = SourceMap::default();
    for _ in 0..files {
        sm.files.push(r.str()?);
    }
    let n = r.count("source-map tables", limits.max_functions, 4)?;
    for _ in 0..n {
        let k = r.count("source positions", limits.max_code_bytes, 14)?;
        let mut table = Vec::with_capacity(k);
        for _ in 0..k {
            table.push(SourcePos {
                pc: r.u32()?,
                file: r.u16()?,
                line: r.u32()?,
                col: r.u32()?,
            });
        }
        sm.functions.push(table);
    }
    r.finish()?;
    bundle.source_map = sm;

    Ok(bundle)
}
