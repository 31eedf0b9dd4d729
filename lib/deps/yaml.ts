/** The YAML parser, pinned in deno.json; every import of it goes through this file. */
export { parse as parseYaml, stringify as stringifyYaml, YAMLError } from "yaml";
