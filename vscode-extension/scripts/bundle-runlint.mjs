// At package time: the runlint wheel of this checkout, and the versions of its dependencies its tests
// ran with, into bundled/ (packaged in the .vsix). "Install runlint" installs that wheel with those
// pins when the package index has no newer runlint of the extension's minor version (see src/install.ts).
// The Python is RUNLINT_PYTHON, else python3: the one with runlint installed, that runs its tests.
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const extensionRoot = join(here, "..");
const repositoryRoot = join(extensionRoot, "..");
const bundled = join(extensionRoot, "bundled");
const python = process.env.RUNLINT_PYTHON || "python3";

rmSync(bundled, { recursive: true, force: true }); // one wheel, the current one
mkdirSync(bundled);
execFileSync(python, ["-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check", "--wheel-dir", bundled, repositoryRoot], {
  stdio: "inherit",
});
const [wheel, ...more] = readdirSync(bundled).filter((name) => name.endsWith(".whl"));
if (!wheel || more.length) throw new Error(`expected one wheel in ${bundled}, found ${readdirSync(bundled).join(", ")}`);

// The extension installs `runlint-openai~=<its major.minor>.0`: a wheel of another minor version is a packaging mistake.
const wheelVersion = wheel.split("-")[1];
const { version } = JSON.parse(readFileSync(join(extensionRoot, "package.json"), "utf-8"));
const minor = (v) => v.split(".").slice(0, 2).join(".");
if (minor(wheelVersion) !== minor(version)) {
  throw new Error(`the wheel is runlint ${wheelVersion}, the extension ${version}: their major.minor versions must match`);
}
try {
  writeFileSync(join(bundled, "constraints.txt"), execFileSync(python, [join(here, "pins.py")], { stdio: ["ignore", "pipe", "inherit"] }));
} catch {
  process.exit(1); // pins.py said why
}
console.log(`bundled ${wheel} and constraints.txt (${python}) in ${bundled}`);
