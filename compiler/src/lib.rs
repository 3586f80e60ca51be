//! zigts-compiler: TypeScript-profile source to a verified `.zbc` bundle.
//!
//! ```text
//! source --front::parse--> AST --check::resolve--> resolution + diagnostics
//!        --contract::build--> contract --codegen--> Bundle --encode--> .zbc bytes
//! ```
//!
//! [`compile`] runs the whole pipeline and verifies its own output, so a
//! bundle it returns is one the runtime accepts.

pub mod check;
mod codegen;
pub mod contract;
pub mod front;
pub mod graph;

use bumpalo::Bump;
use front::diag::{Diagnostic, FileId, SourceFile, Style, render_all_styled};
use std::fmt::Write as _;

use zigts_verifier::{Contract, Limits};

/// A successful compilation.
#[derive(Debug)]
pub struct Compiled {
    /// The `.zbc` bytes.
    pub bytes: Vec<u8>,
    pub contract: Contract,
    /// Non-fatal findings.
    pub warnings: Vec<Diagnostic>,
}

/// A failed compilation: the diagnostics and the files they point into.
#[derive(Debug)]
pub struct CompileError {
    /// Every file read, indexed by the diagnostics' `FileId`.
    pub sources: Vec<SourceFile>,
    /// Errors first-found first; the first is the one that matters.
    pub diagnostics: Vec<Diagnostic>,
}

impl CompileError {
    /// rustc-style rendering of every diagnostic.
    pub fn render(&self) -> String {
        self.render_styled(Style::PLAIN)
    }

    /// [`CompileError::render`], colored when `style` says so.
    pub fn render_styled(&self, style: Style) -> String {
        let mut out = String::new();
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            match self.sources.get(d.file.0 as usize) {
                Some(src) => out.push_str(&render_all_styled(src, std::slice::from_ref(d), style)),
                None => {
                    let _ = writeln!(out, "error[{}]: {}", d.code, d.full_message());
                }
            }
        }
        out
    }

    /// Every diagnostic as JSON, for editors and CI (`zigts check --json`):
    /// `{severity, code, message, suggestion, file, line, column, endLine,
    /// endColumn}`, positions 1-based (columns count characters).
    pub fn to_json(&self) -> Vec<serde_json::Value> {
        self.diagnostics
            .iter()
            .map(|d| diagnostic_json(self.sources.get(d.file.0 as usize), d))
            .collect()
    }

    /// `(file name, line, column)` of a diagnostic.
    pub fn position(&self, d: &Diagnostic) -> Option<(&str, u32, u32)> {
        let src = self.sources.get(d.file.0 as usize)?;
        let (line, col) = src.line_col(d.span.start);
        Some((src.name.as_str(), line, col))
    }
}

/// One diagnostic as JSON (see [`CompileError::to_json`]); without its
/// source, the position fields are absent.
pub fn diagnostic_json(source: Option<&SourceFile>, d: &Diagnostic) -> serde_json::Value {
    let mut v = serde_json::json!({
        "severity": d.severity.as_str(),
        "code": d.code,
        "message": d.message,
        "suggestion": d.suggestion,
    });
    if let Some(src) = source {
        let (line, column) = src.line_col(d.span.start);
        let (end_line, end_column) = src.line_col(d.span.end.max(d.span.start));
        v["file"] = src.name.clone().into();
        v["line"] = line.into();
        v["column"] = column.into();
        v["endLine"] = end_line.into();
        v["endColumn"] = end_column.into();
    }
    v
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for CompileError {}

/// Compiles one handler file and the files it imports (read from disk,
/// relative to `name`). `name` is the path shown in diagnostics; a
/// `.tsx`/`.jsx` name enables JSX.
pub fn compile(name: &str, text: &str) -> Result<Compiled, CompileError> {
    compile_with(name, text, &mut graph::FsLoader)
}

/// [`compile`] with imported files read through `loader`.
pub fn compile_with(
    name: &str,
    text: &str,
    loader: &mut dyn graph::Loader,
) -> Result<Compiled, CompileError> {
    compile_impl(name, text, loader, false)
}

/// [`compile`] for reporting (`zigts check`): a file with syntax errors
/// reports the first of every top-level item
/// ([`front::parse_recovering`]) rather than only the first of the file.
/// Everything else is as [`compile`].
pub fn check(name: &str, text: &str) -> Result<Compiled, CompileError> {
    compile_impl(name, text, &mut graph::FsLoader, true)
}

fn compile_impl(
    name: &str,
    text: &str,
    loader: &mut dyn graph::Loader,
    recover: bool,
) -> Result<Compiled, CompileError> {
    let arena = Bump::new();
    let graph = graph::load_with(&arena, name, text, loader, recover).map_err(
        |(sources, diagnostics)| CompileError {
            sources,
            diagnostics,
        },
    )?;
    let fail = |diagnostics: Vec<Diagnostic>| CompileError {
        sources: graph.sources.clone(),
        diagnostics,
    };
    let modules = zigts_vm::modules::TABLE;
    let res = check::resolve(&graph, modules, zigts_vm::modules::PLANNED).map_err(fail)?;
    let contract = contract::build(&graph, &res, modules);
    let contract_json = contract.to_json_pretty().into_bytes();
    let bundle = codegen::generate(&graph, &res, contract_json).map_err(fail)?;
    let bytes = zigts_verifier::bundle::encode(&bundle);
    if let Err(e) = zigts_verifier::verify(&bytes, &Limits::default(), modules) {
        return Err(fail(vec![Diagnostic::error(
            "ZTS002",
            FileId(0),
            front::ast::Span::default(),
            format!("internal compiler error: the emitted bundle does not verify: {e}"),
        )]));
    }
    Ok(Compiled {
        bytes,
        contract,
        warnings: Vec::new(),
    })
}
