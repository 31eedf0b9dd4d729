import assert from "node:assert/strict";
import {
  checkExpectations,
  CollectionError,
  fillTemplate,
  fromSaved,
  jsonPath,
  JsonPathError,
  loadCollection,
  parseExpectJson,
  saveCollection,
  TemplateError,
  toSaved,
} from "./collections.ts";

Deno.test("fillTemplate() fills strings and keys, keeps a lone placeholder's type", () => {
  const vars = { base: "http://h:1", id: 7, flag: true, tok: "t" };
  assert.deepEqual(
    fillTemplate({
      url: "{{base}}/u/{{ id }}",
      headers: { Authorization: "Bearer {{tok}}" },
      body: { json: { id: "{{id}}", on: "{{flag}}", "{{tok}}": 1 } },
      n: 3,
    }, vars),
    {
      url: "http://h:1/u/7",
      headers: { Authorization: "Bearer t" },
      body: { json: { id: 7, on: true, t: 1 } },
      n: 3,
    },
  );
  assert.throws(() => fillTemplate("{{nope}}", vars), TemplateError);
});

Deno.test("jsonPath() follows keys, quoted keys and indexes", () => {
  const doc = { a: { "b.c": [{ d: null }] } };
  assert.deepEqual(jsonPath(doc, "$"), { found: true, value: doc });
  assert.deepEqual(jsonPath(doc, '$.a["b.c"][0].d'), { found: true, value: null });
  assert.deepEqual(jsonPath(doc, "$.a.x"), { found: false });
  assert.deepEqual(jsonPath(doc, '$.a["b.c"][3]'), { found: false });
  assert.throws(() => jsonPath(doc, "a.b"), JsonPathError);
  assert.throws(() => jsonPath(doc, "$..a"), JsonPathError);
});

Deno.test("checkExpectations() reports each failed status and JSON value", () => {
  const expect = { status: 200, json: { "$.user.name": "ann", "$.n": 2, "$.gone": 1 } };
  assert.deepEqual(checkExpectations(expect, 200, '{"user":{"name":"ann"},"n":2,"gone":1}'), []);
  assert.deepEqual(checkExpectations(expect, 500, '{"user":{"name":"bob"},"n":2}'), [
    "expected status 200, got 500",
    '$.user.name: expected "ann", got "bob"',
    "$.gone: missing, expected 1",
  ]);
  assert.deepEqual(checkExpectations(expect, 200, "<html>"), [
    "expected a JSON body, got something else",
  ]);
  assert.deepEqual(checkExpectations(undefined, 500, ""), []);
});

Deno.test("parseExpectJson() reads JSON values, else strings", () => {
  assert.deepEqual(parseExpectJson('$.a={"b":[1]}'), ["$.a", { b: [1] }]);
  assert.deepEqual(parseExpectJson("$.a=x=y"), ["$.a", "x=y"]);
  assert.deepEqual(parseExpectJson("$.a=null"), ["$.a", null]);
});

Deno.test("toSaved() and fromSaved() round-trip a request", () => {
  const spec = {
    method: "POST",
    url: "{{base}}/x",
    headers: [["A", "1"], ["B", "2"], ["A", "3"]] as [string, string][],
    unset: ["Accept"],
    body: { form: [["k", "v"]] as [string, string][] },
  };
  const saved = toSaved(spec, { status: 201, json: {} });
  assert.deepEqual(saved.headers, { A: ["1", "3"], B: "2" });
  assert.deepEqual(saved.expect, { status: 201, json: {} });
  assert.deepEqual(fromSaved(saved), { ...spec, headers: [["A", "1"], ["A", "3"], ["B", "2"]] });
  assert.equal(toSaved(spec, {}).expect, undefined);
});

Deno.test("saveCollection() writes YAML that loadCollection() reads back", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/c/col.yaml`;
    assert.deepEqual(await loadCollection(path), { environments: {}, requests: {} });
    const collection = {
      environments: { dev: { base: "http://localhost:1" } },
      requests: { one: { method: "GET", url: "{{base}}/1", expect: { status: 200 } } },
    };
    await saveCollection(path, collection);
    const text = await Deno.readTextFile(path);
    assert.match(text, /^environments:\n {2}dev:\n {4}base: http:\/\/localhost:1\n/);
    assert.deepEqual(await loadCollection(path), collection);
    await Deno.writeTextFile(path, "requests:\n  bad: {method: GET}\n");
    await assert.rejects(() => loadCollection(path), CollectionError);
    await Deno.writeTextFile(path, "- a list\n");
    await assert.rejects(() => loadCollection(path), /not a YAML mapping/);
    await Deno.writeTextFile(path, "a: [\n");
    await assert.rejects(() => loadCollection(path), CollectionError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
