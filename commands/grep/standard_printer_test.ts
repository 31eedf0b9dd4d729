import assert from "node:assert/strict";
import { decodeChunk } from "./chunk.ts";
import { grepColors } from "./color_spec.ts";
import { buildMatcher, type MatcherOptions } from "./matcher.ts";
import { OutputBuffer } from "./output_buffer.ts";
import { compileReplacement } from "./replacement.ts";
import { Searcher, type SearcherOptions } from "./searcher.ts";
import { StandardPrinter, type StandardPrinterOptions } from "./standard_printer.ts";

/** ripgrep 13 is the reference; without it the comparisons with rg are skipped. */
const rgVersion = await new Deno.Command("rg", { args: ["--version"], stdout: "piped" })
  .output()
  .then((out) => new TextDecoder().decode(out.stdout), () => "");
const hasRg13 = rgVersion.startsWith("ripgrep 13.");

const encoder = new TextEncoder();

/** Bytes from a string of chars < 256, one byte each: for text that is not UTF-8. */
function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

const INPUTS = {
  // UTF-8, an indented line, adjacent matches, no newline at the end.
  TEXT: encoder.encode(
    "alpha foo\n  beta foo bar\ngamma\nfoofoo foo\nh\u00e9llo w\u00f6rld foo\nlast foo",
  ),
  EMPTY: encoder.encode("ab\nxx\n\nc"),
  // Latin-1, not UTF-8: printed as raw bytes.
  LATIN: latin1("caf\xe9 foo\n\xff\xfe foo bar\n"),
  MULTI: encoder.encode("one\ntwo\nthree\nfour\n"),
};

const E = "\x1b[0m";
const PATH = `${E}\x1b[35mf.txt${E}`;
const line = (n: number) => `${E}\x1b[32m${n}${E}`;
const col = (n: number) => `${E}${n}${E}`;
const red = (text: string) => `${E}\x1b[1m\x1b[31m${text}${E}`;

interface Case {
  name: string;
  /** The rg flags and patterns that print `want` for `f.txt` holding the input. */
  rg: string[];
  input: keyof typeof INPUTS;
  patterns: string[];
  matcher?: MatcherOptions;
  search?: SearcherOptions;
  printer?: Omit<StandardPrinterOptions, "regex" | "replace" | "colors">;
  /** `--replace`. */
  replace?: string;
  /** `--colors` specs; colours are on when this is given. */
  colors?: string[];
  /** What rg prints: text, or raw bytes. */
  want: string | Uint8Array;
}

const CASES: Case[] = [
  {
    name: "path:line:column:text",
    rg: ["-H", "-n", "--column", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    printer: { withFilename: true, lineNumber: true, column: true },
    want: "f.txt:1:7:alpha foo\nf.txt:2:8:  beta foo bar\nf.txt:4:1:foofoo foo\n" +
      "f.txt:5:15:h\u00e9llo w\u00f6rld foo\nf.txt:6:6:last foo\n",
  },
  {
    name: "--heading",
    rg: ["--heading", "-H", "-n", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    printer: { withFilename: true, heading: true, lineNumber: true },
    want: "f.txt\n1:alpha foo\n2:  beta foo bar\n4:foofoo foo\n5:h\u00e9llo w\u00f6rld foo\n" +
      "6:last foo\n",
  },
  {
    name: "-o",
    rg: ["-o", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    printer: { onlyMatching: true },
    want: "foo\n".repeat(7),
  },
  {
    name: "-o -n -b: each match's own byte offset",
    rg: ["-o", "-n", "-b", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    printer: { onlyMatching: true, lineNumber: true, byteOffset: true },
    want: "1:6:foo\n2:17:foo\n4:31:foo\n4:34:foo\n4:38:foo\n5:56:foo\n6:65:foo\n",
  },
  {
    name: "--replace",
    rg: ["-r", "X", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    replace: "X",
    want: "alpha X\n  beta X bar\nXX X\nh\u00e9llo w\u00f6rld X\nlast X\n",
  },
  {
    name: "--replace with a group",
    rg: ["-r", "<$1>", "f(o+)"],
    input: "TEXT",
    patterns: ["f(o+)"],
    replace: "<$1>",
    want: "alpha <oo>\n  beta <oo> bar\n<oo><oo> <oo>\nh\u00e9llo w\u00f6rld <oo>\nlast <oo>\n",
  },
  {
    name: "-o --replace",
    rg: ["-o", "-r", "<$1>", "f(o+)"],
    input: "TEXT",
    patterns: ["f(o+)"],
    replace: "<$1>",
    printer: { onlyMatching: true },
    want: "<oo>\n".repeat(7),
  },
  {
    name: "-o --replace: columns and offsets in the replaced line",
    rg: ["-o", "-b", "-n", "-r", "X", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    replace: "X",
    printer: { onlyMatching: true, byteOffset: true, lineNumber: true },
    want: "1:6:X\n2:17:X\n4:31:X\n4:32:X\n4:34:X\n5:56:X\n6:65:X\n",
  },
  {
    name: "--vimgrep --replace: columns in the replaced line",
    rg: ["--vimgrep", "-r", "X", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    replace: "X",
    printer: { vimgrep: true, withFilename: true, lineNumber: true, column: true },
    want: "f.txt:1:7:alpha X\nf.txt:2:8:  beta X bar\nf.txt:4:1:XX X\nf.txt:4:2:XX X\n" +
      "f.txt:4:4:XX X\nf.txt:5:15:h\u00e9llo w\u00f6rld X\nf.txt:6:6:last X\n",
  },
  {
    name: "--vimgrep: a line per match",
    rg: ["--vimgrep", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    printer: { vimgrep: true, withFilename: true, lineNumber: true, column: true },
    want: "f.txt:1:7:alpha foo\nf.txt:2:8:  beta foo bar\nf.txt:4:1:foofoo foo\n" +
      "f.txt:4:4:foofoo foo\nf.txt:4:8:foofoo foo\nf.txt:5:15:h\u00e9llo w\u00f6rld foo\n" +
      "f.txt:6:6:last foo\n",
  },
  {
    name: "-b: the byte offset of each line",
    rg: ["-b", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    printer: { byteOffset: true },
    want: "0:alpha foo\n10:  beta foo bar\n31:foofoo foo\n42:h\u00e9llo w\u00f6rld foo\n" +
      "60:last foo\n",
  },
  {
    name: "--trim",
    rg: ["--trim", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    printer: { trim: true },
    want: "alpha foo\nbeta foo bar\nfoofoo foo\nh\u00e9llo w\u00f6rld foo\nlast foo\n",
  },
  {
    name: "--trim keeps the line's own byte offset",
    rg: ["--trim", "-n", "-b", "beta"],
    input: "TEXT",
    patterns: ["beta"],
    printer: { trim: true, lineNumber: true, byteOffset: true },
    want: "2:10:beta foo bar\n",
  },
  {
    name: "-M: lines longer than NUM bytes, newline included, are omitted",
    rg: ["-M", "12", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    printer: { maxColumns: 12 },
    want: "alpha foo\n[Omitted long matching line]\nfoofoo foo\n[Omitted long matching line]\n" +
      "last foo\n",
  },
  {
    name: "-M with match positions counts the matches",
    rg: ["-M", "12", "--column", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    printer: { maxColumns: 12, column: true, lineNumber: true },
    want: "1:7:alpha foo\n2:8:[Omitted long line with 1 matches]\n4:1:foofoo foo\n" +
      "5:15:[Omitted long line with 1 matches]\n6:6:last foo\n",
  },
  {
    name: "-M --max-columns-preview: the first NUM graphemes",
    rg: ["-M", "12", "--max-columns-preview", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    printer: { maxColumns: 12, maxColumnsPreview: true },
    want: "alpha foo\n  beta foo b [... omitted end of long line]\nfoofoo foo\n" +
      "h\u00e9llo w\u00f6rld  [... omitted end of long line]\nlast foo\n",
  },
  {
    name: "-M --max-columns-preview with match positions counts the matches cut off",
    rg: ["-M", "12", "--max-columns-preview", "--column", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    printer: { maxColumns: 12, maxColumnsPreview: true, column: true, lineNumber: true },
    want: "1:7:alpha foo\n2:8:  beta foo b [... 0 more matches]\n4:1:foofoo foo\n" +
      "5:15:h\u00e9llo w\u00f6rld  [... 1 more match]\n6:6:last foo\n",
  },
  {
    name: "-M -o measures the match",
    rg: ["-M", "2", "-o", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    printer: { maxColumns: 2, onlyMatching: true },
    want: "[Omitted long matching line]\n".repeat(7),
  },
  {
    name: "-M on a context line",
    rg: ["-M", "12", "-C1", "gamma"],
    input: "TEXT",
    patterns: ["gamma"],
    search: { before: 1, after: 1 },
    printer: { maxColumns: 12 },
    want: "[Omitted long context line]\ngamma\nfoofoo foo\n",
  },
  {
    name: "colours: path, line, column and adjacent matches in one run",
    rg: ["--color=always", "-H", "-n", "--column", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    colors: [],
    printer: { withFilename: true, lineNumber: true, column: true },
    want: `${PATH}:${line(1)}:${col(7)}:alpha ${red("foo")}\n` +
      `${PATH}:${line(2)}:${col(8)}:  beta ${red("foo")} bar\n` +
      `${PATH}:${line(4)}:${col(1)}:${red("foofoo")} ${red("foo")}\n` +
      `${PATH}:${line(5)}:${col(15)}:h\u00e9llo w\u00f6rld ${red("foo")}\n` +
      `${PATH}:${line(6)}:${col(6)}:last ${red("foo")}\n`,
  },
  {
    name: "colours: --vimgrep colours only its own match",
    rg: ["--color=always", "--vimgrep", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    colors: [],
    printer: { vimgrep: true, withFilename: true, lineNumber: true, column: true },
    want: `${PATH}:${line(1)}:${col(7)}:alpha ${red("foo")}\n` +
      `${PATH}:${line(2)}:${col(8)}:  beta ${red("foo")} bar\n` +
      `${PATH}:${line(4)}:${col(1)}:${red("foo")}foo foo\n` +
      `${PATH}:${line(4)}:${col(4)}:foo${red("foo")} foo\n` +
      `${PATH}:${line(4)}:${col(8)}:foofoo ${red("foo")}\n` +
      `${PATH}:${line(5)}:${col(15)}:h\u00e9llo w\u00f6rld ${red("foo")}\n` +
      `${PATH}:${line(6)}:${col(6)}:last ${red("foo")}\n`,
  },
  {
    name: "colours: -o",
    rg: ["--color=always", "-o", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    colors: [],
    printer: { onlyMatching: true },
    want: `${red("foo")}\n`.repeat(7),
  },
  {
    name: "colours: adjacent replacements in one run",
    rg: ["--color=always", "-r", "X", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    colors: [],
    replace: "X",
    want: `alpha ${red("X")}\n  beta ${red("X")} bar\n${red("XX")} ${red("X")}\n` +
      `h\u00e9llo w\u00f6rld ${red("X")}\nlast ${red("X")}\n`,
  },
  {
    name: "colours: byte offsets take the column's colour",
    rg: ["--color=always", "-b", "-H", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    colors: [],
    printer: { withFilename: true, byteOffset: true },
    want: `${PATH}:${col(0)}:alpha ${red("foo")}\n${PATH}:${col(10)}:  beta ${red("foo")} bar\n` +
      `${PATH}:${col(31)}:${red("foofoo")} ${red("foo")}\n` +
      `${PATH}:${col(42)}:h\u00e9llo w\u00f6rld ${red("foo")}\n${PATH}:${col(60)}:last ${
        red("foo")
      }\n`,
  },
  {
    name: "colours: --heading",
    rg: ["--color=always", "--heading", "-H", "-n", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    colors: [],
    printer: { withFilename: true, heading: true, lineNumber: true },
    want: `${PATH}\n${line(1)}:alpha ${red("foo")}\n${line(2)}:  beta ${red("foo")} bar\n` +
      `${line(4)}:${red("foofoo")} ${red("foo")}\n${line(5)}:h\u00e9llo w\u00f6rld ${
        red("foo")
      }\n` +
      `${line(6)}:last ${red("foo")}\n`,
  },
  {
    name: "colours: --colors specs",
    rg: [
      "--color=always",
      ...["--colors", "match:fg:blue", "--colors", "match:style:nobold", "--colors", "line:none"],
      "-n",
      "foo",
    ],
    input: "TEXT",
    patterns: ["foo"],
    colors: ["match:fg:blue", "match:style:nobold", "line:none"],
    printer: { lineNumber: true },
    want: `${col(1)}:alpha ${E}\x1b[34mfoo${E}\n${col(2)}:  beta ${E}\x1b[34mfoo${E} bar\n` +
      `${col(4)}:${E}\x1b[34mfoofoo${E} ${E}\x1b[34mfoo${E}\n` +
      `${col(5)}:h\u00e9llo w\u00f6rld ${E}\x1b[34mfoo${E}\n${col(6)}:last ${E}\x1b[34mfoo${E}\n`,
  },
  {
    name: "colours: match:none writes replacements plainly",
    rg: ["--color=always", "--colors", "match:none", "-r", "X", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    colors: ["match:none"],
    replace: "X",
    want: "alpha X\n  beta X bar\nXX X\nh\u00e9llo w\u00f6rld X\nlast X\n",
  },
  {
    name: "colours: -M",
    rg: ["--color=always", "-M", "12", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    colors: [],
    printer: { maxColumns: 12 },
    want:
      `alpha ${red("foo")}\n[Omitted long line with 1 matches]\n${red("foofoo")} ${red("foo")}\n` +
      `[Omitted long line with 1 matches]\nlast ${red("foo")}\n`,
  },
  {
    name: "colours: -M --max-columns-preview",
    rg: ["--color=always", "-M", "12", "--max-columns-preview", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    colors: [],
    printer: { maxColumns: 12, maxColumnsPreview: true },
    want: `alpha ${red("foo")}\n  beta ${red("foo")} b [... 0 more matches]\n` +
      `${red("foofoo")} ${red("foo")}\nh\u00e9llo w\u00f6rld  [... 1 more match]\n` +
      `last ${red("foo")}\n`,
  },
  {
    name: "colours: with -v the context lines are the ones whose matches are coloured",
    rg: ["--color=always", "-n", "-v", "-C1", "gamma"],
    input: "TEXT",
    patterns: ["gamma"],
    search: { invert: true, before: 1, after: 1 },
    colors: [],
    printer: { lineNumber: true, invert: true },
    want: `${line(1)}:alpha foo\n${line(2)}:  beta foo bar\n${line(3)}-${red("gamma")}\n` +
      `${line(4)}:foofoo foo\n${line(5)}:h\u00e9llo w\u00f6rld foo\n${line(6)}:last foo\n`,
  },
  {
    name: "--replace with -v replaces in the context lines",
    rg: ["-v", "-r", "X", "-C1", "gamma"],
    input: "TEXT",
    patterns: ["gamma"],
    search: { invert: true, before: 1, after: 1 },
    replace: "X",
    printer: { invert: true },
    want: "alpha foo\n  beta foo bar\nX\nfoofoo foo\nh\u00e9llo w\u00f6rld foo\nlast foo\n",
  },
  {
    name: "context lines",
    rg: ["-n", "-C1", "gamma"],
    input: "TEXT",
    patterns: ["gamma"],
    search: { before: 1, after: 1 },
    printer: { lineNumber: true },
    want: "2-  beta foo bar\n3:gamma\n4-foofoo foo\n",
  },
  {
    name: "--context-separator",
    rg: ["--context-separator", "~~", "-A1", "alpha|foofoo"],
    input: "TEXT",
    patterns: ["alpha|foofoo"],
    search: { after: 1 },
    printer: { contextSeparator: "~~" },
    want: "alpha foo\n  beta foo bar\n~~\nfoofoo foo\nh\u00e9llo w\u00f6rld foo\n",
  },
  {
    name: "--no-context-separator",
    rg: ["--no-context-separator", "-A1", "alpha|foofoo"],
    input: "TEXT",
    patterns: ["alpha|foofoo"],
    search: { after: 1 },
    printer: { contextSeparator: null },
    want: "alpha foo\n  beta foo bar\nfoofoo foo\nh\u00e9llo w\u00f6rld foo\n",
  },
  {
    name: "--field-match-separator and --field-context-separator",
    rg: ["--field-match-separator", "=>", "--field-context-separator", "~", "-n", "-A1", "gamma"],
    input: "TEXT",
    patterns: ["gamma"],
    search: { after: 1 },
    printer: { lineNumber: true, matchSeparator: "=>", contextFieldSeparator: "~" },
    want: "3=>gamma\n4~foofoo foo\n",
  },
  {
    name: "--passthru",
    rg: ["-n", "--passthru", "gamma"],
    input: "TEXT",
    patterns: ["gamma"],
    search: { passthru: true },
    printer: { lineNumber: true },
    want: "1-alpha foo\n2-  beta foo bar\n3:gamma\n4-foofoo foo\n5-h\u00e9llo w\u00f6rld foo\n" +
      "6-last foo\n",
  },
  {
    name: "-0: a NUL after the path",
    rg: ["-H", "-0", "-n", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    printer: { withFilename: true, nullSeparator: true, lineNumber: true },
    want: "f.txt\x001:alpha foo\nf.txt\x002:  beta foo bar\nf.txt\x004:foofoo foo\n" +
      "f.txt\x005:h\u00e9llo w\u00f6rld foo\nf.txt\x006:last foo\n",
  },
  {
    name: "-0 with --heading",
    rg: ["-H", "--heading", "-0", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    printer: { withFilename: true, heading: true, nullSeparator: true },
    want: "f.txt\x00alpha foo\n  beta foo bar\nfoofoo foo\nh\u00e9llo w\u00f6rld foo\nlast foo\n",
  },
  {
    name: "-v: no column",
    rg: ["-n", "--column", "-v", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    search: { invert: true },
    printer: { lineNumber: true, column: true },
    want: "3:gamma\n",
  },
  {
    name: "-v -o prints the whole line",
    rg: ["-o", "-v", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    search: { invert: true },
    printer: { onlyMatching: true },
    want: "gamma\n",
  },
  {
    name: "-v --vimgrep prints the line once, without a column",
    rg: ["--vimgrep", "-v", "foo"],
    input: "TEXT",
    patterns: ["foo"],
    search: { invert: true },
    printer: { vimgrep: true, withFilename: true, lineNumber: true, column: true },
    want: "f.txt:3:gamma\n",
  },
  {
    name: "empty matches: -o prints each one, not one after a match or at the very end",
    rg: ["-o", "x*"],
    input: "EMPTY",
    patterns: ["x*"],
    printer: { onlyMatching: true },
    want: "\n\n\nxx\n\n\n",
  },
  {
    name: "empty matches: --vimgrep",
    rg: ["-n", "--vimgrep", "^"],
    input: "EMPTY",
    patterns: ["^"],
    printer: { vimgrep: true, withFilename: true, lineNumber: true, column: true },
    want: "f.txt:1:1:ab\nf.txt:2:1:xx\nf.txt:3:1:\nf.txt:4:1:c\n",
  },
  {
    name: "empty matches are not coloured",
    rg: ["--color=always", "x*"],
    input: "EMPTY",
    patterns: ["x*"],
    colors: [],
    want: `ab\n${red("xx")}\n\nc\n`,
  },
  {
    name: "empty matches are replaced, at the end of a last line too",
    rg: ["-r", "Y", "x*"],
    input: "EMPTY",
    patterns: ["x*"],
    replace: "Y",
    want: "YaYbY\nY\nY\nYcY\n",
  },
  {
    name: "empty matches: coloured replacements",
    rg: ["--color=always", "-r", "Y", "x*"],
    input: "EMPTY",
    patterns: ["x*"],
    colors: [],
    replace: "Y",
    want: `${red("Y")}a${red("Y")}b${red("Y")}\n${red("Y")}\n${red("Y")}\n${red("Y")}c${
      red("Y")
    }\n`,
  },
  {
    name: "empty matches: --column is the first match's",
    rg: ["--column", "-n", "x*"],
    input: "EMPTY",
    patterns: ["x*"],
    printer: { column: true, lineNumber: true },
    want: "1:1:ab\n2:1:xx\n3:1:\n4:1:c\n",
  },
  {
    name: "empty matches: $ at the end of a last line without newline has no column",
    rg: ["--column", "-n", "$"],
    input: "EMPTY",
    patterns: ["$"],
    printer: { column: true, lineNumber: true },
    want: "1:3:ab\n2:3:xx\n3:1:\n4:c\n",
  },
  {
    name: "text that is not UTF-8 is printed as its bytes",
    rg: ["-n", "foo"],
    input: "LATIN",
    patterns: ["foo"],
    printer: { lineNumber: true },
    want: latin1("1:caf\xe9 foo\n2:\xff\xfe foo bar\n"),
  },
  {
    name: "text that is not UTF-8: columns and offsets in bytes",
    rg: ["-n", "--column", "-b", "-o", "foo"],
    input: "LATIN",
    patterns: ["foo"],
    printer: { lineNumber: true, column: true, byteOffset: true, onlyMatching: true },
    want: "1:6:5:foo\n2:4:12:foo\n",
  },
  {
    name: "text that is not UTF-8: coloured",
    rg: ["--color=always", "foo"],
    input: "LATIN",
    patterns: ["foo"],
    colors: [],
    want: latin1(`caf\xe9 ${red("foo")}\n\xff\xfe ${red("foo")} bar\n`),
  },
  {
    name: "text that is not UTF-8: replaced",
    rg: ["-r", "X", "foo"],
    input: "LATIN",
    patterns: ["foo"],
    replace: "X",
    want: latin1("caf\xe9 X\n\xff\xfe X bar\n"),
  },
  {
    name: "-U: each line of a match is a matching line",
    rg: ["-U", "-n", "o\\nt"],
    input: "MULTI",
    patterns: ["o\\nt"],
    matcher: { multiline: true },
    search: { multiline: true },
    printer: { lineNumber: true, multiline: true },
    want: "2:two\n3:three\n",
  },
  {
    name: "-U -b: each line's own offset",
    rg: ["-U", "-n", "-b", "o\\nt"],
    input: "MULTI",
    patterns: ["o\\nt"],
    matcher: { multiline: true },
    search: { multiline: true },
    printer: { lineNumber: true, byteOffset: true, multiline: true },
    want: "2:4:two\n3:8:three\n",
  },
  {
    name: "-U --column: the match's column on each of its lines",
    rg: ["-U", "--column", "-n", "o\\nt"],
    input: "MULTI",
    patterns: ["o\\nt"],
    matcher: { multiline: true },
    search: { multiline: true },
    printer: { lineNumber: true, column: true, multiline: true },
    want: "2:3:two\n3:3:three\n",
  },
  {
    name: "-U -o: a piece per line, with the match's column and offset",
    rg: ["-U", "-o", "-n", "-b", "o\\nt"],
    input: "MULTI",
    patterns: ["o\\nt"],
    matcher: { multiline: true },
    search: { multiline: true },
    printer: { lineNumber: true, byteOffset: true, onlyMatching: true, multiline: true },
    want: "2:6:o\n3:6:t\n",
  },
  {
    name: "-U --vimgrep: one line per match (ripgrep#1866)",
    rg: ["-U", "--vimgrep", "o\\nt"],
    input: "MULTI",
    patterns: ["o\\nt"],
    matcher: { multiline: true },
    search: { multiline: true },
    printer: { vimgrep: true, withFilename: true, lineNumber: true, column: true, multiline: true },
    want: "f.txt:2:3:two\n",
  },
  {
    name: "-U: a match that ends with the newline is coloured on its line",
    rg: ["-U", "--color=always", "-n", "e\\n"],
    input: "MULTI",
    patterns: ["e\\n"],
    matcher: { multiline: true },
    search: { multiline: true },
    colors: [],
    printer: { lineNumber: true, multiline: true },
    want: `${line(1)}:on${red("e")}\n${line(3)}:thre${red("e")}\n`,
  },
  {
    name: "-U: a match over every line is coloured on each",
    rg: ["-U", "--color=always", "-n", "(?s)o.*r"],
    input: "MULTI",
    patterns: ["(?s)o.*r"],
    matcher: { multiline: true },
    search: { multiline: true },
    colors: [],
    printer: { lineNumber: true, multiline: true },
    want: `${line(1)}:${red("one")}\n${line(2)}:${red("two")}\n${line(3)}:${red("three")}\n` +
      `${line(4)}:${red("four")}\n`,
  },
];

/** Searches the input with a Searcher and prints it with a StandardPrinter, as FileSearch does. */
function print(c: Case): { output: Uint8Array; printer: StandardPrinter } {
  const matcher = buildMatcher(c.patterns, c.matcher);
  const searcher = new Searcher(matcher, c.search);
  const printer = new StandardPrinter({
    regex: matcher.clone(),
    ...c.printer,
    replace: c.replace === undefined ? undefined : compileReplacement(c.replace),
    colors: c.colors ? grepColors(c.colors) : undefined,
  });
  const out = new OutputBuffer();
  printer.begin("f.txt", out);
  searcher.reset();
  searcher.search(decodeChunk(INPUTS[c.input]), printer);
  return { output: out.take(), printer };
}

function assertPrints(actual: Uint8Array, want: string | Uint8Array): void {
  if (typeof want === "string") assert.equal(new TextDecoder().decode(actual), want);
  else assert.deepEqual(actual, want);
}

Deno.test("StandardPrinter prints what rg prints", async (t) => {
  for (const c of CASES) {
    await t.step(`${c.name} (rg ${c.rg.join(" ")})`, () => assertPrints(print(c).output, c.want));
  }
});

Deno.test({
  name: "StandardPrinter cases agree with rg 13",
  ignore: !hasRg13,
  fn: async (t) => {
    const dir = await Deno.makeTempDir();
    try {
      for (const c of CASES) {
        await t.step(`rg ${c.rg.join(" ")}`, async () => {
          await Deno.writeFile(`${dir}/f.txt`, INPUTS[c.input]);
          const out = await new Deno.Command("rg", {
            args: ["--no-config", ...c.rg, "f.txt"],
            cwd: dir,
            stdout: "piped",
          }).output();
          assertPrints(out.stdout, c.want);
        });
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("StandardPrinter counts the matches it finds, as rg --stats does", () => {
  const count = (c: Omit<Case, "name" | "rg" | "want">) =>
    print({ ...c, name: "", rg: [], want: "" });
  assert.equal(
    count({ input: "TEXT", patterns: ["foo"], printer: { onlyMatching: true } }).printer.matches,
    7,
  );
  assert.equal(
    count({ input: "TEXT", patterns: ["foo"], printer: { countMatches: true } }).printer.matches,
    7,
  );
  // rg --count-matches 'x*': 3 + 1 + 1, and 1 on the last line "c" (none at its very end).
  assert.equal(
    count({ input: "EMPTY", patterns: ["x*"], printer: { countMatches: true } }).printer.matches,
    6,
  );
  // Nothing asks for positions: nothing is counted.
  assert.equal(count({ input: "TEXT", patterns: ["foo"] }).printer.matches, 0);
});

Deno.test("StandardPrinter.begin() starts a new file: heading again, count from 0", () => {
  const matcher = buildMatcher(["foo"]);
  const printer = new StandardPrinter({
    regex: matcher.clone(),
    withFilename: true,
    heading: true,
    countMatches: true,
  });
  const searcher = new Searcher(matcher);
  const outputs: string[] = [];
  for (const [path, text] of [["a.txt", "foo\n"], ["b.txt", "x\nfoo foo\n"]]) {
    const out = new OutputBuffer();
    printer.begin(path, out);
    searcher.reset();
    searcher.search(decodeChunk(encoder.encode(text)), printer);
    outputs.push(new TextDecoder().decode(out.take()));
  }
  assert.deepEqual(outputs, ["a.txt\nfoo\n", "b.txt\nfoo foo\n"]);
  assert.equal(printer.matches, 2);
});

Deno.test("StandardPrinter prints nothing for a file without selected lines", () => {
  const { output } = print({
    name: "",
    rg: [],
    input: "TEXT",
    patterns: ["zzz"],
    printer: { withFilename: true, heading: true },
    want: "",
  });
  assert.equal(output.length, 0);
});

Deno.test("StandardPrinter reports binary files as rg does", async (t) => {
  const printed = (withFilename: boolean, report: (p: StandardPrinter) => void) => {
    const printer = new StandardPrinter({ regex: /x/gu, withFilename });
    const out = new OutputBuffer();
    printer.begin("b.bin", out);
    report(printer);
    return new TextDecoder().decode(out.take());
  };
  // rg foo b.bin / rg -H foo b.bin, for a file with a NUL byte at offset 7.
  await t.step("a named binary file that matches", () => {
    assert.equal(
      printed(false, (p) => p.binaryMatches(7)),
      'binary file matches (found "\\0" byte around offset 7)\n',
    );
    assert.equal(
      printed(true, (p) => p.binaryMatches(7)),
      'b.bin: binary file matches (found "\\0" byte around offset 7)\n',
    );
  });
  // rg foo dir/, for a walked file whose NUL byte comes after a match.
  await t.step("a walked binary file whose search stopped", () => {
    assert.equal(
      printed(true, (p) => p.binaryStopped(80001)),
      'b.bin: WARNING: stopped searching binary file after match (found "\\0" byte around offset 80001)\n',
    );
  });
});
