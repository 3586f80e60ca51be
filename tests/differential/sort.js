// Sorting: stability with comparators, default (string) order, undefined
// elements last, toSorted, reverse.
function main() {
  const recs = [
    { id: 0, k: 2 }, { id: 1, k: 1 }, { id: 2, k: 2 }, { id: 3, k: 0 }, { id: 4, k: 1 },
    { id: 5, k: 2 }, { id: 6, k: 0 }, { id: 7, k: 1 }, { id: 8, k: 2 }, { id: 9, k: 0 },
    { id: 10, k: 1 }, { id: 11, k: 1 }, { id: 12, k: 0 },
  ];
  console.log(JSON.stringify([...recs].sort((a, b) => a.k - b.k).map((r) => r.id)));
  console.log(JSON.stringify([...recs].sort((a, b) => b.k - a.k).map((r) => r.id)));
  console.log(JSON.stringify(recs.toSorted((a, b) => (a.k > b.k ? 1 : a.k < b.k ? -1 : 0)).map((r) => r.id)));
  console.log(JSON.stringify(recs.map((r) => r.id)));
  const big = [];
  for (const i of range(40)) {
    big.push({ id: i, k: (i * 7) % 3 });
  }
  console.log(big.sort((a, b) => a.k - b.k).map((r) => r.id).join(","));
  console.log([10, 9, 1, 100, 25, -1, -10].sort(), [10, 9, 1, 100, 25].sort((a, b) => a - b));
  console.log(["b", "a", "B", "é", "e", "", "aa"].sort(), [true, false, true].sort());
  console.log([3, undefined, 1, undefined, 2].sort(), [3, undefined, 1].sort((a, b) => b - a));
  console.log([0.1, -0, 0, 1e21, 5e-7, Infinity, -Infinity].sort(), [2, 1].reverse(), [].sort());
  const words = ["delta", "alpha", "charlie", "bravo"];
  words.sort((a, b) => a.length - b.length);
  console.log(words, words.toSorted(), words);
}
main();
