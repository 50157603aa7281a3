"""At most MAX_FINDINGS findings a file: the most severe are kept, and one finding (RL019) stands
for the rest, at the first of them, saying how many of which rules were left out.

Every front end gets the capped list (the CLI's formats and the language server alike): a file
with 200,000 unknown keys is no easier to fix from 200,000 findings than from 1,000, and printing,
publishing or annotating them all is what would cost.
"""

from __future__ import annotations

import heapq
from collections import Counter

from ..diagnostic import Diagnostic
from ..source.limits import MAX_FINDINGS


def cap(found: list[Diagnostic], limit: int = MAX_FINDINGS) -> tuple[list[Diagnostic], Diagnostic | None]:
    """(the findings kept, the one that summarises those left out, or None when nothing is)."""
    if len(found) <= limit:
        return found, None
    kept = heapq.nsmallest(limit, found, key=_rank)  # no key kept for each of 200,000 findings
    chosen = {id(d) for d in kept}
    left_out = [d for d in found if id(d) not in chosen]
    first = min(left_out, key=Diagnostic.sort_key)
    # Unstamped: its file, name and severity are the linter's, the rule file's `warning` (or the
    # user's override), as `runlint rule RL019` says. The kept findings are the most severe, so the
    # exit code and an errors-only view are what they would be with every finding reported.
    summary = Diagnostic("RL019", "", None, _message(left_out, limit), first.range, first.path)
    return kept, summary


def _rank(d: Diagnostic) -> tuple:
    return -d.severity, d.sort_key()


def _message(left_out: list[Diagnostic], limit: int) -> str:
    counts = Counter(d.code for d in left_out).most_common()
    if len(counts) == 1:
        what = f"of {counts[0][0]}"
    else:
        parts = [f"{count:,} of {code}" for code, count in counts[:5]]
        if len(counts) > 5:
            others = len(counts) - 5
            parts.append(f"{sum(count for _, count in counts[5:]):,} of {others} other rule{'s' * (others > 1)}")
        what = f"({', '.join(parts[:-1])} and {parts[-1]})"
    findings = "finding" if len(left_out) == 1 else "findings"
    return (f"... and {len(left_out):,} more {findings} {what} in this file (runlint reports at most "
            f"{limit:,} per file)")
