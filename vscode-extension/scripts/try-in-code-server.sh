#!/usr/bin/env bash
# The packaged .vsix in a real VS Code (code-server, driven by headless Chromium with the kit in
# ../shared/tools/vscode-web), in a fresh profile each time, as two users:
#   A. without runlint anywhere: the notification, "runlint: Install runlint", diagnostics;
#   B. with runlint on PATH (a pipx-style install): diagnostics at once, a quick fix, a restart.
# Too heavy for CI (about three minutes); run it by hand after changing the extension, and look at
# the screenshots it names. (The kit's `notifications` step can hang on an empty notification
# centre, so user B's run has a screenshot instead.) "Install runlint" installs from PyPI; here the wheels of this checkout
# stand in for it (PIP_FIND_LINKS), since the release may not be published yet.
# Usage: vscode-extension/scripts/try-in-code-server.sh [OUT_DIR]   (from the repository root)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KIT=${KIT:-$ROOT/../shared/tools/vscode-web}
OUT=$(realpath -m "${1:-$ROOT/.try-in-code-server}")
export VSCODE_WEB_HOME=${VSCODE_WEB_HOME:-$HOME/.cache/vscode-web}
rm -rf "$OUT" && mkdir -p "$OUT/shots"

"$KIT/install.sh" >/dev/null
(cd "$ROOT/vscode-extension" && npm run package >/dev/null)
"$KIT/install-ext.sh" "$ROOT/vscode-extension/runlint.vsix"
python3 -m pip wheel -q "$ROOT" -w "$OUT/wheels"
for user in a b; do mkdir "$OUT/ws-$user" && cp -r "$ROOT/examples/." "$OUT/ws-$user/"; done

# VS Code's server takes PATH from a login shell, so a runlint on PATH must be where that shell looks.
if command -v runlint >/dev/null; then
  echo "runlint is on PATH ($(command -v runlint)): user A needs a machine without it" >&2
  exit 2
fi

echo "== A: no runlint anywhere"
PID=$(PIP_FIND_LINKS="$OUT/wheels" PIP_NO_INDEX=1 "$KIT/start.sh" "$OUT/ws-a" 8151)
node "$KIT/drive.js" 8151 "$OUT/ws-a" bad/typos.run.yaml "$OUT/shots/a" trust wait:3000 shot:not-installed \
  notifications 'command:runlint: Install runlint' wait:30000 open squiggles hover problems output:runlint || true
kill "$PID"; sleep 3

echo "== B: runlint on PATH"
python3 -m venv "$OUT/pipx" && "$OUT/pipx/bin/pip" install -q --no-index --find-links "$OUT/wheels" runlint-openai
ln -s "$OUT/pipx/bin/runlint" /usr/local/bin/runlint
trap 'rm -f /usr/local/bin/runlint' EXIT
PID=$("$KIT/start.sh" "$OUT/ws-b" 8152)
node "$KIT/drive.js" 8152 "$OUT/ws-b" bad/typos.run.yaml "$OUT/shots/b" trust wait:3000 open squiggles hover \
  shot:no-notification 'command:runlint: Restart server' wait:4000 squiggles output:runlint applyfix || true
kill "$PID"
echo "screenshots: $OUT/shots"
