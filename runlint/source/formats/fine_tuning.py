"""OpenAI fine-tuning data files (JSONL): one training example a line, checked as it is read.

Claimed by content, never by name: a `.jsonl` file whose first lines are fine-tuning examples
(`messages`; `input` with `preferred_output`/`non_preferred_output`; `prompt` with `completion`) and
none of them a Batch API request. An example is no API request: runlint checks it as OpenAI's
fine-tuning API reads it (runlint/check/families/fine_tuning.py, docs/formats/fine-tuning.md), not
with the Chat Completions rules (a training example may end with a tool call no tool answers).

What spans lines is kept small, whatever the file's size: the kind of the first example, the
method the first lines show (supervised, reinforcement, preference), and the count. A line is parsed
once (with positions: the same loader as a batch line), checked, and dropped; lines with findings
are kept to quote, up to MAX_QUOTED_CHARS in all. JSONL has no comments, so a finding cannot be
suppressed in the file: use `per-file-ignores` or `--ignore`.
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from typing import IO, Callable

from ...check.families import fine_tuning as checks
from ...diagnostic import DROP_BOM, Diagnostic, Range, Severity, to_pointer
from ...resources import data_dir
from ..document import load_json_text
from ..limits import MAX_FILE_BYTES, MAX_QUOTED_CHARS

NAME = "fine-tuning"
PATTERNS: tuple[str, ...] = ()  # by content only: fine-tuning files have no naming convention
SYNTAX = "jsonl"

_SNIFF_LINES = 10  # non-blank lines `claims` reads, as the batch format's sniffing does
_PROGRESS_EVERY = 1_000
# A file whose name says it is a validation or test set may hold fewer than the training minimum.
_HELD_OUT = ("valid", "eval", "test", "holdout", "dev.", "_dev", "-dev")


@dataclass(frozen=True)
class FineTuningData:
    """schemas/fine-tuning.yaml: the facts the checks compare with, each with its source there."""
    min_examples: int
    max_reinforcement_examples: int
    default_context: int
    default_encoding: str
    contexts: dict[str, tuple[int, str]] = field(default_factory=dict)  # model -> (tokens, encoding)
    aliases: dict[str, str] = field(default_factory=dict)

    def context(self, model: str | None) -> tuple[int, str, str] | None:
        """(training context, encoding, what it is) for the configured target `model`; the cookbook's
        limit when none is configured; None for a model whose training context runlint does not know."""
        if not model:
            return self.default_context, self.default_encoding, "the limit OpenAI's data preparation notebook checks"
        base = model.split(":")[1] if model.startswith("ft:") and model.count(":") >= 1 else model
        snapshot = self.aliases.get(base, base)
        if snapshot not in self.contexts:
            return None
        tokens, encoding = self.contexts[snapshot]
        return tokens, encoding, f"{model}'s training context"


@cache
def fine_tuning_data() -> FineTuningData:
    from ..document import load_bytes

    path = data_dir("schemas") / "fine-tuning.yaml"
    data = load_bytes(str(path), path.read_bytes(), "yaml").documents[0].value
    return FineTuningData(data["min_examples"], data["max_reinforcement_examples"], data["default_context"],
                          data["default_encoding"],
                          {model: (row["tokens"], row["encoding"]) for model, row in data["contexts"].items()},
                          dict(data.get("aliases") or {}))


# -- claiming a file --------------------------------------------------------------------------------

def is_example(value) -> bool:
    """A line that can only be a fine-tuning example: `messages`, a preference pair, or both halves
    of the legacy format (a lone `prompt` or `input` is too common in other JSONL to claim a file)."""
    if not isinstance(value, dict):
        return False
    return ("messages" in value or ("input" in value and any(n in value for pair in checks.OUTPUTS for n in pair))
            or ("prompt" in value and "completion" in value))


def looks_like(lines: list[bytes | None]) -> bool:
    """The first lines of a file are fine-tuning examples: one of them is, and none is a batch request."""
    from ..batch import is_batch_line

    found = False
    for raw in lines:
        if raw is None or not raw.strip():
            continue
        try:
            value = json.loads(raw.removeprefix(codecs.BOM_UTF8))
        except ValueError:
            continue
        if is_batch_line(value):
            return False
        found = found or is_example(value)
    return found


def claims(file: str, head: bytes) -> bool:
    """A `.jsonl` file (by name) whose first lines (`head`, its first bytes) are fine-tuning examples."""
    if not file.lower().endswith(".jsonl"):
        return False
    # a last line cut short does not parse, and is passed over as a broken line is
    return looks_like([line.rstrip(b"\r") for line in head.split(b"\n") if line.strip()][:_SNIFF_LINES])


# -- checking a file, line by line -----------------------------------------------------------------

def _moved(r: Range, line: int) -> Range:
    return Range(r.line + line, r.column, r.end_line + line, r.end_column)


class FineTuningFile:
    """The state of one file being checked: `line` for each line in order, then `finish`."""

    def __init__(self, linter, file: str, head: list[bytes | None], data: FineTuningData | None = None):
        self.linter, self.file = linter, file
        self.data = data or fine_tuning_data()
        self.examples = 0
        self.first: tuple[str, int] | None = None  # the first example's kind, and its line
        self.supervised, self.reinforcement = self._method(head)
        self.target = self.data.context(getattr(linter.settings, "fine_tuning_model", None))

    @staticmethod
    def _method(head: list[bytes | None]) -> tuple[bool, bool]:
        """What the first lines say the file trains: (supervised, reinforcement). Reinforcement when
        one of them has reference fields; supervised when none has and one has an assistant message;
        neither (so no check that needs to know) when the lines are messages alone, as a reinforcement
        file without references is."""
        kinds = []
        for raw in head:
            try:
                value = json.loads(raw.removeprefix(codecs.BOM_UTF8)) if raw and raw.strip() else None
            except ValueError:
                continue
            kinds.append((checks.example_kind(value), checks.has_assistant(value)))
        reinforcement = any(kind == checks.REINFORCEMENT for kind, _ in kinds)
        supervised = not reinforcement and any(kind == checks.CHAT and assistant for kind, assistant in kinds)
        return supervised, reinforcement

    def line(self, number: int, raw: bytes | None, size: int) -> list[Diagnostic]:
        """The findings of line `number` (0-based; `raw` without its newline, None when too long)."""
        found: list[Diagnostic] = []
        if raw is None:
            found.append(Diagnostic("RL005", "", None, f"this line is {size:,} bytes; runlint reads at most "
                                    f"{MAX_FILE_BYTES:,} an example", Range.point(number, 0)))
        else:
            if number == 0 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
                found.append(Diagnostic("RL007", "", None, "the file starts with a UTF-8 byte order mark; it is "
                                        "read, but some JSON readers reject it", Range(0, 0, 0, 1), fix=DROP_BOM))
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                column = len(raw[:error.start].decode("utf-8", "replace"))
                found.append(Diagnostic("RL005", "", None, f"this line is not valid UTF-8 (byte "
                                        f"0x{raw[error.start]:02x}); save the file as UTF-8",
                                        Range(number, column, number, column + 1)))
            else:
                if text.strip():
                    self._example(number, text, found)
        return [d for d in found if self.linter.stamp(d, self.file)]

    def _example(self, number: int, text: str, found: list[Diagnostic]) -> None:
        documents, problems = load_json_text(self.file, text)
        found += [self._shifted(p, number) for p in problems]
        if not documents:
            self.examples += 1  # a line OpenAI rejects is still a line of the file
            return
        line = documents[0]
        value = line.value
        self.examples += 1
        kind = checks.example_kind(value)
        for finding in checks.check_example(value, kind, self.supervised):
            where = line.locate(finding.path, True) if finding.on_key else line.point_at(finding.path)
            found.append(Diagnostic(finding.code, "", finding.severity, finding.message, _moved(where, number),
                                    to_pointer(finding.path)))
        if kind is not None:
            found += self._mixed(kind, value, line, number)
            found += self._length(kind, value, line, number)
        if self.reinforcement and self.examples == self.data.max_reinforcement_examples + 1:
            found.append(Diagnostic("RL721", "", None, f"example {self.examples:,}: a reinforcement fine-tuning "
                                    f"training file holds at most {self.data.max_reinforcement_examples:,} examples",
                                    _moved(line.range, number)))

    @staticmethod
    def _shifted(diagnostic: Diagnostic, number: int) -> Diagnostic:
        diagnostic.range = _moved(diagnostic.range, number)
        return diagnostic

    def _mixed(self, kind: str, value: dict, line, number: int) -> list[Diagnostic]:
        """A line of another kind than the first example: OpenAI reads a file with one method."""
        if self.first is None:
            self.first = (kind, number)
            return []
        first, at = self.first
        if checks.FAMILY[kind] == checks.FAMILY[first]:
            return []
        key = next(k for k in ("messages", "input", "preferred_output", "preferred_completion", "non_preferred_output",
                               "non_preferred_completion", "prompt", "completion") if k in value)
        return [Diagnostic("RL722", "", None, f"this line is {checks.KIND_NAMES[kind]}, but the file's first example "
                           f"(line {at + 1}) is {checks.KIND_NAMES[first]}: a training file holds examples of one "
                           "kind, for one fine-tuning method", _moved(line.locate((key,), True), number), to_pointer((key,)))]

    def _length(self, kind: str, value: dict, line, number: int) -> list[Diagnostic]:
        """An example longer than the target's training context, counted with the real tokenizer;
        the byte count bounds it first (a token is at least a byte), so most lines need no tokenizer."""
        if self.target is None:
            return []
        limit, encoding, what = self.target
        texts, fixed = checks.length_parts(value, kind)
        if fixed + sum(len(t.encode("utf-8", "surrogatepass")) for t in texts) <= limit:
            return []
        from ...check.tokens import tokenizer

        try:
            counter = tokenizer(encoding)
        except ImportError:
            return []
        tokens = fixed + sum(counter.count(t) for t in texts)
        if tokens <= limit:
            return []
        key = "input" if kind == checks.PREFERENCE else "messages"
        configured = bool(getattr(self.linter.settings, "fine_tuning_model", None))
        hint = "" if configured else " (set `fine-tuning-model` in the configuration to check against your model)"
        return [Diagnostic("RL720", "", None if configured else Severity.INFO,
                           f"this example is {tokens:,} tokens ({encoding}, counted as OpenAI's cookbook counts), "
                           f"over {limit:,}, {what}{hint}: OpenAI truncates a longer example, dropping its end",
                           _moved(line.locate((key,), True), number), to_pointer((key,)))]

    def finish(self, first_line: tuple[int, int] | None) -> list[Diagnostic]:
        """What the whole file says: no example at all, or fewer than the API takes."""
        found = []
        where = Range(first_line[0], 0, first_line[0], first_line[1]) if first_line else Range.point(0, 0)
        if not self.examples:
            found.append(Diagnostic("RL004", "", None, "the file is empty: a fine-tuning file holds one example a "
                                    "line", Range.point(0, 0)))
        elif self.examples < self.data.min_examples and not _held_out(self.file):
            found.append(Diagnostic("RL721", "", None, f"the file holds {self.examples} example"
                                    f"{'s' if self.examples != 1 else ''}: OpenAI takes a training file of at least "
                                    f"{self.data.min_examples} (a validation file may hold fewer)", where))
        return [d for d in found if self.linter.stamp(d, self.file)]


def _held_out(file: str) -> bool:
    name = file.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return any(word in name for word in _HELD_OUT)


def lint_lines(linter, file: str, lines, head: list[bytes | None],
               progress: Callable[[int, int], None] | None = None,
               data: FineTuningData | None = None) -> tuple[list[Diagnostic], dict[int, str]]:
    """Check a fine-tuning file given as (line, size) pairs (`head`: its first lines, already read):
    (its findings, sorted; the lines they are on, to quote, as far as MAX_QUOTED_CHARS)."""
    state = FineTuningFile(linter, file, head, data)
    found: list[Diagnostic] = []
    quoted: dict[int, str] = {}
    budget = MAX_QUOTED_CHARS
    first_line, first_raw = None, None
    done = 0
    for number, (raw, size) in enumerate(lines):
        done += size
        if first_line is None and (raw is None or raw.strip()):
            first_line = (number, len(raw.decode("utf-8", "replace")) if raw is not None else 0)
            first_raw = raw if raw is not None and len(raw) <= budget else None
        new = state.line(number, raw, size)
        if new:
            found += new
            if raw is not None and len(raw) <= budget:
                quoted[number] = raw.decode("utf-8", "replace").removeprefix("\ufeff")
                budget -= len(raw)
        if progress is not None and number % _PROGRESS_EVERY == 0:
            progress(state.examples, done)
    ending = state.finish(first_line)
    if ending and first_raw is not None and first_line[0] not in quoted:  # a file's finding is on its first line
        quoted[first_line[0]] = first_raw.decode("utf-8", "replace").removeprefix("\ufeff")
    found += ending
    result = linter.settle(file, found)
    result.sort(key=Diagnostic.sort_key)
    return result, quoted


def lint_stream(linter, file: str, handle: IO[bytes], progress: Callable[[int, int], None] | None = None,
                data: FineTuningData | None = None) -> tuple[list[Diagnostic], dict[int, str]]:
    """Check a fine-tuning file read line by line from `handle`."""
    from ..batch import _head, _read_lines

    reader = _read_lines(handle)
    head = _head(reader)
    return lint_lines(linter, file, chain(head, reader), [raw for raw, _ in head], progress, data)
