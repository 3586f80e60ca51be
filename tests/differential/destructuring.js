// Destructuring: defaults (only for undefined), renames, nesting, rest, in
// parameters and for...of heads.
function main() {
  const { a, b: bee = 5, c = 7, d: { e = 1, f } = { f: 9 }, ...rest } = { a: 0, b: undefined, c: "", g: 3, h: [1] };
  console.log(a, bee, c, e, f, JSON.stringify(rest));
  const [x, , y = 2, [z = 3] = [], ...tail] = [1, 9, undefined, [undefined], 5, 6];
  console.log(x, y, z, tail);
  const [p = 1, q = p + 1] = [];
  console.log(p, q);
  const [m = 0, n = 0] = [false, 0];
  console.log(m, n);
  const pick = ({ id, name = "anon", tags: [first = "none"] = [] }) => `${id}:${name}:${first}`;
  console.log(pick({ id: 1 }), pick({ id: 2, name: "x", tags: ["t1", "t2"] }), pick({ id: 3, tags: [] }));
  const pairs = [[1, "one"], [2, "two"]];
  for (const [num, word] of pairs) {
    console.log(num, word);
  }
  for (const { id, v = -1 } of [{ id: 1, v: 10 }, { id: 2 }]) {
    console.log(id, v);
  }
  const m2 = Map([["k1", 1], ["k2", 2]]);
  for (const [key, val] of m2) {
    console.log(key, val);
  }
  const [head, ...others] = "héllo";
  console.log(head, others);
  const { length } = "abc";
  console.log(length);
  const { 0: zero, 2: two } = ["a", "b", "c"];
  console.log(zero, two);
}
main();
