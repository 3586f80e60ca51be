// JSON null: JS keeps null; the profile parses it to undefined (no null).
function main() {
  const v = JSON.parse('{"a":null,"b":[null,1]}');
  console.log(JSON.stringify(v), v.a, v.b[0], typeof v.a);
  console.log(JSON.stringify(JSON.parse("[NaN]".replace("NaN", "null"))), JSON.parse("null"));
  console.log(JSON.stringify(JSON.parse(JSON.stringify({ x: NaN, y: [Infinity] }))));
}
main();
