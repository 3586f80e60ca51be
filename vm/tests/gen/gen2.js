'use strict';
let state = 0x1234567887654321n;
const M64 = (1n << 64n) - 1n;
function next64() { state ^= state >> 12n; state ^= (state << 25n) & M64; state ^= state >> 27n; return (state * 0x2545F4914F6CDD1Dn) & M64; }
function rnd() { return Number(next64() >> 11n) / 2 ** 53; }
function rint(n) { return Math.floor(rnd() * n); }
function pick(a) { return a[rint(a.length)]; }
function rustStr(s) {
  let o = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0);
    if (c >= 0xd800 && c <= 0xdfff) throw new Error('lone surrogate in rust literal');
    if (ch === '"') o += '\\"'; else if (ch === '\\') o += '\\\\';
    else if (c >= 0x20 && c < 0x7f) o += ch; else o += '\\u{' + c.toString(16) + '}';
  }
  return o + '"';
}
const wf = (s) => s.toWellFormed();
const out = [];
const emit = (s) => out.push(s);
const ALPHA = ['a', 'b', 'é', '😀', '\ue000', '\uffff', '𐐷', ' ', '\u00a0', 'ab', '日'];
const strings = ['', 'Hello, World', 'héllo', 'a😀b', '😀😀', 'x\ue000y', '日本語テキスト', 'a\u{10ffff}', 'abcabcabc', 'aaaa', '😀a😀a😀'];
for (let i = 0; i < 25; i++) { let s = ''; const n = rint(9); for (let j = 0; j < n; j++) s += pick(ALPHA); strings.push(s); }
// length + code units
emit('const STRINGS: &[&str] = &[');
for (const s of strings) emit(`    ${rustStr(s)},`);
emit('];');
emit('/// (string index in STRINGS, length, code units)');
emit('const CODE_UNITS: &[(usize, usize, &[u16])] = &[');
strings.forEach((s, i) => { const u = []; for (let k = 0; k < s.length; k++) u.push(s.charCodeAt(k)); emit(`    (${i}, ${s.length}, &[${u.join(', ')}]),`); });
emit('];');
// slices
emit('/// (string index, start, end, `s.slice(start, end).toWellFormed()`)');
emit('const SLICES: &[(usize, usize, usize, &str)] = &[');
strings.forEach((s, i) => { for (let a = 0; a <= s.length + 1; a++) for (let b = 0; b <= s.length + 1; b++) if (s.length <= 6 || rnd() < 0.15) emit(`    (${i}, ${a}, ${b}, ${rustStr(wf(s.slice(a, b)))}),`); });
emit('];');
// js slice/substring with float args
emit('/// (string index, start arg, end arg, `slice` result, `substring` result)');
emit('const SLICE_ARGS: &[(usize, f64, f64, &str, &str)] = &[');
const argVals = [0, 1, 2, -1, -2, -3, 3.7, -0.5, 100, -100, NaN, Infinity, -Infinity];
const sepd = (t) => t.replace(/^(-?)(\d+)/, (m, sg, d) => sg + d.replace(/\B(?=(\d{3})+(?!\d))/g, '_'));
const fmtF = (x) => Number.isNaN(x) ? 'f64::NAN' : x === Infinity ? 'f64::INFINITY' : x === -Infinity ? 'f64::NEG_INFINITY' : sepd(Number.isInteger(x) ? x.toFixed(1) : String(x));
for (let i of [1, 2, 3, 4]) { const s = strings[i]; for (const a of argVals) for (const b of argVals) emit(`    (${i}, ${fmtF(a)}, ${fmtF(b)}, ${rustStr(wf(s.slice(a, b)))}, ${rustStr(wf(s.substring(a, b)))}),`); }
emit('];');
// indexOf / lastIndexOf
emit('/// (haystack index, needle, from, `indexOf`, `lastIndexOf`) with -1 for not found; from `usize::MAX` means undefined');
emit('const SEARCHES: &[(usize, &str, usize, i64, i64)] = &[');
const needles = ['', 'a', 'b', 'o', 'é', '😀', 'a😀', '😀a', '\ue000', 'ab', 'bc', 'World', 'll', 'z', '日本', '\u{10ffff}', 'aa'];
strings.forEach((s, i) => {
  for (const n of needles) {
    if (!s.includes(n) && rnd() < 0.85) continue;
    for (let f = 0; f <= s.length + 1; f++) if (s.length <= 8 || rnd() < 0.3) emit(`    (${i}, ${rustStr(n)}, ${f}, ${s.indexOf(n, f)}, ${s.lastIndexOf(n, f)}),`);
    emit(`    (${i}, ${rustStr(n)}, usize::MAX, ${s.indexOf(n)}, ${s.lastIndexOf(n)}),`);
  }
});
emit('];');
// compare
emit('/// (a, b, sign of the comparison as JS `<` / `>` see it)');
emit('const COMPARISONS: &[(usize, usize, i8)] = &[');
strings.forEach((a, i) => strings.forEach((b, j) => { if (rnd() < 0.4) emit(`    (${i}, ${j}, ${a < b ? -1 : a > b ? 1 : 0}),`); }));
emit('];');
// fromCharCode
emit('const FROM_CHAR_CODES: &[(&[f64], &str)] = &[');
const codePool = [72, 105, 33, 0, 0xd83d, 0xde00, 0xd800, 0xdc00, 0xdbff, 0xdfff, 0xe000, 0xffff, 65536 + 65, -1, 65.9, -0.5, NaN, Infinity, 4294967296 + 0xd83d, 1e10, 0x41, 0xe9];
emit('    (&[], ""),');
for (let i = 0; i < 150; i++) { const n = 1 + rint(6); const a = []; for (let j = 0; j < n; j++) a.push(pick(codePool)); emit(`    (&[${a.map(fmtF).join(', ')}], ${rustStr(wf(String.fromCharCode(...a)))}),`); }
emit('];');
// pad
emit('/// (s, target length, filler, padStart, padEnd)');
emit('const PADS: &[(&str, usize, &str, &str, &str)] = &[');
for (const s of ['', '7', 'ab', 'é', '😀', 'abcdef']) for (const f of ['0', 'xy', ' ', '😀', 'é😀', '', 'abc']) for (const n of [0, 1, 2, 3, 4, 5, 7, 10]) emit(`    (${rustStr(s)}, ${n}, ${rustStr(f)}, ${rustStr(wf(s.padStart(n, f)))}, ${rustStr(wf(s.padEnd(n, f)))}),`);
emit('];');

// JSON
function wfDeep(v) {
  if (typeof v === 'string') return wf(v);
  if (Array.isArray(v)) return v.map(wfDeep);
  if (v && typeof v === 'object') { const o = {}; for (const [k, x] of Object.entries(v)) o[wf(k)] = wfDeep(x); return o; }
  return v;
}
function randNum() {
  return pick([() => String(rint(1000)), () => '-' + rint(100), () => `${rint(100)}.${rint(1000)}`, () => `${rint(10)}e${rint(40) - 20}`,
    () => `-${rint(10)}.${rint(10)}E+${rint(400)}`, () => '0', () => '-0', () => '1' + '0'.repeat(rint(30)), () => `0.${'0'.repeat(rint(10))}1e-${rint(330)}`])();
}
function randStr() {
  const parts = ['a', 'é', '😀', '\\n', '\\"', '\\\\', '\\/', '\\b', '\\f', '\\r', '\\t', '\\u0041', '\\u00e9', '\\ud83d\\ude00', '\\ud800', '\\udc00', '\\uDBFF\\uDFFF', '\\ud800\\u0041', '\\ud800\\ud800\\udc00', ' ', '\u2028', '\\u0000', '\\u001F', 'x'];
  let s = '"'; const n = rint(6); for (let i = 0; i < n; i++) s += pick(parts); return s + '"';
}
function randKey() { return pick([() => randStr(), () => '"' + pick(['a', 'b', 'c', '1', '0', '10', '2', '01', '-1', '4294967295', '4294967294']) + '"'])(); }
function ws() { return rnd() < 0.7 ? '' : pick([' ', '\n', '\t', '\r', '  \n ']); }
function randJson(d) {
  const r = rint(d > 3 ? 4 : 7);
  switch (r) {
    case 0: return randNum(); case 1: return randStr(); case 2: return pick(['true', 'false', 'null']);
    case 3: return pick(['[]', '{}', randNum()]);
    case 4: case 5: { const n = rint(4); const a = []; for (let i = 0; i < n; i++) a.push(ws() + randJson(d + 1) + ws()); return '[' + a.join(',') + ws() + ']'; }
    default: { const n = rint(4); const a = []; for (let i = 0; i < n; i++) a.push(ws() + randKey() + ws() + ':' + ws() + randJson(d + 1) + ws()); return '{' + a.join(',') + ws() + '}'; }
  }
}
const docs = ['{"a":1,"b":[true,null,"s"],"c":{"d":null},"e":1.5e2,"f":"\\u00e9\\n"}', '42', '"hi"', '[1, 2, 3]', 'null', 'true', ' \t\n\r[] ', '{"a":1,"a":2}',
  '{"b":1,"1":2,"a":3,"0":4}', '{"x":{"x":{"x":[[[]]]}}}', '-0', '1e400', '-1e400', '1E-400', '0.1', '123456789012345678901234567890', '"\\ud83d\\ude00"', '"\\ud800"',
  '{"\\ud800":1}', '"\\uD834\\uDD1E"', '"\u2028\u2029"', '"\\/"', '{"items":[{"id":1,"note":null},{"id":2,"tags":[null,"x"]}],"extra":null,"n":1.0}',
  '{oops', '[1,]', '', 'nope', '{', '[', '01', '1.', '.5', '+1', '-', '1e', '"\t"', "'a'", '[1 2]', '{"a" 1}', '{"a":1,}', 'NaN', '\ufeff1', '1 2', '"\\x"',
  '"\\u12"', '"\\u12g4"', 'tru', 'nul', 'falsey', '[1]]', '{"a":1}}', '"abc', '"\\', '"\\u', '-01', '1e+', '1.e5', '0x10', 'Infinity', '-Infinity', '[,1]', '{,}',
  '{"a":}', '{:1}', '{1:1}', '[1,,2]', '"\u0000"', '"\u007f"', '\u00a01', '1\u00a0', '[\n1\n,\n2\n]', '{"":""}', '[-]', '-a', '2.5e', '"a\nb"', 'truE', '[true false]'];
for (let i = 0; i < 250; i++) docs.push(randJson(0));
for (let i = 0; i < 250; i++) {
  let d = randJson(0);
  const m = rint(3); const p = rint(d.length + 1);
  const junk = pick([',', ']', '}', '"', ':', '\\', ' ', '0', '-', '.', 'e', 'x', '[', '{', 'n', '\u0001']);
  if (m === 0) d = d.slice(0, p) + d.slice(p + 1); else if (m === 1) d = d.slice(0, p) + junk + d.slice(p); else d = d.slice(0, p);
  docs.push(d);
}
emit('/// (JSON text, `Some(JSON.stringify(JSON.parse(text)))` with strings made well-formed, or `None` for a `SyntaxError`)');
emit('const JSON_DOCS: &[(&str, Option<&str>)] = &[');
const seen = new Set();
for (const d of docs) {
  if (seen.has(d) || !d.isWellFormed()) continue; seen.add(d);
  let r;
  try { r = rustStr(JSON.stringify(wfDeep(JSON.parse(d)))); r = `Some(${r})`; } catch (e) { if (!(e instanceof SyntaxError)) throw e; r = 'None'; }
  emit(`    (${rustStr(d)}, ${r}),`);
}
emit('];');
// JSON.stringify of strings
emit('const JSON_QUOTED: &[(&str, &str)] = &[');
const qs = ['', 'say "hi"', 'a\nb', 'c\td', 'x\\y', 'héllo 😀', '\u0001\u001f', 'a/b', '\r', '\u007f\u0080\u2028\u2029\ufeff', '\b\f\v\0'];
for (let c = 0; c < 0x20; c++) qs.push('<' + String.fromCharCode(c) + '>');
for (const s of qs) emit(`    (${rustStr(s)}, ${rustStr(JSON.stringify(s))}),`);
emit('];');
process.stdout.write(out.join('\n') + '\n');
