//! The module graph: the entry file and every file it imports by relative
//! path, parsed, with cycles reported, in dependency order (a module comes
//! after everything it imports). All of it compiles into one bundle.

use crate::front::ast::{ImportDecl, Program, Stmt};
use crate::front::diag::{Diagnostic, FileId, SourceFile};
use bumpalo::Bump;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Most files one bundle may be built from.
pub const MAX_MODULES: usize = 256;

/// Extensions tried, in order, for a specifier without one.
const EXTENSIONS: &[&str] = &["ts", "tsx", "js", "jsx"];

/// Reads source files (the file system, or a map in tests).
pub trait Loader {
    /// The text of `path`, or `None` if there is no such file.
    fn read(&mut self, path: &Path) -> Option<Result<String, String>>;
}

/// Reads from the file system.
#[derive(Debug, Default)]
pub struct FsLoader;

impl Loader for FsLoader {
    fn read(&mut self, path: &Path) -> Option<Result<String, String>> {
        if !path.is_file() {
            return None;
        }
        Some(match std::fs::read(path) {
            Ok(bytes) => String::from_utf8(bytes)
                .map_err(|_| format!("{} is not valid UTF-8 text", path.display())),
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        })
    }
}

/// One parsed module.
pub struct Module<'a> {
    pub file: FileId,
    pub program: Program<'a>,
    /// `&ImportDecl` address -> index (in [`Graph::modules`]) of the imported module.
    pub deps: HashMap<usize, usize>,
}

/// The parsed graph.
pub struct Graph<'a> {
    /// One per file, indexed by `FileId` (the entry is file 0).
    pub sources: Vec<SourceFile>,
    /// Dependency order: every module after the modules it imports; the entry is last.
    pub modules: Vec<Module<'a>>,
}

/// Whether `spec` is a relative file import.
pub fn is_relative(spec: &str) -> bool {
    spec.starts_with("./") || spec.starts_with("../")
}

enum Mark {
    Visiting,
    Done(usize),
}

struct Builder<'a, 'l> {
    arena: &'a Bump,
    loader: &'l mut dyn Loader,
    sources: Vec<SourceFile>,
    modules: Vec<Module<'a>>,
    marks: HashMap<PathBuf, Mark>,
    /// The chain of files being visited, for cycle messages.
    stack: Vec<String>,
    /// Parse with [`crate::front::parse_recovering`].
    recover: bool,
}

/// Parses `entry` (already read, shown as `name`) and every file it imports.
pub fn load<'a>(
    arena: &'a Bump,
    name: &str,
    text: &str,
    loader: &mut dyn Loader,
) -> Result<Graph<'a>, (Vec<SourceFile>, Vec<Diagnostic>)> {
    load_with(arena, name, text, loader, false)
}

/// [`load`], with `recover`: a file's syntax errors are reported one per
/// top-level item instead of only the first ([`crate::front::parse_recovering`]).
pub fn load_with<'a>(
    arena: &'a Bump,
    name: &str,
    text: &str,
    loader: &mut dyn Loader,
    recover: bool,
) -> Result<Graph<'a>, (Vec<SourceFile>, Vec<Diagnostic>)> {
    let mut b = Builder {
        arena,
        loader,
        sources: Vec::new(),
        modules: Vec::new(),
        marks: HashMap::new(),
        stack: Vec::new(),
        recover,
    };
    let key = canonical(Path::new(name));
    match b.visit(name, key, text.to_string()) {
        Ok(_) => Ok(Graph {
            sources: b.sources,
            modules: b.modules,
        }),
        Err(diags) => Err((b.sources, diags)),
    }
}

/// The identity of a file for cycle detection: its real path when it
/// exists on disk, else its lexically normalized path.
fn canonical(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| normalize(p))
}

/// Removes `.` components and folds `dir/..` (lexically, no file system).
fn normalize(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.iter().collect()
}

/// The file a relative specifier names, trying the known extensions.
fn resolve(
    loader: &mut dyn Loader,
    importer: &str,
    spec: &str,
) -> Option<(String, Result<String, String>)> {
    let dir = Path::new(importer)
        .parent()
        .unwrap_or_else(|| Path::new(""));
    let base = normalize(&dir.join(spec));
    let has_ext = base
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e));
    let candidates: Vec<PathBuf> = if has_ext {
        vec![base]
    } else {
        EXTENSIONS
            .iter()
            .map(|e| PathBuf::from(format!("{}.{e}", base.display())))
            .collect()
    };
    candidates
        .into_iter()
        .find_map(|c| loader.read(&c).map(|text| (c.display().to_string(), text)))
}

impl<'a> Builder<'a, '_> {
    fn visit(&mut self, name: &str, key: PathBuf, text: String) -> Result<usize, Vec<Diagnostic>> {
        let file = FileId(self.sources.len() as u32);
        self.sources.push(SourceFile::new(name, text));
        self.marks.insert(key.clone(), Mark::Visiting);
        self.stack.push(name.to_string());
        let source: &'a str = self.arena.alloc_str(&self.sources[file.0 as usize].text);
        let jsx = name.ends_with(".tsx") || name.ends_with(".jsx");
        let parsed = if self.recover {
            crate::front::parse_recovering(self.arena, file, source, jsx)
        } else {
            crate::front::parse(self.arena, file, source, jsx)
        };
        if parsed.diagnostics.iter().any(Diagnostic::is_error) {
            return Err(parsed.diagnostics);
        }
        let mut deps = HashMap::new();
        for stmt in parsed.program.stmts {
            let Stmt::Import(import) = stmt else { continue };
            if import.type_only || !is_relative(import.source.value) {
                continue;
            }
            let dep = self.import(file, name, import)?;
            deps.insert(crate::check::addr(*import), dep);
        }
        self.stack.pop();
        let idx = self.modules.len();
        self.modules.push(Module {
            file,
            program: parsed.program,
            deps,
        });
        self.marks.insert(key, Mark::Done(idx));
        Ok(idx)
    }

    fn import(
        &mut self,
        file: FileId,
        importer: &str,
        import: &'a ImportDecl<'a>,
    ) -> Result<usize, Vec<Diagnostic>> {
        let spec = import.source.value;
        let at = import.source.span;
        let Some((path, text)) = resolve(self.loader, importer, spec) else {
            return Err(vec![
                Diagnostic::error("ZTS037", file, at, format!("cannot find module '{spec}'"))
                    .with_suggestion(
                        "relative imports name a .ts, .tsx, .js or .jsx file next to the importer",
                    ),
            ]);
        };
        let key = canonical(Path::new(&path));
        match self.marks.get(&key) {
            Some(Mark::Done(idx)) => return Ok(*idx),
            Some(Mark::Visiting) => {
                let start = self
                    .stack
                    .iter()
                    .position(|s| canonical(Path::new(s)) == key)
                    .unwrap_or(0);
                let mut chain: Vec<&str> = self.stack[start..].iter().map(String::as_str).collect();
                chain.push(&path);
                return Err(vec![
                    Diagnostic::error(
                        "ZTS037",
                        file,
                        at,
                        format!("import cycle: {}", chain.join(" -> ")),
                    )
                    .with_suggestion("move the shared code into a module that both import"),
                ]);
            }
            None => {}
        }
        if self.sources.len() >= MAX_MODULES {
            return Err(vec![Diagnostic::error(
                "ZTS037",
                file,
                at,
                format!("more than {MAX_MODULES} modules"),
            )]);
        }
        let text = text.map_err(|e| vec![Diagnostic::error("ZTS037", file, at, e)])?;
        self.visit(&path, key, text)
    }
}
