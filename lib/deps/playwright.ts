/** playwright-core (drives the system Chromium in tests), pinned in deno.json; every import of it goes through this file. */
export { chromium } from "playwright-core";
export type { Browser, Page } from "playwright-core";
