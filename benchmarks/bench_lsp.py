#!/usr/bin/env python3
"""Latency of the language server: from `didChange` to the `publishDiagnostics` for that version.

    python benchmarks/bench_lsp.py --edits 100

Starts `runlint lsp` over stdio, speaking JSON-RPC directly (no client library, so the figure is the
server's), opens a 300-line and a 5,000-line create-run spec, then makes --edits edits to each, one
at a time (each waits for its diagnostics), alternating a change that adds a finding and one that
removes it. Prints p50 and p95 in milliseconds. The server's debounce is included: it is part of
what a person waits for.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def spec_lines(lines: int) -> list[str]:
    out = ["assistant_id: asst_bench", "model: gpt-4o", "instructions: Answer in JSON.", "tools:"]
    index = 0
    while len(out) < lines - 2:
        out += [f"  - type: function", "    function:", f"      name: tool_{index}",
                f"      description: Tool number {index}.", "      parameters:", "        type: object",
                "        properties:", f"          arg_{index}: {{type: string}}"]
        index += 1
    out += ["temperature: 0.5", "metadata: {team: bench}"]
    return out[:lines]


class Client:
    def __init__(self, command: list[str]):
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.next_id = 0

    def send(self, method: str, params: dict, request: bool = False) -> int | None:
        message: dict = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            message["id"] = self.next_id
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return message.get("id")

    def receive(self) -> dict:
        length = 0
        while True:
            line = self.process.stdout.readline()
            if line in (b"\r\n", b""):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.process.stdout.read(length))

    def wait(self, predicate) -> dict:
        while True:
            message = self.receive()
            if "id" in message and "method" in message:  # a request from the server: answer it
                self.respond(message)
                continue
            if predicate(message):
                return message

    def respond(self, request: dict) -> None:
        result = [{}] if request["method"] == "workspace/configuration" else None
        body = json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": result}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()


def published(uri: str, version: int):
    return lambda m: (m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                      and m["params"].get("version") == version)


def measure(client: Client, folder: Path, lines: int, edits: int) -> list[float]:
    uri = (folder / f"bench-{lines}.run.yaml").as_uri()
    text = spec_lines(lines)
    client.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1,
                                                          "text": "\n".join(text) + "\n"}})
    client.wait(published(uri, 1))
    times = []
    for version in range(2, edits + 2):
        # alternately add and remove a typo on the last line: an incremental one-line edit
        last = len(text) - 1
        new_line = "metadata: {team: bench}" if version % 2 else "metadta: {team: bench}"
        change = {"range": {"start": {"line": last, "character": 0},
                            "end": {"line": last, "character": len(text[last])}}, "text": new_line}
        text[last] = new_line
        start = time.perf_counter()
        client.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [change]})
        client.wait(published(uri, version))
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=100)
    args = parser.parse_args()
    client = Client([str(Path(sys.executable).with_name("runlint")), "lsp"])
    with tempfile.TemporaryDirectory() as folder:
        client.send("initialize", {"processId": None, "rootUri": Path(folder).as_uri(), "capabilities": {}},
                    request=True)
        client.wait(lambda m: m.get("id") == 1)
        client.send("initialized", {})
        print(f"{'spec':<16} {'edits':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for lines in (300, 5000):
            times = sorted(measure(client, Path(folder), lines, args.edits))
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            print(f"{lines:>5} lines      {len(times):>6} {statistics.median(times):>8.1f} {p95:>8.1f} {times[-1]:>8.1f}")
        client.send("shutdown", {}, request=True)
        client.send("exit", {})
    client.process.wait(10)


if __name__ == "__main__":
    main()
