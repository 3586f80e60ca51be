// Array and Map iteration is live: elements added during the loop are
// visited, deleted entries are not.
function main() {
  const a = [1, 2];
  for (const [i, x] of a.entries()) {
    if (a.length < 5) {
      a.push(x * 10 + i);
    }
  }
  console.log(a);
  const b = [1, 2];
  const seen = [];
  for (const x of b) {
    seen.push(x);
    if (b.length < 4) {
      b.push(x + 100);
    }
  }
  console.log(seen, b);
  const m = Map([["a", 1], ["b", 2], ["c", 3]]);
  const visited = [];
  for (const [k, v] of m) {
    visited.push(k);
    if (k === "a") {
      m.delete("b");
      m.set("d", v);
    }
  }
  console.log(visited, [...m.keys()]);
  const s = Set([1]);
  const order = [];
  for (const x of s) {
    order.push(x);
    if (x < 4) {
      s.add(x + 1);
    }
  }
  console.log(order);
}
main();
