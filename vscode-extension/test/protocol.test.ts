// Drives the server with the command the extension computes, through the JSON-RPC libraries
// VS Code itself uses, and checks it really serves diagnostics. Then checks the packaged .vsix.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";

import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  ShutdownRequest,
  CodeActionRequest,
  CodeAction,
} from "vscode-languageserver-protocol/node";
import { FIX_ALL_COMMAND, FIX_ALL_KIND, INSTALL_COMMAND, RESTART_COMMAND, SHOW_OUTPUT_COMMAND } from "../src/commands";
import { resolveServer } from "../src/resolve";

test("the extension's start-up command serves diagnostics", { timeout: 60_000 }, async () => {
  const { found, failures } = await resolveServer({ interpreter: process.env.RUNLINT_PYTHON ?? "python3" }, {});
  assert.ok(found, `no runlint: ${JSON.stringify(failures)}`);
  const child = spawn(found.command, found.args, { stdio: ["pipe", "pipe", "inherit"] });
  try {
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const published: PublishDiagnosticsParams[] = [];
    const waiters: Array<() => void> = [];
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      published.push(params);
      waiters.splice(0).forEach((wake) => wake());
    });
    connection.listen();

    const next = async (uri: string, version: number): Promise<PublishDiagnosticsParams> => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const found = published.find((p) => p.uri === uri && p.version === version);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri} version ${version}`);
        await new Promise<void>((wake) => {
          waiters.push(wake);
          setTimeout(wake, 500);
        });
      }
    };

    const root = mkdtempSync(join(tmpdir(), "runlint-"));
    const uri = pathToFileURL(join(root, "bad.run.yaml")).toString();
    const result = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: pathToFileURL(root).toString(),
      capabilities: {},
      // The retirement notice (RL600) every create-run spec gets is left out, as a setting can.
      initializationOptions: { settings: { select: [], ignore: ["RL600"] } },
    });
    assert.ok(result.capabilities.textDocumentSync, "the server announces text synchronisation");
    await connection.sendNotification(InitializedNotification.type, {});
    await connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: "yaml", version: 1, text: "assistant_id: asst_1\ntemprature: 0.5\n" },
    });
    const first = await next(uri, 1);
    assert.equal(first.diagnostics.length, 1);
    const [diagnostic] = first.diagnostics;
    assert.equal(diagnostic.code, "RL101");
    assert.equal(diagnostic.source, "runlint");
    assert.deepEqual(diagnostic.range.start, { line: 1, character: 0 });

    // What "runlint: Fix all" and editor.codeActionsOnSave ask for: the source.fixAll action
    const actions = (await connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: [FIX_ALL_KIND] },
    })) as CodeAction[];
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, FIX_ALL_KIND);
    const [edit] = actions[0].edit?.changes?.[uri] ?? [];
    // the one edit covers what changes: `temprature` becomes `temperature` (an `e` inserted)
    assert.deepEqual(edit.range.start.line, 1);
    const line = "temprature: 0.5";
    const fixed = line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
    assert.equal(fixed, "temperature: 0.5");

    await connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: "assistant_id: asst_1\ntemperature: 0.5\n" }],
    });
    assert.deepEqual((await next(uri, 2)).diagnostics, []);

    await connection.sendRequest(ShutdownRequest.type);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0);
    connection.dispose();
  } finally {
    child.kill(); // a failed assertion must not leave the server, and the test run, hanging
  }
});

const extensionRoot = join(__dirname, "..", "..");
const manifest = JSON.parse(readFileSync(join(extensionRoot, "package.json"), "utf-8"));

/** The names in a zip file (a .vsix is one), and a member's text. */
function unzip(archive: string, member?: string): string {
  const script = member
    ? "import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode(), end='')"
    : "import sys, zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))";
  return execFileSync("python3", ["-c", script, archive, ...(member ? [member] : [])]).toString();
}

const vsix = join(extensionRoot, "runlint.vsix");
const python = process.env.RUNLINT_PYTHON ?? "python3";
/** The version of runlint-openai the tests' Python has: the one the .vsix must carry. */
const runlintVersion = execFileSync(python, ["-c", "import importlib.metadata as m; print(m.version('runlint-openai'))"]).toString().trim();

test("the .vsix holds the bundled extension, its schemas, icon, README, licence, runlint's wheel and its pins: nothing else", () => {
  assert.ok(existsSync(vsix), `${vsix} was not packaged`);
  const listing = unzip(vsix).trim().split("\n").sort();
  const schemas = readdirSync(join(extensionRoot, "..", "schemas")).filter((name) => name.endsWith(".schema.json"));
  assert.deepEqual(listing, [
    "[Content_Types].xml",
    "extension.vsixmanifest",
    "extension/LICENSE.txt",
    "extension/bundled/constraints.txt",
    `extension/bundled/runlint_openai-${runlintVersion}-py3-none-any.whl`,
    "extension/dist/extension.js",
    "extension/images/icon.png",
    "extension/package.json",
    "extension/readme.md",
    ...schemas.map((name) => `extension/schemas/${name}`),
  ].sort());
});

test("the .vsix's constraints pin runlint's dependencies at the versions the tests ran with", () => {
  const pins = unzip(vsix, "extension/bundled/constraints.txt").split("\n").filter((line) => line && !line.startsWith("#"));
  const names = pins.map((line) => line.split("==")[0]);
  for (const direct of ["click", "pydantic", "pyyaml", "jsonschema-rs", "ruamel-yaml", "pygls", "bpe-openai"]) {
    assert.ok(names.includes(direct), `${direct} is pinned`);
  }
  assert.ok(names.includes("pydantic-core"), "dependencies of dependencies are pinned too");
  assert.ok(!names.includes("pytest"), "the test extra is not");
  const installed = execFileSync(python, ["-c", "import sys, importlib.metadata as m; print('\\n'.join(f'{n}=={m.version(n)}' for n in sys.argv[1:]))", ...names])
    .toString().trim().split("\n");
  assert.deepEqual(pins, installed);
});

test("the contributed schemas validate offline: no $schema, $id or $ref out of the file", () => {
  for (const { url } of [...manifest.contributes.jsonValidation, ...manifest.contributes.yamlValidation]) {
    const text = readFileSync(join(extensionRoot, url), "utf-8");
    const schema = JSON.parse(text);
    assert.equal(schema.$schema, undefined, url);
    assert.equal(schema.$id, undefined, url);
    const outward = [...text.matchAll(/"\$ref":"([^"]*)"/g)].map((m) => m[1]).filter((ref) => !ref.startsWith("#"));
    assert.deepEqual(outward, [], url);
    assert.ok(Object.keys(schema.$defs ?? {}).length > 0, `${url} keeps its definitions`);
  }
});

test("the manifest: its commands, activation on every kind's files, the icon", () => {
  const commands = manifest.contributes.commands.map((c: { command: string; title: string }) => c.command);
  assert.deepEqual(commands, [FIX_ALL_COMMAND, RESTART_COMMAND, INSTALL_COMMAND, SHOW_OUTPUT_COMMAND]);
  assert.ok(manifest.activationEvents.includes("onLanguage:jsonl"), "a batch file opened first starts the extension");
  const contains = manifest.activationEvents.find((event: string) => event.startsWith("workspaceContains:"));
  for (const kind of ["run", "thread-run", "assistant", "chat", "response"]) {
    assert.ok(contains.includes(kind), `workspaces with *.${kind}.* files activate it`);
  }
  assert.ok(existsSync(join(extensionRoot, manifest.icon)));
});
