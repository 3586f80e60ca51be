// toFixed rounding (exact decimal value of the double, ties to the larger
// n), toString(radix), parseInt/parseFloat/Number on strings.
function main() {
  const fixed = [
    [1.005, 2], [1.45, 1], [2.5, 0], [-2.5, 0], [0.5, 0], [1.5, 0], [8.345, 2], [10.235, 2],
    [1e21, 2], [1e20, 2], [0.000001, 7], [123.456, 10], [1.23e-10, 2], [-1.23e-10, 2], [-0, 2],
    [0, 0], [4.35, 1], [1.0000000000000002, 20], [0.1, 20], [123456789012345680000, 1],
    [-1.5, 0], [999.995, 2], [Math.PI, 15], [NaN, 2], [Infinity, 1], [-Infinity, 0], [5e-7, 6],
  ];
  for (const [x, d] of fixed) {
    console.log(`${x}.toFixed(${d}) =`, x.toFixed(d));
  }
  for (const n of [0, 1, -1, 255, -255, 2147483647, -2147483648, 4294967295, 9007199254740991]) {
    console.log(n, n.toString(2), n.toString(8), n.toString(16), n.toString(36), n.toString(7));
  }
  const strs = [
    "42", "42px", "  -7 ", "0x1F", "0X1f", "1e3", "3.14abc", "", " ", "abc", "-0", ".5", "5.",
    "Infinity", "-Infinity", "+Infinity", "infinity", "0b101", "0o17", "1_000", "12e-2", "08",
    "\t\n 12 \n", "1e400", "-1e-400", "0.0000001", "123456789012", "+5", "--5", "0x", "1e", "e5",
    "\u00a012\u00a0", "\ufeff7",
  ];
  for (const s of strs) {
    console.log(JSON.stringify(s), parseInt(s), parseInt(s, 16), parseInt(s, 2), parseFloat(s), Number(s), +s);
  }
  console.log(parseInt("zz", 36), parseInt("10", 37), parseInt("10", 1), parseInt("10", 0), parseInt("-0"));
  console.log(1 / parseInt("-0"), 1 / parseFloat("-0"), 1 / Number("-0"), Number("  "), Number("0.1e1"));
  console.log(String(123), String(-1.5), String(true), String(undefined), String([1, [2, 3]]), String([]));
  console.log(Number(true), Number(false), Number(undefined), Number([]), Number([7]), Boolean(""), Boolean("0"));
}
main();
