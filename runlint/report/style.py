"""ANSI styling, or none: the formats call these whatever the terminal."""

from __future__ import annotations

from ..diagnostic import Severity

_SEVERITY_COLOURS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


class Style:
    def __init__(self, color: bool):
        self.color = color

    def _wrap(self, code: str, text: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color and text else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def blue(self, text: str) -> str:
        return self._wrap("34;1", text)

    def severity(self, severity: Severity, text: str) -> str:
        return self._wrap(_SEVERITY_COLOURS[severity] + ";1", text)
