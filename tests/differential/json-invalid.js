// JSON.parse of invalid text: JS throws a SyntaxError; the profile has no
// exceptions and returns undefined (DESIGN.md section 10).
function main() {
  console.log(JSON.parse("[1,]"), JSON.parse("{a:1}"), JSON.parse(""), JSON.parse("'x'"), JSON.parse("01"));
}
main();
