"""Structured Outputs: the JSON Schema subset and the size limits of strict mode, and references
that leave a carried schema; JSON mode's instruction. With their fixes: RL210's property made
required and nullable, RL201's sentence asking for JSON."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from ..conditions import Context, Violation, select
from ...diagnostic import Edit, Fix, Range, Said, show
from . import check, fix

# The fixes below build on runlint/fix/actions.py's edits, imported when a fix is made: a check
# that finds nothing never loads them.

if TYPE_CHECKING:
    from ...source.document import Document

# Where a request carries a schema: (the object that holds it, the `type` that object must have,
# the schema and its strict flag inside it). Each kind has its own, and no two overlap: a Responses
# function tool has `parameters` itself, the other kinds' tools under `function`.
_SCHEMA_PLACES = (
    (("response_format",), "json_schema", ("json_schema", "schema"), ("json_schema", "strict")),  # Chat, runs
    (("tools", "*"), "function", ("function", "parameters"), ("function", "strict")),  # Chat, runs, assistants
    (("text", "format"), "json_schema", ("schema",), ("strict",)),  # Responses
    (("tools", "*"), "function", ("parameters",), ("strict",)),  # Responses function tools
    (("tools", "*", "tools", "*"), "function", ("parameters",), ("strict",)),  # a Responses namespace's functions
    (("functions", "*"), None, ("parameters",), ("strict",)),  # Chat's deprecated functions (never strict)
)
FIELDS = ("response_format", "tools", "text", "functions")  # the top-level fields those places are under


def _schemas(value: Any, strict: bool | None = None) -> list[tuple[tuple, dict]]:
    """(path of each carried schema, the schema) whose strict flag is (or is not) true; all of
    them when `strict` is None. A strict flag left out is not true: in Chat and the Assistants API
    it defaults to false, and a Responses function tool without it is made strict only when its
    schema allows it (see RL210's explanation), so nothing is reported for it."""
    if not isinstance(value, dict) or not any(value.get(field) is not None for field in FIELDS):
        return []
    return [(path, schema) for path, schema, flag in _carried(value) if strict is None or strict == flag]


# The rules of one request share one search for its schemas and one walk of each (six rules asked
# for them: a fifth of the time of a run on requests with tools). Kept for the last request asked
# about, held so that its identity cannot be another's: rules never change the request they check.
_last: tuple = (None, [], {})  # (the request, its schemas with their strict flags, id(schema) -> walk)


def _carried(value: dict) -> list[tuple[tuple, dict, bool]]:
    last = _last
    if last[0] is value:
        return last[1]
    found = []
    for owner_at, kind, schema_at, strict_at in _SCHEMA_PLACES:
        for path, owner in select(value, owner_at):
            if not isinstance(owner, dict) or (kind is not None and owner.get("type") != kind):
                continue
            schema = select(owner, schema_at)
            if not schema or not isinstance(schema[0][1], dict):
                continue
            flag = select(owner, strict_at)
            found.append((path + schema[0][0], schema[0][1], bool(flag) and flag[0][1] is True))
    globals()["_last"] = (value, found, {})
    return found


def _walk(schema: dict) -> list[tuple[tuple, dict]]:
    """Every subschema with its path, each $defs entry once (recursion through $ref is allowed);
    walked once for the request `_carried` found the schema in."""
    walks = _last[2]
    walked = walks.get(id(schema))
    if walked is not None and walked[0] is schema:
        return walked[1]
    nodes = []
    stack = [((), schema)]
    while stack:
        path, node = stack.pop()
        if not isinstance(node, dict):
            continue
        nodes.append((path, node))
        for key in ("properties", "$defs", "definitions"):
            if isinstance(node.get(key), dict):
                stack += [(path + (key, name), sub) for name, sub in node[key].items()]
        for key in ("items", "additionalProperties", "not"):
            if isinstance(node.get(key), dict):
                stack.append((path + (key,), node[key]))
        for key in ("anyOf", "allOf", "oneOf", "prefixItems"):
            if isinstance(node.get(key), list):
                stack += [(path + (key, i), sub) for i, sub in enumerate(node[key])]
    walks[id(schema)] = (schema, nodes)
    return nodes


def _is_object(node: dict) -> bool:
    kind = node.get("type")
    return kind == "object" or (isinstance(kind, list) and "object" in kind) or "properties" in node


@check(fields=FIELDS)
def strict_schema_subset(value: Any, args: dict, context: Context) -> list[Violation]:
    """The subset of JSON Schema that Structured Outputs accepts (args: unsupported, formats)."""
    unsupported, formats = args["unsupported"], set(args["formats"])
    found: list[Violation] = []
    for at, schema in _schemas(value, True):
        if not _is_object(schema) or "anyOf" in schema:
            found.append((at, {"problem": Said("the root must be an object (not anyOf)")}))
        for path, node in _walk(schema):
            here = at + path
            for keyword in unsupported:
                if keyword in node:
                    found.append((here + (keyword,), {"problem": Said(f"`{keyword}` is not supported")}))
            if isinstance(node.get("format"), str) and node["format"] not in formats:
                supported = ", ".join(sorted(formats))
                found.append((here + ("format",), {"problem": Said(
                    f"the format `{show(node['format'])}` is not supported (supported: {supported})")}))
            if not _is_object(node) or path[-2:-1] in (("$defs",), ("definitions",)) and "$ref" in node:
                continue
            if node.get("additionalProperties") is not False:
                where = here + ("additionalProperties",) if "additionalProperties" in node else here
                found.append((where, {"problem": Said("every object must set `additionalProperties: false`")}))
            required = node.get("required") if isinstance(node.get("required"), list) else []
            for name in node.get("properties", {}) if isinstance(node.get("properties"), dict) else ():
                if name not in required:
                    found.append((here + ("properties", name), {
                        "problem": Said(f"`{show(name)}` must be listed in `required` (make it optional with a union "
                                        "with null instead)")}))
    return found


@check(fields=FIELDS)
def strict_schema_limits(value: Any, args: dict, context: Context) -> list[Violation]:
    """Size limits of Structured Outputs schemas (args: the limits, kept as data)."""
    found: list[Violation] = []
    for at, schema in _schemas(value, True):
        properties = enum_values = text = 0
        for path, node in _walk(schema):
            if isinstance(node.get("properties"), dict):
                properties += len(node["properties"])
                text += sum(len(name) for name in node["properties"])
            if path[-2:-1] in (("$defs",), ("definitions",)):
                text += len(str(path[-1]))
            values = node.get("enum") if isinstance(node.get("enum"), list) else []
            strings = [v for v in values if isinstance(v, str)]
            chars = sum(map(len, strings))
            enum_values += len(values)
            text += chars + (len(node["const"]) if isinstance(node.get("const"), str) else 0)
            if len(strings) > args["large_enum_values"] and chars > args["large_enum_chars"]:
                found.append((at + path + ("enum",), {"problem": Said(
                    f"an enum of {len(strings)} strings has {chars:,} characters; at most "
                    f"{args['large_enum_chars']:,} when it has more than {args['large_enum_values']} values")}))
        depth = _depth(schema)
        for amount, limit, what in ((properties, args["max_properties"], "object properties"),
                                    (depth, args["max_depth"], "levels of nesting"),
                                    (enum_values, args["max_enum_values"], "enum values"),
                                    (text, args["max_text"], "characters of names, enum values and consts")):
            if amount > limit:
                found.append((at, {"problem": Said(f"{amount:,} {what}; at most {limit:,}")}))
    return found


def _depth(schema: dict) -> int:
    """Nesting depth of objects, following local $refs (a recursive schema counts each ref once)."""
    defs = {name: sub for key in ("definitions", "$defs") if isinstance(schema.get(key), dict)
            for name, sub in schema[key].items()}
    deepest = 0
    reached: dict[int, int] = {}  # node -> deepest it was reached at: shared $defs are walked again
    stack = [(schema, 1, frozenset())]  # only when reached deeper (no blow-up on a diamond of refs)
    while stack:
        node, depth, seen = stack.pop()
        if not isinstance(node, dict) or reached.get(id(node), 0) >= depth:
            continue
        reached[id(node)] = depth
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.rsplit("/", 1)[-1] in defs and ref not in seen:
            stack.append((defs[ref.rsplit("/", 1)[-1]], depth, seen | {ref}))
            continue
        deepest = max(deepest, depth)
        children = list(node.get("properties", {}).values()) if isinstance(node.get("properties"), dict) else []
        step = 1 if children else 0
        children += [node[k] for k in ("items", "additionalProperties") if isinstance(node.get(k), dict)]
        children += [s for k in ("anyOf", "oneOf", "allOf") for s in node.get(k, []) if isinstance(node.get(k), list)]
        stack += [(child, depth + step, seen) for child in children]
    return deepest


@check(fields=FIELDS)
def external_schema_refs(value: Any, args: dict, context: Context) -> list[Violation]:
    """`$ref`s in a carried schema that leave it (a URL, another file): never fetched."""
    found: list[Violation] = []
    for at, schema in _schemas(value):
        for path, node in _walk(schema):
            ref = node.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                found.append((at + path + ("$ref",), {"ref": ref}))
    return found


# -- fixes ------------------------------------------------------------------------------------------

JSON_INSTRUCTION = "Respond in JSON."


@fix
def json_instruction(document: Document, path: tuple, finding, args: dict) -> Fix | None:
    """RL201: a sentence asking for JSON where the API reads it. Where, the rule file says by kind
    (`args`: {KIND: {at: FIELD, role: ROLE, join: [ROLES], text: true}}), so that no kind is named here:
    - a FIELD without `role` is a text: the sentence is appended to it, or the field added with it;
    - a FIELD with `role` holds the messages: the sentence is appended to the first message when its
      role is one of `join` and its content a text, else a message of ROLE saying it is put first;
      with `text`, the FIELD may be a text instead (Responses' `input`), then appended to.
    A kind the args leave out gets no fix (RL201: thread-and-run, whose `instructions` would replace
    the assistant's)."""
    from ...fix.actions import set_key

    where = args.get(getattr(document, "kind", None))
    if where is None:
        return None
    field, role, value = where["at"], where.get("role"), document.value.get(where["at"])
    if role is None:
        if field in document.value:
            return _appended(document, (field,))
        return set_key(document, (), field, JSON_INSTRUCTION,
                       shown=JSON_INSTRUCTION if document.syntax == "yaml" else None)
    if isinstance(value, str) and where.get("text"):
        return _appended(document, (field,))
    if not isinstance(value, list) or not value:
        return None
    first = value[0]
    if isinstance(first, dict) and first.get("role") in where.get("join", ()) and isinstance(first.get("content"), str):
        fixed = _appended(document, (field, 0, "content"))
        if fixed is not None:
            return fixed
    return _put_first(document, (field,), role)


def _appended(document: Document, path: tuple) -> Fix | None:
    """The sentence at the end of the one-line string at `path` (plain, quoted or JSON)."""
    from ...fix.actions import node_at

    entry = document.spans.get(path)
    text = node_at(document, path)
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


@fix
def require_nullable(document: Document, path: tuple, finding, args: dict) -> Fix | None:
    """RL210: the property at `path` (`.../properties/NAME`) listed in its object's `required`, and
    made nullable (`type: T` -> `type: [T, "null"]`), so that it is still optional in meaning
    (sent as null) the way strict mode allows. A property that admits null already is only listed.
    One that cannot be made nullable by its `type` alone (no plain `type`, or an `enum` or `const`
    without null) gets no fix: listing it alone would make a real value of it mandatory."""
    from ...fix.actions import node_at

    if len(path) < 2 or path[-2] != "properties" or not isinstance(path[-1], str):
        return None
    name, obj = path[-1], path[:-2]
    schema = node_at(document, path)
    node = node_at(document, obj)
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
    from ...fix.actions import node_at, offset, set_key

    node = node_at(document, obj)
    json_style = document.syntax == "json"
    if "required" not in node:
        shown = json.dumps([name]) if json_style or not _yaml_plain(name) else f"[{name}]"
        added = set_key(document, obj, "required", [name], shown=shown)
        return added.edits[0] if added is not None and len(added.edits) == 1 else None
    required = node["required"]
    entry = document.spans.get(obj + ("required",))
    if not isinstance(required, list) or name in required or entry is None:
        return None
    items = [document.spans.get(obj + ("required", i)) for i in range(len(required))]
    if any(item is None for item in items):
        return None
    text, lines = document.text, document.lines
    where = entry[0]
    start, end = offset(lines, where.line, where.column), offset(lines, where.end_line, where.end_column)
    if text[start:start + 1] == "[":  # a flow list (or JSON array)
        if text[end - 1:end] != "]":
            return None
        if not items:
            shown = json.dumps(name) if json_style or not _yaml_plain(name) else name
            return Edit(Range.of_offsets(text, end - 1, end - 1), shown)
        last = max((item[0] for item in items), key=lambda r: (r.end_line, r.end_column))
        quoted = document.text_at(last).startswith('"')
        shown = json.dumps(name) if json_style or quoted or not _yaml_plain(name) else name
        after = offset(lines, last.end_line, last.end_column)
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
