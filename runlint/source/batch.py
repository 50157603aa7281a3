"""Batch API input files (`*.jsonl`): one request a line, each line checked as it is read.

A line is `{"custom_id", "method", "url", "body"}`. Its shape is checked by the schema layer against
schemas/batch-request.schema.json, what spans lines (unique custom_ids, one endpoint, one model, the
limits of data/batch.yaml) here, and `body` by the same pipeline as a standalone spec of the kind
its url names. Across lines only the custom_ids and the first url and model are kept, so memory
stays bounded whatever the number of lines; positions are those of the file (line = the JSONL line).
"""

from __future__ import annotations

import dataclasses

import codecs
from dataclasses import dataclass, field
from functools import cache
from itertools import chain, islice
from typing import IO, Callable

from ..check.conditions import Context
from ..diagnostic import DROP_BOM, Diagnostic, Edit, Fix, Range, Severity, shorten
from .document import Document, json_type, load_json_text
from ..kinds import KINDS, Kind
from .limits import MAX_FILE_BYTES, MAX_QUOTED_CHARS
from ..check.model_table import Lifecycle, parse_date
from ..resources import data_dir

# The envelope of a line, checked like a request kind (schemas/batch-request.schema.json).
ENVELOPE = Kind("batch-request", "Batch API input line", "jsonl")
_PROGRESS_EVERY = 1_000  # lines between two progress reports
_LONG_ID = 256  # longer custom_ids are remembered by a digest, not whole
_SERIAL_LINES = 2_000  # with several jobs, lines checked in this process before the workers start
_CHUNK_LINES = 500  # lines sent to a worker at a time


@dataclass(frozen=True)
class BatchData:
    endpoints: tuple[str, ...]  # the urls a batch can call
    bodies: dict[str, Kind]  # url -> the kind its body is checked as
    max_requests: int
    max_bytes: int
    max_embedding_inputs: int
    any_body_rules: tuple[str, ...] = ()  # the rules that also run on bodies without a kind
    retired: dict[str, tuple[str, "Lifecycle"]] = field(default_factory=dict)  # url -> (its name, its end)


@cache
def batch_data() -> BatchData:
    from .document import load_bytes
    from ..check.schema import load_schema

    path = data_dir("data") / "batch.yaml"
    data = load_bytes(str(path), path.read_bytes(), "yaml").documents[0].value
    endpoints = tuple(load_schema(ENVELOPE.name)["properties"]["url"]["enum"])
    return BatchData(endpoints, {url: KINDS[kind] for url, kind in data["bodies"].items()},
                     data["max_requests"], data["max_bytes"], data["max_embedding_inputs"],
                     tuple(data["any_body_rules"]), {
                         url: (end["name"], Lifecycle(url, parse_date(end["shutdown"]), parse_date(end["announced"])))
                         for url, end in data.get("retired", {}).items()})


def _shifted(diagnostic: Diagnostic, line: int, prefix: str = "") -> Diagnostic:
    """A finding on a line's own text (line 0) moved to the line of the file."""
    if line:
        diagnostic.range = _moved(diagnostic.range, line)
        if diagnostic.fix is not None:
            edits = tuple(Edit(_moved(e.range, line), e.new_text) for e in diagnostic.fix.edits)
            diagnostic.fix = dataclasses.replace(diagnostic.fix, edits=edits)
    diagnostic.pointer = prefix + diagnostic.pointer
    return diagnostic


def _moved(r: Range, line: int) -> Range:
    return Range(r.line + line, r.column, r.end_line + line, r.end_column)


# What a request line tells the checks across lines: its custom_id, url and model where each is a
# string (else None), and the number of embedding inputs it sends; None for a line that is no
# request (blank, unreadable).
Request = tuple[str | None, str | None, str | None, int]
_NAMELESS: Request = (None, None, None, 0)  # a request line that is not a JSON object
_EMBEDDINGS = "/v1/embeddings"



class BatchFile:
    """The state of one file being checked: each line goes through `check_line`, what it says alone
    (any process may run it), then `follow`, what it says after the lines before it (in order, in
    one process); then `finish`."""

    def __init__(self, linter, file: str, data: BatchData | None = None):
        self.linter, self.file = linter, file
        self.data = data or batch_data()
        self.context = linter.context()
        self.ids: dict = {}  # custom_id (or its digest) -> line of its first use
        self.endpoint: tuple[str, int] | None = None  # the first batchable url, and its line
        self.model: tuple[str, int] | None = None  # the first model, and its line
        self.requests = 0
        self.size = 0
        self.embedding_inputs = 0
        # The rules that read any body, for bodies of endpoints without a runlint kind.
        self.any_body = [(rule, rule.cases_for(None)) for rule in linter.rules
                         if rule.code in self.data.any_body_rules]

    def check_line(self, number: int, raw: bytes | None, size: int) -> tuple[list[Diagnostic], Request | None]:
        """What line `number` (0-based; `raw` without its newline, None when too long to read) says
        alone, stamped (unselected findings dropped at once), and what it tells the checks across
        lines."""
        found, request = [], None
        if raw is None:
            found.append(Diagnostic("RL005", "", None, f"this line is {size:,} bytes; runlint reads at most "
                                    f"{MAX_FILE_BYTES:,} a request", Range.point(number, 0)))
        else:
            if number == 0 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
                found.append(Diagnostic("RL007", "", None, "the file starts with a UTF-8 byte order mark; it is "
                                        "read, but some JSON readers reject it", Range(0, 0, 0, 1),
                                        fix=DROP_BOM))
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                column = len(raw[:error.start].decode("utf-8", "replace"))
                found.append(Diagnostic("RL005", "", None, f"this line is not valid UTF-8 (byte "
                                        f"0x{raw[error.start]:02x}); save the file as UTF-8",
                                        Range(number, column, number, column + 1)))
            else:
                request = self._line(number, text, found)
        return [d for d in found if self.linter.stamp(d, self.file)], request

    def follow(self, number: int, raw: bytes | None, size: int, request: Request | None) -> list[Diagnostic]:
        """What the line says after the lines before it: the limits, and `_across_lines`."""
        found = []
        if self.size <= self.data.max_bytes < self.size + size:
            found.append(Diagnostic("RL704", "", None, f"the file passes {self.data.max_bytes:,} bytes on this "
                                    "line: a batch input file is at most 200 MB; split it into several batches",
                                    Range.point(number, 0)))
        self.size += size
        if request is not None:
            self.requests += 1
            if self.requests == self.data.max_requests + 1:
                end = len(_text(raw))
                found.append(Diagnostic("RL703", "", None, f"request {self.requests:,}: a batch input file "
                                        f"holds at most {self.data.max_requests:,} requests; split it into "
                                        "several batches", Range(number, 0, number, end)))
            found += [_shifted(d, number) for d in self._across_lines(request, number, raw)]
            found += self._embedding_inputs(request, number, raw)
        return [d for d in found if self.linter.stamp(d, self.file)]

    def _embedding_inputs(self, request: Request, number: int, raw: bytes) -> list[Diagnostic]:
        limit = self.data.max_embedding_inputs
        before, self.embedding_inputs = self.embedding_inputs, self.embedding_inputs + request[3]
        if before <= limit < self.embedding_inputs:
            where = load_json_text(self.file, _text(raw))[0][0].locate(("body", "input"))
            return [_shifted(Diagnostic("RL706", "", None, f"the batch's embedding inputs pass {limit:,} on this "
                                        f"line ({self.embedding_inputs:,} so far): an embeddings batch takes at "
                                        f"most {limit:,} inputs across all its requests; split it into several "
                                        "batches", where, "/body/input"), number)]
        return []

    def finish(self) -> list[Diagnostic]:
        if self.requests:
            return []
        empty = Diagnostic("RL004", "", None, "the file is empty: a batch input file holds one request a line",
                           Range.point(0, 0))
        return [empty] if self.linter.stamp(empty, self.file) else []

    def _line(self, number: int, text: str, found: list[Diagnostic]) -> Request | None:
        if not text.strip():
            found.append(Diagnostic("RL705", "", None, "a blank line: every line of a batch input file is a "
                                    "request; remove it", Range(number, 0, number, len(text)),
                                    fix=Fix("Remove the blank line", (Edit(Range(number, 0, number + 1, 0), ""),))))
            return None
        documents, problems = load_json_text(self.file, text)
        found += [_shifted(p, number) for p in problems]
        if not documents:
            return _NAMELESS
        line = documents[0]
        value = line.value
        if not isinstance(value, dict):
            found.append(Diagnostic("RL003", "", None, "a batch request is a JSON object with custom_id, method, "
                                    f"url and body, not {json_type(value)}", _moved(line.range, number)))
            return _NAMELESS
        if self.linter.run_schema:
            found += [_shifted(d, number) for d in self.linter.guarded(
                "the schema check", lambda: self.linter.check_schema(line, ENVELOPE), line)]
        found += [_shifted(d, number, "/body") for d in self._body(line)]
        body = value.get("body")
        custom_id, url, model = (v if isinstance(v, str) else None for v in (
            value.get("custom_id"), value.get("url"), body.get("model") if isinstance(body, dict) else None))
        inputs = _inputs(body.get("input")) if url == _EMBEDDINGS and isinstance(body, dict) else 0
        return custom_id, url, model, inputs

    def _across_lines(self, request: Request, number: int, raw: bytes) -> list[Diagnostic]:
        """What one line cannot say alone: a custom_id used before, a second endpoint, a second model.
        Positions come from the line, read again for the few lines with such a finding."""
        custom_id, url, model, _ = request
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
        name, end = self.data.retired[url]
        stage = end.stage(self.context.today)  # as a model's end is told (RL601)
        if stage == "shut down":
            message = f"{name} ({url}) was shut down on {end.shutdown}: OpenAI rejects this batch's requests"
        elif stage == "deprecated":
            message = (f"{name} ({url}) is deprecated (announced {end.deprecated}) and OpenAI shuts it down on "
                       f"{end.shutdown}")
        else:
            return []
        severity = None if stage == "shut down" else Severity.WARNING  # None: the rule's own, an error
        return [Diagnostic("RL603", "", severity, message, located("url"), "/url")]

    def _body(self, line: Document) -> list[Diagnostic]:
        """The body, checked as the kind its url names: first without positions (most bodies have
        no finding), then, for a body with findings, on its own text padded to its column."""
        body = line.value.get("body")
        if not isinstance(body, dict):
            return []
        kind = self.data.bodies.get(line.value.get("url"))
        check = (lambda d: self.linter.check_document(d, kind, self.context)) if kind else self._any_body
        if not check(Document(self.file, "", "json", body, Range(0, 0, 0, 0))):
            return []
        where = line.locate(("body",))  # one line: its columns are offsets in the text
        text = " " * where.column + line.text[where.column:where.end_column]
        return check(Document(self.file, text, "json", body, where))

    def _any_body(self, document: Document) -> list[Diagnostic]:
        """A body runlint has no kind for: the rules that read any JSON, each guarded."""
        return [d for rule, cases in self.any_body for d in self.linter.guarded(
            f"rule {rule.code} ({rule.name})", lambda: rule.run(document, self.context, cases), document)]


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


def _quoted(raw: bytes | None) -> str:
    """A line as the reports quote it (the first line's 8 MB at most)."""
    return "" if raw is None else raw[:MAX_QUOTED_CHARS].decode("utf-8", "replace").removeprefix("\ufeff")


def _digest(text: str) -> bytes:
    import hashlib

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def _read_lines(handle: IO[bytes]):
    """(line without its newline, or None when longer than runlint reads; its size with the newline).
    A line is read at most MAX_FILE_BYTES at a time, so one huge line cannot fill the memory."""
    while True:
        raw = handle.readline(MAX_FILE_BYTES + 1)
        if not raw:
            return
        if len(raw) <= MAX_FILE_BYTES or raw.endswith(b"\n"):
            yield raw.removesuffix(b"\n"), len(raw)
            continue
        size = len(raw)
        while not raw.endswith(b"\n"):
            raw = handle.readline(1 << 20)
            if not raw:
                break
            size += len(raw)
        yield None, size


# Telling a batch file from the other JSONL files OpenAI takes (fine-tuning data, evals data): by
# the keys of its first lines, not by its extension. Ten non-blank lines: a batch file with a few bad
# lines first is still one; at most a hundred lines read to find them (a file of blank lines).
_SNIFF_LINES = 10
_SNIFF_MAX_LINES = 100
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


def _head(reader) -> list[tuple[bytes | None, int]]:
    """The first lines of a file, enough for `sniff`: read once, then checked with the rest."""
    head: list[tuple[bytes | None, int]] = []
    filled = 0
    for raw, size in reader:
        head.append((raw, size))
        filled += raw is None or bool(raw.strip())
        if filled >= _SNIFF_LINES or len(head) >= _SNIFF_MAX_LINES:
            break
    return head


def not_a_batch(linter, file: str, head: list[tuple[bytes | None, int]], what: str) -> list[Diagnostic]:
    """The one finding for a JSONL file that is no batch file: RL012 (info) on its first line,
    instead of an error a line for lacking custom_id, method, url and body."""
    first = next((n for n, (raw, _) in enumerate(head) if raw is None or raw.strip()), 0)
    end = len(head[first][0].decode("utf-8", "replace")) if head and head[first][0] is not None else 0
    if what is _UNKNOWN:
        message = ("runlint cannot tell what this JSONL file holds, and checks nothing in it: a Batch API input "
                   "file has `custom_id`, `method`, `url` and `body` on each line")
    else:
        message = (f"this looks like {what}, not a Batch API input file: runlint "
                   + ("does not check fine-tuning data yet" if "fine-tuning" in what else "checks nothing in it"))
    unknown = Diagnostic("RL012", "", None, message, Range(first, 0, first, min(end, 1)))
    return [unknown] if linter.stamp(unknown, file) else []


def lint_stream(linter, file: str, handle: IO[bytes], progress: Callable[[int, int], None] | None = None,
                data: BatchData | None = None, jobs: int = 1) -> tuple[list[Diagnostic], dict[int, str]]:
    """Check a batch file read line by line: (its findings, sorted; the lines they are on, to quote,
    as far as MAX_QUOTED_CHARS). `progress(requests, bytes)` is told every thousand lines; `data`
    replaces the limits (rule examples stay short with small ones); with `jobs` > 1, the lines past
    the first few thousand are checked by that many processes. A JSONL file that is no batch file
    (`sniff`) gets one RL012 and is read no further."""
    reader = _read_lines(handle)
    head = _head(reader)
    what = sniff([raw for raw, _ in head])
    if what is not None:
        found = linter.settle(file, not_a_batch(linter, file, head, what))
        return found, {d.range.line: _quoted(head[d.range.line][0]) for d in found if d.range.line < len(head)}
    batch = BatchFile(linter, file, data)
    found: list[Diagnostic] = []
    quoted: dict[int, str] = {}
    budget = MAX_QUOTED_CHARS
    lines = enumerate(chain(head, reader))
    # The first lines are checked here: a small file never waits for workers, and a big one forks
    # them with the schemas its bodies need already compiled.
    checked = _here(batch, islice(lines, _SERIAL_LINES) if jobs > 1 else lines)
    if jobs > 1:
        checked = chain(checked, _in_workers(batch, lines, jobs))
    for number, raw, size, new, request in checked:
        new += batch.follow(number, raw, size, request)
        if new:
            found += new
            if raw is not None and len(raw) <= budget:
                quoted[number] = raw.decode("utf-8", "replace").removeprefix("\ufeff")
                budget -= len(raw)
        if progress is not None and number % _PROGRESS_EVERY == 0:
            progress(batch.requests, batch.size)
    found += batch.finish()
    result = linter.settle(file, found)
    result.sort(key=Diagnostic.sort_key)
    return result, quoted


def _here(batch: BatchFile, lines):
    """(number, raw, size, findings, request) of each line, as `check_line` gives them."""
    for number, (raw, size) in lines:
        yield number, raw, size, *batch.check_line(number, raw, size)


_worker: BatchFile | None = None  # the file a forked worker checks lines of


def _in_workers(batch: BatchFile, lines, jobs: int):
    """What `_here` gives, in order, from `jobs` forked processes. At most two chunks a process are
    in flight: memory stays bounded."""
    chunks = iter(lambda: list(islice(lines, _CHUNK_LINES)), [])
    first = next(chunks, None)
    if first is None:  # a small file: every line was checked before
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    global _worker
    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # no fork (Windows): this process checks them all
        yield from _here(batch, chain(first, lines))
        return
    _worker = batch
    try:
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            pending: deque = deque()
            for chunk in chain([first], chunks):
                pending.append((chunk, pool.submit(_check_chunk, chunk)))
                if len(pending) > 2 * jobs:
                    yield from _joined(*pending.popleft())
            while pending:
                yield from _joined(*pending.popleft())
    finally:
        _worker = None


def _check_chunk(chunk: list) -> list:
    return [_worker.check_line(number, raw, size) for number, (raw, size) in chunk]


def _joined(chunk: list, future):
    for (number, (raw, size)), (found, request) in zip(chunk, future.result()):
        yield number, raw, size, found, request
