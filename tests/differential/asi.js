// Automatic semicolon insertion, as TypeScript and JS parse it.
function main() {
  const a = 1
  const b = 2
  let c = a + b
  c = c * 2
  console.log(a, b, c)
  const f = () => {
    return 5
  }
  console.log(f())
  const arr = [1, 2, 3]
  for (const x of arr) {
    console.log(x)
  }
  if (c > 1) console.log("short if")
  else console.log("short else")
}
main()
