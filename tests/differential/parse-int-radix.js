// parseInt in a radix that is no power of 2, with more digits than a double
// holds: the spec lets the result be "implementation-approximated".
function main() {
  console.log(parseInt("1" + "0".repeat(31), 36), parseInt("zzzzzzzzzzzzzzz", 36), parseInt("1".repeat(40), 3));
}
main();
