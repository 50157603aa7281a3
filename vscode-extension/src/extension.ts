import { ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import * as vscode from "vscode";
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
} from "vscode-languageclient/node";
import { FIX_ALL_COMMAND, FIX_ALL_KIND, INSTALL_COMMAND, RESTART_COMMAND, SHOW_OUTPUT_COMMAND } from "./commands";
import { bundledRunlint, firstUsablePython, installInto, pythonsToTry, requirement } from "./install";
import { clientChannel } from "./log";
import * as say from "./messages";
import { Found, lastLine, resolveServer } from "./resolve";

/** Settings that choose which server runs; the others reach the running server as they change. */
const SERVER_SETTINGS = ["runlint.enable", "runlint.path", "runlint.interpreter"];
/** A crash restarts the server once; a second one within this time leaves it stopped. */
const CRASH_WINDOW_MS = 3 * 60_000;

let context: vscode.ExtensionContext;
let output: vscode.LogOutputChannel;
let client: LanguageClient | undefined;
let lastCrash = 0;
/** "Not installed" is said once a window, however often the server is (re)started. */
let offeredInstall = false;
let installing: Promise<void> | undefined;
/** Starts and stops, one after another: two quick settings changes must not leave two servers. */
let lifecycle: Promise<void> = Promise.resolve();

function inTurn(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step, step);
  return lifecycle;
}

export async function activate(extensionContext: vscode.ExtensionContext): Promise<void> {
  context = extensionContext;
  output = vscode.window.createOutputChannel("runlint", { log: true });
  context.subscriptions.push(
    output,
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (SERVER_SETTINGS.some((setting) => event.affectsConfiguration(setting))) {
        await restart();
      } else if (event.affectsConfiguration("runlint") && client?.isRunning()) {
        // sent here rather than by the client's `synchronize`, which would also write to a client
        // being stopped for a restart, and so start it again
        await client.sendNotification(DidChangeConfigurationNotification.type, { settings: { runlint: clientSettings() } });
      }
    }),
    vscode.commands.registerCommand(FIX_ALL_COMMAND, fixAll),
    vscode.commands.registerCommand(RESTART_COMMAND, () => {
      offeredInstall = false; // asked for by the user: say again what is missing
      return restart();
    }),
    vscode.commands.registerCommand(INSTALL_COMMAND, install),
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => output.show()),
  );
  await watchSelectedInterpreter();
  await inTurn(start);
}

export async function deactivate(): Promise<void> {
  await inTurn(stop);
}

function restart(): Promise<void> {
  return inTurn(async () => {
    await stop();
    await start();
  });
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  // it may not be running, or have stopped already: either way it is stopped now
  await running?.stop().catch(() => undefined);
}

async function start(): Promise<void> {
  const settings = vscode.workspace.getConfiguration("runlint");
  if (!settings.get<boolean>("enable", true)) {
    output.info("runlint.enable is off: no server");
    return;
  }
  const resolution = await resolveServer(
    { path: settings.get<string>("path"), interpreter: settings.get<string>("interpreter") },
    { selectedInterpreter: await selectedInterpreter(), pathVariable: process.env.PATH, ownEnvironment: ownEnvironment() },
  );
  for (const { candidate, problem } of resolution.failures) {
    output.info(`no runlint from ${candidate.source} (${candidate.command}): ${problem}`);
  }
  if (resolution.found) {
    await launch(resolution.found);
    return;
  }
  const [chosen] = resolution.failures;
  if (chosen?.candidate.explicit) {
    output.error(say.chosenFails(chosen.candidate, chosen.problem));
    void offer(say.chosenFails(chosen.candidate, chosen.problem), ["Open settings"]);
  } else if (!offeredInstall) {
    offeredInstall = true;
    output.warn(say.notInstalled(resolution));
    void offer(say.notInstalled(resolution), ["Install runlint", "Open settings"]);
  }
}

/**
 * The client's own notifications ("couldn't create connection to server", "Restarting server
 * failed") would come on top of the extension's one message: they go to the output channel only.
 */
class RunlintClient extends LanguageClient {
  override error(message: string, data?: unknown): void {
    super.error(message, data, false);
  }

  /** The client stops itself after a failed start, and rejects when it was not running: nothing to do. */
  override stop(timeout?: number): Promise<void> {
    return super.stop(timeout).catch(() => undefined);
  }
}

async function launch(found: Found): Promise<void> {
  output.info(`runlint ${found.version} from ${found.source}: ${found.command} ${found.args.join(" ")}`);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  let started = false;
  let lastWords = ""; // how it ended, for the message: its exit and the last line it wrote
  let exited: Promise<void> = Promise.resolve();
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "yaml" },
      { scheme: "file", language: "json" },
      { scheme: "file", language: "jsonl" },
      { scheme: "file", pattern: "**/*.jsonl" },
      // Prompty files: the Prompty extension's language, or plain text without it
      { scheme: "file", language: "prompty" },
      { scheme: "file", pattern: "**/*.prompty" },
    ],
    outputChannel: clientChannel(output),
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    initializationOptions: { settings: clientSettings() },
    initializationFailedHandler: () => false, // no retry: the failed start is told below, once
    errorHandler: {
      error: () => ({ action: ErrorAction.Continue, handled: true }),
      // the client never restarts by itself: a restart of its own would have messages of its own
      closed: () => {
        if (started && client === candidate) {
          client = undefined; // it is gone: nothing to stop
          void crashed(exited.then(() => lastWords));
        }
        return { action: CloseAction.DoNotRestart, handled: true, message: "the connection to runlint's server closed" };
      },
    },
  };
  // The extension starts the process itself, so that the exit it asked for is not logged as an error.
  const serverOptions = async (): Promise<ChildProcess> => {
    const child = spawn(found.command, found.args, { cwd: folder, windowsHide: true });
    let said = "";
    child.stderr.on("data", (data: Buffer) => {
      said = lastLine(data.toString()) ?? said;
    });
    exited = new Promise((resolve) =>
      child.on("exit", (code, signal) => {
        lastWords = said ? `${describeExit(code, signal)}: ${said}` : describeExit(code, signal);
        // still the current client's: the extension did not ask it to stop
        if (client === candidate) output.warn(`runlint's server exited (${lastWords})`);
        resolve();
      }),
    );
    return child;
  };
  const candidate = new RunlintClient("runlint", "runlint", serverOptions, clientOptions);
  client = candidate;
  let failure: unknown;
  try {
    await candidate.start();
  } catch (error) {
    failure = error;
  }
  if (client !== candidate) return; // stopped on purpose while starting
  // start() can resolve though the server died while starting: only a running client has started
  if (candidate.isRunning()) {
    started = true;
    return;
  }
  client = undefined;
  await atMost(2000, exited, undefined); // for how it ended
  const problem = lastWords || (failure instanceof Error ? failure.message : "it stopped while starting");
  output.error(say.didNotStart(found, problem));
  void offer(say.didNotStart(found, problem), ["Show output"]);
}

/** It stopped without the extension asking: start it once more, but not twice within a few minutes. */
async function crashed(how: Promise<string>): Promise<void> {
  const ended = await atMost(2000, how, "");
  const now = Date.now();
  if (now - lastCrash > CRASH_WINDOW_MS) {
    lastCrash = now;
    output.warn("starting runlint's server again");
    await inTurn(start);
    return;
  }
  output.error(say.stoppedAgain(ended));
  void offer(say.stoppedAgain(ended), ["Show output", "Restart"]);
}

/** "Install runlint": the extension's own environment, with progress, then the server in it. */
async function install(): Promise<void> {
  installing ??= installAndStart().finally(() => {
    installing = undefined;
  });
  await installing;
}

async function installAndStart(): Promise<void> {
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: "Installing runlint" },
      async (progress) => {
        const settings = vscode.workspace.getConfiguration("runlint");
        const pythons = pythonsToTry([settings.get<string>("interpreter"), await selectedInterpreter()], process.platform);
        const python = await firstUsablePython(pythons);
        if (!python) {
          throw new Error(say.noPython(pythons));
        }
        const wanted = requirement(context.extension.packageJSON.version);
        const bundled = bundledRunlint(context.extensionPath);
        output.info(
          `installing ${wanted} into ${ownEnvironment()} with ${python}: ` +
            (bundled ? `${bundled.wheel} unless the package index has a newer release` : "from the package index (no bundled wheel)"),
        );
        const installed = await installInto(ownEnvironment(), python, wanted, bundled, {
          step: (message) => progress.report({ message }),
          log: (line) => output.info(line),
        });
        output.info(`installed runlint ${installed.version}: ${installed.runlint}`);
      },
    );
  } catch (error) {
    const problem = error instanceof Error ? error.message : String(error);
    output.error(say.installFailed(problem));
    void offer(say.installFailed(problem), ["Show output"]);
    return;
  }
  await restart();
}

/** One notification; its buttons do what they say. */
async function offer(message: string, buttons: string[]): Promise<void> {
  const choice = await vscode.window.showErrorMessage(message, ...buttons);
  if (choice === "Install runlint") await install();
  else if (choice === "Open settings") await vscode.commands.executeCommand("workbench.action.openSettings", "runlint");
  else if (choice === "Show output") output.show();
  else if (choice === "Restart") await restart();
}

/** "runlint: Fix all": the server's source.fixAll.runlint action on the active editor (every safe fix). */
async function fixAll(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    return;
  }
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    "vscode.executeCodeActionProvider",
    editor.document.uri,
    new vscode.Range(0, 0, 0, 0),
    FIX_ALL_KIND,
  );
  const action = actions?.find((candidate) => candidate.kind?.value === FIX_ALL_KIND && candidate.edit);
  if (!action?.edit) {
    void vscode.window.showInformationMessage("runlint: nothing to fix");
    return;
  }
  await vscode.workspace.applyEdit(action.edit);
}

function clientSettings(): Record<string, unknown> {
  const settings = vscode.workspace.getConfiguration("runlint");
  return {
    select: settings.get<string[]>("select", []),
    ignore: settings.get<string[]>("ignore", []),
    include: settings.get<string[]>("include"),
    inlayHints: settings.get<boolean>("inlayHints", true),
  };
}

function ownEnvironment(): string {
  return join(context.globalStorageUri.fsPath, "environment");
}

/** WHAT's value, or FALLBACK after MS milliseconds: how a server ended may never be known. */
function atMost<T>(ms: number, what: Promise<T>, fallback: T): Promise<T> {
  return Promise.race([what, new Promise<T>((resolve) => setTimeout(() => resolve(fallback), ms))]);
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return code !== null ? `exit code ${code}` : `signal ${signal}`;
}

/** The Python extension's API, when it is installed; any failure is no answer. */
async function pythonExtension(): Promise<any | undefined> {
  try {
    const extension = vscode.extensions.getExtension("ms-python.python");
    if (!extension) return undefined;
    return extension.isActive ? extension.exports : await extension.activate();
  } catch {
    return undefined;
  }
}

/** The interpreter the Python extension has selected for the workspace. */
async function selectedInterpreter(): Promise<string | undefined> {
  try {
    const environments = (await pythonExtension())?.environments;
    const active = environments?.getActiveEnvironmentPath?.();
    if (!active) return undefined;
    const resolved = await environments.resolveEnvironment?.(active);
    return resolved?.executable?.uri?.fsPath ?? active.path;
  } catch {
    return undefined;
  }
}

/** Choosing another interpreter may bring another runlint (or the first one): start again. */
async function watchSelectedInterpreter(): Promise<void> {
  try {
    const event = (await pythonExtension())?.environments?.onDidChangeActiveEnvironmentPath;
    if (event) context.subscriptions.push(event(() => void restart()));
  } catch {
    // an older Python extension: the choice at start-up stands
  }
}
