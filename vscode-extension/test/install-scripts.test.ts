// npm 11's install-script policy: every dependency with an install script is allowed or denied in
// package.json's `allowScripts`, so a clean `npm ci` runs only what the build needs, and warns of nothing.
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

const extensionRoot = join(__dirname, "..", "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const shell = process.platform === "win32"; // Node runs a .cmd only through a shell

test("allowScripts: esbuild's and vsce-sign's scripts run (they copy the platform binary), keytar's does not", () => {
  const { allowScripts } = JSON.parse(readFileSync(join(extensionRoot, "package.json"), "utf-8"));
  assert.deepEqual(allowScripts, { esbuild: true, "@vscode/vsce-sign": true, keytar: false });
});

test("no installed dependency has an install script npm would warn about", (t) => {
  // `npm install-scripts ls` is the listing npm's warning points to; npm before 11.x has neither
  const listing = spawnSync(npm, ["install-scripts", "ls"], { cwd: extensionRoot, encoding: "utf-8", shell });
  if (listing.status !== 0 && /Unknown command/i.test(listing.stderr + listing.stdout)) {
    t.skip(`npm ${execFileSync(npm, ["--version"], { shell }).toString().trim()} has no install-script policy`);
    return;
  }
  assert.equal(listing.status, 0, listing.stderr);
  assert.match(listing.stdout, /^No packages with unreviewed install scripts\.$/m, listing.stdout);
});
