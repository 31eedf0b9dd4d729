import assert from "node:assert/strict";
import { join } from "node:path";
import { configDir, dataDir } from "./dirs.ts";

function envOf(vars: Record<string, string>): (name: string) => string | undefined {
  return (name) => vars[name];
}

const full = {
  HOME: "/home/a",
  XDG_DATA_HOME: "/xdg/data",
  XDG_CONFIG_HOME: "/xdg/config",
  KIT_NOTES_DIR: "/env/notes",
};

Deno.test("dataDir() prefers the flag, then the tool variable, then XDG, then HOME", async (t) => {
  const cases: [string, Record<string, string>, string | undefined, string][] = [
    ["flag wins over everything", full, "/flag", "/flag"],
    ["tool variable wins over XDG", full, undefined, "/env/notes"],
    [
      "empty tool variable is ignored",
      { ...full, KIT_NOTES_DIR: "" },
      undefined,
      "/xdg/data/kit/notes",
    ],
    [
      "XDG_DATA_HOME",
      { HOME: "/home/a", XDG_DATA_HOME: "/xdg/data" },
      undefined,
      "/xdg/data/kit/notes",
    ],
    [
      "empty XDG_DATA_HOME falls back to HOME",
      { HOME: "/home/a", XDG_DATA_HOME: "" },
      undefined,
      "/home/a/.local/share/kit/notes",
    ],
    ["HOME", { HOME: "/home/a" }, undefined, "/home/a/.local/share/kit/notes"],
    [
      "USERPROFILE without HOME",
      { USERPROFILE: "/users/a" },
      undefined,
      "/users/a/.local/share/kit/notes",
    ],
    ["empty flag is ignored", full, "", "/env/notes"],
  ];
  for (const [name, vars, flag, expected] of cases) {
    await t.step(name, () => {
      assert.equal(
        dataDir("notes", { env: envOf(vars), flag, envVar: "KIT_NOTES_DIR" }),
        expected,
      );
    });
  }
});

Deno.test("configDir() prefers the flag, then the tool variable, then XDG, then HOME", async (t) => {
  const cases: [string, Record<string, string>, string | undefined, string][] = [
    ["flag wins over everything", full, "/flag", "/flag"],
    ["tool variable wins over XDG", full, undefined, "/env/notes"],
    [
      "XDG_CONFIG_HOME",
      { HOME: "/home/a", XDG_CONFIG_HOME: "/xdg/config" },
      undefined,
      "/xdg/config/kit/notes",
    ],
    [
      "XDG_DATA_HOME does not apply",
      { HOME: "/home/a", XDG_DATA_HOME: "/xdg/data" },
      undefined,
      "/home/a/.config/kit/notes",
    ],
    ["HOME", { HOME: "/home/a" }, undefined, "/home/a/.config/kit/notes"],
  ];
  for (const [name, vars, flag, expected] of cases) {
    await t.step(name, () => {
      assert.equal(
        configDir("notes", { env: envOf(vars), flag, envVar: "KIT_NOTES_DIR" }),
        expected,
      );
    });
  }
});

Deno.test("dataDir() ignores tool variables when none is named", () => {
  assert.equal(dataDir("notes", { env: envOf(full) }), join("/xdg/data", "kit", "notes"));
});

Deno.test("dataDir() and configDir() throw without a home folder", () => {
  for (const dir of [dataDir, configDir]) {
    assert.throws(() => dir("notes", { env: envOf({}) }), /Cannot find the home folder/);
  }
});

Deno.test("dataDir() does not need a home folder when a flag or variable decides", () => {
  assert.equal(dataDir("notes", { env: envOf({}), flag: "/f" }), "/f");
  assert.equal(dataDir("notes", { env: envOf({ X: "/x" }), envVar: "X" }), "/x");
  assert.equal(
    dataDir("notes", { env: envOf({ XDG_DATA_HOME: "/d" }) }),
    join("/d", "kit", "notes"),
  );
});

Deno.test("dataDir() reads the process environment by default", () => {
  const xdg = Deno.env.get("XDG_DATA_HOME");
  const home = Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE");
  if (xdg) {
    assert.equal(dataDir("notes"), join(xdg, "kit", "notes"));
  } else if (home) {
    assert.equal(dataDir("notes"), join(home, ".local", "share", "kit", "notes"));
  } else {
    assert.throws(() => dataDir("notes"), /Cannot find the home folder/);
  }
});
