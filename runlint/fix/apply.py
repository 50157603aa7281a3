"""Applying fixes: text edits on the file's own text, in passes, each pass checked, written safely.

Nothing but the edits changes: the text is never parsed and dumped again, so comments, quoting, key
order, indentation, line endings (CRLF, a lone CR), the byte order mark and the file's mode stay as
they were. Each pass applies the fixes whose edits do not overlap (the others wait for the next
pass, on the new text), then lints again; passes repeat until nothing fixable is left (at most
MAX_PASSES). A pass is kept only if it leaves the file readable, removes the findings it fixed,
brings back none fixed before and adds no error; otherwise its fixes are tried one at a time, and
a fix that fails alone is dropped and reported.
"""

from __future__ import annotations

import codecs
import os
import re
from collections import Counter
from dataclasses import dataclass, field

from ..diagnostic import Diagnostic, Edit, Severity

MAX_PASSES = 12
# findings that say the file no longer reads as a request
UNREADABLE = frozenset({"RL001", "RL003", "RL004", "RL005", "RL014"})
_LINE_BREAK = re.compile(r"\r\n|\n|\r")


def wanted(d: Diagnostic, unsafe: bool) -> bool:
    """Whether --fix (with --unsafe-fixes when `unsafe`) applies this finding's fix."""
    return d.fix is not None and (d.fix.applicability == "safe" or unsafe)


@dataclass
class Dropped:
    diagnostic: Diagnostic
    reason: str


@dataclass
class Fixed:
    """What fixing a file did: its new bytes, the findings fixed, the fixes dropped and the
    findings left (linted on the new bytes)."""

    original: bytes
    data: bytes
    diagnostics: list[Diagnostic]
    applied: list[Diagnostic] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.data != self.original


def _key(d: Diagnostic) -> tuple:
    return (d.code, d.pointer, d.message)


class _Text:
    """A file's text without its BOM, with offsets of its lines as runlint counts them (a lone CR
    ends a line, as \\n does)."""

    def __init__(self, body: str):
        self.body = body
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(body)]

    def offset(self, line: int, column: int) -> int:
        if line >= len(self.starts):
            return len(self.body)
        return min(self.starts[line] + column, len(self.body))

    def span(self, edit: Edit) -> tuple[int, int]:
        r = edit.range
        return self.offset(r.line, r.column), self.offset(r.end_line, r.end_column)


def apply_edits(body: str, edits: list[Edit]) -> str:
    """The text with every edit made (edits must not overlap), each on the original positions."""
    text = _Text(body)
    spans = sorted(((*text.span(e), e.new_text) for e in edits), reverse=True)
    for start, end, new in spans:
        body = body[:start] + new + body[end:]
    return body


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1] or a[0] == b[0]


def choose(text: _Text, fixes: list[Diagnostic], batch: bool = False) -> list[Diagnostic]:
    """The fixes of one pass: in the file's order, each whose edits overlap none chosen before.
    In a batch file a fix may edit only the line of its finding (a blank line's removal reaches
    the start of the next)."""
    chosen, taken = [], []
    for d in sorted(fixes, key=lambda d: d.range):
        if batch and any(e.range.line != d.range.line or not (
                e.range.end_line == d.range.line or (e.range.end_line == d.range.line + 1 and e.range.end_column == 0))
                for e in d.fix.edits):
            continue
        spans = [text.span(e) for e in d.fix.edits]
        if any(_overlaps(s, t) for s in spans for t in taken):
            continue
        chosen.append(d)
        taken += spans
    return chosen


def _holds(before: list[Diagnostic], after: list[Diagnostic], chosen: list[Diagnostic], history: Counter) -> str | None:
    """None if the pass that turned `before` into `after` is sound, else why not."""
    was, now = Counter(map(_key, before)), Counter(map(_key, after))
    if sum(1 for d in after if d.code in UNREADABLE) > sum(1 for d in before if d.code in UNREADABLE):
        return "it would leave the file unreadable"
    for key, count in Counter(map(_key, chosen)).items():
        if now[key] > was[key] - count:
            return "its finding is still there after it"
    if any(now[key] > was[key] for key in history):
        return "it brings back a finding fixed before"
    # errors counted by rule: one that only moves (its field renamed, its message naming the new name) is no new one
    errors = lambda found: Counter(d.code for d in found if d.severity == Severity.ERROR)
    had = errors(before) - Counter(d.code for d in chosen if d.severity == Severity.ERROR)
    if any(count > had[code] for code, count in errors(after).items()):
        return "it adds an error"
    return None


def split_bom(data: bytes) -> tuple[bytes, bytes]:
    return (codecs.BOM_UTF8, data[3:]) if data.startswith(codecs.BOM_UTF8) else (b"", data)


def fix_bytes(linter, data: bytes, file: str, diagnostics: list[Diagnostic] | None = None,
              unsafe: bool = False, syntax: str | None = None, codes: frozenset | None = None) -> Fixed:
    """Fix `data` (the file `file`) with `linter`; `diagnostics` are its findings when they are known
    already (the check that came first), so a file with nothing to fix is linted only once.
    `codes`: fix only these rules' findings."""
    lint = lambda content: linter.lint_bytes(content, file, syntax)
    found = lint(data) if diagnostics is None else diagnostics
    result = Fixed(data, data, found)
    bom, raw = split_bom(data)
    try:
        body = raw.decode("utf-8")
    except UnicodeDecodeError:
        return result  # RL005: nothing runlint can edit
    batch = (syntax or _syntax(file)) == "jsonl"
    history: Counter = Counter()
    refused: set[tuple] = set()
    for _ in range(MAX_PASSES):
        candidates = [d for d in found if wanted(d, unsafe) and _key(d) not in refused
                      and (codes is None or d.code in codes)]
        for d in candidates:
            if history[_key(d)]:  # fixed before, and here again: it would go round in circles
                refused.add(_key(d))
                result.dropped.append(Dropped(d, "its finding came back after it was fixed"))
        candidates = [d for d in candidates if _key(d) not in refused]
        if not candidates:
            break
        text = _Text(body)
        chosen = choose(text, candidates, batch)
        if not chosen:
            break
        step = _attempt(lint, bom, body, found, chosen, history)
        if step is None:  # the pass fails as a whole: each fix on its own, the first that holds is kept
            for d in chosen:
                step = _attempt(lint, bom, body, found, [d], history)
                if step is not None:
                    break
                refused.add(_key(d))
                result.dropped.append(Dropped(d, _why(lint, bom, body, found, d, history)))
            if step is None:
                continue
        body, found, chosen, bom = step
        result.applied += chosen
        history.update(map(_key, chosen))
    result.data = bom + body.encode("utf-8")
    result.diagnostics = found
    return result


def _attempt(lint, bom: bytes, body: str, found, chosen, history):
    new_bom = b"" if any(d.fix.drop_bom for d in chosen) else bom
    new_body = apply_edits(body, [e for d in chosen for e in d.fix.edits])
    after = lint(new_bom + new_body.encode("utf-8"))
    if _holds(found, after, chosen, history) is not None:
        return None
    return new_body, after, chosen, new_bom


def _why(lint, bom, body, found, d, history) -> str:
    new_bom = b"" if d.fix.drop_bom else bom
    after = lint(new_bom + apply_edits(body, list(d.fix.edits)).encode("utf-8"))
    return _holds(found, after, [d], history) or "it does not hold"


def _syntax(file: str) -> str:
    from ..source.document import syntax_of

    return syntax_of(file)


def unified_diff(file: str, before: bytes, after: bytes) -> str:
    import difflib

    old = before.decode("utf-8", "replace").splitlines(keepends=True)
    new = after.decode("utf-8", "replace").splitlines(keepends=True)
    lines = []
    shown = file.lstrip("/")
    for line in difflib.unified_diff(old, new, f"a/{shown}", f"b/{shown}"):
        lines.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(lines)


def write_atomic(path: str, data: bytes) -> None:
    """Replace (or create) `path` with `data`: a temporary file in the same folder, renamed over it,
    so a reader sees the old file or the new one, never half of one. The file keeps its mode; a
    symbolic link stays one (its target is replaced)."""
    import tempfile

    target = os.path.realpath(path)
    folder, name = os.path.split(target)
    try:
        mode = os.stat(target).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder or ".")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def fix_result(linter, result, unsafe: bool, write: bool):
    """Fix the file of a check's `result` (a runner FileResult) when it has something to fix:
    (the result for what is left, the Fixed or None, an error message or None). With `write`,
    the file is replaced (write_atomic); otherwise (--diff) the result stays as it was."""
    from ..pipeline.runner import FileResult, source_text

    if not any(wanted(d, unsafe) for d in result.diagnostics):
        return result, None, None
    try:
        with open(result.file, "rb") as handle:
            data = handle.read()
    except OSError as error:
        return result, None, f"cannot read {result.file}: {error.strerror or error}"
    outcome = fix_bytes(linter, data, result.file, None, unsafe)  # linted again: the file read now is the one edited
    if not write or not outcome.changed:
        return result, outcome, None
    try:
        write_atomic(result.file, outcome.data)
    except OSError as error:
        return result, None, f"cannot write {result.file}: {error.strerror or error}"
    left = outcome.diagnostics
    return FileResult(result.file, left, source_text(outcome.data, left) if left else None,
                      fail_on=result.fail_on), outcome, None
