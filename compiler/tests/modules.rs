//! Relative imports: a module graph compiled into one bundle, with cycles,
//! missing files and missing exports reported at the import.

use std::collections::HashMap;
use std::path::Path;
use zigts_compiler::graph::Loader;

struct MapLoader(HashMap<&'static str, &'static str>);

impl Loader for MapLoader {
    fn read(&mut self, path: &Path) -> Option<Result<String, String>> {
        let key = path.to_str()?.trim_start_matches("./");
        self.0.get(key).map(|t| Ok((*t).to_string()))
    }
}

fn compile(
    entry: &str,
    files: &[(&'static str, &'static str)],
) -> Result<zigts_compiler::Compiled, String> {
    let mut loader = MapLoader(files.iter().copied().collect());
    let text = loader.0[entry];
    zigts_compiler::compile_with(entry, text, &mut loader).map_err(|e| {
        let d = &e.diagnostics[0];
        let (file, line, col) = e.position(d).unwrap_or(("?", 0, 0));
        format!("{} {file}:{line}:{col} {}", d.code, d.full_message())
    })
}

#[test]
fn a_two_level_graph_compiles_into_one_bundle() {
    let c = compile(
        "app/main.ts",
        &[
            ("app/main.ts", "import { twice, NAME } from \"./lib/math.ts\";\nexport function handler(req: Request): Response { return Response.text(`${NAME} ${twice(21)}`); }\n"),
            ("app/lib/math.ts", "import { base } from \"./base\";\nexport const NAME = \"math\";\nexport function twice(n: number): number { return base(n) * 2; }\n"),
            ("app/lib/base.ts", "export function base(n: number): number { return n; }\n"),
        ],
    )
    .expect("compiles");
    let bundle = zigts_verifier::bundle::decode(&c.bytes, &zigts_verifier::Limits::default())
        .expect("decodes");
    assert_eq!(bundle.source_map.files.len(), 3);
    assert_eq!(
        bundle
            .module
            .exports
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>(),
        ["handler"]
    );
}

#[test]
fn cycles_are_reported_at_the_import() {
    let err = compile(
        "a.ts",
        &[
            (
                "a.ts",
                "import { b } from \"./b.ts\";\nexport function a(): number { return b(); }\n",
            ),
            (
                "b.ts",
                "import { a } from \"./a.ts\";\nexport function b(): number { return 1; }\n",
            ),
        ],
    )
    .unwrap_err();
    assert!(
        err.starts_with("ZTS037 b.ts:1:19 import cycle: a.ts -> b.ts -> a.ts"),
        "{err}"
    );
}

#[test]
fn missing_files_and_exports() {
    let err = compile("m.ts", &[("m.ts", "import { x } from \"./nope.ts\";\n")]).unwrap_err();
    assert!(
        err.starts_with("ZTS037 m.ts:1:19 cannot find module './nope.ts'"),
        "{err}"
    );
    let err = compile(
        "m.ts",
        &[
            ("m.ts", "import { hidden } from \"./lib.ts\";\n"),
            ("lib.ts", "function hidden(): number { return 1; }\n"),
        ],
    )
    .unwrap_err();
    assert!(
        err.starts_with("ZTS037 m.ts:1:10 module './lib.ts' has no export 'hidden'"),
        "{err}"
    );
}

#[test]
fn imports_are_read_only_and_types_are_erased() {
    let err = compile(
        "m.ts",
        &[
            ("m.ts", "import { n } from \"./lib.ts\";\nn = 2;\n"),
            ("lib.ts", "export let n = 1;\n"),
        ],
    )
    .unwrap_err();
    assert!(
        err.starts_with("ZTS016 m.ts:2:1 cannot assign to import 'n'"),
        "{err}"
    );
    compile(
        "m.ts",
        &[
            ("m.ts", "import { Money } from \"./types.ts\";\nimport type { Tag } from \"./missing.ts\";\nconst x: Money = 1;\n"),
            ("types.ts", "export type Money = number;\n"),
        ],
    )
    .expect("type imports bind nothing and load nothing");
}

#[test]
fn errors_inside_an_imported_file_point_into_it() {
    let err = compile(
        "m.ts",
        &[
            ("m.ts", "import { f } from \"./lib.ts\";\n"),
            (
                "lib.ts",
                "export function f(): number {\n  var x = 1;\n  return x;\n}\n",
            ),
        ],
    )
    .unwrap_err();
    assert!(err.starts_with("ZTS001 lib.ts:2:3"), "{err}");
}

#[test]
fn websocket_callbacks_need_the_websocket_module() {
    let src = "export function handler(req: Request): Response { return Response.text(\"x\"); }\nexport function onClose(ws: number, code: number, reason: string): void {}\nexport function onMessage(ws: number, data: string, room: string): void {}\n";
    let err = zigts_compiler::compile("h.ts", src).unwrap_err();
    let shown = err.render();
    assert!(shown.contains("error[ZTS321]"), "{shown}");
    // The first callback in the file is the one reported.
    assert!(
        shown.contains("'onClose' is a WebSocket callback"),
        "{shown}"
    );
    assert!(shown.contains("h.ts:2:"), "{shown}");
    let ok = format!("import {{ send }} from \"zigttp:websocket\";\n{src}");
    zigts_compiler::compile("h.ts", &ok).expect("compiles with the import");
}

/// Long operator chains compile up to the limit and are a diagnostic past
/// it, never a stack overflow in a later pass (which would abort `serve`).
#[test]
fn operator_chains_are_bounded() {
    let chain = |n: usize, op: &str| {
        format!(
            "const x = 1{};\nexport function handler(req: Request): Response {{ return Response.text(String(x)); }}\n",
            format!(" {op} 1").repeat(n)
        )
    };
    zigts_compiler::compile("ok.ts", &chain(1024, "+")).expect("1,024 operators compile");
    for (n, op) in [(1025, "+"), (200_000, "+"), (200_000, "&&")] {
        let shown = zigts_compiler::compile("long.ts", &chain(n, op))
            .unwrap_err()
            .render();
        assert!(
            shown.contains("error[ZTS002]: expression is too long"),
            "{shown}"
        );
    }
    // A right-associative chain nests instead.
    let shown = zigts_compiler::compile("pow.ts", &chain(100_000, "**"))
        .unwrap_err()
        .render();
    assert!(
        shown.contains("error[ZTS002]: nesting is too deep"),
        "{shown}"
    );
}
