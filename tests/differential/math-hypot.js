// Math.hypot without overflow, underflow or double rounding.
function main() {
  console.log(Math.hypot(1e200, 1e200), Math.hypot(Number.MAX_VALUE, 1), Math.hypot(1e-200, 1e-200));
  console.log(Math.hypot(5e-324, 0), Math.hypot(7, 0.000001), Math.hypot(3, 4), Math.hypot(), Math.hypot(-3));
  console.log(Math.hypot(NaN, Infinity), Math.hypot(1, NaN), Math.hypot(-0), 1 / Math.hypot(-0));
}
main();
