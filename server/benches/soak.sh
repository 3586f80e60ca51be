#!/usr/bin/env bash
# Soak test of the release `zigttp` binary (issue 6): at least 1 million
# requests at 256 keep-alive connections with wrk, zero errors, and an RSS
# that stops growing. Not part of `cargo test` or CI (it needs wrk and a
# minute of both cores); run it by hand:
#
#   apt-get install -y wrk            # once
#   bash server/benches/soak.sh       # ROUNDS=6 ROUND_SECS=10 CONNS=256 by default
#
# Environment: ROUNDS, ROUND_SECS, CONNS, WORKERS (server threads, default 1),
# THREADS (wrk threads, default 1), ACCESS_LOG=1 (access log on, to a file),
# MIN_REQUESTS (default 1000000), RSS_SLACK_KIB (allowed growth over the second
# half of the rounds, default 1024), ZIGTTP_BIN (default target/release/zigttp).
# Exit status 0 only if every check passes. Traffic goes to 127.0.0.1 only,
# and every wrk run is bounded by ROUND_SECS.
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${ROUNDS:-6}
ROUND_SECS=${ROUND_SECS:-10}
CONNS=${CONNS:-256}
WORKERS=${WORKERS:-1}
THREADS=${THREADS:-1}
MIN_REQUESTS=${MIN_REQUESTS:-1000000}
RSS_SLACK_KIB=${RSS_SLACK_KIB:-1024}
BIN=${ZIGTTP_BIN:-target/release/zigttp}

if ! command -v wrk >/dev/null; then
    echo "soak: wrk is not installed (apt-get install -y wrk)" >&2
    exit 2
fi
if [[ ! -x $BIN ]]; then
    cargo build --release --bin zigttp
fi

work=$(mktemp -d)
server_pid=
cleanup() {
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -KILL "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

log_args=(--quiet)
if [[ ${ACCESS_LOG:-0} == 1 ]]; then
    log_args=(--access-log stderr)
fi
"$BIN" serve examples/hello.ts --port 0 --workers "$WORKERS" "${log_args[@]}" \
    >"$work/stdout" 2>"$work/stderr" &
server_pid=$!
for _ in $(seq 100); do
    [[ -s $work/stdout ]] && break
    sleep 0.1
done
addr=$(sed -n 's|^zigttp listening on http://||p' "$work/stdout" | head -1)
if [[ -z $addr ]]; then
    echo "soak: the server did not start" >&2
    cat "$work/stderr" >&2
    exit 1
fi
url="http://$addr/"

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status"; }

echo "soak: $BIN (pid $server_pid, $WORKERS worker(s)) at $url"
echo "soak: $ROUNDS rounds of ${ROUND_SECS}s, $CONNS connections, $THREADS wrk thread(s)"
rss_start=$(rss_kib)
# Warm-up: let buffers, arenas and the allocator reach their working size.
wrk -t"$THREADS" -c"$CONNS" -d2s "$url" >/dev/null
rss_warm=$(rss_kib)
echo "soak: RSS at start ${rss_start} KiB, after warm-up ${rss_warm} KiB"

total=0
errors=0
elapsed=0
declare -a rss
for round in $(seq "$ROUNDS"); do
    wrk -t"$THREADS" -c"$CONNS" -d"${ROUND_SECS}s" --timeout 5s "$url" >"$work/round"
    requests=$(awk '/requests in/ {print $1}' "$work/round")
    secs=$(awk '/requests in/ {gsub(/s,?$/, "", $4); print $4}' "$work/round")
    socket=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$work/round")
    non2xx=$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$work/round")
    rps=$(awk '/Requests\/sec:/ {print $2}' "$work/round")
    lat=$(awk '/Latency/ && !/Distribution/ {print $2 " avg, max " $4}' "$work/round")
    round_errors=$(( ${socket:-0} + ${non2xx:-0} ))
    total=$((total + requests))
    errors=$((errors + round_errors))
    elapsed=$(awk -v a="$elapsed" -v b="$secs" 'BEGIN {print a + b}')
    rss[$round]=$(rss_kib)
    printf 'soak: round %d: %d requests, %s req/s, latency %s, errors %d, RSS %s KiB\n' \
        "$round" "$requests" "$rps" "$lat" "$round_errors" "${rss[$round]}"
done

metrics=$(curl -s "http://$addr/metrics" 2>/dev/null || true)
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=

half=$(( (ROUNDS + 1) / 2 ))
rss_mid=${rss[$half]}
rss_end=${rss[$ROUNDS]}
growth=$((rss_end - rss_mid))
rate=$(awk -v n="$total" -v s="$elapsed" 'BEGIN {printf "%.0f", n / s}')
echo "soak: total $total requests in ${elapsed}s ($rate req/s), $CONNS connections, $errors errors"
echo "soak: RSS start ${rss_start} KiB, after warm-up ${rss_warm} KiB, round $half ${rss_mid} KiB, end ${rss_end} KiB (growth over the second half: ${growth} KiB)"
if [[ -n $metrics ]]; then
    echo "$metrics" | grep -E '^zigttp_http_requests_by_class_total|^zigttp_arena_bytes_high_water|^zigttp_arena_audit_failures_total' |
        sed 's/^/soak: metrics: /'
fi
echo "soak: server exit status after SIGTERM: $status"

ok=1
if ((total < MIN_REQUESTS)); then
    echo "soak: FAIL: fewer than $MIN_REQUESTS requests" >&2
    ok=0
fi
if ((errors != 0)); then
    echo "soak: FAIL: $errors errors" >&2
    ok=0
fi
if ((growth > RSS_SLACK_KIB)); then
    echo "soak: FAIL: RSS grew ${growth} KiB over the second half (allowed ${RSS_SLACK_KIB} KiB)" >&2
    ok=0
fi
if ((status != 0)); then
    echo "soak: FAIL: exit status $status after SIGTERM" >&2
    ok=0
fi
if ((ok)); then
    echo "soak: PASS"
else
    exit 1
fi
