import assert from "node:assert/strict";
import { join } from "node:path";
import { type Sandbox, sandbox } from "./_util.ts";

const NOTES = ".local/share/kit/notes";

async function withSandbox(fn: (s: Sandbox) => Promise<void>): Promise<void> {
  const s = await sandbox();
  try {
    await fn(s);
  } finally {
    await s.cleanup();
  }
}

async function notesFiles(s: Sandbox, dir = NOTES): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(join(s.home, dir))) if (e.isFile) names.push(e.name);
  return names.sort();
}

Deno.test("notes new writes a note with frontmatter and prints its path", async () => {
  await withSandbox(async (s) => {
    const r = await s.kit([
      "notes",
      "new",
      "Reading list",
      "--tag",
      "books",
      "-t",
      "#todo",
      "--body",
      "- Dune\n",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const path = r.stdout.trim();
    assert.equal(path, join(s.home, NOTES, "reading-list.md"));
    const text = await Deno.readTextFile(path);
    assert.match(text, /^---\nid: [0-9a-z]{8}\ntitle: Reading list\ncreated: \d{4}-\d\d-\d\dT/);
    assert.match(text, /\ntags: \[books, todo\]\n/);
    assert.match(text, /\n---\n\n- Dune\n$/);
  });
});

Deno.test("notes new makes unique file names and reads the body from stdin with -", async () => {
  await withSandbox(async (s) => {
    await s.kit(["notes", "new", "Same"]);
    const r = await s.kit(["notes", "new", "Same", "--body", "-"], { stdin: "from stdin\n" });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.trim().endsWith("same-2.md"));
    assert.match(await Deno.readTextFile(r.stdout.trim()), /from stdin\n$/);
  });
});

Deno.test("notes new without a title and without a terminal is a usage error", async () => {
  await withSandbox(async (s) => {
    const r = await s.kit(["notes", "new"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.split("\n")[0], "kit notes: error: A new note needs a title");
  });
});

Deno.test("notes --dir and KIT_NOTES_DIR choose the folder", async () => {
  await withSandbox(async (s) => {
    const a = await s.kit(["notes", "--dir", "mine", "new", "A"]);
    assert.equal(a.stdout.trim(), join(s.home, "mine", "a.md"));
    const b = await s.kit(["notes", "new", "B"], { env: { KIT_NOTES_DIR: join(s.home, "env") } });
    assert.equal(b.stdout.trim(), join(s.home, "env", "b.md"));
  });
});

const NOTE = (id: string, title: string, updated: string, tags: string[], body: string) =>
  `---\nid: ${id}\ntitle: ${title}\ncreated: ${updated}\nupdated: ${updated}\ntags: [${
    tags.join(", ")
  }]\naliases: []\n---\n\n${body}`;

async function seed(s: Sandbox): Promise<void> {
  await s.write({
    [`${NOTES}/alpha.md`]: NOTE(
      "aaaa1111",
      "Alpha",
      "2026-01-01T00:00:00Z",
      ["greek", "first"],
      "Links to [[Beta]] and [[Nowhere]].\nApple pie\n",
    ),
    [`${NOTES}/beta.md`]: NOTE(
      "bbbb2222",
      "Beta",
      "2026-03-01T00:00:00Z",
      ["greek"],
      "Back to [[alpha|the first]].\n\n```\n[[Gamma]] in code\n```\n",
    ),
    [`${NOTES}/gamma.md`]: NOTE(
      "cccc3333",
      "Gamma ray",
      "2026-02-01T00:00:00Z",
      [],
      "Nobody links here. APPLE\n",
    ),
  });
}

Deno.test("notes list sorts by updated, title or created and filters by tag", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    const r = await s.kit(["notes", "list"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split("\n").map((l) => l.split(/\s+/)[0]), [
      "bbbb2222",
      "cccc3333",
      "aaaa1111",
    ]);
    const byTitle = await s.kit(["notes", "list", "--sort", "title", "--reverse"]);
    assert.deepEqual(byTitle.stdout.trim().split("\n").map((l) => l.split(/\s+/)[0]), [
      "cccc3333",
      "bbbb2222",
      "aaaa1111",
    ]);
    const tagged = await s.kit(["notes", "list", "--tag", "greek", "--tag", "first"]);
    assert.equal(tagged.stdout, "aaaa1111  2026-01-01  Alpha  #greek #first\n");
    const limited = await s.kit(["notes", "ls", "-n", "1", "--json"]);
    const row = JSON.parse(limited.stdout);
    assert.equal(row.title, "Beta");
    assert.deepEqual(row.tags, ["greek"]);
    const bad = await s.kit(["notes", "list", "--sort", "size"]);
    assert.equal(bad.code, 2);
    assert.match(
      bad.stderr,
      /^kit notes: error: --sort takes updated, created, title, not "size"\nhint: see 'kit notes list --help'\n$/,
    );
  });
});

Deno.test("notes list keeps a note with broken frontmatter and warns", async () => {
  await withSandbox(async (s) => {
    await s.write({ [`${NOTES}/broken-note.md`]: "---\ntitle: [unclosed\n---\nbody\n" });
    const r = await s.kit(["notes", "list"]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /broken-note\s+\S+\s+broken note/);
    assert.match(
      r.stderr,
      /kit notes: warning: Cannot read the frontmatter of ".*broken-note\.md"/,
    );
  });
});

Deno.test("notes list skips a non-UTF-8 file with a warning", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    await s.write({ [`${NOTES}/latin1.md`]: new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]) });
    const r = await s.kit(["notes", "list"]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.trim().split("\n").length, 3);
    assert.match(r.stderr, /Skipped ".*latin1\.md": not UTF-8 text/);
  });
});

Deno.test("notes search finds substrings with smart case and context", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    const r = await s.kit(["notes", "search", "apple", "-C", "0"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      "Alpha alpha.md\n11:Apple pie\n\nGamma ray gamma.md\n10:Nobody links here. APPLE\n",
    );
    const sensitive = await s.kit(["notes", "search", "APPLE", "--files"]);
    assert.equal(sensitive.stdout, `${join(s.home, NOTES, "gamma.md")}\n`);
    const context = await s.kit(["notes", "search", "pie"]);
    assert.equal(
      context.stdout,
      "Alpha alpha.md\n10-Links to [[Beta]] and [[Nowhere]].\n11:Apple pie\n",
    );
    const none = await s.kit(["notes", "search", "zebra"]);
    assert.equal(none.code, 1);
    assert.equal(none.stdout, "");
  });
});

Deno.test("notes search --regex, --tag and --json", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    const r = await s.kit([
      "notes",
      "search",
      "--regex",
      "^(Back|Nobody)",
      "--tag",
      "greek",
      "--json",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const rows = r.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(rows.map((x) => x.slug), ["beta"]);
    assert.deepEqual(rows[0].lines[0].ranges, [[0, 4]]);
    const bad = await s.kit(["notes", "search", "--regex", "(unclosed"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^kit notes: error: Invalid regular expression "\(unclosed"/);
  });
});

Deno.test("notes search --fuzzy ranks title matches first", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    const r = await s.kit(["notes", "search", "--fuzzy", "gmry"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split("\n")[0], "Gamma ray gamma.md");
    const colored = await s.kit(["notes", "--color", "always", "search", "-f", "gmry"]);
    assert.ok(colored.stdout.split("\n")[0].includes("\x1b[31mG"), colored.stdout);
  });
});

Deno.test("notes show renders markdown, resolves prefixes and marks broken links", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    const r = await s.kit(["notes", "show", "alp"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Alpha\naaaa1111 {2}2026-01-01 {2}#greek {2}#first\n\n/);
    assert.match(r.stdout, /Nowhere/);
    assert.match(r.stdout, /✗/);
    const raw = await s.kit(["notes", "show", "--raw", "bbbb"]);
    assert.equal(raw.stdout, await s.read(`${NOTES}/beta.md`));
    const byTitle = await s.kit(["notes", "show", "gamma ray", "--json"]);
    assert.equal(JSON.parse(byTitle.stdout).id, "cccc3333");
  });
});

Deno.test("notes show with an ambiguous or unknown name lists candidates or fails", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    await s.write({
      [`${NOTES}/alpine.md`]: NOTE("dddd4444", "Alpine", "2026-01-01T00:00:00Z", [], "x\n"),
    });
    const r = await s.kit(["notes", "show", "alp"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^kit notes: error: "alp" matches 2 notes:\n/);
    assert.match(r.stderr, /aaaa1111.*Alpha/);
    assert.match(r.stderr, /dddd4444.*Alpine/);
    const missing = await s.kit(["notes", "show", "zzz"]);
    assert.equal(missing.code, 1);
    assert.equal(
      missing.stderr,
      "kit notes: error: No note matches \"zzz\"\nhint: see 'kit notes list'\n",
    );
  });
});

Deno.test("notes edit round trip through $EDITOR updates the note and its timestamp", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    await s.write({ "editor.sh": '#!/bin/sh\nprintf "Edited line\\n" >> "$1"\n' });
    await Deno.chmod(join(s.home, "editor.sh"), 0o755);
    const r = await s.kit(["notes", "edit", "beta"], {
      env: { EDITOR: join(s.home, "editor.sh") },
    });
    assert.equal(r.code, 0, r.stderr);
    const text = await s.read(`${NOTES}/beta.md`);
    assert.match(text, /Edited line\n$/);
    assert.doesNotMatch(text, /updated: 2026-03-01T00:00:00Z/);
    assert.match(text, /created: 2026-03-01T00:00:00Z/);
  });
});

Deno.test("notes edit keeps a note whose YAML the user broke, with a warning", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    await s.write({ "editor.sh": "#!/bin/sh\nsed -i 's/^title: Beta$/title: [oops/' \"$1\"\n" });
    await Deno.chmod(join(s.home, "editor.sh"), 0o755);
    const r = await s.kit(["notes", "edit", "beta"], {
      env: { EDITOR: join(s.home, "editor.sh") },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /warning: .*kept as you wrote it/);
    assert.match(await s.read(`${NOTES}/beta.md`), /^---\nid: bbbb2222\ntitle: \[oops\n/);
    const list = await s.kit(["notes", "list"]);
    assert.match(list.stdout, /beta/);
  });
});

Deno.test("notes edit reports an editor that fails", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    const r = await s.kit(["notes", "edit", "beta"], { env: { EDITOR: "false" } });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'kit notes: error: The editor "false" exited with status 1\n');
  });
});

Deno.test("notes tag adds and removes tags; tags counts them", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    const add = await s.kit(["notes", "tag", "gamma", "add", "physics", "#greek"]);
    assert.equal(add.stdout, "#physics #greek\n");
    const rm = await s.kit(["notes", "tag", "alpha", "rm", "first"]);
    assert.equal(rm.stdout, "#greek\n");
    const tags = await s.kit(["notes", "tags"]);
    assert.equal(tags.stdout, "3  #greek\n1  #physics\n");
    const json = await s.kit(["notes", "tags", "--json"]);
    assert.deepEqual(JSON.parse(json.stdout.split("\n")[0]), { tag: "greek", count: 3 });
    const bad = await s.kit(["notes", "tag", "alpha", "toggle", "x"]);
    assert.equal(bad.code, 2);
  });
});

Deno.test("notes tag from two processes at once keeps both tags", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    const runs = await Promise.all(
      ["one", "two", "three", "four"].map((t) => s.kit(["notes", "tag", "gamma", "add", t])),
    );
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const show = await s.kit(["notes", "show", "gamma", "--json"]);
    assert.deepEqual(JSON.parse(show.stdout).tags.sort(), ["four", "one", "three", "two"]);
  });
});

Deno.test("notes rm moves to the trash; --purge deletes", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    const r = await s.kit(["notes", "rm", "gamma"]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await notesFiles(s), ["alpha.md", "beta.md"]);
    assert.match(await s.read(`${NOTES}/.trash/gamma.md`), /Gamma ray/);
    const purge = await s.kit(["notes", "rm", "--purge", "beta"]);
    assert.equal(purge.code, 0);
    assert.deepEqual(await notesFiles(s), ["alpha.md"]);
    assert.deepEqual(await notesFiles(s, `${NOTES}/.trash`), ["gamma.md"]);
  });
});

Deno.test("notes mv renames the file and rewrites links to it", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    const r = await s.kit(["notes", "mv", "alpha", "First", "letter"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), join(s.home, NOTES, "first-letter.md"));
    assert.match(r.stderr, /Rewrote links in 1 note/);
    assert.match(await s.read(`${NOTES}/beta.md`), /Back to \[\[First letter\|the first\]\]/);
    assert.match(await s.read(`${NOTES}/beta.md`), /\[\[Gamma\]\] in code/);
    assert.match(await s.read(`${NOTES}/first-letter.md`), /title: First letter\n/);
    const back = await s.kit(["notes", "backlinks", "first letter"]);
    assert.match(back.stdout, /bbbb2222/);
  });
});

Deno.test("notes daily makes the day's note once from a template", async () => {
  await withSandbox(async (s) => {
    const r = await s.kit(["notes", "daily", "--date", "2026-11-26"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), join(s.home, NOTES, "2026-11-26.md"));
    const text = await s.read(`${NOTES}/2026-11-26.md`);
    assert.match(text, /tags: \[daily\]/);
    assert.match(text, /# Thursday, 2026-11-26/);
    const again = await s.kit(["notes", "daily", "--date", "2026-11-26"]);
    assert.equal(again.stdout, r.stdout);
    assert.deepEqual(await notesFiles(s), ["2026-11-26.md"]);
    await s.write({
      [`${NOTES}/.kit/templates/daily.md`]: "Day {{date}}, after [[{{yesterday}}]]\n",
    });
    await s.kit(["notes", "daily", "--date", "2026-11-27"]);
    assert.match(
      await s.read(`${NOTES}/2026-11-27.md`),
      /Day 2026-11-27, after \[\[2026-11-26\]\]/,
    );
    const bad = await s.kit(["notes", "daily", "--date", "2026-02-30"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /"2026-02-30" is not a date/);
  });
});

Deno.test("notes links, backlinks and orphans follow wiki links", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    const links = await s.kit(["notes", "links", "alpha"]);
    assert.equal(links.stdout, "[[Beta]] → Beta beta.md\n[[Nowhere]] ✗ broken: no such note\n");
    const back = await s.kit(["notes", "backlinks", "alpha", "--json"]);
    assert.deepEqual(back.stdout.trim().split("\n").map((l) => JSON.parse(l).slug), ["beta"]);
    const orphans = await s.kit(["notes", "orphans"]);
    assert.match(orphans.stdout, /^cccc3333\s+2026-02-01\s+Gamma ray\n$/);
  });
});

Deno.test("notes export --html writes linked pages, an index and tag pages", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    const r = await s.kit(["notes", "export", "--html", "--out", "site"]);
    assert.equal(r.code, 0, r.stderr);
    const alpha = await s.read("site/alpha.html");
    assert.match(alpha, /<a class="wikilink" href="beta\.html">/);
    assert.match(alpha, /class="wikilink broken"/);
    const index = await s.read("site/index.html");
    for (const page of ["alpha.html", "beta.html", "gamma.html"]) {
      assert.match(index, new RegExp(page));
    }
    assert.match(await s.read("site/tags/greek.html"), /alpha\.html/);
    const missing = await s.kit(["notes", "export", "--out", "x"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /hint: kit notes export --html --out DIR/);
  });
});

Deno.test("notes sync copies both ways and keeps both sides of a conflict", async () => {
  await withSandbox(async (s) => {
    await seed(s);
    await s.write({
      "other/delta.md": NOTE("eeee5555", "Delta", "2026-04-01T00:00:00Z", [], "d\n"),
    });
    const dry = await s.kit(["notes", "sync", "other", "--dry-run"]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(await notesFiles(s, "other"), ["delta.md"]);
    const first = await s.kit(["notes", "sync", "other"]);
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(await notesFiles(s, "other"), ["alpha.md", "beta.md", "delta.md", "gamma.md"]);
    assert.deepEqual(await notesFiles(s), ["alpha.md", "beta.md", "delta.md", "gamma.md"]);
    await s.write({
      [`${NOTES}/beta.md`]: NOTE("bbbb2222", "Beta", "2026-05-01T00:00:00Z", [], "mine\n"),
    });
    await s.write({
      "other/beta.md": NOTE("bbbb2222", "Beta", "2026-05-02T00:00:00Z", [], "theirs\n"),
    });
    const second = await s.kit(["notes", "sync", "other"]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /conflict/);
    const local = await notesFiles(s);
    const conflict = local.find((n) => n.includes(".conflict-"));
    assert.ok(conflict, local.join(","));
    const both = (await s.read(`${NOTES}/beta.md`)) + (await s.read(`${NOTES}/${conflict}`));
    assert.match(both, /mine/);
    assert.match(both, /theirs/);
  });
});

Deno.test("notes import makes notes of markdown files and leaves them untouched", async () => {
  await withSandbox(async (s) => {
    const original = "# Trip plan\n\nPack [[Gear]].\n";
    await s.write({
      "old/trip.md": original,
      "old/sub/ideas.txt": "plain ideas\n",
      "old/meta.md": "---\ntitle: With meta\ntags: [x]\n---\nbody\n",
      "old/bad.md": new Uint8Array([0xff, 0xfe, 0x00, 0x41]),
    });
    const r = await s.kit(["notes", "import", "old", "--tag", "imported"]);
    assert.equal(r.code, 2, "a skipped file makes the exit code 2");
    assert.match(r.stderr, /Skipped ".*bad\.md": not UTF-8 text/);
    assert.match(r.stderr, /Imported 3 notes, skipped 1/);
    assert.equal(await s.read("old/trip.md"), original);
    const list = await s.kit(["notes", "list", "--sort", "title", "--json"]);
    const rows = list.stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(rows.map((x) => x.title), ["ideas", "Trip plan", "With meta"]);
    assert.deepEqual(rows[2].tags, ["x", "imported"]);
  });
});

Deno.test("notes with an unknown subcommand or option is a usage error with a hint", async () => {
  await withSandbox(async (s) => {
    const r = await s.kit(["notes", "lst"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^kit notes: error: unknown command 'lst'\nhint: did you mean 'list'\?/);
    const opt = await s.kit(["notes", "list", "--bogus"]);
    assert.equal(opt.code, 2);
    assert.match(opt.stderr, /^kit notes: error: unknown option '--bogus'\n/);
  });
});

Deno.test("notes search | head exits quietly on a closed pipe", async () => {
  await withSandbox(async (s) => {
    const body = "match line\n".repeat(20000);
    await s.write({
      [`${NOTES}/big.md`]: NOTE("ffff6666", "Big", "2026-01-01T00:00:00Z", [], body),
    });
    const command = new Deno.Command("sh", {
      args: [
        "-c",
        `"${Deno.execPath()}" run -A --quiet "$0/main.ts" notes search match | head -1`,
        (await import("./_util.ts")).ROOT,
      ],
      env: s.env,
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    });
    const out = await command.output();
    assert.equal(new TextDecoder().decode(out.stdout), "Big big.md\n");
    assert.equal(new TextDecoder().decode(out.stderr), "");
  });
});
