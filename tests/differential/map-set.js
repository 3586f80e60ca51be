// Map and Set (called as factories): insertion order, SameValueZero keys,
// re-insertion, deletion, iteration helpers.
function main() {
  const m = Map([["b", 1], ["a", 2]]);
  m.set("c", 3).set("b", 4);
  console.log(m.size, m.get("b"), m.get("zz"), m.has("a"), [...m.keys()], JSON.stringify([...m]));
  m.delete("b");
  m.set("b", 5);
  console.log([...m.entries()].map(([k, v]) => `${k}=${v}`).join("&"), [...m.values()]);
  const nm = Map();
  nm.set(NaN, "nan").set(0, "zero").set(-0, "negzero").set("0", "string");
  console.log(nm.size, nm.get(NaN), nm.get(0), nm.get(-0), nm.get("0"));
  const s = Set([3, 1, 3, 2, 1]);
  s.add(1).add(4);
  s.delete(3);
  s.add(3);
  console.log(s.size, [...s], s.has(2), s.has("2"), [...Set("hello")].join(""));
  let total = 0;
  m.forEach((v, k) => {
    total = total + v + k.length;
  });
  s.forEach((v) => {
    total = total * 2 + v;
  });
  console.log(total);
  const keys = [];
  for (const k of s) {
    keys.push(k);
  }
  console.log(keys, JSON.stringify(Object.fromEntries(m)), Array.from(m.keys()).join(""));
  m.clear();
  console.log(m.size, [...m]);
}
main();
