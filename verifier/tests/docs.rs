//! `docs/bytecode.md` is generated from the ISA table; this test fails when
//! it is stale. Regenerate: `ZIGTTP_REGENERATE=1 cargo test -p zigts-verifier --test docs`.

use std::path::Path;

#[test]
fn bytecode_reference_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/bytecode.md");
    let want = zigts_verifier::docgen::bytecode_reference();
    if std::env::var_os("ZIGTTP_REGENERATE").is_some() {
        std::fs::write(&path, &want).expect("write docs/bytecode.md");
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "docs/bytecode.md is stale; regenerate with: ZIGTTP_REGENERATE=1 cargo test -p zigts-verifier --test docs"
    );
}
