// How the extension starts the server, from its settings. No `vscode` import here, so the Node
// tests can run exactly what the extension runs.

export interface ServerSettings {
  path?: string;
  interpreter?: string;
}

export interface ServerCommand {
  command: string;
  args: string[];
}

/** `runlint.path` wins; then `runlint.interpreter`; then the Python extension's choice; then python3. */
export function serverCommand(settings: ServerSettings, pythonExtensionInterpreter?: string): ServerCommand {
  const path = settings.path?.trim();
  if (path) {
    return { command: path, args: ["lsp"] };
  }
  const interpreter = settings.interpreter?.trim() || pythonExtensionInterpreter?.trim() || "python3";
  return { command: interpreter, args: ["-m", "runlint", "lsp"] };
}

/** The message shown when the server cannot start: most often, runlint is not installed there. */
export function notInstalledMessage(command: ServerCommand): string {
  if (command.args[0] === "lsp") {
    return `runlint could not be started from ${command.command}: check runlint.path, or clear it to use a Python interpreter.`;
  }
  return (
    `runlint is not installed for ${command.command}: run \`${command.command} -m pip install runlint-openai\`, ` +
    "or set runlint.path / runlint.interpreter."
  );
}

/** The code action kind of the server's "every safe fix" action, and the command that applies it. */
export const FIX_ALL_KIND = "source.fixAll.runlint";
export const FIX_ALL_COMMAND = "runlint.fixAll";
