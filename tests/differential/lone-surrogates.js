// Lone UTF-16 surrogates: JS keeps them; the VM stores UTF-8 and turns them
// into U+FFFD when they are made.
function main() {
  const e = "a😀b";
  const hi = e.slice(1, 2);
  console.log(hi.charCodeAt(0), (hi + e.slice(2, 3)).length, hi + e.slice(2, 3) === "😀");
  console.log(JSON.stringify(hi), JSON.stringify(e.split("")), String.fromCharCode(0xd83d).charCodeAt(0));
  console.log(e.split("").join("") === e, [...e.split("")].length);
}
main();
