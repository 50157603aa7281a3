"""The batch format: Batch API input files (`*.jsonl`), one request a line, read as a stream.

A line is `{"custom_id", "method", "url", "body"}`. Each line yields two requests: its envelope, of
the format's own kind `batch-request` (checked by schemas/batch-request.schema.json alone), and its
body, of the kind its url names, mapped by `("body",)` into the line (a body of an endpoint runlint
has no kind for runs the rules that read any JSON). What spans lines (unique custom_ids, one
endpoint, one model, the limits of data/batch.yaml) is this format's own. Across lines only the
custom_ids and the first url and model are kept, so memory stays bounded whatever the number of
lines. The pipeline drives the stream (runlint/pipeline/stream.py): `read` a line in any process,
`follow` it in order, `finish`. `read` gives positions on the line's own text (line 0); the pipeline
moves them to the line's place in the file.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import chain
from typing import IO

from ...diagnostic import Diagnostic, Edit, Fix, Range, Severity, shorten
from ...kinds import KINDS, Kind
from ...resources import data_dir
from ..document import json_type, load_json_text, syntax_of
from ..jsonl import head, line_text, quoted, read_lines
from ..request import PathMap, Request, moved

NAME = "batch"
PATTERNS = ("*.jsonl",)
SYNTAX = "jsonl"

# The envelope of a line, checked like a request kind (schemas/batch-request.schema.json).
ENVELOPE = Kind("batch-request", "Batch API input line", "jsonl")
OWN_KINDS = (ENVELOPE,)
_LONG_ID = 256  # longer custom_ids are remembered by a digest, not whole


def claims(file: str, head: bytes) -> bool:
    return syntax_of(file) == "jsonl"


def stream(file: str, limits: "BatchData | None" = None, today: date | None = None, settings=None) -> "BatchFile":
    """The state of one batch file read a line at a time (the pipeline drives it)."""
    return BatchFile(file, limits, today)


@dataclass(frozen=True)
class BatchData:
    """What the batch file's data says a batch may hold."""

    endpoints: tuple[str, ...]  # the urls a batch can call
    bodies: dict[str, Kind]  # url -> the kind its body is checked as
    max_requests: int
    max_bytes: int
    max_embedding_inputs: int
    any_body_rules: tuple[str, ...] = ()  # the rules that also run on bodies without a kind
    # url -> (its name, the day its deprecation was announced, the day it shuts down)
    retired: dict[str, tuple[str, date, date]] = field(default_factory=dict)


@cache
def batch_data() -> BatchData:
    import json

    from ..document import load_data_file

    data = load_data_file("batch.yaml")
    envelope = json.loads((data_dir("schemas") / ENVELOPE.schema_file).read_text(encoding="utf-8"))
    endpoints = tuple(envelope["properties"]["url"]["enum"])
    return BatchData(endpoints, {url: KINDS[kind] for url, kind in data["bodies"].items()},
                     data["max_requests"], data["max_bytes"], data["max_embedding_inputs"],
                     tuple(data["any_body_rules"]), {
                         url: (end["name"], _day(end["announced"]), _day(end["shutdown"]))
                         for url, end in data.get("retired", {}).items()})


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


# What a request line tells the checks across lines (its facts): its custom_id, url and model where each is a
# string (else None), and the number of embedding inputs it sends; None for a line that is no
# request (blank, unreadable).
Facts = tuple[str | None, str | None, str | None, int]
_NAMELESS: Facts = (None, None, None, 0)  # a request line that is not a JSON object
_EMBEDDINGS = "/v1/embeddings"



class BatchFile:
    """The state of one file being read: each line goes through `read`, what it holds alone (any
    process may run it), then `follow`, what it says after the lines before it (in order, in one
    process); then `finish`."""

    def __init__(self, file: str, data: BatchData | None = None, today: date | None = None):
        self.file = file
        self.data = data or batch_data()
        self.today = today or date.today()
        self.ids: dict = {}  # custom_id (or its digest) -> line of its first use
        self.endpoint: tuple[str, int] | None = None  # the first batchable url, and its line
        self.model: tuple[str, int] | None = None  # the first model, and its line
        self.requests = 0
        self.size = 0
        self.embedding_inputs = 0

    @staticmethod
    def open(handle: IO[bytes]):
        """(the file's lines, each `(raw, size)`; None) for a batch file. For a JSONL file that is no
        batch file (`sniff`): (its first lines, the one finding it gets): nothing more is read."""
        reader = read_lines(handle)
        first = head(reader)
        what = sniff([raw for raw, _ in first])
        if what is not None:
            return iter(first), not_a_batch(first, what)
        return chain(first, reader), None

    quoted = staticmethod(quoted)  # a line as the reports quote it

    def read(self, number: int, raw: bytes | None, size: int) -> tuple[list, Facts | None]:
        """What line `number` (0-based; `raw` without its newline, None when too long to read) holds
        alone: its findings and its requests (positions on the line's own text), and what it tells
        the checks across lines."""
        found, facts = [], None
        text = line_text(number, raw, size, found, "a request")
        if text is not None:
            facts = self._line(text, found)
        return found, facts

    def follow(self, number: int, raw: bytes | None, size: int, facts: Facts | None) -> list[Diagnostic]:
        """What the line says after the lines before it: the limits, and `_across_lines` (positions
        in the file)."""
        found = []
        if self.size <= self.data.max_bytes < self.size + size:
            found.append(Diagnostic("RL704", "", None, f"the file passes {self.data.max_bytes:,} bytes on this "
                                    "line: a batch input file is at most 200 MB; split it into several batches",
                                    Range.point(number, 0)))
        self.size += size
        if facts is not None:
            self.requests += 1
            if self.requests == self.data.max_requests + 1:
                end = len(_text(raw))
                found.append(Diagnostic("RL703", "", None, f"request {self.requests:,}: a batch input file "
                                        f"holds at most {self.data.max_requests:,} requests; split it into "
                                        "several batches", Range(number, 0, number, end)))
            found += [moved(d, number) for d in self._across_lines(facts, number, raw)]
            found += self._embedding_inputs(facts, number, raw)
        return found

    def _embedding_inputs(self, facts: Facts, number: int, raw: bytes) -> list[Diagnostic]:
        limit = self.data.max_embedding_inputs
        before, self.embedding_inputs = self.embedding_inputs, self.embedding_inputs + facts[3]
        if before <= limit < self.embedding_inputs:
            where = load_json_text(self.file, _text(raw))[0][0].locate(("body", "input"))
            return [moved(Diagnostic("RL706", "", None, f"the batch's embedding inputs pass {limit:,} on this "
                                     f"line ({self.embedding_inputs:,} so far): an embeddings batch takes at "
                                     f"most {limit:,} inputs across all its requests; split it into several "
                                     "batches", where, "/body/input"), number)]
        return []

    def finish(self) -> list[Diagnostic]:
        if self.requests:
            return []
        return [Diagnostic("RL004", "", None, "the file is empty: a batch input file holds one request a line",
                           Range.point(0, 0))]

    def _line(self, text: str, found: list) -> Facts | None:
        if not text.strip():
            found.append(Diagnostic("RL705", "", None, "a blank line: every line of a batch input file is a "
                                    "request; remove it", Range(0, 0, 0, len(text)),
                                    fix=Fix("Remove the blank line", (Edit(Range(0, 0, 1, 0), ""),))))
            return None
        documents, problems = load_json_text(self.file, text)
        found += problems
        if not documents:
            return _NAMELESS
        line = documents[0]
        value = line.value
        if not isinstance(value, dict):
            found.append(Diagnostic("RL003", "", None, "a batch request is a JSON object with custom_id, method, "
                                    f"url and body, not {json_type(value)}", line.range))
            return _NAMELESS
        found.append(Request(ENVELOPE.name, value, PathMap.of(line), rules=()))  # its schema alone
        body = value.get("body")
        url = value.get("url")
        if isinstance(body, dict):
            kind = self.data.bodies.get(url)
            found.append(Request(kind.name if kind else None, body, PathMap.of(line, ("body",)),
                                 rules=None if kind else self.data.any_body_rules))
        custom_id, url, model = (v if isinstance(v, str) else None for v in (
            value.get("custom_id"), url, body.get("model") if isinstance(body, dict) else None))
        inputs = _inputs(body.get("input")) if url == _EMBEDDINGS and isinstance(body, dict) else 0
        return custom_id, url, model, inputs

    def _across_lines(self, facts: Facts, number: int, raw: bytes) -> list[Diagnostic]:
        """What one line cannot say alone: a custom_id used before, a second endpoint, a second model.
        Positions come from the line, read again for the few lines with such a finding."""
        custom_id, url, model, _ = facts
        located = lambda *path: load_json_text(self.file, _text(raw))[0][0].locate(path)
        found = []
        if custom_id is not None:
            key = custom_id if len(custom_id) <= _LONG_ID else _digest(custom_id)
            first = self.ids.get(key)
            if first is not None:
                found.append(Diagnostic("RL700", "", None, f"custom_id `{shorten(custom_id)}` is already used "
                                        f"on line {first + 1}: each request of a batch needs its own",
                                        located("custom_id"), "/custom_id"))
            elif len(self.ids) < self.data.max_requests:  # past the limit the file is rejected anyway
                self.ids[key] = number
        if url is not None and url in self.data.endpoints:
            if self.endpoint is None:
                self.endpoint = (url, number)
                found += self._retired(url, located)
            elif url != self.endpoint[0]:
                found.append(Diagnostic("RL701", "", None, f"url `{url}` differs from `{self.endpoint[0]}` "
                                        f"(line {self.endpoint[1] + 1}): a batch calls one endpoint",
                                        located("url"), "/url"))
        if model is not None:
            if self.model is None:
                self.model = (model, number)
            elif model != self.model[0]:
                found.append(Diagnostic("RL702", "", None, f"model `{shorten(model)}` differs from "
                                        f"`{shorten(self.model[0])}` (line {self.model[1] + 1}): a batch input "
                                        "file holds requests to a single model", located("body", "model"),
                                        "/body/model"))
        return found

    def _retired(self, url: str, located) -> list[Diagnostic]:
        """The batch's endpoint, if OpenAI shuts it down: said once, on the first line that calls it."""
        if url not in self.data.retired:
            return []
        name, announced, shutdown = self.data.retired[url]
        # as a model's end is told (RL601, check/model_table.Lifecycle.stage)
        if self.today >= shutdown:
            message = f"{name} ({url}) was shut down on {shutdown}: OpenAI rejects this batch's requests"
        elif self.today >= announced:
            message = (f"{name} ({url}) is deprecated (announced {announced}) and OpenAI shuts it down on "
                       f"{shutdown}")
        else:
            return []
        severity = None if self.today >= shutdown else Severity.WARNING  # None: the rule's own, an error
        return [Diagnostic("RL603", "", severity, message, located("url"), "/url")]


def _inputs(value) -> int:
    """How many embedding inputs an embeddings request's `input` holds: a string or one list of
    token ids is one; a list of strings or of token lists is as many as it has."""
    if isinstance(value, str):
        return 1
    if isinstance(value, list) and value:
        return 1 if all(isinstance(item, int) and not isinstance(item, bool) for item in value) else len(value)
    return 0


def _text(raw: bytes) -> str:
    """A request line's text, as `check_line` read it."""
    return raw.decode("utf-8").removeprefix("\ufeff")


def _digest(text: str) -> bytes:
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


# Telling a batch file from the other JSONL files OpenAI takes (fine-tuning data, evals data): by
# the keys of its first lines (jsonl.head), not by its extension.
# The other JSONL files, by the keys of a line (OpenAI's API description, openai/openai-openapi:
# FineTuneChatRequestInput `messages`; FineTuneReinforcementRequestInput `messages` and any keys;
# FineTunePreferenceRequestInput `input`, `preferred_output`, `non_preferred_output`;
# FineTuneCompletionRequestInput `prompt`, `completion`; EvalJsonlFileContentSource, an evals data
# file, `item` and `sample`). First match wins.
_OTHER_JSONL = (
    (("preferred_output", "non_preferred_output"), "preference fine-tuning data (`input`, `preferred_output`, "
     "`non_preferred_output` on each line)"),
    (("messages",), "fine-tuning data (`messages` on each line)"),
    (("prompt", "completion"), "fine-tuning data in the legacy prompt/completion format"),
    (("item",), "evals data (`item` on each line)"),
)
_UNKNOWN = "JSONL that is no kind runlint knows"  # what `sniff` says of the rest


def is_batch_line(value) -> bool:
    """A line of a Batch API input file, even a broken one: it has a custom_id, or two of the
    envelope's other keys."""
    return isinstance(value, dict) and ("custom_id" in value or len({"method", "url", "body"} & value.keys()) >= 2)


def sniff(lines: list[bytes | None]) -> str | None:
    """None for a batch file (or one runlint cannot tell is anything else: its lines do not parse, or
    it has none); otherwise what the file looks like instead, for RL012. Any of the first lines
    that looks like a request makes it a batch file: the rest may be broken."""
    import json

    parsed = 0
    other = None
    for raw in lines:
        if raw is None or not raw.strip():
            continue
        try:
            value = json.loads(raw.removeprefix(codecs.BOM_UTF8))
        except ValueError:  # a syntax error, bad UTF-8: the batch checks say where
            continue
        parsed += 1
        if is_batch_line(value):
            return None
        if isinstance(value, dict):
            other = other or next((what for keys, what in _OTHER_JSONL if any(k in value for k in keys)), None)
    if not parsed:
        return None
    return other or _UNKNOWN


def not_a_batch(head: list[tuple[bytes | None, int]], what: str) -> list[Diagnostic]:
    """The one finding for a JSONL file that is no batch file: RL012 (info) on its first line,
    instead of an error a line for lacking custom_id, method, url and body."""
    first = next((n for n, (raw, _) in enumerate(head) if raw is None or raw.strip()), 0)
    end = len(head[first][0].decode("utf-8", "replace")) if head and head[first][0] is not None else 0
    if what is _UNKNOWN:
        message = ("runlint cannot tell what this JSONL file holds, and checks nothing in it: a Batch API input "
                   "file has `custom_id`, `method`, `url` and `body` on each line")
    else:
        message = (f"this looks like {what}, not a Batch API input file: runlint "
                   + ("checks fine-tuning examples with `messages`, a preference pair, or both `prompt` and "
                      "`completion`, and these lines are none of them" if "fine-tuning" in what
                      else "checks nothing in it"))
    return [Diagnostic("RL012", "", None, message, Range(first, 0, first, min(end, 1)))]
