//! `zigttp`: serve, run and test zigts handlers.

use clap::{Args, Parser, Subcommand};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use zigts_vm::{ExecLimits, SystemHost};
use zigttp::app::service::{HandlerService, RunPolicy};
use zigttp::app::{self, ErrorDetail};
use zigttp::core::{ServerConfig, serve};

/// The zigttp runtime.
#[derive(Parser)]
#[command(
    name = "zigttp",
    version,
    about = "Run TypeScript HTTP handlers: serve, run, test"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct ServeOpts {
    /// Port to listen on (0 picks a free one).
    #[arg(short, long, default_value_t = 3000)]
    port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Worker threads (0 = one per core).
    #[arg(long, default_value_t = 0)]
    workers: usize,
    /// Per-request time budget in milliseconds.
    #[arg(long, default_value_t = 5000)]
    timeout_ms: u64,
    /// Per-request memory cap in MiB.
    #[arg(long, default_value_t = 64)]
    memory_mib: usize,
    /// Only print the listening line and errors.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Compile a handler in memory and serve it (development: error details in 500 bodies).
    ///
    /// Example: zigttp serve examples/hello.ts --port 3000
    Serve {
        /// The handler source file (.ts/.tsx).
        handler: String,
        #[command(flatten)]
        opts: ServeOpts,
    },
    /// Verify a compiled bundle and serve it (production: generic 500 bodies, details in the log).
    ///
    /// Example: zigts compile handler.ts -o bundle.zbc && zigttp run bundle.zbc
    Run {
        /// The bundle (.zbc).
        bundle: String,
        #[command(flatten)]
        opts: ServeOpts,
    },
    /// Run declarative tests: each case sends a request to a fresh instance and checks the answer.
    ///
    /// Example: zigttp test handler.ts handler.test.jsonl
    Test {
        /// The handler source file or bundle.
        handler: String,
        /// The .test.jsonl file.
        cases: String,
    },
    /// Run a script's module-level code and print its console output.
    ///
    /// Example: zigttp exec script.ts
    Exec {
        /// The script (.ts) or bundle.
        file: String,
    },
}

fn policy(opts: &ServeOpts, detail: ErrorDetail) -> RunPolicy {
    RunPolicy {
        timeout: Duration::from_millis(opts.timeout_ms),
        limits: ExecLimits {
            arena_cap: opts.memory_mib.saturating_mul(1 << 20),
            ..ExecLimits::default()
        },
        detail,
        quiet: opts.quiet,
    }
}

fn start(path: &str, opts: &ServeOpts, detail: ErrorDetail) -> Result<(), String> {
    let program = app::load_program(path)?;
    let instance = Arc::new(app::instantiate(
        &program,
        &mut SystemHost::default(),
        ExecLimits::default(),
    )?);
    if !instance.has_handler() {
        return Err(format!(
            "{path}: the program does not define a function named 'handler'"
        ));
    }
    let config = ServerConfig {
        host: opts.host.clone(),
        port: opts.port,
        workers: opts.workers,
        quiet: opts.quiet,
        ..ServerConfig::default()
    };
    let policy = policy(opts, detail);
    serve(config, move |_| {
        HandlerService::new(Arc::clone(&instance), policy)
    })
    .map_err(|e| format!("cannot serve on {}:{}: {e}", opts.host, opts.port))
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Serve { handler, opts } => {
            start(&handler, &opts, ErrorDetail::Show).map(|()| ExitCode::SUCCESS)
        }
        Command::Run { bundle, opts } => {
            start(&bundle, &opts, ErrorDetail::Hide).map(|()| ExitCode::SUCCESS)
        }
        Command::Test { handler, cases } => {
            let program = app::load_program(&handler)?;
            let text = app::read_text(&cases)?;
            let cases = zigttp::testing::parse_cases(&text).map_err(|e| format!("{cases}: {e}"))?;
            let summary = zigttp::testing::run(&program, &handler, &cases, ExecLimits::default());
            print!("{}", summary.report);
            Ok(if summary.failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Exec { file } => {
            let program = app::load_program(&file)?;
            // A script, not a request: no deadline and no per-request memory cap.
            let limits = ExecLimits { arena_cap: usize::MAX, ..ExecLimits::default() };
            app::instantiate(&program, &mut SystemHost::default(), limits)?;
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
