//! The user docs are checked against the binaries:
//!
//! - `docs/getting-started.md` and `docs/testing.md` run as written: their
//!   `sh` blocks are executed in order in a fresh directory, blocks tagged
//!   `file=NAME` are written first, and each `text` block must appear in the
//!   output of the command before it (see [`Runner`]).
//! - Every `ts`/`tsx` example in the docs and the README compiles; every
//!   `zigttp.json` and policy example parses.
//! - Every `zigttp ...` command line shown in their `sh` and untagged
//!   blocks names a real subcommand and only flags that subcommand has.
//! - `docs/cli.md` documents every `zigttp` subcommand, and each one's
//!   `--help` shows an example.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use support::get;

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_zigttp")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read_doc(name: &str) -> String {
    std::fs::read_to_string(repo().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Every doc checked here.
fn all_docs() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("docs"))
        .unwrap()
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.ends_with(".md").then(|| format!("docs/{name}"))
        })
        .collect();
    names.sort();
    names.push("README.md".into());
    names
}

/// A fenced code block: its info string (`sh`, `ts file=api.ts`, ...) and text.
struct Block {
    info: String,
    text: String,
}

fn blocks(markdown: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<Block> = None;
    for line in markdown.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => {
                current = Some(Block {
                    info: info.trim().to_string(),
                    text: String::new(),
                });
            }
            (Some(_), Some(_)) => out.extend(current.take()),
            (Some(b), None) => {
                b.text.push_str(line);
                b.text.push('\n');
            }
            (None, None) => {}
        }
    }
    assert!(current.is_none(), "unclosed code block");
    out
}

/// A server started by a doc, and the port it really listens on.
struct Served {
    child: Child,
    port: u16,
}

impl Served {
    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        assert!(self.child.wait().unwrap().success(), "server exit status");
    }
}

/// A doc that fails midway must not leave its server running.
impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a doc's commands the way a reader would type them.
///
/// Supported lines (anything else fails the test, so a doc cannot show a
/// command that is not checked): `cargo ...` and `git ...` (setup: the test
/// already runs the freshly built binary; skipped), `cd DIR`, `zigttp ...`
/// (`serve` runs in the background, on a free port instead of the one
/// shown, after stopping the previous server as Ctrl-C would), `curl URL`
/// (a GET to the running server), each optionally prefixed by `NAME=value`
/// environment assignments. A trailing `# exits N` comment expects that
/// status; other comments are ignored.
struct Runner {
    doc: String,
    cwd: PathBuf,
    output: String,
    server: Option<Served>,
}

impl Runner {
    fn new(doc: &str) -> Runner {
        let cwd = std::env::temp_dir().join(format!(
            "zigttp-docs-{}-{}",
            std::process::id(),
            doc.replace(['/', '.'], "-")
        ));
        let _ = std::fs::remove_dir_all(&cwd);
        std::fs::create_dir_all(&cwd).unwrap();
        Runner {
            doc: doc.to_string(),
            cwd,
            output: String::new(),
            server: None,
        }
    }

    fn run_doc(mut self) {
        let text = read_doc(&self.doc);
        let mut commands = 0;
        for block in blocks(&text) {
            let mut words = block.info.split_whitespace();
            let lang = words.next().unwrap_or("");
            if let Some(name) = words.find_map(|w| w.strip_prefix("file=")) {
                std::fs::write(self.cwd.join(name), &block.text).unwrap();
                continue;
            }
            match lang {
                "sh" => {
                    for line in block.text.lines() {
                        commands += usize::from(self.line(line));
                    }
                }
                "text" => self.expect_output(&block.text),
                _ => {}
            }
        }
        assert!(commands > 0, "{}: no command ran", self.doc);
        if let Some(s) = self.server.take() {
            s.stop();
        }
    }

    /// Runs one line; whether it was a command that ran.
    fn line(&mut self, line: &str) -> bool {
        let (command, comment) = match line.split_once(" #") {
            Some((c, m)) => (c.trim(), m.trim()),
            None if line.trim_start().starts_with('#') => ("", ""),
            None => (line.trim(), ""),
        };
        if command.is_empty() {
            return false;
        }
        assert!(
            !command.contains(['"', '\'', '|', '&', ';', '$', '<', '>']),
            "{}: the doc runner splits on spaces only: {line}",
            self.doc
        );
        let expected: i32 = comment
            .strip_prefix("exits ")
            .map_or(0, |n| n.parse().expect("exit status"));
        let mut words: Vec<&str> = command.split_whitespace().collect();
        let mut env = Vec::new();
        while let Some((k, v)) = words.first().and_then(|w| w.split_once('=')) {
            env.push((k.to_string(), v.to_string()));
            words.remove(0);
        }
        match words[0] {
            "cargo" | "git" => false,
            "cd" => {
                self.cwd = self.cwd.join(words[1]);
                true
            }
            "curl" => {
                let url = words.iter().rfind(|w| w.starts_with("http://")).unwrap();
                let path = url
                    .trim_start_matches("http://")
                    .split_once('/')
                    .map_or("/".to_string(), |(_, p)| format!("/{p}"));
                let port = self.server.as_ref().expect("a server to curl").port;
                let reply = get(([127, 0, 0, 1], port).into(), &path);
                self.output = reply.text();
                true
            }
            "zigttp" if words.get(1) == Some(&"serve") => {
                if let Some(s) = self.server.take() {
                    s.stop();
                }
                self.serve(&words[1..], &env);
                true
            }
            "zigttp" => {
                let o = Command::new(bin())
                    .args(&words[1..])
                    .envs(env)
                    .current_dir(&self.cwd)
                    .output()
                    .unwrap();
                self.output = format!(
                    "{}{}",
                    String::from_utf8_lossy(&o.stdout),
                    String::from_utf8_lossy(&o.stderr)
                );
                assert_eq!(
                    o.status.code(),
                    Some(expected),
                    "{}: `{command}` printed:\n{}",
                    self.doc,
                    self.output
                );
                true
            }
            other => panic!("{}: the doc runner cannot run `{other}`: {line}", self.doc),
        }
    }

    fn serve(&mut self, args: &[&str], env: &[(String, String)]) {
        let mut args: Vec<&str> = args.to_vec();
        if let Some(i) = args.iter().position(|a| *a == "--port" || *a == "-p") {
            args.drain(i..i + 2);
        }
        let mut child = Command::new(bin())
            .args(&args)
            .args(["--port", "0", "--workers", "1"])
            .envs(env.iter().map(|(k, v)| (k, v)))
            .current_dir(&self.cwd)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (line, port) = support::listening_line(&mut child);
        let port = port.unwrap_or_else(|| panic!("{}: no listening line: {line:?}", self.doc));
        // The doc shows the port a reader gets: the project's (3000).
        self.output = line.replace(&format!(":{port}"), ":3000");
        self.server = Some(Served { child, port });
    }

    /// Every line of a `text` block is in the last command's output.
    fn expect_output(&self, expected: &str) {
        for line in expected.lines().filter(|l| !l.trim().is_empty()) {
            assert!(
                self.output.contains(line.trim_end()),
                "{}: expected output line {line:?} not in:\n{}",
                self.doc,
                self.output
            );
        }
    }
}

#[test]
fn getting_started_runs_as_written() {
    Runner::new("docs/getting-started.md").run_doc();
}

#[test]
fn testing_runs_as_written() {
    Runner::new("docs/testing.md").run_doc();
}

/// The handler getting-started.md shows is the one `zigttp init` writes.
#[test]
fn getting_started_shows_the_generated_handler() {
    let doc = read_doc("docs/getting-started.md");
    let files = zigttp::project::init::files("hello");
    let handler = &files.iter().find(|(p, _)| *p == "handler.ts").unwrap().1;
    assert!(
        blocks(&doc)
            .iter()
            .any(|b| b.info == "ts" && b.text == *handler),
        "docs/getting-started.md must show handler.ts as zigttp init writes it:\n{handler}"
    );
}

#[test]
fn every_typescript_example_compiles() {
    let mut count = 0;
    for doc in all_docs() {
        for (i, b) in blocks(&read_doc(&doc)).iter().enumerate() {
            let lang = b.info.split_whitespace().next().unwrap_or("");
            if lang == "ts" || lang == "tsx" {
                let name = format!("example-{i}.{lang}");
                if let Err(e) = zigts_compiler::compile(&name, &b.text) {
                    panic!("{doc}, block {i}:\n{}\n{}", b.text, e.render());
                }
                count += 1;
            }
        }
    }
    assert!(count >= 4, "{count} examples");
}

/// JSON examples of the two files users write by hand parse as such:
/// `zigttp.json` (has `"entry"`) and policies (start with `"capabilities"`).
#[test]
fn every_project_and_policy_example_parses() {
    let mut count = 0;
    for doc in all_docs() {
        for b in blocks(&read_doc(&doc)) {
            if b.info.split_whitespace().next() != Some("json") {
                continue;
            }
            let t = b.text.trim_start();
            if t.contains("\"entry\"") {
                zigttp::project::Config::parse(&b.text)
                    .unwrap_or_else(|e| panic!("{doc}: zigttp.json example: {e}\n{}", b.text));
                count += 1;
            } else if t
                .trim_start_matches(['{', ' ', '\n'])
                .starts_with("\"capabilities\"")
            {
                zigts_vm::Policy::from_json(&b.text)
                    .unwrap_or_else(|e| panic!("{doc}: policy example: {e}\n{}", b.text));
                count += 1;
            }
        }
    }
    assert!(count >= 2, "{count} examples");
}

/// `zigttp SUB --help`, memoized per subcommand by the caller.
fn help(sub: &str) -> String {
    let o = Command::new(bin()).args([sub, "--help"]).output().unwrap();
    assert!(o.status.success(), "`zigttp {sub}` is not a command");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn every_command_line_in_the_docs_uses_real_flags() {
    let mut helps: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut checked = 0;
    for doc in all_docs() {
        // Commands are in `sh` blocks and untagged ones (output is `text`).
        for b in blocks(&read_doc(&doc))
            .into_iter()
            .filter(|b| b.info.is_empty() || b.info == "sh")
        {
            for line in b.text.lines() {
                let line = line.split(" #").next().unwrap_or("").trim();
                let Some(rest) = line.strip_prefix("zigttp ") else {
                    continue;
                };
                let words: Vec<&str> = rest
                    .split_whitespace()
                    .map(|w| w.trim_matches(['[', ']']))
                    .collect();
                let Some(sub) = words.iter().find(|w| !w.starts_with('-')) else {
                    continue;
                };
                let text = helps.entry((*sub).to_string()).or_insert_with(|| help(sub));
                for flag in words.iter().filter(|w| w.starts_with("--")) {
                    let flag = flag.split('=').next().unwrap();
                    assert!(
                        text.contains(&format!("{flag} ")) || text.contains(&format!("{flag}\n")),
                        "{doc}: `zigttp {sub}` has no flag {flag}: {line}"
                    );
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 10, "{checked} command lines");
}

#[test]
fn cli_md_documents_every_command() {
    let o = Command::new(bin()).arg("--help").output().unwrap();
    let top = String::from_utf8_lossy(&o.stdout);
    let commands: BTreeSet<&str> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(
        commands.contains("init") && commands.contains("serve"),
        "{top}"
    );
    let cli = read_doc("docs/cli.md");
    for c in commands {
        assert!(
            cli.contains(&format!("`zigttp {c}")),
            "docs/cli.md does not document `zigttp {c}`"
        );
        assert!(
            help(c).contains("Example"),
            "`zigttp {c} --help` shows no example"
        );
    }
}
