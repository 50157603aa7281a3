"""OpenAI fine-tuning data files (JSONL): one training example a line, checked as it is read.

Claimed by content, never by name: a `.jsonl` file whose first lines are fine-tuning examples
(`messages`; `input` with `preferred_output`/`non_preferred_output`; `prompt` with `completion`) and
none of them a Batch API request. An example is no API request: runlint checks it as OpenAI's
fine-tuning API reads it (runlint/source/formats/fine_tuning_examples.py, docs/formats/fine-tuning.md), not
with the Chat Completions rules (a training example may end with a tool call no tool answers).

What spans lines is kept small, whatever the file's size: the kind of the first example, the
method the first lines show (supervised, reinforcement, preference), and the count. A line is parsed
once (with positions: the same loader as a batch line), checked, and dropped; lines with findings
are kept to quote, up to MAX_QUOTED_CHARS in all. JSONL has no comments, so a finding cannot be
suppressed in the file: use `per-file-ignores` or `--ignore`.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import re
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from typing import IO

from . import fine_tuning_examples as checks
from ...diagnostic import Diagnostic, Edit, Fix, Range, Severity, to_pointer
from ..document import load_json_text
from ..jsonl import SNIFF_LINES, head, line_text, quoted, read_lines

NAME = "fine-tuning"
PATTERNS: tuple[str, ...] = ()  # by content only: fine-tuning files have no naming convention
SYNTAX = "jsonl"

_OPENS_WITH_MESSAGES = re.compile(rb'\s*\{\s*"messages"\s*:\s*\[')
# A file whose name says it is a validation or test set may hold fewer than the training minimum.
_HELD_OUT = ("valid", "eval", "test", "holdout", "dev.", "_dev", "-dev")


@dataclass(frozen=True)
class FineTuningData:
    """data/fine-tuning.yaml: the facts the checks compare with, each with its source there."""
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
    from ..document import load_data_file

    data = load_data_file("fine-tuning.yaml")
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
    from .batch import is_batch_line

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
    """A `.jsonl` file (by name) whose first lines (`head`, its first bytes) are fine-tuning examples.
    When not one line of the head is whole (a first example longer than the head), the line must
    open with `messages`, as every chat and reinforcement example OpenAI shows does (a `messages`
    deeper in, as in an evals item, claims nothing)."""
    if not file.lower().endswith(".jsonl"):
        return False
    lines = [line.rstrip(b"\r") for line in head.split(b"\n") if line.strip()][:SNIFF_LINES]
    if looks_like(lines):
        return True
    return b"\n" not in head.strip() and _OPENS_WITH_MESSAGES.match(head.removeprefix(codecs.BOM_UTF8)) is not None


def stream(file: str, limits: "FineTuningData | None" = None, today=None, settings=None) -> "FineTuningFile":
    """The state of one fine-tuning file read a line at a time, as the batch format's `stream` (its
    `today` unused: no fact here has a date); the settings' `fine_tuning_model` is the target."""
    return FineTuningFile(file, limits, getattr(settings, "fine_tuning_model", None))


# -- checking a file, line by line -----------------------------------------------------------------

def _moved(diagnostic: Diagnostic, lines: int) -> Diagnostic:
    """A finding on a line's own text (line 0) moved to the line of the file, with its fix's edits."""
    down = lambda r: Range(r.line + lines, r.column, r.end_line + lines, r.end_column)
    diagnostic.range = down(diagnostic.range)
    if diagnostic.fix is not None and lines:
        edits = tuple(Edit(down(e.range), e.new_text) for e in diagnostic.fix.edits)
        diagnostic.fix = dataclasses.replace(diagnostic.fix, edits=edits)
    return diagnostic


# What a line tells `follow`: its kind, and where its first key of that kind stands (on the line's
# own text), or the kind None for a line that is no example (broken, not an object); None for a
# blank line.
Facts = tuple[str | None, Range | None, str]


class FineTuningFile:
    """One file being read, as the batch format's stream is (runlint/pipeline/stream.py drives it):
    `open`, then for each line `read` (what it holds alone: any process may run it) and `follow`
    (what it says after the lines before it, in order), then `finish`."""

    def __init__(self, file: str, data: FineTuningData | None = None, model: str | None = None):
        self.file = file
        self.data = data or fine_tuning_data()
        self.model = model
        self.target = self.data.context(model)
        self.requests = 0  # the examples so far (the pipeline's progress calls them requests)
        self.size = 0
        self.first: tuple[str, int] | None = None  # the first example's kind, and its line
        self.first_line: tuple[int, int] | None = None  # the first non-blank line, and its length
        self.supervised = self.reinforcement = False

    def open(self, handle: IO[bytes]):
        """(the file's lines, each `(raw, size)`; None: a fine-tuning file refuses nothing)."""
        reader = read_lines(handle)
        first = head(reader)
        self.start([raw for raw, _ in first])
        return chain(first, reader), None

    def start(self, head: list[bytes | None]) -> None:
        """What the first lines say the file trains: reinforcement when one of them has reference
        fields; supervised when none has and one has an assistant message; neither (so no check
        that needs to know) when they are messages alone, as a reinforcement file without
        references is."""
        kinds = []
        for raw in head:
            try:
                value = json.loads(raw.removeprefix(codecs.BOM_UTF8)) if raw and raw.strip() else None
            except ValueError:
                continue
            kinds.append((checks.example_kind(value), checks.has_assistant(value)))
        self.reinforcement = any(kind == checks.REINFORCEMENT for kind, _ in kinds)
        self.supervised = not self.reinforcement and any(kind == checks.CHAT and has for kind, has in kinds)

    quoted = staticmethod(quoted)  # a line as the reports quote it

    def read(self, number: int, raw: bytes | None, size: int) -> tuple[list[Diagnostic], Facts | None]:
        """Line `number`'s findings on its own text (line 0; `raw` without its newline, None when too
        long to read), and its facts for `follow`."""
        found: list[Diagnostic] = []
        text = line_text(number, raw, size, found, "an example")
        if text is None:
            return found, (None, None, "")
        if not text.strip():
            return found, None  # a blank line: whether OpenAI's reader takes one is not documented
        documents, problems = load_json_text(self.file, text)
        found += problems
        if not documents:
            return found, (None, None, "")
        line = documents[0]
        value = line.value
        kind = checks.example_kind(value)
        for finding in checks.check_example(value, kind, self.supervised):
            where = line.locate(finding.path, True) if finding.on_key else line.point_at(finding.path)
            fix = None
            if finding.replacement is not None:  # the rule file says how safe (stamped by the pipeline)
                fix = Fix(f"Write `{finding.replacement}`", (Edit(where, finding.replacement),))
            found.append(Diagnostic(finding.code, "", finding.severity, finding.message, where,
                                    to_pointer(finding.path), fix=fix))
        if kind is None:
            return found, (None, None, "")
        found += self._length(kind, value, line)
        key = next(k for k in ("messages", "input", *(n for pair in checks.OUTPUTS for n in pair), "prompt",
                               "completion") if k in value)
        return found, (kind, line.locate((key,), True), key)

    def follow(self, number: int, raw: bytes | None, size: int, facts: Facts | None) -> list[Diagnostic]:
        """What line `number` says after the lines before it (positions in the file): a kind other
        than the first example's, a reinforcement file past its limit."""
        self.size += size
        if facts is None:
            return []
        if self.first_line is None:
            self.first_line = (number, len(raw.decode("utf-8", "replace")) if raw is not None else 0)
        self.requests += 1
        kind, where, key = facts
        found = []
        if kind is not None:
            if self.first is None:
                self.first = (kind, number)
            elif checks.FAMILY[kind] != checks.FAMILY[self.first[0]]:
                first, at = self.first
                found.append(_moved(Diagnostic(
                    "RL722", "", None, f"this line is {checks.KIND_NAMES[kind]}, but the file's first example "
                    f"(line {at + 1}) is {checks.KIND_NAMES[first]}: a training file holds examples of one kind, "
                    "for one fine-tuning method", where, to_pointer((key,))), number))
        if self.reinforcement and self.requests == self.data.max_reinforcement_examples + 1:
            end = len(raw.decode("utf-8", "replace")) if raw is not None else 0
            found.append(Diagnostic("RL721", "", None, f"example {self.requests:,}: a reinforcement fine-tuning "
                                    f"training file holds at most {self.data.max_reinforcement_examples:,} examples",
                                    Range(number, 0, number, end)))
        return found

    def _length(self, kind: str, value: dict, line) -> list[Diagnostic]:
        """An example longer than the target's training context, counted with the real tokenizer;
        the byte count bounds it first (a token is at least a byte), so most lines need no tokenizer."""
        if self.target is None:
            return []
        limit, encoding, what = self.target
        texts, fixed = checks.length_parts(value, kind)
        if fixed + sum(len(t.encode("utf-8", "surrogatepass")) for t in texts) <= limit:
            return []
        from ..tokenizer import tokenizer

        try:
            counter = tokenizer(encoding)
        except ImportError:
            return []
        tokens = fixed + sum(counter.count(t) for t in texts)
        if tokens <= limit:
            return []
        key = "input" if kind == checks.PREFERENCE else "messages"
        hint = "" if self.model else " (set `fine-tuning-model` in the configuration to check against your model)"
        return [Diagnostic("RL720", "", None if self.model else Severity.INFO,
                           f"this example is {tokens:,} tokens ({encoding}, counted as OpenAI's cookbook counts), "
                           f"over {limit:,}, {what}{hint}: OpenAI truncates a longer example, dropping its end",
                           line.locate((key,), True), to_pointer((key,)))]

    def finish(self) -> list[Diagnostic]:
        """What the whole file says: no example at all, or fewer than the API takes."""
        if not self.requests:
            return [Diagnostic("RL004", "", None, "the file is empty: a fine-tuning file holds one example a line",
                               Range.point(0, 0))]
        if self.requests < self.data.min_examples and not _held_out(self.file):
            line, end = self.first_line
            return [Diagnostic("RL721", "", None, f"the file holds {self.requests} example"
                               f"{'s' if self.requests != 1 else ''}: OpenAI takes a training file of at least "
                               f"{self.data.min_examples} (a validation file may hold fewer)", Range(line, 0, line, end))]
        return []


def _held_out(file: str) -> bool:
    name = file.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return any(word in name for word in _HELD_OUT)
