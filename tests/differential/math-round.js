// Math.round is floor(x + 0.5) only in exact arithmetic: the addition must
// not round.
function main() {
  console.log(Math.round(0.49999999999999994), Math.round(-0.49999999999999994), Math.round(4503599627370497));
  console.log(Math.round(9007199254740991), Math.round(-9007199254740991), Math.round(-4503599627370497));
}
main();
