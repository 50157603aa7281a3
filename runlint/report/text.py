"""`--format text`: like ruff's full output, the finding, its source line underlined, and help.

    examples/bad.run.yaml:3:1: RL101 [error] unknown field `temprature`; did you mean `temperature`?
      |
    3 | temprature: 0.5
      | ^^^^^^^^^^ RL101
      |
      = help: Rename to `temperature`
"""

from __future__ import annotations

from .style import Style
from .summary import fix_marker, summary_line

_MAX_LINE = 160  # longer source lines are cut around the finding


def render(results, color: bool = False, unreadable: int = 0, closing: str | None = None,
           unsafe_fixes: bool = False, **_options) -> str:
    style = Style(color)
    out: list[str] = []
    for result in results:
        lines = result.quoted_lines()
        for d in result.diagnostics:
            r = d.range
            out.append(f"{style.bold(d.file)}{style.dim(':')}{r.line + 1}{style.dim(':')}{r.column + 1}"
                       f"{style.dim(':')} {style.severity(d.severity, d.code)} "
                       f"{style.dim('[' + str(d.severity) + ']')} {'[*] ' if fix_marker(d, unsafe_fixes) else ''}{d.message}")
            gutter = " " * len(str(r.line + 1))
            if r.line in lines:
                out += _excerpt(lines[r.line], r, d, style)
            if d.fix is not None:
                out.append(f"{gutter} {style.blue('=')} {style.bold('help')}: {d.fix.title}")
            out.append("")
    out.append(summary_line(results, unreadable, unsafe_fixes) if closing is None else closing)
    return "\n".join(out) + "\n"


def _excerpt(source: str, r, d, style: Style) -> list[str]:
    number = str(r.line + 1)
    gutter = " " * len(number)
    start = r.column
    end = r.end_column if r.end_line == r.line else len(source)
    end = max(end, start + 1)
    source = source.replace("\t", " ")
    if len(source) > _MAX_LINE:  # keep the finding in view on very long lines
        left = max(0, start - 40)
        source = "…" + source[left:left + _MAX_LINE] + "…"
        start, end = start - left + 1, min(end - left + 1, _MAX_LINE + 1)
    marker = " " * start + "^" * (end - start)
    bar = style.blue("|")
    return [f"{gutter} {bar}",
            f"{style.blue(number)} {bar} {source}",
            f"{gutter} {bar} {style.severity(d.severity, marker + ' ' + d.code)}",
            f"{gutter} {bar}"]
