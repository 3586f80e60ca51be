// Number printing: String(n), template literals, JSON, join, all of which
// must print JS's shortest round-trip form.
function main() {
  const xs = [
    0.1 + 0.2, 0.1 * 3, 1 / 3, 2 / 3, 100 / 3, 1e21, 1e21 - 1, 999999999999999900000, 1e-7,
    5e-7, 0.000001, 1.5e-6, 123e-20, 2 ** 53, 2 ** 53 + 1, 2 ** 64, -1e-7, 1e300 * 1e10,
    Number.MAX_VALUE, Number.MIN_VALUE, Number.EPSILON, 4.35 * 100, 1.1 * 1.1, 0.3 - 0.1,
    123456789.12345678, 5e-324, 2 ** -1074, 1e16, 12345678901234567890, 0.5, -0.5, 1e-6, 1e-5,
  ];
  for (const x of xs) {
    console.log(x, String(x), `${x}`, JSON.stringify(x), [x].join());
  }
  const z = -0;
  console.log(z, String(z), `${z}`, JSON.stringify(z), JSON.stringify([z, { z }]), [z, z].join());
  console.log(1 / z, 1 / (0 * -1), z === 0, Math.sign(z), Math.round(-0.4), 1 / Math.round(-0.4));
  console.log(0 / 0, 1 / 0, -1 / 0, Infinity - Infinity, NaN === NaN, Number.isNaN(NaN));
  console.log((-7) % 3, 7 % -3, -7 % -3, 5.5 % 2, -5.5 % 2, 1 / (-4 % 2), 2 ** 0.5, (-8) ** (1 / 3));
  console.log(NaN ** 0, 1 ** Infinity, 0 ** -1, (-0) ** -1, (-2) ** 3, 2 ** -2, 10 ** 21, 10 ** -7);
  console.log(Math.round(2.5), Math.round(-2.5), Math.round(0.4), Math.round(-0.5), 1 / Math.round(-0.5), Math.round(1e300));
  console.log(Math.max(), Math.min(), Math.max(1, NaN), Math.min(-0, 0), 1 / Math.min(0, -0));
  console.log(Math.trunc(-0.9), Math.floor(-0.5), Math.ceil(-0.5), 1 / Math.ceil(-0.5), Math.sign(-3));
  console.log(Math.fround(5.5), Math.fround(0.1), Math.clz32(0), Math.clz32(-1), Math.imul(3, -4));
  console.log(Math.cbrt(27), Math.sqrt(2), Math.abs(-0), Math.exp(1), Math.log(10), Math.log2(8));
  console.log(Math.log10(1000), Math.sin(Math.PI), Math.cos(Math.PI), Math.atan2(1, 1), Math.pow(2, 0.5));
  console.log(Math.PI, Math.E, Math.LN2, Math.LN10, Math.LOG2E, Math.LOG10E, Math.SQRT2, Math.SQRT1_2);
  console.log(Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.isSafeInteger(2 ** 53));
  console.log(Number.isInteger(5.0), Number.isInteger(5.5), Number.isFinite(Infinity), Number.isFinite(1));
}
main();
