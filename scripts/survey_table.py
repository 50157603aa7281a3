#!/usr/bin/env python3
"""The survey of reported 400s (docs/survey/400s.yaml): check its entries, and write the tables of
docs/survey/README.md from them.

    python scripts/survey_table.py          # rewrite the README's tables
    python scripts/survey_table.py --check  # exit 1 if they are stale or an entry is malformed

The tables count error classes and reports (a report is one thread quoting the API's text), by
category and by status, and weigh each class by its reports: the share of reports runlint catches
is the number that says how much of what users hit it would have stopped.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SURVEY = ROOT / "docs" / "survey" / "400s.yaml"
README = ROOT / "docs" / "survey" / "README.md"
START, END = "<!-- survey:start -->", "<!-- survey:end -->"

APIS = ("chat", "responses", "both")
CATEGORIES = ("model-facts", "unknown-model", "api-limits", "schema", "conversation-structure", "api-mixup",
              "structured-outputs", "lifecycle", "other")
STATUSES = ("caught", "open", "not-static")
FIELDS = {"id", "api", "category", "error", "count", "status", "rule", "why", "note", "reports"}
REPORT_FIELDS = {"url", "project", "model", "date", "note", "caught"}


def load(path: Path = SURVEY) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def problems(entries: list[dict]) -> list[str]:
    """What is wrong with the entries, one line each (an empty list: nothing)."""
    found: list[str] = []
    seen: set[str] = set()
    urls: Counter = Counter()
    for number, entry in enumerate(entries):
        name = entry.get("id", f"entry {number}")
        say = lambda text: found.append(f"{name}: {text}")  # noqa: E731
        if set(entry) - FIELDS:
            say(f"unknown fields {sorted(set(entry) - FIELDS)}")
        for field, allowed in (("api", APIS), ("category", CATEGORIES), ("status", STATUSES)):
            if entry.get(field) not in allowed:
                say(f"`{field}` is {entry.get(field)!r}, not one of {', '.join(allowed)}")
        if name in seen:
            say("the id is used twice")
        seen.add(name)
        if not isinstance(entry.get("error"), str) or not entry["error"]:
            say("no `error` text")
        reports = entry.get("reports") or []
        if not reports:
            say("no reports")
        if entry.get("count") != len(reports):
            say(f"`count` is {entry.get('count')}, but {len(reports)} reports are listed")
        for report in reports:
            if set(report) - REPORT_FIELDS or not str(report.get("url", "")).startswith("https://"):
                say(f"a report is malformed: {report}")
            if "caught" in report and (report["caught"] is not False or entry.get("status") != "caught"
                                       or not report.get("note")):
                say(f"only a report of a caught class says `caught: false`, with a note why: {report}")
            urls[report.get("url")] += 1
        if entry.get("status") == "caught":
            if not re.fullmatch(r"RL\d{3}", str(entry.get("rule"))):
                say("a caught class names its `rule` (RLnnn)")
        elif not entry.get("why"):
            say("a class that is not caught says `why`")
    # a thread quoting two texts may stand in two classes, but not twice in one
    for entry in entries:
        listed = [r.get("url") for r in entry.get("reports") or []]
        for url in {u for u in listed if listed.count(u) > 1}:
            found.append(f"{entry.get('id')}: {url} is listed twice")
    return found


def tables(entries: list[dict]) -> str:
    classes = Counter((e["category"], e["status"]) for e in entries)
    reports = Counter()
    for e in entries:
        reports[(e["category"], e["status"])] += e["count"]
    header = "| category | " + " | ".join(STATUSES) + " | classes | reports |"
    lines = [header, "|---|" + "---:|" * (len(STATUSES) + 2)]
    for category in CATEGORIES:
        if not any(classes[(category, s)] for s in STATUSES):
            continue
        cells = [f"{classes[(category, s)]} ({reports[(category, s)]})" if classes[(category, s)] else "" for s in STATUSES]
        total_c = sum(classes[(category, s)] for s in STATUSES)
        total_r = sum(reports[(category, s)] for s in STATUSES)
        lines.append(f"| {category} | " + " | ".join(cells) + f" | {total_c} | {total_r} |")
    by_status = [f"{sum(classes[(c, s)] for c in CATEGORIES)} ({sum(reports[(c, s)] for c in CATEGORIES)})" for s in STATUSES]
    lines.append("| **all** | " + " | ".join(by_status) + f" | {len(entries)} | {sum(e['count'] for e in entries)} |")
    total = sum(e["count"] for e in entries)
    count = lambda status: sum(e["count"] for e in entries if e["status"] == status)  # noqa: E731
    caught, still_open, dynamic = count("caught"), count("open"), count("not-static")
    # reports of a caught class that its rule misses (a model the table has no fact for, a case it leaves)
    missed = sum(1 for e in entries if e["status"] == "caught" for r in e["reports"] if r.get("caught") is False)
    # RL420 reads the project's synced model list: without one, runlint cannot see the key's access
    synced = sum(e["count"] for e in entries if e["status"] == "caught" and e.get("rule") == "RL420")
    projects = len({r["project"] for e in entries for r in e["reports"]})
    summary = (f"\n{len(entries)} error classes, {total} reports from {projects} projects; each cell: classes "
               f"(reports). runlint catches {caught - missed} of the {total} reports "
               f"({100 * (caught - missed) / total:.0f}%): the caught classes hold {caught} reports, their rules "
               f"miss {missed} of them (`caught: false`), and {synced} are caught only "
               f"where the project has synced its model list (RL420). {still_open} more "
               f"({100 * still_open / total:.0f}%) could be known before sending too, but no rule catches them "
               f"yet; {dynamic} ({100 * dynamic / total:.0f}%) no file can show.")
    ranking = ["", "| class | api | reports | status |", "|---|---|---:|---|"]
    for e in sorted(entries, key=lambda e: (-e["count"], e["id"])):
        status = f"caught by {e['rule']}" if e["status"] == "caught" else e["status"]
        ranking.append(f"| `{e['id']}` | {e['api']} | {e['count']} | {status} |")
    return "\n".join(lines) + "\n" + summary + "\n" + "\n".join(ranking)


def readme(current: str, entries: list[dict]) -> str:
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    return pattern.sub(lambda _m: f"{START}\n{tables(entries)}\n{END}", current)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    try:
        entries = load()
    except (OSError, yaml.YAMLError) as error:
        print(f"cannot read {SURVEY}: {error}", file=sys.stderr)
        return 2
    wrong = problems(entries)
    if wrong:
        print("\n".join(wrong), file=sys.stderr)
        return 1
    current = README.read_text(encoding="utf-8")
    text = readme(current, entries)
    if args.check:
        if text != current:
            print(f"stale (run scripts/survey_table.py): {README}", file=sys.stderr)
        return 1 if text != current else 0
    README.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
