// Math.acosh/asinh/atanh to the last bit, as the C libraries and fdlibm
// compute them.
function main() {
  console.log(Math.acosh(1.45), Math.acosh(2), Math.acosh(10), Math.acosh(1e10), Math.acosh(1));
  console.log(Math.asinh(0.5), Math.asinh(-2), Math.asinh(1e-10), Math.asinh(1e300), Math.asinh(-0));
  console.log(Math.atanh(0.5), Math.atanh(-0.3), Math.atanh(1e-10), Math.atanh(0.99), Math.atanh(1));
}
main();
