//! Disassembler: a readable listing of a bundle, derived from the ISA table.

use crate::bundle::{Bundle, Capture, Constant};
use crate::isa::Op;
use crate::operand::{OperandValue, Role};
use std::fmt::Write;

/// Renders every table and function of `bundle`.
pub fn disassemble(bundle: &Bundle) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "; atoms: {}", bundle.atoms.len());
    for (i, a) in bundle.atoms.iter().enumerate() {
        let _ = writeln!(out, ";   @{i} {a:?}");
    }
    let _ = writeln!(out, "; constants: {}", bundle.constants.len());
    for (i, c) in bundle.constants.iter().enumerate() {
        match c {
            Constant::Number(n) => {
                let _ = writeln!(out, ";   #{i} number {n:?}");
            }
            Constant::String(s) => {
                let _ = writeln!(out, ";   #{i} string {s:?}");
            }
        }
    }
    let _ = writeln!(out, "; imports: {}", bundle.imports.len());
    for (i, im) in bundle.imports.iter().enumerate() {
        let _ = writeln!(
            out,
            ";   import {i}: {{ {} }} from {:?}",
            im.export, im.specifier
        );
    }
    let _ = writeln!(out, "; module bindings: {}", bundle.module.globals.len());
    for (i, g) in bundle.module.globals.iter().enumerate() {
        let exported = bundle.module.exports.iter().any(|e| e.global as usize == i);
        let _ = writeln!(
            out,
            ";   g{i} {g}{}",
            if exported { " (exported)" } else { "" }
        );
    }
    for (i, f) in bundle.functions.iter().enumerate() {
        let name = if f.name.is_empty() {
            "<anonymous>"
        } else {
            &f.name
        };
        let _ = write!(
            out,
            "\nfunction {i} {name}: params={}{} regs={}",
            f.param_count,
            if f.has_rest { "+rest" } else { "" },
            f.reg_count
        );
        if let Some(p) = f.parent {
            let _ = write!(out, " parent={p}");
        }
        if !f.captures.is_empty() {
            let caps: Vec<String> = f
                .captures
                .iter()
                .map(|c| match c {
                    Capture::Local(r) => format!("r{}", r.0),
                    Capture::Upval(u) => format!("up{}", u.0),
                })
                .collect();
            let _ = write!(out, " captures=[{}]", caps.join(", "));
        }
        out.push('\n');
        let mut pc = 0;
        while pc < f.code.len() {
            match Op::decode(&f.code, pc) {
                Ok((op, next)) => {
                    let _ = writeln!(out, "  {pc:5}  {}", render(bundle, &op));
                    pc = next;
                }
                Err(e) => {
                    let _ = writeln!(out, "  {pc:5}  <undecodable: {e:?}>");
                    break;
                }
            }
        }
    }
    out
}

/// One instruction as `mnemonic operand, operand ...`, with names resolved.
pub fn render(bundle: &Bundle, op: &Op) -> String {
    let mut s = op.opcode().mnemonic().to_string();
    let mut first = true;
    op.for_each_operand(|role, value| {
        s.push_str(if first { " " } else { ", " });
        first = false;
        let note = match (role, value) {
            (Role::Num | Role::Str, OperandValue::Index(k)) => {
                match bundle.constants.get(k as usize) {
                    Some(Constant::Number(n)) => format!("#{k} ({n:?})"),
                    Some(Constant::String(t)) => format!("#{k} ({t:?})"),
                    None => format!("#{k}"),
                }
            }
            (Role::Atom, OperandValue::Index(k)) => bundle
                .atoms
                .get(k as usize)
                .map_or(format!("@{k}"), |a| format!("@{k} ({a})")),
            (Role::Func, OperandValue::Index(k)) => format!("fn{k}"),
            (Role::Global, OperandValue::Index(k)) => bundle
                .module
                .globals
                .get(k as usize)
                .map_or(format!("g{k}"), |g| format!("g{k} ({g})")),
            (Role::Builtin, OperandValue::Index(k)) => crate::builtins::BUILTINS
                .get(k as usize)
                .map_or(format!("builtin{k}"), |b| format!("builtin{k} ({b})")),
            (Role::Import, OperandValue::Index(k)) => format!("import{k}"),
            (Role::Upval, OperandValue::Index(k)) => format!("up{k}"),
            (Role::Jump, OperandValue::Index(k)) => format!("->{k}"),
            _ => value.to_string(),
        };
        s.push_str(&note);
    });
    s
}
