/**
 * Generates a deterministic corpus of markdown notes for the `kit notes` benchmarks.
 *
 * ```sh
 * deno run -A bench/gen_notes.ts DIR [COUNT=10000]
 * ```
 *
 * The same COUNT always gives byte-identical files (a seeded PRNG, never `Math.random`), so
 * figures from different days and machines are comparable. Each note is about 2 KB: frontmatter,
 * paragraphs of pseudo words, a heading, a list and 2-5 wiki links. Titles are
 * `Title Words 1` .. `Title Words COUNT`; links favour low numbers, so `Title Words 1` is a hub with
 * hundreds of backlinks while most notes have a few. About 1% of notes hold the rare word
 * {@linkcode RARE_WORD} (a selective search) and about 90% hold {@linkcode COMMON_WORD}.
 *
 * @module
 */

/** The word in about 1% of notes. */
export const RARE_WORD = "zyzzogeton";
/** The word in about 90% of notes. */
export const COMMON_WORD = "borogove";
/** How many distinct tags there are: `tag-0` .. `tag-199`. */
export const TAG_COUNT = 200;

const SEED = 0x6b17;
const VOCABULARY_SIZE = 2000;
/** Body length aimed for; with frontmatter a note comes to about 2 KB. */
const BODY_CHARS = 1650;
/** 2023-01-01T00:00:00.000Z: the earliest creation time. */
const EPOCH_MS = Date.UTC(2023, 0, 1);
const TWO_YEARS_S = 2 * 365 * 24 * 3600;

/** One generated note. */
export interface GeneratedNote {
  /** The file name without `.md`. */
  slug: string;
  /** The note's title. */
  title: string;
  /** The whole file: frontmatter and body. */
  text: string;
}

/**
 * A small, fast, seeded PRNG (mulberry32): equal seeds give equal sequences everywhere.
 *
 * @param seed A 32-bit seed.
 * @returns A function giving floats in [0, 1).
 */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The slug of a title: lowercased, each run of non-alphanumerics replaced by `-`.
 *
 * @example
 * ```ts
 * import { slugify } from "./gen_notes.ts";
 * import assert from "node:assert/strict";
 * assert.equal(slugify("Title Words 12"), "title-words-12");
 * ```
 *
 * @param title The title.
 * @returns The slug.
 */
export function slugify(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

/**
 * Generates `count` notes, numbered from 1, deterministically.
 *
 * @example
 * ```ts
 * import { generateNotes } from "./gen_notes.ts";
 * import assert from "node:assert/strict";
 * const [first] = generateNotes(3);
 * assert.equal(first.slug, "title-words-1");
 * assert.match(first.text, /^---\nid: [0-9a-z]{8}\ntitle: Title Words 1\n/);
 * assert.deepEqual(generateNotes(3), generateNotes(3));
 * ```
 *
 * @param count How many notes.
 * @returns The notes.
 */
export function generateNotes(count: number): GeneratedNote[] {
  const rng = mulberry32(SEED);
  const int = (n: number) => Math.floor(rng() * n);
  const vocabulary = makeVocabulary(rng);
  // Zipf-like: a few words are frequent, most are rare, as in real prose.
  const word = () => vocabulary[Math.floor(VOCABULARY_SIZE * rng() ** 2)];
  const ids = new Set<string>();
  const notes: GeneratedNote[] = [];

  for (let n = 1; n <= count; n++) {
    let id: string;
    do {
      id = Array.from({ length: 8 }, () => int(36).toString(36)).join("");
    } while (ids.has(id));
    ids.add(id);

    const title = `Title Words ${n}`;
    const createdS = int(TWO_YEARS_S);
    const updatedS = createdS + (rng() < 0.3 ? 0 : int(TWO_YEARS_S - createdS));
    const tags = new Set<number>();
    const tagCount = 1 + int(4);
    while (tags.size < tagCount) tags.add(int(TAG_COUNT));
    const tagList = [...tags].sort((a, b) => a - b).map((t) => `tag-${t}`).join(", ");

    // Wiki links: mostly to any note, one in five to a log-uniform pick so low numbers are hubs.
    const links: string[] = [];
    const linkCount = 2 + int(4);
    while (links.length < linkCount && count > 1) {
      const target = rng() < 0.2
        ? Math.floor(Math.exp(rng() * Math.log(count + 1)))
        : 1 + int(count);
      if (target !== n && target >= 1 && target <= count) links.push(`[[Title Words ${target}]]`);
    }

    // Extra words placed into random sentences.
    const extras = [...links];
    if (rng() < 0.9) extras.push(COMMON_WORD);
    if (rng() < 0.01) extras.push(RARE_WORD);

    const sentence = () => {
      const words = Array.from({ length: 6 + int(10) }, word);
      words[0] = words[0][0].toUpperCase() + words[0].slice(1);
      return words.join(" ") + ".";
    };
    const paragraph = () => Array.from({ length: 2 + int(4) }, sentence).join(" ");
    const blocks = [paragraph()];
    blocks.push(`## ${capitalize(word())} ${word()}`);
    blocks.push(paragraph());
    blocks.push(
      Array.from({ length: 3 + int(3) }, () => `- ${word()} ${word()} ${word()}`).join("\n"),
    );
    let length = blocks.join("\n\n").length;
    while (length < BODY_CHARS) {
      const p = paragraph();
      blocks.push(p);
      length += p.length + 2;
    }
    // Put each extra word after a random word of a random paragraph (never the heading or list).
    for (const extra of extras) {
      const paragraphs = blocks.map((_, i) => i).filter((i) => i !== 1 && i !== 3);
      const at = paragraphs[int(paragraphs.length)];
      const words = blocks[at].split(" ");
      words.splice(1 + int(words.length - 1), 0, extra);
      blocks[at] = words.join(" ");
    }

    const text = [
      "---",
      `id: ${id}`,
      `title: ${title}`,
      `created: ${iso(createdS)}`,
      `updated: ${iso(updatedS)}`,
      `tags: [${tagList}]`,
      "aliases: []",
      "---",
      "",
      blocks.join("\n\n"),
      "",
    ].join("\n");
    notes.push({ slug: slugify(title), title, text });
  }
  return notes;
}

/** About 2000 distinct pronounceable pseudo words of one to three syllables. */
function makeVocabulary(rng: () => number): string[] {
  const onsets = [
    "b",
    "br",
    "c",
    "d",
    "f",
    "g",
    "gl",
    "h",
    "k",
    "l",
    "m",
    "n",
    "p",
    "pr",
    "r",
    "s",
  ];
  const more = ["st", "t", "tr", "v", "w", "ch", "sh", "th"];
  const all = [...onsets, ...more];
  const vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou"];
  const codas = ["", "", "", "n", "r", "l", "s", "m", "nd", "st"];
  const pick = (list: string[]) => list[Math.floor(rng() * list.length)];
  const words = new Set<string>();
  while (words.size < VOCABULARY_SIZE) {
    const syllables = 1 + Math.floor(rng() * 3);
    let w = "";
    for (let i = 0; i < syllables; i++) w += pick(all) + pick(vowels);
    w += pick(codas);
    if (w !== COMMON_WORD && w !== RARE_WORD) words.add(w);
  }
  return [...words];
}

function capitalize(w: string): string {
  return w[0].toUpperCase() + w.slice(1);
}

function iso(secondsAfterEpoch: number): string {
  return new Date(EPOCH_MS + secondsAfterEpoch * 1000).toISOString();
}

async function main(args: string[]): Promise<number> {
  const [dir, countArg = "10000"] = args;
  const count = Number(countArg);
  if (!dir || !Number.isInteger(count) || count < 1) {
    // deno-lint-ignore no-console
    console.error("usage: deno run -A bench/gen_notes.ts DIR [COUNT=10000]");
    return 2;
  }
  await Deno.mkdir(dir, { recursive: true });
  const notes = generateNotes(count);
  // Writes in parallel batches: one at a time is limited by syscall latency, all at once by
  // open file handles.
  for (let i = 0; i < notes.length; i += 256) {
    await Promise.all(
      notes.slice(i, i + 256).map((note) =>
        Deno.writeTextFile(`${dir}/${note.slug}.md`, note.text)
      ),
    );
  }
  // deno-lint-ignore no-console
  console.error(`wrote ${count} notes to ${dir}`);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
