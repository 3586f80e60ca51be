//! Differential test: the zigts VM against a real JavaScript engine.
//!
//! Every program runs twice: through our compiler, verifier and VM, and on
//! QuickJS-NG (through the `rquickjs` crate). Both sides print with
//! `console.log`; the printed lines must be identical. The programs are
//!
//! - the hand-written ones in `tests/differential/*.js` (tricky JS semantics;
//!   every one is also a valid zigts program), and
//! - programs made by the seeded generator below (`gen-<seed>`), which only
//!   uses the part of the profile that is plain JavaScript.
//!
//! A divergence (different lines, one side throwing, our compiler rejecting a
//! program, a VM panic) fails the test unless its id is listed in
//! `tests/differential/known-divergences.txt`; an entry that no longer
//! diverges fails too, so the list stays true. Entries starting with `BUG:`
//! are VM or compiler bugs waiting for a fix; the others are deviations the
//! design intends (DESIGN.md section 10).
//!
//! Knobs (environment variables):
//! - `DIFF_PROGRAMS=N`: how many generated programs (default 1000, about
//!   11 s of CPU in a debug build, so about 6 s on two cores);
//! - `DIFF_SHOW=gen-17` or `DIFF_SHOW=path/to/file.js`: print that program
//!   and both outputs, run nothing else (add `-- --nocapture`).
//!
//! The generator keeps away from constructs that hit a known VM bug (each
//! such place names the reproducer in `tests/differential/`), so that one
//! bug does not make hundreds of seeds diverge and hide other findings.
//!
//! How QuickJS is made to run the profile's JavaScript (`PRELUDE`):
//! - `range(...)` is a generator with the VM's semantics (NaN becomes 0,
//!   floats are truncated, a zero step becomes 1);
//! - `Map` and `Set`, which the profile calls as factories (`Map()`, because
//!   `new` does not exist), are replaced on `globalThis` by a `Proxy` of the
//!   real constructor whose `apply` trap constructs. The program text is not
//!   rewritten and `new Map()`, `Map.prototype` and `Map.groupBy` still work.
//! - `console.log/info/debug` print as ours does: arguments joined by one
//!   space, strings raw, objects and arrays as `JSON.stringify`, everything
//!   else as `String(x)`; `console.warn/error` lines get a `[stderr] `
//!   prefix on both sides. A printed line is made well-formed (a lone
//!   surrogate becomes U+FFFD) because our host receives UTF-8 text, which
//!   cannot carry one.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rquickjs::{CatchResultExt, Context, Runtime, context::EvalOptions};

// ---------------------------------------------------------------------------
// Running a program on both engines
// ---------------------------------------------------------------------------

/// What one engine did with one program.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    /// Ran to the end, printing these lines.
    Ran(Vec<String>),
    /// Threw (QuickJS) or trapped (VM) after printing these lines.
    Threw(Vec<String>, String),
    /// Our compiler or verifier rejected the program.
    Rejected(String),
    /// The VM panicked after printing these lines.
    Panicked(Vec<String>, String),
}

impl Outcome {
    fn lines(&self) -> &[String] {
        match self {
            Outcome::Ran(l) | Outcome::Threw(l, _) | Outcome::Panicked(l, _) => l,
            Outcome::Rejected(_) => &[],
        }
    }

    fn describe(&self) -> String {
        let mut s = String::new();
        match self {
            Outcome::Ran(_) => s.push_str("ran to the end\n"),
            Outcome::Threw(_, m) => {
                let _ = writeln!(s, "threw: {m}");
            }
            Outcome::Rejected(m) => {
                let _ = writeln!(s, "rejected by the compiler:\n{m}");
            }
            Outcome::Panicked(_, m) => {
                let _ = writeln!(s, "PANICKED: {m}");
            }
        }
        let lines = self.lines();
        for l in lines.iter().take(80) {
            let _ = writeln!(s, "  | {l}");
        }
        if lines.len() > 80 {
            let _ = writeln!(s, "  | ... ({} more lines)", lines.len() - 80);
        }
        s
    }
}

/// Why two outcomes differ, or `None` when they agree. Both sides throwing
/// after the same lines counts as agreement (messages differ by engine).
fn compare(ours: &Outcome, theirs: &Outcome) -> Option<String> {
    match (ours, theirs) {
        (Outcome::Rejected(m), _) => Some(format!(
            "our compiler rejects it: {}",
            m.lines().next().unwrap_or("")
        )),
        (Outcome::Panicked(_, m), _) => Some(format!("the VM panicked: {m}")),
        (_, Outcome::Rejected(_) | Outcome::Panicked(..)) => unreachable!("QuickJS side"),
        (Outcome::Ran(a), Outcome::Ran(b)) | (Outcome::Threw(a, _), Outcome::Threw(b, _)) => {
            first_difference(a, b)
        }
        (Outcome::Threw(_, m), Outcome::Ran(_)) => Some(format!("only the VM throws: {m}")),
        (Outcome::Ran(_), Outcome::Threw(_, m)) => Some(format!("only QuickJS throws: {m}")),
    }
}

fn first_difference(ours: &[String], theirs: &[String]) -> Option<String> {
    let n = ours.len().max(theirs.len());
    (0..n).find_map(|i| {
        let a = ours.get(i).map_or("<no line>", String::as_str);
        let b = theirs.get(i).map_or("<no line>", String::as_str);
        (a != b).then(|| format!("line {}: zigts {a:?} vs QuickJS {b:?}", i + 1))
    })
}

/// Collects console lines for the VM.
#[derive(Default)]
struct Capture {
    lines: Vec<String>,
}

impl zigts_vm::Host for Capture {
    fn console(&mut self, is_error: bool, line: &str) {
        if is_error {
            self.lines.push(format!("[stderr] {line}"));
        } else {
            self.lines.push(line.to_owned());
        }
    }
    fn now_ms(&mut self) -> f64 {
        1_700_000_000_000.0
    }
    fn monotonic_ms(&mut self) -> f64 {
        0.0
    }
    fn random(&mut self) -> f64 {
        0.5
    }
}

fn run_zigts(name: &str, source: &str) -> Outcome {
    let compiled = match zigts_compiler::compile(name, source) {
        Ok(c) => c,
        Err(e) => return Outcome::Rejected(e.render()),
    };
    let verified = match zigts_verifier::verify(
        &compiled.bytes,
        &zigts_verifier::Limits::default(),
        zigts_vm::modules::TABLE,
    ) {
        Ok(v) => v,
        Err(e) => return Outcome::Rejected(format!("verifier: {e}")),
    };
    let mut host = Capture::default();
    let limits = zigts_vm::ExecLimits {
        deadline: Some(Instant::now() + Duration::from_secs(10)),
        ..zigts_vm::ExecLimits::default()
    };
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        zigts_vm::Instance::load(Arc::new(verified), &mut host, limits)
            .map(drop)
            .map_err(|e| e.to_string())
    }));
    match result {
        Ok(Ok(())) => Outcome::Ran(host.lines),
        Ok(Err(msg)) => Outcome::Threw(host.lines, msg),
        Err(payload) => {
            let msg = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "(no message)".into());
            Outcome::Panicked(host.lines, msg)
        }
    }
}

/// Evaluated before every program on QuickJS; see the module docs.
const PRELUDE: &str = r#"
globalThis.__out = [];
(() => {
  const wellFormed = (s) => {
    let out = "";
    for (let i = 0; i < s.length; i += 1) {
      const c = s.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff) {
        const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
        if (d >= 0xdc00 && d <= 0xdfff) {
          out += s[i] + s[i + 1];
          i += 1;
        } else {
          out += "\ufffd";
        }
      } else if (c >= 0xdc00 && c <= 0xdfff) {
        out += "\ufffd";
      } else {
        out += s[i];
      }
    }
    return out;
  };
  const show = (a) =>
    typeof a === "string"
      ? a
      : typeof a === "object" && a !== null
        ? String(JSON.stringify(a))
        : String(a);
  const line = (args) => wellFormed(args.map(show).join(" "));
  const out = (...args) => { globalThis.__out.push(line(args)); };
  const err = (...args) => { globalThis.__out.push("[stderr] " + line(args)); };
  globalThis.console = { log: out, info: out, debug: out, warn: err, error: err };
  const factory = (C) => new Proxy(C, { apply: (target, _self, args) => new target(...args) });
  globalThis.Map = factory(Map);
  globalThis.Set = factory(Set);
})();
function* range(a, b, c) {
  const num = (x) => {
    const n = Number(x);
    return Number.isNaN(n) ? 0 : Math.trunc(n);
  };
  let start = 0;
  let end = num(a);
  let step = 1;
  if (arguments.length >= 2) {
    start = num(a);
    end = num(b);
  }
  if (arguments.length >= 3) {
    step = num(c) || 1;
  }
  for (let i = start; step > 0 ? i < end : i > end; i += step) {
    yield i;
  }
}
"#;

fn run_quickjs(name: &str, source: &str) -> Outcome {
    let runtime = Runtime::new().expect("QuickJS runtime");
    runtime.set_memory_limit(512 << 20);
    let start = Instant::now();
    runtime.set_interrupt_handler(Some(Box::new(move || {
        start.elapsed() > Duration::from_secs(10)
    })));
    let context = Context::full(&runtime).expect("QuickJS context");
    context.with(|ctx| {
        ctx.eval::<(), _>(PRELUDE)
            .expect("the QuickJS prelude evaluates");
        let mut options = EvalOptions::default();
        options.strict = true;
        options.filename = Some(name.to_owned());
        let result = ctx
            .eval_with_options::<(), _>(source, options)
            .catch(&ctx)
            .map_err(|e| e.to_string());
        let lines: Vec<String> = ctx
            .globals()
            .get("__out")
            .expect("console lines are strings");
        match result {
            Ok(()) => Outcome::Ran(lines),
            Err(msg) => Outcome::Threw(lines, msg),
        }
    })
}

// ---------------------------------------------------------------------------
// The program generator
// ---------------------------------------------------------------------------

/// xorshift64*: small, seeded, deterministic.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        // splitmix64 of the seed, so nearby seeds give unrelated streams.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 33) % n as u64) as usize
    }

    /// True with probability `pct` percent.
    fn chance(&mut self, pct: usize) -> bool {
        self.below(100) < pct
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn pick_str(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }

    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
}

/// The static type of a generated expression. `Int` is a finite integer
/// (never NaN or infinite, so it is safe in sort comparators and as an index);
/// `Num` is any number. Objects have a schema (field name to type).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Ty {
    Int,
    Num,
    Str,
    Bool,
    IntArr,
    StrArr,
    /// Array of any numbers (NaN, -0 and infinities included; never sorted
    /// with a comparator, which NaN would make inconsistent).
    NumArr,
    Obj(usize),
    /// Array of records whose schema has identifier keys of type Int or Str.
    ObjArr(usize),
    /// `(x) => int`.
    IntFn,
    /// `Map` from string to Int.
    StrMap,
    /// `Set` of Int.
    IntSet,
}

#[derive(Clone, Debug)]
struct Var {
    name: String,
    ty: Ty,
    /// Declared with `let` in the current function (may be reassigned).
    mutable: bool,
}

#[derive(Clone, Debug)]
struct Helper {
    name: String,
    params: Vec<Ty>,
    /// How many trailing parameters have defaults.
    optional: usize,
    /// Takes `...rest` of Int after `params`.
    rest: bool,
    ret: Ty,
}

/// Object keys: identifiers, integer-like keys (which JS orders first,
/// ascending), keys that look numeric but are not array indices, and others.
const KEYS: &[&str] = &[
    "a",
    "b",
    "c",
    "id",
    "name",
    "x1",
    "_z",
    "$d",
    "2",
    "10",
    "0",
    "1",
    "01",
    "-1",
    "1.5",
    "4294967294",
    "4294967295",
    "a b",
    "é",
    "1e3",
];
/// Keys of `ObjArr` records (identifier keys only).
const REC_KEYS: &[&str] = &["id", "k", "name", "tag", "w"];

const INT_LITS: &[&str] = &[
    "0",
    "1",
    "2",
    "3",
    "4",
    "5",
    "7",
    "8",
    "10",
    "13",
    "16",
    "31",
    "32",
    "42",
    "100",
    "255",
    "256",
    "1000",
    "65535",
    "65536",
    "2147483647",
    "2147483648",
    "4294967295",
    "9007199254740991",
    "9007199254740993",
    "(-1)",
    "(-2)",
    "(-7)",
    "(-100)",
    "(-2147483648)",
    "(-0)",
    "0x1f",
    "0b101",
    "0o17",
    "1_000",
];
const NUM_LITS: &[&str] = &[
    "0.1",
    "0.2",
    "0.3",
    "0.5",
    "1.5",
    "2.5",
    "(-2.5)",
    "(-0.5)",
    "0.125",
    "1e21",
    "1e20",
    "123456789012345680000",
    "1e-7",
    "5e-7",
    "0.000001",
    "123.456",
    "1.005",
    "4.35",
    "8.345",
    "1.45",
    "(-1.5)",
    "3.14159",
    "1e300",
    "1e-300",
    "NaN",
    "Infinity",
    "(-Infinity)",
    "Number.MAX_VALUE",
    "Number.MIN_VALUE",
    "Number.EPSILON",
    "Number.MAX_SAFE_INTEGER",
    "Number.NaN",
    "Math.PI",
    "Math.E",
    "Math.SQRT2",
    "Math.LN2",
    "0.1e1",
    ".5",
    "5.",
    "2e-323",
    "4.9e-324",
    "1.7976931348623157e308",
    "(2 ** 53)",
    "(2 ** -1074)",
    "0.7",
    "(-1e21)",
    "999999999999999900000",
    "(1 / 3)",
];
/// String literals: ASCII, BMP non-ASCII (no astral characters, so slicing
/// never cuts a surrogate pair), escapes, whitespace that JS trims.
const STR_LITS: &[&str] = &[
    r#""""#,
    r#""a""#,
    r#""abc""#,
    r#""Hello, World""#,
    r#""a,b,,c""#,
    r#""  padded  ""#,
    r#""x-y-z""#,
    r#""héllo""#,
    r#""straße""#,
    r#""ΣΑΣ ΟΔΟΣ Z""#,
    r#""İSTANBUL""#,
    r#""中文字符""#,
    r#""ﬁne""#,
    r#""tab\there""#,
    r#""line\nbreak""#,
    r#""quote\"s""#,
    r#""back\\slash""#,
    r#""\u00e9\u0301""#,
    r#""\u00a0nbsp\u00a0""#,
    r#""\ufeffbom""#,
    r#""\u2028sep""#,
    r#""ctl\u0001\u001f""#,
    r#""42px""#,
    r#""  -7 ""#,
    r#""0x1F""#,
    r#""1e3""#,
    r#""3.14abc""#,
    r#""-0""#,
    r#"".5""#,
    r#""Infinity""#,
    r#""-Infinity""#,
    r#""0b101""#,
    r#""0o17""#,
    r#""1_000""#,
    r#""12e-2""#,
    r#""  ""#,
    r#""08""#,
    r#""abc123""#,
    r#""$&$$""#,
    r#""aaa""#,
    r#""</script>""#,
    r"'single'",
    r#""z""#,
    r#""Z""#,
    r#""a\u0000b""#,
    r#""\u007f\u0080\u00ff""#,
    r#""\ud7ff\ue000\uffff""#,
];
const FILLS: &[&str] = &[r#""""#, r#""*""#, r#""ab""#, r#""0""#, r#"" ""#, r#""é-""#];
const SEPS: &[&str] = &[r#""""#, r#"",""#, r#"" ""#, r#""a""#, r#""--""#, r#""é""#];
const JOIN_SEPS: &[&str] = &[r#""""#, r#"",""#, r#"" | ""#, r#""-""#, r#""\n""#];
const MATH1: &[&str] = &[
    "sqrt", "cbrt", "floor", "ceil", "round", "trunc", "sign", "abs", "exp", "expm1", "log",
    "log2", "log10", "log1p", "sin", "cos", "tan", "atan", "asin", "acos", "sinh", "cosh", "tanh",
    "asinh", "acosh", "atanh", "fround",
];
/// Math functions whose last bit legitimately differs between engines (the
/// spec says "implementation-approximated" and the two libraries round
/// differently); the generator passes their results through `approx`, which
/// keeps 9 significant digits. Plain calls are in math-precision.js.
const APPROX_MATH: &[&str] = &["acosh", "asinh", "atanh"];
/// Rounds to 9 significant digits through a decimal string, whose parsing is
/// exact in every engine.
const APPROX_FN: &str = "function approx(v) {
  if (!Number.isFinite(v) || v === 0) {
    return v;
  }
  const e = Math.floor(Math.log10(Math.abs(v))) - 8;
  return Number(`${Math.round(v / 10 ** e)}e${e}`);
}
";
/// Statements JS throws on (TypeError, RangeError, stack overflow).
const THROWS: &[&str] = &[
    "const u = [][0];\n  console.log(u.x);",
    "const u = {}.missing;\n  console.log(u());",
    "console.log([].reduce((a, b) => a + b));",
    "console.log((1.5).toFixed(101));",
    "console.log((255).toString(1));",
    "console.log(\"ab\".repeat(-1));",
    "const o = { a: 1 };\n  o.self = o;\n  console.log(JSON.stringify(o));",
    "const g = [1][0];\n  console.log(g());",
    "const m = Map();\n  console.log(m.get(\"x\").y);",
    "console.log([1, 2].map(5));",
    "console.log(Object.keys(undefined));",
    "const n = [][1];\n  console.log([...n]);",
    "const deep = (n) => deep(n + 1) + 1;\n  console.log(deep(0));",
    "const s = \"x\";\n  console.log(s.at(0).foo.bar);",
    "console.log(\"abc\".missing(1));",
];
const EMOJI_INTS: &[&str] = &[
    r#""a😀b".length"#,
    r#"[..."a😀b"].length"#,
    r#""😀".codePointAt(0)"#,
    r#""😀".charCodeAt(1)"#,
    r#""x👍🏽y".indexOf("y")"#,
    r#""👨‍👩‍👧".length"#,
    r#""😀😀".lastIndexOf("😀")"#,
    r#"("€😀".codePointAt(1) ?? 0)"#,
    r#"JSON.stringify("😀").length"#,
    r#"encodeLen("🎉é")"#,
];

struct Gen {
    rng: Rng,
    out: String,
    indent: usize,
    vars: Vec<Var>,
    schemas: Vec<Vec<(String, Ty)>>,
    helpers: Vec<Helper>,
    next: usize,
    /// Nesting of `if`/loop blocks inside `main` (0 = its top level).
    block: usize,
    loops: usize,
    lines: usize,
    uses_encode_len: bool,
    uses_approx: bool,
    /// Collections a loop around the current statement iterates: they are not
    /// mutated (JS iteration is live, which may never end).
    iterating: Vec<String>,
}

fn is_ident(k: &str) -> bool {
    let mut chars = k.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

fn js_string(k: &str) -> String {
    let mut s = String::from("\"");
    for c in k.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            _ => s.push(c),
        }
    }
    s.push('"');
    s
}

/// Whether `text` mentions the identifier `name` (not as part of another).
fn mentions(text: &str, name: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    text.match_indices(name).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + name.len()..].chars().next();
        !before.is_some_and(ident) && !after.is_some_and(ident)
    })
}

fn key_src(k: &str) -> String {
    if is_ident(k) {
        k.to_owned()
    } else {
        js_string(k)
    }
}

fn member(obj: &str, k: &str) -> String {
    if is_ident(k) {
        format!("{obj}.{k}")
    } else {
        format!("{obj}[{}]", js_string(k))
    }
}

impl Gen {
    fn new(seed: u64) -> Gen {
        Gen {
            rng: Rng::new(seed),
            out: String::new(),
            indent: 0,
            vars: Vec::new(),
            schemas: Vec::new(),
            helpers: Vec::new(),
            next: 0,
            block: 0,
            loops: 0,
            lines: 0,
            uses_encode_len: false,
            uses_approx: false,
            iterating: Vec::new(),
        }
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.next += 1;
        format!("{prefix}{}", self.next)
    }

    fn line(&mut self, text: &str) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
        self.lines += 1;
    }

    fn var_of(&mut self, ty: Ty) -> Option<String> {
        let n = self.vars.iter().filter(|v| v.ty == ty).count();
        if n == 0 {
            return None;
        }
        let k = self.rng.below(n);
        self.vars
            .iter()
            .filter(|v| v.ty == ty)
            .nth(k)
            .map(|v| v.name.clone())
    }

    /// A variable of type `ty` that no enclosing loop iterates.
    fn mutable_var_of(&mut self, ty: Ty) -> Option<String> {
        let cands: Vec<String> = self
            .vars
            .iter()
            .filter(|v| v.ty == ty && !self.iterating.contains(&v.name))
            .map(|v| v.name.clone())
            .collect();
        if cands.is_empty() {
            None
        } else {
            Some(cands[self.rng.below(cands.len())].clone())
        }
    }

    fn vars_matching(&self, f: impl Fn(Ty) -> bool) -> Vec<Var> {
        self.vars.iter().filter(|v| f(v.ty)).cloned().collect()
    }

    fn small(&mut self, max_mask: u32) -> String {
        if self.rng.chance(60) {
            format!("{}", self.rng.below(max_mask as usize + 1))
        } else {
            let e = self.int(1);
            format!("({e} & {max_mask})")
        }
    }

    /// A random decimal literal: up to 20 significant digits (beyond that,
    /// engines may round differently) and an exponent across the whole
    /// range, subnormals and overflow included. Tests literal parsing and
    /// shortest round-trip printing.
    fn float_text(&mut self) -> String {
        let digits = self.rng.range(1, 20);
        let mut m: String = (0..digits)
            .map(|_| char::from(b'0' + self.rng.below(10) as u8))
            .collect();
        if self.rng.chance(60) {
            let at = self.rng.below(digits + 1);
            m.insert(at, '.');
            if m.starts_with('.') {
                m.insert(0, '0');
            }
        }
        let exp = match self.rng.below(4) {
            0 => String::new(),
            1 => format!("e{}", self.rng.range(0, 40) as i32 - 20),
            _ => format!("e{}", self.rng.range(0, 660) as i32 - 340),
        };
        // (No leading zero followed by a digit: that is a legacy octal
        // literal, a syntax error in strict mode.)
        let m = m.trim_start_matches('0');
        let m = if m.is_empty() || m.starts_with('.') {
            format!("0{m}")
        } else {
            m.to_owned()
        };
        let m = if m.ends_with('.') { format!("{m}0") } else { m };
        format!("{m}{exp}")
    }

    /// An argument for a method that converts it with ToIntegerOrInfinity
    /// (slice, at, indexOf's start...): mostly an Int, sometimes a fraction,
    /// NaN, an infinity or another type.
    fn index_arg(&mut self, d: usize) -> String {
        if self.rng.chance(75) {
            self.int(d)
        } else {
            (*self.rng.pick(&[
                "1.7",
                "(-0.5)",
                "2.9",
                "NaN",
                "Infinity",
                "(-Infinity)",
                "(-1.5)",
                "1e21",
                "(-0)",
                "\"1\"",
                "\"x\"",
                "undefined",
                "true",
                "4294967296",
            ]))
            .to_owned()
        }
    }

    fn int_lit(&mut self) -> String {
        if self.rng.chance(60) {
            format!("{}", self.rng.below(12))
        } else {
            (*self.rng.pick(INT_LITS)).to_owned()
        }
    }

    fn nonzero_lit(&mut self) -> &'static str {
        self.rng
            .pick_str(&["2", "3", "5", "7", "10", "16", "(-3)", "1000"])
    }

    // ----- expressions by type ------------------------------------------------

    fn expr(&mut self, ty: Ty, d: usize) -> String {
        match ty {
            Ty::Int => self.int(d),
            Ty::Num => self.num(d),
            Ty::Str => self.str(d),
            Ty::Bool => self.bool(d),
            Ty::IntArr => self.int_arr(d),
            Ty::StrArr => self.str_arr(d),
            Ty::NumArr => self.num_arr(d),
            Ty::Obj(s) => self.obj_of(s, d),
            Ty::ObjArr(s) => self.var_of(ty).unwrap_or_else(|| self.obj_arr_lit(s)),
            Ty::IntFn => self.var_of(ty).unwrap_or_else(|| self.int_fn(d)),
            Ty::StrMap => self
                .var_of(ty)
                .unwrap_or_else(|| r#"Map([["a", 1], ["b", 2]])"#.to_owned()),
            Ty::IntSet => self
                .var_of(ty)
                .unwrap_or_else(|| "Set([1, 2, 2, 3])".to_owned()),
        }
    }

    fn int(&mut self, d: usize) -> String {
        if d == 0 || self.rng.chance(25) {
            if self.rng.chance(55)
                && let Some(v) = self.var_of(Ty::Int)
            {
                return v;
            }
            return self.int_lit();
        }
        let d1 = d - 1;
        match self.rng.below(30) {
            0 | 1 => {
                let op = *self.rng.pick(&["+", "-"]);
                format!("({} {op} {})", self.int(d1), self.int(d1))
            }
            2 => {
                let k = self.rng.pick(&["2", "3", "7", "13", "(-3)", "0", "1000"]);
                format!("({} * {k})", self.int(d1))
            }
            3 => format!("({} % {})", self.int(d1), self.nonzero_lit()),
            4 | 5 => {
                let op = *self.rng.pick(&["&", "|", "^", "<<", ">>", ">>>"]);
                format!("({} {op} {})", self.int(d1), self.int(d1))
            }
            6 => format!("({}{})", self.rng.pick(&["~", "-"]), self.int(d1)),
            7 => {
                let f = *self.rng.pick(&["abs", "sign", "clz32"]);
                format!("Math.{f}({})", self.int(d1))
            }
            8 => {
                let f = *self.rng.pick(&["min", "max", "imul"]);
                format!("Math.{f}({}, {})", self.int(d1), self.int(d1))
            }
            9 => {
                let f = *self.rng.pick(&["trunc", "floor", "ceil", "round"]);
                format!("Math.{f}({} / {})", self.int(d1), self.nonzero_lit())
            }
            10 => format!("{}.length", self.str(d1)),
            11 => {
                let m = *self.rng.pick(&["indexOf", "lastIndexOf"]);
                format!("{}.{m}({})", self.str(d1), self.str(d1.min(1)))
            }
            12 => format!("({}.charCodeAt({}) || 0)", self.str(d1), self.index_arg(d1)),
            13 => format!(
                "({}.codePointAt({}) ?? -1)",
                self.str(d1),
                self.index_arg(d1)
            ),
            14 => format!("{}.length", self.int_arr(d1)),
            15 => {
                let a = self.int_arr(d1);
                match self.rng.below(7) {
                    0 => format!("{a}.reduce((acc, x) => acc + x, 0)"),
                    1 => format!("{a}.reduce((acc, x) => (acc * 31 + x) % 1000003, 7)"),
                    2 => format!("({a}.at({}) ?? 0)", self.index_arg(d1)),
                    3 => format!("({a}[{}] ?? -1)", self.small(7)),
                    4 if self.rng.chance(50) => format!("{a}.indexOf({})", self.int(d1)),
                    4 => format!("{a}.indexOf({}, {})", self.int(d1), self.index_arg(0)),
                    5 => {
                        let m = *self.rng.pick(&["findIndex", "findLastIndex"]);
                        format!("{a}.{m}((x) => x > {})", self.int(0))
                    }
                    _ => {
                        let m = *self.rng.pick(&["find", "findLast"]);
                        format!("({a}.{m}((x) => x % 2 === 0) ?? 0)")
                    }
                }
            }
            16 => format!("({} ? {} : {})", self.bool(d1), self.int(d1), self.int(d1)),
            17 => {
                if let Some(e) = self.int_field() {
                    e
                } else {
                    self.int_lit()
                }
            }
            18 => self
                .call_helper(Ty::Int, d1)
                .unwrap_or_else(|| self.int_lit()),
            19 => {
                if let Some(f) = self.var_of(Ty::IntFn) {
                    format!("{f}({})", self.int(d1))
                } else {
                    self.int_lit()
                }
            }
            20 => {
                if let Some(m) = self.var_of(Ty::StrMap) {
                    if self.rng.chance(50) {
                        format!("{m}.size")
                    } else {
                        format!("({m}.get({}) ?? 0)", self.str(d1.min(1)))
                    }
                } else if let Some(s) = self.var_of(Ty::IntSet) {
                    format!("{s}.size")
                } else {
                    self.int_lit()
                }
            }
            21 => {
                let e = *self.rng.pick(EMOJI_INTS);
                if e.starts_with("encodeLen") {
                    self.uses_encode_len = true;
                }
                e.to_owned()
            }
            22 => format!("({} ? 1 : 0)", self.bool(d1)),
            23 => {
                let op = *self.rng.pick(&["||", "&&"]);
                format!("({} {op} {})", self.int(d1), self.int(d1))
            }
            24 => format!("parseInt(String({}))", self.int(d1)),
            25 => format!("Object.keys({}).length", self.any_obj(d1)),
            26 => format!("{}.length", self.str_arr(d1)),
            27 => format!("[...range({})].length", self.small(7)),
            28 => format!("Number({})", self.bool(d1)),
            _ => {
                let a = self.str_arr(d1);
                format!("{a}.indexOf({})", self.str(0))
            }
        }
    }

    /// An Int field of an object variable, if there is one.
    fn int_field(&mut self) -> Option<String> {
        let objs = self.vars_matching(|t| matches!(t, Ty::Obj(_)));
        let mut cands = Vec::new();
        for v in &objs {
            let Ty::Obj(s) = v.ty else { continue };
            for (k, t) in &self.schemas[s] {
                if *t == Ty::Int {
                    cands.push(member(&v.name, k));
                }
            }
        }
        if cands.is_empty() {
            None
        } else {
            Some(cands.swap_remove(self.rng.below(cands.len())))
        }
    }

    fn num(&mut self, d: usize) -> String {
        if d == 0 || self.rng.chance(25) {
            if self.rng.chance(40)
                && let Some(v) = self.var_of(Ty::Num)
            {
                return v;
            }
            if self.rng.chance(30) {
                return self.int(0);
            }
            if self.rng.chance(25) {
                return self.float_text();
            }
            return (*self.rng.pick(NUM_LITS)).to_owned();
        }
        let d1 = d - 1;
        match self.rng.below(16) {
            0..=3 => {
                let op = *self.rng.pick(&["+", "-", "*", "/", "%", "**"]);
                format!("({} {op} {})", self.num(d1), self.num(d1))
            }
            4 => self.int(d),
            5 | 6 => {
                let f = *self.rng.pick(MATH1);
                if APPROX_MATH.contains(&f) {
                    self.uses_approx = true;
                    // Clamped: near the largest doubles asinh/acosh overflow
                    // in the VM, a known bug (math-hyperbolic-overflow.js).
                    format!(
                        "approx(Math.{f}(Math.max(-1e300, Math.min(1e300, {}))))",
                        self.num(d1)
                    )
                } else {
                    format!("Math.{f}({})", self.num(d1))
                }
            }
            7 => {
                // (Math.hypot is left out: a known VM bug, math-precision.js.)
                let f = *self.rng.pick(&["atan2", "pow", "max", "min"]);
                format!("Math.{f}({}, {})", self.num(d1), self.num(d1))
            }
            8 => match self.rng.below(4) {
                0 => "Math.max()".to_owned(),
                1 => "Math.min()".to_owned(),
                2 => format!("Math.max(...{})", self.int_arr(d1)),
                _ => format!(
                    "Math.max({}, {}, {})",
                    self.num(0),
                    self.num(0),
                    self.num(0)
                ),
            },
            9 if self.rng.chance(40) => {
                let f = *self.rng.pick(&["parseFloat", "Number"]);
                format!("{f}(\"{}\")", self.float_text())
            }
            9 => format!("parseFloat({})", self.str(d1.min(1))),
            10 => {
                if self.rng.chance(50) {
                    format!("parseInt({})", self.str(d1.min(1)))
                } else {
                    // Not 36 or another radix that is no power of 2: the result may be
                    // implementation-approximated (parse-int-radix.js).
                    let r = *self.rng.pick(&["2", "8", "10", "16", "32", "0", "37", "1"]);
                    format!("parseInt({}, {r})", self.str(d1.min(1)))
                }
            }
            11 => {
                if self.rng.chance(70) {
                    format!("Number({})", self.str(d1.min(1)))
                } else {
                    format!("(+{})", self.str(d1.min(1)))
                }
            }
            12 => format!("Number(({}).toFixed({}))", self.num(d1), self.rng.below(8)),
            13 => format!("({} ? {} : {})", self.bool(d1), self.num(d1), self.num(d1)),
            14 => format!("(-{})", self.num(d1)),
            15 if self.rng.chance(60) => {
                let a = self.num_arr(d1);
                match self.rng.below(5) {
                    0 => format!("({a}.at({}) ?? 0)", self.index_arg(0)),
                    1 => format!("{a}.reduce((acc, x) => acc + x, 0)"),
                    2 => format!("{a}.indexOf({})", self.num(0)),
                    3 => format!("Math.min(...{a})"),
                    _ => format!("{a}.length"),
                }
            }
            _ => {
                let a = self.int_arr(d1);
                let k = self.nonzero_lit();
                format!("{a}.reduce((acc, x) => acc + x / {k}, 0.5)")
            }
        }
    }

    /// Something printable in a template literal.
    fn templ_part(&mut self, d: usize) -> String {
        let ty = *self.rng.pick(&[
            Ty::Int,
            Ty::Int,
            Ty::Num,
            Ty::Str,
            Ty::Str,
            Ty::Bool,
            Ty::IntArr,
            Ty::StrArr,
            Ty::NumArr,
        ]);
        self.expr(ty, d)
    }

    fn str(&mut self, d: usize) -> String {
        if d == 0 || self.rng.chance(25) {
            if self.rng.chance(50)
                && let Some(v) = self.var_of(Ty::Str)
            {
                return v;
            }
            return (*self.rng.pick(STR_LITS)).to_owned();
        }
        let d1 = d - 1;
        match self.rng.below(30) {
            0..=2 => {
                let n = self.rng.range(1, 3);
                let mut s = String::from("`");
                for i in 0..n {
                    let lit = *self.rng.pick(&["", "x", "-", " = ", "é", "[", "]", "\\n"]);
                    s.push_str(lit);
                    let _ = write!(s, "${{{}}}", self.templ_part(d1));
                    if i == n - 1 && self.rng.chance(50) {
                        s.push('.');
                    }
                }
                s.push('`');
                s
            }
            3 => format!("({} + {})", self.str(d1), self.str(d1)),
            4 => format!("{}.slice({})", self.str(d1), self.index_arg(d1)),
            5 => {
                let m = *self.rng.pick(&["slice", "substring"]);
                format!(
                    "{}.{m}({}, {})",
                    self.str(d1),
                    self.index_arg(d1),
                    self.index_arg(d1)
                )
            }
            6 => {
                let m = *self.rng.pick(&["padStart", "padEnd"]);
                let w = self.small(15);
                if self.rng.chance(30) {
                    format!("{}.{m}({w})", self.str(d1))
                } else {
                    let f = *self.rng.pick(FILLS);
                    format!("{}.{m}({w}, {f})", self.str(d1))
                }
            }
            7 => format!("{}.repeat({})", self.str(0), self.small(3)),
            8 => {
                let m =
                    *self
                        .rng
                        .pick(&["toUpperCase", "toLowerCase", "trim", "trimStart", "trimEnd"]);
                if m == "toLowerCase" {
                    // With an ASCII capital: without one, non-ASCII capitals
                    // stay as they are, a known VM bug (string-lowercase.js).
                    format!("({} + \"Z\").toLowerCase()", self.str(d1))
                } else {
                    format!("{}.{m}()", self.str(d1))
                }
            }
            9 => {
                let sep = *self.rng.pick(SEPS);
                let j = *self.rng.pick(JOIN_SEPS);
                match self.rng.below(3) {
                    0 => format!("{}.split({sep}).join({j})", self.str(d1)),
                    1 => format!("{}.split({sep}).reverse().join({j})", self.str(d1)),
                    _ => format!("{}.split({sep}, {}).join({j})", self.str(d1), self.small(3)),
                }
            }
            10 => {
                let m = *self.rng.pick(&["replaceAll", "replace"]);
                let pat = *self.rng.pick(SEPS);
                format!("{}.{m}({pat}, {})", self.str(d1), self.str(0))
            }
            11 => format!("({}.at({}) ?? \"~\")", self.str(d1), self.index_arg(d1)),
            12 => format!("{}.charAt({})", self.str(d1), self.index_arg(d1)),
            13 => format!("({}[{}] ?? \"\")", self.str(d1), self.small(7)),
            14 => format!("String({})", self.num(d1)),
            15 => format!("({}).toFixed({})", self.num(d1), self.rng.below(21)),
            16 => {
                let r = *self.rng.pick(&["2", "8", "16", "36", "3", "7"]);
                format!("({} | 0).toString({r})", self.int(d1))
            }
            17 => {
                let ty = *self.rng.pick(&[
                    Ty::Int,
                    Ty::Num,
                    Ty::Str,
                    Ty::Bool,
                    Ty::IntArr,
                    Ty::StrArr,
                    Ty::NumArr,
                    Ty::Obj(0),
                ]);
                let v = if matches!(ty, Ty::Obj(_)) {
                    self.any_obj(d1)
                } else {
                    self.expr(ty, d1)
                };
                match self.rng.below(4) {
                    0 => {
                        let ind = *self.rng.pick(&["2", "0", "4", "\"\\t\"", "\"--\"", "12"]);
                        format!("JSON.stringify({v}, undefined, {ind})")
                    }
                    _ => format!("JSON.stringify({v})"),
                }
            }
            18 => {
                let j = *self.rng.pick(JOIN_SEPS);
                match self.rng.below(7) {
                    0..=2 => format!("{}.join({j})", self.int_arr(d1)),
                    3 => format!("{}.join({j})", self.num_arr(d1)),
                    4 | 5 => format!("{}.join({j})", self.str_arr(d1)),
                    _ => format!("{}.join()", self.int_arr(d1)),
                }
            }
            19 => {
                let ty = *self
                    .rng
                    .pick(&[Ty::Int, Ty::Num, Ty::Str, Ty::Bool, Ty::IntArr]);
                format!("(typeof {})", self.expr(ty, d1))
            }
            20 => format!("({} ? {} : {})", self.bool(d1), self.str(d1), self.str(d1)),
            21 => {
                let op = *self.rng.pick(&["||", "&&", "??"]);
                format!("({} {op} {})", self.str(d1), self.str(d1))
            }
            22 => format!("String.fromCharCode(65 + ({} & 31))", self.int(d1)),
            23 => {
                let o = self.any_obj(d1);
                if self.rng.chance(50) {
                    format!("Object.keys({o}).join(\",\")")
                } else {
                    format!("Object.entries({o}).map(([k, v]) => `${{k}}=${{v}}`).join(\"&\")")
                }
            }
            24 => self.call_helper(Ty::Str, d1).unwrap_or_else(|| self.str(0)),
            25 => format!("[...{}].reverse().join(\"\")", self.str(d1)),
            26 => format!("{}.concat({}, {})", self.str(d1), self.str(0), self.int(0)),
            27 => format!("({}).toString()", self.num(d1)),
            28 => {
                if let Some(m) = self.var_of(Ty::StrMap) {
                    match self.rng.below(3) {
                        0 => format!("[...{m}.keys()].join(\",\")"),
                        1 => format!("JSON.stringify([...{m}.entries()])"),
                        _ => format!("JSON.stringify([...{m}])"),
                    }
                } else if let Some(s) = self.var_of(Ty::IntSet) {
                    format!("[...{s}].join(\"/\")")
                } else {
                    self.str(0)
                }
            }
            _ => format!("{}.toString()", self.int_arr(d1)),
        }
    }

    fn bool(&mut self, d: usize) -> String {
        if d == 0 || self.rng.chance(15) {
            if self.rng.chance(50)
                && let Some(v) = self.var_of(Ty::Bool)
            {
                return v;
            }
            return (*self.rng.pick(&["true", "false"])).to_owned();
        }
        let d1 = d - 1;
        match self.rng.below(18) {
            0..=2 => {
                let op = *self.rng.pick(&["<", "<=", ">", ">=", "===", "!=="]);
                format!("({} {op} {})", self.num(d1), self.num(d1))
            }
            3 => {
                let op = *self.rng.pick(&["<", ">=", "===", "!=="]);
                format!("({} {op} {})", self.str(d1), self.str(d1))
            }
            4 => {
                let m = *self.rng.pick(&["includes", "startsWith", "endsWith"]);
                if self.rng.chance(70) {
                    format!("{}.{m}({})", self.str(d1), self.str(d1.min(1)))
                } else {
                    let at = self.index_arg(0);
                    format!("{}.{m}({}, {at})", self.str(d1), self.str(d1.min(1)))
                }
            }
            5 if self.rng.chance(70) => {
                format!("{}.includes({})", self.int_arr(d1), self.int(d1))
            }
            5 => format!(
                "{}.includes({}, {})",
                self.int_arr(d1),
                self.int(d1),
                self.index_arg(0)
            ),
            6 => {
                let m = *self.rng.pick(&["some", "every"]);
                format!("{}.{m}((x) => x > {})", self.int_arr(d1), self.int(0))
            }
            7 => format!("(!{})", self.bool(d1)),
            8 | 9 => {
                let op = *self.rng.pick(&["&&", "||"]);
                format!("({} {op} {})", self.bool(d1), self.bool(d1))
            }
            10 => {
                let f = *self
                    .rng
                    .pick(&["isInteger", "isNaN", "isFinite", "isSafeInteger"]);
                format!("Number.{f}({})", self.num(d1))
            }
            11 => {
                let ty = *self.rng.pick(&[Ty::IntArr, Ty::Str, Ty::Int, Ty::StrArr]);
                format!("Array.isArray({})", self.expr(ty, d1))
            }
            12 => {
                let o = self.any_obj(d1);
                let k = js_string(self.rng.pick_str(KEYS));
                if self.rng.chance(50) {
                    format!("({k} in {o})")
                } else {
                    format!("Object.hasOwn({o}, {k})")
                }
            }
            13 => {
                let ty = *self.rng.pick(&[Ty::Int, Ty::Num, Ty::Str]);
                if self.rng.chance(50) {
                    format!("Boolean({})", self.expr(ty, d1))
                } else {
                    format!("(!!{})", self.expr(ty, d1))
                }
            }
            14 => {
                if let Some(m) = self.var_of(Ty::StrMap) {
                    format!("{m}.has({})", self.str(0))
                } else if let Some(s) = self.var_of(Ty::IntSet) {
                    format!("{s}.has({})", self.int(0))
                } else {
                    "true".to_owned()
                }
            }
            15 => {
                let ty = *self.rng.pick(&[Ty::Int, Ty::Num, Ty::Str, Ty::IntArr]);
                let t = *self.rng.pick(&["\"number\"", "\"string\"", "\"object\""]);
                format!("(typeof {} === {t})", self.expr(ty, d1))
            }
            16 => self
                .call_helper(Ty::Bool, d1)
                .unwrap_or_else(|| "false".to_owned()),
            17 if self.rng.chance(50) => {
                let a = self.num_arr(d1);
                match self.rng.below(3) {
                    0 => format!("{a}.includes({})", self.num(0)),
                    1 => format!("{a}.some(Number.isNaN)"),
                    _ => format!("{a}.every((x) => x < {})", self.num(0)),
                }
            }
            _ => format!("{}.includes({})", self.str_arr(d1), self.str(0)),
        }
    }

    fn int_arr_lit(&mut self, d: usize) -> String {
        let n = self.rng.below(6);
        let items: Vec<String> = (0..n)
            .map(|_| {
                if self.rng.chance(70) {
                    self.int_lit()
                } else {
                    self.int(d.min(1))
                }
            })
            .collect();
        format!("[{}]", items.join(", "))
    }

    fn int_arr(&mut self, d: usize) -> String {
        if d == 0 || self.rng.chance(25) {
            if self.rng.chance(60)
                && let Some(v) = self.var_of(Ty::IntArr)
            {
                return v;
            }
            return self.int_arr_lit(0);
        }
        let d1 = d - 1;
        match self.rng.below(22) {
            0 => self.int_arr_lit(d1),
            1 | 2 => {
                let a = self.int_arr(d1);
                let x = self.fresh("x");
                self.push_var(&x, Ty::Int, false);
                let body = self.int(d1.min(2));
                self.vars.pop();
                if self.rng.chance(30) {
                    let i = self.fresh("i");
                    format!("{a}.map(({x}, {i}) => {body} + {i})")
                } else {
                    format!("{a}.map(({x}) => {body})")
                }
            }
            3 => {
                let a = self.int_arr(d1);
                let x = self.fresh("x");
                self.push_var(&x, Ty::Int, false);
                let body = self.bool(d1.min(2));
                self.vars.pop();
                format!("{a}.filter(({x}) => {body})")
            }
            4 => format!("{}.slice({})", self.int_arr(d1), self.index_arg(0)),
            5 => format!(
                "{}.slice({}, {})",
                self.int_arr(d1),
                self.index_arg(0),
                self.index_arg(0)
            ),
            6 => format!("{}.concat({})", self.int_arr(d1), self.int_arr(d1)),
            7 => format!("[...{}, {}]", self.int_arr(d1), self.int(d1)),
            8 => {
                let cmp = *self.rng.pick(&[
                    "(p, q) => p - q",
                    "(p, q) => q - p",
                    "(p, q) => (p < q ? -1 : p > q ? 1 : 0)",
                    "(p, q) => (p & 3) - (q & 3)",
                ]);
                format!("[...{}].sort({cmp})", self.int_arr(d1))
            }
            9 => format!("[...{}].sort()", self.int_arr(d1)),
            10 => format!("[...{}].reverse()", self.int_arr(d1)),
            11 => format!(
                "[{}, [{}, [{}]], {}].flat(2)",
                self.int(0),
                self.int(0),
                self.int(0),
                self.int_arr(d1)
            ),
            12 => format!(
                "[[{}], [[{}]], {}].flat(Infinity)",
                self.int(0),
                self.int(0),
                self.int_arr(d1)
            ),
            13 => format!("{}.flatMap((x) => [x, x * 2])", self.int_arr(d1)),
            14 => {
                let (a, b, s) = *self.rng.pick(&[
                    ("0", "5", "1"),
                    ("2", "9", "3"),
                    ("5", "0", "-1"),
                    ("10", "1", "-3"),
                    ("0", "4", "0"),
                    ("1.7", "4.9", "1"),
                    ("-3", "3", "2"),
                ]);
                if self.rng.chance(50) {
                    format!("Array.from(range({a}, {b}, {s}))")
                } else {
                    format!("[...range({a}, {b}, {s})]")
                }
            }
            15 => format!("[...range({})]", self.small(7)),
            16 => format!(
                "{}.split(\"\").map((c) => c.charCodeAt(0))",
                self.str(d1.min(1))
            ),
            17 => format!("{}.map((s) => s.length)", self.str_arr(d1)),
            18 => format!(
                "({} ? {} : {})",
                self.bool(d1),
                self.int_arr(d1),
                self.int_arr(d1)
            ),
            19 => {
                if let Some(s) = self.var_of(Ty::IntSet) {
                    format!("[...{s}]")
                } else if let Some(m) = self.var_of(Ty::StrMap) {
                    format!("[...{m}.values()]")
                } else {
                    self.int_arr_lit(0)
                }
            }
            20 => {
                let recs = self.vars_matching(|t| matches!(t, Ty::ObjArr(_)));
                if recs.is_empty() {
                    self.int_arr_lit(0)
                } else {
                    let v = recs[self.rng.below(recs.len())].name.clone();
                    let k = *self.rng.pick(&["id", "k"]);
                    format!("{v}.map((r) => r.{k})")
                }
            }
            _ => format!("Array.of({}, {})", self.int(d1), self.int(d1)),
        }
    }

    fn num_arr(&mut self, d: usize) -> String {
        if d == 0 || self.rng.chance(25) {
            if self.rng.chance(60)
                && let Some(v) = self.var_of(Ty::NumArr)
            {
                return v;
            }
            let n = self.rng.below(6);
            let items: Vec<String> = (0..n).map(|_| self.num(0)).collect();
            return format!("[{}]", items.join(", "));
        }
        let d1 = d - 1;
        match self.rng.below(12) {
            0 => format!("{}.map((x) => x / {})", self.int_arr(d1), self.num(0)),
            1 => {
                let f = *self.rng.pick(&["Number", "parseFloat", "parseInt"]);
                format!("{}.map({f})", self.str_arr(d1))
            }
            2 => {
                let f = *self
                    .rng
                    .pick(&["Math.round", "Math.abs", "Math.sqrt", "Math.sign"]);
                format!("{}.map({f})", self.num_arr(d1))
            }
            3 => {
                let f = *self
                    .rng
                    .pick(&["Number.isFinite", "Boolean", "Number.isInteger"]);
                format!("{}.filter({f})", self.num_arr(d1))
            }
            4 => format!("[...{}].sort()", self.num_arr(d1)),
            5 => format!("{}.concat({})", self.num_arr(d1), self.num_arr(d1)),
            6 => format!("{}.slice({})", self.num_arr(d1), self.index_arg(0)),
            7 => format!("[...{}].reverse()", self.num_arr(d1)),
            8 => {
                let x = self.fresh("x");
                self.push_var(&x, Ty::Num, false);
                let body = self.num(d1.min(2));
                self.vars.pop();
                format!("{}.map(({x}) => {body})", self.num_arr(d1))
            }
            9 => format!("{}.map((x) => x * 0.1)", self.int_arr(d1)),
            10 => format!("Array.from({}, (x) => x / 3)", self.int_arr(d1)),
            _ => format!("[{}, {}]", self.num(d1), self.num(d1)),
        }
    }

    fn str_arr(&mut self, d: usize) -> String {
        if d == 0 || self.rng.chance(25) {
            if self.rng.chance(60)
                && let Some(v) = self.var_of(Ty::StrArr)
            {
                return v;
            }
            let n = self.rng.below(5);
            let items: Vec<String> = (0..n).map(|_| self.str(0)).collect();
            return format!("[{}]", items.join(", "));
        }
        let d1 = d - 1;
        match self.rng.below(11) {
            0 | 1 => {
                let sep = *self.rng.pick(SEPS);
                format!("{}.split({sep})", self.str(d1))
            }
            2 => {
                let m = *self
                    .rng
                    .pick(&["toUpperCase()", "trim()", "concat(\"Z\").toLowerCase()"]);
                format!("{}.map((s) => s.{m})", self.str_arr(d1))
            }
            3 => format!("{}.map((x) => `n${{x}}`)", self.int_arr(d1)),
            4 => format!("Object.keys({})", self.any_obj(d1)),
            5 => format!("[...{}].sort()", self.str_arr(d1)),
            6 => format!(
                "{}.filter((s) => s.length > {})",
                self.str_arr(d1),
                self.small(3)
            ),
            7 => format!("{}.concat({})", self.str_arr(d1), self.str_arr(d1)),
            8 => format!("{}.map(String)", self.int_arr(d1)),
            9 => format!("[...{}]", self.str(d1)),
            _ => {
                if let Some(m) = self.var_of(Ty::StrMap) {
                    format!("[...{m}.keys()]")
                } else {
                    format!("{}.slice(1)", self.str_arr(d1))
                }
            }
        }
    }

    fn field_ty(&mut self, d: usize) -> Ty {
        match self.rng.below(10) {
            0..=3 => Ty::Int,
            4..=6 => Ty::Str,
            7 => Ty::Bool,
            8 => Ty::IntArr,
            _ if d > 0 && self.rng.chance(50) => {
                let s = self.new_schema(d - 1);
                Ty::Obj(s)
            }
            _ => Ty::StrArr,
        }
    }

    fn new_schema(&mut self, d: usize) -> usize {
        let n = self.rng.range(1, 5);
        let mut fields: Vec<(String, Ty)> = Vec::new();
        for _ in 0..n {
            let k = (*self.rng.pick(KEYS)).to_owned();
            if fields.iter().any(|(f, _)| *f == k) {
                continue;
            }
            let t = self.field_ty(d);
            fields.push((k, t));
        }
        self.schemas.push(fields);
        self.schemas.len() - 1
    }

    /// An object literal for schema `s`, sometimes with a duplicate key (the
    /// earlier position stays, the later value wins).
    fn obj_lit(&mut self, s: usize, d: usize) -> String {
        let fields = self.schemas[s].clone();
        let mut parts = Vec::new();
        for (k, t) in &fields {
            let v = match t {
                Ty::Obj(inner) => self.obj_lit(*inner, d.saturating_sub(1)),
                _ => self.expr(*t, d.min(2)),
            };
            parts.push(format!("{}: {v}", key_src(k)));
        }
        if !fields.is_empty() && self.rng.chance(15) {
            let (k, t) = fields[self.rng.below(fields.len())].clone();
            if !matches!(t, Ty::Obj(_)) {
                let v = self.expr(t, 0);
                parts.push(format!("{}: {v}", key_src(&k)));
            }
        }
        format!("{{ {} }}", parts.join(", "))
    }

    /// An expression of the object type with schema `s`.
    fn obj_of(&mut self, s: usize, d: usize) -> String {
        if let Some(v) = self.var_of(Ty::Obj(s))
            && self.rng.chance(70)
        {
            return v;
        }
        self.obj_lit(s, d)
    }

    /// Any object expression, with the schema it has (for reading).
    fn any_obj_typed(&mut self, d: usize) -> (String, usize) {
        let objs = self.vars_matching(|t| matches!(t, Ty::Obj(_)));
        if !objs.is_empty() && self.rng.chance(75) {
            let v = &objs[self.rng.below(objs.len())];
            let Ty::Obj(s) = v.ty else { unreachable!() };
            return (v.name.clone(), s);
        }
        let s = self.new_schema(d.min(1));
        (self.obj_lit(s, d.min(1)), s)
    }

    fn any_obj(&mut self, d: usize) -> String {
        self.any_obj_typed(d).0
    }

    /// A new object expression (derived from another) and its new schema.
    fn derived_obj(&mut self, d: usize) -> (String, usize) {
        let (base, s) = self.any_obj_typed(d);
        match self.rng.below(5) {
            0 | 1 => {
                // spread with overrides and additions, before or after
                let mut fields = self.schemas[s].clone();
                let k = (*self.rng.pick(KEYS)).to_owned();
                let t = *self.rng.pick(&[Ty::Int, Ty::Str, Ty::Bool]);
                let v = self.expr(t, 1);
                let first = self.rng.chance(30);
                if let Some(slot) = fields.iter_mut().find(|(f, _)| *f == k) {
                    if !first {
                        slot.1 = t;
                    }
                } else {
                    fields.push((k.clone(), t));
                }
                self.schemas.push(fields);
                let e = if first {
                    format!("{{ {}: {v}, ...{base} }}", key_src(&k))
                } else {
                    format!("{{ ...{base}, {}: {v} }}", key_src(&k))
                };
                (e, self.schemas.len() - 1)
            }
            2 => {
                let (other, s2) = self.any_obj_typed(d);
                let mut fields = self.schemas[s].clone();
                for (k, t) in self.schemas[s2].clone() {
                    if let Some(slot) = fields.iter_mut().find(|(f, _)| *f == k) {
                        slot.1 = t;
                    } else {
                        fields.push((k, t));
                    }
                }
                self.schemas.push(fields);
                (
                    format!("{{ ...{base}, ...{other} }}"),
                    self.schemas.len() - 1,
                )
            }
            3 => {
                let fields = self.schemas[s].clone();
                self.schemas.push(fields);
                (
                    format!("JSON.parse(JSON.stringify({base}))"),
                    self.schemas.len() - 1,
                )
            }
            _ => {
                let fields = self.schemas[s].clone();
                self.schemas.push(fields);
                (
                    format!("Object.fromEntries(Object.entries({base}))"),
                    self.schemas.len() - 1,
                )
            }
        }
    }

    fn rec_schema(&mut self) -> usize {
        let mut fields = vec![("id".to_owned(), Ty::Int), ("k".to_owned(), Ty::Int)];
        for k in &REC_KEYS[2..] {
            if self.rng.chance(50) {
                fields.push(((*k).to_owned(), Ty::Str));
            }
        }
        self.schemas.push(fields);
        self.schemas.len() - 1
    }

    fn obj_arr_lit(&mut self, s: usize) -> String {
        let n = self.rng.range(2, 6);
        let items: Vec<String> = (0..n)
            .map(|i| {
                let fields = self.schemas[s].clone();
                let parts: Vec<String> = fields
                    .iter()
                    .map(|(k, t)| {
                        let v = if k == "id" {
                            i.to_string()
                        } else if k == "k" {
                            self.rng.below(4).to_string()
                        } else {
                            self.expr(*t, 0)
                        };
                        format!("{k}: {v}")
                    })
                    .collect();
                format!("{{ {} }}", parts.join(", "))
            })
            .collect();
        format!("[{}]", items.join(", "))
    }

    fn int_fn(&mut self, d: usize) -> String {
        let x = self.fresh("x");
        self.push_var(&x, Ty::Int, false);
        let body = self.int(d.clamp(1, 3));
        self.vars.pop();
        format!("({x}) => {body}")
    }

    fn call_helper(&mut self, ret: Ty, d: usize) -> Option<String> {
        let cands: Vec<Helper> = self
            .helpers
            .iter()
            .filter(|h| h.ret == ret)
            .cloned()
            .collect();
        if cands.is_empty() {
            return None;
        }
        let h = &cands[self.rng.below(cands.len())];
        let mut n = h.params.len();
        if h.optional > 0 && self.rng.chance(50) {
            n -= self.rng.range(1, h.optional);
        }
        let mut args: Vec<String> = h.params[..n]
            .iter()
            .map(|t| self.expr(*t, d.min(1)))
            .collect();
        // Rest arguments only after every declared parameter.
        if h.rest && n == h.params.len() {
            for _ in 0..self.rng.below(4) {
                args.push(self.int(0));
            }
            if self.rng.chance(30) {
                args.push(format!("...{}", self.int_arr(0)));
            }
        }
        Some(format!("{}({})", h.name, args.join(", ")))
    }

    fn push_var(&mut self, name: &str, ty: Ty, mutable: bool) {
        self.vars.push(Var {
            name: name.to_owned(),
            ty,
            mutable,
        });
    }

    // ----- statements ---------------------------------------------------------

    fn printable_ty(&mut self) -> Ty {
        match self.rng.below(13) {
            0..=2 => Ty::Int,
            3 | 4 => Ty::Num,
            5..=7 => Ty::Str,
            8 => Ty::Bool,
            9 => Ty::IntArr,
            10 => Ty::StrArr,
            11 => Ty::NumArr,
            _ => {
                let objs = self.vars_matching(|t| matches!(t, Ty::Obj(_) | Ty::ObjArr(_)));
                if objs.is_empty() {
                    Ty::Int
                } else {
                    objs[self.rng.below(objs.len())].ty
                }
            }
        }
    }

    fn log(&mut self) {
        let label = self.fresh("L");
        let n = self.rng.range(1, 2);
        let mut args = vec![format!("\"{label}\"")];
        for _ in 0..n {
            let ty = self.printable_ty();
            let e = self.expr(ty, 3);
            args.push(e);
        }
        if self.rng.chance(15) {
            // Values that are not of one type: the logical operators, optional
            // chains that may be undefined, out-of-range reads.
            let e = match self.rng.below(5) {
                0 => {
                    let a = self.printable_ty();
                    let b = self.printable_ty();
                    let op = *self.rng.pick(&["&&", "||", "??"]);
                    format!("({} {op} {})", self.expr(a, 1), self.expr(b, 1))
                }
                1 => format!("{}[{}]", self.int_arr(1), self.int(1)),
                2 => {
                    let (o, _) = self.any_obj_typed(1);
                    let k = *self.rng.pick(KEYS);
                    member(&o, k)
                }
                3 => "undefined".to_owned(),
                _ => format!("{}.at({})", self.str_arr(1), self.int(1)),
            };
            args.push(e);
        }
        let method = if self.rng.chance(5) { "error" } else { "log" };
        self.line(&format!("console.{method}({});", args.join(", ")));
    }

    fn decl(&mut self) {
        let mutable = self.rng.chance(20);
        let kw = if mutable { "let" } else { "const" };
        let (ty, e) = match self.rng.below(16) {
            0..=2 => (Ty::Int, self.int(3)),
            3 | 4 => (Ty::Num, self.num(3)),
            5..=7 => (Ty::Str, self.str(3)),
            8 => (Ty::Bool, self.bool(3)),
            9 => (Ty::IntArr, self.int_arr(3)),
            10 if self.rng.chance(50) => (Ty::NumArr, self.num_arr(2)),
            10 => (Ty::StrArr, self.str_arr(2)),
            11 | 12 => {
                if self.rng.chance(50) {
                    let s = self.new_schema(2);
                    (Ty::Obj(s), self.obj_lit(s, 2))
                } else {
                    let (e, s) = self.derived_obj(2);
                    (Ty::Obj(s), e)
                }
            }
            13 => {
                let s = self.rec_schema();
                (Ty::ObjArr(s), self.obj_arr_lit(s))
            }
            14 => (Ty::IntFn, self.int_fn(3)),
            _ => {
                if self.rng.chance(50) {
                    let n = self.rng.below(4);
                    let items: Vec<String> = (0..n)
                        .map(|_| format!("[{}, {}]", self.str(0), self.int(1)))
                        .collect();
                    let e = if items.is_empty() && self.rng.chance(50) {
                        "Map()".to_owned()
                    } else {
                        format!("Map([{}])", items.join(", "))
                    };
                    (Ty::StrMap, e)
                } else {
                    (Ty::IntSet, format!("Set({})", self.int_arr(1)))
                }
            }
        };
        let name = self.fresh("v");
        self.line(&format!("{kw} {name} = {e};"));
        let mutable = mutable && !matches!(ty, Ty::IntFn | Ty::StrMap | Ty::IntSet);
        self.push_var(&name, ty, mutable);
    }

    fn assign(&mut self) {
        let cands = self.vars_matching(|t| matches!(t, Ty::Int | Ty::Num | Ty::Str | Ty::IntArr));
        let cands: Vec<Var> = cands
            .into_iter()
            .filter(|v| v.mutable && !self.iterating.contains(&v.name))
            .collect();
        if cands.is_empty() {
            return self.decl();
        }
        let v = cands[self.rng.below(cands.len())].clone();
        let n = &v.name;
        let text = match v.ty {
            Ty::Int => {
                let op = *self.rng.pick(&["+", "-", "^", "|", "&"]);
                if self.rng.chance(50) {
                    format!("{n} {op}= {};", self.int(2))
                } else {
                    format!("{n} = ({n} {op} {}) % 1000003;", self.int(2))
                }
            }
            Ty::Num => {
                let op = *self.rng.pick(&["+", "-", "*", "/", "**", "%"]);
                format!("{n} {op}= {};", self.num(2))
            }
            // Strings and arrays could grow exponentially in loops (`s += s`):
            // the right side never reads the variable itself, and in a loop the
            // result is cut.
            Ty::Str => {
                let e = self.hiding(n, |g| {
                    if g.rng.chance(60) {
                        g.str(2)
                    } else {
                        format!("`-${{{}}}`", g.templ_part(1))
                    }
                });
                if self.loops > 0 {
                    format!("{n} = ({n} + {e}).slice(-{});", self.rng.range(8, 60))
                } else {
                    format!("{n} += {e};")
                }
            }
            _ => {
                let e = self.hiding(n, |g| g.int_arr(2));
                if self.loops > 0 {
                    format!("{n} = {e}.slice(0, 12);")
                } else {
                    format!("{n} = {e};")
                }
            }
        };
        self.line(&text);
    }

    /// Runs `f` with the variable `name` out of scope.
    fn hiding(&mut self, name: &str, f: impl FnOnce(&mut Gen) -> String) -> String {
        let at = self.vars.iter().position(|v| v.name == name);
        let removed = at.map(|i| self.vars.remove(i));
        let e = f(self);
        if let (Some(i), Some(v)) = (at, removed) {
            self.vars.insert(i, v);
        }
        e
    }

    fn mutate(&mut self) {
        match self.rng.below(6) {
            0 | 1 => {
                if let Some(a) = self.mutable_var_of(Ty::IntArr) {
                    let text = match self.rng.below(6) {
                        0 | 1 => format!("{a}.push({});", self.int(2)),
                        2 => format!("{a}.sort((p, q) => q - p);"),
                        3 => format!("{a}.reverse();"),
                        4 => format!("{a}.unshift({});", self.int(1)),
                        // Never past the end: holes are a known VM bug (holes.js).
                        _ => format!(
                            "{a}[Math.min({}, {a}.length)] = {};",
                            self.small(7),
                            self.int(1)
                        ),
                    };
                    self.line(&text);
                } else {
                    self.decl();
                }
            }
            2 => {
                if let Some(m) = self.mutable_var_of(Ty::StrMap) {
                    let text = match self.rng.below(4) {
                        0 | 1 => format!("{m}.set({}, {});", self.str(1), self.int(2)),
                        2 => format!("{m}.delete({});", self.str(0)),
                        _ => format!("{m}.set({}, 1).set({}, 2);", self.str(0), self.str(0)),
                    };
                    self.line(&text);
                } else if let Some(s) = self.mutable_var_of(Ty::IntSet) {
                    let text = if self.rng.chance(70) {
                        format!("{s}.add({});", self.int(1))
                    } else {
                        format!("{s}.delete({});", self.int(0))
                    };
                    self.line(&text);
                } else {
                    self.decl();
                }
            }
            3 | 4 if self.block == 0 => {
                let objs = self.vars_matching(|t| matches!(t, Ty::Obj(_)));
                if objs.is_empty() {
                    return self.decl();
                }
                let v = objs[self.rng.below(objs.len())].clone();
                let Ty::Obj(s) = v.ty else { unreachable!() };
                let k = (*self.rng.pick(KEYS)).to_owned();
                let existing = self.schemas[s].iter().find(|(f, _)| *f == k).map(|x| x.1);
                let t = match existing {
                    Some(Ty::Obj(_)) => return self.log(),
                    Some(t) => t,
                    None => *self.rng.pick(&[Ty::Int, Ty::Str, Ty::Bool]),
                };
                let e = self.expr(t, 2);
                if existing.is_none() {
                    self.schemas[s].push((k.clone(), t));
                }
                self.line(&format!("{} = {e};", member(&v.name, &k)));
            }
            _ => {
                if let Some(a) = self.mutable_var_of(Ty::StrArr) {
                    let text = format!("{a}.push({});", self.str(1));
                    self.line(&text);
                } else {
                    self.log();
                }
            }
        }
    }

    fn destructure(&mut self) {
        if self.rng.chance(50) {
            let (o, s) = self.any_obj_typed(1);
            let fields = self.schemas[s].clone();
            let mut parts = Vec::new();
            let mut bound = Vec::new();
            let mut used = BTreeSet::new();
            for (k, t) in &fields {
                if !self.rng.chance(60) {
                    continue;
                }
                used.insert(k.clone());
                let name = self.fresh("d");
                let default = if self.rng.chance(30) && !matches!(t, Ty::Obj(_)) {
                    format!(" = {}", self.expr(*t, 0))
                } else {
                    String::new()
                };
                parts.push(format!("{}: {name}{default}", key_src(k)));
                bound.push((name, *t));
            }
            if self.rng.chance(40) {
                // a key that may be missing, with a default
                let k = *self.rng.pick(KEYS);
                if !used.contains(k) {
                    let present = fields.iter().find(|(f, _)| f == k).map(|x| x.1);
                    let t = present.unwrap_or(Ty::Int);
                    if !matches!(t, Ty::Obj(_)) {
                        let name = self.fresh("d");
                        let dv = self.expr(t, 0);
                        parts.push(format!("{}: {name} = {dv}", key_src(k)));
                        bound.push((name, t));
                        used.insert(k.to_owned());
                    }
                }
            }
            let rest = self.rng.chance(40).then(|| self.fresh("rest"));
            if let Some(r) = &rest {
                parts.push(format!("...{r}"));
                let remaining: Vec<(String, Ty)> = fields
                    .iter()
                    .filter(|(k, _)| !used.contains(k))
                    .cloned()
                    .collect();
                self.schemas.push(remaining);
            }
            if parts.is_empty() {
                return self.log();
            }
            self.line(&format!("const {{ {} }} = {o};", parts.join(", ")));
            for (n, t) in bound {
                self.push_var(&n, t, false);
            }
            if let Some(r) = rest {
                let s = self.schemas.len() - 1;
                self.push_var(&r, Ty::Obj(s), false);
            }
        } else {
            let (src, elem, arr) = if self.rng.chance(70) {
                (self.int_arr(2), Ty::Int, Ty::IntArr)
            } else {
                (self.str_arr(2), Ty::Str, Ty::StrArr)
            };
            let n = self.rng.range(1, 3);
            let mut parts = Vec::new();
            let mut bound = Vec::new();
            for _ in 0..n {
                if self.rng.chance(15) {
                    parts.push(String::new());
                    continue;
                }
                let name = self.fresh("d");
                let dv = self.expr(elem, 0);
                parts.push(format!("{name} = {dv}"));
                bound.push((name, elem));
            }
            if self.rng.chance(50) {
                let r = self.fresh("rest");
                parts.push(format!("...{r}"));
                bound.push((r, arr));
            }
            self.line(&format!("const [{}] = {src};", parts.join(", ")));
            for (n, t) in bound {
                self.push_var(&n, t, false);
            }
        }
    }

    fn block(&mut self, n: usize) {
        let mark = self.vars.len();
        self.indent += 1;
        self.block += 1;
        for _ in 0..n {
            self.stmt_in_block();
        }
        self.block -= 1;
        self.indent -= 1;
        self.vars.truncate(mark);
    }

    fn stmt_in_block(&mut self) {
        match self.rng.below(10) {
            0..=2 => self.assign(),
            3 | 4 => self.log(),
            5 => self.decl(),
            6 => self.mutate(),
            7 if self.loops > 0 => {
                let c = self.bool(2);
                let kw = *self.rng.pick(&["break", "continue"]);
                self.line(&format!("if ({c}) {{"));
                self.indent += 1;
                self.line(&format!("{kw};"));
                self.indent -= 1;
                self.line("}");
            }
            8 if self.block < 2 => self.for_of(),
            9 if self.block < 2 => self.if_else(),
            _ => self.assign(),
        }
    }

    fn if_else(&mut self) {
        let c = self.bool(3);
        self.line(&format!("if ({c}) {{"));
        let n = self.rng.range(1, 2);
        self.block(n);
        match self.rng.below(3) {
            0 => self.line("}"),
            1 => {
                self.line("} else {");
                let n = self.rng.range(1, 2);
                self.block(n);
                self.line("}");
            }
            _ => {
                let c2 = self.bool(2);
                self.line(&format!("}} else if ({c2}) {{"));
                self.block(1);
                self.line("} else {");
                self.block(1);
                self.line("}");
            }
        }
    }

    fn for_of(&mut self) {
        let x = self.fresh("it");
        let mark = self.vars.len();
        let head = match self.rng.below(8) {
            0..=2 => {
                let (a, b, s) = *self.rng.pick(&[
                    ("", "4", ""),
                    ("", "6", ""),
                    ("1", "5", ""),
                    ("0", "10", "3"),
                    ("5", "0", "-2"),
                    ("", "0", ""),
                    ("2.5", "6", ""),
                ]);
                self.push_var(&x, Ty::Int, false);
                match (a.is_empty(), s.is_empty()) {
                    (true, _) => format!("const {x} of range({b})"),
                    (false, true) => format!("const {x} of range({a}, {b})"),
                    (false, false) => format!("const {x} of range({a}, {b}, {s})"),
                }
            }
            3 => {
                let a = self.int_arr(1);
                self.push_var(&x, Ty::Int, false);
                format!("const {x} of {a}")
            }
            4 => {
                let a = self.str_arr(1);
                self.push_var(&x, Ty::Str, false);
                format!("const {x} of {a}")
            }
            5 => {
                let s = self.str(1);
                self.push_var(&x, Ty::Str, false);
                format!("const {x} of {s}")
            }
            6 => {
                if let Some(m) = self.var_of(Ty::StrMap) {
                    let k = self.fresh("k");
                    self.push_var(&k, Ty::Str, false);
                    self.push_var(&x, Ty::Int, false);
                    format!("const [{k}, {x}] of {m}")
                } else if let Some(s) = self.var_of(Ty::IntSet) {
                    self.push_var(&x, Ty::Int, false);
                    format!("const {x} of {s}")
                } else {
                    let a = self.int_arr(1);
                    let i = self.fresh("i");
                    self.push_var(&i, Ty::Int, false);
                    self.push_var(&x, Ty::Int, false);
                    format!("const [{i}, {x}] of {a}.entries()")
                }
            }
            _ => {
                let recs = self.vars_matching(|t| matches!(t, Ty::ObjArr(_)));
                if recs.is_empty() {
                    self.push_var(&x, Ty::Int, false);
                    format!("const {x} of range(3)")
                } else {
                    let r = recs[self.rng.below(recs.len())].name.clone();
                    let k = self.fresh("k");
                    self.push_var(&x, Ty::Int, false);
                    self.push_var(&k, Ty::Int, false);
                    format!("const {{ id: {x}, k: {k} }} of {r}")
                }
            }
        };
        self.line(&format!("for ({head}) {{"));
        let iterated: Vec<String> = self
            .vars
            .iter()
            .filter(|v| mentions(&head, &v.name))
            .map(|v| v.name.clone())
            .collect();
        let saved = self.iterating.len();
        self.iterating.extend(iterated);
        self.loops += 1;
        let n = self.rng.range(1, 3);
        self.block(n);
        self.loops -= 1;
        self.iterating.truncate(saved);
        self.line("}");
        self.vars.truncate(mark);
    }

    /// Fixed shapes with random holes: closures, recursion, iterators.
    fn snippet(&mut self) {
        match self.rng.below(8) {
            0 => {
                // closures capture the per-iteration binding
                let fs = self.fresh("fs");
                let k = self.int(1);
                self.line(&format!("const {fs} = [];"));
                let n = self.rng.range(1, 5);
                self.line(&format!("for (const i of range({n})) {{"));
                self.line(&format!("  {fs}.push(() => i * {k});"));
                self.line("}");
                self.line(&format!(
                    "console.log(\"closures\", {fs}.map((f) => f()).join(\",\"));"
                ));
            }
            1 => {
                // a counter closure over a local `let`
                let c = self.fresh("count");
                let f = self.fresh("bump");
                let step = self.int(1);
                let init = self.int(0);
                self.line(&format!("let {c} = {init};"));
                self.line(&format!(
                    "const {f} = (by = {step}) => {{ {c} = {c} + by; return {c}; }};"
                ));
                let a = self.int(1);
                self.line(&format!(
                    "console.log(\"counter\", {f}(), {f}({a}), {f}(), {c});"
                ));
                self.push_var(&c, Ty::Int, true);
            }
            2 => {
                // a closure factory
                let mk = self.fresh("make");
                let f = self.fresh("f");
                let off = self.int(1);
                self.line(&format!("const {mk} = (k) => (x) => x * k + {off};"));
                let k = self.int(1);
                self.line(&format!("const {f} = {mk}({k});"));
                self.push_var(&f, Ty::IntFn, false);
            }
            3 => {
                // an iterator in a variable
                let it = self.fresh("iter");
                let src = match self.rng.below(3) {
                    0 => format!("range({})", self.rng.range(1, 5)),
                    1 => format!("{}.values()", self.int_arr(1)),
                    _ => "Map([[\"p\", 1], [\"q\", 2]]).keys()".to_owned(),
                };
                self.line(&format!("const {it} = {src};"));
                // (Consuming it twice is a known VM bug, kept in iterator-reuse.js.)
                self.line(&format!(
                    "console.log(\"iter\", JSON.stringify([...{it}]));"
                ));
            }
            4 => {
                // stable sort of records by a key with ties
                let recs = self.vars_matching(|t| matches!(t, Ty::ObjArr(_)));
                let name = if let Some(v) = recs.first() {
                    v.name.clone()
                } else {
                    let s = self.rec_schema();
                    let name = self.fresh("recs");
                    let lit = self.obj_arr_lit(s);
                    self.line(&format!("const {name} = {lit};"));
                    self.push_var(&name, Ty::ObjArr(s), false);
                    name
                };
                let cmp = *self.rng.pick(&[
                    "(p, q) => p.k - q.k",
                    "(p, q) => q.k - p.k",
                    "(p, q) => (p.k > q.k ? 1 : p.k < q.k ? -1 : 0)",
                ]);
                self.line(&format!(
                    "console.log(\"sorted\", JSON.stringify([...{name}].sort({cmp}).map((r) => r.id)));"
                ));
            }
            5 => {
                // optional chaining on a value that may be undefined
                let mo = self.fresh("maybe");
                let c = self.bool(2);
                let inner = self.int(1);
                let v = self.int(1);
                self.line(&format!(
                    "const {mo} = {c} ? {{ v: {v}, inner: {{ w: {inner} }}, f: (x) => x + 1 }} : undefined;"
                ));
                let a = self.int(0);
                self.line(&format!(
                    "console.log(\"opt\", {mo}?.v, {mo}?.inner?.w ?? -1, {mo}?.missing?.deep, {mo}?.f?.({a}), {mo}?.[\"v\"] ?? \"none\");"
                ));
            }
            6 => {
                // recursion
                let f = self.fresh("rec");
                self.line(&format!(
                    "const {f} = (n) => (n < 2 ? n : {f}(n - 1) + {f}(n - 2));"
                ));
                let n = self.rng.range(0, 15);
                self.line(&format!("console.log(\"fib\", {f}({n}));"));
            }
            _ => {
                // forEach with a closure that mutates a local
                let acc = self.fresh("acc");
                self.line(&format!("let {acc} = 0;"));
                let src = if let Some(m) = self.var_of(Ty::StrMap) {
                    format!("{m}.forEach((v, key) => {{ {acc} = {acc} + v + key.length; }});")
                } else {
                    let a = self.int_arr(1);
                    format!("{a}.forEach((v, i) => {{ {acc} = {acc} * 3 + v - i; }});")
                };
                self.line(&src);
                self.line(&format!("console.log(\"acc\", {acc});"));
            }
        }
    }

    fn helper(&mut self) {
        let name = self.fresh("h");
        let n = self.rng.range(1, 3);
        let mut params = Vec::new();
        let mut names = Vec::new();
        let mut optional = 0;
        let mark = self.vars.len();
        let mut text = Vec::new();
        for i in 0..n {
            let t = *self
                .rng
                .pick(&[Ty::Int, Ty::Int, Ty::Str, Ty::IntArr, Ty::Num]);
            let p = self.fresh("p");
            if i == n - 1 && i > 0 && self.rng.chance(40) {
                let dv = self.expr(t, 0);
                text.push(format!("{p} = {dv}"));
                optional = 1;
            } else {
                text.push(p.clone());
            }
            params.push(t);
            names.push(p.clone());
        }
        let rest = self.rng.chance(20);
        let saved = std::mem::take(&mut self.vars);
        for (p, t) in names.iter().zip(&params) {
            self.push_var(p, *t, false);
        }
        if rest {
            let r = self.fresh("more");
            text.push(format!("...{r}"));
            self.push_var(&r, Ty::IntArr, false);
        }
        let ret = *self.rng.pick(&[Ty::Int, Ty::Str, Ty::Bool, Ty::Int]);
        self.line(&format!("function {name}({}) {{", text.join(", ")));
        self.indent += 1;
        for _ in 0..self.rng.below(3) {
            let t = *self.rng.pick(&[Ty::Int, Ty::Str, Ty::Num]);
            let e = self.expr(t, 2);
            let v = self.fresh("t");
            self.line(&format!("const {v} = {e};"));
            self.push_var(&v, t, false);
        }
        if self.rng.chance(30) {
            let c = self.bool(2);
            let e = self.expr(ret, 2);
            self.line(&format!("if ({c}) {{"));
            self.line(&format!("  return {e};"));
            self.line("}");
        }
        let e = self.expr(ret, 3);
        self.line(&format!("return {e};"));
        self.indent -= 1;
        self.line("}");
        self.vars = saved;
        self.vars.truncate(mark);
        self.helpers.push(Helper {
            name,
            params,
            optional,
            rest,
            ret,
        });
    }

    fn program(mut self) -> String {
        let _ = writeln!(self.out, "// generated");
        for _ in 0..self.rng.below(3) {
            self.helper();
        }
        self.line("function main() {");
        self.indent += 1;
        let n = self.rng.range(6, 18);
        for _ in 0..n {
            match self.rng.below(20) {
                0..=5 => self.decl(),
                6..=9 => self.log(),
                10 => self.assign(),
                11 | 12 => self.for_of(),
                13 => self.if_else(),
                14 => self.destructure(),
                15 | 16 => self.mutate(),
                _ => self.snippet(),
            }
            if self.lines > 55 {
                break;
            }
        }
        let throws = self.rng.chance(8);
        // print every variable of main at the end
        let tail: Vec<String> = self
            .vars
            .iter()
            .filter(|v| !matches!(v.ty, Ty::IntFn | Ty::StrMap | Ty::IntSet))
            .map(|v| v.name.clone())
            .collect();
        for chunk in tail.chunks(4) {
            self.line(&format!("console.log(\"end\", {});", chunk.join(", ")));
        }
        if throws {
            // Something JS throws on: both engines must stop here.
            let stmt = *self.rng.pick(THROWS);
            self.line(stmt);
            self.line("console.log(\"not reached\");");
        }
        self.indent -= 1;
        self.line("}");
        self.line("main();");
        if self.uses_encode_len {
            // declared after use: function declarations are hoisted
            self.line("function encodeLen(s) {");
            self.line("  return JSON.stringify({ s }).length + s.length;");
            self.line("}");
        }
        if self.uses_approx {
            self.out.push_str(APPROX_FN);
        }
        self.out
    }
}

fn generate(seed: u64) -> String {
    Gen::new(seed).program()
}

// ---------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------

fn diff_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("differential")
}

/// `id -> reason` from known-divergences.txt (`#` comments, blank lines).
fn known_divergences() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(diff_dir().join("known-divergences.txt"))
        .expect("tests/differential/known-divergences.txt");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(char::is_whitespace) {
            Some((id, why)) => (id.to_owned(), why.trim().to_owned()),
            None => (l.to_owned(), String::new()),
        })
        .collect()
}

fn collected() -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(diff_dir())
        .expect("tests/differential/")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "js"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let id = p.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&p).expect("read a collected program");
            (id, text)
        })
        .collect()
}

struct Verdict {
    id: String,
    source: String,
    ours: Outcome,
    theirs: Outcome,
    why: Option<String>,
    /// Time for both engines, for the slowest-programs note.
    took: Duration,
}

fn check_one(id: &str, source: &str) -> Verdict {
    let name = if id.ends_with(".js") {
        id.to_owned()
    } else {
        format!("{id}.ts")
    };
    let started = Instant::now();
    let ours = run_zigts(&name, source);
    let theirs = run_quickjs(&name, source);
    let why = compare(&ours, &theirs);
    Verdict {
        id: id.to_owned(),
        source: source.to_owned(),
        ours,
        theirs,
        why,
        took: started.elapsed(),
    }
}

fn program_for(id: &str) -> Option<String> {
    if let Some(seed) = id.strip_prefix("gen-") {
        return seed.parse().ok().map(generate);
    }
    let path = if Path::new(id).exists() {
        PathBuf::from(id)
    } else {
        diff_dir().join(id)
    };
    std::fs::read_to_string(path).ok()
}

fn show(v: &Verdict) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "==== {} ====", v.id);
    for (i, l) in v.source.lines().enumerate() {
        let _ = writeln!(s, "{:>3} {l}", i + 1);
    }
    let _ = write!(s, "-- zigts: {}", v.ours.describe());
    let _ = write!(s, "-- QuickJS: {}", v.theirs.describe());
    if let Some(w) = &v.why {
        let _ = writeln!(s, "-- divergence: {w}");
    }
    s
}

/// Generated programs per run (seeds `0..DEFAULT_PROGRAMS`).
const DEFAULT_PROGRAMS: u64 = 1000;

#[test]
fn differential() {
    if let Ok(id) = std::env::var("DIFF_SHOW") {
        let source = program_for(&id).unwrap_or_else(|| panic!("no program {id}"));
        let id = Path::new(&id)
            .file_name()
            .map_or(id.clone(), |f| f.to_string_lossy().into_owned());
        eprintln!("{}", show(&check_one(&id, &source)));
        return;
    }
    let started = Instant::now();
    let count: u64 = std::env::var("DIFF_PROGRAMS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(DEFAULT_PROGRAMS);
    let mut programs = collected();
    programs.extend((0..count).map(|seed| (format!("gen-{seed}"), generate(seed))));

    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    let chunk = programs.len().div_ceil(workers);
    let verdicts: Vec<Verdict> = std::thread::scope(|scope| {
        let handles: Vec<_> = programs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(id, s)| check_one(id, s))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker thread"))
            .collect()
    });

    let known = known_divergences();
    let mut passed = 0;
    let mut known_hit = 0;
    let mut new = Vec::new();
    let mut stale = Vec::new();
    let mut both_threw = Vec::new();
    for v in &verdicts {
        // Generated programs throw on purpose only at their last statement
        // (THROWS); a throw elsewhere is a generator typing slip.
        if matches!(
            (&v.ours, &v.theirs),
            (Outcome::Threw(..), Outcome::Threw(..))
        ) && !v.source.contains("console.log(\"not reached\")")
        {
            both_threw.push(v.id.as_str());
        }
        match (&v.why, known.get(&v.id)) {
            (None, None) => passed += 1,
            (None, Some(_)) => stale.push(v.id.clone()),
            (Some(_), Some(_)) => known_hit += 1,
            (Some(_), None) => new.push(v),
        }
    }
    let ids: BTreeSet<&str> = verdicts.iter().map(|v| v.id.as_str()).collect();
    let unknown_ids: Vec<&String> = known.keys().filter(|k| !ids.contains(k.as_str())).collect();

    let mut slow: Vec<&Verdict> = verdicts.iter().collect();
    slow.sort_by_key(|v| std::cmp::Reverse(v.took));
    let slow: Vec<String> = slow
        .iter()
        .take(3)
        .map(|v| format!("{} {:.0} ms", v.id, v.took.as_secs_f64() * 1000.0))
        .collect();
    println!("differential: slowest programs: {}", slow.join(", "));
    for v in new.iter().take(8) {
        eprintln!("{}", show(v));
    }
    for v in &new {
        eprintln!(
            "NEW DIVERGENCE {}: {}",
            v.id,
            v.why.as_deref().unwrap_or_default()
        );
    }
    println!(
        "differential: {} programs run ({} collected, {count} generated), {passed} passed, {known_hit} known divergences, {} new divergences, {} threw on both engines by accident {:?}; {:.1} s",
        verdicts.len(),
        verdicts.len() - count as usize,
        new.len(),
        both_threw.len(),
        &both_threw[..both_threw.len().min(10)],
        started.elapsed().as_secs_f64()
    );
    assert!(
        new.is_empty(),
        "{} new divergences (see above; list real ones in tests/differential/known-divergences.txt)",
        new.len()
    );
    assert!(
        stale.is_empty(),
        "listed as known divergences but now agree (remove them): {stale:?}"
    );
    if count >= DEFAULT_PROGRAMS {
        assert!(
            unknown_ids.is_empty(),
            "known-divergences.txt names programs that did not run: {unknown_ids:?}"
        );
    }
}
