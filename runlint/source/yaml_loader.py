"""YAML to plain JSON-like data with positions, straight from libyaml's event stream.

Why events rather than a loader: nothing is ever constructed from a tag (only the YAML 1.2 core
schema's str/int/float/bool/null/map/seq are honoured), aliases share one value instead of being
copied, nesting is tracked on an explicit stack (no recursion), and every node's position is
recorded as it goes by. Plain scalars resolve by the YAML 1.2 core schema, as JSON would read them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events as ev

from ..diagnostic import Diagnostic, Edit, Fix, Range, shorten
from .limits import MAX_ALIAS_EXPANSION, MAX_DEPTH, MAX_INT_DIGITS

try:  # libyaml, about ten times faster than the pure-Python parser
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Parser

Spans = dict  # pointer tuple -> (value Range, key Range | None)

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_CORE + t for t in ("str", "int", "float", "bool", "null")}
_MAP_TAGS = {None, "!", _CORE + "map"}
_SEQ_TAGS = {None, "!", _CORE + "seq"}

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_SPECIAL_FLOATS = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
                   ".nan", ".NaN", ".NAN"}
# YAML 1.1 loaders (PyYAML, many tools) read these plain scalars as booleans; YAML 1.2 as strings.
# (YAML 1.1 also lists y and n, but PyYAML, the loader most scripts use, reads them as strings.)
_YAML11_BOOLS = {"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"}
_MAYBE_NOT_STRING = set("-+.0123456789~nNtTfF")
# A plain scalar that starts with one of these letters is a string in YAML 1.2 and 1.1 alike unless
# it is one of the null and boolean words (no number of either starts with a letter): `type`,
# `function`, `name` and the like, a third of a spec's scalars, need no resolving.
_LETTERS = set("nNtTfF")
_WORDS = _NULLS | set(_BOOLS) | _YAML11_BOOLS
_PLAIN_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?\Z")


@dataclass(slots=True)
class YamlDocument:
    value: Any
    spans: Spans
    range: Range


@dataclass(slots=True)
class _Frame:
    container: Any  # dict or list
    path: tuple
    start: Range
    key_range: Range | None
    flow: bool
    anchor: str | None
    size: int = 1
    key: Any = None  # mappings: the key waiting for its value
    key_node: Range | None = None
    awaiting_value: bool = False
    key_plain: bool = False
    skip_value: bool = False
    merges: list = field(default_factory=list)
    last_end: tuple | None = None


class _NeedPositions(Exception):
    """Raised by a loader without positions at its first problem: the caller loads again with them."""


class YamlLoader:
    """Loads every document of one YAML text; diagnostics carry codes, the engine adds the rest.

    With `positions=False` (the fast path: most files have nothing to point at) no position is
    recorded, and the first problem stops the loader with `needs_positions` set, so that the caller
    loads the text again with positions."""

    def __init__(self, text: str, line_offset: int = 0, positions: bool = True):
        self.text = text
        self.line_offset = line_offset
        self.positions = positions
        self.needs_positions = False
        self.documents: list[YamlDocument] = []
        self.problems: list[Diagnostic] = []
        self.error_line: int | None = None  # where a syntax error stopped the parser
        self._lines = _odd_breaks_index(text)

    # -- positions -------------------------------------------------------------------------
    def _range(self, start, end) -> Range:
        o = self.line_offset
        if self._lines is not None:
            line, column = self._lines.position(start.index)
            end_line, end_column = self._lines.position(end.index)
            line += o
            return Range(line, column, line if end_line + o == line else end_line + o, end_column)
        line = start.line + o
        return Range(line, start.column, line if end.line == start.line else end.line + o, end.column)

    def _problem(self, code: str, message: str, where: Range, path: tuple = ()) -> None:
        if not self.positions:
            raise _NeedPositions
        self.problems.append(Diagnostic(code, "", None, message, where, path))

    # -- scalars ---------------------------------------------------------------------------
    def _scalar(self, event, where: Range, path: tuple) -> Any:
        tag, text = event.tag, event.value
        plain = event.implicit[0] and tag is None
        if tag not in (None, "!") and tag not in _SCALAR_TAGS:
            self._problem("RL006", f"the YAML tag `{shorten(_shown(tag))}` is not supported: a request body is plain "
                          "JSON; nothing was constructed and the value is read as a string", where, path)
            return text
        if tag == _CORE + "str" or (not plain and tag is None) or tag == "!":
            return text
        if tag is None and text and text[0] not in _MAYBE_NOT_STRING:
            return self._plain_string(text, where, path)
        return self._resolve(text, tag, where, path)

    def _plain_string(self, text: str, where: Range, path: tuple) -> str:
        if text in _YAML11_BOOLS:
            self._problem("RL013", f"`{text}` is the string \"{text}\" in YAML 1.2 but a boolean in "
                          "YAML 1.1 (PyYAML and others): quote it, or write true or false", where, path)
            self.problems[-1].fix = _written_as(text, where)
        return text

    def _resolve(self, text: str, tag: str | None, where: Range, path: tuple) -> Any:
        want = tag[len(_CORE):] if tag else None
        if want in (None, "null") and text in _NULLS:
            return None
        if want in (None, "bool") and text in _BOOLS:
            return _BOOLS[text]
        if want in (None, "int", "float"):
            number = self._number(text, where, path)
            if number is not None:
                if want is None and not _PLAIN_DECIMAL.match(text):  # decimals read alike in YAML 1.1
                    self._compare_with_yaml11(text, number, where, path)
                return float(number) if want == "float" else number
        if want in (None, "str"):
            if want is None and ("_" in text or ":" in text or text[:2] in ("0b", "-0", "+0")):
                self._compare_with_yaml11(text, text, where, path)
            return self._plain_string(text, where, path)
        self._problem("RL006", f"`{shorten(text)}` is not a valid !!{want}", where, path)
        return text

    def _compare_with_yaml11(self, text: str, value: Any, where: Range, path: tuple) -> None:
        """A plain scalar YAML 1.1 reads otherwise (`1e3`, `017`, `1_000`, `1:20`): PyYAML, the
        loader most scripts that send a spec use, is the YAML 1.1 reader asked."""
        other = _yaml11_value(text)
        if other is None or type(other) is type(value) and (other == value or other != other and value != value):
            return  # the same (NaN being the same NaN)
        def shown(v: Any) -> str:
            return f'the string "{shorten(v)}"' if isinstance(v, str) else f"the number {shorten(repr(v))}"
        self._problem("RL018", f"`{shorten(text)}` is {shown(value)} in YAML 1.2 but {shown(other)} in YAML 1.1 "
                      "(PyYAML and others): quote it for a string, or write the number unambiguously",
                      where, path)
        self.problems[-1].fix = _written_as(value, where)

    def _number(self, text: str, where: Range, path: tuple) -> int | float | None:
        if _INT.match(text):
            if len(text.lstrip("+-")) > MAX_INT_DIGITS:
                self._problem("RL011", f"an integer of {len(text.lstrip('+-')):,} digits cannot be sent: "
                              f"runlint reads at most {MAX_INT_DIGITS:,}", where, path)
                return 0
            return int(text)
        if text.startswith(("0o", "0x")):
            try:
                return int(text[2:], 8 if text[1] == "o" else 16)
            except ValueError:
                return None
        if _FLOAT.match(text) or text in _SPECIAL_FLOATS:
            value = float(text.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf")
                          .replace(".nan", "nan").replace(".NaN", "nan").replace(".NAN", "nan"))
            if math.isinf(value) or math.isnan(value):
                self._problem("RL011", f"`{text}` is not a number JSON can carry (no NaN or infinity): "
                              "the request cannot be sent", where, path)
            return value
        return None

    # -- the event loop ----------------------------------------------------------------------
    def load(self) -> "YamlLoader":
        try:
            self._run(_Parser(self.text))
        except _NeedPositions:
            self.needs_positions = True
        except yaml.MarkedYAMLError as error:
            if not self.positions:
                self.needs_positions = True
                return self
            what, mark, width = _explain(error, self.text)
            where = self._range(mark, mark) if mark else Range.point(self.line_offset, 0)
            line, column = where.line, where.column
            stop = error.problem_mark or error.context_mark  # where the parser stopped: a next document follows it
            self.error_line = self._range(stop, stop).line if stop else line
            if "maximum nesting depth" in what:  # libyaml's own bound, past ours in flow style
                if not any(p.code == "RL009" for p in self.problems):
                    self._problem("RL009", "nesting deeper than the YAML parser reads (1,000 levels); "
                                  "the file cannot be read past here", Range.point(line, column))
                return self
            self._problem("RL001", f"YAML syntax error: {what}", Range(line, column, line, column + width))
        except yaml.YAMLError as error:  # reader errors: control characters and the like
            if not self.positions:
                self.needs_positions = True
                return self
            self._problem("RL001", f"YAML syntax error: {error}", Range.point(self.line_offset, 0))
            self.error_line = self.line_offset
        return self

    def _run(self, parser) -> None:
        stack: list[_Frame] = []
        anchors: dict[str, tuple[Any, int]] = {}
        positions = self.positions
        spans: Spans | None = {} if positions else None
        expanded = 0
        document_start = None
        skipping = 0  # > 0 while inside content deeper than MAX_DEPTH
        while True:
            event = parser.get_event()
            kind = type(event)
            if kind is ev.ScalarEvent or kind is ev.AliasEvent:
                if skipping:
                    continue
                if positions:
                    where, path = self._range(event.start_mark, event.end_mark), _child_path(stack)
                else:
                    where = path = None
                if kind is ev.ScalarEvent:
                    text = event.value
                    if event.tag is None and text and (not event.implicit[0] or (
                            (text[0] not in _MAYBE_NOT_STRING or text[0] in _LETTERS) and text not in _WORDS)):
                        value = text  # the common case, inline: a quoted or plainly textual string
                    else:
                        value = self._scalar(event, where, path)
                    size = 1
                    if event.anchor:
                        anchors[event.anchor] = (value, 1)
                else:
                    if event.anchor not in anchors:
                        self._problem("RL001", f"YAML syntax error: the alias `*{shorten(event.anchor)}` names no "
                                      "anchor defined before it", where, path)
                        value, size = None, 1
                    else:
                        value, size = anchors[event.anchor]
                        expanded += size
                        if expanded > MAX_ALIAS_EXPANSION:  # report once, then expand nothing more
                            if expanded - size <= MAX_ALIAS_EXPANSION:
                                self._problem("RL010", f"aliases expand to more than "
                                              f"{MAX_ALIAS_EXPANSION:,} nodes here; this and later aliases "
                                              "are not expanded (an alias bomb?)", where, path)
                            value, size = None, 1
                self._attach(stack, spans, value, size, where, plain=kind is ev.ScalarEvent and
                             event.implicit[0] and event.tag is None)
            elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                if skipping:
                    skipping += 1
                    continue
                if positions:
                    where, path = self._range(event.start_mark, event.end_mark), _child_path(stack)
                else:
                    where = path = None
                is_map = kind is ev.MappingStartEvent
                if len(stack) >= MAX_DEPTH:
                    self._problem("RL009", f"nesting deeper than {MAX_DEPTH} levels; the content below "
                                  "is not read", where, path)
                    skipping = 1
                    continue
                if event.tag not in (_MAP_TAGS if is_map else _SEQ_TAGS):
                    tag = shorten(_shown(event.tag))
                    self._problem("RL006", f"the YAML tag `{tag}` is not supported: a request body "
                                  "is plain JSON; nothing was constructed", where, path)
                parent = stack[-1] if stack else None
                stack.append(_Frame({} if is_map else [], path, where,
                                    parent.key_node if parent and isinstance(parent.container, dict)
                                    else None, bool(event.flow_style), event.anchor))
            elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                if skipping:
                    skipping -= 1
                    if not skipping:
                        self._attach(stack, spans, None, 1, self._range(event.end_mark, event.end_mark))
                    continue
                frame = stack.pop()
                if frame.merges:
                    self._merge(frame, spans)
                if not positions:
                    if frame.anchor:
                        anchors[frame.anchor] = (frame.container, frame.size)
                    self._attach(stack, spans, frame.container, frame.size, None)
                    continue
                start = frame.start
                if frame.flow or frame.last_end is None:
                    end = self._range(event.end_mark, event.end_mark)
                    end = (end.end_line, end.end_column)
                else:
                    end = frame.last_end
                where = Range(start.line, start.column, *end)
                if frame.anchor:
                    anchors[frame.anchor] = (frame.container, frame.size)
                self._attach(stack, spans, frame.container, frame.size, where)
            elif kind is ev.DocumentStartEvent:
                spans, stack, self._root = ({} if positions else None), [], None
                document_start = event.end_mark
            elif kind is ev.DocumentEndEvent:
                if positions:
                    root = spans.get((), (Range.point(self._range(event.start_mark, event.start_mark).line, 0),))
                    where = root[0]
                else:
                    where = self._range(document_start, event.start_mark)
                self.documents.append(YamlDocument(self._root, spans, where))
            elif kind is ev.StreamEndEvent:
                return

    def _attach(self, stack, spans, value, size, where: Range | None, plain: bool = False) -> None:
        if not stack:
            self._root = value
            if spans is not None:
                spans[()] = (where, None)
            return
        frame = stack[-1]
        frame.size += size
        container = frame.container
        if spans is not None:
            frame.last_end = (where.end_line, where.end_column)
        if isinstance(container, list):
            if spans is not None:
                spans[frame.path + (len(container),)] = (where, None)
            container.append(value)
            return
        if not frame.awaiting_value:  # this node is a key
            frame.awaiting_value = True
            frame.key_node, frame.key_plain, frame.skip_value = where, plain, False
            frame.key = self._key(value, where, frame.path)
            if frame.key is None:
                frame.skip_value = True
            return
        key, key_range = frame.key, frame.key_node
        frame.awaiting_value = False
        frame.key_node = None
        if frame.skip_value:
            return
        if key == "<<" and frame.key_plain:
            frame.merges.append((value, where))
            return
        if key in container:
            if spans is None:
                raise _NeedPositions
            first = spans[frame.path + (key,)][1]
            self._problem("RL002", f"duplicate key `{shorten(str(key))}` (first on line {first.line + 1}): the API "
                          "keeps only the last value", key_range, frame.path + (key,))
        container[key] = value
        if spans is not None:
            spans[frame.path + (key,)] = (where, key_range)

    def _key(self, value, where: Range, path: tuple) -> str | None:
        if isinstance(value, str):
            return value
        if isinstance(value, (dict, list)):
            self._problem("RL008", "a mapping or sequence used as a key has no JSON equivalent; this "
                          "entry is not read", where, path)
            return None
        text = "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
        self._problem("RL008", f"the key `{shorten(text)}` is not a string; JSON keys are strings, so it is read "
                      f"as \"{text}\": quote it to say so", where, path)
        return text

    def _merge(self, frame: _Frame, spans: Spans) -> None:
        """YAML merge keys (`<<: *base`): keys written in the mapping win, then earlier sources."""
        container = frame.container
        for source, where in frame.merges:
            sources = source if isinstance(source, list) else [source]
            if not all(isinstance(s, dict) for s in sources):
                self._problem("RL001", "a merge key (`<<`) takes a mapping or a list of mappings",
                              where, frame.path)
                continue
            taken = []
            for mapping in sources:
                for key, value in mapping.items():
                    if key not in container:
                        taken.append(key)
                        container[key] = value
                        if spans is not None:
                            spans[frame.path + (key,)] = (where, where)
            # JSON has no merge keys: say what the request carries once merged.
            keys = ", ".join(f"`{shorten(str(k))}`" for k in taken)
            brought = (keys + " into this mapping, as if written here" if taken
                       else "nothing: every key it holds is written here too")
            self._problem("RL016", f"the merge key (`<<`) brings {brought}", where, frame.path)


_YAML11_RESOLVER = yaml.resolver.Resolver()
_YAML11_CONSTRUCTOR = yaml.constructor.SafeConstructor()


def _yaml11_value(text: str) -> Any:
    """How PyYAML (YAML 1.1) reads a plain scalar that looks like a number."""
    tag = _YAML11_RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    if not tag.endswith((":int", ":float")):
        return text
    try:
        return _YAML11_CONSTRUCTOR.construct_object(yaml.ScalarNode(tag, text))
    except ValueError:  # past Python's int-string limit: RL011 says so
        return None


def _explain(error: yaml.MarkedYAMLError, text: str) -> tuple[str, Any, int]:
    """(what is wrong, in words; the mark to point at; how many characters there) for a syntax
    error. libyaml's problem mark is where it could go no further, often past the mistake: an
    unclosed quote is found at the end of the file, a key without `:` on the next line, an
    unclosed bracket wherever the next line broke the flow. Its context mark is where what it was
    reading began (the quote, the key, the bracket): there the mistake is."""
    problem, context = error.problem or "", error.context or ""
    at, start = error.problem_mark, error.context_mark
    if "quoted scalar" in context and start is not None:
        quote = text[start.index:start.index + 1] or '"'
        return f"this string's opening {quote} is never closed", start, 1
    if "simple key" in context and start is not None:
        key = text[start.index:].split("\n", 1)[0].rstrip()
        return "a key without `:` (a mapping's key is followed by `: ` and its value)", start, max(len(key), 1)
    if "flow" in context and start is not None and at is not None and (
            at.line > start.line or not text[at.index:].strip()):
        bracket = text[start.index:start.index + 1]
        closing = {"[": "]", "{": "}"}.get(bracket, "the closing bracket")
        return f"this `{bracket}` is never closed (expected `{closing}`)", start, 1
    if at is not None and ("tab character" in problem or (
            "cannot start any token" in problem and text[at.index:at.index + 1] == "\t")):
        tabs = len(text[at.index:]) - len(text[at.index:].lstrip("\t"))
        return "a tab indents this line: YAML indents with spaces only", at, max(tabs, 1)
    if problem.startswith("mapping values are not allowed") and at is not None:
        return ("a `: ` where no mapping can start: quote a value that holds `: `, or check this line's "
                "indentation"), at, 1
    if "cannot start any token" in problem and at is not None:
        char = text[at.index:at.index + 1]
        return f"the character {char} cannot start a plain value: quote the value", at, 1
    what = problem or context or "invalid YAML"
    if context and problem:
        what = f"{problem} ({context})"
    return what, at or start, 0


def _shown(tag: str) -> str:
    return "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag


def _child_path(stack: list[_Frame]) -> tuple:
    if not stack:
        return ()
    frame = stack[-1]
    if isinstance(frame.container, list):
        return frame.path + (len(frame.container),)
    if not frame.awaiting_value:
        return frame.path
    return frame.path + (frame.key,)


def _odd_breaks_index(text: str):
    """libyaml counts NEL, LS and PS as line breaks (YAML 1.1); editors, the LSP and runlint count
    only \\n, \\r\\n and \\r. Where a text holds one, positions come from character offsets."""
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        from .json_loader import LineIndex

        return LineIndex(text)
    return None


def _document_events(text: str, index: int):
    """The parser's events of document `index`, its DocumentStartEvent left out; they end where the
    stream does."""
    parser = _Parser(text)
    documents = 0
    while True:
        event = parser.get_event()
        kind = type(event)
        if kind is ev.StreamEndEvent:
            return
        if kind is ev.DocumentStartEvent:
            documents += 1
        elif documents - 1 == index:
            yield event


def locate_root_key(text: str, index: int, key: str) -> tuple[Range, Range] | None:
    """(value range, key range) of a top-level key whose value is a scalar, from the events alone,
    stopping at the key: most findings on clean files are about one top-level field, and this spares
    loading the file again with positions. None when only the full loader can say (a collection
    value, an alias or merge key at the top level)."""
    if _odd_breaks_index(text) is not None:
        return None  # rare: the full loader places them
    depth = 0
    expect_key = True
    key_range = None
    for event in _document_events(text, index):
        kind = type(event)
        if kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
            if depth == 1 and key_range is not None:
                return None  # the value is a collection
            depth += 1
            expect_key = True
        elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            depth -= 1
            if depth == 1:
                expect_key = True
            elif depth == 0:
                return None
        elif depth == 1:
            if kind is ev.AliasEvent and (expect_key or key_range is not None):
                return None
            where = Range(event.start_mark.line, event.start_mark.column, event.end_mark.line,
                          event.end_mark.column)
            if key_range is not None:
                return where, key_range
            if expect_key and event.value == key:
                key_range = where
            elif expect_key and event.value == "<<" and event.implicit[0]:
                return None  # a merge key: the full loader knows what it brings
            expect_key = not expect_key


def key_ranges(text: str, index: int, path: tuple) -> dict[str, Range] | None:
    """The range of every key of the mapping at `path` in document `index`, from the events alone
    (many unknown keys in one mapping need no position of anything else). None when only the
    full loader can say: no mapping there, an alias or a complex key on the way, a merge key."""
    if _odd_breaks_index(text) is not None:
        return None  # rare: the full loader places them
    stack: list[list] = []  # each open collection: [path, is mapping, expecting a key, key, items]
    found = None
    for event in _document_events(text, index):
        kind = type(event)
        if kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
            if stack.pop()[0] == path:
                return found
            continue
        if kind is ev.DocumentEndEvent:
            return None
        if kind not in (ev.ScalarEvent, ev.AliasEvent, ev.MappingStartEvent, ev.SequenceStartEvent):
            continue
        top = stack[-1] if stack else None
        if top is not None and top[1] and top[2]:  # a key
            if kind is not ev.ScalarEvent or (event.value == "<<" and event.implicit[0]):
                return None
            top[2], top[3] = False, event.value
            if top[0] == path:
                start, end = event.start_mark, event.end_mark
                line = start.line
                found[event.value] = Range(line, start.column, line if end.line == line else end.line,
                                           end.column)
            continue
        if top is None:
            node = ()
        elif top[1]:
            node, top[2] = top[0] + (top[3],), True
        else:
            node, top[4] = top[0] + (top[4],), top[4] + 1
        if kind is ev.AliasEvent and path[:len(node)] == node:
            return None
        if kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
            stack.append([node, kind is ev.MappingStartEvent, True, None, 0])
            if node == path:
                if kind is not ev.MappingStartEvent:
                    return None
                found = {}


def _written_as(value: Any, where: Range) -> Fix | None:
    """The fix of RL013 and RL018: the value YAML 1.2 reads, written so that YAML 1.1 reads it alike
    (a string quoted, a number in plain decimals)."""
    if isinstance(value, str):
        return Fix(f"Quote it: '{value}'", (Edit(where, "'" + value.replace("'", "''") + "'"),))
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value or value in (
            float("inf"), float("-inf")):
        return None
    shown = str(value) if isinstance(value, int) else repr(value)
    mantissa, e, exponent = shown.partition("e")
    if e and "." not in mantissa:
        shown = f"{mantissa}.0e{exponent}"  # YAML 1.1 reads a float only with a dot
    return Fix(f"Write it as {shown}", (Edit(where, shown),))
