#!/usr/bin/env bash
# Memory of `kit redis` beside redis-server holding the same keyspace: 1M small string keys as
#
#   redis-benchmark -t set -n 1000000 -r 1000000 -d 3
#
# creates them (keys "key:000000123456", 3-byte values; -r draws key numbers at random, so about
# 632,000 distinct keys end up stored and DBSIZE is printed beside each figure).
#
#   bash bench/redis_memory.sh                  # kit from source: deno run main.ts redis ...
#   KIT=./kit bash bench/redis_memory.sh        # a compiled kit (deno task compile)
#   N=200000 bash bench/redis_memory.sh         # a smaller run
#
# What it measures: INFO memory's used_memory and used_memory_rss after the fill, and each over an
# empty server (the baseline: RSS of a fresh process). For redis-server used_memory is what its
# allocator hands out; for kit it is its own estimate of the keyspace (per-key accounting) plus
# the V8 heap used at start-up, so the two are estimates of the same thing made differently. RSS
# is what the kernel reports for each process, the figure that counts most.
#
# Where it is unfair: kit's RSS depends on when V8's garbage collector last ran. The figures are
# read after SETTLE seconds without commands, by which time kit has run its idle-time full
# collection, as a server between bursts would have; the RSS right after the fill, with the burst's
# garbage still resident, is printed beside it. Deno's runtime alone (about 40-50 MB RSS) is
# counted for kit; redis-server starts at a few MB.
#
# Environment:
#   KIT     the command standing for `kit` (default: deno run --allow-all --quiet main.ts)
#   N       requests to send (default 1000000); keys are drawn from as many numbers
#   SETTLE  seconds to wait after the fill before the figures are read (default 3)
#
# Exit code: 2 when a tool is missing, 0 otherwise; the 2x target is printed, not enforced.
set -euo pipefail

cd "$(dirname "$0")/.."
N="${N:-1000000}"
SETTLE="${SETTLE:-3}"
read -r -a KIT_CMD <<<"${KIT:-deno run --allow-all --quiet main.ts}"

for tool in redis-server redis-cli redis-benchmark; do
  if ! command -v "$tool" >/dev/null; then
    echo "redis_memory.sh: $tool is not installed" >&2
    exit 2
  fi
done

free_port() {
  # Port 0 cannot be passed to redis-server, so ask the kernel for a free port first.
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_ping() {
  for _ in $(seq 1 200); do
    if [[ "$(redis-cli -p "$1" ping 2>/dev/null)" == PONG ]]; then return 0; fi
    sleep 0.05
  done
  echo "redis_memory.sh: nothing answers on port $1" >&2
  return 1
}

field() { # field PORT NAME: one INFO memory field
  redis-cli -p "$1" info memory | tr -d '\r' | awk -F: -v k="$2" '$1 == k { print $2 }'
}

PIDS=()
DIR=$(mktemp -d)
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  # Both servers run without persistence; the folder only keeps them from reading a dump.rdb.
  rm -rf "$DIR"
}
trap cleanup EXIT

# measure NAME PORT: fills the server on PORT and sets NAME_used/NAME_rss/NAME_keys
measure() {
  local name=$1 port=$2
  wait_ping "$port"
  local used0 rss0
  used0=$(field "$port" used_memory)
  rss0=$(field "$port" used_memory_rss)
  redis-benchmark -p "$port" -t set -n "$N" -r "$N" -d 3 -q >/dev/null
  local used rss busy keys
  busy=$(field "$port" used_memory_rss)
  # Then idle for a few seconds, as a server between bursts is: kit runs a full garbage
  # collection after a second without commands (commands/redis/idle_gc.ts).
  sleep "$SETTLE"
  used=$(field "$port" used_memory)
  rss=$(field "$port" used_memory_rss)
  keys=$(redis-cli -p "$port" dbsize)
  printf '%-13s keys=%-8s used_memory=%6.1f MB (empty %5.1f)   rss=%6.1f MB (empty %5.1f, right after the fill %5.1f)\n' \
    "$name" "$keys" "$(echo "$used / 1048576" | bc -l)" "$(echo "$used0 / 1048576" | bc -l)" \
    "$(echo "$rss / 1048576" | bc -l)" "$(echo "$rss0 / 1048576" | bc -l)" \
    "$(echo "$busy / 1048576" | bc -l)"
  printf -v "${name//-/_}_used" '%s' "$used"
  printf -v "${name//-/_}_rss" '%s' "$rss"
}

echo "redis-benchmark -t set -n $N -r $N -d 3"
port=$(free_port)
redis-server --port "$port" --dir "$DIR" --save "" --appendonly no --daemonize no --logfile /dev/null &
PIDS+=($!)
measure redis-server "$port"

port=$(free_port)
"${KIT_CMD[@]}" redis --port "$port" --dir "$DIR" --save "" --appendonly no 2>/dev/null &
PIDS+=($!)
measure kit "$port"

printf 'kit / redis-server: used_memory %.2fx   rss %.2fx   (target: at most 2x)\n' \
  "$(echo "$kit_used / $redis_server_used" | bc -l)" "$(echo "$kit_rss / $redis_server_rss" | bc -l)"
