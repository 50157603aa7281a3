// Bundle the project's JSON Schemas into the extension (for yamlValidation / jsonValidation), made
// self-contained: VS Code fetches any remote `$schema` or `$ref` it meets, and offline that fetch
// fails on every spec ("Problems loading reference 'https://json-schema.org/draft/2020-12/schema'")
// and takes schema validation with it. So the copies drop `$schema` and `$id`, and a field that is
// itself a JSON Schema (a `$ref` to the meta-schema) admits any schema: the server checks those.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, "..", "..", "schemas");
const target = join(here, "..", "schemas");

/** A copy of SCHEMA with nothing that points outside the file. */
export function selfContained(schema, name) {
  const { $schema, $id, ...rest } = schema;
  return withLocalRefs(rest, name);
}

function withLocalRefs(schema, name) {
  if (Array.isArray(schema)) return schema.map((item) => withLocalRefs(item, name));
  if (schema === null || typeof schema !== "object") return schema;
  const copy = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "$ref" && typeof value === "string" && !value.startsWith("#")) {
      if (!/^https:\/\/json-schema\.org\/draft\/[^/]+\/schema$/.test(value)) {
        throw new Error(`${name}: a $ref out of the file that is not the meta-schema: ${value}`);
      }
      copy.type = ["object", "boolean"];
      continue;
    }
    copy[key] = withLocalRefs(value, name);
  }
  return copy;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(target, { recursive: true });
  const schemas = readdirSync(source).filter((name) => name.endsWith(".schema.json"));
  if (schemas.length === 0) throw new Error(`no schemas in ${source}`);
  for (const name of schemas) {
    const schema = JSON.parse(readFileSync(join(source, name), "utf-8"));
    writeFileSync(join(target, name), JSON.stringify(selfContained(schema, name)));
  }
  console.log(`copied ${schemas.length} self-contained schema(s) to ${target}`);
}
