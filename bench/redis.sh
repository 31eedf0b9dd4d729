#!/usr/bin/env bash
# redis-benchmark against `kit redis` beside redis-server 7.0, in one run, and the ratio per test.
#
#   bash bench/redis.sh               # -n 200000 -c 50, without and with -P 16
#   N=50000 bash bench/redis.sh       # shorter
#   TESTS=set,get bash bench/redis.sh # fewer tests
#   PIPELINES=16 bash bench/redis.sh  # one pipeline depth
#   RUNS=1 bash bench/redis.sh        # one pass instead of the median of three
#
# What it measures: requests per second of redis-benchmark's tests (50 clients, 3-byte values,
# keys drawn from 100,000 with -r), first one request per round trip, then pipelines of 16. Both
# servers run in memory only (no RDB save points, no AOF), are started here on free ports in fresh
# folders and stopped at the end. For each pipeline depth the whole test list runs against kit,
# then against redis-server, RUNS times in turn; each figure is the median of its runs.
#
# Where it is unfair: redis-server is C with its own event loop; kit is TypeScript on Deno.
# redis-benchmark and both servers share the machine's cores. The targets are kit/redis >= 0.6
# without pipelining and >= 0.7 with -P 16.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${N:-200000}"
TESTS="${TESTS:-set,get,incr,lpush,rpush,lpop,rpop,sadd,hset,spop,zadd,lrange_100,mset}"
PIPELINES="${PIPELINES:-1 16}"
RUNS="${RUNS:-3}"
for tool in redis-benchmark redis-server redis-cli deno; do
  command -v "$tool" >/dev/null || { echo "redis.sh: $tool is missing (apt-get install redis-tools redis-server)" >&2; exit 2; }
done

source "$ROOT/bench/_servers.sh"
mkdir -p "$WORK/kit"
start_kit redis --port 0 --dir "$WORK/kit" --save "" --appendonly no
start_redis_server --save "" --appendonly no

# Prints "TEST<tab>rps" lines for one pass over one server (redis-benchmark's CSV:
# "name","rps",...); LPUSH runs twice (once before LRANGE): the first figure of a name counts.
pass() {
  local port=$1 pipeline=$2
  redis-cli -p "$port" FLUSHALL >/dev/null
  redis-benchmark -p "$port" -t "$TESTS" -n "$N" -c 50 -r 100000 -P "$pipeline" --csv 2>/dev/null |
    awk -F'","' 'NR > 1 { sub(/^"/, "", $1); split($1, name, " "); if (!seen[name[1]]++) print name[1] "\t" $2 }'
}

# The median per test of RUNS passes, the two servers' passes taking turns so that a noisy
# stretch of the machine hits both. Prints "TEST<tab>kit rps<tab>redis rps" in test order.
bench() {
  local pipeline=$1 run
  : >"$WORK/kit.runs"
  : >"$WORK/redis.runs"
  for ((run = 0; run < RUNS; run++)); do
    pass "$KIT_PORT" "$pipeline" >>"$WORK/kit.runs"
    pass "$REDIS_PORT" "$pipeline" >>"$WORK/redis.runs"
  done
  awk -F'\t' '
    function median(list,   v, n, i, j, t) {
      n = split(list, v, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
      return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    FNR == 1 { file++ }
    file == 1 { if (!($1 in kit)) order[++count] = $1; kit[$1] = kit[$1] " " $2 }
    file == 2 { redis[$1] = redis[$1] " " $2 }
    END { for (i = 1; i <= count; i++) { t = order[i]; printf "%s\t%.0f\t%.0f\n", t, median(kit[t]), median(redis[t]) } }
  ' "$WORK/kit.runs" "$WORK/redis.runs"
  [[ -n "${SHOW_RUNS:-}" ]] && paste "$WORK/kit.runs" "$WORK/redis.runs" >&2
}

printf 'redis-benchmark -t %s -n %s -c 50 -r 100000, kit redis vs redis-server %s (both in memory), median of %s\n\n' \
  "$TESTS" "$N" "$(redis-server --version | sed -E 's/.*v=([^ ]+).*/\1/')" "$RUNS"
printf '%-12s %-4s %12s %12s %8s\n' test -P "kit req/s" "redis req/s" "kit/redis"
for pipeline in $PIPELINES; do
  logsum=0 count=0
  while IFS=$'\t' read -r test k r; do
    ratio=$(awk -v k="$k" -v r="$r" 'BEGIN { if (r > 0) printf "%.2f", k / r; else print "?" }')
    printf '%-12s %-4s %12s %12s %8s\n' "$test" "$pipeline" "$k" "$r" "$ratio"
    logsum=$(awk -v s="$logsum" -v k="$k" -v r="$r" 'BEGIN { printf "%.6f", s + log(k / r) }')
    count=$((count + 1))
  done < <(bench "$pipeline")
  printf '%-12s %-4s %12s %12s %8s\n\n' "geomean" "$pipeline" "" "" \
    "$(awk -v s="$logsum" -v n="$count" 'BEGIN { printf "%.2f", exp(s / n) }')"
done
