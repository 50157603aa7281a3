// "Install runlint": a virtual environment the extension owns, with runlint-openai in it.
// Its own environment, not the user's interpreter: installing there would change a project's
// environment behind its back, and many system Pythons refuse it (PEP 668). No `vscode` import.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { environmentExecutable, lastLine, run, runlintVersion } from "./resolve";

/** runlint's name on PyPI (`runlint` there is another project). */
export const DISTRIBUTION = "runlint-openai";

/** The releases this extension speaks to: the same minor version as the extension itself. */
export function requirement(extensionVersion: string): string {
  const [major, minor] = extensionVersion.split(".");
  return `${DISTRIBUTION}~=${major}.${minor}.0`;
}

/** The Pythons to build the environment with, in order; the first that is 3.11 or newer is used. */
export function pythonsToTry(preferred: Array<string | undefined>, platform: NodeJS.Platform): string[] {
  const fallbacks = platform === "win32" ? ["py", "python"] : ["python3", "python"];
  return [...new Set([...preferred.map((p) => p?.trim()).filter((p): p is string => !!p), ...fallbacks])];
}

const NEW_ENOUGH = ["-c", "import sys; sys.exit(sys.version_info < (3, 11))"];

export async function firstUsablePython(pythons: string[], probe = run): Promise<string | undefined> {
  for (const python of pythons) {
    try {
      await probe(python, NEW_ENOUGH);
      return python;
    } catch {
      // missing, or older than 3.11: the next one
    }
  }
  return undefined;
}

export interface InstallReport {
  /** One step begins: shown as the progress notification's text. */
  step(message: string): void;
  /** A line of what the tools print: for the output channel. */
  log(line: string): void;
}

/** Creates ENVIRONMENT with PYTHON, installs REQUIREMENT into it, and gives its runlint and version. */
export async function installInto(
  environment: string,
  python: string,
  wanted: string,
  report: InstallReport,
  platform: NodeJS.Platform = process.platform,
): Promise<{ runlint: string; version: string }> {
  // A half-made environment from an interrupted install would fail in confusing ways: start over.
  rmSync(environment, { recursive: true, force: true });
  report.step("creating its environment");
  await stream(python, ["-m", "venv", environment], report);
  report.step(`pip install ${wanted}`);
  const environmentPython = environmentExecutable(environment, "python", platform);
  await stream(environmentPython, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", wanted], report);
  const runlint = environmentExecutable(environment, "runlint", platform);
  const version = runlintVersion(await run(runlint, ["--version"]));
  if (!version) {
    throw new Error(`${runlint} does not say it is runlint`);
  }
  return { runlint, version };
}

/** Runs a command, every line of its output to the log; a failure names its last line. */
function stream(command: string, args: string[], report: InstallReport): Promise<void> {
  report.log(`$ ${command} ${args.join(" ")}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { windowsHide: true });
    let tail = "";
    const take = (data: Buffer) => {
      const text = data.toString();
      tail = (tail + text).slice(-4000);
      text.split(/\r?\n/).filter(Boolean).forEach((line) => report.log(line));
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", (error) => reject(new Error(`${command}: ${error.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new Error(lastLine(tail) ?? `${command} exited with code ${code}`));
    });
  });
}
