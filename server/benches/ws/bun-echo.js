// Bun peer of echo.ts: a WebSocket echo on 127.0.0.1. Port: first argument.
const port = Number(Bun.argv[2] || 8091);
Bun.serve({
  hostname: "127.0.0.1",
  port,
  fetch(req, server) {
    if (server.upgrade(req)) return;
    return new Response("websocket echo\n");
  },
  websocket: {
    message(ws, data) {
      ws.send(data);
    },
  },
});
console.log(`listening on ${port}`);
