// Array methods with their JS edge cases.
function main() {
  const a = [5, 1, 4, 2, 3];
  console.log(a.slice(-2), a.slice(1, -1), a.slice(10), a.concat([6], 7, [[8]]), a.includes(4), a.indexOf(9));
  console.log(a.at(-1), a.at(10), a.find((x) => x > 3), a.findIndex((x) => x > 3), a.findLast((x) => x < 3), a.findLastIndex((x) => x > 9));
  console.log(a.some((x) => x > 4), a.every((x) => x > 0), a.filter((x, i) => i % 2 === 0), a.map((x, i) => x * i));
  console.log(a.reduce((acc, x) => acc + x), a.reduce((acc, x) => acc + x, 10), a.reduceRight((acc, x) => `${acc}${x}`, ""));
  console.log([1, [2, [3, [4, [5]]]]].flat(), [1, [2, [3, [4]]]].flat(2), [1, [2, [3, [4]]]].flat(Infinity), [[]].flat());
  console.log([1, 2].flatMap((x) => [x, [x * 10]]), ["a b", "c"].flatMap((s) => s.split(" ")));
  console.log([1, 2, 3].join(), [1, 2, 3].join(""), [1, 2, 3].join(" - "), [].join(), [undefined, 1].join("|"));
  console.log([3, 2, 1].reverse(), [1, 2, 3].fill(0), [1, 2, 3, 4].fill(9, 1, 3), Array.of(7, 8), Array.from([1, 2], (x) => x * 2));
  console.log(Array.isArray([]), Array.isArray("a"), [1, 2, 3].lastIndexOf(3), [NaN].includes(NaN), [NaN].indexOf(NaN));
  const b = [1, 2, 3];
  const pushed = b.push(4, 5);
  const popped = b.pop();
  const shifted = b.shift();
  const un = b.unshift(0);
  console.log(pushed, popped, shifted, un, b);
  const c = [1, 2, 3, 4, 5];
  const removed = c.splice(1, 2, "x", "y", "z");
  console.log(removed, c, c.length);
  console.log([1, 2, 3].toString(), String([1, [2, 3]]), `${[4, 5]}`, [..."ab", ...[1, 2]], [...range(2, 8, 2)]);
  const nested = [[1, 2], [3]];
  const copy = [...nested];
  copy[0].push(9);
  console.log(JSON.stringify(nested), copy.length, [1, 2, 3].map(String), ["1", "2", "3"].map(Number));
  let count = 0;
  [4, 5, 6].forEach((x, i) => {
    count = count + x * i;
  });
  console.log(count);
}
main();
