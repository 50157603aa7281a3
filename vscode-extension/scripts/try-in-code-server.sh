#!/usr/bin/env bash
# The packaged .vsix in a real VS Code (code-server, driven by headless Chromium with the kit in
# ../shared/tools/vscode-web), in a fresh profile each time, as two users:
#   A. without runlint anywhere: the notification, "runlint: Install runlint", diagnostics;
#   B. with runlint on PATH (a pipx-style install): diagnostics at once, a quick fix, a restart.
# Too heavy for CI (about three minutes); run it by hand after changing the extension, and look at
# the screenshots it names. (The kit's `notifications` step can hang on an empty notification
# centre, so user B's run has a screenshot instead.) "Install runlint" installs the wheel the .vsix carries,
# its dependencies from the package index (pip's own configuration). The kit has no step that clicks a
# notification's button: user A runs the command the button runs. Each line of what drive.js prints
# gets the time, for the time from the click to the squiggles. Packaging needs a Python with runlint
# installed (RUNLINT_PYTHON, default the checkout's .venv), and no runlint on PATH (don't activate it).
# Usage: vscode-extension/scripts/try-in-code-server.sh [OUT_DIR]   (from the repository root)
#        PORT_A, PORT_B: the ports (default 8151, 8152); USERS=a: user A only (B links runlint into
#        /usr/local/bin for the time of its run, which another user A on the same machine would find)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
KIT=${KIT:-$ROOT/../shared/tools/vscode-web}
OUT=$(realpath -m "${1:-$ROOT/.try-in-code-server}")
export VSCODE_WEB_HOME=${VSCODE_WEB_HOME:-$HOME/.cache/vscode-web}
rm -rf "$OUT" && mkdir -p "$OUT/shots"

PORT_A=${PORT_A:-8151} PORT_B=${PORT_B:-8152} USERS=${USERS:-a b}
export RUNLINT_PYTHON=${RUNLINT_PYTHON:-$ROOT/.venv/bin/python}
stamped() { while IFS= read -r line; do printf '%s %s\n' "$(date +%T.%3N)" "$line"; done; }

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
if [[ $USERS == *a* ]]; then
PID=$("$KIT/start.sh" "$OUT/ws-a" "$PORT_A")
node "$KIT/drive.js" "$PORT_A" "$OUT/ws-a" bad/typos.run.yaml "$OUT/shots/a" trust wait:3000 shot:not-installed \
  notifications 'command:runlint: Install runlint' wait:1000 shot:installing wait:4000 shot:installing-later \
  timeout:180000 open shot:diagnostics hover problems output:runlint 2>&1 | stamped || true
kill "$PID"; sleep 3
fi

if [[ $USERS == *b* ]]; then
echo "== B: runlint on PATH"
python3 -m venv "$OUT/pipx" && "$OUT/pipx/bin/pip" install -q --no-index --find-links "$OUT/wheels" runlint-openai
ln -s "$OUT/pipx/bin/runlint" /usr/local/bin/runlint
trap 'rm -f /usr/local/bin/runlint' EXIT
PID=$("$KIT/start.sh" "$OUT/ws-b" "$PORT_B")
node "$KIT/drive.js" "$PORT_B" "$OUT/ws-b" bad/typos.run.yaml "$OUT/shots/b" trust wait:3000 open squiggles hover \
  shot:no-notification 'command:runlint: Restart server' wait:4000 squiggles output:runlint applyfix 2>&1 | stamped || true
kill "$PID"
fi
echo "screenshots: $OUT/shots"
