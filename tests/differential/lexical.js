// Literal syntax: number forms, string and template escapes, identifiers,
// comments, operator precedence and associativity.
function main() {
  console.log(0.5e-3, 1E3, .5, 5., 0X1F, 0B11, 0O7, 0x1f, 1_000_000, 0.000_1, 1e+2, 1e-0, 0.0);
  console.log(1..toString(), 1.0.toFixed(1), (1).toString(), 2 ** 3 ** 2, (-2) ** 2, -(2 ** 2), 2 ** -1);
  console.log(1 + 2 * 3 ** 2, (1 + 2) * 3, 10 - 4 - 3, 100 / 10 / 5, 7 % 4 % 3, 1 < 2 === true, 1 + -1, - -1);
  console.log("\x41\x62", "\u0041", "\u{1F600}", "\u{41}", "a\0b".length, "\v\b\f".length, "tab\tend", 'it\'s', "q\"q");
  console.log("line1\
line2", `multi
line`, `\`tick\``, `\${not}`, `${"nested " + `inner ${1 + 1}`}`, `a${""}b`, `${1}${2}`);
  const café = 1;
  const $ = 2;
  const _ = 3;
  const ünï = 4;
  console.log(café + $ + _ + ünï); // trailing comment
  /* block
     comment */
  console.log(/* inline */ "after comments");
  const o = { if: 1, class: 2, new: 3, null: 4, return: 5, "quoted key": 6, 7: 7 };
  console.log(o.if, o.class, o.new, o.null, o.return, o["quoted key"], o[7], JSON.stringify(o));
  console.log(typeof typeof 1, !!!0, void "x", -"3", +"", +[], 0 in [1], "length" in [], 2 in [1, 2]);
}
main();
