//! `zigts`: compile a handler to a verified bundle, inspect and verify bundles.

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use zigts_verifier::{Limits, disasm};

/// The zigts compiler.
#[derive(Parser)]
#[command(
    name = "zigts",
    version,
    about = "Compile zigts handlers to verified .zbc bundles, and inspect bundles"
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
        /// Also write the contract JSON here.
        #[arg(long)]
        contract: Option<String>,
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

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Compile {
            input,
            output,
            contract,
        } => {
            let bytes = read(&input)?;
            let text =
                String::from_utf8(bytes).map_err(|_| format!("{input} is not valid UTF-8 text"))?;
            let compiled = zigts_compiler::compile(&input, &text).map_err(|e| e.render())?;
            write(&output, &compiled.bytes)?;
            if let Some(path) = contract {
                write(&path, compiled.contract.to_json_pretty().as_bytes())?;
            }
            eprintln!(
                "compiled {input} -> {output} ({} bytes)",
                compiled.bytes.len()
            );
            Ok(())
        }
        Command::Disasm { bundle } => {
            let bytes = read(&bundle)?;
            let decoded = zigts_verifier::bundle::decode(&bytes, &Limits::default())
                .map_err(|e| e.to_string())?;
            print!("{}", disasm::disassemble(&decoded));
            Ok(())
        }
        Command::Verify { bundle } => {
            let bytes = read(&bundle)?;
            zigts_verifier::verify(&bytes, &Limits::default(), zigts_vm::modules::TABLE)
                .map_err(|e| e.to_string())?;
            println!("{bundle}: verified");
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("{}", msg.trim_end());
            ExitCode::FAILURE
        }
    }
}
