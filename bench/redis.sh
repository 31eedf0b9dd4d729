#!/usr/bin/env bash
# redis-benchmark against `kit redis` beside redis-server 7.0, in one run, and the ratio per test.
#
#   bash bench/redis.sh               # -n 200000 -c 50, without and with -P 16
#   N=50000 bash bench/redis.sh       # shorter
#   TESTS=set,get bash bench/redis.sh # fewer tests
#   PIPELINES=16 bash bench/redis.sh  # one pipeline depth
#   RUNS=1 bash bench/redis.sh        # one run instead of the median of three
#
# What it measures: requests per second of redis-benchmark's tests (50 clients, 3-byte values,
# keys drawn from 100,000 with -r), first one request per round trip, then pipelines of 16. Both
# servers run in memory only (no RDB save points, no AOF), are started here on free ports in fresh
# folders and stopped at the end. Each test runs against kit and against redis-server one right
# after the other, RUNS times over the test list; each figure is the median of its runs.
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

# Prints the requests per second of one test on one server, from redis-benchmark's CSV
# ("name","rps",...). A test may print more than one row (LRANGE_100 fills its list with an
# LPUSH first): the row of the test itself counts.
one() {
  local port=$1 pipeline=$2 test=$3
  redis-benchmark -p "$port" -t "$test" -n "$N" -c 50 -r 100000 -P "$pipeline" --csv 2>/dev/null |
    awk -F'","' -v want="$(tr '[:lower:]' '[:upper:]' <<<"$test")" \
      'NR > 1 { sub(/^"/, "", $1); split($1, name, " "); if (name[1] == want && !done++) print $2 }'
}

# The median per test of RUNS runs. A run empties both servers and then goes through the tests
# in order, each test on one server right after the other (which one goes first alternates
# from run to run), so that a slow or fast stretch of a noisy machine falls on both figures of
# a test rather than on a whole pass of one server. Each server sees the same sequence of
# tests as one redis-benchmark run of the list would send it (LPOP pops what LPUSH pushed).
# Prints "TEST<tab>kit rps<tab>redis rps" in test order.
bench() {
  local pipeline=$1 run test first second
  : >"$WORK/runs"
  for ((run = 0; run < RUNS; run++)); do
    redis-cli -p "$KIT_PORT" FLUSHALL >/dev/null
    redis-cli -p "$REDIS_PORT" FLUSHALL >/dev/null
    for test in ${TESTS//,/ }; do
      if ((run % 2 == 0)); then
        first=$(one "$KIT_PORT" "$pipeline" "$test") second=$(one "$REDIS_PORT" "$pipeline" "$test")
        printf '%s\t%s\t%s\n' "$test" "$first" "$second" >>"$WORK/runs"
      else
        first=$(one "$REDIS_PORT" "$pipeline" "$test") second=$(one "$KIT_PORT" "$pipeline" "$test")
        printf '%s\t%s\t%s\n' "$test" "$second" "$first" >>"$WORK/runs"
      fi
    done
  done
  awk -F'\t' '
    function median(list,   v, n, i, j, t) {
      n = split(list, v, " ")
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
      return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    }
    { if (!($1 in kit)) order[++count] = $1; kit[$1] = kit[$1] " " $2; redis[$1] = redis[$1] " " $3 }
    END { for (i = 1; i <= count; i++) { t = order[i]; printf "%s\t%.0f\t%.0f\n", toupper(t), median(kit[t]), median(redis[t]) } }
  ' "$WORK/runs"
  [[ -n "${SHOW_RUNS:-}" ]] && cat "$WORK/runs" >&2
  return 0
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
