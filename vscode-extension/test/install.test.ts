import { strict as assert } from "node:assert";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { firstUsablePython, installInto, pythonsToTry, requirement } from "../src/install";
import { executable, scratch } from "./fakes";

/** A Python whose `-m venv DIR` makes DIR/bin/python; that one's pip "installs" runlint, or fails as pip does. */
function fakeBasePython(root: string, pipFails: boolean): string {
  const pip = pipFails
    ? `echo "ERROR: Could not find a version that satisfies the requirement $6" >&2; echo "ERROR: No matching distribution found for $6" >&2; exit 1`
    : `echo "$@" > "$here/pip-args"; echo "Successfully installed runlint-openai-0.1.0"; printf '#!/bin/sh\\necho "runlint, version 0.1.0"\\n' > "$here/runlint"; chmod +x "$here/runlint"`;
  const environmentPython = `#!/bin/sh\nhere=$(dirname "$0")\n${pip}\n`;
  return executable(
    join(root, "python3"),
    `[ "$1" = "-m" ] && [ "$2" = "venv" ] || exit 3\nmkdir -p "$3/bin"\ncat > "$3/bin/python" <<'PY'\n${environmentPython}PY\nchmod +x "$3/bin/python"`,
  );
}

test("the requirement follows the extension's minor version", () => {
  assert.equal(requirement("0.1.0"), "runlint-openai~=0.1.0");
  assert.equal(requirement("1.4.2"), "runlint-openai~=1.4.0");
});

test("pythons to try: the chosen ones first, then the usual names, once each", () => {
  assert.deepEqual(pythonsToTry([undefined, " /venv/bin/python ", "/venv/bin/python"], "linux"), ["/venv/bin/python", "python3", "python"]);
  assert.deepEqual(pythonsToTry([], "win32"), ["py", "python"]);
});

test("the first Python that is 3.11 or newer builds the environment", async () => {
  const root = scratch();
  const old = executable(join(root, "old", "python"), "exit 1");
  const fresh = executable(join(root, "new", "python"), "exit 0");
  assert.equal(await firstUsablePython([join(root, "missing"), old, fresh]), fresh);
  assert.equal(await firstUsablePython([old]), undefined);
});

test("install: a new environment, pip install of the requirement, and the runlint it brings", async () => {
  const root = scratch();
  const environment = join(root, "storage", "environment");
  const steps: string[] = [];
  const lines: string[] = [];
  const installed = await installInto(environment, fakeBasePython(root, false), "runlint-openai~=0.1.0", {
    step: (message) => steps.push(message),
    log: (line) => lines.push(line),
  }, "linux");
  assert.deepEqual(installed, { runlint: join(environment, "bin", "runlint"), version: "0.1.0" });
  assert.deepEqual(steps, ["creating its environment", "pip install runlint-openai~=0.1.0"]);
  assert.equal(readFileSync(join(environment, "bin", "pip-args"), "utf-8").trim(),
    "-m pip install --disable-pip-version-check --no-input runlint-openai~=0.1.0");
  assert.ok(lines.includes("Successfully installed runlint-openai-0.1.0"), lines.join("\n"));
  assert.ok(lines.some((line) => line.startsWith("$ ") && line.endsWith(`-m venv ${environment}`)));
});

test("install: pip's own last words are the error, and a half-made environment is started over", async () => {
  const root = scratch();
  const environment = join(root, "environment");
  executable(join(environment, "bin", "leftover"), "exit 0");
  await assert.rejects(
    installInto(environment, fakeBasePython(root, true), "runlint-openai~=0.1.0", { step: () => {}, log: () => {} }, "linux"),
    /^Error: ERROR: No matching distribution found for runlint-openai~=0.1.0$/,
  );
  assert.equal(existsSync(join(environment, "bin", "leftover")), false);
});
