import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions, State } from "vscode-languageclient/node";
import { FIX_ALL_COMMAND, FIX_ALL_KIND, notInstalledMessage, serverCommand, ServerCommand } from "./serverCommand";

let client: LanguageClient | undefined;
let output: vscode.OutputChannel | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("runlint");
  context.subscriptions.push(output);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("runlint")) {
        await restart();
      }
    }),
  );
  context.subscriptions.push(vscode.commands.registerCommand(FIX_ALL_COMMAND, fixAll));
  await start();
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

export async function deactivate(): Promise<void> {
  await stop();
}

async function restart(): Promise<void> {
  await stop();
  await start();
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop().catch(() => undefined);
  }
}

async function start(): Promise<void> {
  const settings = vscode.workspace.getConfiguration("runlint");
  if (!settings.get<boolean>("enable", true)) {
    return;
  }
  const command = serverCommand(
    { path: settings.get<string>("path"), interpreter: settings.get<string>("interpreter") },
    await pythonExtensionInterpreter(),
  );
  const serverOptions: ServerOptions = { command: command.command, args: command.args };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "yaml" },
      { scheme: "file", language: "json" },
      { scheme: "file", pattern: "**/*.jsonl" },
    ],
    outputChannel: output,
    synchronize: { configurationSection: "runlint" },
    initializationOptions: {
      settings: {
        select: settings.get<string[]>("select", []),
        ignore: settings.get<string[]>("ignore", []),
        include: settings.get<string[]>("include"),
        inlayHints: settings.get<boolean>("inlayHints", true),
      },
    },
  };
  const candidate = new LanguageClient("runlint", "runlint", serverOptions, clientOptions);
  client = candidate;
  try {
    await candidate.start();
  } catch (error) {
    client = undefined;
    output?.appendLine(`runlint did not start: ${String(error)}`);
    await showNotInstalled(command);
    return;
  }
  candidate.onDidChangeState((change) => {
    if (change.newState === State.Stopped && client === candidate) {
      void showNotInstalled(command);
    }
  });
}

async function showNotInstalled(command: ServerCommand): Promise<void> {
  const choice = await vscode.window.showErrorMessage(notInstalledMessage(command), "Open settings");
  if (choice === "Open settings") {
    await vscode.commands.executeCommand("workbench.action.openSettings", "runlint");
  }
}

/** The interpreter the Python extension has selected, when it is installed; any failure is no answer. */
async function pythonExtensionInterpreter(): Promise<string | undefined> {
  try {
    const extension = vscode.extensions.getExtension("ms-python.python");
    if (!extension) {
      return undefined;
    }
    const api = extension.isActive ? extension.exports : await extension.activate();
    const environments = api?.environments;
    const active = environments?.getActiveEnvironmentPath?.();
    if (!active) {
      return undefined;
    }
    const resolved = await environments.resolveEnvironment?.(active);
    return resolved?.executable?.uri?.fsPath ?? active.path;
  } catch {
    return undefined;
  }
}
