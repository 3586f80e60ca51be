#!/usr/bin/env bash
# Builds the seed corpora of the three fuzz targets (idempotent: rerunning
# rewrites the same files, and leaves whatever the fuzzer added alone).
#
#   fuzz/corpus/verify/  compiled bundles (.zbc) of the conformance handlers
#                        and the repo's examples/fixtures, via release `zigts`
#   fuzz/corpus/parse/   the .ts/.tsx sources, their lib/ modules, the reject/
#                        programs, and multi-file inputs (`//@file` sections,
#                        see fuzz_targets/parse.rs) for programs with imports
#   fuzz/corpus/http/    raw HTTP/1.x requests: valid, pipelined, chunked,
#                        smuggling attempts, oversized
#
# Usage: fuzz/seed.sh   (from anywhere; builds target/release/zigts if missing)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
corpus="$root/fuzz/corpus"
mkdir -p "$corpus/verify" "$corpus/parse" "$corpus/http"

zigts="$root/target/release/zigts"
if [ ! -x "$zigts" ]; then
  echo "seed: building release zigts"
  cargo build --release --locked --bin zigts
fi

conformance="$root/../shared/conformance"
sources=()
rejects=()
if [ -d "$conformance/run" ]; then
  sources+=("$conformance"/run/*.ts "$conformance"/run/*.tsx)
  rejects+=("$conformance"/reject/*.ts)
else
  echo "seed: $conformance is missing; using the repo-local examples only"
fi
sources+=("$root"/examples/*.ts "$root"/tests/fixtures/run/*.ts)

# ------------------------------------------------------------------ verify ---
compiled=0
failed=0
for src in "${sources[@]}"; do
  [ -f "$src" ] || continue
  base="$(basename "$src")"
  out="$corpus/verify/${base%.*}.zbc"
  if "$zigts" compile "$src" -o "$out" 2>/dev/null; then
    compiled=$((compiled + 1))
  else
    echo "seed: $src does not compile (skipped)"
    failed=$((failed + 1))
  fi
done

# ------------------------------------------------------------------- parse ---
copied=0
for src in "${sources[@]}" "${rejects[@]}"; do
  [ -f "$src" ] || continue
  case "$src" in
    */reject/*) name="reject-$(basename "$src")" ;;
    *) name="$(basename "$src")" ;;
  esac
  cp "$src" "$corpus/parse/$name"
  copied=$((copied + 1))
  # A program with relative imports: one input holding it and its modules.
  dir="$(dirname "$src")"
  if grep -q 'from "\./lib/' "$src" && [ -d "$dir/lib" ]; then
    {
      cat "$src"
      for lib in "$dir"/lib/*.ts; do
        printf '\n//@file lib/%s\n' "$(basename "$lib")"
        cat "$lib"
      done
    } > "$corpus/parse/multi-$name"
    copied=$((copied + 1))
  fi
done
if [ -d "$conformance/run/lib" ]; then
  for lib in "$conformance"/run/lib/*.ts; do
    cp "$lib" "$corpus/parse/lib-$(basename "$lib")"
    copied=$((copied + 1))
  done
fi
# An import cycle and a missing export, in the multi-file format.
printf '%s\n' 'import { b } from "./b.ts";' \
  'export function handler(req: Request): Response { return Response.text(b()); }' \
  '//@file b.ts' 'import { handler } from "./fuzz.ts";' \
  'export function b(): string { return "b"; }' > "$corpus/parse/multi-cycle.ts"
printf '%s\n' 'import { nope } from "./m.ts";' \
  'export function handler(req: Request): Response { return Response.text(nope); }' \
  '//@file m.ts' 'export const yes = 1;' > "$corpus/parse/multi-missing-export.ts"
copied=$((copied + 2))

# -------------------------------------------------------------------- http ---
http=0
req() { # req NAME PRINTF-FORMAT [ARGS...]: one raw request file
  local name="$1"
  shift
  # shellcheck disable=SC2059
  printf "$@" > "$corpus/http/$name"
  http=$((http + 1))
}
rep() { # rep N CHAR: CHAR repeated N times
  head -c "$1" /dev/zero | tr '\0' "$2"
}

# Valid requests.
req get-min 'GET / HTTP/1.1\r\nHost: a\r\n\r\n'
req get-query 'GET /hi?x=1&y=%%20z HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nUser-Agent: seed\r\n\r\n'
req get-http10 'GET / HTTP/1.0\r\n\r\n'
req get-http10-keepalive 'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n'
req get-close 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'
req get-conn-list 'GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, close ,keep-alive\r\n\r\n'
req get-absolute 'GET http://example.com/a/b?c HTTP/1.1\r\nHost: example.com\r\n\r\n'
req options-star 'OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n'
req head-req 'HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n'
req leading-crlf '\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n'
req post-length 'POST /api/items HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{"name":"x"}\n'
req post-length-zero 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n'
req post-expect 'PUT /u HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello'
req post-partial-body 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly a little'
req chunked 'POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n'
req chunked-ext-trailers 'POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n1A;name="v"\r\nabcdefghijklmnopqrstuvwxyz\r\n3 ;x\r\nabc\r\n0\r\nX-Trailer: t\r\nY: u\r\n\r\n'
req chunked-partial 'POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc'
req headers-odd 'GET / HTTP/1.1\r\nHost: a\r\nX-Empty:\r\nX-Tab:\tv\t\r\nX-Utf8: caf\xc3\xa9\r\nCookie: a=1; b=2\r\n\r\n'

# Pipelined.
req pipelined-gets 'GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n'
req pipelined-mixed 'POST /a HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabcPOST /b HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\nGET /c HTTP/1.0\r\n\r\n'
req pipelined-partial 'GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTT'

# Smuggling attempts and malformed framing (all must be refused).
req smuggle-cl-te 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG'
req smuggle-te-cl 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n8\r\nSMUGGLED\r\n0\r\n\r\n'
req smuggle-cl-dup 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!'
req smuggle-cl-list 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello'
req smuggle-cl-sign 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\nhello'
req smuggle-cl-huge 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999999\r\n\r\n'
req smuggle-te-list 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n'
req smuggle-te-dup 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
req smuggle-te-http10 'POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
req smuggle-te-unknown 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n'
req smuggle-te-space 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n'
req smuggle-obs-fold 'GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n'
req smuggle-bare-lf 'GET / HTTP/1.1\nHost: a\n\n'
req smuggle-bare-cr 'GET / HTTP/1.1\rHost: a\r\n\r\n'
req smuggle-host-dup 'GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n'
req smuggle-chunk-ws 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5 \r\nhello\r\n0\r\n\r\n'
req smuggle-chunk-0x 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0x5\r\nhello\r\n0\r\n\r\n'
req smuggle-chunk-lf 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\nhello\n0\n\n'
req smuggle-chunk-nocrlf 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n'
req smuggle-chunk-overflow 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n'
req smuggle-trailer-lf 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\n\r\n'
req bad-version 'GET / HTTP/2.0\r\nHost: a\r\n\r\n'
req bad-version-garbage 'GET / FTP/1.1\r\nHost: a\r\n\r\n'
req bad-target 'GET example.com HTTP/1.1\r\nHost: a\r\n\r\n'
req bad-connect 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n'
req bad-method 'G(T / HTTP/1.1\r\nHost: a\r\n\r\n'
req bad-header-name 'GET / HTTP/1.1\r\nHo st: a\r\n\r\n'
req bad-header-ctl 'GET / HTTP/1.1\r\nHost: a\x01b\r\n\r\n'
req binary-garbage '\x00\xff\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03'

# Oversized (each over a default limit).
req big-target 'GET /%s HTTP/1.1\r\nHost: a\r\n\r\n' "$(rep 8200 a)"
req big-head 'GET / HTTP/1.1\r\nHost: a\r\nX-Big: %s\r\n\r\n' "$(rep 16400 b)"
req big-headers 'GET / HTTP/1.1\r\n%s\r\n' "$(for i in $(seq 1 70); do printf 'X-H%s: v\r\n' "$i"; done)"
req big-body-cl 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1048577\r\n\r\nabc'
req big-chunk 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n100001\r\nabc'
req big-chunk-ext 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;%s\r\na\r\n0\r\n\r\n' "$(rep 4100 e)"

echo "seed: verify $compiled bundles ($failed sources skipped), parse $copied sources, http $http requests"
echo "seed: corpus in $corpus"
