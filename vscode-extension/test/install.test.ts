import { strict as assert } from "node:assert";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { Bundled, bundledRunlint, firstUsablePython, installInto, pythonsToTry, requirement } from "../src/install";
import { executable, scratch } from "./fakes";

interface Index {
  /** What the dry run offered the index and the bundled wheel reports: the bundled wheel, a newer release, or a failure. */
  probe: "bundled" | "newer" | "unreachable";
  /** The install itself: succeeds, or fails as pip does offline (a pinned dependency not found) or for a missing name. */
  install: "ok" | "offline" | "no-such-release";
}

const CONNECTION_WARNING =
  "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by " +
  "'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object>: Failed to establish a new connection: " +
  "[Errno -3] Temporary failure in name resolution')': /simple/click/";

/**
 * A Python whose `-m venv DIR` makes DIR/bin/python; that one's pip records each call (DIR/bin/pip-calls),
 * answers a dry run with a report as pip's --report writes it, and "installs" runlint or fails as pip does.
 */
function fakeBasePython(root: string, index: Index): string {
  const report = (version: string, url: string) =>
    `echo '{"version": "1", "install": [{"download_info": {"url": "${url}"}, "metadata": {"name": "runlint-openai", "version": "${version}"}}]}'`;
  const probe = {
    bundled: report("0.1.0", `file://${root}/extension/bundled/runlint_openai-0.1.0-py3-none-any.whl`),
    newer: report("0.1.3", "https://files.pythonhosted.org/packages/ab/cd/runlint_openai-0.1.3-py3-none-any.whl"),
    unreachable: `echo "${CONNECTION_WARNING}" >&2; echo "ERROR: No matching distribution found for runlint-openai~=0.1.0" >&2; exit 1`,
  }[index.probe];
  const install = {
    ok: `echo "Successfully installed runlint-openai"; printf '#!/bin/sh\\necho "runlint, version 0.1.0"\\n' > "$here/runlint"; chmod +x "$here/runlint"`,
    offline: `echo "Processing ./runlint_openai-0.1.0-py3-none-any.whl"; echo "${CONNECTION_WARNING}" >&2; ` +
      `echo "ERROR: Could not find a version that satisfies the requirement click==8.5.1 (from versions: none)" >&2; ` +
      `echo "ERROR: No matching distribution found for click==8.5.1" >&2; exit 1`,
    "no-such-release": `echo "ERROR: Could not find a version that satisfies the requirement $6" >&2; echo "ERROR: No matching distribution found for $6" >&2; exit 1`,
  }[index.install];
  const environmentPython = `#!/bin/sh\nhere=$(dirname "$0")\necho "$@" >> "$here/pip-calls"\ncase "$*" in\n*--dry-run*) ${probe} ;;\n*) ${install} ;;\nesac\n`;
  return executable(
    join(root, "python3"),
    `[ "$1" = "-m" ] && [ "$2" = "venv" ] || exit 3\nmkdir -p "$3/bin"\ncat > "$3/bin/python" <<'PY'\n${environmentPython}PY\nchmod +x "$3/bin/python"`,
  );
}

/** An unpacked extension with a bundled wheel and its constraints, as scripts/bundle-runlint.mjs leaves them. */
function fakeExtension(root: string): Bundled {
  const folder = join(root, "extension", "bundled");
  executable(join(folder, "runlint_openai-0.1.0-py3-none-any.whl"), "");
  writeFileSync(join(folder, "constraints.txt"), "click==8.5.1\npydantic==2.14.4\n");
  const bundled = bundledRunlint(join(root, "extension"));
  assert.ok(bundled);
  return bundled;
}

function pipCalls(environment: string): string[] {
  return readFileSync(join(environment, "bin", "pip-calls"), "utf-8").trim().split("\n");
}

async function install(index: Index, withBundle = true) {
  const root = scratch();
  const environment = join(root, "storage", "environment");
  const bundled = withBundle ? fakeExtension(root) : undefined;
  const steps: string[] = [];
  const lines: string[] = [];
  const installing = installInto(environment, fakeBasePython(root, index), "runlint-openai~=0.1.0", bundled, {
    step: (message) => steps.push(message),
    log: (line) => lines.push(line),
  }, "linux");
  return { root, environment, bundled, steps, lines, installing };
}

test("the requirement follows the extension's minor version", () => {
  assert.equal(requirement("0.1.0"), "runlint-openai~=0.1.0");
  assert.equal(requirement("1.4.2"), "runlint-openai~=1.4.0");
});

test("the bundled wheel: its path, its version and the constraints beside it; none without both", () => {
  const root = scratch();
  const bundled = fakeExtension(root);
  const folder = join(root, "extension", "bundled");
  assert.deepEqual(bundled, {
    wheel: join(folder, "runlint_openai-0.1.0-py3-none-any.whl"),
    version: "0.1.0",
    constraints: join(folder, "constraints.txt"),
  });
  rmSync(join(folder, "constraints.txt"));
  assert.equal(bundledRunlint(join(root, "extension")), undefined);
  assert.equal(bundledRunlint(join(root, "nowhere")), undefined);
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

test("install: nothing newer on the index, so the bundled wheel with its pinned dependencies", async () => {
  const { environment, bundled, steps, lines, installing } = await install({ probe: "bundled", install: "ok" });
  assert.deepEqual(await installing, { runlint: join(environment, "bin", "runlint"), version: "0.1.0" });
  assert.ok(bundled);
  const [probe, installed] = pipCalls(environment);
  // pip is offered the index and the bundled wheel's folder, and only reports what it would take
  assert.ok(probe.startsWith("-m pip install --dry-run --quiet --no-deps --ignore-installed --report - "), probe);
  assert.ok(probe.endsWith(` --find-links ${join(bundled.wheel, "..")} runlint-openai~=0.1.0`), probe);
  assert.equal(installed, `-m pip install --disable-pip-version-check --no-input ${bundled.wheel} --constraint ${bundled.constraints}`);
  assert.deepEqual(steps, [
    "creating its environment",
    "looking for a release newer than 0.1.0 on the package index",
    "pip install runlint-openai 0.1.0 (bundled) with pinned dependencies",
  ]);
  assert.ok(lines.includes("Successfully installed runlint-openai"), lines.join("\n"));
  assert.ok(lines.some((line) => line.startsWith("$ ") && line.endsWith(`-m venv ${environment}`)));
  assert.ok(lines.includes("the package index has no runlint-openai~=0.1.0 newer than the bundled 0.1.0: installing the bundled wheel"), lines.join("\n"));
});

test("install: a newer release of the same minor version on the index is installed from there, without the pins", async () => {
  const { environment, steps, lines, installing } = await install({ probe: "newer", install: "ok" });
  await installing;
  assert.ok(lines.includes("the package index has runlint-openai 0.1.3, newer than the bundled 0.1.0: installing it from there"), lines.join("\n"));
  assert.equal(pipCalls(environment)[1], "-m pip install --disable-pip-version-check --no-input runlint-openai==0.1.3");
  assert.equal(steps[2], "pip install runlint-openai==0.1.3");
});

test("install: an index that cannot be asked still leaves the bundled wheel", async () => {
  const { environment, bundled, lines, installing } = await install({ probe: "unreachable", install: "ok" });
  await installing;
  assert.ok(lines.includes("could not ask the package index (ERROR: No matching distribution found for runlint-openai~=0.1.0): installing the bundled wheel"), lines.join("\n"));
  assert.equal(pipCalls(environment)[1], `-m pip install --disable-pip-version-check --no-input ${bundled?.wheel} --constraint ${bundled?.constraints}`);
});

test("install: offline, the bundled wheel's dependencies fail, and the message says they come from the index", async () => {
  const { installing } = await install({ probe: "unreachable", install: "offline" });
  await assert.rejects(installing, (error: Error) => {
    assert.equal(
      error.message,
      "runlint comes with the extension, but its dependencies (pinned to the versions it was tested with) are installed " +
        "from the package index, and pip could not reach it: connect, or set pip's index-url (PIP_INDEX_URL) to an index " +
        "you can reach.",
    );
    return true;
  });
});

test("install without a bundled wheel: the requirement from the index; pip's own last words are the error", async () => {
  const { environment, steps, installing } = await install({ probe: "bundled", install: "no-such-release" }, false);
  await assert.rejects(installing, /^Error: ERROR: No matching distribution found for runlint-openai~=0.1.0$/);
  assert.deepEqual(pipCalls(environment), ["-m pip install --disable-pip-version-check --no-input runlint-openai~=0.1.0"]);
  assert.deepEqual(steps, ["creating its environment", "pip install runlint-openai~=0.1.0"]);
});

test("install: a half-made environment is started over", async () => {
  const root = scratch();
  const environment = join(root, "environment");
  executable(join(environment, "bin", "leftover"), "exit 0");
  await installInto(environment, fakeBasePython(root, { probe: "bundled", install: "ok" }), "runlint-openai~=0.1.0", undefined,
    { step: () => {}, log: () => {} }, "linux");
  assert.equal(existsSync(join(environment, "bin", "leftover")), false);
});

test("install: the bundled wheel failing with the index reachable gives pip's last words, and where the dependencies come from", async () => {
  const { installing } = await install({ probe: "bundled", install: "no-such-release" });
  await assert.rejects(installing, /^Error: ERROR: No matching distribution found for \S+ \(runlint comes with the extension, but its dependencies \(pinned to the versions it was tested with\) are installed from the package index\)$/);
});
