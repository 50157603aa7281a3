#!/usr/bin/env python3
"""Time `runlint check` on N generated create-run specs, side by side with check-jsonschema.

    python benchmarks/bench_check.py --files 2000

Generates N specs (half YAML, half JSON, about 4 KB each, about one in ten with findings) into
benchmarks/_work/specs, then measures, in one run on this machine:
- runlint check on the folder (schema and every rule), wall time, best of --repeat;
- check-jsonschema with the create-run schema on the same files (schema only, no rules);
- a floor: only parsing every file in one Python process (json.loads, libyaml compose);
- one file, cold (a fresh process, as a pre-commit hook on one changed file): median and p95.

Then the two ratios issue 23 sets goals for, measured side by side (interleaved, median of --repeat):
- bulk: `runlint check -j1` on the folder (one process, as the floor is) / parse only, one process
  (the issue's "json + libyaml compose, one process"; goal at most 2.5x); the default (every core)
  is shown beside it;
- cold: `runlint check` on one file / `python -c pass` (goal at most 8x).
The machine's load (`os.getloadavg`) is printed with them: on a shared machine, compare runs of
similar load only. runlint's own modules are byte-compiled first (a wheel install has its .pyc
files; with PYTHONDONTWRITEBYTECODE set, a source checkout would compile them on every start).

With --fix-figures, only what `--fix` costs where there is nothing to fix: the same specs, fixed once
(so that nothing fixable is left), checked with and without --fix, in bulk and one file cold.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "_work"
SCHEMA = ROOT / "schemas" / "create-run.schema.json"
MODELS = ["gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "o3-mini", "gpt-4-turbo"]
WORDS = ("order invoice customer refund shipping weather forecast city summary report ticket account "
         "balance search document answer question policy travel booking flight hotel").split()


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def function_tool(rng: random.Random, index: int) -> dict:
    properties = {f"{rng.choice(WORDS)}_{i}": {"type": rng.choice(["string", "integer", "boolean"]),
                                               "description": sentence(rng, 6)} for i in range(4)}
    properties["unit"] = {"type": "string", "enum": ["metric", "imperial"]}
    return {"type": "function", "function": {
        "name": f"{rng.choice(WORDS)}_{index}", "description": sentence(rng, 12),
        "parameters": {"type": "object", "properties": properties, "required": list(properties)[:2]}}}


def clean_spec(rng: random.Random) -> dict:
    tools = [function_tool(rng, i) for i in range(rng.randint(3, 5))]
    tools += [{"type": "code_interpreter"},
              {"type": "file_search", "file_search": {"max_num_results": rng.randint(1, 50),
                                                      "ranking_options": {"ranker": "auto", "score_threshold": 0.5}}}]
    spec = {
        "assistant_id": f"asst_{rng.randrange(16**12):012x}",
        "model": rng.choice(MODELS),
        "instructions": " ".join(sentence(rng, 14) for _ in range(5)) + " Always answer in JSON.",
        "additional_instructions": sentence(rng, 10),
        "additional_messages": [
            {"role": "user", "content": " ".join(sentence(rng, 12) for _ in range(3))},
            {"role": "assistant", "content": [{"type": "text", "text": sentence(rng, 20)}]},
            {"role": "user", "content": [{"type": "text", "text": sentence(rng, 15)}], "metadata": {"turn": "3"}},
        ],
        "tools": tools,
        "tool_choice": rng.choice(["auto", "required", {"type": "function",
                                                        "function": {"name": tools[0]["function"]["name"]}}]),
        "response_format": rng.choice(["auto", {"type": "json_object"}, {"type": "json_schema", "json_schema": {
            "name": "answer", "strict": True, "schema": {"type": "object", "properties": {
                "answer": {"type": "string"}}, "required": ["answer"], "additionalProperties": False}}}]),
        "max_completion_tokens": rng.randint(256, 4000),
        "truncation_strategy": {"type": "last_messages", "last_messages": rng.randint(1, 20)},
        "parallel_tool_calls": rng.choice([True, False]),
        "metadata": {"team": rng.choice(WORDS), "ticket": str(rng.randint(1, 9999))},
        "stream": rng.choice([True, False]),
    }
    if rng.random() < 0.3:  # a budget, set (as people do) well above the run's own text
        spec["max_prompt_tokens"] = rng.randint(4000, 32000)
    if spec["model"] == "o3-mini":  # a reasoning model: no sampling parameters, an effort instead
        spec["reasoning_effort"] = rng.choice(["low", "medium", "high"])
    else:
        spec[rng.choice(["temperature", "top_p"])] = round(rng.random(), 2)
    if spec["model"] == "gpt-4-turbo" and spec["response_format"] != "auto":
        spec["response_format"] = {"type": "json_object"}  # no Structured Outputs before gpt-4o
    return spec


MISTAKES = [
    lambda s: s.__setitem__("temprature", 0.5),
    lambda s: s.update(temperature=0.3, top_p=0.8),
    lambda s: s.update(instructions="Be brief.", additional_instructions="Be kind.",
                       additional_messages=[{"role": "user", "content": "Hello"}],
                       response_format={"type": "json_object"}),
    lambda s: s["metadata"].__setitem__("retries", 3),
    lambda s: s.__setitem__("tool_choice", {"type": "function", "function": {"name": "not_defined"}}),
    lambda s: s["tools"].append(dict(s["tools"][0])),
    lambda s: s.__setitem__("max_completion_tokens", 100),
    lambda s: s.__setitem__("max_prompt_tokens", 256),  # smaller than its own instructions
]


def generate(count: int, folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = random.Random(0)
    for index in range(count):
        spec = clean_spec(rng)
        if rng.random() < 0.1:
            rng.choice(MISTAKES)(spec)
        if index % 2 == 0:
            text = yaml.safe_dump(spec, sort_keys=False, width=100)
            (folder / f"spec-{index:05d}.run.yaml").write_text(text, encoding="utf-8")
        else:
            (folder / f"spec-{index:05d}.run.json").write_text(json.dumps(spec, indent=2), encoding="utf-8")


def timed(command: list[str], repeat: int) -> tuple[float, float]:
    """Best wall time of `repeat` runs, and the peak RSS in MiB (GNU time's %M, the largest process)."""
    best, peak = float("inf"), float("nan")
    gnu_time = shutil.which("time") or "/usr/bin/time"
    for _ in range(repeat):
        start = time.perf_counter()
        if os.path.exists(gnu_time):
            done = subprocess.run([gnu_time, "-f", "%M", *command], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True, cwd=ROOT)
            best = min(best, time.perf_counter() - start)
            peak = int(done.stderr.strip().splitlines()[-1]) / 1024
        else:
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
            best = min(best, time.perf_counter() - start)
    return best, peak


def parse_only(files: list[Path]) -> float:
    start = time.perf_counter()
    for file in files:
        text = file.read_text(encoding="utf-8")
        json.loads(text) if file.suffix == ".json" else yaml.compose(text, Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def cold(command: list[str], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times) * 1000, times[max(0, int(len(times) * 0.95) - 1)] * 1000


def child(command: list[str]) -> tuple[float, float]:
    """Wall and CPU time (user + system, of the process and what it waited for) of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def parse_only_timed(files: list[Path]) -> tuple[float, float]:
    cpu = time.process_time()
    wall = parse_only(files)
    return wall, time.process_time() - cpu


def ratios(runlint: list[str], folder: Path, files: list[Path], repeat: int, cold_runs: int) -> dict:
    """The issue's two ratios, interleaved so that neither side gets a quieter moment; wall time,
    and CPU time beside it (steadier when other work shares the cores)."""
    runs: dict[str, list[tuple[float, float]]] = {"one_process": [], "default": [], "parse": [], "cold": [],
                                                  "python": []}
    for _ in range(repeat):
        runs["one_process"].append(child([*runlint, "-j1", str(folder)]))
        runs["parse"].append(parse_only_timed(files))
        runs["default"].append(child([*runlint, str(folder)]))
    for _ in range(cold_runs):
        runs["cold"].append(child([*runlint, str(files[0])]))
        runs["python"].append(child([sys.executable, "-c", "pass"]))
    figures = {}
    for name, pairs in runs.items():
        figures[f"{name}_wall"] = statistics.median(wall for wall, _ in pairs)
        figures[f"{name}_cpu"] = statistics.median(cpu for _, cpu in pairs)
    for measure in ("wall", "cpu"):
        figures[f"bulk_ratio_{measure}"] = figures[f"one_process_{measure}"] / figures[f"parse_{measure}"]
        figures[f"cold_ratio_{measure}"] = figures[f"cold_{measure}"] / figures[f"python_{measure}"]
    figures["bulk_default_ratio_wall"] = figures["default_wall"] / figures["parse_wall"]
    return figures


def print_ratios(f: dict, before: tuple, after: tuple) -> None:
    print(f"\nissue 23's ratios (medians of interleaved runs; load average {before[0]:.2f} before, "
          f"{after[0]:.2f} after, {os.cpu_count()} cores)")
    print(f"bulk, runlint check -j1 / parse only (one process each; goal 2.5x): wall {f['one_process_wall']:.2f} s / "
          f"{f['parse_wall']:.2f} s = {f['bulk_ratio_wall']:.2f}x; CPU {f['one_process_cpu']:.2f} s / "
          f"{f['parse_cpu']:.2f} s = {f['bulk_ratio_cpu']:.2f}x")
    print(f"bulk, every core (default): wall {f['default_wall']:.2f} s = {f['bulk_default_ratio_wall']:.2f}x parse only")
    print(f"cold, runlint check one file / python -c pass (goal 8x): wall {f['cold_wall'] * 1000:.0f} ms / "
          f"{f['python_wall'] * 1000:.1f} ms = {f['cold_ratio_wall']:.1f}x; CPU {f['cold_cpu'] * 1000:.0f} ms / "
          f"{f['python_cpu'] * 1000:.1f} ms = {f['cold_ratio_cpu']:.1f}x")


def compile_runlint() -> None:
    """runlint's .pyc files, as an installed wheel has them (compileall writes them whatever
    PYTHONDONTWRITEBYTECODE says; without them each cold start compiles every module)."""
    import compileall

    compileall.compile_dir(str(ROOT / "runlint"), quiet=1)


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=20)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--ratios-only", action="store_true", help="only issue 23's two ratios (runlint "
                        "and the floors, no check-jsonschema)")
    parser.add_argument("--fix-figures", action="store_true", help="only compare check and check --fix "
                        "on specs with nothing left to fix")
    args = parser.parse_args()
    if args.fix_figures:
        fix_figures(args)
        return

    folder = WORK / "specs"
    generate(args.files, folder)
    files = sorted(folder.iterdir())
    compile_runlint()
    # The retirement notice (RL600) would be one more warning on every generated spec: left out, as
    # a team that still sends create-run specs to a compatible server configures it.
    runlint = [tool("runlint"), "check", "--ignore", "RL600"]
    subprocess.run([*runlint, str(folder)], stdout=subprocess.DEVNULL, cwd=ROOT)  # builds the rule cache
    report = json.loads(subprocess.run([*runlint, str(folder), "--format", "json"], capture_output=True,
                                       cwd=ROOT).stdout)
    with_findings = len({finding["file"] for finding in report})
    if args.ratios_only:
        before = os.getloadavg()
        figures = ratios(runlint, folder, files, args.repeat, args.cold_runs)
        print(f"{args.files} files ({with_findings} with findings)")
        print_ratios(figures, before, os.getloadavg())
        if args.json:
            args.json.write_text(json.dumps({"files": args.files, "with_findings": with_findings, **figures}, indent=2))
        return

    rows = []
    wall, rss = timed([*runlint, str(folder)], args.repeat)
    rows.append(("runlint check (schema + rules)", wall, rss))
    wall, rss = timed([tool("check-jsonschema"), "--schemafile", str(SCHEMA), *map(str, files)], args.repeat)
    rows.append(("check-jsonschema (schema only)", wall, rss))
    # The same schema without the metaschema references that check `parameters` and `schema`:
    # python-jsonschema spends most of its time there, so this is the fairer schema-only figure.
    plain = WORK / "create-run.no-metaschema.json"
    plain.write_text(SCHEMA.read_text().replace('"$ref": "https://json-schema.org/draft/2020-12/schema"',
                                                 '"$comment": "metaschema reference removed"'))
    wall, rss = timed([tool("check-jsonschema"), "--schemafile", str(plain), *map(str, files)], args.repeat)
    rows.append(("check-jsonschema (schema without metaschema)", wall, rss))
    rows.append(("parse only (json.loads, libyaml compose)", parse_only(files), float("nan")))

    print(f"{args.files} files ({with_findings} with findings), {os.cpu_count()} cores, best of {args.repeat}\n")
    print(f"{'tool':<46} {'wall s':>8} {'files/s':>9} {'ms/file':>8} {'peak MiB':>9} {'vs runlint':>11}")
    base = rows[0][1]
    for name, wall, rss in rows:
        print(f"{name:<46} {wall:>8.2f} {args.files / wall:>9.0f} {wall * 1000 / args.files:>8.3f} "
              f"{rss:>9.0f} {wall / base:>10.1f}x")

    one = str(files[0])
    cold_rows = [("runlint check, one file", *cold([*runlint, one], args.cold_runs)),
                 ("check-jsonschema, one file", *cold([tool("check-jsonschema"), "--schemafile", str(SCHEMA), one],
                                                      max(5, args.cold_runs // 4))),
                 ("python -c pass", *cold([sys.executable, "-c", "pass"], args.cold_runs))]
    print(f"\n{'cold start':<46} {'median ms':>10} {'p95 ms':>8}")
    for name, median, p95 in cold_rows:
        print(f"{name:<46} {median:>10.0f} {p95:>8.0f}")

    before = os.getloadavg()
    figures = ratios(runlint, folder, files, args.repeat, args.cold_runs)
    print_ratios(figures, before, os.getloadavg())

    if args.json:
        args.json.write_text(json.dumps({"files": args.files, "with_findings": with_findings,
                                         "bulk": [{"tool": n, "wall_s": w, "peak_mib": r} for n, w, r in rows],
                                         "cold": [{"tool": n, "median_ms": m, "p95_ms": p} for n, m, p in cold_rows],
                                         "ratios": figures}, indent=2))


def fix_figures(args) -> None:
    folder = WORK / "fixed"
    generate(args.files, folder)
    runlint = [tool("runlint"), "check", "--ignore", "RL600"]
    subprocess.run([*runlint, "--fix", str(folder)], stdout=subprocess.DEVNULL, cwd=ROOT)  # nothing fixable left
    # a fix --fix refuses (a rename that would add an error) stays offered: those few files go
    report = json.loads(subprocess.run([*runlint, str(folder), "--format", "json"], capture_output=True,
                                       cwd=ROOT).stdout)
    for name in {f["file"] for f in report if f["fix"] and f["fix"]["applicability"] == "safe"}:
        Path(name).unlink()
    files = sorted(folder.iterdir())
    args.files = len(files)
    # alternate the two, several times, so that neither gets the warmer machine
    check_walls, fix_walls = [], []
    for _ in range(args.repeat):
        check_walls.append(timed([*runlint, str(folder)], 1))
        fix_walls.append(timed([*runlint, "--fix", str(folder)], 1))
    check_wall, fix_wall = min(w for w, _ in check_walls), min(w for w, _ in fix_walls)
    print(f"{args.files} files, nothing to fix, {os.cpu_count()} cores, best of {args.repeat}")
    print(f"runlint check        {check_wall:.3f} s")
    print(f"runlint check --fix  {fix_wall:.3f} s  ({fix_wall / check_wall:.2f}x)")
    one = str(files[0])
    cold_check = cold([*runlint, one], args.cold_runs)
    cold_fix = cold([*runlint, "--fix", one], args.cold_runs)
    print(f"one file, cold: check median {cold_check[0]:.0f} ms (p95 {cold_check[1]:.0f}); "
          f"--fix median {cold_fix[0]:.0f} ms (p95 {cold_fix[1]:.0f})")


if __name__ == "__main__":
    main()
