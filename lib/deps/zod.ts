/** zod (Standard Schema validation), pinned in deno.json; every import of it goes through this file. */
export { z } from "zod";
