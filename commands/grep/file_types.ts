/**
 * ripgrep's file types: named sets of globs chosen with `-t` and turned away with `-T`.
 *
 * @module
 */

import { NameGlobSet } from "./_name_glob.ts";

/** What a type matcher says about one file name. */
export type FileTypeDecision = "include" | "exclude";

/**
 * Decides a file by its base name: `"exclude"` when a `-T` type matches or when `-t` types
 * were given and none matches, `"include"` when a `-t` type matches, `undefined` when no
 * type has a say. Types never apply to directories.
 */
export type FileTypeMatcher = (name: string) => FileTypeDecision | undefined;

/** One type as `rg --type-list` shows it. */
export interface FileTypeDefinition {
  /** The type's name, e.g. `rust`. */
  name: string;
  /** Its globs, sorted. */
  globs: string[];
}

/** ripgrep's message for a `--type-add` it cannot read. */
const INVALID_DEFINITION = "invalid definition (format is type:glob, e.g., html:*.html)";

/**
 * A table of file types: ripgrep's built-in ones, plus `--type-add`, less `--type-clear`.
 *
 * ripgrep 13 applies every `--type-clear` before every `--type-add`, whatever their order
 * on the command line; a caller that wants the same result calls {@linkcode FileTypes.clear}
 * first.
 *
 * @example
 * ```ts
 * import { FileTypes } from "./file_types.ts";
 * import assert from "node:assert/strict";
 * const types = FileTypes.defaults();
 * types.add("web:include:html,css");
 * const matcher = types.matcher(["web"], ["css"])!;
 * assert.equal(matcher("index.html"), "include");
 * assert.equal(matcher("site.css"), "exclude");
 * assert.equal(matcher("main.rs"), "exclude");
 * ```
 */
export class FileTypes {
  /** Globs by type name, in the order they were added. */
  readonly #types = new Map<string, string[]>();

  /**
   * A table of ripgrep 13's built-in types, as `rg --type-list` prints them.
   *
   * @example
   * ```ts
   * import { FileTypes } from "./file_types.ts";
   * import assert from "node:assert/strict";
   * assert.ok(FileTypes.defaults().list().includes("rust: *.rs"));
   * ```
   *
   * @returns A new table that the caller may change.
   */
  static defaults(): FileTypes {
    const types = new FileTypes();
    for (const [name, globs] of DEFAULT_TYPES) types.#types.set(name, [...globs]);
    return types;
  }

  /**
   * Adds globs to a type, as `rg --type-add` does. `name:glob` adds one glob (a comma is
   * part of the glob: use `{a,b}` for several); `name:include:a,b` adds every glob of the
   * types `a` and `b` as they are now. Names are letters and digits only, and not `all`.
   * Globs are checked only when a matcher selects them, as in ripgrep.
   *
   * @example
   * ```ts
   * import { FileTypes } from "./file_types.ts";
   * import assert from "node:assert/strict";
   * const types = new FileTypes();
   * types.add("foo:*.{foo,bar}");
   * types.add("both:include:foo");
   * assert.deepEqual(types.list(), ["both: *.{foo,bar}", "foo: *.{foo,bar}"]);
   * assert.throws(() => types.add("foo"), TypeError);
   * ```
   *
   * @param definition `name:glob` or `name:include:type[,type...]`.
   * @throws {TypeError} `invalid definition (format is type:glob, e.g., html:*.html)`, ripgrep's
   *   text, when the definition is malformed or includes a type that does not exist; the
   *   table is then unchanged.
   */
  add(definition: string): void {
    const parts = definition.split(":");
    let name: string;
    let globs: string[];
    if (parts.length === 2) {
      [name, globs] = [parts[0], [parts[1]]];
      if (name === "" || parts[1] === "") throw new TypeError(INVALID_DEFINITION);
    } else if (parts.length === 3) {
      name = parts[0];
      if (name === "" || parts[1] !== "include" || parts[2] === "") {
        throw new TypeError(INVALID_DEFINITION);
      }
      globs = [];
      for (const included of parts[2].split(",")) {
        const more = this.#types.get(included);
        if (more === undefined) throw new TypeError(INVALID_DEFINITION);
        globs.push(...more);
      }
    } else {
      throw new TypeError(INVALID_DEFINITION);
    }
    // ripgrep's rule is Rust's char::is_alphanumeric: Unicode letters and numbers.
    if (name === "all" || !/^[\p{Alphabetic}\p{N}]+$/u.test(name)) {
      throw new TypeError(INVALID_DEFINITION);
    }
    const existing = this.#types.get(name);
    if (existing === undefined) this.#types.set(name, globs);
    else existing.push(...globs);
  }

  /**
   * Removes a type, as `rg --type-clear` does; an unknown name is no error.
   *
   * @example
   * ```ts
   * import { FileTypes } from "./file_types.ts";
   * import assert from "node:assert/strict";
   * const types = FileTypes.defaults();
   * types.clear("rust");
   * assert.throws(() => types.matcher(["rust"], []), TypeError);
   * ```
   *
   * @param name The type to remove.
   */
  clear(name: string): void {
    this.#types.delete(name);
  }

  /**
   * The types sorted by name, each with its globs sorted, as ripgrep sorts them (by bytes).
   *
   * @example
   * ```ts
   * import { FileTypes } from "./file_types.ts";
   * import assert from "node:assert/strict";
   * const types = new FileTypes();
   * types.add("b:*.y");
   * types.add("b:*.x");
   * types.add("a:A");
   * assert.deepEqual(types.definitions(), [
   *   { name: "a", globs: ["A"] },
   *   { name: "b", globs: ["*.x", "*.y"] },
   * ]);
   * ```
   *
   * @returns One definition per type.
   */
  definitions(): FileTypeDefinition[] {
    return [...this.#types.keys()].sort(compareBytes).map((name) => ({
      name,
      globs: [...this.#types.get(name)!].sort(compareBytes),
    }));
  }

  /**
   * The lines `rg --type-list` prints: `name: glob, glob`, in the same order.
   *
   * @example
   * ```ts
   * import { FileTypes } from "./file_types.ts";
   * import assert from "node:assert/strict";
   * const types = new FileTypes();
   * types.add("web:*.html");
   * types.add("web:*.css");
   * assert.deepEqual(types.list(), ["web: *.css, *.html"]);
   * ```
   *
   * @returns One line per type, without line ends.
   */
  list(): string[] {
    return this.definitions().map(({ name, globs }) => `${name}: ${globs.join(", ")}`);
  }

  /**
   * Builds the matcher for `-t` (`select`) and `-T` (`negate`) type names. The special name
   * `all` stands for every type defined now. As in ripgrep 13, a name matching both a
   * selected and a negated type is excluded.
   *
   * @example
   * ```ts
   * import { FileTypes } from "./file_types.ts";
   * import assert from "node:assert/strict";
   * const types = FileTypes.defaults();
   * assert.equal(types.matcher([], []), undefined);
   * const notC = types.matcher([], ["c"])!;
   * assert.equal(notC("main.c"), "exclude");
   * assert.equal(notC("main.rs"), undefined);
   * assert.throws(() => types.matcher(["nope"], []), { message: "unrecognized file type: nope" });
   * ```
   *
   * @param select Type names given to `-t`, in order.
   * @param negate Type names given to `-T`, in order.
   * @returns The matcher, or undefined when neither list names a type.
   * @throws {TypeError} `unrecognized file type: NAME`, ripgrep's text, for an unknown name.
   * @throws {SyntaxError} ripgrep's `error parsing glob '...': ...` for a bad glob of a
   *   chosen type. Names and globs are checked in ripgrep's order, so the same error comes
   *   first.
   */
  matcher(select: string[], negate: string[]): FileTypeMatcher | undefined {
    const selected = this.#expandAll(select);
    const negated = this.#expandAll(negate);
    if (selected.length === 0 && negated.length === 0) return undefined;
    const include = this.#globSet(selected);
    const exclude = this.#globSet(negated);
    const includes = selected.length > 0 ? include.compile() : undefined;
    const excludes = negated.length > 0 ? exclude.compile() : undefined;
    // ripgrep keeps the last matching glob, and it adds every -T after every -t: a negated
    // type therefore wins over a selected one.
    if (includes === undefined) {
      return function fileType(name) {
        return excludes!(name) ? "exclude" : undefined;
      };
    }
    if (excludes === undefined) {
      return function fileType(name) {
        return includes(name) ? "include" : "exclude";
      };
    }
    return function fileType(name) {
      if (excludes(name)) return "exclude";
      return includes(name) ? "include" : "exclude";
    };
  }

  /** The names with `all` replaced by every defined type, sorted as ripgrep's map is. */
  #expandAll(names: string[]): string[] {
    return names.flatMap((name) =>
      name === "all" ? [...this.#types.keys()].sort(compareBytes) : [name]
    );
  }

  #globSet(names: string[]): NameGlobSet {
    const set = new NameGlobSet();
    for (const name of names) {
      const globs = this.#types.get(name);
      if (globs === undefined) throw new TypeError(`unrecognized file type: ${name}`);
      for (const glob of globs) set.add(glob);
    }
    return set;
  }
}

/** Orders strings by code point, which is the UTF-8 byte order Rust's strings sort in. */
function compareBytes(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/**
 * ripgrep 13.0.0's built-in types, from `rg --type-list`, sorted by name, globs sorted.
 * Kept as data so a newer ripgrep's table can be pasted in.
 */
const DEFAULT_TYPES: readonly (readonly [string, readonly string[]])[] = [
  ["agda", ["*.agda", "*.lagda"]],
  ["aidl", ["*.aidl"]],
  ["amake", ["*.bp", "*.mk"]],
  ["asciidoc", ["*.adoc", "*.asc", "*.asciidoc"]],
  ["asm", ["*.S", "*.asm", "*.s"]],
  ["asp", ["*.ascx", "*.ascx.cs", "*.ascx.vb", "*.aspx", "*.aspx.cs", "*.aspx.vb"]],
  ["ats", ["*.ats", "*.dats", "*.hats", "*.sats"]],
  ["avro", ["*.avdl", "*.avpr", "*.avsc"]],
  ["awk", ["*.awk"]],
  ["bazel", ["*.BUILD", "*.bazel", "*.bazelrc", "*.bzl", "BUILD", "WORKSPACE"]],
  ["bitbake", ["*.bb", "*.bbappend", "*.bbclass", "*.conf", "*.inc"]],
  ["brotli", ["*.br"]],
  ["buildstream", ["*.bst"]],
  ["bzip2", ["*.bz2", "*.tbz2"]],
  ["c", ["*.[chH]", "*.[chH].in", "*.cats"]],
  ["cabal", ["*.cabal"]],
  ["cbor", ["*.cbor"]],
  ["ceylon", ["*.ceylon"]],
  ["clojure", ["*.clj", "*.cljc", "*.cljs", "*.cljx"]],
  ["cmake", ["*.cmake", "CMakeLists.txt"]],
  ["coffeescript", ["*.coffee"]],
  ["config", ["*.cfg", "*.conf", "*.config", "*.ini"]],
  ["coq", ["*.v"]],
  ["cpp", [
    "*.[ChH]",
    "*.[ChH].in",
    "*.[ch]pp",
    "*.[ch]pp.in",
    "*.[ch]xx",
    "*.[ch]xx.in",
    "*.cc",
    "*.cc.in",
    "*.hh",
    "*.hh.in",
    "*.inl",
  ]],
  ["creole", ["*.creole"]],
  ["crystal", ["*.cr", "Projectfile"]],
  ["cs", ["*.cs"]],
  ["csharp", ["*.cs"]],
  ["cshtml", ["*.cshtml"]],
  ["css", ["*.css", "*.scss"]],
  ["csv", ["*.csv"]],
  ["cython", ["*.pxd", "*.pxi", "*.pyx"]],
  ["d", ["*.d"]],
  ["dart", ["*.dart"]],
  ["dhall", ["*.dhall"]],
  ["diff", ["*.diff", "*.patch"]],
  ["docker", ["*Dockerfile*"]],
  ["dvc", ["*.dvc", "Dvcfile"]],
  ["ebuild", ["*.ebuild"]],
  ["edn", ["*.edn"]],
  ["elisp", ["*.el"]],
  ["elixir", ["*.eex", "*.ex", "*.exs"]],
  ["elm", ["*.elm"]],
  ["erb", ["*.erb"]],
  ["erlang", ["*.erl", "*.hrl"]],
  ["fidl", ["*.fidl"]],
  ["fish", ["*.fish"]],
  ["flatbuffers", ["*.fbs"]],
  ["fortran", ["*.F", "*.F77", "*.F90", "*.F95", "*.f", "*.f77", "*.f90", "*.f95", "*.pfo"]],
  ["fsharp", ["*.fs", "*.fsi", "*.fsx"]],
  ["fut", [".fut"]],
  ["gap", ["*.g", "*.gap", "*.gd", "*.gi", "*.tst"]],
  ["gn", ["*.gn", "*.gni"]],
  ["go", ["*.go"]],
  ["gradle", ["*.gradle"]],
  ["groovy", ["*.gradle", "*.groovy"]],
  ["gzip", ["*.gz", "*.tgz"]],
  ["h", ["*.h", "*.hpp"]],
  ["haml", ["*.haml"]],
  ["haskell", ["*.c2hs", "*.cpphs", "*.hs", "*.hsc", "*.lhs"]],
  ["hbs", ["*.hbs"]],
  ["hs", ["*.hs", "*.lhs"]],
  ["html", ["*.ejs", "*.htm", "*.html"]],
  ["idris", ["*.idr", "*.lidr"]],
  ["java", ["*.java", "*.jsp", "*.jspx", "*.properties"]],
  ["jinja", ["*.j2", "*.jinja", "*.jinja2"]],
  ["jl", ["*.jl"]],
  ["js", ["*.js", "*.jsx", "*.vue"]],
  ["json", ["*.json", "composer.lock"]],
  ["jsonl", ["*.jsonl"]],
  ["julia", ["*.jl"]],
  ["jupyter", ["*.ipynb", "*.jpynb"]],
  ["k", ["*.k"]],
  ["kotlin", ["*.kt", "*.kts"]],
  ["less", ["*.less"]],
  ["license", [
    "*[.-]LICEN[CS]E*",
    "AGPL-*[0-9]*",
    "APACHE-*[0-9]*",
    "BSD-*[0-9]*",
    "CC-BY-*",
    "COPYING",
    "COPYING[.-]*",
    "COPYRIGHT",
    "COPYRIGHT[.-]*",
    "EULA",
    "EULA[.-]*",
    "GFDL-*[0-9]*",
    "GNU-*[0-9]*",
    "GPL-*[0-9]*",
    "LGPL-*[0-9]*",
    "LICEN[CS]E",
    "LICEN[CS]E[.-]*",
    "MIT-*[0-9]*",
    "MPL-*[0-9]*",
    "NOTICE",
    "NOTICE[.-]*",
    "OFL-*[0-9]*",
    "PATENTS",
    "PATENTS[.-]*",
    "UNLICEN[CS]E",
    "UNLICEN[CS]E[.-]*",
    "agpl[.-]*",
    "gpl[.-]*",
    "lgpl[.-]*",
    "licen[cs]e",
    "licen[cs]e.*",
  ]],
  ["lisp", ["*.el", "*.jl", "*.lisp", "*.lsp", "*.sc", "*.scm"]],
  ["lock", ["*.lock", "package-lock.json"]],
  ["log", ["*.log"]],
  ["lua", ["*.lua"]],
  ["lz4", ["*.lz4"]],
  ["lzma", ["*.lzma"]],
  ["m4", ["*.ac", "*.m4"]],
  ["make", [
    "*.mak",
    "*.mk",
    "[Gg][Nn][Uu]makefile",
    "[Gg][Nn][Uu]makefile.am",
    "[Gg][Nn][Uu]makefile.in",
    "[Mm]akefile",
    "[Mm]akefile.am",
    "[Mm]akefile.in",
  ]],
  ["mako", ["*.mako", "*.mao"]],
  ["man", ["*.[0-9][cEFMmpSx]", "*.[0-9lnpx]"]],
  ["markdown", ["*.markdown", "*.md", "*.mdown", "*.mkdn"]],
  ["matlab", ["*.m"]],
  ["md", ["*.markdown", "*.md", "*.mdown", "*.mkdn"]],
  ["meson", ["meson.build", "meson_options.txt"]],
  ["minified", ["*.min.css", "*.min.html", "*.min.js"]],
  ["mint", ["*.mint"]],
  ["mk", ["mkfile"]],
  ["ml", ["*.ml"]],
  ["msbuild", ["*.csproj", "*.fsproj", "*.proj", "*.props", "*.targets", "*.vcxproj"]],
  ["nim", ["*.nim", "*.nimble", "*.nimf", "*.nims"]],
  ["nix", ["*.nix"]],
  ["objc", ["*.h", "*.m"]],
  ["objcpp", ["*.h", "*.mm"]],
  ["ocaml", ["*.ml", "*.mli", "*.mll", "*.mly"]],
  ["org", ["*.org", "*.org_archive"]],
  ["pascal", ["*.dpr", "*.inc", "*.lpr", "*.pas", "*.pp"]],
  ["pdf", ["*.pdf"]],
  ["perl", ["*.PL", "*.perl", "*.pl", "*.plh", "*.plx", "*.pm", "*.t"]],
  ["php", ["*.php", "*.php3", "*.php4", "*.php5", "*.phtml"]],
  ["po", ["*.po"]],
  ["pod", ["*.pod"]],
  ["postscript", ["*.eps", "*.ps"]],
  ["protobuf", ["*.proto"]],
  ["ps", ["*.cdxml", "*.ps1", "*.ps1xml", "*.psd1", "*.psm1"]],
  ["puppet", ["*.erb", "*.pp", "*.rb"]],
  ["purs", ["*.purs"]],
  ["py", ["*.py"]],
  ["qmake", ["*.prf", "*.pri", "*.pro"]],
  ["qml", ["*.qml"]],
  ["r", ["*.R", "*.Rmd", "*.Rnw", "*.r"]],
  ["racket", ["*.rkt"]],
  ["rdoc", ["*.rdoc"]],
  ["readme", ["*README", "README*"]],
  ["red", ["*.r", "*.red", "*.reds"]],
  ["robot", ["*.robot"]],
  ["rst", ["*.rst"]],
  ["ruby", ["*.gemspec", "*.rb", "*.rbw", ".irbrc", "Gemfile", "Rakefile", "config.ru"]],
  ["rust", ["*.rs"]],
  ["sass", ["*.sass", "*.scss"]],
  ["scala", ["*.sbt", "*.scala"]],
  ["sh", [
    "*.bash",
    "*.bashrc",
    "*.csh",
    "*.cshrc",
    "*.ksh",
    "*.kshrc",
    "*.sh",
    "*.tcsh",
    "*.zsh",
    ".bash_login",
    ".bash_logout",
    ".bash_profile",
    ".bashrc",
    ".cshrc",
    ".kshrc",
    ".login",
    ".logout",
    ".profile",
    ".tcshrc",
    ".zlogin",
    ".zlogout",
    ".zprofile",
    ".zshenv",
    ".zshrc",
    "bash_login",
    "bash_logout",
    "bash_profile",
    "bashrc",
    "profile",
    "zlogin",
    "zlogout",
    "zprofile",
    "zshenv",
    "zshrc",
  ]],
  ["slim", ["*.skim", "*.slim", "*.slime"]],
  ["smarty", ["*.tpl"]],
  ["sml", ["*.sig", "*.sml"]],
  ["soy", ["*.soy"]],
  ["spark", ["*.spark"]],
  ["spec", ["*.spec"]],
  ["sql", ["*.psql", "*.sql"]],
  ["stylus", ["*.styl"]],
  ["sv", ["*.h", "*.sv", "*.svh", "*.v", "*.vg"]],
  ["svg", ["*.svg"]],
  ["swift", ["*.swift"]],
  ["swig", ["*.def", "*.i"]],
  ["systemd", [
    "*.automount",
    "*.conf",
    "*.device",
    "*.link",
    "*.mount",
    "*.path",
    "*.scope",
    "*.service",
    "*.slice",
    "*.socket",
    "*.swap",
    "*.target",
    "*.timer",
  ]],
  ["taskpaper", ["*.taskpaper"]],
  ["tcl", ["*.tcl"]],
  ["tex", ["*.bib", "*.cls", "*.dtx", "*.ins", "*.ltx", "*.sty", "*.tex"]],
  ["textile", ["*.textile"]],
  ["tf", ["*.tf"]],
  ["thrift", ["*.thrift"]],
  ["toml", ["*.toml", "Cargo.lock"]],
  ["ts", ["*.ts", "*.tsx"]],
  ["twig", ["*.twig"]],
  ["txt", ["*.txt"]],
  ["typoscript", ["*.ts", "*.typoscript"]],
  ["vala", ["*.vala"]],
  ["vb", ["*.vb"]],
  ["vcl", ["*.vcl"]],
  ["verilog", ["*.sv", "*.svh", "*.v", "*.vh"]],
  ["vhdl", ["*.vhd", "*.vhdl"]],
  ["vim", ["*.vim"]],
  ["vimscript", ["*.vim"]],
  ["webidl", ["*.idl", "*.webidl", "*.widl"]],
  ["wiki", ["*.mediawiki", "*.wiki"]],
  ["xml", [
    "*.dtd",
    "*.rng",
    "*.sch",
    "*.xhtml",
    "*.xjb",
    "*.xml",
    "*.xml.dist",
    "*.xsd",
    "*.xsl",
    "*.xslt",
  ]],
  ["xz", ["*.txz", "*.xz"]],
  ["yacc", ["*.y"]],
  ["yaml", ["*.yaml", "*.yml"]],
  ["yang", ["*.yang"]],
  ["z", ["*.Z"]],
  ["zig", ["*.zig"]],
  ["zsh", [
    "*.zsh",
    ".zlogin",
    ".zlogout",
    ".zprofile",
    ".zshenv",
    ".zshrc",
    "zlogin",
    "zlogout",
    "zprofile",
    "zshenv",
    "zshrc",
  ]],
  ["zstd", ["*.zst", "*.zstd"]],
];
