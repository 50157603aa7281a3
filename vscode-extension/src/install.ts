// "Install runlint": a virtual environment the extension owns, with runlint-openai in it.
// Its own environment, not the user's interpreter: installing there would change a project's
// environment behind its back, and many system Pythons refuse it (PEP 668). No `vscode` import.
//
// Where runlint comes from: the .vsix carries the wheel it was built with and the versions of its
// dependencies that wheel was tested with (bundled/, written by scripts/bundle-runlint.mjs). That
// wheel is installed, with those pins, unless the package index has a newer release of the
// extension's minor version: then that release, resolved as any `pip install` would. So the button
// works before runlint-openai is on PyPI, and fixes published later reach users without a new .vsix.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { environmentExecutable, lastLine, run, runlintVersion } from "./resolve";

/** runlint's name on PyPI (`runlint` there is another project). */
export const DISTRIBUTION = "runlint-openai";

/** A distribution name as pip compares them (PEP 503): `Runlint_Openai` is `runlint-openai`. */
function normalized(name: unknown): string | undefined {
  return typeof name === "string" ? name.toLowerCase().replace(/[-_.]+/g, "-") : undefined;
}

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

/** The runlint wheel packaged with the extension, and the pins of its dependencies. */
export interface Bundled {
  wheel: string;
  version: string;
  /** A pip constraints file: each dependency at the version the wheel's tests ran with. */
  constraints: string;
}

/** The wheel and constraints in EXTENSIONROOT/bundled, if the .vsix has them (a build from source may not). */
export function bundledRunlint(extensionRoot: string): Bundled | undefined {
  const folder = join(extensionRoot, "bundled");
  const constraints = join(folder, "constraints.txt");
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return undefined;
  }
  // runlint_openai-0.1.0-py3-none-any.whl: the version is the second field (wheel names escape `-`)
  const wheel = names.find((name) => /^runlint_openai-[^-]+-.+\.whl$/.test(name));
  if (!wheel || !existsSync(constraints)) return undefined;
  return { wheel: join(folder, wheel), version: wheel.split("-")[1], constraints };
}

/** What `pip install` is given, and how the progress names it. */
export interface Source {
  label: string;
  args: string[];
  /** The bundled wheel: its dependencies still come from the index, and a failure says so. */
  bundled: boolean;
}

export function bundledSource(bundled: Bundled): Source {
  return {
    label: `${DISTRIBUTION} ${bundled.version} (bundled) with pinned dependencies`,
    args: [bundled.wheel, "--constraint", bundled.constraints],
    bundled: true,
  };
}

export function indexSource(requirement: string): Source {
  return { label: requirement, args: [requirement], bundled: false };
}

/**
 * The index's newest release matching WANTED, when it is newer than the bundled wheel; else undefined.
 * pip compares: a dry run offered both the index and the bundled wheel (--find-links) reports which it
 * would take. Any failure (index unreachable, name not published, a pip older than 22.2 without
 * --report) means the bundled wheel: it installs without asking anyone.
 */
export async function newerOnIndex(
  environmentPython: string,
  wanted: string,
  bundled: Bundled,
  log: (line: string) => void = () => {},
  probe = run,
): Promise<string | undefined> {
  const args = [
    "-m", "pip", "install", "--dry-run", "--quiet", "--no-deps", "--ignore-installed", "--report", "-",
    "--disable-pip-version-check", "--no-input", "--retries", "1", "--timeout", "10",
    "--find-links", join(bundled.wheel, ".."), wanted,
  ];
  log(`$ ${environmentPython} ${args.join(" ")}`);
  try {
    const report = JSON.parse(await probe(environmentPython, args, 90_000));
    const chosen = report.install?.find((item: any) => normalized(item?.metadata?.name) === DISTRIBUTION);
    const version: unknown = chosen?.metadata?.version;
    if (typeof version !== "string") throw new Error("pip's report names no runlint-openai");
    // pip takes the highest version on offer: another than the bundled one is newer (an index may be file:// too)
    if (version === bundled.version) {
      log(`the package index has no ${wanted} newer than the bundled ${bundled.version}: installing the bundled wheel`);
      return undefined;
    }
    log(`the package index has ${DISTRIBUTION} ${version}, newer than the bundled ${bundled.version}: installing it from there`);
    return version;
  } catch (error) {
    log(`could not ask the package index (${error instanceof Error ? error.message : String(error)}): installing the bundled wheel`);
    return undefined;
  }
}

export interface InstallReport {
  /** One step begins: shown as the progress notification's text. */
  step(message: string): void;
  /** A line of what the tools print: for the output channel. */
  log(line: string): void;
}

/**
 * Creates ENVIRONMENT with PYTHON, installs runlint into it (the BUNDLED wheel, or a newer release
 * matching WANTED from the index), and gives its runlint and version.
 */
export async function installInto(
  environment: string,
  python: string,
  wanted: string,
  bundled: Bundled | undefined,
  report: InstallReport,
  platform: NodeJS.Platform = process.platform,
): Promise<{ runlint: string; version: string }> {
  // A half-made environment from an interrupted install would fail in confusing ways: start over.
  rmSync(environment, { recursive: true, force: true });
  report.step("creating its environment");
  await stream(python, ["-m", "venv", environment], report);
  const environmentPython = environmentExecutable(environment, "python", platform);
  let source = indexSource(wanted);
  if (bundled) {
    report.step(`looking for a release newer than ${bundled.version} on the package index`);
    const newer = await newerOnIndex(environmentPython, wanted, bundled, (line) => report.log(line));
    source = newer ? indexSource(`${DISTRIBUTION}==${newer}`) : bundledSource(bundled);
  }
  report.step(`pip install ${source.label}`);
  try {
    await stream(environmentPython, ["-m", "pip", "install", "--disable-pip-version-check", "--no-input", ...source.args], report);
  } catch (error) {
    if (!source.bundled || !(error instanceof CommandFailed)) throw error;
    throw new Error(dependenciesFailed(error.message, error.output));
  }
  const runlint = environmentExecutable(environment, "runlint", platform);
  const version = runlintVersion(await run(runlint, ["--version"]));
  if (!version) {
    throw new Error(`${runlint} does not say it is runlint`);
  }
  return { runlint, version };
}

/** pip's words when a network connection failed (urllib3's and requests' exceptions, pip's own). */
const UNREACHABLE = /NewConnectionError|ConnectTimeoutError|ProxyError|Network is unreachable|name resolution|Name or service not known|Connection refused|Could not fetch URL|Read timed out/i;

/**
 * The bundled wheel failed to install: its dependencies come from the index, and that is worth saying.
 * Offline, pip's last words are a misleading "ResolutionImpossible" and are left to the output: its
 * connection warnings tell the truth.
 */
export function dependenciesFailed(lastWords: string, output: string): string {
  const pinned = "runlint comes with the extension, but its dependencies (pinned to the versions it was tested with) are installed from the package index";
  return UNREACHABLE.test(output)
    ? `${pinned}, and pip could not reach it: connect, or set pip's index-url (PIP_INDEX_URL) to an index you can reach.`
    : `${lastWords} (${pinned})`;
}

/** A command that ran and failed: its last line is the message, the end of its output is kept. */
class CommandFailed extends Error {
  constructor(message: string, readonly output: string) {
    super(message);
  }
}

/** Runs a command, every line of its output to the log; a failure names its last line. */
function stream(command: string, args: string[], report: InstallReport): Promise<void> {
  report.log(`$ ${command} ${args.join(" ")}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { windowsHide: true });
    let tail = "";
    const take = (data: Buffer) => {
      const text = data.toString();
      tail = (tail + text).slice(-20000); // enough for pip's connection warnings before its last words
      text.split(/\r?\n/).filter(Boolean).forEach((line) => report.log(line));
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", (error) => reject(new Error(`${command}: ${error.message}`)));
    child.on("close", (code) => {
      if (code === 0) resolve();
      else reject(new CommandFailed(lastLine(tail) ?? `${command} exited with code ${code}`, tail));
    });
  });
}
