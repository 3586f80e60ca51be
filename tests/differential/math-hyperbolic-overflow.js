// Math.asinh/acosh of the largest doubles are finite (about 710).
function main() {
  console.log(Math.asinh(Number.MAX_VALUE), Math.asinh(-1e308), Math.acosh(Number.MAX_VALUE), Math.acosh(1e308));
  console.log(Math.asinh(1e300) > 690, Math.acosh(1e300) > 690, Math.atanh(-1), Math.asinh(-Infinity));
}
main();
