// UTF-16 semantics with astral characters kept whole (lengths count code
// units; for...of and spread go by code point).
function main() {
  const e = "a😀b";
  console.log(e.length, [...e].length, e.indexOf("b"), e.lastIndexOf("😀"), e.includes("😀"));
  console.log(e.codePointAt(1), e.charCodeAt(1), e.charCodeAt(2), e.codePointAt(2), e.at(3));
  console.log("👨‍👩‍👧".length, [..."👨‍👩‍👧"].length, "👍🏽".length, "🇩🇪".length, "€😀".codePointAt(1));
  console.log(e.slice(1, 3), e.slice(0, 1), e.slice(3), e.substring(1, 3) === "😀", e.split("😀"));
  console.log(e.toUpperCase(), "😀".repeat(3).length, "😀".padStart(5, "-"), "x".padEnd(5, "😀").length);
  console.log(JSON.stringify(e), JSON.stringify({ [e]: e }), JSON.parse('"\\ud83d\\ude00"') === "😀");
  console.log(String.fromCharCode(0xd83d, 0xde00), String.fromCharCode(0xd83d, 0xde00).length);
  let n = 0;
  const parts = [];
  for (const ch of "x😀y🎉") {
    n = n + 1;
    parts.push(`${ch}:${ch.length}`);
  }
  console.log(n, parts.join(" "), [..."😀🎉"].reverse().join(""), "😀🎉".split("").length);
  console.log("a😀b".replaceAll("😀", "-"), "😀" < "\uffff", "😀" > "\ud7ff", ["😀", "z", "é"].sort());
}
main();
