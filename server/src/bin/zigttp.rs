//! `zigttp`: serve, run and test zigts handlers.

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use zigts_verifier::Capability;
use zigts_vm::{ExecLimits, SystemHost};
use zigttp::access_log::AccessLog;
use zigttp::app::reserved::{DEFAULT_METRICS_PATH, Reserved, ReservedPaths};
use zigttp::app::service::{HandlerService, HandlerSlot, RunPolicy};
use zigttp::app::{self, ErrorDetail};
use zigttp::core::http::MAX_HEADERS_CAP;
use zigttp::core::{Limits, ServerConfig, serve};
use zigttp::deploy::keys::{self, Identity};
use zigttp::deploy::well_known::{self, WellKnown};
use zigttp::deploy::{self, Loaded, attest, binary, verify};
use zigttp::metrics::Metrics;
use zigttp::project::{self, Project, watch::Reloader};
use zigttp::static_files::StaticFiles;
use zigttp::ws::WsConfig;
use zigttp::ws::handshake::Origins;
use zigttp::ws::hub::Hub;

/// The zigttp runtime.
#[derive(Parser)]
#[command(
    name = "zigttp",
    version,
    about = "Run TypeScript HTTP handlers: serve, run, test, build signed binaries",
    after_help = "Start a project: zigttp init hello && cd hello && zigttp test && zigttp serve --watch\n\nExit codes: 0 success, 1 an error (a compile error, a failed test, a refused start), 2 bad arguments; `zigttp verify` has its own (see `zigttp verify --help`).\nDiagnostics are colored on a terminal; set NO_COLOR to turn that off."
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
    /// Port to listen on (0 picks a free one) [default: 3000, or for `serve`
    /// in a project, zigttp.json's "port"].
    #[arg(short, long)]
    port: Option<u16>,
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

    /// An origin (e.g. https://app.example.com) allowed to open WebSockets;
    /// repeat for more, `*` for any. Default: same origin only (a browser's
    /// Origin must name the Host it connects to).
    #[arg(long = "ws-origin", value_name = "ORIGIN", help_heading = "WebSocket")]
    ws_origins: Vec<String>,
    /// Largest WebSocket message (all fragments; suffix k/m allowed); larger closes with 1009.
    #[arg(long, value_name = "BYTES", value_parser = parse_size, default_value_t = zigttp::ws::DEFAULT_MAX_MESSAGE, help_heading = "WebSocket")]
    ws_max_message: usize,
    /// A silent WebSocket is pinged after half of this and closed (1001) after all of it.
    #[arg(long, value_name = "MS", value_parser = parse_positive, default_value_t = millis(zigttp::ws::DEFAULT_IDLE_TIMEOUT), help_heading = "WebSocket")]
    ws_idle_timeout_ms: u64,
}

impl ServeOpts {
    fn ws_config(&self, hub: Arc<Hub>) -> WsConfig {
        WsConfig {
            origins: if self.ws_origins.is_empty() {
                Origins::SameOrigin
            } else {
                Origins::Only(self.ws_origins.clone())
            },
            max_message: self.ws_max_message,
            idle_timeout: Duration::from_millis(self.ws_idle_timeout_ms),
            ..WsConfig::new(hub)
        }
    }

    fn ws_describe(&self) -> String {
        let origins = if self.ws_origins.is_empty() {
            "same origin".to_owned()
        } else {
            self.ws_origins.join(", ")
        };
        format!(
            "origins: {origins}; max message {} bytes; idle timeout {} ms",
            self.ws_max_message, self.ws_idle_timeout_ms
        )
    }

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
            attestation: None,
        })
    }
}

/// `--policy FILE`, shared by the commands that take one.
#[derive(Args, Clone)]
struct PolicyOpt {
    /// Policy file (JSON) granting capabilities and allow-lists; the server
    /// refuses to start when the handler's contract needs more. Without it,
    /// the least policy the contract needs is derived and printed.
    #[arg(long, value_name = "FILE")]
    policy: Option<String>,
}

/// `--key FILE` for the commands that sign.
#[derive(Args, Clone)]
struct KeyOpt {
    /// The signing key (default: $XDG_CONFIG_HOME/zigttp/attest.key or
    /// ~/.config/zigttp/attest.key; create it with `zigttp keygen`).
    #[arg(long, value_name = "FILE")]
    key: Option<String>,
}

impl KeyOpt {
    fn load(&self) -> Result<Identity, String> {
        let path = keys::key_path(self.key.as_deref())?;
        Identity::load(&path)
    }
}

#[derive(Subcommand)]
enum Command {
    /// Compile a handler in memory and serve it (development: error details in 500 bodies).
    ///
    /// Without HANDLER, serves the project of ./zigttp.json (its entry, port,
    /// static directory and policy; flags win). With --watch, a saved change
    /// is recompiled and swapped in only when it compiles, verifies and fits
    /// the policy; otherwise the diagnostics are printed and the previous
    /// version keeps serving.
    ///
    /// Example: zigttp serve examples/hello.ts --port 3000
    ///
    /// Example: zigttp serve --watch   (in a project directory)
    Serve {
        /// The handler source file (.ts/.tsx) [default: zigttp.json's entry].
        handler: Option<String>,
        /// Recompile on save and swap the handler when the new version is good.
        #[arg(long)]
        watch: bool,
        #[command(flatten)]
        policy: PolicyOpt,
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
        policy: PolicyOpt,
        /// A JWS from `zigttp sign` that must sign this bundle and this policy
        /// (the derived least policy without --policy); any mismatch refuses to
        /// start. The server then serves it at /.well-known/zigttp-attest.
        #[arg(long, value_name = "FILE")]
        attestation: Option<String>,
        /// Refuse to start unless the attestation is signed by this key
        /// (its fingerprint: 64 hex digits).
        #[arg(long, value_name = "HEX", requires = "attestation")]
        trust_key: Option<String>,
        #[command(flatten)]
        opts: ServeOpts,
    },
    /// Run declarative tests: each case sends a request to a fresh instance and checks the answer.
    ///
    /// Without arguments, runs the tests of ./zigttp.json. Exit 1 when a case fails.
    ///
    /// Example: zigttp test handler.ts handler.test.jsonl
    ///
    /// Example: zigttp test   (in a project directory)
    Test {
        /// The handler source file or bundle [default: zigttp.json's entry].
        handler: Option<String>,
        /// The .test.jsonl file [default: zigttp.json's tests].
        cases: Option<String>,
        /// Print only failing cases and the Results line.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Create a project: a handler, its tests, zigttp.json, a policy, a
    /// static directory and editor types, ready to serve and test.
    ///
    /// Example: zigttp init hello && cd hello && zigttp test && zigttp serve
    Init {
        /// The directory to create, or an empty one to fill (its name becomes the project name; `.` is the current directory).
        name: String,
        /// Print nothing on success.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Write zigttp.d.ts: TypeScript declarations of the globals and every
    /// zigttp:* module, for editor completion and checking.
    ///
    /// Use it with "noLib": true in tsconfig.json (as `zigttp init` does).
    ///
    /// Example: zigttp types -o zigttp.d.ts
    Types {
        /// Where to write the declarations ("-" for stdout).
        #[arg(short, long, value_name = "FILE", default_value = project::types::FILE_NAME)]
        out: String,
    },
    /// Create an Ed25519 signing key (a file only its owner can read).
    ///
    /// Example: zigttp keygen   (writes ~/.config/zigttp/attest.key)
    Keygen {
        /// Where to write the key (default: $XDG_CONFIG_HOME/zigttp/attest.key
        /// or ~/.config/zigttp/attest.key).
        #[arg(short, long, value_name = "FILE")]
        out: Option<String>,
        /// Replace an existing key file (whatever it signed can then no longer
        /// be re-signed with the same key).
        #[arg(long)]
        force: bool,
    },
    /// Build a signed, self-extracting binary that serves the handler.
    ///
    /// The binary carries the bundle, its contract, the policy (the file given,
    /// or the derived least policy) and an attestation over their hashes; it
    /// refuses to start if any of them changed. Run it as `./app [--port N ...]`.
    ///
    /// Without BUNDLE, builds the project of ./zigttp.json (its entry and
    /// policy) into a binary named after the project.
    ///
    /// Example: zigts compile handler.ts -o handler.zbc && zigttp build handler.zbc -o app && ./app
    ///
    /// Example: zigttp build   (in a project directory)
    Build {
        /// The bundle (.zbc) or handler source (.ts/.tsx, compiled first) [default: zigttp.json's entry].
        bundle: Option<String>,
        /// The binary to write (mode 0755) [default: zigttp.json's name].
        #[arg(short, long, value_name = "FILE")]
        out: Option<String>,
        #[command(flatten)]
        policy: PolicyOpt,
        #[command(flatten)]
        key: KeyOpt,
    },
    /// Sign a bundle and policy: writes the attestation (a compact JWS) for `zigttp run --attestation`.
    ///
    /// Example: zigttp sign handler.zbc -o handler.jws && zigttp run handler.zbc --attestation handler.jws
    Sign {
        /// The bundle (.zbc).
        bundle: String,
        /// Where to write the JWS.
        #[arg(short, long, value_name = "FILE")]
        out: String,
        #[command(flatten)]
        policy: PolicyOpt,
        #[command(flatten)]
        key: KeyOpt,
    },
    /// Check a running service's attestation (GET /.well-known/zigttp-attest).
    ///
    /// Exit codes: 0 verified, 2 bad argument, 3 service unreachable,
    /// 4 attestation missing or malformed, 5 signature or hash check failed,
    /// 6 signed by a key other than --trust-key.
    ///
    /// Example: zigttp verify http://127.0.0.1:3000 --trust-key <fingerprint>
    Verify {
        /// The service's base URL (http:// only).
        url: String,
        /// Require this key (its fingerprint: 64 hex digits, from `zigttp keygen`).
        #[arg(long, value_name = "HEX")]
        trust_key: Option<String>,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
        /// Connect and read timeout in milliseconds.
        #[arg(long, value_name = "MS", value_parser = parse_positive, default_value_t = 10_000)]
        timeout_ms: u64,
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

/// Loads a handler without an attestation.
fn load_plain(path: &str, policy: &PolicyOpt) -> Result<Loaded, String> {
    let program = app::load_program(path)?;
    let policy = app::resolve_policy(policy.policy.as_deref(), program.contract())?;
    Ok(Loaded {
        program,
        policy,
        attestation: None,
    })
}

/// The port when neither `--port` nor zigttp.json names one.
const DEFAULT_PORT: u16 = 3000;

/// Watch mode: how to rebuild, and the files the first build read.
type Watch = (Reloader, Vec<PathBuf>);

/// The banner's description of a contract: its routes and capabilities.
fn banner(contract: &zigts_verifier::Contract) -> [String; 2] {
    let routes: Vec<String> = contract
        .routes
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    let caps: Vec<&str> = contract.capabilities.iter().map(|c| c.name()).collect();
    [
        if routes.is_empty() {
            "routes: none declared (the handler sees every path)".into()
        } else {
            format!("routes: {}", routes.join(", "))
        },
        if caps.is_empty() {
            "capabilities: none".into()
        } else {
            format!("capabilities: {}", caps.join(", "))
        },
    ]
}

fn start(
    loaded: Loaded,
    path: &str,
    opts: &ServeOpts,
    detail: ErrorDetail,
    watch: Option<Watch>,
) -> Result<(), String> {
    let Loaded {
        program,
        policy: grants,
        attestation,
    } = loaded;
    let reuse = app::Reuse::for_contract(program.contract(), opts.recycle_every);
    let port = opts.port.unwrap_or(DEFAULT_PORT);
    if !opts.quiet {
        let mode = match detail {
            ErrorDetail::Show => "development: fault details in 500 bodies",
            ErrorDetail::Hide => "production: generic 500 bodies, details in the log",
        };
        eprintln!("zigttp: serving {path} ({mode})");
        for line in banner(program.contract()) {
            eprintln!("zigttp: {line}");
        }
        eprintln!("zigttp: policy: {}", grants.summary());
        eprintln!("zigttp: instances are {}", reuse.describe());
        if let Some(a) = &attestation {
            eprintln!(
                "zigttp: attested by key {}, bytecode sha256 {}, served at {}",
                a.verified.fingerprint,
                a.verified.claims.bytecode_sha256,
                well_known::PATH
            );
        }
    }
    let mut config = ServerConfig {
        host: opts.host.clone(),
        port,
        workers: opts.workers,
        quiet: opts.quiet,
        limits: opts.limits(),
        drain_timeout: Duration::from_millis(opts.drain_timeout_ms),
        access_log: opts.access_log(),
        ..ServerConfig::default()
    };
    let workers = config.effective_workers();
    let ws_granted = grants.grants(Capability::Websocket);
    let hub = Arc::new(Hub::new(workers));
    let mut services = zigts_vm::Services::new(grants).with_websockets(hub.clone());
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
    let mut paths = opts.reserved_paths()?;
    paths.attestation = attestation.as_ref().map(|a| Arc::new(WellKnown::new(a)));
    let paths = Arc::new(paths);
    let websockets = instance.exports("onMessage");
    if websockets {
        if !ws_granted {
            return Err(format!(
                "{path}: the handler exports onMessage but the policy does not grant the 'websocket' capability (import zigttp:websocket, or grant it)"
            ));
        }
        config.websocket = Some(opts.ws_config(hub));
        if !opts.quiet {
            eprintln!(
                "zigttp: WebSocket upgrades accepted ({})",
                opts.ws_describe()
            );
        }
    }
    let metrics = Arc::new(Metrics::new(workers));
    config.metrics = Some(Arc::clone(&metrics));
    // Watch mode serves whatever the slot holds; the denials are those of
    // the instance in force.
    let slot = match watch {
        Some((reloader, files)) => {
            let slot = Arc::new(HandlerSlot::new(Arc::clone(&instance), reuse));
            if !opts.quiet {
                eprintln!(
                    "zigttp: watching {} and its imports; a change is swapped in when it compiles",
                    reloader.entry
                );
            }
            reloader.spawn(Arc::clone(&slot), program.contract().clone(), files)?;
            Some(slot)
        }
        None => None,
    };
    if let Some(slot) = &slot {
        let slot = Arc::clone(slot);
        metrics.link_policy_denials(move || slot.current().0.services().denials());
    } else {
        let vm_counters = Arc::clone(&instance);
        metrics.link_policy_denials(move || vm_counters.services().denials());
    }
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
        let mut service = HandlerService::new(Arc::clone(&instance), policy)
            .with_metrics(Arc::clone(&metrics), worker)
            .recycling(reuse);
        if websockets {
            service = service.with_websockets();
        }
        if let Some(slot) = &slot {
            service = service.watching(Arc::clone(slot));
        }
        Reserved::new(service, Arc::clone(&metrics), Arc::clone(&paths))
    })
    .map_err(|e| format!("cannot serve on {}:{port}: {e}", opts.host))
}

/// `zigttp serve [HANDLER] [--watch]`: the handler given, or the project's.
fn serve_source(
    handler: Option<String>,
    watch: bool,
    mut policy: PolicyOpt,
    mut opts: ServeOpts,
) -> Result<(), String> {
    let handler = if let Some(h) = handler {
        h
    } else {
        let project = Project::current("HANDLER")?;
        opts.port = opts.port.or(project.config.port);
        opts.static_dir = opts.static_dir.take().or_else(|| project.static_dir());
        policy.policy = policy.policy.take().or_else(|| project.policy());
        project.entry()
    };
    if !watch {
        let loaded = load_plain(&handler, &policy)?;
        return start(loaded, &handler, &opts, ErrorDetail::Show, None);
    }
    if !app::is_source_path(&handler) {
        return Err(format!(
            "--watch recompiles a handler source (.ts/.tsx); {handler} is not one"
        ));
    }
    let reloader = Reloader {
        entry: handler.clone(),
        policy: policy.policy.clone(),
        sqlite: opts.sqlite.clone(),
        recycle_every: opts.recycle_every,
        quiet: opts.quiet,
    };
    let build = reloader.compile().map_err(|(diagnostics, _)| diagnostics)?;
    let loaded = Loaded {
        policy: app::resolve_policy(policy.policy.as_deref(), build.program.contract())?,
        program: build.program,
        attestation: None,
    };
    start(
        loaded,
        &handler,
        &opts,
        ErrorDetail::Show,
        Some((reloader, build.files)),
    )
}

/// The failing cases of a test report (each FAIL line and its indented
/// mismatches) and its Results line: what `zigttp test --quiet` prints.
fn failures_only(report: &str) -> String {
    let mut out = String::new();
    let mut keep = false;
    for line in report.lines() {
        if line.starts_with("  FAIL") || line.starts_with("Results:") {
            keep = true;
        } else if !line.starts_with("        ") {
            keep = false;
        }
        if keep {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn run(cli: Cli) -> Result<ExitCode, String> {
    match cli.command {
        Command::Serve {
            handler,
            watch,
            policy,
            opts,
        } => serve_source(handler, watch, policy, opts).map(|()| ExitCode::SUCCESS),
        Command::Init { name, quiet } => {
            let written = project::init::init(Path::new(&name))?;
            if quiet {
                return Ok(ExitCode::SUCCESS);
            }
            for path in &written {
                println!("created {}", path.display());
            }
            println!(
                "\nnext:\n  cd {name}\n  zigttp test           # run handler.test.jsonl\n  zigttp serve --watch  # serve on http://127.0.0.1:3000, reload on save"
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Types { out } => {
            let text = project::types::declarations();
            if out == "-" {
                print!("{text}");
            } else {
                std::fs::write(&out, text).map_err(|e| format!("cannot write {out}: {e}"))?;
                println!("wrote {out}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Run {
            bundle,
            policy,
            attestation,
            trust_key,
            opts,
        } => {
            let loaded = match &attestation {
                Some(jws) => {
                    let pin = trust_key
                        .as_deref()
                        .map(attest::parse_trust_key)
                        .transpose()?;
                    deploy::open_attested(&bundle, policy.policy.as_deref(), jws, pin.as_deref())?
                }
                None => load_plain(&bundle, &policy)?,
            };
            start(loaded, &bundle, &opts, ErrorDetail::Hide, None).map(|()| ExitCode::SUCCESS)
        }
        Command::Keygen { out, force } => {
            let path = keys::key_path(out.as_deref())?;
            let identity = Identity::generate()?;
            identity.save(&path, force)?;
            println!("wrote {}", path.display());
            println!("key fingerprint {}", identity.fingerprint());
            Ok(ExitCode::SUCCESS)
        }
        Command::Build {
            bundle,
            out,
            mut policy,
            key,
        } => {
            let (bundle, out) = match (bundle, out) {
                (Some(b), Some(o)) => (b, o),
                (bundle, out) => {
                    let project = Project::current("BUNDLE and -o FILE")?;
                    policy.policy = policy.policy.take().or_else(|| project.policy());
                    (
                        bundle.unwrap_or_else(|| project.entry()),
                        out.unwrap_or_else(|| project.binary()),
                    )
                }
            };
            let identity = key.load()?;
            let bytes = read_bundle_or_compile(&bundle)?;
            let payload = deploy::sign(bytes, policy.policy.as_deref(), &identity)?;
            let runtime =
                std::env::current_exe().map_err(|e| format!("cannot find this runtime: {e}"))?;
            let size = binary::write_binary(&runtime, &payload, Path::new(&out))?;
            println!(
                "wrote {out} ({size} bytes), signed by key {}",
                identity.fingerprint()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Sign {
            bundle,
            out,
            policy,
            key,
        } => {
            let identity = key.load()?;
            let bytes = std::fs::read(&bundle).map_err(|e| format!("cannot read {bundle}: {e}"))?;
            let payload = deploy::sign(bytes, policy.policy.as_deref(), &identity)?;
            std::fs::write(&out, format!("{}\n", payload.attestation))
                .map_err(|e| format!("cannot write {out}: {e}"))?;
            println!("wrote {out}, signed by key {}", identity.fingerprint());
            Ok(ExitCode::SUCCESS)
        }
        Command::Verify {
            url,
            trust_key,
            json,
            timeout_ms,
        } => {
            let pin = match trust_key
                .as_deref()
                .map(attest::parse_trust_key)
                .transpose()
            {
                Ok(pin) => pin,
                Err(e) => {
                    eprintln!("zigttp verify: {e}");
                    return Ok(ExitCode::from(verify::EXIT_ARGUMENT));
                }
            };
            match verify::verify_url(&url, pin.as_deref(), Duration::from_millis(timeout_ms)) {
                Ok(report) if json => println!("{}", report.to_json()),
                Ok(report) => print!("{}", report.render()),
                Err(f) => {
                    eprintln!("zigttp verify: {}", f.message);
                    return Ok(ExitCode::from(f.code));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Test {
            handler,
            cases,
            quiet,
        } => {
            let (handler, cases) = match (handler, cases) {
                (Some(h), Some(c)) => (h, c),
                (None, None) => {
                    let project = Project::current("HANDLER and CASES")?;
                    (project.entry(), project.tests())
                }
                _ => {
                    return Err(
                        "name both HANDLER and CASES, or neither (to use zigttp.json)".into(),
                    );
                }
            };
            let program = app::load_program(&handler)?;
            let text = app::read_text(&cases)?;
            let cases = zigttp::testing::parse_cases(&text).map_err(|e| format!("{cases}: {e}"))?;
            let summary = zigttp::testing::run(&program, &handler, &cases, ExecLimits::default());
            if quiet {
                print!("{}", failures_only(&summary.report));
            } else {
                print!("{}", summary.report);
            }
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

/// Reads a bundle, or compiles a handler source (`.ts`/`.tsx`) to one.
fn read_bundle_or_compile(path: &str) -> Result<Vec<u8>, String> {
    if app::is_source_path(path) {
        app::compile_file(path)
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
    }
}

/// A binary made by `zigttp build`: serves its embedded handler.
#[derive(Parser)]
#[command(
    version,
    about = "Serve the signed handler embedded in this binary (built with `zigttp build`).",
    long_about = "Serve the signed handler embedded in this binary (built with `zigttp build`).\n\nBefore serving, the bundle, its contract and the embedded policy are hashed and compared with the signed attestation; any difference refuses to start. The attestation is served at /.well-known/zigttp-attest."
)]
struct AppCli {
    /// Refuse to start unless the attestation is signed by this key (its
    /// fingerprint: 64 hex digits).
    #[arg(long, value_name = "HEX")]
    trust_key: Option<String>,
    #[command(flatten)]
    opts: ServeOpts,
}

fn run_app(payload: &deploy::payload::Payload) -> Result<(), String> {
    let name = std::env::args()
        .next()
        .and_then(|a| {
            Path::new(&a)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "app".into());
    let matches = AppCli::command().name(name.clone()).get_matches();
    let cli = AppCli::from_arg_matches(&matches).map_err(|e| e.to_string())?;
    let pin = cli
        .trust_key
        .as_deref()
        .map(attest::parse_trust_key)
        .transpose()?;
    let loaded = deploy::open_payload(payload, pin.as_deref())?;
    start(loaded, &name, &cli.opts, ErrorDetail::Hide, None)
}

fn main() -> ExitCode {
    // A deploy binary carries a payload after the runtime; a plain `zigttp`
    // has none. A payload that is there but damaged is an error, never a
    // fall-back to the CLI.
    let exe = std::env::current_exe();
    let embedded = match &exe {
        Ok(path) => binary::read_payload(path),
        Err(_) => Ok(None),
    };
    match embedded {
        Ok(None) => {}
        Ok(Some(payload)) => {
            return match run_app(&payload) {
                Ok(()) => ExitCode::SUCCESS,
                Err(msg) => {
                    eprintln!("{}", msg.trim_end());
                    ExitCode::FAILURE
                }
            };
        }
        Err(msg) => {
            eprintln!("refusing to start: {msg}");
            return ExitCode::FAILURE;
        }
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("{}", msg.trim_end());
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::failures_only;

    #[test]
    fn quiet_test_output_keeps_failures_and_the_results_line() {
        let report = "Testing h.ts (3 tests)\n\n  PASS  a\n  FAIL  b\n        expected status: 1, actual status: 2\n        body mismatch\n  PASS  c\n\nResults: 2 passed, 1 failed\n";
        assert_eq!(
            failures_only(report),
            "  FAIL  b\n        expected status: 1, actual status: 2\n        body mismatch\nResults: 2 passed, 1 failed\n"
        );
    }
}
