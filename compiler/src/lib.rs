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

use bumpalo::Bump;
use front::diag::{Diagnostic, FileId, SourceFile, render_all};
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

/// A failed compilation: the diagnostics and the source they point into.
#[derive(Debug)]
pub struct CompileError {
    pub source: SourceFile,
    /// Errors first-found first; the first is the one that matters.
    pub diagnostics: Vec<Diagnostic>,
}

impl CompileError {
    /// rustc-style rendering of every diagnostic.
    pub fn render(&self) -> String {
        render_all(&self.source, &self.diagnostics)
    }
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for CompileError {}

/// Compiles one handler file. `name` is the path shown in diagnostics; a
/// `.tsx`/`.jsx` name enables JSX.
pub fn compile(name: &str, text: &str) -> Result<Compiled, CompileError> {
    let source = SourceFile::new(name, text);
    let fail = |diagnostics: Vec<Diagnostic>| CompileError {
        source: SourceFile::new(name, text),
        diagnostics,
    };
    let jsx = name.ends_with(".tsx") || name.ends_with(".jsx");
    let arena = Bump::new();
    let file = FileId(0);
    let parsed = front::parse(&arena, file, text, jsx);
    if parsed.diagnostics.iter().any(Diagnostic::is_error) {
        return Err(fail(parsed.diagnostics));
    }
    let modules = zigts_vm::modules::TABLE;
    let res =
        check::resolve(&parsed.program, file, modules, zigts_vm::modules::PLANNED).map_err(fail)?;
    let contract = contract::build(&parsed.program, &res, &source, modules);
    let contract_json = contract.to_json_pretty().into_bytes();
    let bundle =
        codegen::generate(&parsed.program, &res, &source, file, contract_json).map_err(fail)?;
    let bytes = zigts_verifier::bundle::encode(&bundle);
    if let Err(e) = zigts_verifier::verify(&bytes, &Limits::default(), modules) {
        return Err(fail(vec![Diagnostic::error(
            "ZTS002",
            file,
            front::ast::Span::default(),
            format!("internal compiler error: the emitted bundle does not verify: {e}"),
        )]));
    }
    Ok(Compiled {
        bytes,
        contract,
        warnings: parsed.diagnostics,
    })
}
