#!/usr/bin/env bash
# Times `kit grep` beside ripgrep and GNU `grep -r` on a copy of /usr (a git repository whose
# .gitignore files ignore more than half of its bytes) and on one 1 GB text file, and checks that
# kit finds what rg finds.
#
#   bash bench/grep.sh                 # kit from source: deno run main.ts grep ...
#   KIT=./kit bash bench/grep.sh       # a compiled kit (deno task compile)
#   KIT=rg bash bench/grep.sh          # ripgrep in kit's seat: checks the script, every ratio is ~1
#
# What it measures: wall time of a fresh process per search, start-up included, with a warm page
# cache, each tool using its default parallelism (no -j). Each query is one hyperfine run holding
# the three commands, so their medians compare fairly. Output goes through a pipe (hyperfine
# --output=pipe), not to /dev/null: GNU grep stops at the first match when it sees /dev/null.
# Then each command runs once more with its output kept: kit must print as many lines as rg (for
# -c, the same sum of counts). Last, the peak RSS of kit and rg counting in the 1 GB file.
#
# Where it is unfair:
# - kit pays Deno's start-up (20-30 ms from source, less compiled) on every run; rg and grep are
#   native binaries. On the tree that is about a tenth of rg's time.
# - grep -r has no ignore rules: it reads the whole tree, about twice the bytes that rg and kit
#   read, so on the tree it does more work, and its counts differ from rg's (only kit's must equal
#   rg's). `--exclude-dir=.git` and `-I` (skip files with a NUL byte, as rg does) bring it as close
#   as grep allows. rg and kit also skip hidden files; grep searches the two .gitignore files.
# - GNU grep runs in the C.UTF-8 locale so that -i, -w and \p{Greek} see UTF-8 characters; its
#   Unicode class needs -P (PCRE2), another engine than rg's.
# - rg memory-maps a single large file, so its peak RSS counts the file's cached pages (about
#   1 GB); `rg --no-mmap` is printed beside it for the streaming figure.
#
# Environment:
#   KIT            the command standing for `kit` (default: deno run --allow-all --quiet main.ts);
#                  `grep` is appended unless the command is rg itself
#   KIT_BENCH_DIR  the corpus, built on first use by bench/gen_grep_corpus.sh (default:
#                  /tmp/kit-grep-bench; about 2 GB on disk)
#   KIT_BENCH_OUT  where hyperfine's JSON goes (default: bench/out)
#
# Exit code: 1 when a kit count or exit code differs from rg's (the check column says MISMATCH or
# EXIT kit/rg), 2 when a tool is missing, 0 otherwise. The speed and memory targets are printed as
# PASS/FAIL and do not change the exit code; lines that differ with equal counts are a note.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MAIN="$ROOT/main.ts"
DIR="${KIT_BENCH_DIR:-/tmp/kit-grep-bench}"
OUT="${KIT_BENCH_OUT:-$ROOT/bench/out}"
mkdir -p "$OUT"

# Runs per hyperfine run. A tree search takes 0.2-1 s, and single runs on a 2-core VM stray by up
# to 50% (most of the time is the kernel's, reading 300 MB of files), so the tree gets ten runs
# and the median; the big file is steadier and slower (up to a few seconds a search) and gets five.
TREE_WARMUP=1 TREE_RUNS=10
BIG_WARMUP=1 BIG_RUNS=5
RSS_LIMIT_MB=200

# Steady, comparable tools: no colour, no update check, no personal ripgrep config, UTF-8 for grep.
export DENO_NO_UPDATE_CHECK=1 NO_COLOR=1 LC_ALL=C.UTF-8
unset RIPGREP_CONFIG_PATH GREP_OPTIONS GREP_COLOR GREP_COLORS

for tool in deno hyperfine rg grep git; do
  command -v "$tool" >/dev/null || { echo "grep.sh: $tool is not installed" >&2; exit 2; }
done

bash "$ROOT/bench/gen_grep_corpus.sh" "$DIR"

# hyperfine -N splits command lines itself (no shell), so paths are single-quoted.
if [[ -z "${KIT:-}" ]]; then
  deno cache --quiet "$MAIN"
  KIT="deno run --allow-all --quiet '$MAIN'"
fi
read -r kit_first _ <<<"$KIT"
if [[ "${kit_first##*/}" == rg ]]; then KIT_GREP="$KIT"; else KIT_GREP="$KIT grep"; fi

# The 1-minute load average. Above the CPU count, other work shares the CPUs and single figures
# move by half; the ratios stay comparable only when the load is well below it.
load() { cut -d ' ' -f 1 /proc/loadavg; }
LOAD_START="$(load)"
if awk -v l="$LOAD_START" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
  echo "grep.sh: warning: load average $LOAD_START on $(nproc) CPUs; the figures will be noisy" >&2
fi

SCRATCH="$(mktemp -d)"
trap 'rm -rf "$SCRATCH"' EXIT
# Every command runs from the corpus folder: `tree` and `big.txt` are the paths searched.
cd "$DIR"
GREP_TREE="grep -r -I --exclude-dir=.git"

# One query: query ID WHERE COUNT_MODE RG_ARGS GREP_ARGS
#   WHERE       tree (searched as `tree`, grep gets -r) or big (the file big.txt)
#   COUNT_MODE  lines (output lines) or sum (the sum of -c counts)
#   RG_ARGS     the arguments of rg and kit grep, before the path; GREP_ARGS the same for grep
IDS=() WHERES=() MODES=() RG_ARGS=() GREP_ARGS=()
query() { IDS+=("$1") WHERES+=("$2") MODES+=("$3") RG_ARGS+=("$4") GREP_ARGS+=("$5"); }
# The words were chosen by counting in the corpus (rg line counts on the tree / in big.txt):
# return 103k / 757k, SIGCHLD 66 / 457, -i unicode 11k / 56k, -w len 7k, malloc|calloc|realloc
# 1.2k, \p{Greek}+ 10k / 55k, deprecated 2.7k (4k with --no-ignore), zqxjvkwpfh none.
# \p{Greek} means the same in every engine here, the Unicode script Greek (in a JavaScript /u
# RegExp it must be spelled \p{Script=Greek}; bare \p{Greek} is a SyntaxError there), unlike \w,
# which is Unicode in rg and ASCII in JavaScript.
query "literal, many"          tree lines "return"                  "return"
query "literal, few"           tree lines "SIGCHLD"                 "SIGCHLD"
query "-i literal"             tree lines "-i unicode"              "-i unicode"
query "-w literal"             tree lines "-w len"                  "-w len"
query "alternation"            tree lines "'malloc|calloc|realloc'" "-E 'malloc|calloc|realloc'"
query "regex \\p{Greek}+"      tree lines "'\\p{Greek}+'"           "-P '\\p{Greek}+'"
query "literal, never"         tree lines "zqxjvkwpfh"              "zqxjvkwpfh"
query "--no-ignore literal"    tree lines "--no-ignore deprecated"  "deprecated"
query "big: -c literal"        big  sum   "-c return"               "-c return"
query "big: literal, few"      big  lines "SIGCHLD"                 "SIGCHLD"
query "big: -i literal"        big  lines "-i unicode"              "-i unicode"
query "big: regex \\p{Greek}+" big  lines "'\\p{Greek}+'"           "-P '\\p{Greek}+'"
query "big: literal, never"    big  lines "zqxjvkwpfh"              "zqxjvkwpfh"

# The three command lines of query I: sets KIT_CMD, RG_CMD, GREP_CMD.
commands_of() {
  local i="$1"
  if [[ "${WHERES[$i]}" == tree ]]; then
    KIT_CMD="$KIT_GREP ${RG_ARGS[$i]} tree"
    RG_CMD="rg ${RG_ARGS[$i]} tree"
    GREP_CMD="$GREP_TREE ${GREP_ARGS[$i]} tree"
  else
    KIT_CMD="$KIT_GREP ${RG_ARGS[$i]} big.txt"
    RG_CMD="rg ${RG_ARGS[$i]} big.txt"
    GREP_CMD="grep ${GREP_ARGS[$i]} big.txt"
  fi
}

# A file-name-safe form of a query id: "big: -c literal" -> "big_c_literal".
slug() { tr -c 'a-zA-Z0-9\n' '_' <<<"$1" | tr -s '_' | sed 's/^_//; s/_$//'; }

# The median, in milliseconds to one decimal, of one named command in a hyperfine JSON file.
median_ms() {
  local json="$1" name="$2"
  if command -v jq >/dev/null; then
    jq -r --arg n "$name" \
      '.results[] | select(.command == $n) | (.median * 10000 | round) / 10' "$json"
  else
    deno eval 'const [file, name] = Deno.args;
const r = JSON.parse(Deno.readTextFileSync(file)).results.find((x) => x.command === name);
console.log(Math.round(r.median * 10000) / 10);' "$json" "$name"
  fi
}

# Runs a command once through bash (the quoting hyperfine saw) with stdin closed, so that no tool
# mistakes a pipe for its input: run_kept CMD FILE; prints the exit code. Output goes to FILE.
run_kept() {
  local rc=0
  bash -c "$1" </dev/null >"$2" 2>/dev/null || rc=$?
  echo "$rc"
}

# The result count of an output file: its lines, or for -c the sum of the counts after the last ':'.
count_of() {
  if [[ "$1" == sum ]]; then
    awk -F: '{ s += $NF } END { printf "%d\n", s }' "$2"
  else
    wc -l <"$2" | tr -d ' '
  fi
}

ROWS=() KIT_RG=() KIT_GREP_TREE=() KIT_GREP_ALL=() NOTES=()
failures=0
for i in "${!IDS[@]}"; do
  id="${IDS[$i]}"
  commands_of "$i"
  json="$OUT/grep_$(slug "$id").json"
  warmup=$BIG_WARMUP runs=$BIG_RUNS
  [[ "${WHERES[$i]}" == tree ]] && warmup=$TREE_WARMUP runs=$TREE_RUNS
  echo
  echo "== $id"
  # -i: a search without a match exits 1, which is not a failed benchmark.
  hyperfine -N -i --output=pipe --warmup "$warmup" --runs "$runs" --export-json "$json" \
    -n kit "$KIT_CMD" -n rg "$RG_CMD" -n grep "$GREP_CMD"

  kit_rc="$(run_kept "$KIT_CMD" "$SCRATCH/kit")"
  rg_rc="$(run_kept "$RG_CMD" "$SCRATCH/rg")"
  run_kept "$GREP_CMD" "$SCRATCH/grep" >/dev/null
  kit_n="$(count_of "${MODES[$i]}" "$SCRATCH/kit")"
  rg_n="$(count_of "${MODES[$i]}" "$SCRATCH/rg")"
  grep_n="$(count_of "${MODES[$i]}" "$SCRATCH/grep")"
  # A count of 0 from a kit that failed would pass a search without a match, so the exit code
  # (0 found, 1 not found, 2 error) must be rg's too.
  if [[ "$kit_n" != "$rg_n" ]]; then
    check=MISMATCH
  elif [[ "$kit_rc" != "$rg_rc" ]]; then
    check="EXIT $kit_rc/$rg_rc"
  else
    check=OK
  fi
  [[ "$check" == OK ]] || failures=$((failures + 1))
  # Beyond the count: the same lines, in any order since both search files in parallel. A
  # difference is reported with both outputs kept for diff, but does not fail the run.
  base="$OUT/grep_$(slug "$id")"
  rm -f "$base.kit.txt" "$base.rg.txt"
  LC_ALL=C sort -o "$SCRATCH/kit" "$SCRATCH/kit"
  LC_ALL=C sort -o "$SCRATCH/rg" "$SCRATCH/rg"
  if ! cmp -s "$SCRATCH/kit" "$SCRATCH/rg"; then
    cp "$SCRATCH/kit" "$base.kit.txt"
    cp "$SCRATCH/rg" "$base.rg.txt"
    NOTES+=("$id: kit printed other lines than rg (diff $base.kit.txt $base.rg.txt)")
  fi

  kit_ms="$(median_ms "$json" kit)"
  rg_ms="$(median_ms "$json" rg)"
  grep_ms="$(median_ms "$json" grep)"
  kit_rg="$(awk -v a="$kit_ms" -v b="$rg_ms" 'BEGIN { printf "%.4f", a / b }')"
  kit_grep="$(awk -v a="$kit_ms" -v b="$grep_ms" 'BEGIN { printf "%.4f", a / b }')"
  KIT_RG+=("$kit_rg")
  KIT_GREP_ALL+=("$kit_grep")
  [[ "${WHERES[$i]}" == tree ]] && KIT_GREP_TREE+=("$kit_grep")
  ROWS+=("$(printf '| %-22s | %9s | %9s | %9s | %6.2f | %8.2f | %9s | %9s | %9s | %-8s |' \
    "$id" "$kit_ms" "$rg_ms" "$grep_ms" "$kit_rg" "$kit_grep" "$kit_n" "$rg_n" "$grep_n" "$check")")
done

# Peak resident memory in KB of one command line, counting in the big file.
peak_rss_kb() {
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f %M -o "$SCRATCH/rss" bash -c "exec $1" </dev/null >/dev/null 2>&1 || true
    tail -n 1 "$SCRATCH/rss"
  else
    # getrusage(RUSAGE_CHILDREN) holds the largest peak among the waited-for children (in KB).
    python3 -c 'import resource, subprocess, sys
subprocess.run(["bash", "-c", "exec " + sys.argv[1]], stdin=subprocess.DEVNULL,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$1"
  fi
}
RSS_ARGS="-c return big.txt"
kit_rss="$(peak_rss_kb "$KIT_GREP $RSS_ARGS")"
rg_rss="$(peak_rss_kb "rg $RSS_ARGS")"
rg_nommap_rss="$(peak_rss_kb "rg --no-mmap $RSS_ARGS")"

# The geometric mean of its arguments, to two decimals.
geomean() { printf '%s\n' "$@" | awk '{ s += log($1); n++ } END { printf "%.2f", exp(s / n) }'; }
# PASS or FAIL: pass VALUE OP LIMIT, OP one of < <=.
pass() {
  if awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { exit !(op == "<" ? v < l : v <= l) }'; then
    echo PASS
  else
    echo FAIL
  fi
}

mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
gm_rg="$(geomean "${KIT_RG[@]}")"
gm_grep_tree="$(geomean "${KIT_GREP_TREE[@]}")"
gm_grep_all="$(geomean "${KIT_GREP_ALL[@]}")"
kit_mb="$(mb "$kit_rss")"
counts_ok=PASS
[[ "$failures" -eq 0 ]] || counts_ok=FAIL

echo
echo "kit grep = $KIT_GREP"
# sed, not head: rg reports the pipe that head closes early.
echo "$(rg --version | sed -n 1p); $(grep --version | sed -n 1p); $(hyperfine --version);" \
  "$(deno --version | sed -n 1p)"
cpu="$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
echo "$(nproc) CPUs ($cpu), $(uname -sr); load average $LOAD_START at the start, $(load) at the end"
cat "$DIR/corpus.txt"
echo "medians in ms; tree: --warmup $TREE_WARMUP --runs $TREE_RUNS," \
  "big.txt: --warmup $BIG_WARMUP --runs $BIG_RUNS"
echo "count: output lines (for -c, the sum of the counts); grep's differ on the tree, as it reads" \
  "the ignored files too"
echo
printf '| %-22s | %9s | %9s | %9s | %6s | %8s | %9s | %9s | %9s | %-8s |\n' \
  query kit rg grep kit/rg kit/grep "kit count" "rg count" "grep cnt" check
printf '|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n' "------------------------" "-----------" "-----------" \
  "-----------" "--------" "----------" "-----------" "-----------" "-----------" "----------"
printf '%s\n' "${ROWS[@]}"
echo
for note in ${NOTES[@]+"${NOTES[@]}"}; do echo "note: $note"; done
echo "geomean kit/rg = $gm_rg over ${#KIT_RG[@]} queries (target <= 1.5: $(pass "$gm_rg" "<=" 1.5))"
echo "geomean kit/grep = $gm_grep_tree over the ${#KIT_GREP_TREE[@]} tree queries" \
  "(target < 1: $(pass "$gm_grep_tree" "<" 1))"
echo "geomean kit/grep = $gm_grep_all over all ${#KIT_GREP_ALL[@]} queries"
echo "peak RSS kit grep $RSS_ARGS = $kit_mb MB" \
  "(target < $RSS_LIMIT_MB MB: $(pass "$kit_rss" "<" $((RSS_LIMIT_MB * 1024))));" \
  "rg $(mb "$rg_rss") MB (memory-mapped), rg --no-mmap $(mb "$rg_nommap_rss") MB"
echo "counts and exit codes equal to rg's: $((${#IDS[@]} - failures)) of ${#IDS[@]} ($counts_ok)"
echo "hyperfine JSON: $OUT/grep_*.json"
[[ "$failures" -eq 0 ]] || exit 1
