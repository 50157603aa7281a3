"""Formats: which files hold requests, and how to read the requests out of them.

A format is one module here, listed in `FORMATS`, in order: the first whose `claims` says yes reads
the file. The contract, as built (FORMATS-INTERFACE.md, with the details below):

    NAME = "batch"                      # shown in messages and docs
    PATTERNS = ("*.jsonl",)             # names it claims by default (discovery's include)
    SYNTAX = "jsonl"                    # "yaml" | "json" | "jsonl" | "prompty": the loader that reads it
    def claims(file: str, head: bytes) -> bool   # by name first, then by content (head: first 4 KiB)
    def requests(source: SourceFile) -> Iterator[Request | Diagnostic]

`requests` yields the file's requests (runlint/source/request.py: `Request(kind, value, where,
openai=True, rules=None)`, `where` a `PathMap` of entries `(request_prefix, document, file_prefix,
verbatim)`), and the format's own findings as Diagnostics, positioned in the file (their `file`
is filled in by the pipeline). A format yields data and checks nothing: `Linter.lint(source)` (the
one entry, runlint/pipeline/linter.py) checks each request, names and grades every finding, drops
the unselected and the suppressed, and sorts them. The loader's problems (`source.problems`) are
the pipeline's to report; a format yields only its own.

Details beyond the interface page:
- `Request.rules`: None runs every selected rule of the request's kind; a tuple of rule codes runs
  only those (and, with `kind` None, tells no kind: the rules that read any JSON).
- `Request.kind` may name a format's own kind, declared in its `OWN_KINDS` (the batch envelope:
  checked by its schema alone, with `rules=()`).
- `PathMap.of(document, file_prefix=())`: one verbatim entry. `PathMap.written(path)` is the user's
  dotted name of a non-verbatim node (`params.maxTokens`); the pipeline adds it to the message, and
  drops the fix of a finding on a non-verbatim node or with an edit inside one.
- A format that reads huge files streams: instead of `requests` it defines `stream(file, limits,
  today, settings)` (the settings: fine-tuning reads its `fine_tuning_model`), an object the pipeline (runlint/pipeline/stream.py) drives a line at a time, checking
  lines in worker processes (`jobs`) and quoting the lines with findings:
  `open(handle) -> (lines, refused)` (`(raw, size)` a line; `refused`: the one finding of a file it
  turns out not to be, or None), `read(number, raw, size) -> (items, facts)` (a line's requests and
  findings on its own text, line 0: any process), `follow(number, raw, size, facts) -> [Diagnostic]`
  (what it says after the lines before it, in the file's lines: in order), `finish()`, `quoted(raw)`,
  and `requests`/`size` (counts for progress). batch.py shows how.
- `review(request, found, severity, models) -> found` (optional): the format sees each of its
  requests' findings before they are stamped, and may drop, reword or add to them (promptfoo: drops
  advice its tool makes impossible and findings on values the tool adds itself; adds what the tool
  drops, with what the model table says of it). `severity(d)` is the severity a finding will have;
  `models()` gives the model table (source/ imports nothing of check/: the pipeline hands it over).
- `claim(file, head)` gives the format; `by_syntax(syntax, head)` the one for a forced syntax (stdin,
  an API caller's nameless text): the first of that syntax that claims the head, else the first of it
  (JSONL: fine-tuning data by its lines, else a batch file). Formats that share a syntax are told
  apart by content: fine_tuning (content only) comes before batch (every `.jsonl`). request_file comes last: it takes whatever YAML or JSON no other
  format claimed, so a new format goes before it.
"""

from __future__ import annotations

from . import batch, fine_tuning, github_models, prompty, promptfoo, request_file

# fine-tuning before batch: both read JSONL, and it claims by content
FORMATS = (fine_tuning, batch, github_models, prompty, promptfoo, request_file)

HEAD_BYTES = 4096  # what `claims` sees of a file's content


def claim(file: str, head: bytes = b""):
    """The format that reads `file` (`head`: its first bytes, up to HEAD_BYTES)."""
    for format in FORMATS:
        if format.claims(file, head):
            return format
    return request_file


def by_syntax(syntax: str, head: bytes = b""):
    """The format for a file read as `syntax` whatever its name. YAML and JSON without a name are the
    plain request file's: a format that reads YAML files it knows by their name (a GitHub Models
    prompt file) needs that name. Otherwise the first that reads that syntax and claims the content
    (`head`), else the first that reads it (stdin's JSONL: fine-tuning data by its lines, else a
    batch file)."""
    if syntax in ("yaml", "json"):
        return request_file
    readers = [f for f in FORMATS if f.SYNTAX == syntax]
    return next((f for f in readers if f.claims("-." + syntax, head)), readers[0] if readers else request_file)


def patterns() -> tuple[str, ...]:
    """Every format's default names: discovery's include (the plain request file's first)."""
    others = (f for f in FORMATS if f is not request_file)
    return tuple(dict.fromkeys(p for format in (request_file, *others) for p in format.PATTERNS))


def own_kind(name: str):
    """A kind a format declares of its own (`OWN_KINDS`), by name, else None."""
    kinds = _OWN_KINDS.get(FORMATS)
    if kinds is None:  # once for the list (a test may add a format to it)
        kinds = _OWN_KINDS[FORMATS] = {k.name: k for f in FORMATS for k in getattr(f, "OWN_KINDS", ())}
    return kinds.get(name)


_OWN_KINDS: dict = {}
