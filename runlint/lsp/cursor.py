"""What the cursor is on: which mapping it is in, and whether it is writing a key or a value.

Text being typed is rarely valid, so the token under the cursor is replaced by a placeholder that
makes it a key (or a value) and the result is parsed; the placeholder's path says where the cursor
stands. YAML block style patches the current line. JSON and YAML flow collections (`{name: |}`) are
read by a small lexer up to the cursor, which knows whether a key or a value comes next and which
brackets are open: the placeholder goes in with a comma if one is missing, and when the text after
the cursor still does not parse, the open brackets are closed right after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..source.document import Document, load
from .parsed import yaml_source

MARK = "rl__cursor__"
_YAML_KEY = re.compile(r"^(\s*(?:-\s+)*)([A-Za-z0-9_.-]*)$")
_YAML_VALUE = re.compile(r"^(\s*(?:-\s+)*[A-Za-z0-9_.\"'-]+:\s+)([^\s#]*)$")
# where a flow collection may open on a YAML line: after dashes and a block key
_FLOW_START = re.compile(r"^\s*(?:-\s+)*(?:(?:\"[^\"]*\"|'[^']*'|[^\s\"'{\[#][^#]*?):\s+)?(?:-\s+)*(?=[{\[])")
_WORD = re.compile(r"[A-Za-z0-9_.$/-]*")


@dataclass
class Cursor:
    path: tuple  # the key's path when in_value, else the mapping's path
    in_value: bool
    prefix: str  # what is typed of the token so far (quotes stripped)
    document: Document
    start: int = 0  # the token's columns on the cursor's line: what a completion replaces
    end: int = 0
    quoted: bool = False  # JSON (or a quoted YAML token): completions carry their quotes


def find(text: str, line: int, column: int, syntax: str) -> Cursor | None:
    lines = text.split("\n")
    if not 0 <= line < len(lines):
        return None
    before = lines[line][:column]
    if syntax == "yaml":
        flow = _FLOW_START.match(before)
        if flow:
            state = _lex(before[flow.end():], yaml=True)
            if state is not None and state.frames:
                return _flow(lines, line, column, flow.end() + state.token_start, state, yaml=True)
        return _yaml(lines, line, before)
    if syntax == "jsonl":  # a batch file: the line is one request, read alone
        state = _lex(before, yaml=False)
        if state is None or not state.frames:
            return None
        return _flow([lines[line]], 0, column, state.token_start, state, yaml=False)
    if syntax == "json":
        offset = sum(len(text_line) + 1 for text_line in lines[:line]) + column
        state = _lex(text[:offset], yaml=False)
        if state is None or not state.frames:
            return None
        start = state.token_start - (offset - column)  # the token's column on this line
        if start < 0:
            return None  # a token spanning lines (a string with a line break): nothing to complete
        return _flow(lines, line, column, start, state, yaml=False)
    return None


def _yaml(lines: list[str], line: int, before: str) -> Cursor | None:
    value = _YAML_VALUE.match(before)
    key = _YAML_KEY.match(before)
    if value:
        patched = value.group(1) + MARK
        prefix, in_value = value.group(2), True
    elif key:
        patched = key.group(1) + MARK + ": 0"
        prefix, in_value = key.group(2), False
    else:
        return None
    text = "\n".join(lines[:line] + [patched] + lines[line + 1:])
    found = _placed(_load("cursor.yaml", text, "yaml"), in_value)
    if found is None:
        return None
    path, document = found
    column = len(before)
    quoted = prefix[:1] in ("'", '"')
    rest = lines[line][column:]
    end = column + len(_WORD.match(rest).group()) if in_value else column
    return Cursor(path, in_value, prefix.strip("\"'"), document, column - len(prefix), end, quoted)


# -- flow: JSON and YAML flow collections ----------------------------------------------------------
@dataclass
class _State:
    frames: list  # one per open bracket: [bracket, expecting] with expecting key/colon/value/comma
    token_start: int  # where the token being typed starts (the cursor when none is)
    token: str  # the token's text so far


_CLOSE = {"{": "}", "[": "]"}
_PLAIN_END = set(",:[]{}#")


def _lex(text: str, yaml: bool) -> _State | None:
    """The brackets open at the end of `text`, and what each expects next; None if it cannot be
    followed (a bracket closed that was never opened)."""
    frames: list = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
            continue
        if yaml and ch == "#" and (i == 0 or text[i - 1] in " \t"):
            newline = text.find("\n", i)
            if newline == -1:
                return None  # the cursor is in a comment
            i = newline
            continue
        if ch in "{[":
            if frames:
                _took_value(frames)
            frames.append([ch, "key" if ch == "{" else "value"])
            i += 1
        elif ch in "}]":
            if not frames or _CLOSE[frames[-1][0]] != ch:
                return None
            frames.pop()
            i += 1
        elif ch == ",":
            if frames:
                frames[-1][1] = "key" if frames[-1][0] == "{" else "value"
            i += 1
        elif ch == ":":
            if frames and frames[-1][1] == "colon":
                frames[-1][1] = "value"
            i += 1
        else:  # a scalar: a string, or a bare word
            start = i
            if ch in "\"'" and (ch == '"' or yaml):
                i = _string_end(text, i)
                if i is None:
                    return _State(frames, start, text[start:])  # typing inside the string
            else:
                while i < n and text[i] not in _PLAIN_END and text[i] not in " \t\r\n":
                    i += 1
                if yaml:  # a plain scalar may hold spaces; it ends at ': ' or a flow indicator
                    while i < n and text[i] in " \t" and i + 1 < n and text[i + 1] not in _PLAIN_END | {" ", "\t", "\n"}:
                        i += 1
                        while i < n and text[i] not in _PLAIN_END and text[i] not in " \t\r\n":
                            i += 1
            if i == n:
                return _State(frames, start, text[start:])  # the cursor touches the token
            if frames:
                _took_value(frames)
    return _State(frames, n, "")


def _took_value(frames: list) -> None:
    frame = frames[-1]
    frame[1] = "colon" if frame[1] == "key" else "comma"


def _string_end(text: str, i: int) -> int | None:
    quote = text[i]
    i += 1
    while i < len(text):
        if text[i] == "\\" and quote == '"':
            i += 2
            continue
        if text[i] == quote:
            if quote == "'" and text[i + 1:i + 2] == "'":  # YAML's '' escape
                i += 2
                continue
            return i + 1
        i += 1
    return None


def _flow(lines: list[str], line: int, column: int, start: int, state: _State, yaml: bool) -> Cursor | None:
    frame = state.frames[-1]
    expecting = frame[1]
    if frame[0] == "{" and expecting == "colon":
        return None  # after a whole key: only its colon can come
    in_value = frame[0] == "[" or expecting == "value"
    text_line = lines[line]
    quote = state.token[:1] if state.token[:1] in ("'", '"') else ""
    # the rest of the word under the cursor is replaced too; at the start of a key, it is the next key
    end = column + len(_WORD.match(text_line, column).group()) if state.token or in_value else column
    if quote and text_line[end:end + 1] == quote:
        end += 1  # an editor's closing quote, put in when the opening one was typed
    needs_comma = expecting == "comma"  # a new line started without the comma the last one needs
    placeholder = f'"{MARK}"' if not yaml else MARK
    inserted = ("," if needs_comma else "") + (placeholder if in_value else f"{placeholder}: 0")
    head = "\n".join(lines[:line] + [text_line[:start]])
    after = text_line[end:]
    rest = "\n".join([after] + lines[line + 1:])
    following = rest.lstrip()
    separator = "" if not following or following[0] in ",]}" or following.startswith("\n") else ", "
    closers = "".join(_CLOSE[f[0]] for f in reversed(state.frames))
    candidates = [head + inserted + separator + rest]
    if yaml:
        candidates.append(head + inserted + closers + "\n" + "\n".join(lines[line + 1:]))
    else:
        candidates.append(head + inserted + closers)
    syntax = "yaml" if yaml else "json"
    for candidate in candidates:
        found = _placed(_load(f"cursor.{syntax}", candidate, syntax), in_value)
        if found is not None:
            path, document = found
            return Cursor(path, in_value, state.token.strip("\"'"), document, start, end,
                          quoted=bool(quote) or not yaml)
    return None


def _load(file: str, text: str, syntax: str):
    """The patched text's documents, with spans (read in one pass when it can be)."""
    return (syntax == "yaml" and yaml_source(file, text)) or load(file, text, syntax)


def _placed(source, in_value: bool) -> tuple[tuple, Document] | None:
    for document in source.documents:
        for path in document.spans:
            if in_value and path and _value(document, path) == MARK:
                return path, document
            if not in_value and path and path[-1] == MARK:
                return path[:-1], document
    return None


def _value(document: Document, path: tuple):
    node = document.value
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node
