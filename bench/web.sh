#!/usr/bin/env bash
# kit web end to end with wrk on loopback, all in one run: plaintext (`/`), JSON (`/json`) and a
# two-param route among 100 routes, for kit web on kit's own engine, kit web on Deno.serve,
# Hono on Deno.serve and a bare Deno.serve handler.
#
#   bash bench/web.sh
#
# What it measures: requests per second and p99 latency of keep-alive HTTP/1.1 GETs from wrk
# (1 thread, $CONNS connections), the median of $ROUNDS interleaved runs of $DURATION seconds
# after a 1 s warm-up, each server in its own process (bench/web_server.ts). Each case's answer
# is checked with curl first, and wrk's non-2xx count must be zero, so a fast wrong server is
# caught. Beside each figure it prints the server's CPU time per request (user + system, from
# /proc), which moves much less than requests per second when other work shares the machine.
# Where it is unfair: server and wrk share the machine's cores, so the figures are a ratio test
# rather than a capacity figure; Deno.serve's HTTP stack is Rust (hyper) while kit's engine is
# TypeScript, which is why its target is a ratio of bare Deno.serve.
#
# Environment:
#   DURATION  seconds per run (default 3)
#   ROUNDS    interleaved runs per server and case; the median is reported (default 3)
#   CONNS     wrk connections (default 64)
#
# Exit code: 2 when a tool is missing, a server does not start or answers wrongly; 0 otherwise.
# The targets (kit web on Deno.serve >= 1.0x Hono; kit's engine >= 0.6x bare Deno.serve) print
# as PASS/FAIL.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${DURATION:-3}"
ROUNDS="${ROUNDS:-3}"
CONNS="${CONNS:-64}"
export DENO_NO_UPDATE_CHECK=1 NO_COLOR=1

for tool in deno wrk curl; do
  command -v "$tool" >/dev/null || { echo "web.sh: $tool is not installed" >&2; exit 2; }
done
deno cache --quiet "$ROOT/bench/web_server.ts"

PARAM_PATH="/api/v2/res98/1234/items/abc"
declare -A EXPECT=(
  [plaintext]="Hello, World!"
  [json]='{"message":"Hello, World!"}'
  [params]='{"id":"1234","item":"abc"}'
)
declare -A PATHS=([plaintext]="/" [json]="/json" [params]="$PARAM_PATH")
CASES=(plaintext json params)
KINDS=(kit-kit kit-deno hono bare)
declare -A RPS P99 CPU
TICKS="$(getconf CLK_TCK)"
# A process's CPU time so far (user + system), in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# All four servers run at once and the measurements interleave (round by round, kind by kind),
# so a change in the machine's background load hits every kind alike instead of one of them.
declare -A BASE PIDS
LOGDIR="$(mktemp -d)"
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$LOGDIR"' EXIT
for kind in "${KINDS[@]}"; do
  deno run --allow-all "$ROOT/bench/web_server.ts" "$kind" 0 >"$LOGDIR/$kind" 2>&1 &
  PIDS[$kind]=$!
done
for kind in "${KINDS[@]}"; do
  for _ in $(seq 200); do
    grep -q listening "$LOGDIR/$kind" && break
    sleep 0.1
  done
  BASE[$kind]="$(sed -n 's/^listening on //p' "$LOGDIR/$kind")"
  [[ -n "${BASE[$kind]}" ]] || { echo "web.sh: $kind did not start" >&2; cat "$LOGDIR/$kind" >&2; exit 2; }
done

for case in "${CASES[@]}"; do
  for kind in "${KINDS[@]}"; do
    url="${BASE[$kind]}${PATHS[$case]}"
    got="$(curl -s "$url")"
    if [[ "$got" != "${EXPECT[$case]}" ]]; then
      echo "web.sh: $kind answered $case with '$got', not '${EXPECT[$case]}'" >&2
      exit 2
    fi
    wrk -t1 -c"$CONNS" -d1s "$url" >/dev/null
  done
  declare -A RUNS=()
  for round in $(seq "$ROUNDS"); do
    for kind in "${KINDS[@]}"; do
      before="$(cpu_ticks "${PIDS[$kind]}")"
      out="$(wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "${BASE[$kind]}${PATHS[$case]}")"
      after="$(cpu_ticks "${PIDS[$kind]}")"
      if grep -q "Non-2xx" <<<"$out"; then
        echo "web.sh: $kind answered $case with errors:" >&2
        echo "$out" >&2
        exit 2
      fi
      rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
      p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
      count="$(awk '/requests in/ {print $1}' <<<"$out")"
      cpu="$(awk -v a="$before" -v b="$after" -v n="$count" -v t="$TICKS" \
        'BEGIN { printf "%.1f", (b - a) / t * 1e6 / n }')"
      RUNS[$kind]+="$rps $p99 $cpu"$'\n'
    done
  done
  # The median round by requests per second, with that round's p99; the median CPU time.
  for kind in "${KINDS[@]}"; do
    median="$(printf "%s" "${RUNS[$kind]}" | sort -n | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }')"
    read -r RPS[$kind,$case] P99[$kind,$case] _ <<<"$median"
    CPU[$kind,$case]="$(printf "%s" "${RUNS[$kind]}" | awk '{ print $3 }' | sort -n |
      awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }')"
  done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r >= t ? "PASS" : "FAIL") }'; }

echo
echo "kit web, wrk -t1 -c$CONNS, median of $ROUNDS x ${DURATION}s, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%Y-%m-%d)"
printf "%-10s" "case"
for kind in "${KINDS[@]}"; do printf " | %20s" "$kind req/s (p99)"; done
printf " | %16s | %16s\n" "kit-deno / hono" "kit-kit / bare"
for case in "${CASES[@]}"; do
  printf "%-10s" "$case"
  for kind in "${KINDS[@]}"; do
    printf " | %20s" "$(printf "%.0f (%s)" "${RPS[$kind,$case]}" "${P99[$kind,$case]}")"
  done
  a="$(ratio "${RPS[kit-deno,$case]}" "${RPS[hono,$case]}")"
  b="$(ratio "${RPS[kit-kit,$case]}" "${RPS[bare,$case]}")"
  printf " | %9s %-6s | %9s %-6s\n" "${a}x" "$(verdict "$a" 1.0)" "${b}x" "$(verdict "$b" 0.6)"
done
echo
echo "server CPU time per request, user + system, median (µs)"
printf "%-10s" "case"
for kind in "${KINDS[@]}"; do printf " | %8s" "$kind"; done
printf " | %14s\n" "bare / kit-kit"
for case in "${CASES[@]}"; do
  printf "%-10s" "$case"
  for kind in "${KINDS[@]}"; do printf " | %8s" "${CPU[$kind,$case]}"; done
  printf " | %13sx\n" "$(ratio "${CPU[bare,$case]}" "${CPU[kit-kit,$case]}")"
done
