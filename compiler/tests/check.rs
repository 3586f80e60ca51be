//! `zigts check` (every diagnostic, no bundle, text or JSON) and the
//! stability of `zigts compile --contract`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("zigts-check-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn zigts(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zigts"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run zigts")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const BAD: &str = "export function handler(req: Request): Response {\n  const a = missing;\n  return Response.text(alsoMissing);\n}\n";

#[test]
fn check_reports_every_error_as_text_without_writing_a_bundle() {
    let d = dir("text");
    std::fs::write(d.join("bad.ts"), BAD).unwrap();
    let o = zigts(&d, &["check", "bad.ts"]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("bad.ts:2:13"), "{err}");
    assert!(err.contains("bad.ts:3:24"), "{err}");
    assert!(err.contains("bad.ts: 2 error(s), 0 warning(s)"), "{err}");
    assert!(!err.contains('\u{1b}'), "plain when piped: {err}");
    assert!(o.stdout.is_empty());
    assert_eq!(std::fs::read_dir(&d).unwrap().count(), 1, "nothing written");

    std::fs::write(
        d.join("good.ts"),
        "export function handler(req: Request): Response { return Response.text(\"ok\"); }\n",
    )
    .unwrap();
    let o = zigts(&d, &["check", "good.ts"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("good.ts: 0 error(s), 0 warning(s)"));
    assert_eq!(std::fs::read_dir(&d).unwrap().count(), 2, "nothing written");
    let o = zigts(&d, &["check", "-q", "good.ts"]);
    assert!(o.status.success() && o.stderr.is_empty() && o.stdout.is_empty());
    let o = zigts(&d, &["compile", "-q", "good.ts", "-o", "good.zbc"]);
    assert!(o.status.success() && o.stderr.is_empty() && o.stdout.is_empty());
}

/// On a terminal (a pseudo-terminal from util-linux `script`, when it is
/// installed) diagnostics are colored, unless `NO_COLOR` is set.
#[test]
fn diagnostics_are_colored_on_a_terminal_only() {
    let d = dir("color");
    std::fs::write(d.join("bad.ts"), BAD).unwrap();
    let run = |no_color: bool| {
        let mut c = Command::new("script");
        c.args([
            "-qec",
            &format!("{} check bad.ts", env!("CARGO_BIN_EXE_zigts")),
            "/dev/null",
        ])
        .current_dir(&d)
        .env_remove("NO_COLOR");
        if no_color {
            c.env("NO_COLOR", "1");
        }
        c.output()
    };
    let Ok(o) = run(false) else {
        eprintln!(
            "SKIPPING: `script` (util-linux) is not installed, so no terminal to test colors on"
        );
        return;
    };
    let out = text(&o.stdout);
    assert!(out.contains("\u{1b}[1;31merror[ZTS020]"), "{out:?}");
    let plain = text(&run(true).unwrap().stdout);
    assert!(
        plain.contains("error[ZTS020]") && !plain.contains('\u{1b}'),
        "{plain:?}"
    );
}

#[test]
fn check_reports_a_syntax_error_per_top_level_item() {
    let d = dir("syntax");
    std::fs::write(
        d.join("s.ts"),
        "function a(): number {\n  var x = 1;\n  return x;\n}\nexport function handler(req: Request): Response {\n  while (true) {}\n  return Response.text(\"x\");\n}\n",
    )
    .unwrap();
    let o = zigts(&d, &["check", "s.ts", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let at: Vec<(u64, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(at, [(2, 3), (6, 3)], "{v}");
    // compile still stops at the first.
    let o = zigts(&d, &["compile", "s.ts", "-o", "s.zbc"]);
    assert_eq!(text(&o.stderr).matches("error[").count(), 1);
}

#[test]
fn check_json_is_machine_readable() {
    let d = dir("json");
    std::fs::write(d.join("bad.ts"), BAD).unwrap();
    let o = zigts(&d, &["check", "bad.ts", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    assert_eq!(v["file"], "bad.ts");
    assert_eq!(v["ok"], false);
    assert_eq!(v["errors"], 2);
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), 2);
    assert_eq!(diags[0]["severity"], "error");
    assert_eq!(diags[0]["code"], "ZTS020");
    assert_eq!(diags[0]["file"], "bad.ts");
    assert_eq!(diags[0]["line"], 2);
    assert_eq!(diags[0]["column"], 13);
    assert_eq!(diags[0]["endLine"], 2);
    assert_eq!(diags[0]["endColumn"], 20);
    assert!(diags[0]["message"].as_str().unwrap().contains("missing"));
    assert_eq!(diags[1]["line"], 3);

    std::fs::write(d.join("good.ts"), "export const x = 1;\n").unwrap();
    let o = zigts(&d, &["check", "good.ts", "--json"]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["diagnostics"], serde_json::json!([]));

    let o = zigts(&d, &["check", "absent.ts", "--json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("cannot read absent.ts"));
}

#[test]
fn the_contract_file_is_pretty_and_stable() {
    let d = dir("contract");
    std::fs::write(
        d.join("h.ts"),
        "import { env } from \"zigttp:env\";\nimport { cacheGet } from \"zigttp:cache\";\nexport function handler(req: Request): Response {\n  return Response.text((env(\"B\") ?? \"\") + (env(\"A\") ?? \"\") + (cacheGet(\"n\", \"k\") ?? \"\"));\n}\n",
    )
    .unwrap();
    let mut outputs = Vec::new();
    for name in ["one.json", "two.json"] {
        let o = zigts(&d, &["compile", "h.ts", "-o", "h.zbc", "--contract", name]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        outputs.push(std::fs::read_to_string(d.join(name)).unwrap());
    }
    assert_eq!(
        outputs[0], outputs[1],
        "the same source gives the same bytes"
    );
    let json = &outputs[0];
    assert!(json.starts_with("{\n  \"version\": 1,\n"), "{json}");
    assert!(json.ends_with("}\n"), "{json}");
    let keys: Vec<&str> = json
        .lines()
        .filter(|l| l.starts_with("  \"") && !l.starts_with("   "))
        .filter_map(|l| l.trim().strip_prefix('"')?.split('"').next())
        .collect();
    assert_eq!(
        keys,
        [
            "version",
            "handler",
            "modules",
            "functions",
            "capabilities",
            "capabilityHash",
            "env",
            "egress",
            "cache",
            "sql",
            "routes",
            "properties"
        ]
    );
    assert!(
        json.contains("\"modules\": [\n    \"zigttp:cache\",\n    \"zigttp:env\"\n  ]"),
        "{json}"
    );
}

#[test]
fn cli_md_documents_every_zigts_command() {
    let o = Command::new(env!("CARGO_BIN_EXE_zigts"))
        .arg("--help")
        .output()
        .unwrap();
    let help = text(&o.stdout);
    let cli = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/cli.md"))
        .expect("docs/cli.md");
    let commands: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.contains(&"check"), "{help}");
    for c in commands {
        assert!(
            cli.contains(&format!("`zigts {c}")),
            "docs/cli.md does not document `zigts {c}`"
        );
        let o = Command::new(env!("CARGO_BIN_EXE_zigts"))
            .args([c, "--help"])
            .output()
            .unwrap();
        assert!(
            text(&o.stdout).contains("Example"),
            "`zigts {c} --help` shows no example"
        );
    }
}
