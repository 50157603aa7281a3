"""What a format yields and what the checks read: a Request, and the PathMap that says where each of
its nodes is written in the user's file.

A request's paths are the API's (`("max_tokens",)`); a file may write them elsewhere, under other
names (`modelParameters.maxTokens`). The checks only ever name request paths; every position they
ask for goes through the map, so a finding lands on the user's own key. For the plain request file
the map is the identity; for a batch line it is `("body",)` into the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any, Callable

from ..diagnostic import Range, field_name, to_pointer
from .document import Document, fields_of


@dataclass
class Source:
    """What `Linter.lint` reads: a path (read from the disk, streamed for a streaming format), or a
    file name with its `text` or `data`. `syntax` forces the reader (stdin, the API's nameless text).
    `progress` and `jobs` serve a streamed file (batch); after `lint`, `data` holds the bytes read and
    `quoted` a streamed file's quoted lines (line -> text), which the reports show."""

    file: str
    text: str | None = None
    data: bytes | None = None
    syntax: str | None = None
    handle: IO[bytes] | None = None  # a stream to read instead of the file (tests, stdin)
    progress: Callable[[int, int], None] | None = None  # (requests, bytes read) of a streamed file
    jobs: int = 1
    limits: Any = None  # a format's limits in place of its own (batch: BatchData, for short rule examples)
    format: Any = None  # the format that reads it, instead of the one that claims it
    # A reading the caller made already (the language server reads a buffer once with positions;
    # migrate grades its own findings as the problems of a reading with no documents).
    loaded: Any = None
    quoted: dict[int, str] | None = None


Entry = tuple  # (request prefix, Document, file prefix, verbatim)


class PathMap:
    """Request path -> where that node is written. Entries `(request_prefix, document, file_prefix,
    verbatim)`: the longest request prefix that covers a path translates it into the document's own
    path (`file_prefix + rest`), and that document says where it stands. A path no entry covers
    falls back to its nearest covered ancestor; a node the file lacks, to its nearest written
    ancestor (Document.locate). `verbatim`: the file writes the nodes below as the API does, so
    fixes may edit them."""

    __slots__ = ("entries", "home", "identity", "verbatim", "_pointers")

    def __init__(self, entries):
        # longest prefix first: the first that covers a path is the one that says where it is
        self.entries = sorted(entries, key=lambda e: -len(e[0])) if len(entries) > 1 else list(entries)
        self.home: Document = self.entries[-1][1]  # the document of the shortest prefix: the request's own
        self.identity = len(self.entries) == 1 and self.entries[0][0] == () and self.entries[0][2] == ()
        self.verbatim = all(e[3] for e in self.entries)
        self._pointers = None

    @classmethod
    def of(cls, document: Document, file_prefix: tuple = ()) -> "PathMap":
        """The map of a request written verbatim at `file_prefix` of one document."""
        return cls([((), document, file_prefix, True)])

    def entry(self, path: tuple) -> tuple[Entry | None, tuple]:
        """(the entry that covers `path`, the path in its document), or (None, ()) if none does."""
        for entry in self.entries:
            prefix = entry[0]
            if path[:len(prefix)] == prefix:
                return entry, entry[2] + path[len(prefix):]
        return None, ()

    def entry_of_pointer(self, pointer: str) -> tuple[Entry | None, str]:
        """(the entry that covers a JSON Pointer of the request, the rest of the pointer)."""
        if self._pointers is None:
            self._pointers = [(to_pointer(e[0]), e) for e in self.entries]
        for prefix, entry in self._pointers:
            if pointer == prefix or pointer.startswith(prefix + "/") or not prefix:
                return entry, pointer[len(prefix):]
        return None, pointer

    def _translated(self, path: tuple) -> tuple[Document, tuple]:
        if self.identity:
            return self.home, path
        for depth in range(len(path), -1, -1):  # nearest covered ancestor
            entry, in_file = self.entry(path[:depth])
            if entry is not None:
                return entry[1], in_file
        return self.home, ()

    def locate(self, path: tuple, on_key: bool = False) -> Range:
        document, in_file = self._translated(path)
        return document.locate(in_file, on_key)

    def anchor(self, path: tuple) -> Range:
        document, in_file = self._translated(path)
        return document.anchor(in_file)

    def point_at(self, path: tuple) -> Range:
        document, in_file = self._translated(path)
        return document.point_at(in_file)

    def written(self, path: tuple) -> str | None:
        """The user's own dotted name of a node the file does not write as the API does
        (`modelParameters.maxTokens`); None when it is written verbatim (or nowhere)."""
        if self.identity:
            return None
        entry, in_file = self.entry(path)
        if entry is None or entry[3]:
            return None
        return field_name(in_file)

    def unwritten(self) -> list[Range]:
        """Where the non-verbatim nodes stand (each node and its key): a fix that edits there
        would write the API's words into the user's own."""
        found = []
        for _prefix, document, in_file, verbatim in self.entries:
            if not verbatim:
                found.append(document.locate(in_file))
                found.append(document.locate(in_file, on_key=True))
        return found

    @property
    def range(self) -> Range:
        document, in_file = self._translated(())
        return document.range if not in_file else document.locate(in_file)


class _Spans:
    """A document's spans seen by request path (fix/actions.py reads `spans.get(path)`)."""

    __slots__ = ("where",)

    def __init__(self, where: PathMap):
        self.where = where

    def get(self, path: tuple, default=None):
        entry, in_file = self.where.entry(path)
        return default if entry is None else entry[1].spans.get(in_file, default)


@dataclass(slots=True)
class Request:
    """One request a file declares: its kind, its value as it would be sent, and where its nodes
    are written. It presents what the checks read of a document (value, fields, kind, file, text,
    lines, syntax, locate, anchor, point_at, text_at, scalar_content, range), its positions
    through `where`."""

    kind: str | None  # a kind name of runlint/kinds.py (or a format's own kind); None: told as today
    value: Any
    where: PathMap
    openai: bool = True  # False: another provider's request: the format's own checks only
    # None: every selected rule of its kind. A tuple: only these rule codes, and no kind is told
    # when `kind` is None (a batch body of an endpoint runlint has no kind for: the rules that read
    # any JSON; the batch envelope: none, its schema only).
    rules: tuple[str, ...] | None = None
    _fields: frozenset | None = field(default=None, repr=False)

    @property
    def fields(self) -> frozenset:
        """The top-level fields set to something (null counts as absent, as in the API)."""
        if self._fields is None:
            self._fields = fields_of(self.value)
        return self._fields

    # -- the file's text, from the document the request is written in --------------------------
    @property
    def document(self) -> Document:
        return self.where.home

    @property
    def file(self) -> str:
        return self.where.home.file

    @property
    def text(self) -> str:
        return self.where.home.text

    @property
    def lines(self) -> list[str]:
        return self.where.home.lines

    @property
    def syntax(self) -> str:
        return self.where.home.syntax

    @property
    def mentions_runlint(self) -> bool:
        return self.where.home.mentions_runlint

    def per_file(self) -> dict:
        return self.where.home.per_file()

    def text_at(self, where: Range) -> str:
        return self.where.home.text_at(where)

    def scalar_content(self, where: Range) -> Range:
        return self.where.home.scalar_content(where)

    # -- positions, through the map --------------------------------------------------------------
    @property
    def range(self) -> Range:
        return self.where.range

    @property
    def spans(self):
        return self.where.home.spans if self.where.identity else _Spans(self.where)

    def locate(self, path: tuple, on_key: bool = False) -> Range:
        return self.where.locate(path, on_key)

    def anchor(self, path: tuple) -> Range:
        return self.where.anchor(path)

    def point_at(self, path: tuple) -> Range:
        if self.where.identity:
            return self.where.home.point_at(path)
        node = self.value  # a scalar itself, a mapping or a list by its key: as the request holds it
        try:
            for part in path:
                node = node[part]
        except (KeyError, IndexError, TypeError):
            return self.locate(path)
        return self.anchor(path) if isinstance(node, (dict, list)) else self.locate(path)


def moved(diagnostic, lines: int):
    """A finding on a piece's own text (a batch line's, line 0) moved `lines` down, to where the
    piece stands in the file: its range and its fix's edits. (The one line shift of the layer.)"""
    if lines:
        import dataclasses

        diagnostic.range = diagnostic.range.shifted(lines)
        if diagnostic.fix is not None:
            from ..diagnostic import Edit

            edits = tuple(Edit(e.range.shifted(lines), e.new_text) for e in diagnostic.fix.edits)
            diagnostic.fix = dataclasses.replace(diagnostic.fix, edits=edits)
    return diagnostic

