// The example handler served by the README's first command:
//   cargo run --release --bin zigttp -- serve examples/hello.ts
// then open http://127.0.0.1:3000/ or http://127.0.0.1:3000/hello/you

function greeting(name: string): string {
  return `Hello, ${name}!`;
}

export function handler(req: Request): Response {
  if (req.path === "/") {
    return Response.text(greeting("zigttp"));
  }
  if (req.path.startsWith("/hello/")) {
    const name = req.path.slice("/hello/".length);
    return Response.json({ message: greeting(name), method: req.method });
  }
  return Response.json({ error: "not found", path: req.path }, { status: 404 });
}
