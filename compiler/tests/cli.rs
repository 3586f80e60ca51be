//! The `zigts` binary on good and hostile input: clear errors, non-zero
//! exits, never a panic.

use std::process::Command;

fn zigts(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_zigts"))
        .args(args)
        .output()
        .expect("run zigts");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn scratch(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("zigts-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write scratch file");
    path.to_string_lossy().into_owned()
}

fn assert_clean_failure(code: i32, stderr: &str) {
    assert_eq!(code, 1, "expected exit 1, stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(!stderr.trim().is_empty(), "an error must be explained");
}

#[test]
fn compile_disasm_verify_round_trip() {
    let src = scratch("ok.ts", b"export function handler(req: Request): Response { return Response.text(`hi ${req.path}`); }\n");
    let out = scratch("ok.zbc", b"");
    let contract = scratch("ok.json", b"");
    let (code, _, err) = zigts(&["compile", &src, "-o", &out, "--contract", &contract]);
    assert_eq!(code, 0, "{err}");
    let (code, listing, _) = zigts(&["disasm", &out]);
    assert_eq!(code, 0);
    assert!(listing.contains("function 1 handler"), "{listing}");
    assert!(listing.contains("concat"), "{listing}");
    let (code, stdout, _) = zigts(&["verify", &out]);
    assert_eq!(code, 0);
    assert!(stdout.contains("verified"));
    let json = std::fs::read_to_string(&contract).expect("contract written");
    assert!(json.contains("\"capabilityHash\""), "{json}");
}

#[test]
fn empty_source_compiles_to_a_bundle_without_handler() {
    let src = scratch("empty.ts", b"");
    let out = scratch("empty.zbc", b"");
    let (code, _, err) = zigts(&["compile", &src, "-o", &out]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn binary_garbage_is_a_diagnostic() {
    let src = scratch("garbage.ts", &[0xff, 0xfe, 0x00, 0x13, 0x80]);
    let (code, _, err) = zigts(&["compile", &src, "-o", "/dev/null"]);
    assert_clean_failure(code, &err);
    assert!(err.contains("not valid UTF-8"), "{err}");
    let src = scratch("controls.ts", b"\x01\x02 export function");
    let (code, _, err) = zigts(&["compile", &src, "-o", "/dev/null"]);
    assert_clean_failure(code, &err);
    assert!(err.contains("ZTS"), "{err}");
}

#[test]
fn diagnostics_are_rendered_with_position_code_and_help() {
    let src = scratch("var.ts", b"export function handler(req: Request): Response {\n  var x = 1;\n  return Response.text(`${x}`);\n}\n");
    let (code, _, err) = zigts(&["compile", &src, "-o", "/dev/null"]);
    assert_clean_failure(code, &err);
    assert!(err.contains("ZTS001"), "{err}");
    assert!(err.contains("var.ts:2:3"), "{err}");
    assert!(err.contains('^'), "{err}");
    assert!(err.contains("use 'let' or 'const' instead"), "{err}");
}

#[test]
fn truncated_or_corrupt_bundles_are_refused() {
    let src = scratch(
        "t.ts",
        b"export function handler(req: Request): Response { return Response.text(\"x\"); }\n",
    );
    let out = scratch("t.zbc", b"");
    assert_eq!(zigts(&["compile", &src, "-o", &out]).0, 0);
    let bytes = std::fs::read(&out).expect("bundle");
    for cut in [0, 3, 10, bytes.len() / 2, bytes.len() - 1] {
        let p = scratch("cut.zbc", &bytes[..cut]);
        let (code, _, err) = zigts(&["verify", &p]);
        assert_clean_failure(code, &err);
        let (code, _, err) = zigts(&["disasm", &p]);
        assert_clean_failure(code, &err);
    }
    let mut flipped = bytes.clone();
    flipped[20] ^= 0x40;
    let p = scratch("flip.zbc", &flipped);
    let (code, _, err) = zigts(&["verify", &p]);
    assert_clean_failure(code, &err);
    assert!(err.contains("hash mismatch"), "{err}");
}

#[test]
fn missing_files_and_bad_arguments() {
    let (code, _, err) = zigts(&["compile", "/nonexistent/handler.ts"]);
    assert_clean_failure(code, &err);
    assert!(err.contains("cannot read"), "{err}");
    let (code, _, _) = zigts(&["frobnicate"]);
    assert_eq!(code, 2);
}
