"""`--format concise`: one line a finding, `path:line:col: CODE [severity] message`."""

from __future__ import annotations

from .style import Style
from .summary import fix_marker, summary_line


def render(results, color: bool = False, unreadable: int = 0, unsafe_fixes: bool = False, **_options) -> str:
    style = Style(color)
    lines = []
    for result in results:
        for d in result.diagnostics:
            r = d.range
            lines.append(f"{style.bold(d.file)}{style.dim(':')}{r.line + 1}{style.dim(':')}{r.column + 1}"
                         f"{style.dim(':')} {style.severity(d.severity, d.code)} {'[*] ' if fix_marker(d, unsafe_fixes) else ''}"
                         f"{d.message}")
    lines.append(summary_line(results, unreadable, unsafe_fixes))
    return "\n".join(lines) + "\n"
