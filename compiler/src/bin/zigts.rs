//! `zigts`: compile a handler to a verified bundle, inspect and verify bundles.

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use zigts_compiler::front::diag::Style;
use zigts_verifier::{Limits, disasm};

/// The zigts compiler.
#[derive(Parser)]
#[command(
    name = "zigts",
    version,
    about = "Compile zigts handlers to verified .zbc bundles, and inspect bundles",
    after_help = "Exit codes: 0 success, 1 an error (diagnostics, an unreadable file, a rejected bundle), 2 bad arguments.\nDiagnostics are colored on a terminal; set NO_COLOR to turn that off."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Compile a handler (.ts/.tsx) into a bundle.
    ///
    /// Example: zigts compile handler.ts -o bundle.zbc --contract contract.json
    Compile {
        /// The handler source file.
        input: String,
        /// Where to write the bundle.
        #[arg(short, long, default_value = "bundle.zbc")]
        output: String,
        /// Also write the contract here (pretty JSON, keys in a fixed order).
        #[arg(long, value_name = "FILE")]
        contract: Option<String>,
        /// Print nothing on success.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Report the diagnostics without writing a bundle (for editors and CI).
    ///
    /// Syntax errors: the first of every top-level item (after one, the
    /// parser resumes at the next line starting with export, function,
    /// const, let, import, type or interface); without syntax errors, every
    /// name-resolution error. Exits 1 when there is an error. With --json, prints one JSON object:
    /// {"file", "ok", "errors", "warnings", "diagnostics": [{"severity", "code",
    /// "message", "suggestion", "file", "line", "column", "endLine", "endColumn"}]}.
    ///
    /// Example: zigts check handler.ts --json
    Check {
        /// The handler source file.
        input: String,
        /// Print JSON on stdout instead of rustc-style text on stderr.
        #[arg(long)]
        json: bool,
        /// Print nothing when there is no diagnostic (text mode).
        #[arg(short, long)]
        quiet: bool,
    },
    /// Print a bundle's tables and instructions.
    ///
    /// Example: zigts disasm bundle.zbc
    Disasm {
        /// The bundle to list.
        bundle: String,
    },
    /// Run the verifier on a bundle; exits 1 and names the rule when it is rejected.
    ///
    /// Example: zigts verify bundle.zbc
    Verify {
        /// The bundle to verify.
        bundle: String,
    },
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
}

fn write(path: &str, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {path}: {e}"))
}

fn read_source(input: &str) -> Result<String, String> {
    String::from_utf8(read(input)?).map_err(|_| format!("{input} is not valid UTF-8 text"))
}

/// `zigts check`: the exit code, or an error that prevented checking.
fn check(input: &str, json: bool, quiet: bool) -> Result<ExitCode, String> {
    let text = read_source(input)?;
    let (errors, warnings, diagnostics, rendered) = match zigts_compiler::check(input, &text) {
        Ok(compiled) => {
            let source = zigts_compiler::front::diag::SourceFile::new(input, text.as_str());
            let diagnostics: Vec<_> = compiled
                .warnings
                .iter()
                .map(|d| zigts_compiler::diagnostic_json(Some(&source), d))
                .collect();
            let rendered = zigts_compiler::front::diag::render_all_styled(
                &source,
                &compiled.warnings,
                Style::for_stderr(),
            );
            (0, compiled.warnings.len(), diagnostics, rendered)
        }
        Err(e) => {
            let errors = e.diagnostics.iter().filter(|d| d.is_error()).count();
            let warnings = e.diagnostics.len() - errors;
            (
                errors,
                warnings,
                e.to_json(),
                e.render_styled(Style::for_stderr()),
            )
        }
    };
    if json {
        let doc = serde_json::json!({
            "file": input,
            "ok": errors == 0,
            "errors": errors,
            "warnings": warnings,
            "diagnostics": diagnostics,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?
        );
    } else {
        if !rendered.is_empty() {
            eprintln!("{}", rendered.trim_end());
        }
        if !(quiet && rendered.is_empty()) {
            eprintln!("{input}: {errors} error(s), {warnings} warning(s)");
        }
    }
    Ok(if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Check { input, json, quiet } => check(&input, json, quiet),
        Command::Compile {
            input,
            output,
            contract,
            quiet,
        } => {
            let text = read_source(&input)?;
            let compiled = zigts_compiler::compile(&input, &text)
                .map_err(|e| e.render_styled(Style::for_stderr()))?;
            write(&output, &compiled.bytes)?;
            if let Some(path) = contract {
                let mut json = compiled.contract.to_json_pretty();
                json.push('\n');
                write(&path, json.as_bytes())?;
            }
            if !quiet {
                eprintln!(
                    "compiled {input} -> {output} ({} bytes)",
                    compiled.bytes.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Disasm { bundle } => {
            let bytes = read(&bundle)?;
            let decoded = zigts_verifier::bundle::decode(&bytes, &Limits::default())
                .map_err(|e| e.to_string())?;
            print!("{}", disasm::disassemble(&decoded));
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify { bundle } => {
            let bytes = read(&bundle)?;
            zigts_verifier::verify(&bytes, &Limits::default(), zigts_vm::modules::TABLE)
                .map_err(|e| e.to_string())?;
            println!("{bundle}: verified");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("{}", msg.trim_end());
            ExitCode::FAILURE
        }
    }
}
