"""The closing line of the text formats."""

from __future__ import annotations

from ..diagnostic import Severity


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def fix_marker(d, unsafe_fixes: bool = False) -> bool:
    """A finding --fix (with --unsafe-fixes when given) would fix: the text formats mark it [*]."""
    return d.fix is not None and (d.fix.applicability == "safe" or unsafe_fixes)


def fixable_line(results, unsafe_fixes: bool = False) -> str:
    """"[*] 3 fixable with --fix; 2 more with --unsafe-fixes." (nothing when none is). With only
    unsafe fixes, "2 fixable with --fix --unsafe-fixes.": no "0 fixable", and no [*], which marks
    what --fix alone fixes."""
    safe = sum(1 for r in results for d in r.diagnostics if d.fix is not None and d.fix.applicability == "safe")
    unsafe = sum(1 for r in results for d in r.diagnostics if d.fix is not None and d.fix.applicability != "safe")
    if unsafe_fixes:
        return f"[*] {safe + unsafe} fixable with --fix --unsafe-fixes." if safe + unsafe else ""
    if not safe and not unsafe:
        return ""
    if not safe:
        return f"{unsafe} fixable with --fix --unsafe-fixes."
    more = f"; {unsafe} more with --unsafe-fixes" if unsafe else ""
    return f"[*] {safe} fixable with --fix{more}."


def summary_line(results, unreadable: int = 0, unsafe_fixes: bool = False) -> str:
    line = _summary_line(results, unreadable)
    fixable = fixable_line(results, unsafe_fixes)
    return f"{line}\n{fixable}" if fixable else line


def _summary_line(results, unreadable: int = 0) -> str:
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
