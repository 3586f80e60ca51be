// Holes: writing past the end leaves holes, which callbacks skip and which
// read as undefined.
function main() {
  const a = [1];
  a[3] = 4;
  console.log(a.length, JSON.stringify(a), Object.keys(a), 1 in a, 3 in a);
  let calls = 0;
  a.forEach(() => {
    calls = calls + 1;
  });
  console.log(calls, JSON.stringify(a.map((x, i) => i)), a.filter(() => true).length);
  console.log(JSON.stringify([1, , 3]), [1, , 3].length, Object.keys([1, , 3]), [1, , 3].indexOf(undefined));
  console.log([1, , 3].includes(undefined), [1, , 3].every((x) => x > 0), [, "b"].join("-"));
}
main();
