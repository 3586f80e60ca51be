// Generates test tables for vm/tests/js_primitives.rs from node (V8).
'use strict';
let state = 0x9E3779B97F4A7C15n;
const M64 = (1n << 64n) - 1n;
function next64() { // xorshift64*
  state ^= state >> 12n; state ^= (state << 25n) & M64; state ^= state >> 27n;
  return (state * 0x2545F4914F6CDD1Dn) & M64;
}
function rnd() { return Number(next64() >> 11n) / 2 ** 53; }
function rint(n) { return Math.floor(rnd() * n); }
const dv = new DataView(new ArrayBuffer(8));
function bits(x) { dv.setFloat64(0, x); const h = dv.getBigUint64(0).toString(16).padStart(16, '0'); return '0x' + h.match(/..../g).join('_'); }
function fromBits(b) { dv.setBigUint64(0, b); return dv.getFloat64(0); }
function rustStr(s) {
  let o = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (ch === '"') o += '\\"';
    else if (ch === '\\') o += '\\\\';
    else if (c >= 0x20 && c < 0x7f) o += ch;
    else o += '\\u{' + c.toString(16) + '}';
  }
  return o + '"';
}
function randomDouble() {
  switch (rint(8)) {
    case 0: { let b = next64(); let x = fromBits(b); return Number.isNaN(x) ? 1.5 : x; }
    case 1: return rint(2 ** 31) * (rnd() < 0.5 ? -1 : 1);
    case 2: return (rint(1e6) / 10 ** rint(8)) * (rnd() < 0.3 ? -1 : 1);
    case 3: return rnd() * 10 ** (rint(44) - 22);
    case 4: return Number((rnd() * 1000).toFixed(rint(4))) + rint(3) * 0.005;
    case 5: return 2 ** (rint(2100) - 1075) * (1 + rint(16) / 16);
    case 6: return rint(1000) / 8 - 50;
    default: return Number(`${rint(10)}.${rint(1000)}e${rint(40) - 20}`);
  }
}
const specials = [0, -0, NaN, Infinity, -Infinity, 1, -1, 0.1, 0.2, 0.1 + 0.2, 1e21, 1e20, 1e-7, 1e-6, 1.5e-7, 123e-20,
  5e-324, 2.2250738585072014e-308, 2.225073858507201e-308, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 53, 2 ** 53 + 2, 2 ** 31,
  -(2 ** 31) - 1, 4.35 * 100, 1.1 * 3, 100 / 3, 1 / 3, 123.456e5, 0.000001, 999999999999999, 1e15, 1e16, 123456789012345680000,
  1.005, 1.45, 2.5, 0.5, 1.5, -1.5, -2.5, 8.345, 1.0000000000000002, 0.9999999999999999, 4294967295, 4294967296, -4294967297,
  1e300 * 10, 2 ** 63, -(2 ** 63), 2 ** 64 + 4096, 9007199254740993, 0.000001234, 1.7976931348623157e308, 1e-323, 4.9406564584124654e-324];
const out = [];
function emit(s) { out.push(s); }

// 1. String(n)
{
  const vals = specials.slice();
  for (let i = 0; i < 400; i++) vals.push(randomDouble());
  emit('const NUMBER_TO_STRING: &[(u64, &str)] = &[');
  for (const v of vals) emit(`    (${bits(v)}, ${rustStr(String(v))}),`);
  emit('];');
}
// 2. toFixed
{
  emit('const TO_FIXED: &[(u64, u32, &str)] = &[');
  const vals = specials.slice();
  for (let i = 0; i < 160; i++) vals.push(randomDouble());
  for (const v of vals) {
    const ds = [rint(3), rint(21), rint(101)];
    for (const d of ds) emit(`    (${bits(v)}, ${d}, ${rustStr(v.toFixed(d))}),`);
  }
  // ties and near ties
  for (let i = 0; i < 300; i++) {
    const d = rint(6);
    const v = (rint(200000) + 0.5) / 10 ** d * (rnd() < 0.5 ? -1 : 1);
    emit(`    (${bits(v)}, ${d}, ${rustStr(v.toFixed(d))}),`);
  }
  emit('];');
}
// 3. toString(radix)
{
  emit('const TO_RADIX: &[(u64, u32, &str)] = &[');
  const vals = specials.slice();
  for (let i = 0; i < 160; i++) vals.push(randomDouble());
  for (const v of vals) {
    for (const r of [[2, 16, 36][rint(3)], 2 + rint(35), 2 + rint(35)]) emit(`    (${bits(v)}, ${r}, ${rustStr(v.toString(r))}),`);
  }
  emit('];');
}
const DIG = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
// 4. parseInt
{
  const ws = [' ', '\t', '\n', '\u00a0', '\ufeff', '\u2028', '\u3000', '\u0085', '\u200b', '\u180e', '\u1680'];
  const inputs = [];
  const fixed = ['42px', '  -17 ', 'ff', '101', '3.99', '0x1A', 'abc', '', '-', '+', '-0', '+0', '0x', '0X', '-0x1f', '0xg', '00x1',
    '0b11', '0o7', '1e3', 'Infinity', '  +12', '9007199254740993', '9007199254740995', '123456789012345678901234567890',
    '0x1fffffffffffff', '0x20000000000001', '0x20000000000003', '0x1fffffffffffff8', '0x1fffffffffffff7', '0x1fffffffffffff80000001',
    '1'.repeat(400), 'z'.repeat(30), '0'.repeat(500) + '1', '-' + '9'.repeat(320), '٣', '１２', '12\u0000', '0.0000001', '1e-7'];
  const radices = [null, undefined, 0, 2, 8, 10, 16, 36, 37, 1, -1, NaN, 4294967312, 2.9, -4294967286, 3, 7, 13, 35, 32, 4];
  for (const s of fixed) for (const r of (s.length > 40 ? [null, 16, 7] : [null, 2, 8, 10, 16, 36, 37, 7])) inputs.push([s, r]);
  for (const r of radices) inputs.push(['z1Zf09', r]);
  for (let i = 0; i < 350; i++) {
    const r = 2 + rint(35);
    const len = 1 + rint(i % 3 === 0 ? 80 : 14);
    let s = '';
    for (let j = 0; j < len; j++) s += DIG[rnd() < 0.5 ? rint(Math.min(r, 36)) : (r > 10 && rnd() < 0.3 ? 36 + rint(r - 10) : rint(r))];
    if (rnd() < 0.1) s = ws[rint(ws.length)] + s;
    if (rnd() < 0.1) s = (rnd() < 0.5 ? '-' : '+') + s;
    if (rnd() < 0.1) s += DIG[rint(62)];
    inputs.push([s, rnd() < 0.15 ? null : r]);
  }
  emit('const PARSE_INT: &[(&str, Option<f64>, u64)] = &[');
  for (const [s, r] of inputs) {
    const v = (r === null || r === undefined) ? parseInt(s) : parseInt(s, r);
    const rr = (r === null || r === undefined) ? 'None' : `Some(f64::from_bits(${bits(r)}))`;
    emit(`    (${rustStr(s)}, ${rr}, ${bits(v)}),`);
  }
  emit('];');
}
// 5. parseFloat / Number(string)
{
  const base = ['3.14abc', '.5', '-1.5e3', '1.', '.e1', '-.5e-1x', 'Infinityx', '-Infinity', '+Infinity', 'infinity', 'Infinit', '1e', '1e+', '1e-', '0x10',
    '0b1', '0o7', '0X1f', '0x', '-0x10', '+0x10', '0x1g', ' 0x10 ', '0b102', '0O17', '0B', '', ' ', '\n\t', '\u2028 12 \ufeff', '\u0085 1', '\u200b1', '12.50', ' 8 ',
    '1_000', '1,000', '.', '+.', '-.', '+.5', '-5.', '00012', '-0', '+0', '-0.0e5', '1e1000', '-1e1000', '1e-400', '2e-323', '123456789012345678901234567890',
    '0.1e-5', '1E5', '1e+05', '5e-324', '2.4703282292062328e-324', '2.4703282292062327e-324', '1.7976931348623158e308', '1.7976931348623159e308',
    '9007199254740993', '0x20000000000001', '0x1fffffffffffff8', '0b' + '1'.repeat(60), '0o' + '7'.repeat(30), '0x' + 'f'.repeat(300),
    'NaN', 'nan', 'inf', '-', '+', '١', '1 2', '1\u00a0', '\u3000-3.5\u3000', '12px', 'e5', '1.2.3', '--1', '+-1', '.5.', '0.0000001', '1.e5', '.1e5'];
  const inputs = base.slice();
  for (let i = 0; i < 400; i++) {
    let s = '';
    const n = 1 + rint(12);
    const alpha = '0123456789.eE+-x ';
    for (let j = 0; j < n; j++) s += alpha[rint(alpha.length)];
    inputs.push(s);
  }
  for (let i = 0; i < 200; i++) inputs.push(String(randomDouble()));
  for (let i = 0; i < 100; i++) inputs.push(`${rint(10 ** rint(15))}.${String(rint(1e9)).padStart(9, '0')}e${rint(700) - 350}`);
  emit('const PARSE_FLOAT_AND_NUMBER: &[(&str, u64, u64)] = &[');
  for (const s of inputs) emit(`    (${rustStr(s)}, ${bits(parseFloat(s))}, ${bits(Number(s))}),`);
  emit('];');
}
// 6. ToInt32 / ToUint32
{
  const vals = specials.slice();
  for (let i = 0; i < 300; i++) vals.push(randomDouble());
  for (let i = 0; i < 100; i++) vals.push(rint(2 ** 53) * (rnd() < 0.5 ? -1 : 1));
  emit('const INT_CONVERSIONS: &[(u64, i32, u32)] = &[');
  const sep = (n) => (n < 0 ? '-' : '') + String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '_');
  for (const v of vals) emit(`    (${bits(v)}, ${sep(v | 0)}, ${sep(v >>> 0)}),`);
  emit('];');
}
// 7. whitespace: every BMP code point that String.prototype.trim removes
{
  const wsl = [];
  for (let c = 0; c <= 0xffff; c++) if (c < 0xd800 || c > 0xdfff) { if (String.fromCharCode(c).trim() === '') wsl.push(c); }
  emit('const JS_WHITESPACE: &[u32] = &[' + wsl.map((c) => '0x' + c.toString(16)).join(', ') + '];');
}
process.stdout.write(out.join('\n') + '\n');
