// The zigttp side of the WebSocket echo benchmark (server/benches/ws/run.sh).
import { send } from "zigttp:websocket";

export function handler(req: Request): Response {
  return Response.text("websocket echo\n");
}

export function onMessage(ws: number, data: string, room: string): void {
  send(ws, data);
}
