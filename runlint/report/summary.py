"""The closing line of the text formats."""

from __future__ import annotations

from ..diagnostic import Severity


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(results, unreadable: int = 0) -> str:
    diagnostics = [d for r in results for d in r.diagnostics]
    files = len(results)
    not_read = f" {plural(unreadable, 'path')} could not be read (see above)." if unreadable else ""
    if not diagnostics:
        if unreadable:
            return f"No problems in {plural(files, 'file')} checked;{not_read}"
        return f"All checks passed: {plural(files, 'file')}, no problems."
    counts = {s: sum(1 for d in diagnostics if d.severity == s) for s in Severity}
    parts = [plural(counts[s], str(s)) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
             if counts[s]]
    with_findings = sum(1 for r in results if r.diagnostics)
    return (f"Found {plural(len(diagnostics), 'problem')} ({', '.join(parts)}) "
            f"in {plural(with_findings, 'file')}.{not_read}")
