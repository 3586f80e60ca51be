//! Built-ins that walk nested values recursively (ToString of arrays, `flat`,
//! JSX children, freezing module state) must answer deep nesting and cycles
//! with a JS error or a defined result, never a Rust stack overflow (which
//! aborts the whole server). Found by the 100,000-case mutation property.
//! Each program runs on a thread with the test harness's small stack.

mod support;
use std::sync::Arc;
use support::{Lines, limits, run};
use zigts_vm::{Instance, RequestParts};

const DEEP: &str = "let a: object[] = [];\nfor (const i of range(100000)) { a = [a]; }\n";

#[test]
fn to_string_of_deeply_nested_arrays_is_a_range_error() {
    let e = run("a.ts", &format!("{DEEP}console.log(String(a).length);\n")).unwrap_err();
    assert!(
        e.contains("RangeError") && e.contains("nested more than 512"),
        "{e}"
    );
    let e = run("b.ts", &format!("{DEEP}console.log(`${{a}}`);\n")).unwrap_err();
    assert!(e.contains("RangeError"), "{e}");
}

#[test]
fn cyclic_arrays_join_as_empty() {
    let out = run(
        "c.ts",
        "const a: object[] = [1];\na.push(a);\nconst b: object[] = [a, 2];\na.push(b);\nconsole.log(String(a), a.join(\"-\"), `${b}`);\n",
    )
    .unwrap();
    // What node prints for the same program.
    assert_eq!(out, ["1,,,2 1--,2 1,,,2"]);
}

#[test]
fn flat_of_deep_or_cyclic_arrays_is_a_range_error() {
    let e = run(
        "d.ts",
        &format!("{DEEP}console.log(a.flat(Infinity).length);\n"),
    )
    .unwrap_err();
    assert!(e.contains("RangeError"), "{e}");
    let e = run(
        "e.ts",
        "const a: object[] = [1];\na.push(a);\nconsole.log(a.flat(Infinity).length);\n",
    )
    .unwrap_err();
    assert!(e.contains("RangeError"), "{e}");
    // Shallow nesting still flattens.
    assert_eq!(
        run(
            "f.ts",
            "console.log([1, [2, [3, [4]]]].flat(Infinity).join(\",\"));\n"
        )
        .unwrap(),
        ["1,2,3,4"]
    );
}

#[test]
fn jsx_children_that_contain_themselves_are_a_range_error() {
    let e = run(
        "g.tsx",
        "const kids: object[] = [];\nkids.push(kids);\nconst el = h(\"div\", undefined, kids);\n",
    )
    .unwrap_err();
    assert!(
        e.contains("RangeError") && e.contains("JSX children"),
        "{e}"
    );
}

#[test]
fn deeply_nested_module_state_is_refused_at_load() {
    let e = run(
        "h.ts",
        &format!("{DEEP}export function handler(req: Request): Response {{ return Response.text(\"x\"); }}\n"),
    )
    .unwrap_err();
    assert!(
        e.contains("module state is nested more than 512 levels"),
        "{e}"
    );
    // Moderately deep state loads and serves.
    let program = zigts_compiler::compile(
        "i.ts",
        "let a: object[] = [];\nfor (const i of range(400)) { a = [a]; }\nexport function handler(req: Request): Response { return Response.text(String(a.length)); }\n",
    )
    .unwrap();
    let program = zigts_verifier::verify(
        &program.bytes,
        &zigts_verifier::Limits::default(),
        zigts_vm::modules::TABLE,
    )
    .unwrap();
    let instance = Instance::load(Arc::new(program), &mut Lines(Vec::new()), limits()).unwrap();
    let arena = bumpalo::Bump::new();
    let parts = RequestParts {
        method: "GET",
        target: "/",
        headers: &[],
        body: None,
    };
    let r = instance
        .handle(&arena, &parts, &mut Lines(Vec::new()), limits())
        .unwrap();
    assert_eq!(r.body, "1");
}
