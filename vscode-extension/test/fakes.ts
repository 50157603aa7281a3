// Real executables for the tests: small shell scripts that answer as runlint, pip or Python would.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export function scratch(): string {
  return mkdtempSync(join(tmpdir(), "runlint-ext-"));
}

export function executable(path: string, script: string): string {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** A `runlint` that says its version, as the real one does. */
export function fakeRunlint(folder: string, version: string): string {
  return executable(join(folder, "runlint"), `echo "runlint, version ${version}"`);
}

/** A Python: `-m runlint --version` answers only when it "has" runlint. */
export function fakePython(path: string, runlintVersion?: string): string {
  const answer = runlintVersion
    ? `echo "runlint, version ${runlintVersion}"; exit 0`
    : `echo "$0: No module named runlint" >&2; exit 1`;
  return executable(path, `if [ "$1 $2 $3" = "-m runlint --version" ]; then ${answer}; fi\nexit 0`);
}
