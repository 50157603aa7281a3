"""`--format concise`: one line a finding, `path:line:col: CODE [severity] message`."""

from __future__ import annotations

from .style import Style
from .summary import summary_line


def render(results, color: bool = False, unreadable: int = 0, **_options) -> str:
    style = Style(color)
    lines = []
    for result in results:
        for d in result.diagnostics:
            r = d.range
            lines.append(f"{style.bold(d.file)}{style.dim(':')}{r.line + 1}{style.dim(':')}{r.column + 1}"
                         f"{style.dim(':')} {style.severity(d.severity, d.code)} {d.message}")
    lines.append(summary_line(results, unreadable))
    return "\n".join(lines) + "\n"
