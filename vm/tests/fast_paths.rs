//! The interpreter's fast paths (property reads through the slot hint,
//! `for...of` over arrays and `range` stepping in place) must give exactly
//! what the general paths give: missing keys, keys at other slots than the
//! hint, values of every kind, arrays that grow or shrink while iterated,
//! ranges counting down or with a fractional step, iterators shared between loops.

mod support;
use support::run;

fn lines(source: &str) -> Vec<String> {
    run("fast.ts", source).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn property_reads_agree_with_the_general_path() {
    let out = lines(
        r#"
const a = { x: 1, y: "two", z: [3], f: (n: number): number => n + 1 };
const b = { y: false, x: true };
const c = { w: 0 };
const seen: string[] = [];
for (const o of [a, b, c, a, b, c]) {
  seen.push(`${o.x}|${o.y}|${o.w}`);
}
console.log(seen.join(","));
console.log(a.f(1), a.z[0], String(a.z.length), c.missing === undefined);
const arr = [1, 2, 3];
console.log(arr.length, "abc".length);
"#,
    );
    assert_eq!(
        out,
        [
            "1|two|undefined,true|false|undefined,undefined|undefined|0,1|two|undefined,true|false|undefined,undefined|undefined|0",
            "2 3 1 true",
            "3 3",
        ]
    );
}

#[test]
fn for_of_over_arrays_sees_changes_made_while_iterating() {
    let out = lines(
        r#"
const grow = [1, 2];
const seen: number[] = [];
for (const v of grow) {
  seen.push(v);
  if (grow.length < 5) grow.push(v * 10);
}
console.log(seen.join(","));
const shrink = [1, 2, 3, 4];
const kept: number[] = [];
for (const v of shrink) {
  kept.push(v);
  shrink.pop();
}
console.log(kept.join(","));
const empty: number[] = [];
let n = 0;
for (const v of empty) n = n + v + 1;
console.log(n);
"#,
    );
    assert_eq!(out, ["1,2,10,20,100", "1,2", "0"]);
}

#[test]
fn ranges_step_like_the_general_iterator() {
    let out = lines(
        r#"
const r: number[] = [];
for (const i of range(3)) r.push(i);
for (const i of range(5, 2, -1)) r.push(i);
for (const i of range(0, 1, 0.25)) r.push(i); // steps truncate: 0 becomes 1
for (const i of range(2, 2)) r.push(99);
console.log(r.join(","));
console.log([...range(4)].join(","), Array.from(range(1, 7, 2)).join(","));
function resumed(): string {
  const shared = range(6);
  const first: number[] = [];
  for (const i of shared) {
    first.push(i);
    if (i === 2) break;
  }
  const rest: number[] = [];
  for (const i of shared) rest.push(i);
  return `${first.join(",")} ${rest.join(",")}`;
}
console.log(resumed());
"#,
    );
    assert_eq!(out, ["0,1,2,5,4,3,0", "0,1,2,3 1,3,5", "0,1,2 3,4,5"]);
}

#[test]
fn recursion_through_callbacks_still_grows_the_stack() {
    // Each level re-enters the interpreter from `map` (tens of KiB of stack
    // per level in a debug build, on the test harness's 2 MiB thread): the
    // skipped stack checks of nearby calls must not skip a needed new segment.
    let out = lines(
        "
function down(n: number): number {
  return n === 0 ? 0 : [n].map((x) => down(x - 1))[0] + 1;
}
console.log(down(320));
function sorted(n: number): number {
  return n === 0 ? 0 : [2, 1].sort((a, b) => a - b + down(0) * sorted(n - 1) * 0)[0] + n;
}
console.log(sorted(150));
",
    );
    assert_eq!(out, ["320", "151"]);
}

#[test]
fn immediate_operands_agree_with_register_operands() {
    // `a OP 7` compiles to an `*_imm` instruction, `a OP seven` to the
    // register form: every value kind must give the same answer both ways.
    let out = lines(
        r#"
const seven = 7;
const values = [0, 7, -3, 2.5, "7", "x", "10", true, false, undefined, [7], [], { a: 1 }];
const rows: string[] = [];
for (const a of values) {
  const imm = [a + 7, a - 7, a * 7, a % 7, a === 7, a !== 7, a < 7, a <= 7, a > 7, a >= 7];
  const reg = [a + seven, a - seven, a * seven, a % seven, a === seven, a !== seven, a < seven, a <= seven, a > seven, a >= seven];
  const x = imm.map((v) => String(v)).join(" ");
  const y = reg.map((v) => String(v)).join(" ");
  rows.push(x === y ? x : `MISMATCH ${x} | ${y}`);
}
console.log(rows.join("\n"));
"#,
    );
    let rows: Vec<&str> = out[0].lines().collect();
    assert!(!out[0].contains("MISMATCH"), "{}", out[0]);
    assert_eq!(rows[0], "7 -7 0 0 false true true true false false");
    assert_eq!(rows[4], "77 0 49 0 false true false true false true");
    assert_eq!(rows[5], "x7 NaN NaN NaN false true false false false false");
    assert_eq!(
        rows[9],
        "NaN NaN NaN NaN false true false false false false"
    );
    assert_eq!(rows[11], "7 -7 0 0 false true true true false false");
}
