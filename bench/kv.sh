#!/usr/bin/env bash
# `redis-benchmark -t set,get` against `kit kv serve` beside redis-server, in one run, and the ratio.
#
#   bash bench/kv.sh                  # -n 100000, without and with -P 16
#   N=20000 bash bench/kv.sh          # shorter
#   FSYNC=always bash bench/kv.sh     # kit acknowledges a write after fsync; redis gets appendfsync always
#
# What it measures: requests per second of redis-benchmark's SET and GET (50 clients, 3-byte
# values, keys drawn from 100,000 with -r), first one request per round trip, then pipelines of
# 16 (-P 16). Both servers are started here on free ports with fresh data folders and stopped at
# the end; each is measured right after the other under the same load generator.
#
# Durability, stated because it decides write speed: kit runs with --fsync $FSYNC (default
# interval: a write is acknowledged once it reached the OS, fsync every 100 ms); redis-server runs
# with an append-only file and the matching appendfsync (interval → everysec, always → always,
# never → no), so both persist every acknowledged write to the OS before replying.
#
# Where it is unfair: redis-server is C with its own event loop and stores in memory (the AOF is
# an append, never read); kit is TypeScript on Deno, appends every write to its segment with one
# write(2) per batch and reads values back from the file (a positioned read per GET) rather than
# from memory. redis-benchmark and both servers share the machine's cores.
#
# The result count beside each server is its DBSIZE after the run: about 63,000 keys (the distinct
# keys 100,000 random draws from 100,000 hit) for both, else one of them lost writes.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${N:-100000}"
FSYNC="${FSYNC:-interval}"
for tool in redis-benchmark redis-server redis-cli deno; do
  command -v "$tool" >/dev/null || { echo "kv.sh: $tool is missing (apt-get install redis-tools redis-server)" >&2; exit 2; }
done
case "$FSYNC" in
  always) AOF=always ;;
  never) AOF=no ;;
  *) AOF=everysec ;;
esac

source "$ROOT/bench/_servers.sh"
start_kit kv --dir "$WORK/kit" serve --port 0 --fsync "$FSYNC"
start_redis_server --save "" --appendonly yes --appendfsync "$AOF"

# Prints "SET rps" and "GET rps" lines for one server.
bench() {
  local port=$1 pipeline=$2
  redis-benchmark -p "$port" -t set,get -n "$N" -r 100000 -P "$pipeline" --csv 2>/dev/null |
    awk -F, 'NR > 1 { gsub(/"/, ""); print $1, $2 }'
}

printf 'redis-benchmark -t set,get -n %s -r 100000 (50 clients); kit --fsync %s, redis appendfsync %s\n\n' "$N" "$FSYNC" "$AOF"
printf '%-5s %-4s %14s %14s %8s\n' test -P "kit req/s" "redis req/s" "kit/redis"
for pipeline in 1 16; do
  kit_out="$(bench "$KIT_PORT" "$pipeline")"
  redis_out="$(bench "$REDIS_PORT" "$pipeline")"
  for test in SET GET; do
    k=$(awk -v t="$test" '$1 == t { print $2 }' <<<"$kit_out")
    r=$(awk -v t="$test" '$1 == t { print $2 }' <<<"$redis_out")
    ratio=$(awk -v k="$k" -v r="$r" 'BEGIN { if (r > 0) printf "%.2f", k / r; else print "?" }')
    printf '%-5s %-4s %14s %14s %8s\n' "$test" "$pipeline" "$k" "$r" "$ratio"
  done
done
printf '\nresults (DBSIZE after the run): kit %s, redis %s\n' \
  "$(redis-cli -p "$KIT_PORT" DBSIZE)" "$(redis-cli -p "$REDIS_PORT" DBSIZE)"
