//! `zigttp`: serve, run and test zigts handlers.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use zigts_vm::{ExecLimits, SystemHost};
use zigttp::access_log::AccessLog;
use zigttp::app::reserved::{DEFAULT_METRICS_PATH, Reserved, ReservedPaths};
use zigttp::app::service::{HandlerService, RunPolicy};
use zigttp::app::{self, ErrorDetail};
use zigttp::core::http::MAX_HEADERS_CAP;
use zigttp::core::{Limits, ServerConfig, serve};
use zigttp::metrics::Metrics;
use zigttp::static_files::StaticFiles;

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

/// Where the access log goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum AccessLogMode {
    Off,
    Stderr,
}

/// Parses a byte size: a number with an optional `k`, `m` or `g` suffix
/// (powers of 1024), e.g. `16k`, `1m`.
fn parse_size(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let (digits, unit) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&t[..i], c.to_ascii_lowercase()),
        _ => (t, 'b'),
    };
    let shift = match unit {
        'b' => 0,
        'k' => 10,
        'm' => 20,
        'g' => 30,
        _ => return Err(format!("unknown size suffix in {text:?} (use k, m or g)")),
    };
    let n: usize = digits
        .parse()
        .map_err(|_| format!("{text:?} is not a size (e.g. 65536, 64k, 1m)"))?;
    n.checked_mul(1 << shift)
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("{text:?} is out of range"))
}

fn parse_positive(text: &str) -> Result<u64, String> {
    match text.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("{text:?} must be a whole number above 0")),
    }
}

fn parse_header_count(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if (1..=MAX_HEADERS_CAP).contains(&n) => Ok(n),
        _ => Err(format!("{text:?} must be between 1 and {MAX_HEADERS_CAP}")),
    }
}

fn millis(d: Duration) -> u64 {
    d.as_millis() as u64
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
    /// Per-request time budget in milliseconds; exceeding it answers 503.
    #[arg(long, default_value_t = 5000)]
    timeout_ms: u64,
    /// Per-request memory cap in MiB; exceeding it answers 503.
    #[arg(long, default_value_t = 64)]
    memory_mib: usize,
    /// Only print the listening line and errors (also turns the access log off).
    #[arg(short, long)]
    quiet: bool,
    /// Policy file (JSON) granting capabilities and allow-lists; the server
    /// refuses to start when the handler's contract needs more. Without it,
    /// the least policy the contract needs is derived and printed.
    #[arg(long, value_name = "FILE")]
    policy: Option<String>,
    /// Rebuild each worker's instance after this many requests, unless the
    /// contract proves the handler pure, deterministic and state-isolated.
    #[arg(long, default_value_t = 64, value_name = "N")]
    recycle_every: u32,
    /// SQLite database file for zigttp:sql (default: in memory, empty at start).
    #[arg(long, value_name = "FILE")]
    sqlite: Option<String>,

    /// Largest request body in bytes (suffix k/m/g allowed); larger answers 413.
    #[arg(long, value_name = "BYTES", value_parser = parse_size, default_value_t = Limits::default().max_body_bytes, help_heading = "HTTP limits")]
    max_body: usize,
    /// Largest request head (request line and headers) in bytes; larger answers 431.
    #[arg(long, value_name = "BYTES", value_parser = parse_size, default_value_t = Limits::default().max_head_bytes, help_heading = "HTTP limits")]
    max_head: usize,
    /// Most header lines in one request (1 to 128); more answers 431.
    #[arg(long, value_name = "N", value_parser = parse_header_count, default_value_t = Limits::default().max_headers, help_heading = "HTTP limits")]
    max_headers: usize,
    /// Longest request target (path and query) in bytes; longer answers 414.
    #[arg(long, value_name = "BYTES", value_parser = parse_size, default_value_t = Limits::default().max_url_len, help_heading = "HTTP limits")]
    max_url: usize,
    /// Time allowed to receive a request head, from its first byte; then 408 and close.
    #[arg(long, value_name = "MS", value_parser = parse_positive, default_value_t = millis(Limits::default().header_read_timeout), help_heading = "HTTP limits")]
    header_timeout_ms: u64,
    /// Time allowed to receive a request body, after its head; then 408 and close.
    #[arg(long, value_name = "MS", value_parser = parse_positive, default_value_t = millis(Limits::default().body_read_timeout), help_heading = "HTTP limits")]
    body_timeout_ms: u64,
    /// An idle keep-alive connection is closed after this long.
    #[arg(long, value_name = "MS", value_parser = parse_positive, default_value_t = millis(Limits::default().idle_timeout), help_heading = "HTTP limits")]
    idle_timeout_ms: u64,
    /// A client that accepts no response bytes for this long is disconnected.
    #[arg(long, value_name = "MS", value_parser = parse_positive, default_value_t = millis(Limits::default().write_timeout), help_heading = "HTTP limits")]
    write_timeout_ms: u64,
    /// Open connections per worker; further ones are accepted and closed at once.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..), default_value_t = Limits::default().max_connections as u64, help_heading = "HTTP limits")]
    max_connections: u64,
    /// Requests served on one connection before it is closed.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..), default_value_t = Limits::default().max_requests_per_connection as u64, help_heading = "HTTP limits")]
    max_requests_per_connection: u64,

    /// On SIGTERM/SIGINT, how long requests in flight may take before the process exits (status 0).
    #[arg(long, value_name = "MS", value_parser = parse_positive, default_value_t = millis(zigttp::core::DEFAULT_DRAIN_TIMEOUT), help_heading = "Operations")]
    drain_timeout_ms: u64,
    /// Serve the files of DIR under /static/ (GET and HEAD; traversal and symlink escapes refused).
    #[arg(long = "static", value_name = "DIR", help_heading = "Operations")]
    static_dir: Option<String>,
    /// Path of the Prometheus metrics endpoint.
    #[arg(long, value_name = "PATH", default_value = DEFAULT_METRICS_PATH, help_heading = "Operations")]
    metrics_path: String,
    /// Turn the metrics endpoint off (its path then goes to the handler).
    #[arg(long, help_heading = "Operations")]
    no_metrics: bool,
    /// Access log, one line per response: `stderr` (default) or `off` (default `off` with --quiet).
    #[arg(long, value_name = "WHERE", value_enum, help_heading = "Operations")]
    access_log: Option<AccessLogMode>,
}

impl ServeOpts {
    fn limits(&self) -> Limits {
        Limits {
            max_head_bytes: self.max_head,
            max_headers: self.max_headers,
            max_url_len: self.max_url,
            max_body_bytes: self.max_body,
            header_read_timeout: Duration::from_millis(self.header_timeout_ms),
            body_read_timeout: Duration::from_millis(self.body_timeout_ms),
            idle_timeout: Duration::from_millis(self.idle_timeout_ms),
            write_timeout: Duration::from_millis(self.write_timeout_ms),
            max_connections: usize::try_from(self.max_connections).unwrap_or(usize::MAX),
            max_requests_per_connection: usize::try_from(self.max_requests_per_connection)
                .unwrap_or(usize::MAX),
        }
    }

    fn access_log(&self) -> AccessLog {
        let mode = self.access_log.unwrap_or(if self.quiet {
            AccessLogMode::Off
        } else {
            AccessLogMode::Stderr
        });
        match mode {
            AccessLogMode::Off => AccessLog::Off,
            AccessLogMode::Stderr => AccessLog::Stderr,
        }
    }

    fn reserved_paths(&self) -> Result<ReservedPaths, String> {
        let metrics_path = if self.no_metrics {
            None
        } else {
            ReservedPaths::check_metrics_path(&self.metrics_path)?;
            Some(self.metrics_path.clone())
        };
        let static_files = match &self.static_dir {
            Some(dir) => Some(Arc::new(
                StaticFiles::open(dir).map_err(|e| format!("--static {dir}: {e}"))?,
            )),
            None => None,
        };
        Ok(ReservedPaths {
            metrics_path,
            static_files,
        })
    }
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
    let grants = app::resolve_policy(opts.policy.as_deref(), program.contract())?;
    let reuse = app::Reuse::for_contract(program.contract(), opts.recycle_every);
    if !opts.quiet {
        eprintln!("zigttp: policy: {}", grants.summary());
        eprintln!("zigttp: instances are {}", reuse.describe());
    }
    let mut services = zigts_vm::Services::new(grants);
    if let Some(path) = &opts.sqlite {
        services = services.with_sqlite_path(path);
    }
    let services = Arc::new(services);
    let instance = Arc::new(app::instantiate_with(
        &program,
        &services,
        &mut SystemHost::default(),
        ExecLimits::default(),
    )?);
    if !instance.has_handler() {
        return Err(format!(
            "{path}: the program does not define a function named 'handler'"
        ));
    }
    let paths = Arc::new(opts.reserved_paths()?);
    let mut config = ServerConfig {
        host: opts.host.clone(),
        port: opts.port,
        workers: opts.workers,
        quiet: opts.quiet,
        limits: opts.limits(),
        drain_timeout: Duration::from_millis(opts.drain_timeout_ms),
        access_log: opts.access_log(),
        ..ServerConfig::default()
    };
    let metrics = Arc::new(Metrics::new(config.effective_workers()));
    config.metrics = Some(Arc::clone(&metrics));
    let vm_counters = Arc::clone(&instance);
    metrics.link_policy_denials(move || vm_counters.services().denials());
    if !opts.quiet {
        if let Some(files) = &paths.static_files {
            eprintln!(
                "zigttp: static files from {} under /static/",
                files.root().display()
            );
        }
        if let Some(path) = &paths.metrics_path {
            eprintln!("zigttp: metrics at {path}, health at /healthz and /readyz");
        }
    }
    let policy = policy(opts, detail);
    serve(config, move |worker| {
        let service = HandlerService::new(Arc::clone(&instance), policy)
            .with_metrics(Arc::clone(&metrics), worker)
            .recycling(reuse);
        Reserved::new(service, Arc::clone(&metrics), Arc::clone(&paths))
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
            let limits = ExecLimits {
                arena_cap: usize::MAX,
                ..ExecLimits::default()
            };
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
