// Bundle the project's JSON Schemas into the extension (for yamlValidation / jsonValidation).
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, "..", "..", "schemas");
const target = join(here, "..", "schemas");
mkdirSync(target, { recursive: true });
const schemas = readdirSync(source).filter((name) => name.endsWith(".schema.json"));
if (schemas.length === 0) throw new Error(`no schemas in ${source}`);
for (const name of schemas) copyFileSync(join(source, name), join(target, name));
console.log(`copied ${schemas.length} schema(s) to ${target}`);
