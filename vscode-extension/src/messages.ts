// What the extension tells a user, in one place; no `vscode` import, so the tests read the same words.
import { Candidate, Resolution } from "./resolve";
import { DISTRIBUTION } from "./install";

/** Where the extension looked, for "not installed": `the selected Python interpreter (...), PATH`. */
export function looked(resolution: Resolution): string {
  const places = resolution.failures.map(({ candidate }) =>
    candidate.source === "the selected Python interpreter" ? `${candidate.source} (${candidate.command})` : candidate.source,
  );
  return places.join(", ");
}

/** No runlint anywhere the extension looks, and none set: the one notification, with an Install button. */
export function notInstalled(resolution: Resolution): string {
  return (
    `runlint was not found (looked in: ${looked(resolution)}). "Install runlint" puts it (${DISTRIBUTION}, ` +
    "the copy that comes with the extension or a newer one from PyPI) in an environment of the extension's own; " +
    "or set runlint.path to a runlint executable."
  );
}

/** A runlint the user chose, by a setting, does not answer: say which setting, and how to mend it. */
export function chosenFails(candidate: Candidate, problem: string): string {
  if (candidate.source === "runlint.interpreter") {
    return (
      `runlint is not installed for runlint.interpreter ${candidate.command} (${problem}): ` +
      `run \`${candidate.command} -m pip install ${DISTRIBUTION}\`, or clear the setting.`
    );
  }
  return `runlint.path ${candidate.command} does not run runlint (${problem}): correct it, or clear it to let the extension find runlint.`;
}

export function noPython(tried: string[]): string {
  return (
    `Installing runlint needs Python 3.11 or newer, and none was found (tried ${tried.join(", ")}). ` +
    "Install Python, or set runlint.path to a runlint executable."
  );
}

export function installFailed(problem: string): string {
  return `runlint could not be installed: ${problem}`;
}

export function didNotStart(candidate: Candidate, problem: string): string {
  return `runlint's server (${candidate.command} ${candidate.args.join(" ")}) did not start: ${problem}`;
}

export function stoppedAgain(how: string): string {
  return `runlint's server stopped twice within three minutes (${how || "no exit code"}), so it is not started again; the output has what it said.`;
}
