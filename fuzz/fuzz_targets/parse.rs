//! Bytes (as lossy UTF-8) -> the whole compiler. Nothing may panic, and
//! whatever compiles must verify (`compile_with()` checks that itself).
//! The entry is also parsed by the recovering parser (`zigts check`), which
//! must end and report the same first error as the plain one.
//!
//! The input may hold several files so that the module graph (relative
//! imports, cycles, missing exports) is fuzzed too: each `//@file <name>`
//! begins a new file called `<name>` (the rest of that line); the text before
//! the first one is the entry, `fuzz.ts` (`fuzz.tsx` when the input contains
//! `</` or `/>`). Files are served from memory, never from disk, so a run
//! does not depend on the working directory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::HashMap;
use std::path::Path;
use zigts_compiler::front::diag::FileId;
use zigts_compiler::graph::Loader;

const MARKER: &str = "//@file ";

struct MemLoader<'t>(HashMap<&'t str, &'t str>);

impl Loader for MemLoader<'_> {
    fn read(&mut self, path: &Path) -> Option<Result<String, String>> {
        let key = path.to_str()?.trim_start_matches("./");
        self.0.get(key).map(|t| Ok((*t).to_string()))
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.split(MARKER);
    let entry = parts.next().unwrap_or_default();
    let mut files: HashMap<&str, &str> = parts
        .filter_map(|part| {
            let (name, body) = part.split_once('\n').unwrap_or((part, ""));
            let name = name.trim().trim_start_matches("./");
            (!name.is_empty()).then_some((name, body))
        })
        .collect();
    let name = if text.contains("</") || text.contains("/>") {
        "fuzz.tsx"
    } else {
        "fuzz.ts"
    };
    files.insert(name, entry);
    let _ = zigts_compiler::compile_with(name, entry, &mut MemLoader(files));
    let jsx = name.ends_with(".tsx");
    let arena = bumpalo::Bump::new();
    let plain = zigts_compiler::front::parse(&arena, FileId(0), entry, jsx);
    let all = zigts_compiler::front::parse_recovering(&arena, FileId(0), entry, jsx);
    assert_eq!(all.diagnostics.first(), plain.diagnostics.first());
});
