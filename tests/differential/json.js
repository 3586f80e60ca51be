// JSON.stringify escaping and formatting, JSON.parse (no null in the texts:
// null is a designed deviation, see json-null.js).
function main() {
  const s = "q\"b\\s/\b\f\n\r\t\u0000\u0001\u001f\u007f\u0080\u2028\u2029</script>é😀";
  console.log(JSON.stringify(s));
  console.log(JSON.stringify({ [s]: 1 }));
  console.log(JSON.stringify([undefined, NaN, Infinity, -Infinity, -0, 1e21, 1e-7, true, "x"]));
  console.log(JSON.stringify({ u: undefined, n: NaN, f: () => 1, a: [undefined], o: {} }));
  console.log(JSON.stringify(undefined), JSON.stringify("x"), JSON.stringify(5), JSON.stringify(true));
  const doc = { a: [1, { b: [] }, {}], c: "d", e: { f: [2, 3] } };
  console.log(JSON.stringify(doc, undefined, 2));
  console.log(JSON.stringify(doc, undefined, "--"));
  console.log(JSON.stringify(doc, undefined, 20));
  console.log(JSON.stringify(doc, undefined, 0), JSON.stringify([], undefined, 2), JSON.stringify({}, undefined, 2));
  console.log(JSON.stringify([[]], undefined, "abcdefghijkl"));
  const texts = [
    '{"a":1,"b":[true,false],"c":{"d":"\\u00e9\\n"}}', " [1, 2.5e3, -0, 1E2, 0.1] ", '"\\ud83d\\ude00"',
    "1e400", "-1e400", "123456789012345678901234567890", '"\\/"', '{"__x":1,"":2}', "[]", "{}",
  ];
  for (const t of texts) {
    const v = JSON.parse(t);
    console.log(typeof v, JSON.stringify(v), v);
  }
  const round = JSON.parse(JSON.stringify({ n: 0.1 + 0.2, big: 2 ** 60, s: s, arr: [1, "2", [3]] }));
  console.log(round.n, round.big, round.s === s, round.arr[2][0]);
}
main();
