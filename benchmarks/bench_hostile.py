#!/usr/bin/env python3
"""Time and memory of `runlint check` on each hostile input of tests/helpers/hostile.py, and how the large
ones scale (the same input at a quarter, half and full size: linear time keeps the ratios near
1 : 2 : 4).

    python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from helpers.hostile import CASES, _big_messages, _many_keys, _unknown_keys, _yaml_messages  # noqa: E402


def measure(path: Path) -> tuple[float, float, float]:
    """(wall s, CPU s, peak MiB) of one `runlint check` on the file."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "runlint", "check", "--format", "json", str(path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="runlint-hostile-"))
    print(f"{'input':<30} {'size MB':>8} {'wall s':>7} {'CPU s':>6} {'peak MiB':>9}")
    figures = []
    for case in CASES:
        data = case.make()
        path = folder / case.file
        path.write_bytes(data)
        wall, cpu, peak = measure(path)
        figures.append({"input": case.name, "bytes": len(data), "wall_s": wall, "cpu_s": cpu, "peak_mib": peak})
        print(f"{case.name:<30} {len(data) / 1e6:>8.2f} {wall:>7.2f} {cpu:>6.2f} {peak:>9.0f}")

    print(f"\n{'scaling (quarter : half : full)':<42} {'CPU s':>22}")
    scaled = {"JSON, messages (10 MB at full)": (lambda n: json.dumps(_big_messages(n, 5_000)).encode(), 2_000,
                                                  "s.run.json"),
              "YAML, messages (100,000 at full)": (_yaml_messages, 100_000, "s.run.yaml"),
              "JSON, metadata keys (200,000 at full)": (_many_keys, 200_000, "s.run.json"),
              "JSON, unknown keys (200,000 at full)": (_unknown_keys, 200_000, "s.run.json"),
              "YAML, unknown keys (200,000 at full)": (lambda n: _unknown_keys(n, "yaml"), 200_000, "s.run.yaml"),
              "JSON, unknown nested keys (200,000 at full)": (lambda n: _unknown_keys(n, nested=True), 200_000,
                                                              "s.run.json"),
              "YAML, unknown nested keys (200,000 at full)": (lambda n: _unknown_keys(n, "yaml", nested=True),
                                                              200_000, "s.run.yaml")}
    for name, (make, full, file) in scaled.items():
        times = []
        for size in (full // 4, full // 2, full):
            path = folder / file
            path.write_bytes(make(size))
            times.append(measure(path)[1])
        ratios = " : ".join(f"{t / times[0]:.1f}" for t in times)
        print(f"{name:<42} {' / '.join(f'{t:.2f}' for t in times):>22}   ratio {ratios}")
        figures.append({"scaling": name, "cpu_s": times})
    (ROOT / "benchmarks" / "_work").mkdir(exist_ok=True)
    (ROOT / "benchmarks" / "_work" / "hostile.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
