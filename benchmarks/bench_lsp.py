#!/usr/bin/env python3
"""Latency of the language server: from `didChange` to the `publishDiagnostics` for that version,
and of completion and inlay hints.

    python benchmarks/bench_lsp.py --edits 100

Starts `runlint lsp` over stdio, speaking JSON-RPC directly (no client library, so the figure is the
server's), opens a 300-line and a 5,000-line create-run spec, then makes --edits edits to each, one
at a time (each waits for its diagnostics), alternating a change that adds a finding and one that
removes it. The server's debounce is included: it is part of what a person waits for. Then --edits
completion requests (a top-level key, in YAML block style, and a value in a flow mapping), and inlay
hint requests for a screenful (60 lines, what an editor asks for) and for the whole file (the first
one loads the tokenizer and is left out). Prints p50 and p95 in milliseconds.
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
        # (each text is new: the server may keep what it read of a text it has seen, as after an undo)
        new_line = f"metadata: {{team: b{version}}}" if version % 2 else f"metadta: {{team: b{version}}}"
        change = {"range": {"start": {"line": last, "character": 0},
                            "end": {"line": last, "character": len(text[last])}}, "text": new_line}
        text[last] = new_line
        start = time.perf_counter()
        client.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [change]})
        client.wait(published(uri, version))
        times.append((time.perf_counter() - start) * 1000)
    return times


def request(client: Client, method: str, params: dict) -> tuple[float, dict]:
    start = time.perf_counter()
    number = client.send(method, params, request=True)
    answer = client.wait(lambda m: m.get("id") == number and "method" not in m)
    return (time.perf_counter() - start) * 1000, answer


def measure_requests(client: Client, folder: Path, lines: int, repeat: int) -> dict[str, list[float]]:
    uri = (folder / f"bench-{lines}.run.yaml").as_uri()
    document = {"uri": uri}
    last = len(spec_lines(lines)) - 1  # the line the edits rewrote: `metadata: {team: bench}`, or its typo
    key_line = flow_line = last
    flow_column = len("metadata: {")
    cases = {
        "completion, key": ("textDocument/completion", {"textDocument": document,
                                                       "position": {"line": key_line, "character": 0}}),
        "completion, flow": ("textDocument/completion", {"textDocument": document,
                                                        "position": {"line": flow_line, "character": flow_column}}),
        "inlay hints, 60 lines": ("textDocument/inlayHint", {"textDocument": document, "range": {
            "start": {"line": 0, "character": 0}, "end": {"line": 60, "character": 0}}}),
        "inlay hints, whole file": ("textDocument/inlayHint", {"textDocument": document, "range": {
            "start": {"line": 0, "character": 0}, "end": {"line": lines, "character": 0}}}),
    }
    request(client, *cases["inlay hints, 60 lines"])  # loads the tokenizer
    times: dict[str, list[float]] = {}
    version = 1000
    for name, (method, params) in cases.items():
        for _ in range(repeat):
            # a new text first, as in an editor (the server reads each text once for all requests)
            version += 1
            new_line = f"metadata: {{team: bench{version}}}"  # never a text seen before
            change = {"range": {"start": {"line": last, "character": 0}, "end": {"line": last + 1, "character": 0}},
                      "text": new_line + "\n"}
            client.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                   "contentChanges": [change]})
            client.wait(published(uri, version))
            elapsed, answer = request(client, method, params)
            assert "result" in answer, answer
            times.setdefault(name, []).append(elapsed)
    return times


def row(label: str, times: list[float]) -> str:
    times = sorted(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    return f"{label:<36} {len(times):>6} {statistics.median(times):>8.1f} {p95:>8.1f} {times[-1]:>8.1f}"


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
        print(f"{'spec, what':<36} {'times':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for lines in (300, 5000):
            print(row(f"{lines:>5} lines, didChange -> diagnostics", measure(client, Path(folder), lines, args.edits)))
            for name, times in measure_requests(client, Path(folder), lines, args.edits).items():
                print(row(f"{lines:>5} lines, {name}", times))
        client.send("shutdown", {}, request=True)
        client.send("exit", {})
    client.process.wait(10)


if __name__ == "__main__":
    main()
