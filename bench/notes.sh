#!/usr/bin/env bash
# Times `kit notes` as whole processes over 10,000 generated notes, with ripgrep as the peer.
#
#   bash bench/notes.sh
#
# What it measures: wall time of a fresh process for each command, start-up included (module
# loading, type-checked cache lookup, reading the notes). That is what a person at a shell feels.
# Where it is unfair: kit pays Deno's start-up (tens of ms) that a native binary like rg does not;
# rg only finds lines while `kit notes search` also parses frontmatter and ranks notes; the page
# cache is warm after the warm-up runs, so disk speed is not measured.
#
# Environment:
#   KIT_BENCH_DIR  a directory for the notes; reused when it already holds them (default: a temp dir)
#   KIT_BENCH_OUT  where hyperfine's JSON goes (default: bench/out)
set -euo pipefail

COUNT=10000
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MAIN="$ROOT/main.ts"
OUT="${KIT_BENCH_OUT:-$ROOT/bench/out}"
mkdir -p "$OUT"

# Keep Deno quiet and steady: no update check, no colour codes in the counted output.
export DENO_NO_UPDATE_CHECK=1 NO_COLOR=1

for tool in deno hyperfine rg; do
  command -v "$tool" >/dev/null || { echo "notes.sh: $tool is not installed" >&2; exit 2; }
done

SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
DIR="${KIT_BENCH_DIR:-$SCRATCH/notes}"
EXPORT_DIR="$SCRATCH/html"

have="$(find "$DIR" -maxdepth 1 -name '*.md' 2>/dev/null | wc -l)"
if [[ "$have" -eq "$COUNT" ]]; then
  echo "reusing $COUNT notes in $DIR" >&2
else
  deno run -A "$ROOT/bench/gen_notes.ts" "$DIR" "$COUNT"
fi

deno cache "$MAIN"

# hyperfine -N splits command lines itself (no shell), so paths are single-quoted.
KIT="deno run -A '$MAIN'"
NOTES="$KIT notes --dir '$DIR'"

# name | command line; "search" and "rg" are in the same run so their medians compare fairly.
QUICK=(
  "kit --version|$KIT --version"
  "notes list|$NOTES list"
  "notes search|$NOTES search zyzzogeton"
  "rg (peer)|rg zyzzogeton '$DIR'"
  "notes search --fuzzy|$NOTES search --fuzzy 'zyzzo geton'"
  "notes backlinks|$NOTES backlinks 'Title Words 1'"
)
SLOW=(
  "notes export --html|$NOTES export --html --out '$EXPORT_DIR'"
)

# Runs hyperfine over "name|command" pairs: run_hyperfine JSON RUNS WARMUP PAIR...
run_hyperfine() {
  local json="$1" runs="$2" warmup="$3"
  shift 3
  local args=() pair
  for pair in "$@"; do args+=(-n "${pair%%|*}" "${pair#*|}"); done
  hyperfine -N --warmup "$warmup" --runs "$runs" --export-json "$json" "${args[@]}"
}

run_hyperfine "$OUT/notes.json" 15 3 "${QUICK[@]}"
run_hyperfine "$OUT/notes_export.json" 5 1 "${SLOW[@]}"

# The median, in milliseconds to one decimal, of one named command in a hyperfine JSON file.
median_ms() {
  local json="$1" name="$2"
  if command -v jq >/dev/null; then
    jq -r --arg n "$name" '.results[] | select(.command == $n) | (.median * 10000 | round) / 10' "$json"
  else
    deno eval 'const [file, name] = Deno.args;
const r = JSON.parse(Deno.readTextFileSync(file)).results.find((x) => x.command === name);
console.log(Math.round(r.median * 10000) / 10);' "$json" "$name"
  fi
}

# How many lines a command prints (notes listed, files matched); a fast wrong answer shows up here. Runs the command through
# bash so the quoting matches what hyperfine ran.
result_count() {
  { bash -c "$1" 2>/dev/null || true; } | wc -l | tr -d ' '
}

echo
printf '| %-24s | %10s | %8s |\n' "command" "median ms" "results"
printf '|%s|%s|%s|\n' "--------------------------" "------------" "----------"
# Searches are counted in matching files (kit --files, rg -l), so kit and rg compare directly.
declare -A COUNT_CMD=(
  ["notes search"]="$NOTES search zyzzogeton --files"
  ["rg (peer)"]="rg -l zyzzogeton '$DIR'"
  ["notes search --fuzzy"]="$NOTES search --fuzzy 'zyzzo geton' --files"
)
for pair in "${QUICK[@]}"; do
  name="${pair%%|*}"
  printf '| %-24s | %10s | %8s |\n' "$name" "$(median_ms "$OUT/notes.json" "$name")" \
    "$(result_count "${COUNT_CMD[$name]:-${pair#*|}}")"
done
for pair in "${SLOW[@]}"; do
  name="${pair%%|*}"
  # The export's result is the number of pages written, not lines printed.
  pages="$(find "$EXPORT_DIR" -name '*.html' 2>/dev/null | wc -l | tr -d ' ')"
  printf '| %-24s | %10s | %8s |\n' "$name" "$(median_ms "$OUT/notes_export.json" "$name")" \
    "$pages"
done

search="$(median_ms "$OUT/notes.json" "notes search")"
rg="$(median_ms "$OUT/notes.json" "rg (peer)")"
echo
awk -v s="$search" -v r="$rg" 'BEGIN { printf "notes search / rg median: %.1fx (%.1f ms / %.1f ms)\n", (r > 0 ? s / r : 0), s, r }'
echo "hyperfine JSON: $OUT/notes.json, $OUT/notes_export.json"
