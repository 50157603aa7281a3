"""`--format github`: GitHub Actions workflow commands, one annotation a finding.

    ::error file=a.run.yaml,line=2,col=1,endLine=2,endColumn=11,title=RL101 unknown-field::unknown field ...
"""

from __future__ import annotations

_COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(results, **_options) -> str:
    lines = []
    for result in results:
        for d in result.diagnostics:
            r = d.range
            properties = ",".join([f"file={_property(d.file)}", f"line={r.line + 1}", f"col={r.column + 1}",
                                   f"endLine={r.end_line + 1}", f"endColumn={r.end_column + 1}",
                                   f"title={_property(f'{d.code} {d.name}')}"])
            lines.append(f"::{_COMMANDS[str(d.severity)]} {properties}::{_data(d.message)}")
    return "".join(line + "\n" for line in lines)
