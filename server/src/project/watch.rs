//! `zigttp serve --watch`: recompile on save and swap the handler only when
//! the new version compiles, verifies, fits the policy and loads; otherwise
//! print why and keep serving the old one.
//!
//! Files are watched by polling a hash of their contents (every
//! [`POLL_INTERVAL`]): the handler, every file it imports by relative path
//! (including import candidates that do not exist yet, so creating a missing
//! file triggers a rebuild) and the policy file. Polling needs no extra
//! dependency and behaves the same on every platform and file system;
//! hashing contents rather than comparing modification times also sees two
//! saves within the file system's timestamp granularity, and ignores a save
//! that changed nothing. Handler sources are small, so reading them four
//! times a second costs nothing noticeable.
//!
//! A swap goes through [`HandlerSlot`]: the workers pick the new instance up
//! at their next request. Each reload gets fresh module state (cache,
//! in-memory SQLite, rate limits), as a restart would.

use crate::app::service::HandlerSlot;
use crate::app::{self, Reuse};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use zigts_compiler::front::diag::Style;
use zigts_compiler::graph::{FsLoader, Loader};
use zigts_verifier::{Contract, VerifiedBundle};
use zigts_vm::{ExecLimits, Instance, SystemHost};

/// How often the watched files are checked.
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);

/// After a change, how long the files must stay the same before the
/// rebuild starts.
pub const SETTLE_INTERVAL: Duration = Duration::from_millis(50);

/// Reads from the file system and remembers every path it was asked for.
#[derive(Default)]
struct RecordingLoader {
    paths: Vec<PathBuf>,
}

impl Loader for RecordingLoader {
    fn read(&mut self, path: &Path) -> Option<Result<String, String>> {
        self.paths.push(path.to_path_buf());
        FsLoader.read(path)
    }
}

/// What identifies a file's version: a hash of its contents (`None` when
/// it cannot be read, e.g. does not exist).
type Stamp = Option<u64>;

fn stamp(path: &Path) -> Stamp {
    let bytes = std::fs::read(path).ok()?;
    let mut h = DefaultHasher::new();
    bytes.hash(&mut h);
    Some(h.finish())
}

/// How to rebuild the handler.
#[derive(Clone, Debug)]
pub struct Reloader {
    /// The handler source.
    pub entry: String,
    /// The policy file, re-read at every reload; `None` derives the least
    /// policy from each new contract.
    pub policy: Option<String>,
    /// `--sqlite FILE` for the new instance's module state.
    pub sqlite: Option<String>,
    /// `--recycle-every`.
    pub recycle_every: u32,
    /// Print only errors.
    pub quiet: bool,
}

/// A compiled program and the files it was read from.
pub struct Build {
    pub program: Arc<VerifiedBundle>,
    pub files: Vec<PathBuf>,
}

impl Reloader {
    /// Compiles and verifies the handler. The error is the rendered
    /// diagnostics (colored on a terminal), with the files read so far.
    pub fn compile(&self) -> Result<Build, (String, Vec<PathBuf>)> {
        let mut loader = RecordingLoader::default();
        let mut files = vec![PathBuf::from(&self.entry)];
        if let Some(p) = &self.policy {
            files.push(PathBuf::from(p));
        }
        let text = match app::read_text(&self.entry) {
            Ok(t) => t,
            Err(e) => return Err((e, files)),
        };
        let compiled = zigts_compiler::compile_with(&self.entry, &text, &mut loader);
        files.append(&mut loader.paths);
        let bytes = match compiled {
            Ok(c) => c.bytes,
            Err(e) => return Err((e.render_styled(Style::for_stderr()), files)),
        };
        match app::verify_bundle(&bytes) {
            Ok(program) => Ok(Build { program, files }),
            Err(e) => Err((e, files)),
        }
    }

    /// Checks the policy and loads an instance of `program`.
    pub fn instantiate(&self, program: &Arc<VerifiedBundle>) -> Result<(Instance, Reuse), String> {
        let grants = match &self.policy {
            Some(path) => app::check_policy(path, &app::read_text(path)?, program.contract())?,
            None => zigts_vm::Policy::from_contract(program.contract()),
        };
        let mut services = zigts_vm::Services::new(grants);
        if let Some(path) = &self.sqlite {
            services = services.with_sqlite_path(path);
        }
        let instance = app::instantiate_with(
            program,
            &Arc::new(services),
            &mut SystemHost::default(),
            ExecLimits::default(),
        )?;
        if !instance.has_handler() {
            return Err(format!(
                "{}: the program does not define a function named 'handler'",
                self.entry
            ));
        }
        Ok((
            instance,
            Reuse::for_contract(program.contract(), self.recycle_every),
        ))
    }

    /// Starts the watcher thread: it runs until the process exits.
    pub fn spawn(
        self,
        slot: Arc<HandlerSlot>,
        contract: Contract,
        files: Vec<PathBuf>,
    ) -> Result<(), String> {
        let mut watcher = Watcher {
            reloader: self,
            slot,
            contract,
            stamps: Vec::new(),
        };
        watcher.track(files);
        std::thread::Builder::new()
            .name("zigttp-watch".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(POLL_INTERVAL);
                    if watcher.changed() {
                        watcher.settle();
                        watcher.reload();
                    }
                }
            })
            .map(drop)
            .map_err(|e| format!("cannot start the file watcher: {e}"))
    }
}

struct Watcher {
    reloader: Reloader,
    slot: Arc<HandlerSlot>,
    /// The contract of the handler being served.
    contract: Contract,
    stamps: Vec<(PathBuf, Stamp)>,
}

impl Watcher {
    fn track(&mut self, mut files: Vec<PathBuf>) {
        files.sort();
        files.dedup();
        self.stamps = files
            .into_iter()
            .map(|p| {
                let s = stamp(&p);
                (p, s)
            })
            .collect();
    }

    fn changed(&self) -> bool {
        self.stamps.iter().any(|(p, s)| stamp(p) != *s)
    }

    /// Waits until the watched files stop changing (an editor or a tool may
    /// save in several writes), checking every [`SETTLE_INTERVAL`].
    fn settle(&self) {
        let now = || -> Vec<Stamp> { self.stamps.iter().map(|(p, _)| stamp(p)).collect() };
        let mut last = now();
        loop {
            std::thread::sleep(SETTLE_INTERVAL);
            let current = now();
            if current == last {
                return;
            }
            last = current;
        }
    }

    fn reload(&mut self) {
        let started = Instant::now();
        let entry = self.reloader.entry.clone();
        let build = match self.reloader.compile() {
            Ok(b) => b,
            Err((diagnostics, files)) => {
                self.track(files);
                eprintln!("{}", diagnostics.trim_end());
                eprintln!("zigttp: {entry} not reloaded; still serving the previous version");
                return;
            }
        };
        self.track(build.files);
        match self.reloader.instantiate(&build.program) {
            Ok((instance, reuse)) => {
                let contract = build.program.contract().clone();
                self.slot.replace(Arc::new(instance), reuse);
                if !self.reloader.quiet {
                    eprintln!(
                        "zigttp: reloaded {entry} in {} ms",
                        started.elapsed().as_millis()
                    );
                    for line in contract_changes(&self.contract, &contract) {
                        eprintln!("zigttp: contract: {line}");
                    }
                }
                self.contract = contract;
            }
            Err(e) => {
                eprintln!("{}", e.trim_end());
                eprintln!("zigttp: {entry} not reloaded; still serving the previous version");
            }
        }
    }
}

/// What differs between two contracts, one line per category that changed,
/// e.g. `env + API_KEY - OLD`, `capabilities + network`, `routes + GET /x`.
pub fn contract_changes(old: &Contract, new: &Contract) -> Vec<String> {
    fn diff(label: &str, old: &[String], new: &[String], out: &mut Vec<String>) {
        let added: Vec<String> = new
            .iter()
            .filter(|x| !old.contains(x))
            .map(|x| format!("+ {x}"))
            .collect();
        let removed: Vec<String> = old
            .iter()
            .filter(|x| !new.contains(x))
            .map(|x| format!("- {x}"))
            .collect();
        if !added.is_empty() || !removed.is_empty() {
            out.push(format!("{label} {}", [added, removed].concat().join(", ")));
        }
    }
    fn dynamic(label: &str, old: bool, new: bool, out: &mut Vec<String>) {
        if old != new {
            out.push(format!(
                "{label} {}",
                if new {
                    "now dynamic (any value the policy allows)"
                } else {
                    "no longer dynamic"
                }
            ));
        }
    }
    let names = |c: &Contract| -> Vec<String> {
        c.capabilities
            .iter()
            .map(|c| c.name().to_string())
            .collect()
    };
    let routes = |c: &Contract| -> Vec<String> {
        c.routes
            .iter()
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    };
    let queries =
        |c: &Contract| -> Vec<String> { c.sql.queries.iter().map(|q| q.name.clone()).collect() };
    let properties = |c: &Contract| -> Vec<String> {
        c.properties
            .names()
            .into_iter()
            .map(str::to_string)
            .collect()
    };
    let mut out = Vec::new();
    diff("capabilities", &names(old), &names(new), &mut out);
    diff("env", &old.env.literal, &new.env.literal, &mut out);
    dynamic("env", old.env.dynamic, new.env.dynamic, &mut out);
    diff(
        "egress hosts",
        &old.egress.literal,
        &new.egress.literal,
        &mut out,
    );
    dynamic("egress", old.egress.dynamic, new.egress.dynamic, &mut out);
    diff(
        "cache namespaces",
        &old.cache.literal,
        &new.cache.literal,
        &mut out,
    );
    dynamic("cache", old.cache.dynamic, new.cache.dynamic, &mut out);
    diff("sql queries", &queries(old), &queries(new), &mut out);
    dynamic("sql", old.sql.dynamic, new.sql.dynamic, &mut out);
    diff("routes", &routes(old), &routes(new), &mut out);
    diff("properties", &properties(old), &properties(new), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract(src: &str) -> Contract {
        zigts_compiler::compile("w.ts", src)
            .expect("compiles")
            .contract
    }

    #[test]
    fn changes_name_what_was_added_and_removed() {
        let old = contract(
            "export function handler(req: Request): Response { return Response.text(\"x\"); }\n",
        );
        let new = contract(
            "import { env } from \"zigttp:env\";\nexport function handler(req: Request): Response {\n  return match (req) {\n    when { method: \"GET\", path: \"/a\" }: Response.text(env(\"API_KEY\") ?? \"\")\n    default: Response.text(\"x\")\n  };\n}\n",
        );
        let lines = contract_changes(&old, &new);
        assert!(
            lines.contains(&"capabilities + env, + policy_check".to_string()),
            "{lines:?}"
        );
        assert!(lines.contains(&"env + API_KEY".to_string()), "{lines:?}");
        assert!(lines.contains(&"routes + GET /a".to_string()), "{lines:?}");
        let back = contract_changes(&new, &old);
        assert!(back.contains(&"env - API_KEY".to_string()), "{back:?}");
        assert!(contract_changes(&new, &new).is_empty());
    }
}
