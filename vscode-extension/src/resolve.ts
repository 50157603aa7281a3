// Which runlint the extension starts. No `vscode` import here, so the Node tests run exactly
// what the extension runs, on real executables.
import { execFile } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";

export interface ServerSettings {
  /** `runlint.path`: a runlint executable. */
  path?: string;
  /** `runlint.interpreter`: a Python that has runlint installed. */
  interpreter?: string;
}

export interface Surroundings {
  /** The interpreter the Python extension has selected, if any. */
  selectedInterpreter?: string;
  /** The PATH the extension host runs with. */
  pathVariable?: string;
  /** The folder of the environment the extension installs runlint into when asked to. */
  ownEnvironment?: string;
  platform?: NodeJS.Platform;
}

/** A way to start the server: `command ...args` serves LSP on stdio; `probe` asks for its version. */
export interface Candidate {
  /** Where it came from, as a user would name it. */
  source: string;
  command: string;
  args: string[];
  probe: string[];
  /** Set by the user: when it fails, say so rather than quietly start another runlint. */
  explicit: boolean;
  /** Known to be missing without asking (not on PATH): why. */
  absent?: string;
}

export interface Found extends Candidate {
  version: string;
}

export interface Resolution {
  found?: Found;
  /** Every candidate that did not answer, and why: for the output channel and the message. */
  failures: Array<{ candidate: Candidate; problem: string }>;
}

export type Probe = (command: string, args: string[]) => Promise<string>;

/** The order, as docs/editors.md says: runlint.path, runlint.interpreter, the selected interpreter, PATH, the own copy. */
export function candidates(settings: ServerSettings, around: Surroundings): Candidate[] {
  const path = settings.path?.trim();
  if (path) {
    return [executableCandidate("runlint.path", path, true)];
  }
  const interpreter = settings.interpreter?.trim();
  if (interpreter) {
    return [pythonCandidate("runlint.interpreter", interpreter, true)];
  }
  const platform = around.platform ?? process.platform;
  const found: Candidate[] = [];
  const selected = around.selectedInterpreter?.trim();
  if (selected) {
    found.push(pythonCandidate("the selected Python interpreter", selected, false));
  }
  // Not on PATH is still a place looked in, for the message.
  const onPath = which("runlint", around.pathVariable ?? "", platform);
  found.push({
    ...executableCandidate("PATH", onPath ?? "runlint", false),
    absent: onPath ? undefined : `not found in PATH=${around.pathVariable ?? ""}`,
  });
  if (around.ownEnvironment) {
    const own = environmentExecutable(around.ownEnvironment, "runlint", platform);
    found.push(executableCandidate("the extension's own environment", own, false));
  }
  return found;
}

function executableCandidate(source: string, runlint: string, explicit: boolean): Candidate {
  return { source, command: runlint, args: ["lsp"], probe: ["--version"], explicit };
}

function pythonCandidate(source: string, python: string, explicit: boolean): Candidate {
  return { source, command: python, args: ["-m", "runlint", "lsp"], probe: ["-m", "runlint", "--version"], explicit };
}

/** The first candidate that answers `--version` as runlint does. */
export async function resolveServer(settings: ServerSettings, around: Surroundings, probe: Probe = run): Promise<Resolution> {
  const failures: Resolution["failures"] = [];
  for (const candidate of candidates(settings, around)) {
    if (candidate.absent) {
      failures.push({ candidate, problem: candidate.absent });
      continue;
    }
    try {
      const version = runlintVersion(await probe(candidate.command, candidate.probe));
      if (version) {
        return { found: { ...candidate, version }, failures };
      }
      failures.push({ candidate, problem: "it is not runlint (its --version does not say so)" });
    } catch (error) {
      failures.push({ candidate, problem: describe(error) });
    }
  }
  return { failures };
}

/** `runlint, version 0.1.0` -> `0.1.0`. */
export function runlintVersion(output: string): string | undefined {
  return /^runlint, version (\S+)/m.exec(output)?.[1];
}

/** An executable NAME in one of PATH's folders, as the shell would find it. */
export function which(name: string, pathVariable: string, platform: NodeJS.Platform): string | undefined {
  const extensions = platform === "win32" ? [".exe", ".cmd", ".bat", ""] : [""];
  for (const folder of pathVariable.split(platform === "win32" ? ";" : delimiter)) {
    if (!folder) continue;
    for (const extension of extensions) {
      const candidate = join(folder, name + extension);
      try {
        accessSync(candidate, platform === "win32" ? constants.F_OK : constants.X_OK);
        return candidate;
      } catch {
        // not here: the next folder
      }
    }
  }
  return undefined;
}

/** An executable of a virtual environment: bin/NAME, or Scripts\NAME.exe on Windows. */
export function environmentExecutable(environment: string, name: string, platform: NodeJS.Platform): string {
  return platform === "win32" ? join(environment, "Scripts", `${name}.exe`) : join(environment, "bin", name);
}

/** Runs a command and gives its standard output; a failure carries the last line it wrote. */
export function run(command: string, args: string[], timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: timeoutMs, windowsHide: true }, (error, stdout, stderr) => {
      if (error) {
        if (typeof (error as NodeJS.ErrnoException).code === "string") {
          reject(error); // it did not start: ENOENT, EACCES
        } else if (error.killed) {
          reject(new Error(`no answer within ${timeoutMs / 1000} s`));
        } else {
          reject(new Error(lastLine(`${stderr}`) ?? lastLine(`${stdout}`) ?? error.message));
        }
      } else {
        resolve(`${stdout}`);
      }
    });
  });
}

export function lastLine(text: string): string | undefined {
  return text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean).pop();
}

export function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "not found";
  if (code === "EACCES") return "not executable";
  return error instanceof Error ? error.message : String(error);
}
