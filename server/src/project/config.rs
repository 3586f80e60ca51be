//! `zigttp.json`: a project's entry, tests, port, static directory and
//! policy, read by `serve`, `test` and `build` when no file is given.
//!
//! ```json
//! {
//!   "name": "hello",
//!   "entry": "handler.ts",
//!   "tests": "handler.test.jsonl",
//!   "port": 3000,
//!   "static": "public",
//!   "policy": "policy.json"
//! }
//! ```
//!
//! Paths are relative to the directory of `zigttp.json`. Only `entry` is
//! required; unknown keys are an error (a typo must not be ignored).

use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The project file name.
pub const FILE_NAME: &str = "zigttp.json";

/// The contents of `zigttp.json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The project name; `zigttp build` names its binary after it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The handler source file.
    pub entry: String,
    /// The `.test.jsonl` file `zigttp test` runs (default: the entry's name
    /// with `.test.jsonl`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tests: Option<String>,
    /// The port `zigttp serve` listens on (`--port` wins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Served under `/static/` (`--static` wins).
    #[serde(default, rename = "static", skip_serializing_if = "Option::is_none")]
    pub static_dir: Option<String>,
    /// The policy file (`--policy` wins).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
}

impl Config {
    /// Parses `zigttp.json` text.
    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config = serde_json::from_str(text).map_err(|e| e.to_string())?;
        if config.entry.trim().is_empty() {
            return Err("'entry' must name the handler file".into());
        }
        Ok(config)
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

/// A `zigttp.json` and the directory it is in.
#[derive(Clone, Debug)]
pub struct Project {
    /// The directory of `zigttp.json` (empty for the current directory, so
    /// that paths print as written).
    pub dir: PathBuf,
    pub config: Config,
}

impl Project {
    /// Reads `DIR/zigttp.json`; `Ok(None)` when there is none.
    pub fn find(dir: &Path) -> Result<Option<Project>, String> {
        let path = dir.join(FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        let config = Config::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(Some(Project {
            dir: dir.to_path_buf(),
            config,
        }))
    }

    /// The project in the current directory, for a command given no file
    /// (`what` names the missing argument in the error).
    pub fn current(what: &str) -> Result<Project, String> {
        Project::find(Path::new(""))?.ok_or_else(|| {
            format!(
                "no {what} given and no {FILE_NAME} in the current directory \
                 (create a project with `zigttp init NAME`, or name the file)"
            )
        })
    }

    /// A path from `zigttp.json`, relative to its directory.
    pub fn path(&self, relative: &str) -> String {
        self.dir.join(relative).to_string_lossy().into_owned()
    }

    /// The handler source.
    pub fn entry(&self) -> String {
        self.path(&self.config.entry)
    }

    /// The test cases file.
    pub fn tests(&self) -> String {
        match &self.config.tests {
            Some(t) => self.path(t),
            None => self.path(&default_tests(&self.config.entry)),
        }
    }

    pub fn static_dir(&self) -> Option<String> {
        self.config.static_dir.as_deref().map(|d| self.path(d))
    }

    pub fn policy(&self) -> Option<String> {
        self.config.policy.as_deref().map(|p| self.path(p))
    }

    /// Where `zigttp build` writes the binary: the project name, or `app`.
    pub fn binary(&self) -> String {
        self.path(self.config.name.as_deref().unwrap_or("app"))
    }
}

/// `handler.ts` -> `handler.test.jsonl`.
fn default_tests(entry: &str) -> String {
    let stem = [".tsx", ".ts", ".jsx", ".js"]
        .iter()
        .find_map(|ext| entry.strip_suffix(ext))
        .unwrap_or(entry);
    format!("{stem}.test.jsonl")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_form_and_resolves_paths() {
        let c = Config::parse(
            r#"{"name":"hello","entry":"src/handler.ts","port":8080,"static":"public","policy":"policy.json"}"#,
        )
        .unwrap();
        assert_eq!(c.port, Some(8080));
        let p = Project {
            dir: PathBuf::from("proj"),
            config: c.clone(),
        };
        assert_eq!(p.entry(), "proj/src/handler.ts");
        assert_eq!(p.tests(), "proj/src/handler.test.jsonl");
        assert_eq!(p.static_dir().as_deref(), Some("proj/public"));
        assert_eq!(p.policy().as_deref(), Some("proj/policy.json"));
        assert_eq!(p.binary(), "proj/hello");
        assert_eq!(Config::parse(&c.to_json()).unwrap(), c);
        let here = Project {
            dir: PathBuf::new(),
            config: c,
        };
        assert_eq!(here.entry(), "src/handler.ts");
    }

    #[test]
    fn unknown_keys_and_a_missing_entry_are_errors() {
        assert!(
            Config::parse(r#"{"entry":"h.ts","prot":3000}"#)
                .unwrap_err()
                .contains("unknown field")
        );
        assert!(Config::parse(r#"{"port":3000}"#).is_err());
        assert!(Config::parse(r#"{"entry":" "}"#).is_err());
        assert_eq!(default_tests("a.tsx"), "a.test.jsonl");
        assert_eq!(default_tests("a"), "a.test.jsonl");
    }
}
