// The language client writes plain text to its output channel: its own lines ("[Error - 10:44:07 PM]
// message"), the server's stderr in chunks ("runlint-lsp WARNING: ..."). Written as they come into the
// extension's log channel, each would be an [info] entry with a second time stamp, and a blank entry
// after every chunk. This channel turns them into entries of the log at their own level. No `vscode`
// import but types, so the Node tests feed it exactly what the client writes.
import type { LogOutputChannel, OutputChannel, ViewColumn } from "vscode";

type Level = "info" | "warn" | "error" | "debug";

const CLIENT_LINE = /^\[(Trace|Debug|Info|Warn|Error)\s*-\s*[^\]]*\]\s?(.*)$/;
const SERVER_LINE = /^runlint-lsp (DEBUG|INFO|WARNING|ERROR|CRITICAL): (.*)$/;
const LEVELS: Record<string, Level> = {
  // traces are asked for with runlint.trace.server: shown at info, not hidden under the log's level
  Trace: "info", Debug: "debug", Info: "info", Warn: "warn", Error: "error",
  DEBUG: "debug", INFO: "info", WARNING: "warn", ERROR: "error", CRITICAL: "error",
};

export type Log = Pick<LogOutputChannel, "name" | Level | "show" | "hide" | "clear" | "replace">;

export function clientChannel(log: Log): OutputChannel {
  let partial = ""; // a chunk of stderr may end inside a line
  let level: Level = "info"; // a line without a level of its own (a stack trace) continues the last one

  const write = (line: string) => {
    const match = CLIENT_LINE.exec(line) ?? SERVER_LINE.exec(line);
    if (match) level = LEVELS[match[1]];
    const text = match ? match[2] : line;
    if (text.trim()) log[level](text);
  };
  const take = (text: string, complete: boolean) => {
    const lines = (partial + text).split(/\r?\n/);
    partial = complete ? "" : lines.pop() ?? "";
    lines.forEach(write);
  };
  return {
    name: log.name,
    append: (text: string) => take(text, false),
    appendLine: (text: string) => take(text, true),
    replace: (text: string) => log.replace(text),
    clear: () => log.clear(),
    show: (column?: ViewColumn | boolean, preserveFocus?: boolean) =>
      typeof column === "boolean" ? log.show(column) : log.show(column, preserveFocus),
    hide: () => log.hide(),
    dispose: () => undefined, // the extension's log outlives every client
  };
}
