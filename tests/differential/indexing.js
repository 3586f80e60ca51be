// Indexing arrays and strings with numbers and strings, numeric literal
// keys, length, nested loops with break/continue.
function main() {
  const a = [10, 20, 30];
  console.log(a["1"], a["01"], a[1.0], a[1.5], a[-1], a["-0"], a[NaN], a["length"], a[3], "x"[0], "abc"["2"], "abc"[-1]);
  const k = { 1e3: "a", 0x10: "b", 1.50: "c", .5: "d", 1_0: "e", 1e21: "f", 0.000001: "g", 1e-7: "h" };
  console.log(JSON.stringify(k), Object.keys(k).join("|"));
  const o = {};
  o[0.1 + 0.2] = 1;
  o[2 ** 53] = 2;
  o[-0] = 3;
  o[1e300 * 10] = 4;
  o[NaN] = 5;
  o[true] = 6;
  o[undefined] = 7;
  console.log(JSON.stringify(o));
  console.log(Math.max(..."123"), [..."ab"].map((c, i) => `${i}${c}`), "abc".split(undefined), "abc".split("", 0), "abc".split(",", -1));
  console.log(1 / Math.max(-0, 0), 1 / Math.max(0, -0), 1 / Math.min(-0, 0), -0 % 5, 5 % Infinity, Infinity % 5, 1 / (-0 % 5));
  const found = [];
  for (const i of range(4)) {
    if (i === 3) {
      break;
    }
    for (const j of range(4)) {
      if (j === i) {
        continue;
      }
      if (j > 2) {
        break;
      }
      found.push(`${i}${j}`);
    }
  }
  console.log(found.join(","));
  const m = Map([["a", 1], ["skip", 2], ["b", 3]]);
  let seen = "";
  for (const [key, v] of m) {
    if (key === "skip") {
      continue;
    }
    seen = `${seen}${key}${v}`;
  }
  console.log(seen, isEven(10), isOdd(7));
}
function isEven(n) {
  return n === 0 ? true : isOdd(n - 1);
}
function isOdd(n) {
  return n === 0 ? false : isEven(n - 1);
}
main();
