import assert from "node:assert/strict";
import {
  dispositionFilename,
  downloadFilename,
  parseContentRange,
  ResumeError,
  resumePlan,
  uniqueFilename,
} from "./download.ts";

Deno.test("dispositionFilename() prefers filename*, strips folders and leading dots", () => {
  assert.equal(
    dispositionFilename("attachment; filename=\"a.txt\"; filename*=UTF-8''b%20c.txt"),
    "b c.txt",
  );
  assert.equal(dispositionFilename("attachment; filename=plain.bin"), "plain.bin");
  assert.equal(dispositionFilename('attachment; filename="..\\\\..\\\\evil.sh"'), "evil.sh");
  assert.equal(dispositionFilename('attachment; filename="/etc/.passwd"'), "passwd");
  assert.equal(dispositionFilename("inline"), null);
  assert.equal(dispositionFilename(null), null);
});

Deno.test("downloadFilename() uses the URL and adds an extension from the type", () => {
  assert.equal(downloadFilename(new URL("http://x/a/b%20c.zip?x=1"), null, null), "b c.zip");
  assert.equal(downloadFilename(new URL("http://x/data"), null, "application/json"), "data.json");
  assert.equal(downloadFilename(new URL("http://x/data"), null, "x/unknown"), "data");
  assert.equal(
    downloadFilename(new URL("http://x/"), 'attachment; filename="r.csv"', "text/html"),
    "r.csv",
  );
});

Deno.test("uniqueFilename() appends -1, -2 … as httpie does", async () => {
  const taken = new Set(["f.txt", "f.txt-1"]);
  assert.equal(await uniqueFilename("f.txt", (p) => Promise.resolve(taken.has(p))), "f.txt-2");
  assert.equal(await uniqueFilename("g", (p) => Promise.resolve(taken.has(p))), "g");
});

Deno.test("parseContentRange() reads byte ranges and rejects the rest", () => {
  assert.deepEqual(parseContentRange("bytes 0-0/*"), { first: 0, last: 0, total: null });
  assert.equal(parseContentRange("bytes 5-4/10"), null);
  assert.equal(parseContentRange(null), null);
});

Deno.test("resumePlan() appends only where the file ends", () => {
  assert.deepEqual(resumePlan(10, 206, "bytes 10-19/20"), {
    action: "append",
    from: 10,
    total: 20,
  });
  assert.throws(() => resumePlan(10, 206, "bytes 0-19/20"), ResumeError);
  assert.throws(() => resumePlan(10, 206, null), ResumeError);
  assert.deepEqual(resumePlan(10, 200, null), { action: "restart" });
  assert.deepEqual(resumePlan(20, 416, "bytes */20"), { action: "complete" });
  assert.throws(() => resumePlan(30, 416, "bytes */20"), /it has 20 bytes/);
});
