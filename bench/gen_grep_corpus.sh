#!/usr/bin/env bash
# Builds the corpus that bench/grep.sh searches, once: a source tree copied from this machine and a
# single file of about 1 GB.
#
#   bash bench/gen_grep_corpus.sh [DIR]      (default DIR: /tmp/kit-grep-bench)
#
# DIR/tree     copies of /usr/include, /usr/share and /usr/lib/python3*, made a git repository
#              (`git init`, nothing committed) with .gitignore files that ignore more than half of
#              the bytes: the translations, most of /usr/share/doc, Python byte code, shared
#              objects, the LLVM headers and Node's per-platform OpenSSL headers. On the Debian 12
#              machine it was written on: 60,300 files, 716 MB, of which 14,200 files and 414 MB
#              (58%) are ignored.
# DIR/big.txt  the UTF-8 text files of the tree (C headers, Python, Vim help, X11 Compose tables)
#              concatenated (147 MB), then repeated until the file reaches 1 GiB. It holds Greek,
#              Cyrillic, Arabic and CJK text, and no NUL byte, so every tool searches it as text.
# DIR/corpus.txt  a few lines describing the two (bench/grep.sh prints them).
# DIR/.done    written last; when it exists the script does nothing, and a half-built corpus is
#              built again.
#
# Why this size: /usr/share is copied whole, except the folders in SHARE_SKIP, because one
# `rg return` over the result takes 0.2-0.3 s on a 2-core VM with a warm page cache (0.3 s with
# --no-ignore): long enough that start-up (Deno's 20-30 ms) is a minor part of each figure, short
# enough that a hyperfine run of the three tools stays within seconds. A smaller /usr/share would
# let start-up dominate; a larger one only makes the benchmark slower. The file count and sizes
# vary with the packages installed, which is why corpus.txt records them next to each run.
set -euo pipefail

DIR="${1:-${KIT_BENCH_DIR:-/tmp/kit-grep-bench}}"
# /usr/share/package-lists holds a dozen machine-specific lists of package names (about 90 MB in
# 13 files): data, not part of a system tree, and the 1 GB file already covers large files.
SHARE_SKIP=(package-lists)
BIG_BYTES=$((1024 * 1024 * 1024))

if [[ -e "$DIR/.done" ]]; then
  echo "reusing the grep corpus in $DIR" >&2
  exit 0
fi
for tool in deno git; do
  if ! command -v "$tool" >/dev/null; then
    echo "gen_grep_corpus.sh: $tool is not installed" >&2
    exit 2
  fi
done

echo "building the grep corpus in $DIR (about 2 GB on disk, a minute at most)" >&2
rm -rf "$DIR/tree" "$DIR/big.txt" "$DIR/corpus.txt"
mkdir -p "$DIR/tree/share" "$DIR/tree/lib"
TREE="$DIR/tree"

# -P keeps symbolic links as links (none of the three tools follows them by default). A file this
# user cannot read is skipped with cp's message rather than stopping the build.
copy() {
  cp -RP --preserve=mode,timestamps "$@" ||
    echo "gen_grep_corpus.sh: some files were not copied" >&2
}
copy /usr/include "$TREE/include"
shopt -s nullglob dotglob
for entry in /usr/share/*; do
  skip=0
  for name in "${SHARE_SKIP[@]}"; do [[ "${entry##*/}" == "$name" ]] && skip=1; done
  [[ "$skip" -eq 0 ]] && copy "$entry" "$TREE/share/"
done
for entry in /usr/lib/python3*; do copy "$entry" "$TREE/lib/"; done
shopt -u nullglob dotglob
chmod -R u+rwX "$TREE"

# ripgrep honours .gitignore only inside a git repository, so the tree is one (nothing is committed;
# the ignore rules need only the .git folder).
git -C "$TREE" init -q
# The rules mix the kinds an ignore engine must get right: anchored folders, a folder name at any
# depth, extension globs, a negation that re-includes one folder under an ignored pattern, and a
# nested .gitignore whose rules are relative to its own folder.
cat >"$TREE/.gitignore" <<'EOF'
# Written by bench/gen_grep_corpus.sh. rg and kit grep skip what is listed here; grep -r reads it.
/share/locale/
/share/doc/*
!/share/doc/git/
__pycache__/
*.pyc
*.so
*.so.*
EOF
cat >"$TREE/include/.gitignore" <<'EOF'
# Relative to include/: the LLVM headers, the per-platform OpenSSL configurations that Node.js
# ships (the same headers once per CPU and OS) and the X-macro tables (*.def) stay unsearched.
/llvm-14/
/node/openssl/archs/
*.def
EOF

# big.txt: text files only (valid UTF-8, no NUL), in a fixed order so every machine with the same
# packages gets the same bytes; each file ends with a newline so no line spans two files.
(cd "$TREE" && find include lib share/vim share/X11/locale share/i18n share/doc/git -type f \
  \( -name '*.h' -o -name '*.py' -o -name '*.txt' -o -name 'Compose' -o -name '*.utf-8' \
  -o -name '[a-z][a-z]_[A-Z][A-Z]' \) -print0 | LC_ALL=C sort -z) >"$DIR/big.list"
deno eval '
const [tree, list, out, size] = Deno.args;
const target = Number(size);
const decoder = new TextDecoder("utf-8", { fatal: true });
const parts = [];
let base = 0;
for (const path of Deno.readTextFileSync(list).split("\0")) {
  if (path === "") continue;
  let bytes;
  try {
    bytes = Deno.readFileSync(`${tree}/${path}`);
  } catch {
    continue;
  }
  if (bytes.length === 0 || bytes.includes(0)) continue;
  try {
    decoder.decode(bytes);
  } catch {
    continue;
  }
  if (bytes[bytes.length - 1] !== 10) {
    const ended = new Uint8Array(bytes.length + 1);
    ended.set(bytes);
    ended[bytes.length] = 10;
    bytes = ended;
  }
  parts.push(bytes);
  base += bytes.length;
}
if (base === 0) throw new Error(`No UTF-8 text file found under ${tree}`);
// Whole copies while they fit, then whole files of one more copy up to the target size.
const file = Deno.openSync(out, { write: true, create: true, truncate: true });
let written = 0;
function writeAll(bytes) {
  for (let at = 0; at < bytes.length;) at += file.writeSync(bytes.subarray(at));
  written += bytes.length;
}
outer: while (true) {
  for (const bytes of parts) {
    if (written + bytes.length > target) break outer;
    writeAll(bytes);
  }
}
file.close();
console.error(`big.txt: ${written} bytes, ${base} bytes of ${parts.length} files repeated`);
' "$TREE" "$DIR/big.list" "$DIR/big.txt" "$BIG_BYTES"
rm -f "$DIR/big.list"

# Sizes, counted by git (not by any tool under test): every file, and the files git ignores.
sum_sizes() { xargs -0 -r stat -c %s -- | awk '{ n++; s += $1 } END { printf "%d %d\n", n, s }'; }
read -r all_files all_bytes < <(
  cd "$TREE" && find . -path ./.git -prune -o -type f -print0 | sum_sizes
)
read -r ign_files ign_bytes < <(cd "$TREE" && git ls-files -z -o -i --exclude-standard | sum_sizes)
big_bytes="$(stat -c %s "$DIR/big.txt")"
{
  awk -v f="$all_files" -v b="$all_bytes" -v fi="$ign_files" -v bi="$ign_bytes" 'BEGIN {
    printf "tree: %d files, %.0f MB; .gitignore ignores %d files, %.0f MB (%.0f%% of the bytes)\n",
      f, b / 1e6, fi, bi / 1e6, 100 * bi / b }'
  awk -v b="$big_bytes" 'BEGIN { printf "big.txt: %.0f MB of UTF-8 text\n", b / 1e6 }'
} | tee "$DIR/corpus.txt" >&2
touch "$DIR/.done"
