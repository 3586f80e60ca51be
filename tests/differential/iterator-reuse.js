// An iterator object is consumed once: a second pass sees nothing.
function main() {
  const r = range(3);
  console.log(JSON.stringify([...r]), JSON.stringify([...r]));
  const k = Map([["p", 1], ["q", 2]]).keys();
  const first = [];
  for (const x of k) {
    first.push(x);
  }
  console.log(first, [...k]);
  const v = [1, 2, 3].values();
  console.log(Array.from(v), Array.from(v));
}
main();
