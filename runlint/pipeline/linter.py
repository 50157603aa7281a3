"""The pipeline: a file -> its format's requests -> schema and rules -> selected, stamped, sorted
diagnostics.

One entry, `Linter.lint(source)`, for every front end and every format: the CLI feeds it files,
the language server buffers, migrate its own findings, the Python API either. Nothing here knows
who called it. The steps behind it (`_check` a request, `_stamp` a finding, `_settle` a file's
findings, `_guarded` a check) are this package's own (pipeline/stream.py drives a streamed file).
"""

from __future__ import annotations

import dataclasses
import io
import os
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path as FilePath

from ..check.conditions import Context
from ..check.rules import Catalog, Rule, load_catalog
from ..check.synced import SyncedFileError
from ..diagnostic import Diagnostic, Range, Severity, to_pointer
from ..path import Path
from ..kinds import KINDS, Kind, declared, detect
from ..resources import data_dir
from ..source import formats
from ..source.document import Document, SourceFile, load, load_bytes
from ..source.files import DEFAULT_INCLUDE
from ..source.formats import HEAD_BYTES, request_file
from ..source.request import Request, Source
from . import selectors
from .selectors import matches as matches_selector
from .stream import lint_stream


def default_cache_dir() -> FilePath | None:
    from ..cache import default_dir  # one definition (runlint/cache.py), where the cache is read and written

    return default_dir()


@dataclass
class Settings:
    """What a linter is configured with (the configuration file and the flags, merged)."""

    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    fail_on: Severity = Severity.ERROR
    kind: str | None = None  # force every document to this kind
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = ()
    rule_dirs: tuple[FilePath, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)  # per rule code
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)  # glob -> selectors
    default_kind: str | None = None  # for documents whose kind nothing else tells
    kinds: dict[str, str] = field(default_factory=dict)  # glob -> kind, for names that do not say
    config_root: FilePath | None = None  # the folder globs in the configuration are relative to
    models: list[dict] = field(default_factory=list)  # the project's model families (win over ours)
    as_of: date | None = None  # the date findings are for (model shutdowns); None: today
    # the project's synced model list (runlint.models.json at its root), read only if a check asks
    synced_models: FilePath | None = None
    cache_dir: FilePath | None = field(default_factory=default_cache_dir)
    # the model a project's fine-tuning data trains (`fine-tuning-model`): its examples' length limit
    fine_tuning_model: str | None = None
    # where the selectors above were given (selectors.SelectorSource), to say so when one names no rule
    selector_sources: tuple = ()


class Linter:
    """`strict`: a selector that names no rule (selectors.py) raises SelectorError; otherwise
    (the language server) it is left out and said in `selector_problems`."""

    def __init__(self, settings: Settings | None = None, catalog: Catalog | None = None, strict: bool = True):
        self.settings = settings or Settings()
        self.catalog = catalog or load_catalog([data_dir("rules"), *self.settings.rule_dirs],
                                               self.settings.cache_dir)
        # checked here, once the user's rules are loaded: they are selectors' targets too
        self.selector_problems = selectors.check(self.catalog.rules.values(), self.settings)
        if self.selector_problems:
            if strict:
                raise selectors.SelectorError(self.selector_problems)
            self.settings = selectors.without(self.settings, self.selector_problems)
        self.severity = {selectors.rule_named(self.catalog.rules.values(), key).code: level
                         for key, level in self.settings.severity.items()}  # by code or name: by code
        selected = {code for code, rule in self.catalog.rules.items() if self._selected(rule)}
        self.selected = selected
        self.rules = [r for r in self.catalog.engine_rules() if r.code in selected]
        self.run_schema = any(self.catalog.rules[c].source == "schema" for c in selected)
        # the rules whose fixes their rule files describe (an action, a function): made on each finding
        self.fix_actions = {code: rule.made_fixes for code, rule in self.catalog.rules.items()
                            if code in selected and rule.made_fixes}
        # the rules whose findings replace others' at their nodes (`supersedes`): code -> codes
        self.supersedes = {code: frozenset(rule.supersedes) for code, rule in self.catalog.rules.items()
                           if code in selected and rule.supersedes}
        self._ready_by_fields: dict[tuple[str, frozenset], list[tuple[Rule, list]]] = {}

    def _selected(self, rule: Rule) -> bool:
        s = self.settings
        chosen = any(matches_selector(rule, sel) for sel in s.select)
        return chosen and not any(matches_selector(rule, sel) for sel in s.ignore)

    # -- the one entry ----------------------------------------------------------------------
    def lint(self, source: Source | str | os.PathLike) -> list[Diagnostic]:
        """The findings of one file, sorted: `source` is a path (read here; a batch file streamed),
        or a `Source` (a file name with its text or bytes). Its format (runlint/source/formats)
        reads its requests; each is checked, and every finding named, graded, selected, suppressed
        and sorted here. A path that cannot be read raises OSError."""
        if not isinstance(source, Source):
            source = Source(os.fspath(source))
        file = source.file
        if source.loaded is not None:  # read already by the caller (the language server's buffer)
            return self._file(file, source.loaded, source.format or request_file)
        text, data, handle = source.text, source.data, source.handle
        head = b""  # a stream given (a test, stdin) is claimed by its name
        if text is not None:
            text = text.removeprefix("\ufeff")
            head = text[:HEAD_BYTES].encode("utf-8", "surrogatepass")
        elif data is not None:
            head = data[:HEAD_BYTES]
        elif handle is None:
            with open(file, "rb") as opened:
                head = opened.read(HEAD_BYTES)
                format = self._format(source, head)
                if hasattr(format, "stream"):
                    opened.seek(0)
                    return lint_stream(self, file, opened, format, source)
                source.data = data = head + opened.read()
        format = self._format(source, head)
        if hasattr(format, "stream"):
            if handle is None:  # lone surrogates in a text become a bad-UTF-8 finding
                handle = io.BytesIO(data if data is not None else text.encode("utf-8", "surrogatepass"))
            return lint_stream(self, file, handle, format, source)
        if handle is not None:
            source.data = data = handle.read()
        # the loader the format names (yaml, json); else the one the file's name tells
        syntax = source.syntax or (format.SYNTAX if format is not request_file and format.SYNTAX in ("yaml", "json")
                                   else None)
        loaded = load(file, text, syntax) if text is not None else load_bytes(file, data, syntax)
        return self._file(file, loaded, format)

    def lint_text(self, text: str, file: str = "<text>", syntax: str | None = None) -> list[Diagnostic]:
        """`lint` of a text (a thin wrapper: the tests' and the API's short form)."""
        return self.lint(Source(file, text=text, syntax=syntax))

    def lint_bytes(self, data: bytes, file: str, syntax: str | None = None) -> list[Diagnostic]:
        """`lint` of bytes (a thin wrapper: the fix engine lints each attempt's bytes)."""
        return self.lint(Source(file, data=data, syntax=syntax))

    @staticmethod
    def _format(source: Source, head: bytes):
        if source.format is not None:
            return source.format
        return formats.by_syntax(source.syntax, head) if source.syntax else formats.claim(source.file, head)

    # -- the pipeline ------------------------------------------------------------------------
    def _file(self, file: str, loaded: SourceFile, format) -> list[Diagnostic]:
        """A file read whole: the loader's problems, the format's findings and its requests'."""
        found = list(loaded.problems)
        review = getattr(format, "review", None)
        for item in format.requests(loaded):
            if isinstance(item, Diagnostic):
                found.append(item)
            else:
                checked = self._check(item)
                found += review(item, checked, self._severity_of, lambda: self.context().models) if review else checked
        result = self._settle(file, [d for d in found if self._stamp(d, file)], loaded)
        result.sort(key=Diagnostic.sort_key)
        return result

    def _severity_of(self, diagnostic: Diagnostic):
        """The severity a finding will be stamped with (a format's `review` asks it first)."""
        rule = self.catalog.rules.get(diagnostic.code)
        default = diagnostic.severity if diagnostic.severity is not None else rule.severity if rule else None
        return self.severity.get(diagnostic.code, default)

    def _settle(self, file: str, stamped: list[Diagnostic], source=None) -> list[Diagnostic]:
        """What is left of a file's stamped findings after `once_per_file`, per-file ignores, the
        suppression comments of a YAML `source`, and the cap on findings a file (runlint/pipeline/cap.py)."""
        from .cap import cap

        result = self._once_per_file(stamped)
        ignored = self._ignored_for(file)
        if ignored:
            result = [d for d in result if not any(self._names(d, s) for s in ignored)]
        if source and source.documents and source.documents[0].syntax == "yaml" and "runlint:" in source.text:
            result = self._suppress(result, source, file)
        result, rest = cap(result)
        return result + [rest] if rest is not None and self._stamp(rest, file) else result

    def _stamp(self, diagnostic: Diagnostic, file: str) -> bool:
        """Fill in what the catalog knows (name, severity, overrides); False if not selected."""
        rule = self.catalog.rules.get(diagnostic.code)
        if rule is None or diagnostic.code not in self.selected:
            return False
        diagnostic.file = file
        diagnostic.name = rule.name
        default = rule.severity if diagnostic.severity is None else diagnostic.severity
        diagnostic.severity = self.severity.get(rule.code, default)
        if diagnostic.fix is not None:  # the rule file says whether its fix is safe (or that it has none)
            spec = rule.fix_for(diagnostic.message)
            applicability = spec["applicability"] if spec and spec["applicability"] != "never" else None
            if applicability is None:
                diagnostic.fix = None
            elif diagnostic.fix.applicability != applicability:
                diagnostic.fix = dataclasses.replace(diagnostic.fix, applicability=applicability)
        return True

    def _once_per_file(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """Only the first finding of a rule that says so (`once_per_file`), in each file."""
        seen: set[str] = set()
        kept = []
        for d in diagnostics:
            rule = self.catalog.rules.get(d.code)
            if rule is not None and rule.once_per_file:
                if d.code in seen:
                    continue
                seen.add(d.code)
            kept.append(d)
        return kept

    def _names(self, diagnostic: Diagnostic, selector: str) -> bool:
        rule = self.catalog.rules.get(diagnostic.code)
        return rule is not None and matches_selector(rule, selector)

    def _ignored_for(self, file: str) -> list[str]:
        from ..source.files import matches_glob

        patterns = self.settings.per_file_ignores
        if not patterns:
            return []
        relative = self._relative(file)
        return [s for glob, selectors in patterns.items() if matches_glob(relative, (glob,)) for s in selectors]

    def _kind_by_glob(self, file: str) -> str | None:
        from ..source.files import matches_glob

        if not self.settings.kinds:
            return None
        relative = self._relative(file)
        return next((kind for glob, kind in self.settings.kinds.items() if matches_glob(relative, (glob,))), None)

    def _relative(self, file: str) -> str:
        """The file's path below the configuration's folder, which its globs are relative to."""
        root = self.settings.config_root or FilePath.cwd()
        try:
            return FilePath(file).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return FilePath(file).as_posix()

    def _suppress(self, diagnostics: list[Diagnostic], source, file: str) -> list[Diagnostic]:
        from . import suppressions

        inside = suppressions.inside_strings(source.documents)
        found = suppressions.find(source.text, inside)
        unread = [d for d in suppressions.unread(source.text, inside) if self._stamp(d, file)]
        if not found:
            return diagnostics + unread
        kept = suppressions.apply(diagnostics, found, self._names)
        rules = self.catalog.rules.values()
        kept += [d for d in suppressions.unused(found, lambda s: selectors.known(rules, s), source.text,
                                                lambda s: selectors.closest(rules, s)) if self._stamp(d, file)]
        return kept + unread

    def _check(self, request: Request, context: Context | None = None) -> list[Diagnostic]:
        """Schema and rules on one request; `context` shared by a file's requests saves building it
        for each. Its findings come back in the file's terms: through its map (`_through_map`)."""
        if not request.openai or not isinstance(request.value, dict):
            return []  # another provider's request: its format's own findings only; a non-object: RL003
        rules = request.rules
        if request.kind is not None:
            kind = KINDS.get(request.kind) or formats.own_kind(request.kind)
        elif rules is None:
            kind = self.kind_of(request)
            if isinstance(kind, Diagnostic):
                return [kind]
            request.kind = kind.name
        else:
            kind = None  # a body no kind describes: only the rules that read any JSON
        found: list[Diagnostic] = []
        if kind is not None and self.run_schema:
            found += self._guarded("the schema check", lambda: _schema().check(request, kind), request)
        if rules != ():
            context = context or self.context()
            if kind is None:
                ready = [(rule, rule.cases_for(None)) for rule in self.rules if rule.code in rules]
            else:
                ready = self._ready(kind.name, request.fields)
                if rules is not None:
                    ready = [(rule, cases) for rule, cases in ready if rule.code in rules]
            try:  # rules are pure: if one crashes, they run again one by one, each guarded
                found += [d for rule, cases in ready for d in rule.run(request, context, cases)]
            except SyncedFileError:
                raise  # the project's synced model list is unusable: a configuration error, not a crash
            except Exception:  # noqa: BLE001
                for rule, cases in ready:
                    found += self._guarded(f"rule {rule.code} ({rule.name})",
                                           lambda: rule.run(request, context, cases), request)
        if kind is not None and rules != ():
            if self.supersedes and any(d.code in self.supersedes for d in found):
                found = self.supersede(found)
            if self.fix_actions and any(d.code in self.fix_actions for d in found):
                from ..fix.actions import attach

                found += self._guarded("a fix", lambda: attach(found, request, self.fix_actions) or [], request)
        if found and not request.where.identity:
            _through_map(request, found)
        return found

    def supersede(self, found: list[Diagnostic]) -> list[Diagnostic]:
        """Without the findings a more specific one replaces: a rule that `supersedes` codes (RL240
        names a Chat field sent to Responses, where the schema says only "unknown field") drops
        their findings at its finding's nodes (its pointer and `scope`) and below them. One
        mistake, one finding; a finding of another code there stays."""
        replacing = [(self.supersedes[d.code], (d.pointer, *d.scope)) for d in found if d.code in self.supersedes]

        def inside(pointer: str, nodes: tuple[str, ...]) -> bool:
            return any(pointer == node or pointer.startswith(node + "/") for node in nodes)

        return [d for d in found if not any(d.code in codes and any(inside(p, nodes) for p in (d.pointer, *d.scope))
                                            for codes, nodes in replacing)]

    def context(self) -> Context:
        """What the checks may ask beyond the document (built on demand: the model table, the
        synced model list)."""
        return Context(self.settings.models, self.settings.as_of, self.settings.synced_models,
                       self.settings.cache_dir)

    def _ready(self, kind: str, fields: frozenset) -> list[tuple[Rule, list]]:
        """The rules to run on a request of `kind` with these top-level fields, each with its cases
        that can find something there. Requests of a file mostly share a few sets of fields: each
        set is worked out once."""
        ready = self._ready_by_fields.get((kind, fields))
        if ready is None:
            if len(self._ready_by_fields) >= 4096:  # fields are the spec's: bound what they cost
                self._ready_by_fields.clear()
            ready = self._ready_by_fields[kind, fields] = [
                (rule, cases) for rule in self.rules
                if rule.applies_to(kind) and (cases := rule.cases_for(kind, fields))]
        return ready

    def kind_of(self, document: Document | Request) -> Kind | Diagnostic:
        """The request's kind, as told today (runlint/kinds.py), or the RL012 finding that it
        cannot be told (a question about the settings, asked by migrate too: not a step)."""
        said = (declared(document.lines, document.range.line)
                if document.syntax == "yaml" and document.mentions_runlint else None)
        names = ", ".join(KINDS)
        if said is not None and said not in KINDS:
            return Diagnostic("RL012", "", None, f"the comment names the kind `{said}`, which runlint does "
                              f"not know (known: {names})", document.anchor(()))
        kind = detect(document.file, document.value, self.settings.kind, self.settings.default_kind, said,
                      self._kind_by_glob(document.file))
        if kind is None:
            return Diagnostic("RL012", "", None, f"runlint cannot tell which request this is (known: "
                              f"{names}); name the file like `*.response.yaml`, add a "
                              "`# runlint: kind=response` comment, or pass --kind", document.anchor(()))
        return kind

    def _guarded(self, what: str, run, document) -> list[Diagnostic]:
        """A check that crashes costs its own findings only, never the others' nor the process."""
        try:
            return run()
        except SyncedFileError:
            raise
        except Exception as error:  # noqa: BLE001 - reported as a diagnostic, logged with traceback
            import logging  # only now: logging costs a cold start several milliseconds

            log = logging.getLogger("runlint")
            if log.hasHandlers():  # the server's log, or --debug; plain `runlint check` stays quiet
                log.exception("%s crashed on %s", what, document.file)
            return [Diagnostic("RL014", "", None, f"runlint itself failed in {what}: "
                               f"{type(error).__name__}: {error}; please report this",
                               Range.point(document.range.line, document.range.column))]


@cache
def _schema():
    from ..check import schema  # imports jsonschema-rs: only when a document is checked (once: an import
    return schema  # statement costs a microsecond each time, and a batch file checks 100,000 bodies)


def _through_map(request: Request, found: list[Diagnostic]) -> None:
    """A request's findings in the file's terms. Its pointer is the file's where the request is
    written verbatim under a prefix (a batch body's `/body/...`); a node the file writes in its own
    words (`PathMap.written`) is named in the message, and a fix there is dropped: its edits would
    write the API's words into the user's own. So is a fix with an edit inside such a node."""
    where = request.where
    unwritten = None
    for d in found:
        entry, rest = where.entry_of_pointer(d.pointer)
        if entry is None:
            continue
        if entry[3]:  # verbatim
            if entry[0] == () and entry[2]:
                d.pointer = to_pointer(entry[2]) + d.pointer
            if d.fix is not None and d.fix.edits and not where.verbatim:
                unwritten = where.unwritten() if unwritten is None else unwritten
                if any(e.range.overlaps(r) for e in d.fix.edits for r in unwritten):
                    d.fix = None
            continue
        name = where.written(Path.from_pointer(d.pointer, request.value))
        if name is not None:
            d.message = f"{d.message} (written `{name}`)"
        d.fix = None

