// Own property order: array-index keys ascending, then string keys in
// insertion order, everywhere (keys, values, entries, JSON, spread).
function main() {
  const o = { b: 1, a: 2, 10: 3, 2: 4, "01": 5, "-1": 6, "1.5": 7, 4294967294: 8, 4294967295: 9, 0: 10 };
  console.log(Object.keys(o).join(","));
  console.log(JSON.stringify(o));
  console.log(Object.values(o).join(","), JSON.stringify(Object.entries(o)));
  o.z = 11;
  o[1] = 12;
  o.b = 13;
  console.log(JSON.stringify(o));
  const merged = { x: 1, 5: "five", ...o, y: 2, 3: "three" };
  console.log(JSON.stringify(merged));
  console.log(JSON.stringify({ ...{ a: 1, b: 2 }, a: 3 }), JSON.stringify({ a: 3, ...{ a: 1, b: 2 } }));
  console.log(JSON.stringify({ a: 1, b: 2, a: 3 }), JSON.stringify(Object.fromEntries([["q", 1], ["7", 2], ["p", 3]])));
  const k = "dyn";
  console.log(JSON.stringify({ [k]: 1, [`${k}2`]: 2, [1 + 1]: 3, [1e21]: 4, [-0]: 5, [0.5]: 6 }));
  const parsed = JSON.parse('{"b":1,"a":2,"3":3,"1":4,"b":5}');
  console.log(JSON.stringify(parsed), Object.keys(parsed));
  const { b, ...rest } = parsed;
  console.log(b, JSON.stringify(rest));
  console.log("a" in o, "zz" in o, 10 in o, Object.hasOwn(o, "01"), Object.hasOwn(o, "1"));
  const arr = ["x", "y"];
  console.log(Object.keys(arr), Object.entries(arr), JSON.stringify({ ...arr }));
}
main();
