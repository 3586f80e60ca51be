// Operators: bitwise and shift edge cases, comparisons with NaN, logical
// operators returning operands, optional chaining, typeof.
function main() {
  console.log(2 ** 32 + 5 | 0, 2 ** 53 >>> 0, -1 >>> 0, -1 >>> 28, 1 << 31, 1 << 32, 1 << 33, 5 >> 33);
  console.log(~5, ~-1, ~~3.7, ~~-3.7, 0x7fffffff + 1 | 0, 4294967296 & 1, -2147483649 | 0, NaN | 0, Infinity | 0);
  console.log(-8 >> 1, -8 >>> 1, 1.9 << 1, -1.9 >> 0, 3 ^ 5, 6 & 3, 6 | 3, 1e21 | 0, 2 ** 31 >> 0);
  console.log(NaN < 1, NaN >= 1, NaN !== NaN, Infinity > 1e308, -0 === 0, -Infinity < -1e308, undefined === undefined);
  console.log(0 || "a", "" || 0, 0 ?? "a", "" ?? "b", undefined ?? "c", 1 && "x", 0 && "x", "" && 1);
  console.log(!0, !"", !"0", !NaN, !![], !!{}, !!-0, !!"false");
  const o = { a: { b: { c: 1 } }, f: (v) => v * 2, arr: [10, 20] };
  const u = undefined;
  console.log(o?.a?.b?.c, o.a.x?.y, u?.a, u?.a.b.c, u?.[0], o.arr?.[1], o.f?.(4), o.g?.(4), u?.());
  console.log(o.a?.["b"]?.c ?? "none", o.missing ?? "dflt", o.arr[5] ?? "out", (u ?? o).arr.length);
  console.log(typeof o, typeof o.f, typeof u, typeof o.a.b.c, typeof "", typeof NaN, typeof [], void 0);
  let v = 10;
  v += 5;
  v -= 3;
  v *= 2;
  v /= 4;
  v %= 4;
  v **= 3;
  v <<= 2;
  v >>= 1;
  v >>>= 0;
  v &= 7;
  v |= 8;
  v ^= 3;
  console.log(v);
  let s = "a";
  s += "b";
  s += 1;
  console.log(s, 1 + 2 + "3", "1" + 2 + 3, `${1 + 2}${"3"}`);
  const t = 5;
  console.log(t > 3 ? "big" : "small", t > 10 ? "huge" : t > 4 ? "mid" : "low", (t & 1) === 1 ? "odd" : "even");
}
main();
