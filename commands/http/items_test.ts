import assert from "node:assert/strict";
import {
  isItem,
  ItemSyntaxError,
  NestedKeySyntaxError,
  nestJson,
  parseItem,
  resolveItems,
} from "./items.ts";

Deno.test("parseItem() reads httpie's documented item kinds", async (t) => {
  const cases: [string, string, string, string][] = [
    ["X-API-Token:123", "header", "X-API-Token", "123"],
    ["Accept:", "header-unset", "Accept", ""],
    ["X-Empty;", "header-empty", "X-Empty", ""],
    ["X-Key:@key.txt", "header-file", "X-Key", "key.txt"],
    ["search==httpie", "query", "search", "httpie"],
    ["q==@q.txt", "query-file", "q", "q.txt"],
    ["name=John", "data", "name", "John"],
    ["description=@files/text.txt", "data-file", "description", "files/text.txt"],
    ["age:=29", "json", "age", "29"],
    ['hobbies:=["http", "pies"]', "json", "hobbies", '["http", "pies"]'],
    ["bookmarks:=@files/data.json", "json-file", "bookmarks", "files/data.json"],
    ["cv@~/Documents/CV.pdf", "file", "cv", "~/Documents/CV.pdf"],
    ["email=a@b.example", "data", "email", "a@b.example"],
    ["Host:example.org:8080", "header", "Host", "example.org:8080"],
    ["token==a=b", "query", "token", "a=b"],
    ["url=http://x/?a==b", "data", "url", "http://x/?a==b"],
  ];
  for (const [item, kind, key, value] of cases) {
    await t.step(item, () => {
      const parsed = parseItem(item);
      assert.equal(parsed.kind, kind);
      assert.equal(parsed.key, key);
      assert.equal(parsed.value, value);
    });
  }
});

Deno.test("parseItem() honours backslash escapes of separators", () => {
  // httpie's docs: foo\==bar is the data field "foo=" with value "bar", not a query.
  const a = parseItem("foo\\==bar");
  assert.deepEqual([a.kind, a.key, a.value], ["data", "foo=", "bar"]);
  const b = parseItem("a\\:b:c");
  assert.deepEqual([b.kind, b.key, b.value], ["header", "a:b", "c"]);
  const c = parseItem("name=\\@literal");
  assert.deepEqual([c.kind, c.key, c.value], ["data", "name", "@literal"]);
  const d = parseItem("path\\@x@file.txt");
  assert.deepEqual([d.kind, d.key, d.value], ["file", "path@x", "file.txt"]);
  // A backslash before anything else stays.
  assert.equal(parseItem("a=C:\\dir").value, "C:\\dir");
});

Deno.test("parseItem() reads a file upload's ;type=", () => {
  const item = parseItem("cv@CV.pdf;type=application/pdf");
  assert.equal(item.value, "CV.pdf");
  assert.equal(item.contentType, "application/pdf");
});

Deno.test("parseItem() rejects words without a separator, and empty header names", () => {
  assert.throws(() => parseItem("foo"), ItemSyntaxError);
  assert.throws(() => parseItem(":value"), /empty header name/);
  assert.throws(() => parseItem("a;b"), ItemSyntaxError);
  assert.throws(() => parseItem("f@"), /names no file/);
  assert.equal(isItem("foo"), false);
  assert.equal(isItem("a=b"), true);
});

Deno.test("resolveItems() groups items, reads files and parses raw JSON", async () => {
  const files: Record<string, string> = {
    "t.txt": "text\n",
    "d.json": '{"x":[1]}',
    "k": " key \n",
  };
  const items = await resolveItems(
    [
      "X-A:1",
      "Accept:",
      "E;",
      "K:@k",
      "q==1",
      "n=v",
      "t=@t.txt",
      "j:=true",
      "d:=@d.json",
      "f@a.bin",
    ]
      .map(parseItem),
    { readTextFile: (p) => Promise.resolve(files[p]) },
  );
  assert.deepEqual(items.headers, [["X-A", "1"], ["Accept", null], ["E", ""], ["K", "key"]]);
  assert.deepEqual(items.query, [["q", "1"]]);
  assert.deepEqual(items.data, [
    { key: "n", value: "v", raw: false },
    { key: "t", value: "text\n", raw: false },
    { key: "j", value: true, raw: true },
    { key: "d", value: { x: [1] }, raw: true },
  ]);
  assert.deepEqual(items.files, [{ name: "f", path: "a.bin", contentType: undefined }]);
});

Deno.test("resolveItems() names the item whose raw JSON does not parse", async () => {
  await assert.rejects(() => resolveItems([parseItem("a:={bad")]), /'a:=\{bad'/);
});

Deno.test("nestJson() builds httpie 3's nested JSON from its documented example", () => {
  const fields = [
    ["platform[name]", "HTTPie"],
    ["platform[about][mission]", "Make APIs simple and intuitive"],
    ["platform[about][homepage]", "httpie.io"],
    ["platform[about][stars]", 54000],
    ["platform[apps][]", "Terminal"],
    ["platform[apps][]", "Desktop"],
  ].map(([key, value]) => ({ key: key as string, value }));
  assert.deepEqual(nestJson(fields), {
    platform: {
      name: "HTTPie",
      about: { mission: "Make APIs simple and intuitive", homepage: "httpie.io", stars: 54000 },
      apps: ["Terminal", "Desktop"],
    },
  });
});

Deno.test("nestJson() makes a top-level array, fills indexes with null, keeps plain keys", () => {
  assert.deepEqual(nestJson([{ key: "[]", value: 1 }, { key: "[]", value: 2 }]), [1, 2]);
  assert.deepEqual(nestJson([{ key: "a[2]", value: "x" }]), { a: [null, null, "x"] });
  assert.deepEqual(nestJson([{ key: "a", value: "1" }, { key: "b", value: 2 }]), { a: "1", b: 2 });
  assert.deepEqual(nestJson([{ key: "a\\[b\\]", value: 1 }]), { "a[b]": 1 });
  assert.deepEqual(nestJson([]), {});
});

Deno.test("nestJson() rejects clashes and broken brackets", () => {
  assert.throws(
    () => nestJson([{ key: "a", value: 1 }, { key: "a[b]", value: 2 }]),
    NestedKeySyntaxError,
  );
  assert.throws(() => nestJson([{ key: "a[b", value: 1 }]), /not closed/);
  assert.throws(
    () => nestJson([{ key: "a[]", value: 1 }, { key: "a[x]", value: 1 }]),
    NestedKeySyntaxError,
  );
});
