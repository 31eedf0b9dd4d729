# Sourced by the redis-benchmark scripts (kv.sh, redis.sh): a work folder cleaned up on exit,
# `kit` started as a server on a port it picks, and a redis-server beside it.
#
#   source "$ROOT/bench/_servers.sh"    # needs ROOT; sets WORK
#   start_kit kv --dir "$WORK/kit" serve --port 0      # sets KIT_PID, KIT_PORT
#   start_redis_server --save "" --appendonly no       # sets REDIS_PID, REDIS_PORT

WORK="$(mktemp -d)"
KIT_PID="" REDIS_PID=""
cleanup_servers() {
  [[ -n "$KIT_PID" ]] && kill "$KIT_PID" 2>/dev/null && wait "$KIT_PID" 2>/dev/null
  [[ -n "$REDIS_PID" ]] && kill "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup_servers EXIT

free_port() {
  deno eval 'const l = Deno.listen({ hostname: "127.0.0.1", port: 0 }); console.log(l.addr.port); l.close();'
}

# start_kit ARGS...: `kit ARGS` (given --port 0) in the background; the port is read from its
# "listening on" line, so no other process can take it meanwhile.
start_kit() {
  mkfifo "$WORK/kit.log"
  deno run --allow-all --quiet "$ROOT/main.ts" "$@" 2>"$WORK/kit.log" &
  KIT_PID=$!
  exec 3<"$WORK/kit.log"
  KIT_PORT=""
  while read -r line <&3; do
    if [[ "$line" =~ listening\ on\ [^[:space:]]+:([0-9]+) ]]; then KIT_PORT="${BASH_REMATCH[1]}"; break; fi
  done
  [[ -n "$KIT_PORT" ]] || { echo "kit $1 did not start" >&2; exit 1; }
  cat <&3 >/dev/null &
}

# start_redis_server ARGS...: redis-server on a free port with its own folder, waited for.
start_redis_server() {
  REDIS_PORT="$(free_port)"
  mkdir -p "$WORK/redis"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK/redis" "$@" \
    >"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  until grep -q "Ready to accept connections" "$WORK/redis.log" 2>/dev/null; do
    kill -0 "$REDIS_PID" 2>/dev/null || { cat "$WORK/redis.log" >&2; exit 1; }
    sleep 0.1
  done
}
