// Evaluation order: arguments, operands, object literals and defaults are
// evaluated left to right and only when needed.
function main() {
  const log = [];
  const t = (name, v) => {
    log.push(name);
    return v;
  };
  const r1 = t("a", 1) + t("b", 2) * t("c", 3);
  const r2 = [t("d", 4), t("e", 5)];
  const r3 = { [t("f", "k1")]: t("g", 6), [t("h", "k2")]: t("i", 7) };
  const r4 = t("j", false) && t("never1", 1);
  const r5 = t("k", 0) || t("l", 8);
  const r6 = t("m", undefined) ?? t("n", 9);
  const r7 = t("o", true) ? t("p", 10) : t("never2", 11);
  const { x = t("never3", 0), y = t("q", 12) } = { x: 1 };
  const f = (u = t("r", 13), w = t("s", u + 1)) => u + w;
  const r8 = f(t("t", 100));
  const undef = undefined;
  const r9 = undef?.[t("never4", "x")];
  const r10 = Math.max(t("u", 1), t("v", 2), t("w", 3));
  console.log(log.join(""), r1, r2, JSON.stringify(r3), r4, r5, r6, r7, x, y, r8, r9, r10);
  let i = 0;
  const arr = [10, 20, 30];
  const picked = arr[(i = i + 1)] + i;
  let s = 1;
  s += (s = 10);
  let o = { v: 1 };
  o.v = o.v + (o = { v: 100 }).v;
  console.log(picked, s, o.v);
}
main();
