#!/usr/bin/env python3
"""Time and peak memory of `runlint check` on a generated fine-tuning file, beside a batch file of as many lines.

    python benchmarks/bench_fine_tuning.py --lines 100000

Generates into benchmarks/_work/: fine-tuning.jsonl, N supervised chat examples (a system prompt, a
user message, the assistant's reply; one in four a function-calling example with its tool and the
assistant's call; one in fifty with a mistake: a misspelt role, a weight of 0.5, arguments as an
object), and, with --small, the same at N/10 lines, to show that memory does not grow with the
file; and batch.jsonl, N Chat Completions requests (bench_batch.py's bodies). Each is checked by a
fresh `runlint check -j1` (start-up included): wall time, CPU time, peak RSS, median of --repeat runs;
and parsed only (json.loads a line) for the ratio.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_batch import PARSE_ONLY, WORK, chat_body, generate, paragraph, run, sentence  # noqa: E402

TOOL = {"type": "function", "function": {"name": "route_ticket", "description": "Send a ticket to a queue.",
                                         "parameters": {"type": "object", "properties": {
                                             "queue": {"type": "string", "enum": ["billing", "tech"]},
                                             "urgent": {"type": "boolean"}}, "required": ["queue", "urgent"]}}}
MISTAKES = [
    lambda e: e["messages"][-1].__setitem__("role", "asistant"),
    lambda e: e["messages"][-1].__setitem__("weight", 0.5),
    lambda e: e["messages"][1].__setitem__("contnet", "x"),
]


def example(rng: random.Random, index: int) -> dict:
    messages = [{"role": "system", "content": "You sort support tickets. " + paragraph(rng, 3)},
                {"role": "user", "content": paragraph(rng, rng.randint(2, 10))}]
    if rng.random() < 0.25:
        call = {"id": f"call_{index}", "type": "function", "function": {
            "name": "route_ticket", "arguments": json.dumps({"queue": rng.choice(["billing", "tech"]), "urgent": True})}}
        messages.append({"role": "assistant", "tool_calls": [call]})
        return {"messages": messages, "tools": [TOOL], "parallel_tool_calls": False}
    messages.append({"role": "assistant", "content": sentence(rng, rng.randint(10, 40))})
    return {"messages": messages}


def generate_examples(path: Path, lines: int) -> None:
    rng = random.Random(lines)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for index in range(lines):
            value = example(rng, index)
            if rng.random() < 0.02:
                rng.choice(MISTAKES)(value)
            out.write(json.dumps(value) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-batch", action="store_true", help="leave out the batch file (the slow one)")
    args = parser.parse_args()
    runlint = str(Path(sys.executable).with_name("runlint"))
    files = [("fine-tuning.jsonl", lambda p: generate_examples(p, args.lines)),
             (f"fine-tuning-{args.lines // 10}.jsonl", lambda p: generate_examples(p, args.lines // 10)),
             ("batch.jsonl", lambda p: generate(p, "/v1/chat/completions", chat_body, args.lines))][
        :2 if args.no_batch else 3]
    print(f"runlint check -j1, {os.cpu_count()} cores, median of {args.repeat} run(s), start-up included\n")
    print("ratio: CPU time against parse-only's (the machine is shared: wall time says little)\n")
    print(f"{'file':<24} {'lines':>8} {'MB':>6} {'wall':>8} {'CPU':>8} {'peak RSS':>9} {'parse-only CPU':>15} {'ratio':>6}")
    for name, make in files:
        path = WORK / name
        make(path)
        lines = sum(1 for _ in path.open("rb"))
        subprocess.run([runlint, "check", "-j1", str(path)], stdout=subprocess.DEVNULL, cwd=WORK.parent.parent)
        wall, cpu, peak = run([runlint, "check", "-j1", str(path)], args.repeat)
        parsed = run([sys.executable, "-c", PARSE_ONLY, str(path)], args.repeat)
        print(f"{name:<24} {lines:>8,} {path.stat().st_size / 1e6:>6.1f} {wall:>7.2f}s {cpu:>7.2f}s "
              f"{peak:>6.0f} MiB {parsed[1]:>14.2f}s {cpu / parsed[1]:>5.1f}x")


if __name__ == "__main__":
    main()
