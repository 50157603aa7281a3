import { strict as assert } from "node:assert";
import { test } from "node:test";
import { clientChannel, Log } from "../src/log";

function recording(): { log: Log; entries: string[] } {
  const entries: string[] = [];
  const at = (level: string) => (text: string) => entries.push(`${level} ${text}`);
  const log = {
    name: "runlint", info: at("info"), warn: at("warn"), error: at("error"), debug: at("debug"),
    show: () => {}, hide: () => {}, clear: () => {}, replace: () => {},
  } as unknown as Log;
  return { log, entries };
}

test("the client's lines and the server's stderr become log entries at their own level", () => {
  const { log, entries } = recording();
  const channel = clientChannel(log);
  channel.appendLine("[Error - 10:44:07 PM] Client runlint: connection to server is erroring.\nwrite EPIPE");
  channel.appendLine("[Trace - 10:44:08 PM] Sending request 'initialize - (0)'.");
  // stderr arrives in chunks that end anywhere, and with a newline the log would show as a blank entry
  channel.append("runlint-lsp WARNING: a rule file was sk");
  channel.append("ipped\nTraceback (most recent call last):\n");
  channel.append("runlint-lsp INFO: relinted 3 documents\n\n");
  assert.deepEqual(entries, [
    "error Client runlint: connection to server is erroring.",
    "error write EPIPE",
    "info Sending request 'initialize - (0)'.",
    "warn a rule file was skipped",
    "warn Traceback (most recent call last):",
    "info relinted 3 documents",
  ]);
});
