// Deno peer of echo.ts: a WebSocket echo on 127.0.0.1. Port: first argument.
const port = Number(Deno.args[0] || 8092);
Deno.serve({ hostname: "127.0.0.1", port, onListen() { console.log(`listening on ${port}`); } }, (req) => {
  if (req.headers.get("upgrade") !== "websocket") {
    return new Response("websocket echo\n");
  }
  const { socket, response } = Deno.upgradeWebSocket(req);
  socket.onmessage = (e) => socket.send(e.data);
  return response;
});
