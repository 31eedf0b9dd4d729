#!/usr/bin/env bash
# Downloads 1 GiB from a local server with `kit http -o` and with `curl -o` in one hyperfine run,
# prints the throughput ratio, and measures kit's peak RSS.
#
#   bash bench/http.sh
#
# What it measures: wall time of a fresh process fetching http://127.0.0.1/bytes/1073741824 into
# a file on the same disk (start-up included), from bench/http_server.ts running in its own
# process. Throughput is 1 GiB over the median time.
# Where it is unfair: kit pays Deno's start-up (tens of ms, about 3% of a 1 GiB download at
# 1 GB/s); the server is a Deno program and caps both clients at its own speed, so a ratio near 1
# means "as fast as the server allows".
#
# Environment:
#   KIT            the command standing for `kit` (default: deno run --allow-all --quiet main.ts)
#   KIT_BENCH_OUT  where hyperfine's JSON and the downloaded files go (default: bench/out)
#   SIZE           bytes to download (default: 1073741824)
#
# Exit code: 2 when a tool is missing or the downloads differ in size, 0 otherwise. The targets
# (at least 0.8 of curl's throughput, peak RSS under 100 MB) print as PASS/FAIL.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${KIT_BENCH_OUT:-$ROOT/bench/out}"
SIZE="${SIZE:-1073741824}"
KIT="${KIT:-deno run --allow-all --quiet $ROOT/main.ts}"
export DENO_NO_UPDATE_CHECK=1 NO_COLOR=1
mkdir -p "$OUT"

for tool in deno hyperfine curl /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "http.sh: $tool is not installed" >&2; exit 2; }
done

# The server prints its address once it listens; read it rather than guessing a free port.
SERVER_LOG="$(mktemp)"
deno run --allow-net "$ROOT/bench/http_server.ts" 0 >"$SERVER_LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -f "$SERVER_LOG" "$OUT/http_kit.bin" "$OUT/http_curl.bin"' EXIT
for _ in $(seq 100); do
  grep -q listening "$SERVER_LOG" && break
  sleep 0.1
done
BASE="$(sed -n 's/^listening on //p' "$SERVER_LOG")"
[[ -n "$BASE" ]] || { echo "http.sh: the server did not start" >&2; cat "$SERVER_LOG" >&2; exit 2; }
URL="$BASE/bytes/$SIZE"

hyperfine --warmup 1 --runs 7 --export-json "$OUT/http.json" \
  -n "kit http -o" "$KIT http --output '$OUT/http_kit.bin' '$URL'" \
  -n "curl -o" "curl -s -o '$OUT/http_curl.bin' '$URL'"

kit_size="$(stat -c %s "$OUT/http_kit.bin")"
curl_size="$(stat -c %s "$OUT/http_curl.bin")"
if [[ "$kit_size" != "$SIZE" || "$curl_size" != "$SIZE" ]]; then
  echo "http.sh: sizes differ: kit $kit_size, curl $curl_size, expected $SIZE" >&2
  exit 2
fi

# Peak RSS in KiB of one more download each, through GNU time.
rss() { /usr/bin/time -f %M bash -c "$1 >/dev/null" 2>&1 | tail -1; }
kit_rss="$(rss "$KIT http --output '$OUT/http_kit.bin' '$URL'")"
curl_rss="$(rss "curl -s -o '$OUT/http_curl.bin' '$URL'")"

deno eval '
const [file, size, kitRss, curlRss] = Deno.args;
const results = JSON.parse(Deno.readTextFileSync(file)).results;
const median = (name) => results.find((r) => r.command === name).median;
const kit = median("kit http -o");
const curl = median("curl -o");
const mbps = (s) => (Number(size) / s / 1e6).toFixed(0);
const ratio = curl / kit;
console.log();
console.log(`| client      | median s | MB/s  | peak RSS MB |`);
console.log(`|-------------|----------|-------|-------------|`);
console.log(`| kit http -o | ${kit.toFixed(3)}    | ${mbps(kit)} | ${(kitRss / 1024).toFixed(1)} |`);
console.log(`| curl -o     | ${curl.toFixed(3)}    | ${mbps(curl)} | ${(curlRss / 1024).toFixed(1)} |`);
console.log();
console.log(`kit/curl throughput: ${ratio.toFixed(2)} (target >= 0.8: ${ratio >= 0.8 ? "PASS" : "FAIL"})`);
console.log(`kit peak RSS: ${(kitRss / 1024).toFixed(1)} MB (target < 100 MB: ${kitRss / 1024 < 100 ? "PASS" : "FAIL"})`);
' "$OUT/http.json" "$SIZE" "$kit_rss" "$curl_rss"
