//! Bundle encoder. Section layouts (little-endian; `str` is u32 length + UTF-8):
//!
//! ```text
//! atoms      u32 n, n x str
//! constants  u32 n, n x (u8 tag: 0 number -> u64 bits | 1 string -> str)
//! functions  u32 n, n x (str name, u32 parent (u32::MAX = none), u16 params,
//!            u8 flags (bit 0 rest), u16 regs, u32 m, m x (u8 kind 0 local |
//!            1 upval, u16 index), u32 len, code)
//! imports    u32 n, n x (str specifier, str export)
//! module     u32 n, n x str (binding names), u32 m, m x (str name, u32 binding)
//! contract   the contract JSON bytes
//! source map u32 files, files x str, u32 n, n x (u32 k, k x (u32 pc, u16 file,
//!            u32 line, u32 col))
//! ```

use super::{Bundle, Capture, Constant, FORMAT_VERSION, MAGIC, SectionKind};
use sha2::{Digest, Sha256};

/// Function flag: the function has a rest parameter.
pub(super) const FLAG_REST: u8 = 1;
/// `parent` value meaning "no parent".
pub(super) const NO_PARENT: u32 = u32::MAX;

struct W(Vec<u8>);

impl W {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn len32(&mut self, n: usize) {
        self.u32(u32::try_from(n).unwrap_or(u32::MAX));
    }
    fn bytes(&mut self, b: &[u8]) {
        self.len32(b.len());
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
}

fn section(kind: SectionKind, bundle: &Bundle) -> Vec<u8> {
    let mut w = W(Vec::new());
    match kind {
        SectionKind::Atoms => {
            w.len32(bundle.atoms.len());
            for a in &bundle.atoms {
                w.str(a);
            }
        }
        SectionKind::Constants => {
            w.len32(bundle.constants.len());
            for c in &bundle.constants {
                match c {
                    Constant::Number(n) => {
                        w.u8(0);
                        w.0.extend_from_slice(&n.to_bits().to_le_bytes());
                    }
                    Constant::String(s) => {
                        w.u8(1);
                        w.str(s);
                    }
                }
            }
        }
        SectionKind::Functions => {
            w.len32(bundle.functions.len());
            for f in &bundle.functions {
                w.str(&f.name);
                w.u32(f.parent.unwrap_or(NO_PARENT));
                w.u16(f.param_count);
                w.u8(if f.has_rest { FLAG_REST } else { 0 });
                w.u16(f.reg_count);
                w.len32(f.captures.len());
                for c in &f.captures {
                    match *c {
                        Capture::Local(r) => {
                            w.u8(0);
                            w.u16(r.0);
                        }
                        Capture::Upval(u) => {
                            w.u8(1);
                            w.u16(u.0);
                        }
                    }
                }
                w.bytes(&f.code);
            }
        }
        SectionKind::Imports => {
            w.len32(bundle.imports.len());
            for i in &bundle.imports {
                w.str(&i.specifier);
                w.str(&i.export);
            }
        }
        SectionKind::Module => {
            w.len32(bundle.module.globals.len());
            for g in &bundle.module.globals {
                w.str(g);
            }
            w.len32(bundle.module.exports.len());
            for e in &bundle.module.exports {
                w.str(&e.name);
                w.u32(e.global);
            }
        }
        SectionKind::Contract => w.0.extend_from_slice(&bundle.contract),
        SectionKind::SourceMap => {
            let sm = &bundle.source_map;
            w.len32(sm.files.len());
            for f in &sm.files {
                w.str(f);
            }
            w.len32(sm.functions.len());
            for table in &sm.functions {
                w.len32(table.len());
                for p in table {
                    w.u32(p.pc);
                    w.u16(p.file);
                    w.u32(p.line);
                    w.u32(p.col);
                }
            }
        }
    }
    w.0
}

/// Encodes a bundle to `.zbc` bytes, sealed with its SHA-256.
pub fn encode(bundle: &Bundle) -> Vec<u8> {
    let bodies: Vec<(SectionKind, Vec<u8>)> = SectionKind::ALL
        .iter()
        .map(|&k| (k, section(k, bundle)))
        .collect();
    let header_len = 4 + 2 + 2 + bodies.len() * 10;
    let mut w = W(Vec::with_capacity(
        header_len + bodies.iter().map(|(_, b)| b.len()).sum::<usize>() + 32,
    ));
    w.0.extend_from_slice(&MAGIC);
    w.u16(FORMAT_VERSION);
    w.u16(bodies.len() as u16);
    let mut offset = header_len;
    for (kind, body) in &bodies {
        w.u16(*kind as u16);
        w.len32(offset);
        w.len32(body.len());
        offset += body.len();
    }
    for (_, body) in &bodies {
        w.0.extend_from_slice(body);
    }
    seal(&mut w.0);
    w.0
}

/// Appends the SHA-256 of `bytes` to `bytes`.
pub fn seal(bytes: &mut Vec<u8>) {
    let digest = Sha256::digest(&bytes[..]);
    bytes.extend_from_slice(&digest);
}
