#!/usr/bin/env bash
# WebSocket echo, messages/s side by side: zigttp, Bun, Deno, measured with
# the same client (benches/ws_echo.rs) in interleaved rounds. Run from the
# repository root after `cargo build --release`:
#   bash server/benches/ws/run.sh [CONNECTIONS=50] [SECONDS=5] [ROUNDS=3]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
conns="${1:-50}"; secs="${2:-5}"; rounds="${3:-3}"
peers="${PEERS_DIR:-$HOME/.cache/zigttp-bench/bin}"
cargo build --release -q -p zigttp --bench ws_echo 2>/dev/null || true
client="$(ls -t target/release/deps/ws_echo-* 2>/dev/null | grep -v '\.d$' | head -1)"
[ -x "$client" ] || { echo "ws_echo client not built" >&2; exit 1; }

start() { # name port command...
  local name="$1" port="$2"; shift 2
  "$@" >/dev/null 2>&1 &
  echo $! > "/tmp/ws-bench-$name.pid"
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "$name did not start" >&2; return 1
}
stop() { kill "$(cat "/tmp/ws-bench-$1.pid")" 2>/dev/null || true; wait "$(cat "/tmp/ws-bench-$1.pid")" 2>/dev/null || true; }

for round in $(seq "$rounds"); do
  for name in zigttp bun deno; do
    case "$name" in
      zigttp) start zigttp 8090 ./target/release/zigttp serve "$here/echo.ts" --port 8090 --quiet --workers 1 ;;
      bun) [ -x "$peers/bun" ] || continue; start bun 8091 "$peers/bun" "$here/bun-echo.js" 8091 ;;
      deno) [ -x "$peers/deno" ] || continue; start deno 8092 "$peers/deno" run --allow-net "$here/deno-echo.js" 8092 ;;
    esac
    case "$name" in zigttp) port=8090;; bun) port=8091;; deno) port=8092;; esac
    printf 'round %s %-7s ' "$round" "$name"
    "$client" "ws://127.0.0.1:$port/echo" "$conns" "$secs"
    stop "$name"
  done
done
