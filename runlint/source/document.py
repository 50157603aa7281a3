"""A spec file as documents: its text, each document's value, and where every node stands.

Loading never raises on bad input: whatever is wrong with the bytes or the syntax becomes a
diagnostic (codes RL0xx) with a position, and the documents that could be read are still checked.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Any

from ..diagnostic import DROP_BOM, Diagnostic, Range, type_word
from .limits import MAX_FILE_BYTES

_YAML_SUFFIXES = (".yaml", ".yml")
_UTF16_32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_DOCUMENT_START = re.compile(r"^---(?:[ \t].*)?$|^\.\.\.[ \t]*$", re.M)
# Unknown YAML top-level keys located by a parse that stops at each; past these, one pass over
# all the keys (a parse a key made a file of many unknown keys quadratic). Other top-level
# lookups are as many as the schema's fields and the rules, at most.
_ROOT_KEY_PARSES = 4
# Mappings whose keys are located by a pass over them (Document._key); past these, one load with
# every position costs less.
_KEY_WALKS = 4


def fields_of(value: Any) -> frozenset:
    """A request body's top-level fields set to something (null counts as absent, as in the API)."""
    return frozenset(k for k, v in value.items() if v is not None) if isinstance(value, dict) else frozenset()


@dataclass(slots=True)
class Document:
    """One request body: a JSON file, or one document of a YAML file."""

    file: str
    text: str  # the whole file's text, shared by its documents
    syntax: str  # "yaml" or "json"
    value: Any
    range: Range  # where this document stands in the file
    index: int = 0
    kind: str | None = None
    _spans: dict | None = field(default=None, repr=False)
    _root: dict | None = field(default=None, repr=False)  # top-level key -> its entry, found cheaply
    _lines: list[str] | None = field(default=None, repr=False)
    _fields: frozenset | None = field(default=None, repr=False)
    _keys: tuple | None = field(default=None, repr=False)  # (a mapping's path, its keys' ranges)
    _key_walks: int = field(default=0, repr=False)
    _root_key_parses: int = field(default=0, repr=False)
    # State of the whole file its documents share: one load with positions, its lines (each
    # document making them from the whole text made findings in many documents quadratic).
    _file: dict | None = field(default=None, repr=False)
    _several: bool = field(default=False, repr=False)  # the file holds more than this document

    @property
    def fields(self) -> frozenset:
        """The top-level fields set to something (null counts as absent, as in the API)."""
        if self._fields is None:
            self._fields = fields_of(self.value)
        return self._fields

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self._per_file("lines", lambda: self.text.split("\n"))
        return self._lines

    @property
    def mentions_runlint(self) -> bool:
        """Whether the file's text holds `runlint:` (a kind or suppression comment)."""
        return self._per_file("runlint:", lambda: "runlint:" in self.text)

    def per_file(self) -> dict:
        """State the documents of one file share (a file of one document has its own)."""
        if self._file is None:
            self._file = {}
        return self._file

    def _per_file(self, name: str, make):
        """Something of the whole text, made once a file (once a document was quadratic)."""
        shared = self.per_file()
        if name not in shared:
            shared[name] = make()
        return shared[name]

    def text_at(self, where: Range) -> str:
        lines = self.lines[where.line:where.end_line + 1]
        if not lines:
            return ""
        if len(lines) == 1:
            return lines[0][where.column:where.end_column]
        return "\n".join([lines[0][where.column:], *lines[1:-1], lines[-1][:where.end_column]])

    def scalar_content(self, where: Range) -> Range:
        """The range inside a quoted scalar's quotes (edits keep the quoting)."""
        text = self.text_at(where)
        if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'" and where.line == where.end_line:
            return Range(where.line, where.column + 1, where.end_line, where.end_column - 1)
        return where

    @property
    def spans(self) -> dict:
        """pointer tuple -> (value range, key range or None), built on first use: most documents
        have nothing to point at, and loading without positions is twice as fast."""
        if self._spans is None:
            if self.syntax == "yaml":
                from .yaml_loader import YamlLoader

                loaded = self._per_file("spans", lambda: [d.spans for d in YamlLoader(self.text).load().documents])
                self._spans = loaded[self.index]
            else:
                from .json_loader import scan

                self._spans = scan(self.text, want_problems=False)[0]
        return self._spans

    def _entry(self, path: tuple) -> tuple | None:
        """(value range, key range) of a node; a top-level key is found without the full spans
        when they are not built yet (the common finding on an otherwise clean file)."""
        if self._spans is None and len(path) == 1 and isinstance(path[0], str):
            if self._root is None:
                self._root = {}
                if self.syntax == "json":
                    from .json_loader import root_key_spans

                    self._root = root_key_spans(self.text)  # all at once: the values are skipped in C
            key = path[0]
            if key not in self._root and self.syntax == "yaml" and self._may_parse_to_key():
                from .yaml_loader import locate_root_key

                self._root[key] = locate_root_key(self.text, self.index, key)  # stops at the key
            if self._root.get(key) is not None:
                return self._root[key]
        return self.spans.get(path)

    def _may_parse_to_key(self) -> bool:
        """A parse that stops at a top-level key costs the text before it: in a file of several
        documents, only for a few keys of them all (then they share one load with positions)."""
        if not self._several:
            return True
        shared = self.per_file()
        shared["parses"] = shared.get("parses", 0) + 1
        return shared["parses"] <= _ROOT_KEY_PARSES

    def _many_keys(self, path: tuple) -> bool:
        """Whether a key is best found by a pass over the keys of its mapping: below the top level,
        or past a few YAML top-level keys (JSON finds those all at once, in `_entry`)."""
        if self._several:
            return False  # a pass would parse the file up to this document: the shared load is linear
        if len(path) > 1:
            return True
        if self.syntax != "yaml":
            return False
        self._root_key_parses += 1
        return self._root_key_parses > _ROOT_KEY_PARSES

    def _key(self, path: tuple) -> Range | None:
        """The range of a key, from one pass over the keys of its mapping (kept for the mapping
        last asked about): 200,000 unknown keys of one mapping need no other position. Past a
        few such passes, the full positions cost less."""
        parent = path[:-1]
        if self._keys is None or self._keys[0] != parent:
            if self._key_walks >= _KEY_WALKS:
                return None
            self._key_walks += 1
            if self.syntax == "yaml":
                from .yaml_loader import key_ranges

                self._keys = (parent, key_ranges(self.text, self.index, parent))
            else:
                from .json_loader import key_ranges

                self._keys = (parent, key_ranges(self.text, parent))
        ranges = self._keys[1]
        return None if ranges is None else ranges.get(path[-1])

    def locate(self, path: tuple, on_key: bool = False) -> Range:
        """The range of a node (or its key), else of its nearest ancestor that exists."""
        if on_key and path and self._spans is None and self._many_keys(path):
            where = self._key(path)
            if where is not None:
                return where
        if len(path) == 1 and (entry := self._entry(path)) is not None:
            return entry[1] if on_key and entry[1] is not None else entry[0]
        if not on_key and len(path) > 1 and self._spans is None and self.syntax == "yaml":
            where = self._nested_scalar(path)
            if where is not None:
                return where
        spans = self.spans
        for depth in range(len(path), -1, -1):
            entry = spans.get(path[:depth])
            if entry is not None:
                value_range, key_range = entry
                if depth == len(path) and on_key and key_range is not None:
                    return key_range
                return value_range
        return self.range

    def _nested_scalar(self, path: tuple) -> Range | None:
        """A nested scalar's range from one pass over the events up to it (shares the budget of key
        passes): the common finding below the top level is about one value."""
        if self._several or self._key_walks >= _KEY_WALKS:
            return None
        node = self.value
        try:
            for part in path:
                node = node[part]
        except (KeyError, IndexError, TypeError):
            return None  # not there: its nearest ancestor is the full loader's to say
        if isinstance(node, (dict, list)):
            return None
        self._key_walks += 1
        from .yaml_loader import scalar_range

        return scalar_range(self.text, self.index, path)

    def point_at(self, path: tuple) -> Range:
        """Where a finding about the node at `path` points (docs/development.md, "Messages and positions"): a scalar
        itself, a mapping or a list by its key (or its first line), never every line of it."""
        node = self.value
        try:
            for part in path:
                node = node[part]
        except (KeyError, IndexError, TypeError):
            return self.locate(path)
        return self.anchor(path) if isinstance(node, (dict, list)) else self.locate(path)

    def anchor(self, path: tuple) -> Range:
        """Where to point for something about the node as a whole, such as a missing field:
        its key when it has one, else the first line of the node."""
        entry = self._entry(path)
        if entry is not None and entry[1] is not None:
            return entry[1]
        where = self.locate(path)
        if where.end_line == where.line:
            return where
        line_end = len(self.lines[where.line])
        return Range(where.line, where.column, where.line, max(line_end, where.column))


@dataclass(slots=True)
class SourceFile:
    """A file read: its text, its documents and the problems found reading it."""

    file: str
    text: str
    documents: list[Document]
    problems: list[Diagnostic]


_LONE_CR = re.compile("\r(?!\n)")
_NUL_IS_NO_TEXT = "a NUL byte is no text: is this a binary file?"


def syntax_of(file: str) -> str:
    """yaml, json, or jsonl: a Batch API input file, one JSON request a line (runlint/source/batch.py)."""
    lower = file.lower()
    if lower.endswith(".prompty"):
        return "prompty"  # YAML front matter and a template: runlint/source/formats/prompty.py
    return "yaml" if lower.endswith(_YAML_SUFFIXES) else "jsonl" if lower.endswith(".jsonl") else "json"


def decode(data: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text: UTF-8 only (with or without a BOM), as the API's JSON bodies are."""
    if len(data) > MAX_FILE_BYTES:
        return None, [_problem("RL005", f"the file is {len(data):,} bytes; runlint reads at most "
                               f"{MAX_FILE_BYTES:,}", Range.point(0, 0))]
    if data.startswith(_UTF16_32_BOMS):
        encoding = "UTF-32" if data[:4] in _UTF16_32_BOMS[:2] else "UTF-16"
        return None, [_problem("RL005", f"the file is {encoding} (it starts with a {encoding} byte order "
                               "mark); save it as UTF-8", Range.point(0, 0))]
    problems = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
        problems.append(_problem("RL007", "the file starts with a UTF-8 byte order mark; it is read, but "
                                 "some JSON readers reject it", Range(0, 0, 0, 1)))
        problems[-1].fix = DROP_BOM
    nul = data.find(b"\0")
    if nul != -1:
        where = _byte_position(data, nul)
        looks_utf16 = nul <= 1 or data.count(b"\0") * 3 > len(data)
        why = ("it looks like UTF-16 without a byte order mark; save it as UTF-8" if looks_utf16
               else _NUL_IS_NO_TEXT)
        return None, [_problem("RL005", f"the file is not UTF-8 text: {why}", where)]
    try:
        return data.decode("utf-8"), problems
    except UnicodeDecodeError as error:
        where = _byte_position(data, error.start)
        return None, [_problem("RL005", f"the file is not valid UTF-8 (byte 0x{data[error.start]:02x} at "
                               f"offset {error.start}); save it as UTF-8", where)]


def lone_cr_as_lf(text: str) -> str:
    """A lone \\r ends a line for editors, the LSP and libyaml: make it \\n, so that every line
    count agrees (\\r\\n stays: columns and lines are the same with it)."""
    return _LONE_CR.sub("\n", text) if "\r" in text else text


def load(file: str, text: str, syntax: str | None = None) -> SourceFile:
    syntax = syntax or syntax_of(file)
    text = lone_cr_as_lf(text)
    nul = text.find("\0")
    if nul != -1:  # text from an editor: the same finding as for the bytes of a file
        problem = _problem("RL005", f"the file is not UTF-8 text: {_NUL_IS_NO_TEXT}",
                           Range.of_offsets(text, nul, nul + 1))
        problem.file = file
        return SourceFile(file, text, [], [problem])
    if syntax == "prompty":
        from .formats.prompty import read

        return read(file, text)
    if syntax == "yaml":
        documents, problems = _load_yaml(file, text)
    else:
        documents, problems = load_json_text(file, text)
    if not documents and not problems:
        problems.append(_problem("RL004", "the file is empty: a request body needs at least its required "
                                 "fields", Range.point(0, 0)))
    for document in documents:
        if not isinstance(document.value, dict):
            problems.append(_problem("RL003", "a request body is an object (a mapping of fields), not "
                                     f"{json_type(document.value)}", document.locate(())))
    for problem in problems:
        problem.file = file
    return SourceFile(file, text, documents, problems)


def load_data_file(name: str) -> Any:
    """A data file runlint bundles (data/<name>: the batch file's facts, fine-tuning's, promptfoo's),
    read by runlint's own YAML reader, which constructs nothing."""
    from ..resources import data_dir

    path = data_dir("data") / name
    return load_bytes(str(path), path.read_bytes(), "yaml").documents[0].value


def load_bytes(file: str, data: bytes, syntax: str | None = None) -> SourceFile:
    text, problems = decode(data)
    if text is None:
        for problem in problems:
            problem.file = file
        return SourceFile(file, "", [], problems)
    source = load(file, text, syntax)
    for problem in problems:
        problem.file = file
    source.problems[:0] = problems
    return source


def _load_yaml(file: str, text: str) -> tuple[list[Document], list[Diagnostic]]:
    from .yaml_loader import YamlLoader

    fast = YamlLoader(text, positions=False).load()
    if not fast.needs_positions:
        shared, several = {}, len(fast.documents) > 1
        return [Document(file, text, "yaml", parsed.value, parsed.range, index, _file=shared, _several=several)
                for index, parsed in enumerate(fast.documents) if parsed.value is not None], []
    documents: list[Document] = []
    problems: list[Diagnostic] = []
    offset = 0
    chunk = text
    while True:
        loader = YamlLoader(chunk, offset).load()
        problems.extend(loader.problems)
        for parsed in loader.documents:
            documents.append(Document(file, text, "yaml", parsed.value, parsed.range, len(documents),
                                      _spans=parsed.spans))
        if loader.error_line is None:
            break
        # A broken document must not hide the ones after it: resume at the next separator.
        rest = _next_document_line(text, max(loader.error_line, offset + 1))
        if rest is None or rest <= offset:
            break
        offset = rest
        chunk = text[_line_offset(text, rest):]
    # An empty document (a stray `---`) sends nothing; only a file with nothing else is reported.
    return [d for d in documents if d.value is not None], problems


def load_json_text(file: str, text: str) -> tuple[list[Document], list[Diagnostic]]:
    from .json_loader import LineIndex, load_json, scan

    if not text.strip():
        return [], []
    value, problems, needs_scan = load_json(text)
    if problems:
        return [], problems
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    where = LineIndex(text).range(start, end) if "\n" in text else Range(0, start, 0, end)  # a JSONL line
    document = Document(file, text, "json", value, where)
    if not needs_scan:
        return [document], []
    spans, problems = scan(text)
    document._spans = spans
    if value is None and not problems:  # json.loads gave up on something the scanner did not see
        problems = [_problem("RL001", "JSON the reader cannot take", document.range)]
    return ([document] if value is not None or not problems else []), problems


def _next_document_line(text: str, from_line: int) -> int | None:
    offset = _line_offset(text, from_line)
    if offset is None:
        return None
    match = _DOCUMENT_START.search(text, offset)
    return None if match is None else text.count("\n", 0, match.start())


def _line_offset(text: str, line: int) -> int | None:
    offset = 0
    for _ in range(line):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return None
    return offset


def _byte_position(data: bytes, offset: int) -> Range:
    before = data[:offset]
    line = before.count(b"\n")
    column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace"))
    return Range(line, column, line, column + 1)


json_type = type_word  # the batch reader's name for it


def _problem(code: str, message: str, where: Range, path: tuple = ()) -> Diagnostic:
    return Diagnostic(code, "", None, message, where, path)
