#!/usr/bin/env python3
"""Time `runlint check` on a generated Batch API input file, against only parsing its lines.

    python benchmarks/bench_batch.py --lines 50000

Generates a JSONL file of N requests into benchmarks/_work/batch.jsonl (realistic bodies: half Chat
Completions and half Responses requests, in two files so that each batch calls one endpoint; a
system prompt, a document to work on, sometimes a function tool or a json_schema format; about one
line in fifty with a mistake), then measures, median of --repeat runs:
- runlint check on each file: a fresh process (start-up included), schema and every rule on every
  line, on every core (the default) and with -j1: wall time, CPU time and peak RSS;
- parse only: a fresh Python process that reads the same file and json.loads each line (runlint's
  fastest JSON parser), start-up included. The ratio of the two is the figure the README quotes.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "_work"
WORDS = ("order invoice customer refund shipping weather forecast city summary report ticket account "
         "balance search document answer question policy travel booking flight hotel").split()
PARSE_ONLY = "import json, sys\nfor line in open(sys.argv[1], 'rb'):\n    line.strip() and json.loads(line)\n"


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng, rng.randint(8, 20)) for _ in range(sentences))


def chat_body(rng: random.Random) -> dict:
    body = {"model": "gpt-4o-mini", "messages": [
        {"role": "system", "content": "You sort support tickets. " + paragraph(rng, 4) + " Reply in JSON."},
        {"role": "user", "content": paragraph(rng, rng.randint(5, 25))}],
        "temperature": round(rng.random(), 2), "max_completion_tokens": rng.randint(100, 800)}
    if rng.random() < 0.5:
        body["response_format"] = {"type": "json_object"}
    if rng.random() < 0.3:
        body["tools"] = [{"type": "function", "function": {
            "name": "route_ticket", "description": sentence(rng, 10), "parameters": {
                "type": "object", "properties": {"queue": {"type": "string", "enum": ["billing", "tech"]},
                                                 "urgent": {"type": "boolean"}},
                "required": ["queue", "urgent"], "additionalProperties": False}, "strict": True}}]
    return body


def response_body(rng: random.Random) -> dict:
    body = {"model": "gpt-4.1-mini", "instructions": "Summarise the report. " + paragraph(rng, 3),
            "input": [{"role": "user", "content": [{"type": "input_text", "text": paragraph(rng, rng.randint(5, 25))}]}],
            "max_output_tokens": rng.randint(200, 1000), "metadata": {"batch": "nightly", "team": rng.choice(WORDS)}}
    if rng.random() < 0.4:
        body["text"] = {"format": {"type": "json_schema", "name": "summary", "strict": True, "schema": {
            "type": "object", "properties": {"summary": {"type": "string"}, "topics": {
                "type": "array", "items": {"type": "string"}}},
            "required": ["summary", "topics"], "additionalProperties": False}}}
    return body


MISTAKES = [
    lambda b: b.__setitem__("temprature", 0.5),
    lambda b: b.update(temperature=0.3, top_p=0.8),
    lambda b: b.__setitem__("metadata", {"retries": 3}),
]


def generate(path: Path, url: str, make, lines: int) -> None:
    rng = random.Random(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for index in range(lines):
            body = make(rng)
            if rng.random() < 0.02:
                rng.choice(MISTAKES)(body)
            out.write(json.dumps({"custom_id": f"request-{index}", "method": "POST", "url": url, "body": body})
                      + "\n")


def run(command: list[str], repeat: int) -> tuple[float, float, float]:
    """Median wall time and CPU time (user + system, its worker processes included) of `repeat` runs,
    and the largest peak RSS (MiB) of one process."""
    times, cpus, peak = [], [], 0.0
    for _ in range(repeat):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, _status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
        peak = max(peak, usage.ru_maxrss / 1024)
    return statistics.median(times), statistics.median(cpus), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runlint = str(Path(sys.executable).with_name("runlint"))
    print(f"{args.lines:,} requests a file, {os.cpu_count()} cores, median of {args.repeat} runs (start-up included)")
    print("runlint: wall time / CPU time (workers included) / peak RSS of one process; ratio: wall time "
          "against parse-only\n")
    print(f"{'file':<16} {'MB':>6} {'runlint':>22} {'runlint -j1':>22} {'parse-only':>17} {'ratio':>6} {'-j1':>6}")
    for name, url, make in (("chat.jsonl", "/v1/chat/completions", chat_body),
                            ("responses.jsonl", "/v1/responses", response_body)):
        path = WORK / name
        generate(path, url, make, args.lines)
        subprocess.run([runlint, "check", str(path)], stdout=subprocess.DEVNULL, cwd=ROOT)  # rule cache
        every = run([runlint, "check", str(path)], args.repeat)
        one = run([runlint, "check", "-j1", str(path)], args.repeat)
        parsed = run([sys.executable, "-c", PARSE_ONLY, str(path)], args.repeat)
        shown = lambda wall, cpu, peak: f"{wall:.2f}/{cpu:.2f} s {peak:.0f} MiB"
        print(f"{name:<16} {path.stat().st_size / 1e6:>6.1f} {shown(*every):>22} {shown(*one):>22} "
              f"{shown(*parsed):>17} {every[0] / parsed[0]:>5.1f}x {one[0] / parsed[0]:>5.1f}x")


if __name__ == "__main__":
    main()
