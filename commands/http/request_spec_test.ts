import assert from "node:assert/strict";
import { defaultArgs, type HttpArgs } from "./flags.ts";
import type { ResolvedItems } from "./items.ts";
import {
  appendQuery,
  applySpec,
  buildRequestSpec,
  normalizeUrl,
  RequestSpecError,
} from "./request_spec.ts";

const none: ResolvedItems = { headers: [], query: [], data: [], files: [] };
const args = (extra: Partial<HttpArgs> = {}): HttpArgs => ({
  ...defaultArgs(),
  url: "x",
  ...extra,
});

Deno.test("normalizeUrl() completes httpie's shorthands", () => {
  assert.equal(normalizeUrl(":8080/x"), "http://localhost:8080/x");
  assert.equal(normalizeUrl(":/x"), "http://localhost/x");
  assert.equal(normalizeUrl(":"), "http://localhost/");
  assert.equal(normalizeUrl(":3000"), "http://localhost:3000/");
  assert.equal(normalizeUrl("localhost:3000/a?b=1"), "http://localhost:3000/a?b=1");
  assert.equal(normalizeUrl("https://example.org"), "https://example.org/");
  assert.throws(() => normalizeUrl("ftp://x/"), RequestSpecError);
  assert.throws(() => normalizeUrl("http://"), RequestSpecError);
});

Deno.test("appendQuery() keeps the existing query and the fragment", () => {
  assert.equal(appendQuery("http://x/?a=%20", [["b c", "d&e"]]), "http://x/?a=%20&b+c=d%26e");
  assert.equal(appendQuery("http://x/#f", [["a", "1"]]), "http://x/?a=1#f");
  assert.equal(appendQuery("http://x/", []), "http://x/");
});

Deno.test("buildRequestSpec() picks GET without data and POST with it", () => {
  assert.equal(buildRequestSpec(args(), none).method, "GET");
  assert.equal(buildRequestSpec(args({ raw: "x" }), none).method, "POST");
  assert.equal(buildRequestSpec(args({ method: "PUT", raw: "x" }), none).method, "PUT");
  assert.equal(
    buildRequestSpec(args(), none, { stdin: new TextEncoder().encode("{}") }).method,
    "POST",
  );
  assert.equal(buildRequestSpec(args(), none, { stdin: new Uint8Array() }).method, "GET");
});

Deno.test("buildRequestSpec() makes JSON, form and multipart bodies", () => {
  const data = {
    ...none,
    data: [{ key: "a", value: "1", raw: false }, { key: "b", value: [2], raw: true }],
  };
  assert.deepEqual(buildRequestSpec(args(), data).body, { json: { a: "1", b: [2] } });
  const fields = { ...none, data: [{ key: "a", value: "1", raw: false }] };
  assert.deepEqual(buildRequestSpec(args({ mode: "form" }), fields).body, { form: [["a", "1"]] });
  assert.deepEqual(buildRequestSpec(args({ mode: "multipart" }), fields).body, {
    multipart: [{ name: "a", value: "1" }],
  });
  const withFile = { ...fields, files: [{ name: "f", path: "/tmp/a.txt", contentType: "text/x" }] };
  assert.deepEqual(buildRequestSpec(args(), withFile).body, {
    multipart: [{ name: "a", value: "1" }, {
      name: "f",
      file: "/tmp/a.txt",
      contentType: "text/x",
    }],
  });
  assert.throws(() => buildRequestSpec(args({ mode: "form" }), data), /only a JSON body/);
  assert.throws(() => buildRequestSpec(args({ raw: "x" }), fields), /cannot be mixed/);
});

Deno.test("buildRequestSpec() gives a --raw or stdin body httpie's JSON headers", () => {
  const spec = buildRequestSpec(args({ raw: "{}" }), none);
  assert.deepEqual(spec.body, { text: "{}" });
  assert.deepEqual(spec.headers, [
    ["Accept", "application/json, */*;q=0.5"],
    ["Content-Type", "application/json"],
  ]);
  const form = buildRequestSpec(args({ raw: "a=1", mode: "form" }), {
    ...none,
    headers: [["Content-Type", "text/plain"]],
  });
  assert.deepEqual(form.headers, [["Content-Type", "text/plain"]]);
  const binary = buildRequestSpec(args(), none, { stdin: new Uint8Array([0xff, 0, 1]) });
  assert.deepEqual(binary.body, { base64: "/wAB" });
});

Deno.test("buildRequestSpec() keeps unset headers apart and adds query items", () => {
  const spec = buildRequestSpec(args({ url: ":9/p?x=1" }), {
    ...none,
    headers: [["X-A", "1"], ["User-Agent", null]],
    query: [["q", "a b"]],
  });
  assert.equal(spec.url, "http://localhost:9/p?x=1&q=a+b");
  assert.deepEqual(spec.headers, [["X-A", "1"]]);
  assert.deepEqual(spec.unset, ["User-Agent"]);
  assert.deepEqual(
    buildRequestSpec(args({ explicitJson: true }), none).headers,
    [["Accept", "application/json, */*;q=0.5"]],
  );
});

Deno.test("applySpec() hands headers, omissions and each body kind to the builder", () => {
  const calls: unknown[] = [];
  const target = {
    header: (n: string, v: string) => calls.push(["header", n, v]),
    omitHeader: (n: string) => calls.push(["omit", n]),
    body: (d: Uint8Array | string) => calls.push(["body", d]),
    json: (v: unknown) => calls.push(["json", v]),
    form: (f: Iterable<[string, string]>) => calls.push(["form", [...f]]),
    multipart: (p: unknown) => calls.push(["multipart", p]),
  };
  applySpec(target, { method: "POST", url: "http://x/", headers: [["A", "1"]], unset: ["Accept"] });
  applySpec(target, { method: "POST", url: "http://x/", headers: [], body: { base64: "/wAB" } });
  applySpec(target, {
    method: "POST",
    url: "http://x/",
    headers: [],
    body: { multipart: [{ name: "f", file: "/d/a.txt" }, { name: "n", value: "v" }] },
  });
  assert.deepEqual(calls, [
    ["header", "A", "1"],
    ["omit", "Accept"],
    ["body", new Uint8Array([0xff, 0, 1])],
    ["multipart", [{ name: "f", filename: "a.txt", path: "/d/a.txt" }, { name: "n", value: "v" }]],
  ]);
});
