// Closures: per-iteration bindings in for...of, counters, factories,
// hoisting, default and rest parameters, recursion.
function main() {
  const fs = [];
  for (const i of range(5)) {
    const sq = i * i;
    fs.push(() => i + sq);
  }
  console.log(fs.map((f) => f()).join(","));
  const gs = [];
  for (const x of ["a", "b", "c"]) {
    let count = 0;
    gs.push(() => {
      count = count + 1;
      return `${x}${count}`;
    });
  }
  console.log(gs[0](), gs[0](), gs[1](), gs[2](), gs[0]());
  let shared = 0;
  const incs = [];
  for (const k of range(1, 4)) {
    incs.push(() => {
      shared = shared + k;
      return shared;
    });
  }
  console.log(incs.map((f) => f()).join(","), shared);
  const make = (step) => {
    let n = 0;
    return () => {
      n = n + step;
      return n;
    };
  };
  const a = make(2);
  const b = make(10);
  console.log(a(), a(), b(), a(), b());
  console.log(hoisted(4), fact(10), fib(20));
  function hoisted(v) {
    return v * 2;
  }
  const withDefaults = (p, q = p * 2, r = q + 1) => `${p},${q},${r}`;
  console.log(withDefaults(1), withDefaults(1, 5), withDefaults(1, undefined, 0), withDefaults(1, 0));
  const rest = (first, ...others) => `${first}|${others.length}|${others.join("+")}`;
  console.log(rest(1), rest(1, 2, 3), rest(...[4, 5, 6]));
  const compose = (...fns) => (v) => fns.reduce((acc, f) => f(acc), v);
  console.log(compose((v) => v + 1, (v) => v * 3, String)(4));
  const adders = [1, 2, 3].map((n) => (m) => n + m);
  console.log(adders.map((f) => f(10)));
  const late = [];
  for (const i of range(3)) {
    let x = i;
    late.push(() => x);
    x = x * 10;
  }
  console.log(late.map((f) => f()).join(","));
  const shadow = 1;
  const inner = () => {
    const shadow = 2;
    return shadow;
  };
  if (shadow === 1) {
    const shadow = 3;
    console.log(shadow, inner());
  }
  console.log(shadow);
}
function fact(n) {
  return n <= 1 ? 1 : n * fact(n - 1);
}
function fib(n) {
  if (n < 2) {
    return n;
  }
  return fib(n - 1) + fib(n - 2);
}
main();
