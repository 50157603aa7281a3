import { strict as assert } from "node:assert";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { chosenFails, notInstalled } from "../src/messages";
import { resolveServer, runlintVersion, which } from "../src/resolve";
import { fakePython, fakeRunlint, scratch } from "./fakes";

test("runlint.path wins, and a broken one is said, not passed over", async () => {
  const root = scratch();
  const onPath = join(root, "bin");
  fakeRunlint(onPath, "0.1.0");
  const chosen = fakeRunlint(join(root, "opt"), "0.1.1");
  const found = await resolveServer({ path: chosen, interpreter: fakePython(join(root, "py"), "0.1.2") }, { pathVariable: onPath });
  assert.equal(found.found?.command, chosen);
  assert.deepEqual(found.found?.args, ["lsp"]);
  assert.equal(found.found?.version, "0.1.1");

  const broken = await resolveServer({ path: join(root, "nowhere", "runlint") }, { pathVariable: onPath });
  assert.equal(broken.found, undefined);
  assert.equal(broken.failures.length, 1);
  const [{ candidate, problem }] = broken.failures;
  assert.equal(problem, "not found");
  assert.match(chosenFails(candidate, problem), /^runlint\.path .*nowhere\/runlint does not run runlint \(not found\)/);
});

test("runlint.interpreter, then the selected interpreter, then PATH, then the extension's own copy", async () => {
  const root = scratch();
  const onPath = join(root, "bin");
  const own = join(root, "own");
  const withRunlint = fakePython(join(root, "venv", "python"), "0.1.3");
  const without = fakePython(join(root, "bare", "python"));

  const set = await resolveServer({ interpreter: withRunlint }, { selectedInterpreter: without, pathVariable: onPath });
  assert.equal(set.found?.source, "runlint.interpreter");
  assert.deepEqual(set.found?.args, ["-m", "runlint", "lsp"]);

  const selected = await resolveServer({}, { selectedInterpreter: withRunlint, pathVariable: onPath });
  assert.equal(selected.found?.source, "the selected Python interpreter");
  assert.equal(selected.found?.version, "0.1.3");

  // the selected interpreter lacks runlint: a pipx install on PATH is used, and the miss is recorded
  fakeRunlint(onPath, "0.1.4");
  const pipx = await resolveServer({}, { selectedInterpreter: without, pathVariable: `${join(root, "empty")}:${onPath}`, ownEnvironment: own });
  assert.equal(pipx.found?.source, "PATH");
  assert.equal(pipx.found?.command, join(onPath, "runlint"));
  assert.deepEqual(pipx.failures.map((f) => f.candidate.source), ["the selected Python interpreter"]);
  assert.match(pipx.failures[0].problem, /No module named runlint/);

  fakeRunlint(join(own, "bin"), "0.1.5");
  const installed = await resolveServer({}, { selectedInterpreter: without, pathVariable: join(root, "empty"), ownEnvironment: own });
  assert.equal(installed.found?.source, "the extension's own environment");
  assert.equal(installed.found?.command, join(own, "bin", "runlint"));
});

test("nothing found: every place looked is named in the one message", async () => {
  const root = scratch();
  const without = fakePython(join(root, "bare", "python"));
  const none = await resolveServer({}, { selectedInterpreter: without, pathVariable: root, ownEnvironment: join(root, "own") });
  assert.equal(none.found, undefined);
  assert.deepEqual(none.failures.map((f) => [f.candidate.source, f.candidate.explicit]), [
    ["the selected Python interpreter", false],
    ["PATH", false],
    ["the extension's own environment", false],
  ]);
  assert.equal(none.failures[1].problem, `not found in PATH=${root}`);
  assert.equal(
    notInstalled(none),
    `runlint was not found (looked in: the selected Python interpreter (${without}), PATH, the extension's own environment). ` +
      `"Install runlint" puts it (runlint-openai, the copy that comes with the extension or a newer one from PyPI) in an environment of the extension's own; or set runlint.path to a runlint executable.`,
  );
});

test("an executable that is not runlint is not taken for it", async () => {
  const root = scratch();
  const other = join(root, "bin");
  fakePython(join(other, "runlint")); // answers --version with nothing
  const result = await resolveServer({}, { pathVariable: other });
  assert.equal(result.found, undefined);
  assert.match(result.failures[0].problem, /not runlint/);
});

test("which finds executables only, in PATH order", () => {
  const root = scratch();
  writeFileSync(join(root, "runlint"), "not executable");
  const second = join(root, "second");
  fakeRunlint(second, "0.1.0");
  assert.equal(which("runlint", `${root}:${second}`, "linux"), join(second, "runlint"));
  assert.equal(which("runlint", root, "linux"), undefined);
  assert.equal(runlintVersion("runlint, version 0.2.0\n"), "0.2.0");
  assert.equal(runlintVersion("ruff 0.2.0\n"), undefined);
});

test("the interpreter setting's message says how to install there", () => {
  assert.match(
    chosenFails({ source: "runlint.interpreter", command: "/venv/bin/python", args: [], probe: [], explicit: true }, "No module named runlint"),
    /`\/venv\/bin\/python -m pip install runlint-openai`/,
  );
});
