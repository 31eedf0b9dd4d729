/** msgpack, pinned in deno.json; every import of it goes through this file. */
export { Packr } from "msgpackr";
