// String methods with JS semantics (UTF-16 indices; BMP text here, astral
// text in strings-utf16.js).
function main() {
  const s = "Hello, Wörld";
  console.log(s.length, s.slice(-5), s.slice(3, -2), s.slice(8, 2), s.substring(8, 2), s.substring(-3));
  console.log(s.at(0), s.at(-1), s.at(99), s.charAt(99) === "", s[4], s[99], s.charCodeAt(8), s.charCodeAt(99));
  console.log(s.indexOf("o"), s.indexOf("o", 5), s.lastIndexOf("o"), s.indexOf(""), s.indexOf("", 99), s.lastIndexOf(""));
  console.log(s.includes("Wö"), s.startsWith("Hell"), s.startsWith("W", 7), s.endsWith("Hello", 5));
  console.log("abc".padStart(8, "12"), "abc".padEnd(8, "xyz"), "abc".padStart(2), "abc".padStart(6), "a".padEnd(4, ""));
  console.log("ab".repeat(3), "x".repeat(0), "".repeat(5), "-".repeat(10));
  console.log("a-b-c".split("-"), "a-b-c".split("-", 2), "abc".split(""), "".split(","), "".split(""), "a,,b,".split(","));
  console.log("héllo".split("l"), "aaa".split("a"), "a b  c".split(" "), "abc".split("abc"), "abc".split("x"));
  console.log("a.b.c".replace(".", "!"), "a.b.c".replaceAll(".", "!"), "abc".replaceAll("", "-"), "abc".replace("", "-"));
  console.log("xax".replace("a", "[$&]"), "xax".replace("a", "$$"), "xax".replace("a", "$`|$'"), "xax".replaceAll("x", "$&$&"));
  console.log("x".replace("x", "$1"), "x".replace("x", "$"), "x".replace("x", "$<n>"));
  console.log(JSON.stringify(" \t\n\u00a0\ufeff\u2028\u3000x\u00a0 ".trim()), JSON.stringify(" x ".trimStart()), JSON.stringify(" x ".trimEnd()));
  console.log("straße".toUpperCase(), "ﬁne".toUpperCase(), "ABC Σ".toLowerCase(), "ΣΑΣ ΟΔΟΣ X".toLowerCase(), "İX".toLowerCase().length);
  console.log("a" < "b", "B" < "a", "10" < "9", "abc" < "abd", "" < "a", "é" > "z", "Z" < "a");
  console.log("abc".concat("d", 1, true), `${[1, [2, 3]]}`, `${undefined}`, `${true}${false}`, `${-0}`, `${[]}`);
  console.log(String.fromCharCode(72, 105, 0x20ac), "€".charCodeAt(0), "é".codePointAt(0), "\u0041\u030a".length);
  console.log([..."héllo"].reverse().join(""), Array.from("abc").join("|"), [..."ab"].map((c) => c.toUpperCase()));
  let built = "";
  for (const ch of "wörld") {
    built = `${ch}${built}`;
  }
  console.log(built, typeof built, typeof 1, typeof true, typeof undefined, typeof {}, typeof [], typeof main);
}
main();
