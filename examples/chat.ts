// A WebSocket chat: every socket that connects to the same path is in the
// same room. Try it with any WebSocket client, e.g.
//   zigttp serve examples/chat.ts
//   websocat ws://127.0.0.1:3000/lobby     (in two terminals)
// Messages are broadcast to the room as "name: text"; "/nick NAME" renames.
// Each callback runs in a fresh arena: the name lives in the socket's
// attachment, not in a variable.
import {
  send,
  close,
  getWebSockets,
  serializeAttachment,
  deserializeAttachment,
} from "zigttp:websocket";

function nameOf(ws: number): string {
  return deserializeAttachment(ws) ?? `guest-${ws}`;
}

function broadcast(room: string, text: string): void {
  for (const peer of getWebSockets(room)) {
    send(peer, text);
  }
}

export function handler(req: Request): Response {
  return Response.text(`Connect a WebSocket client to ws://<host>${req.path} to chat in room ${req.path}\n`);
}

export function onOpen(ws: number, room: string): void {
  serializeAttachment(ws, `guest-${ws}`);
  broadcast(room, `* ${nameOf(ws)} joined ${room}`);
}

export function onMessage(ws: number, data: string, room: string): void {
  if (data.startsWith("/nick ")) {
    const name = data.slice(6).trim();
    if (name.length === 0 || name.length > 32) {
      send(ws, "* a name has 1 to 32 characters");
      return;
    }
    const old = nameOf(ws);
    serializeAttachment(ws, name);
    broadcast(room, `* ${old} is now ${name}`);
    return;
  }
  if (data === "/quit") {
    close(ws, 1000, "bye");
    return;
  }
  broadcast(room, `${nameOf(ws)}: ${data}`);
}

export function onClose(ws: number, code: number, reason: string): void {
  console.log(`socket ${ws} closed with ${code} ${reason}`);
}
