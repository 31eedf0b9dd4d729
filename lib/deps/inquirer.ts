/** Interactive prompts, pinned in deno.json; every import of it goes through this file. */
export { confirm, input, select } from "@inquirer/prompts";
