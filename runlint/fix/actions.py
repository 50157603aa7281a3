"""The fixes a rule file asks for (`fix: {action: rename | remove}`), as text edits of one document.

An edit touches the field's own text only: its key (a rename) or its entry, with the comma or the
line it stands on (a removal). What cannot be done that way (a key that shares its line with its
sequence's dash, a mapping left empty) gets no fix rather than a guess.
"""

from __future__ import annotations

import re

from ..diagnostic import Diagnostic, Edit, Fix, Range
from ..path import Path
from ..source.document import Document


def attach(diagnostics: list[Diagnostic], document: Document, actions: dict[str, list[dict]]) -> None:
    """Give each finding of a rule with an action its fix (when one can be made): of the rule's
    fixes, the first whose `message_has` the finding's message has (or that has none)."""
    for d in diagnostics:
        specs = actions.get(d.code)
        if not specs or d.fix is not None:
            continue
        spec = next((s for s in specs if not s.get("message_has") or s["message_has"] in d.message), None)
        if spec is None:
            continue
        path = path_in(document.value, d.pointer)
        if spec["action"] in ("rename", "remove") and (not path or not isinstance(path[-1], str)):
            continue
        if spec["action"] == "rename":
            d.fix = rename(document, path, spec["to"])
        elif spec["action"] == "functions-to-tools":
            d.fix = functions_to_tools(document)
        elif spec["action"] == "json-instruction":
            d.fix = json_instruction(document)
        elif spec["action"] == "set":
            d.fix = set_key(document, path, spec["key"], spec.get("value"))
        elif spec["action"] == "require-nullable":
            d.fix = require_nullable(document, path)
        elif spec["action"] == "suggested":
            d.fix = suggested(document, path, d.message)
        else:
            d.fix = remove(document, path)


def path_in(value, pointer: str) -> tuple:
    """The pointer's parts, list indexes as ints (as the document's spans have them)."""
    return Path.from_pointer(pointer, value)


def _parent(document: Document, path: tuple):
    node = document.value
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node if isinstance(node, dict) else None


def _entry(document: Document, path: tuple) -> tuple[Range, Range] | None:
    """(key range, value range) of a mapping entry, or None."""
    entry = document.spans.get(path)
    if entry is None or entry[1] is None:
        return None
    return entry[1], entry[0]


def rename(document: Document, path: tuple, new: str) -> Fix | None:
    parent = _parent(document, path)
    entry = _entry(document, path)
    if parent is None or entry is None or new in parent or path[-1] not in parent:
        return None
    key = document.scalar_content(entry[0])
    if document.text_at(key) != path[-1]:
        return None  # an escaped or folded key: its text is not its name
    return Fix(f"Rename `{path[-1]}` to `{new}`", renamed(document, path, key, new))


def renamed(document: Document, path: tuple, key: Range, new: str) -> tuple[Edit, ...]:
    """The edits that rename the key at `key` to `new`; a comment after the value on the same line
    keeps its column when the spaces before it allow (a longer name takes from them, a shorter gives)."""
    edits = [Edit(key, new)]
    entry = document.spans.get(path) if document.syntax == "yaml" else None
    if entry is not None and entry[0].line == entry[0].end_line == key.line:
        line = document.lines[key.line]
        end = entry[0].end_column
        rest = line[end:]
        spaces = len(rest) - len(rest.lstrip(" "))
        if spaces and rest[spaces:].startswith("#"):
            delta = len(new) - (key.end_column - key.column)
            keep = max(1, spaces - delta)
            if keep != spaces:
                edits.append(Edit(Range(key.line, end, key.line, end + spaces), " " * keep))
    return tuple(edits)


def _offset(lines: list[str], line: int, column: int) -> int:
    return sum(len(text) + 1 for text in lines[:line]) + column


def remove(document: Document, path: tuple) -> Fix | None:
    parent = _parent(document, path)
    entry = _entry(document, path)
    if parent is None or entry is None or path[-1] not in parent:
        return None
    if len(parent) < 2:  # the mapping would be left empty (null, in YAML): it goes with its field
        if len(path) >= 2 and isinstance(path[-2], str) and _parent(document, path[:-1]) is not None:
            outer = remove(document, path[:-1])
            if outer is not None:
                shown = ".".join(str(p) for p in path[-2:])
                return Fix(f"Remove `{path[-2]}` (with its only field, `{shown}`)", outer.edits)
        return None
    text, lines = document.text, document.lines
    key, value = entry
    start, end = _offset(lines, key.line, key.column), _offset(lines, value.end_line, value.end_column)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end == -1 else line_end
    before, after = text[line_start:start], text[end:line_end]
    alone = not before.strip()
    if document.syntax == "yaml" and alone and (not after.strip() or after.lstrip().startswith("#")):
        cut = (line_start, min(line_end + 1, len(text)))  # block style: the entry's lines
    else:
        follow = end
        while follow < len(text) and text[follow] in " \t\r\n":
            follow += 1
        if follow < len(text) and text[follow] == ",":
            stop = follow + 1
            if alone:  # on its own line: that whole line goes
                while stop < len(text) and text[stop] in " \t":
                    stop += 1
                if text.startswith("\r\n", stop):
                    stop += 2
                elif text.startswith("\n", stop):
                    stop += 1
                else:
                    line_start = start
                cut = (line_start if text[stop - 1] == "\n" else start, stop)
            else:
                while stop < len(text) and text[stop] in " \t":
                    stop += 1
                cut = (start, stop)
        else:  # the last entry: the comma before it goes
            back = start - 1
            while back >= 0 and text[back] in " \t\r\n":
                back -= 1
            if back < 0 or text[back] != ",":
                return None
            cut = (back, end)
    return Fix(f"Remove `{path[-1]}`", (Edit(Range.of_offsets(text, *cut), ""),))


def _node(document: Document, path: tuple):
    node = document.value
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def set_key(document: Document, path: tuple, key: str, value, shown: str | None = None) -> Fix | None:
    """`key: value` added to the mapping at `path` (when it lacks the key), after its last entry, in
    the mapping's own style: a line at its keys' indentation (a block mapping), or one more entry
    before the closing brace (a flow mapping, JSON)."""
    import json

    node = _node(document, path)
    entry = document.spans.get(path)
    if not isinstance(node, dict) or key in node or entry is None:
        return None
    text, lines = document.text, document.lines
    where = entry[0]
    start, end = _offset(lines, where.line, where.column), _offset(lines, where.end_line, where.end_column)
    children = [document.spans.get(path + (k,)) for k in node]
    if any(c is None or c[1] is None for c in children):
        return None
    shown_value = json.dumps(value) if shown is None else shown  # `shown`: the value as YAML writes it
    title = f"Add `{key}: {shown_value}`"
    if text[start:start + 1] == "{":  # flow mapping (or JSON object)
        if text[end - 1:end] != "}":
            return None
        shown_key = json.dumps(key) if document.syntax == "json" else key
        item = f"{shown_key}: {shown_value}"
        if not children:
            return Fix(title, (Edit(Range.of_offsets(text, end - 1, end - 1), item),))
        last_key, last_value = max(((c[1], c[0]) for c in children), key=lambda kv: (kv[1].end_line, kv[1].end_column))
        after = _offset(lines, last_value.end_line, last_value.end_column)
        key_line_start = text.rfind("\n", 0, _offset(lines, last_key.line, last_key.column)) + 1
        indent = text[key_line_start:_offset(lines, last_key.line, last_key.column)]
        on_own_line = last_key.line > where.line and not indent.strip()
        new = f",\n{indent}{item}" if on_own_line else f", {item}"
        if on_own_line and lines[last_key.line].endswith("\r"):
            new = f",\r\n{indent}{item}"
        return Fix(title, (Edit(Range.of_offsets(text, after, after), new),))
    if not children or document.syntax != "yaml":
        return None
    indent = where.column
    last = max((c[0] for c in children), key=lambda r: (r.end_line, r.end_column))
    line = lines[last.end_line]
    newline = "\r\n" if line.endswith("\r") else "\n"
    item = " " * indent + f"{key}: {shown_value}"
    if last.end_line + 1 < len(lines):
        at = Range(last.end_line + 1, 0, last.end_line + 1, 0)
        return Fix(title, (Edit(at, item + newline),))
    at = Range(last.end_line, len(line), last.end_line, len(line))
    return Fix(title, (Edit(at, newline + item),))


def _wrapped(document: Document, path: tuple, column_of_block: int | None = None) -> list[Edit] | None:
    """The edits that make the mapping at `path` the `function` of `{type: function, function: ...}`."""
    entry = document.spans.get(path)
    if entry is None or not isinstance(_node(document, path), dict):
        return None
    where = entry[0]
    lines = document.lines
    json_style = document.syntax == "json"
    if lines[where.line][where.column:where.column + 1] == "{":  # flow: wrapped in place
        head = '{"type": "function", "function": ' if json_style else "{type: function, function: "
        return [Edit(Range.point(where.line, where.column), head), Edit(Range.point(where.end_line, where.end_column), "}")]
    if json_style:
        return None
    column = where.column
    newline = "\r\n" if lines[where.line].endswith("\r") else "\n"
    edits = [Edit(Range.point(where.line, column),
                  f"type: function{newline}{' ' * column}function:{newline}{' ' * (column + 2)}")]
    for number in range(where.line + 1, where.end_line + 1):
        if lines[number].strip():
            edits.append(Edit(Range.point(number, 0), "  "))
    return edits


def functions_to_tools(document: Document) -> Fix | None:
    """RL221: `functions: [f, ...]` -> `tools: [{type: function, function: f}, ...]`, and
    `function_call` -> `tool_choice` (a `{name}` wrapped the same way; `auto` and `none` kept)."""
    value = document.value
    if "tools" in value or "tool_choice" in value:
        return None
    edits: list[Edit] = []
    functions = value.get("functions")
    if functions is not None:
        if not isinstance(functions, list):
            return None
        rename_edit = rename(document, ("functions",), "tools")
        if rename_edit is None:
            return None
        edits += rename_edit.edits
        for index in range(len(functions)):
            wrapped = _wrapped(document, ("functions", index))
            if wrapped is None:
                return None
            edits += wrapped
    call = value.get("function_call")
    if call is not None:
        rename_edit = rename(document, ("function_call",), "tool_choice")
        if rename_edit is None:
            return None
        edits += rename_edit.edits
        if isinstance(call, dict):
            wrapped = _wrapped(document, ("function_call",))
            if wrapped is None:
                return None
            edits += wrapped
        elif call not in ("auto", "none"):
            return None
    if not edits:
        return None
    return Fix("Move `functions` to `tools` (and `function_call` to `tool_choice`)", tuple(edits))


JSON_INSTRUCTION = "Respond in JSON."


def json_instruction(document: Document) -> Fix | None:
    """RL201: a sentence asking for JSON where the API reads it. Chat: appended to a first system or
    developer message, else a system message put first; Responses: appended to a string `input`, else
    a developer message put first in the input list; create-run: `additional_instructions` (added
    to the assistant's instructions, whatever they are). A thread-and-run request has no such field
    (its `instructions` replace the assistant's): no fix."""
    value = document.value
    kind = getattr(document, "kind", None)
    if kind == "create-run":
        if "additional_instructions" in value:
            return _appended(document, ("additional_instructions",))
        return set_key(document, (), "additional_instructions", JSON_INSTRUCTION,
                       shown=JSON_INSTRUCTION if document.syntax == "yaml" else None)
    if kind == "chat-completion":
        messages = value.get("messages")
        if not isinstance(messages, list) or not messages:
            return None
        first = messages[0]
        if isinstance(first, dict) and first.get("role") in ("system", "developer") \
                and isinstance(first.get("content"), str):
            fix = _appended(document, ("messages", 0, "content"))
            if fix is not None:
                return fix
        return _put_first(document, ("messages",), "system")
    if kind == "response":
        given = value.get("input")
        if isinstance(given, str):
            return _appended(document, ("input",))
        if isinstance(given, list) and given:
            return _put_first(document, ("input",), "developer")
    return None


def _appended(document: Document, path: tuple) -> Fix | None:
    """The sentence at the end of the one-line string at `path` (plain, quoted or JSON)."""
    entry = document.spans.get(path)
    text = _node(document, path)
    if entry is None or not isinstance(text, str) or entry[0].line != entry[0].end_line:
        return None
    where = entry[0]
    shown = document.text_at(where)
    if not shown or shown[0] in "|>":
        return None  # a block scalar: its lines are the person's to place
    inner = document.scalar_content(where)
    if inner == where and (shown[0] in "\"'{[&*!" or document.syntax != "yaml"):
        return None
    if document.text_at(inner).rstrip() != text.rstrip():
        return None  # escapes or folding: the text shown is not the value
    stripped = text.rstrip()
    sentence = (" " if not stripped or stripped[-1] in ".!?:" else ". ") + JSON_INSTRUCTION
    sentence = sentence.lstrip() if not stripped else sentence
    end = inner.column + len(document.text_at(inner).rstrip())
    title = f"Add \"{JSON_INSTRUCTION}\" to `{'.'.join(map(str, path))}`"
    return Fix(title, (Edit(Range.point(where.line, end), sentence),))


def _put_first(document: Document, path: tuple, role: str) -> Fix | None:
    """`{role, content: the sentence}` as the first item of the sequence at `path`, in its style."""
    import json

    first = document.spans.get(path + (0,))
    if first is None:
        return None
    where = first[0]
    lines = document.lines
    line = lines[where.line]
    newline = "\r\n" if line.endswith("\r") else "\n"
    before = line[:where.column]
    if document.syntax == "json":
        item = json.dumps({"role": role, "content": JSON_INSTRUCTION})
    else:
        item = f"{{role: {role}, content: {JSON_INSTRUCTION}}}"
    title = f"Put a {role} message first: \"{JSON_INSTRUCTION}\""
    if document.syntax == "yaml" and before.strip() == "-" and line[where.column:where.column + 1] != "{":
        # a block mapping after its dash: the new item written the same way
        inner = " " * where.column
        new = f"{before}role: {role}{newline}{inner}content: {JSON_INSTRUCTION}{newline}"
        return Fix(title, (Edit(Range.point(where.line, 0), new),))
    if document.syntax == "yaml" and before.strip() == "-":
        return Fix(title, (Edit(Range.point(where.line, 0), f"{before}{item}{newline}"),))
    if before.strip() and not before.rstrip().endswith("["):
        return None
    if not before.strip():  # the first item on its own line: the new one on a line of its own before it
        return Fix(title, (Edit(Range.point(where.line, where.column), f"{item},{newline}{before}"),))
    return Fix(title, (Edit(Range.point(where.line, where.column), f"{item}, "),))


_YAML_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"})


def _yaml_plain(name: str) -> bool:
    """Whether `name` reads as itself, a string, written plain in a YAML flow or block sequence."""
    import re

    return bool(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", name)) and name.lower() not in _YAML_WORDS


def _admits_null(schema: dict) -> bool:
    """Whether the property's schema already lets the value be null (as written: its type, an
    `anyOf` branch, its `enum` or `const`)."""
    kind = schema.get("type")
    if kind == "null" or isinstance(kind, list) and "null" in kind:
        return True
    if isinstance(schema.get("anyOf"), list) and any(
            isinstance(b, dict) and _admits_null(b) for b in schema["anyOf"]):
        return True
    if isinstance(schema.get("enum"), list) and None in schema["enum"]:
        return True
    return "const" in schema and schema["const"] is None


def require_nullable(document: Document, path: tuple) -> Fix | None:
    """RL210: the property at `path` (`.../properties/NAME`) listed in its object's `required`, and
    made nullable (`type: T` -> `type: [T, "null"]`), so that it is still optional in meaning
    (sent as null) the way strict mode allows. A property that admits null already is only listed.
    One that cannot be made nullable by its `type` alone (no plain `type`, or an `enum` or `const`
    without null) gets no fix: listing it alone would make a real value of it mandatory."""
    if len(path) < 2 or path[-2] != "properties" or not isinstance(path[-1], str):
        return None
    name, obj = path[-1], path[:-2]
    schema = _node(document, path)
    node = _node(document, obj)
    if not isinstance(schema, dict) or not isinstance(node, dict):
        return None
    edits: list[Edit] = []
    if not _admits_null(schema):
        kind = schema.get("type")
        if not isinstance(kind, str) or "enum" in schema or "const" in schema:
            return None
        entry = document.spans.get(path + ("type",))
        if entry is None or entry[0].line != entry[0].end_line:
            return None
        written = document.text_at(entry[0])
        inner = document.text_at(document.scalar_content(entry[0]))
        if inner != kind:
            return None  # escapes, or a tag: what is written is not the value
        if document.syntax == "json":
            shown_null = '"null"'
        else:
            shown_null = '"null"' if written.startswith('"') else "'null'"
        edits.append(Edit(entry[0], f"[{written}, {shown_null}]"))
    listed = _required_edit(document, obj, name)
    if listed is None:
        return None
    edits.append(listed)
    edits = _comments_kept(document, edits)
    title = f"List `{name}` in `required`" + ("" if len(edits) == 1 else f" and make it nullable (`type: [{schema['type']}, \"null\"]`)")
    return Fix(title, tuple(edits))


def _comments_kept(document: Document, edits: list[Edit]) -> list[Edit]:
    """A YAML comment after the edited text on the same line keeps its column when the spaces
    before it allow (the last edit on the line takes them in: a longer text takes from them)."""
    if document.syntax != "yaml":
        return edits
    edits = list(edits)
    for line in {e.range.line for e in edits if e.range.line == e.range.end_line}:
        on_line = [e for e in edits if e.range.line == e.range.end_line == line]
        if len(on_line) != len([e for e in edits if line in (e.range.line, e.range.end_line)]):
            continue
        delta = sum(len(e.new_text) - (e.range.end_column - e.range.column) for e in on_line)
        last = max(on_line, key=lambda e: e.range.end_column)
        if "\n" in last.new_text or "\r" in last.new_text:
            continue
        import re

        rest = document.lines[line][last.range.end_column:]
        comment = re.match(r"([^#'\"]*?)( +)#", rest)  # what closes the value (`}`, `]`), then the spaces
        if comment is None or delta <= 0:
            continue
        before, spaces = len(comment.group(1)), len(comment.group(2))
        keep = max(1, spaces - delta)
        if keep == spaces:
            continue
        at = last.range.end_column + before
        if before:
            edits.append(Edit(Range(line, at, line, at + spaces), " " * keep))
        else:
            grown = Range(line, last.range.column, line, at + spaces)
            edits[edits.index(last)] = Edit(grown, last.new_text + " " * keep)
    return edits


def _required_edit(document: Document, obj: tuple, name: str) -> Edit | None:
    """The edit adding `name` to the `required` list of the object at `obj` (in the list's own
    style), or adding `required: [name]` to the object (in its style) when it has none."""
    import json

    node = _node(document, obj)
    json_style = document.syntax == "json"
    if "required" not in node:
        shown = json.dumps([name]) if json_style or not _yaml_plain(name) else f"[{name}]"
        fix = set_key(document, obj, "required", [name], shown=shown)
        return fix.edits[0] if fix is not None and len(fix.edits) == 1 else None
    required = node["required"]
    entry = document.spans.get(obj + ("required",))
    if not isinstance(required, list) or name in required or entry is None:
        return None
    items = [document.spans.get(obj + ("required", i)) for i in range(len(required))]
    if any(item is None for item in items):
        return None
    text, lines = document.text, document.lines
    where = entry[0]
    start, end = _offset(lines, where.line, where.column), _offset(lines, where.end_line, where.end_column)
    if text[start:start + 1] == "[":  # a flow list (or JSON array)
        if text[end - 1:end] != "]":
            return None
        if not items:
            shown = json.dumps(name) if json_style or not _yaml_plain(name) else name
            return Edit(Range.of_offsets(text, end - 1, end - 1), shown)
        last = max((item[0] for item in items), key=lambda r: (r.end_line, r.end_column))
        quoted = document.text_at(last).startswith('"')
        shown = json.dumps(name) if json_style or quoted or not _yaml_plain(name) else name
        after = _offset(lines, last.end_line, last.end_column)
        return Edit(Range.of_offsets(text, after, after), f", {shown}")
    if json_style or not items:
        return None
    last = max((item[0] for item in items), key=lambda r: (r.end_line, r.end_column))
    line = lines[last.line]
    before = line[:last.column]
    if not before.rstrip().endswith("-") or before.rstrip()[:-1].strip():
        return None  # not `- item` on a line of its own
    dash = len(before.rstrip()) - 1
    quoted = document.text_at(last).startswith('"')
    shown = json.dumps(name) if quoted or not _yaml_plain(name) else name
    item = " " * dash + "-" + before[dash + 1:] + shown
    end_line = lines[last.end_line]
    newline = "\r\n" if end_line.endswith("\r") else "\n"
    if last.end_line + 1 < len(lines):
        return Edit(Range(last.end_line + 1, 0, last.end_line + 1, 0), item + newline)
    return Edit(Range(last.end_line, len(end_line), last.end_line, len(end_line)), newline + item)


_SUGGESTED = re.compile(r"did you mean `([A-Za-z0-9][A-Za-z0-9._:-]*)`\?$")


def suggested(document: Document, path: tuple, message: str) -> Fix | None:
    """The string at `path` replaced by the value the finding's message proposes ("... did you mean
    `gpt-4o-mini`?"), inside its quotes; a value written in any other way (escaped, folded) gets none."""
    match = _SUGGESTED.search(message)
    entry = document.spans.get(path)
    node = _node(document, path)
    if match is None or entry is None or not isinstance(node, str):
        return None
    content = document.scalar_content(entry[0])
    if document.text_at(content) != node:
        return None
    return Fix(f"Change to `{match.group(1)}`", (Edit(content, match.group(1)),))
