"""JSON to data with positions.

`json.loads` (C) reads the value: most files are fine and need no positions at all. Positions come
from `scan`, a small iterative scanner that runs only when something must be pointed at: a finding,
a duplicate key, a number JSON cannot carry, nesting too deep for the C parser.
"""

from __future__ import annotations

import json
import math
import re
import threading
from bisect import bisect_right
from typing import Any

from ..diagnostic import Diagnostic, Range, shorten
from .limits import MAX_DEPTH, MAX_INT_DIGITS

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
# A \u escape of half a surrogate pair with no other half next to it (a prefilter: `scan` decides).
_LONE_SURROGATE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
                             r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_WORD = re.compile(r"true|false|null|NaN|-?Infinity")


class LineIndex:
    """Offsets to (line, column), both 0-based."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset) - 1
        return line, offset - self.starts[line]

    def range(self, start: int, end: int) -> Range:
        return _range(*self.position(start), *self.position(end))


def _range(line: int, column: int, end_line: int, end_column: int) -> Range:
    """One int object for both lines of a one-line range: 12 MB fewer for 400,000 ranges."""
    return Range(line, column, line if end_line == line else end_line, end_column)


class _Unusual(Exception):
    """json.loads met something only the scanner can place: it reports it with a position."""


class _Decoder(threading.local):
    """One JSON decoder a thread, built once: json.loads with hooks builds a decoder each call,
    which costs as much as decoding a small request. The hooks note what only `scan` can place."""

    def __init__(self):
        self.unusual = False
        self.decode = json.JSONDecoder(object_pairs_hook=self._pairs, parse_constant=self._constant,
                                       parse_float=self._number).decode

    def _pairs(self, items):
        mapping = dict(items)
        if len(mapping) != len(items):  # a duplicate key
            self.unusual = True
        return mapping

    def _constant(self, _name):  # NaN, Infinity: not JSON; read as null
        self.unusual = True
        return None

    def _number(self, text):
        value = float(text)
        if math.isinf(value):
            self.unusual = True
        return value


_CHECKING = _Decoder()


def load_json(text: str) -> tuple[Any, list[Diagnostic], bool]:
    """Returns (value, syntax problems, whether `scan` must run for positioned problems)."""
    decoder = _CHECKING
    decoder.unusual = False
    try:
        value = decoder.decode(text)
    except json.JSONDecodeError as error:
        message, start, end = explain_error(text, error)
        where = LineIndex(text).range(start, end)
        return None, [Diagnostic("RL001", "", None, f"JSON syntax error: {message}", where)], False
    except (RecursionError, ValueError):  # nesting beyond the C parser, integers past Python's limit
        return None, [], True
    unusual = decoder.unusual
    # Only a text with that many brackets can nest too deeply; str.count is nearly free.
    if text.count("[") + text.count("{") > MAX_DEPTH and _cut_below_max_depth(value):
        unusual = True
    if "\\u" in text and _LONE_SURROGATE.search(text):
        unusual = True  # `scan` reports them; the checks get U+FFFD in their place
        value = _replace_surrogates(value)
    return value, [], unusual


def explain_error(text: str, error: json.JSONDecodeError) -> tuple[str, int, int]:
    """(what is wrong, in words, and the offsets of what to point at) for a JSON syntax error.
    The decoder stops where it can go no further, which is often past the mistake: a trailing comma
    is reported as a missing name on the next line, an unclosed brace at the end of the file. The
    mistake is where a person would mend it: the comma, the opener, the place of a missing comma."""
    pos, reason = error.pos, error.msg
    before = len(text[:pos].rstrip(" \t\r\n")) - 1  # the last character before the stop
    prev = text[before] if before >= 0 else ""
    here = text[pos] if pos < len(text) else ""
    at_end = not text[pos:].strip()
    if reason.startswith("Expecting property name"):
        if prev == ",":
            return "trailing comma: an object takes no comma after its last member", before, before + 1
        if at_end:
            return _unclosed(text, pos)
        if here == "'":
            return "a key is written in double quotes, not single ones", pos, pos + 1
        return "a key must be a string in double quotes", pos, _word_end(text, pos)
    if reason.startswith("Expecting value"):
        if prev == "," and here in "]}" and here:
            return "trailing comma: an array takes no comma after its last item", before, before + 1
        if at_end:
            return _unclosed(text, pos) if _openers(text, pos) != [] else ("no JSON value", pos, pos)
        if prev == ":" and here in ",}":
            start = _string_start(text, len(text[:before].rstrip(" \t\r\n")) - 1)
            if start is not None:
                return "the key has no value after its `:`", start, len(text[:before].rstrip(" \t\r\n"))
        if here == "'":
            return "a string is written in double quotes, not single ones", pos, pos + 1
        end = _word_end(text, pos)
        return f"`{text[pos:end]}` is not a JSON value", pos, end
    if reason.startswith("Expecting ',' delimiter"):
        if at_end:
            return _unclosed(text, pos)
        openers = _openers(text, pos)
        if openers is None:
            return "expecting `,`", pos, pos
        if here in "]}" and openers:
            opener = openers[-1]
            line, column = LineIndex(text).position(opener)
            return (f"`{here}` cannot close the `{text[opener]}` opened on line {line + 1}, column {column + 1}",
                    pos, pos + 1)
        inside = "members of an object" if openers and text[openers[-1]] == "{" else "items of an array"
        return f"a comma is missing between two {inside}", before + 1, before + 1
    if reason.startswith("Expecting ':' delimiter"):
        if at_end:
            return _unclosed(text, pos)
        start = _string_start(text, before) if prev == '"' else None
        if start is not None:
            return "the key has no `:` and value after it", start, before + 1
        return "a `:` is missing after the key", pos, pos
    if reason.startswith("Unterminated string"):
        return "the string is never closed (its closing double quote is missing)", pos, pos + 1
    if reason.startswith("Invalid control character") and here in "\r\n":
        start = _string_start(text, pos)
        return ("the string is not closed on its line (a JSON string cannot span lines: write \\n)",
                start if start is not None else pos, pos)
    if reason.startswith("Extra data") and here in "]}":
        return f"`{here}` closes nothing: every bracket before it is closed already", pos, pos + 1
    if reason.startswith("Extra data"):
        return "more after the JSON value has ended (a file holds one value)", pos, _word_end(text, pos)
    return reason[0].lower() + reason[1:], pos, pos


def _openers(text: str, end: int) -> list[int] | None:
    """Offsets of the brackets still open at `end` (strings skipped), outermost first; None past
    _SCANNED_FOR_BRACKETS characters (a step a bracket or string: a second for a few MiB)."""
    if end > _SCANNED_FOR_BRACKETS:
        return None
    stack: list[int] = []
    for match in _BRACKET_OR_STRING.finditer(text, 0, end):
        char = match.group()
        if char in "{[":
            stack.append(match.start())
        elif char in "}]" and stack:
            stack.pop()
    return stack


_SCANNED_FOR_BRACKETS = 4 * 1024 * 1024
_BRACKET_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]', re.S)


def _unclosed(text: str, pos: int) -> tuple[str, int, int]:
    """The file ended with a bracket open: point at the innermost, the first one to close."""
    openers = _openers(text, pos)
    if not openers:  # none, or the file too large to look for them
        return "the file ends before the JSON value does", pos, pos
    opener = openers[-1]
    return f"this `{text[opener]}` is never closed", opener, opener + 1


def _string_start(text: str, end: int) -> int | None:
    """The offset of the opening quote of the string that ends at `end` (its closing quote, or
    the end of its line when it is left open), on the same line."""
    index = end - 1
    while index >= 0 and text[index] != "\n":
        if text[index] == '"':
            slashes = len(text[:index]) - len(text[:index].rstrip("\\"))
            if slashes % 2 == 0:
                return index
        index -= 1
    return None


def _word_end(text: str, start: int) -> int:
    """The end of the token starting at `start` (up to 40 characters, never past its line)."""
    match = re.compile(r"[^\s,:{}\[\]]{1,40}").match(text, start)
    return match.end() if match else min(start + 1, len(text))


def _replace_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub("[\ud800-\udfff]", "\ufffd", value)
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    return value


def _not_unicode(text: str) -> bool:
    return any("\ud800" <= c <= "\udfff" for c in text)


def _cut_below_max_depth(value: Any) -> bool:
    """Replace what nests deeper than MAX_DEPTH by null, as the YAML loader does; True if any."""
    if not isinstance(value, (dict, list)):
        return False
    cut = False
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        children = node.items() if isinstance(node, dict) else enumerate(node)
        for key, child in list(children):
            if isinstance(child, (dict, list)):
                if depth >= MAX_DEPTH:
                    node[key] = None
                    cut = True
                else:
                    stack.append((child, depth + 1))
    return cut


def scan(text: str, want_problems: bool = True) -> tuple[dict, list[Diagnostic]]:
    """Positions of every key and value of a syntactically valid JSON text, and the problems
    json.loads cannot place: duplicate keys, NaN/Infinity, overflowing numbers, deep nesting."""
    lines = LineIndex(text)
    spans: dict = {}
    problems: list[Diagnostic] = []

    def problem(code: str, message: str, start: int, end: int, path: tuple) -> None:
        if want_problems:
            problems.append(Diagnostic(code, "", None, message, lines.range(start, end), path))

    # Each frame: [path, start offset, key range or None, is_object, count, keys seen, pending key]
    stack: list[list] = []
    pos = _WS.match(text, 0).end()
    too_deep_at = None  # depth at which content stopped being recorded
    key_start = key_end = 0
    expect_key = False
    while pos < len(text):
        ch = text[pos]
        frame = stack[-1] if stack else None
        if frame is not None and frame[3] and expect_key and ch == '"':
            m = _STRING.match(text, pos)
            token = m.group()
            key = token[1:-1] if "\\" not in token else json.loads(token)
            if "\\u" in token and _not_unicode(key):
                problem("RL017", "this key holds half of a UTF-16 surrogate pair: it is not Unicode text",
                        pos, m.end(), frame[0])
                key = _replace_surrogates(key)  # as in the value the checks see
            key_start, key_end = pos, m.end()
            frame[6] = (key, None if too_deep_at is not None else lines.range(key_start, key_end))
            if too_deep_at is None and key in frame[5]:
                first = frame[5][key]
                problem("RL002", f"duplicate key `{shorten(key)}` (first on line {first + 1}): the API keeps only "
                        "the last value", key_start, key_end, frame[0] + (key,))
            if too_deep_at is None:
                frame[5][key] = lines.position(key_start)[0]
            pos = _WS.match(text, m.end()).end()
            pos = _WS.match(text, pos + 1).end()  # the colon
            expect_key = False
            continue
        if ch in "}]":
            done = stack.pop()
            if too_deep_at is None:
                spans[done[0]] = (lines.range(done[1], pos + 1), done[2])
            elif len(stack) < too_deep_at:
                too_deep_at = None
            end = pos + 1
        else:
            if too_deep_at is not None:
                path, key_range = None, None  # below the limit: no positions, no quadratic paths
            elif frame is None:
                path, key_range = (), None
            elif frame[3]:
                path, key_range = frame[0] + (frame[6][0],), frame[6][1]
            else:
                path, key_range = frame[0] + (frame[4],), None
            if ch in "{[":
                if too_deep_at is None and len(stack) >= MAX_DEPTH:
                    too_deep_at = len(stack)
                    problem("RL009", f"nesting deeper than {MAX_DEPTH} levels; the content below is "
                            "not read", pos, pos + 1, path)
                stack.append([path, pos, key_range, ch == "{", 0, {}, None])
                pos = _WS.match(text, pos + 1).end()
                expect_key = ch == "{"
                continue
            if ch == '"':
                end = _STRING.match(text, pos).end()
                if "\\u" in text[pos:end] and _not_unicode(json.loads(text[pos:end])):
                    problem("RL017", "this string holds half of a UTF-16 surrogate pair (a lone `\\uD8xx`"
                            "-`\\uDFxx` escape): it is not Unicode text, and the request cannot carry it",
                            pos, end, path)
            else:
                m = _NUMBER.match(text, pos)
                if m and not text.startswith("-Infinity", pos):
                    end = m.end()
                    literal = m.group()
                    digits = len(literal.lstrip("-").split(".")[0].split("e")[0].split("E")[0])
                    if digits > MAX_INT_DIGITS and literal.lstrip("-").isdigit():
                        problem("RL011", f"an integer of {digits:,} digits cannot be sent: runlint "
                                f"reads at most {MAX_INT_DIGITS:,}", pos, end, path)
                    elif not literal.lstrip("-").isdigit() and math.isinf(float(literal)):
                        problem("RL011", f"`{shorten(literal)}` overflows a 64-bit float: JSON readers "
                                "turn it into infinity, which the request cannot carry", pos, end, path)
                else:
                    m = _WORD.match(text, pos)
                    end = m.end() if m else pos + 1
                    if m and m.group() not in ("true", "false", "null"):
                        problem("RL011", f"`{m.group()}` is not JSON: the request cannot carry NaN "
                                "or infinity", pos, end, path)
            if too_deep_at is None:
                spans[path] = (lines.range(pos, end), key_range)
        # after a value: a comma or the container's end
        if stack:
            stack[-1][4] += 1
        pos = _WS.match(text, end).end()
        if pos < len(text) and text[pos] == ",":
            pos = _WS.match(text, pos + 1).end()
            expect_key = bool(stack) and stack[-1][3]
        else:
            expect_key = False
    return spans, problems


_DECODER = json.JSONDecoder()


class _Forward:
    """Offsets to positions, for offsets that only grow: each newline is counted once (counting
    from the start for each key made a file of many keys quadratic)."""

    def __init__(self, text: str):
        self.text = text
        self.offset = self.line = self.line_start = 0

    def position(self, offset: int) -> tuple[int, int]:
        newlines = self.text.count("\n", self.offset, offset)
        if newlines:
            self.line += newlines
            self.line_start = self.text.rfind("\n", self.offset, offset) + 1
        self.offset = offset
        return self.line, offset - self.line_start

    def range(self, start: int, end: int) -> Range:
        return _range(*self.position(start), *self.position(end))


def root_key_spans(text: str) -> dict[str, tuple[Range, Range]]:
    """(value range, key range) of every top-level key, without scanning the whole text: the values
    between are skipped by the C decoder. Called on text json.loads has already accepted."""
    found: dict[str, tuple[Range, Range]] = {}
    forward = _Forward(text)
    pos = _WS.match(text, 0).end()
    if text[pos:pos + 1] != "{":
        return found
    pos = _WS.match(text, pos + 1).end()
    while text[pos:pos + 1] == '"':
        name, key_end = json.decoder.scanstring(text, pos + 1)
        value_start = _WS.match(text, _WS.match(text, key_end).end() + 1).end()  # past the colon
        _, value_end = _DECODER.raw_decode(text, value_start)
        key_range = forward.range(pos, key_end)
        found[name] = (forward.range(value_start, value_end), key_range)
        pos = _WS.match(text, value_end).end()
        if text[pos:pos + 1] != ",":
            break
        pos = _WS.match(text, pos + 1).end()
    return found


def key_ranges(text: str, path: tuple) -> dict[str, Range] | None:
    """The range of every key of the object at `path`, the values on the way skipped by the C
    decoder (many unknown keys in one object need no position of anything else). None when
    there is no object there. Called on text json.loads has already accepted."""
    try:
        pos = _WS.match(text, 0).end()
        for part in path:
            pos = _child(text, pos, part)
            if pos is None:
                return None
        if text[pos:pos + 1] != "{":
            return None
        forward = _Forward(text)
        found = {}
        for name, key_start, key_end, _ in _members(text, pos):
            found[name] = forward.range(key_start, key_end)
        return found
    except (ValueError, RecursionError):  # nothing json.loads accepted; the scanner decides
        return None


def _members(text: str, pos: int):
    """(name, key start, key end, value start) of each member of the object at `pos` (each value
    skipped by the C decoder once it is given)."""
    pos = _WS.match(text, pos + 1).end()
    while text[pos:pos + 1] == '"':
        name, key_end = json.decoder.scanstring(text, pos + 1)
        value_start = _WS.match(text, _WS.match(text, key_end).end() + 1).end()  # past the colon
        yield name, pos, key_end, value_start
        _, value_end = _DECODER.raw_decode(text, value_start)
        pos = _WS.match(text, value_end).end()
        if text[pos:pos + 1] != ",":
            return
        pos = _WS.match(text, pos + 1).end()


def _child(text: str, pos: int, part) -> int | None:
    """Where the value of member or item `part` of the container at `pos` starts (the last of
    duplicate keys, as json.loads keeps it)."""
    if text[pos:pos + 1] == "{" and isinstance(part, str):
        found = None
        for name, _, _, value_start in _members(text, pos):
            if name == part:
                found = value_start
        return found
    if text[pos:pos + 1] == "[" and isinstance(part, int):
        pos = _WS.match(text, pos + 1).end()
        for _ in range(part):
            _, end = _DECODER.raw_decode(text, pos)
            pos = _WS.match(text, end).end()
            if text[pos:pos + 1] != ",":
                return None
            pos = _WS.match(text, pos + 1).end()
        return pos if text[pos:pos + 1] not in ("]", "") else None
    return None
