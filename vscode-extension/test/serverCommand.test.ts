import { strict as assert } from "node:assert";
import { test } from "node:test";
import { notInstalledMessage, serverCommand } from "../src/serverCommand";

test("runlint.path wins over every interpreter", () => {
  assert.deepEqual(serverCommand({ path: "/opt/bin/runlint", interpreter: "/usr/bin/python3.12" }, "/venv/bin/python"), {
    command: "/opt/bin/runlint",
    args: ["lsp"],
  });
});

test("runlint.interpreter wins over the Python extension's choice", () => {
  assert.deepEqual(serverCommand({ interpreter: "/usr/bin/python3.12" }, "/venv/bin/python"), {
    command: "/usr/bin/python3.12",
    args: ["-m", "runlint", "lsp"],
  });
});

test("the Python extension's interpreter, else python3", () => {
  assert.equal(serverCommand({ path: " ", interpreter: "" }, "/venv/bin/python").command, "/venv/bin/python");
  assert.deepEqual(serverCommand({}), { command: "python3", args: ["-m", "runlint", "lsp"] });
});

test("the not-installed message says how to install", () => {
  assert.match(notInstalledMessage(serverCommand({ interpreter: "/venv/bin/python" })), /\/venv\/bin\/python -m pip install runlint-openai/);
});
