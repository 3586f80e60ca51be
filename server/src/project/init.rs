//! `zigttp init NAME`: a new project that serves and passes its tests at
//! once: a handler, its tests, `zigttp.json`, a policy, a static directory,
//! and editor support (`zigttp.d.ts`, `tsconfig.json`).
//!
//! The handler routes with `routerMatch` rather than a `match` expression so
//! that it is plain TypeScript: an editor checks it against `zigttp.d.ts`
//! without complaint, and the literal route keys still reach the contract.

use super::config::{self, Config};
use super::types;
use std::path::{Path, PathBuf};

const HANDLER: &str = r#"// The project's handler. Serve it with `zigttp serve` (add --watch to reload
// on save) and test it with `zigttp test`; see docs/getting-started.md.
import { env } from "zigttp:env";
import { routerMatch } from "zigttp:router";

type Route = (req: Request, params: Record<string, string>) => Response;

function greet(name: string): Response {
  const greeting = env("GREETING") ?? "Hello";
  return Response.json({ message: `${greeting}, ${name}!` });
}

const routes: Record<string, Route> = {
  "GET /": (_req, _params) => greet("world"),
  "GET /hello/:name": (_req, params) => greet(params.name),
  "GET /health": (_req, _params) => Response.json({ ok: true }),
};

export function handler(req: Request): Response {
  const found = routerMatch(routes, req);
  if (found === undefined) {
    return Response.json({ error: "not found", path: req.path }, { status: 404 });
  }
  return found.handler(req, found.params);
}
"#;

const TESTS: &str = r#"{"type":"test","name":"GET / greets the world"}
{"type":"request","method":"GET","url":"/","headers":{},"body":null}
{"type":"expect","status":200,"body":"{\"message\":\"Hello, world!\"}","headers":{"content-type":"application/json"}}
{"type":"test","name":"the greeting comes from the GREETING variable"}
{"type":"request","method":"GET","url":"/hello/ada","headers":{},"body":null}
{"type":"io","module":"env","fn":"env","args":["GREETING"],"result":"Hi"}
{"type":"expect","status":200,"body":"{\"message\":\"Hi, ada!\"}"}
{"type":"test","name":"health"}
{"type":"request","method":"GET","url":"/health","headers":{},"body":null}
{"type":"expect","status":200,"body":"{\"ok\":true}"}
{"type":"test","name":"unknown paths answer 404"}
{"type":"request","method":"POST","url":"/nope","headers":{},"body":"x"}
{"type":"expect","status":404,"bodyContains":"not found"}
"#;

const POLICY: &str = r#"{
  "capabilities": ["env", "policy_check"],
  "env": { "allow": ["GREETING"] }
}
"#;

const INDEX_HTML: &str =
    "<!doctype html>\n<title>zigttp</title>\n<p>Served from public/ under /static/.</p>\n";

const TSCONFIG: &str = r#"{
  "compilerOptions": {
    "noLib": true,
    "strict": true,
    "noEmit": true,
    "target": "ES2022",
    "module": "ES2022",
    "moduleResolution": "bundler",
    "allowImportingTsExtensions": true,
    "jsx": "react",
    "jsxFactory": "h",
    "jsxFragmentFactory": "Fragment"
  },
  "include": ["*.ts", "*.tsx", "zigttp.d.ts"]
}
"#;

/// The project name for a directory: its last component (of its real
/// path for `.` or `..`).
fn project_name(dir: &Path) -> Result<String, String> {
    let real;
    let dir = if dir.file_name().is_none() {
        real = std::fs::canonicalize(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        real.as_path()
    } else {
        dir
    };
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("{}: not a usable project name", dir.display()))?;
    if name.starts_with('.')
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(format!(
            "{name:?}: a project name uses letters, digits, '-', '_' and '.' (and does not start with '.')"
        ));
    }
    Ok(name.to_string())
}

/// The files of a new project named `name`: `(relative path, contents)`.
pub fn files(name: &str) -> Vec<(&'static str, String)> {
    let config = Config {
        name: Some(name.to_string()),
        entry: "handler.ts".into(),
        tests: Some("handler.test.jsonl".into()),
        port: Some(3000),
        static_dir: Some("public".into()),
        policy: Some("policy.json".into()),
    };
    vec![
        (config::FILE_NAME, config.to_json()),
        ("handler.ts", HANDLER.to_string()),
        ("handler.test.jsonl", TESTS.to_string()),
        ("policy.json", POLICY.to_string()),
        ("public/index.html", INDEX_HTML.to_string()),
        (types::FILE_NAME, types::declarations()),
        ("tsconfig.json", TSCONFIG.to_string()),
        (".gitignore", format!("/{name}\n*.zbc\n")),
    ]
}

/// Creates the project directory `dir` (which must not exist, or be empty)
/// and writes the project files. Returns the paths written.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let name = project_name(dir)?;
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(format!(
                    "{} already exists and is not empty; choose a new name",
                    dir.display()
                ));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("{}: {e}", dir.display())),
    }
    let mut written = Vec::new();
    for (relative, contents) in files(&name) {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, contents)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_the_last_component() {
        assert_eq!(project_name(Path::new("a/b/my-app")).unwrap(), "my-app");
        assert!(project_name(Path::new("a/.hidden")).is_err());
        assert!(project_name(Path::new("bad name")).is_err());
        let here = std::env::current_dir().unwrap();
        let expected = here.file_name().unwrap().to_str().unwrap();
        assert_eq!(project_name(Path::new(".")).unwrap(), expected);
    }

    #[test]
    fn the_handler_compiles_and_the_policy_grants_its_contract() {
        let compiled = zigts_compiler::compile("handler.ts", HANDLER).expect("compiles");
        let policy = zigts_vm::Policy::from_json(POLICY).expect("policy parses");
        assert!(policy.excesses(&compiled.contract).is_empty());
        let cases = crate::testing::parse_cases(TESTS).expect("cases parse");
        assert_eq!(cases.len(), 4);
        let files = files("x");
        let config = Config::parse(&files[0].1).expect("zigttp.json parses");
        assert_eq!(config.entry, "handler.ts");
        for f in [config.entry, config.tests.unwrap(), config.policy.unwrap()] {
            assert!(files.iter().any(|(p, _)| *p == f), "{f} is written");
        }
    }
}
