// Objects: method shorthand, identity, nested mutation, computed
// keys, reading missing keys, conversions to string.
function main() {
  const counter = { n: 0, inc(by = 1) { return by * 2; }, twice(f) { return f(f(1)); } };
  console.log(counter.inc(), counter.inc(5), counter.twice((v) => v + 3), JSON.stringify(counter), Object.keys(counter));
  const a = { x: 1 };
  const b = a;
  const c = { ...a };
  b.x = 2;
  console.log(a === b, a === c, a.x, c.x, [] === [], JSON.stringify([a, b, c]));
  const nested = { p: { q: { r: [1, { s: "deep" }] } } };
  nested.p.q.r[1].s = "changed";
  nested.p.q.extra = [nested.p.q.r.length];
  console.log(JSON.stringify(nested), nested.p?.q?.r?.[1]?.s, nested.p.z?.q);
  const key = "k";
  const obj = { [key]: 1, [`${key}2`]: 2, [key + "3"]: 3 };
  obj[key] = obj[key] + 10;
  obj[`${key}2`] *= 3;
  obj.k3 += 0.5;
  console.log(JSON.stringify(obj), obj.missing, obj["also missing"], Object.hasOwn(obj, "k"));
  console.log(String({}), `${{ a: 1 }}`, `${[{}]}`, String([1, [2, [3, [4]]]]), `${[undefined, 1]}`, String(["a", undefined]));
  console.log(Object.entries("ab"), Object.keys([7, 8]), Object.values("xy"), Object.keys({}).length);
  console.log(JSON.stringify(Object.fromEntries([["a", 1], ["b", [2]]])), JSON.stringify(Object.entries({ z: 1, 0: 2 })));
  const arr = [1, 2, 3, 4];
  const spreadObj = { ...arr, ...{ 1: "one" } };
  console.log(JSON.stringify(spreadObj));
}
main();
