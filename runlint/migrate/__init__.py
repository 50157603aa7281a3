"""`runlint migrate`: a create-run or thread-and-run spec file, rewritten as a Responses request file.

The file is read twice: by runlint's own loader (the checks `check` makes on bad input, and the
positions its findings use) and by a round-trip reader that keeps what a person wrote around the
values (ruamel.yaml for YAML: comments, key order, quoting, block styles; for JSON: key order and
indentation). Only the second is rewritten.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ..diagnostic import Diagnostic, Severity
from ..source.document import SourceFile, decode, load
from ..source.request import Source
from .mapping import Step, to_response

_KIND_COMMENT = re.compile(r"(#\s*runlint:\s*kind\s*=\s*)(create-run|thread-and-run)\b")
MIGRATED = ("create-run", "thread-and-run")  # the kinds `migrate` rewrites


@dataclass
class Migration:
    file: str
    source: str = ""  # the spec's text
    text: str | None = None  # the Responses request; None when nothing could be migrated
    diagnostics: list[Diagnostic] = field(default_factory=list)  # steps left, or why it could not be done
    skipped: str | None = None  # why the file is not migrated (not a kind `migrate` rewrites)


def migrate_bytes(data: bytes, file: str, linter) -> Migration:
    text, problems = decode(data)
    if text is None:
        return Migration(file, diagnostics=_stamped(problems, file, linter))
    return migrate_text(text, file, linter)


def migrate_text(text: str, file: str, linter) -> Migration:
    """Migrate the text of one spec file. `linter` tells its kind, and names and grades the findings."""
    source = load(file, text.removeprefix("\ufeff"))
    migration = Migration(file, source.text)
    problems = _stamped(source.problems, file, linter)
    blocking = [d for d in problems if d.severity >= Severity.ERROR]
    if blocking or not source.documents:
        migration.diagnostics = blocking or problems
        return migration
    # kind_of gives a finding (no name) for a kind it cannot tell
    kinds = [getattr(linter.kind_of(document), "name", "unknown") for document in source.documents]
    if not set(kinds) <= set(MIGRATED):
        found = ", ".join(sorted(set(kinds) - set(MIGRATED)))
        migration.skipped = f"not a create-run or thread-and-run spec ({found}); only those are migrated"
        return migration
    try:
        if source.documents[0].syntax == "yaml":
            migration.text, steps = _migrate_yaml(source.text, kinds)
        else:
            migration.text, steps = _migrate_json(source.text, kinds[0])
    except Exception as error:  # noqa: BLE001 - one file's failure is its finding, never a traceback
        migration.text = None
        failure = Diagnostic("RL014", "", None, f"runlint itself failed to migrate this file: "
                             f"{type(error).__name__}: {error}; please report this", source.documents[0].anchor(()))
        migration.diagnostics = _stamped([failure], file, linter)
        return migration
    found = [Diagnostic(step.code, "", None, step.message, document.locate(step.path, on_key=True),
                        step.path)
             for document, document_steps in zip(source.documents, steps) for step in document_steps]
    migration.diagnostics = _stamped(found, file, linter)
    if "\r\n" in source.text:  # both writers end lines with \n: give the file its own line ends back
        migration.text = migration.text.replace("\n", "\r\n")
    return migration


def _migrate_yaml(text: str, kinds: list[str]) -> tuple[str, list[list[Step]]]:
    from io import StringIO

    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # keep long lines as they are rather than fold them
    yaml.indent(**_yaml_indent(text))
    documents = [d for d in yaml.load_all(text) if d is not None]
    if len(documents) != len(kinds):  # both readers are YAML 1.2: a safety net, never seen
        raise ValueError("the YAML reader and runlint's loader disagree on the documents")
    steps = [to_response(document, kind) for document, kind in zip(documents, kinds)]
    out = StringIO()
    if len(documents) == 1:
        yaml.dump(documents[0], out)
    else:
        yaml.explicit_start = text.lstrip().startswith("---")
        yaml.dump_all(documents, out)
    return _KIND_COMMENT.sub(r"\1response", out.getvalue()), steps


def _yaml_indent(text: str) -> dict:
    """The indentation the file uses: of mappings, and of sequences' dashes ("- " under or after a key)."""
    mapping = offset = None  # the first of each the file shows
    for match in re.finditer(r"^( *)\S[^\n]*:\s*\n(?:\s*#[^\n]*\n)*( *)(-\s)?", text, re.M):
        step = len(match.group(2)) - len(match.group(1))
        if step <= 0:
            continue
        if match.group(3):
            offset = step if offset is None else offset
        elif mapping is None:
            mapping = step
    offset = offset or 0
    return {"mapping": mapping or 2, "sequence": offset + 2, "offset": offset}


def _migrate_json(text: str, kind: str) -> tuple[str, list[list[Step]]]:
    from . import json_layout

    spec = json.loads(text)
    known, one_line = json_layout.containers(spec, text)
    steps = to_response(spec, kind)
    out = json_layout.dumps(spec, json_layout.indent_of(text), one_line, known)
    return out + ("\n" if text.endswith("\n") else ""), [steps]


def _stamped(diagnostics: list[Diagnostic], file: str, linter) -> list[Diagnostic]:
    """migrate's findings named, graded and selected by the one entry: as the problems of a reading
    that holds no request (so nothing else is checked, and no comment applies to them)."""
    return linter.lint(Source(file, loaded=SourceFile(file, "", [], list(diagnostics)), format=_NO_REQUESTS))


class _NO_REQUESTS:  # noqa: N801 - a format (a module's shape): it reads no request
    requests = staticmethod(lambda source: ())
