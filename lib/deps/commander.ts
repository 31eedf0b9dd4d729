/** The argument parser, pinned in deno.json; every import of it goes through this file. */
export { Argument, Command, CommanderError, Help, Option } from "commander";
