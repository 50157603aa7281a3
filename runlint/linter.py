"""The pipeline: text -> documents -> schema and rules -> selected, stamped, sorted diagnostics.

One pipeline for every front end: the CLI feeds it files, the language server buffers, the Python
API either. Nothing here knows who called it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostic import Diagnostic, Range, Severity
from .document import Document, load, load_bytes
from .kinds import DEFAULT_INCLUDE, KINDS, detect
from .resources import data_dir
from .rules import Catalog, Rule, load_catalog

def default_cache_dir() -> Path | None:
    if os.environ.get("RUNLINT_NO_CACHE"):
        return None
    base = os.environ.get("RUNLINT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "runlint")
    return Path(base)


@dataclass
class Settings:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.ERROR
    kind: str | None = None  # force every document to this kind
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    rule_dirs: tuple[Path, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)  # per rule code
    cache_dir: Path | None = field(default_factory=default_cache_dir)


def matches_selector(rule: Rule, selector: str) -> bool:
    """A selector is ALL, a code prefix (RL2, RL201) or a rule name."""
    selector = selector.strip()
    return selector.upper() == "ALL" or rule.code.startswith(selector.upper()) or rule.name == selector


class Linter:
    def __init__(self, settings: Settings | None = None, catalog: Catalog | None = None):
        self.settings = settings or Settings()
        self.catalog = catalog or load_catalog([data_dir("rules"), *self.settings.rule_dirs],
                                               self.settings.cache_dir)
        selected = {code for code, rule in self.catalog.rules.items() if self._selected(rule)}
        self.selected = selected
        self.rules = [r for r in self.catalog.engine_rules() if r.code in selected]
        self.run_schema = any(self.catalog.rules[c].source == "schema" for c in selected)

    def _selected(self, rule: Rule) -> bool:
        s = self.settings
        chosen = any(matches_selector(rule, sel) for sel in s.select)
        return chosen and not any(matches_selector(rule, sel) for sel in s.ignore)

    # -- entry points ------------------------------------------------------------------------
    def lint_text(self, text: str, file: str = "<text>", syntax: str | None = None) -> list[Diagnostic]:
        return self._finish(file, load(file, text.removeprefix("\ufeff"), syntax))

    def lint_bytes(self, data: bytes, file: str, syntax: str | None = None) -> list[Diagnostic]:
        return self._finish(file, load_bytes(file, data, syntax))

    # -- the pipeline ------------------------------------------------------------------------
    def _finish(self, file: str, source) -> list[Diagnostic]:
        found = list(source.problems)
        for document in source.documents:
            found += self.check_document(document)
        result = []
        for diagnostic in found:
            rule = self.catalog.rules.get(diagnostic.code)
            if rule is None or diagnostic.code not in self.selected:
                continue
            diagnostic.file = file
            diagnostic.name = rule.name
            default = rule.severity if diagnostic.severity is None else diagnostic.severity
            diagnostic.severity = self.settings.severity.get(rule.code, default)
            result.append(diagnostic)
        result.sort(key=Diagnostic.sort_key)
        return result

    def check_document(self, document: Document) -> list[Diagnostic]:
        if not isinstance(document.value, dict):
            return []  # reported by the loader (RL003)
        kind = detect(document.file, document.value, self.settings.kind)
        if kind is None:
            names = ", ".join(KINDS)
            return [Diagnostic("RL012", "", None, f"runlint cannot tell which request this is (known: "
                               f"{names}); name the file like `*.run.yaml` or pass --kind",
                               document.anchor(()))]
        document.kind = kind.name
        found: list[Diagnostic] = []
        if self.run_schema:
            found += self._guarded("the schema check", lambda: _schema_check(document, kind), document)
        for rule in self.rules:
            if rule.applies_to(kind.name):
                found += self._guarded(f"rule {rule.code} ({rule.name})", lambda: rule.run(document),
                                       document)
        return found

    def _guarded(self, what: str, run, document: Document) -> list[Diagnostic]:
        """A check that crashes costs its own findings only, never the others' nor the process."""
        try:
            return run()
        except Exception as error:  # noqa: BLE001 - reported as a diagnostic, logged with traceback
            import logging  # only now: logging costs a cold start several milliseconds

            logging.getLogger("runlint").exception("%s crashed on %s", what, document.file)
            return [Diagnostic("RL014", "", None, f"runlint itself failed in {what}: "
                               f"{type(error).__name__}: {error}; please report this",
                               Range.point(document.range.line, document.range.column))]


def _schema_check(document: Document, kind) -> list[Diagnostic]:
    from . import schema  # imports jsonschema-rs: only when a document is checked

    return schema.check(document, kind)
