"""Prompty files (`*.prompty`): YAML front matter between `---` lines, then a template whose role
lines (`system:`, `user:`, ...) split it into messages. Read as microsoft/prompty's runtimes read
them (the mapping table with its sources is docs/formats/prompty.md).

Two front matters exist, told apart by their `model` keys:

- v1 (`model.api`, `model.configuration`, `model.parameters`; runtime/prompty at 06c4334):
  `parameters` are passed to the SDK call as they are (`**self.parameters`): verbatim, fixable.
  `configuration.type` picks the executor: `openai` sends `configuration.name` as the model,
  `azure_openai`/`azure` sends `configuration.azure_deployment`, a deployment name.
- v2 (`model.id`, `model.provider`, `model.apiType`, `model.connection`, `model.options`;
  runtime/python at 75e4d0e): `options` are renamed by `ModelOptions.to_wire("openai")`
  (`maxOutputTokens` -> `max_completion_tokens`, `topK` -> `top_k`, ...) and
  `options.additionalProperties` are passed through as they are.

Only an OpenAI connection names an OpenAI model: an Azure deployment name says nothing of the
model behind it, so an Azure file gets the format's own checks only (Request.openai False), as
does a model id or type held in `${env:...}`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from ...diagnostic import Diagnostic, Range, Said, did_you_mean, Severity, show, to_pointer
from ..document import Document

NAME = "prompty"
PATTERNS = ("*.prompty",)
LANGUAGE = "prompty"  # the editor's language id (the Prompty VS Code extension's)
SYNTAX = "prompty"

# v1: the fields of core.Prompty and core.ModelSettings (runtime/prompty/prompty/core.py, 06c4334)
V1_TOP_KEYS = ("id", "name", "description", "authors", "tags", "version", "base", "model", "sample",
               "inputs", "outputs", "tools", "template", "metadata")
V1_MODEL_KEYS = ("api", "configuration", "parameters", "response")
V1_ROLES = ("assistant", "function", "system", "user", "tools")  # parsers.py PromptyChatParser.roles
# v2: Agent.load, Model.load, ModelOptions.load (runtime/python/prompty/prompty/model, 75e4d0e)
V2_TOP_KEYS = ("name", "displayName", "description", "metadata", "inputs", "outputs", "model", "tools",
               "template", "instructions", "kind")
V2_MODEL_KEYS = ("id", "provider", "apiType", "connection", "options")
V2_ROLES = ("system", "user", "assistant", "developer")  # core/types.py ROLES
# ModelOptions.to_wire: the option's name in a Chat Completions and in a Responses request
V2_OPTIONS = {"frequencyPenalty": ("frequency_penalty", None), "maxOutputTokens": ("max_completion_tokens", "max_output_tokens"),
              "presencePenalty": ("presence_penalty", None), "seed": ("seed", None),
              "temperature": ("temperature", "temperature"), "topK": ("top_k", None), "topP": ("top_p", "top_p"),
              "stopSequences": ("stop", None), "allowMultipleToolCalls": ("parallel_tool_calls", None),
              "additionalProperties": (None, None)}
_V2_KINDS = {"chat": "chat-completion", "responses": "response"}

_FRONT_MATTER = re.compile(r"\A(\s*)(?:---|\+\+\+)(.*?)^(?:---|\+\+\+)[ \t]*$", re.S | re.M)
_ENV = re.compile(r"\$\{(?:env|file):")
_VARIABLE = re.compile(r"\{\{[-{#^&]?\s*([A-Za-z_]\w*)[^{}]*\}\}\}?")
_SECTION = re.compile(r"\{\{\s*[#^]\s*([\w.]+)\s*\}\}")
_DEFINES = re.compile(r"\{%-?\s*(?:for\s+([\w\s,]+?)\s+in\b|set\s+(\w+)|macro\s+\w+\(([^)]*)\)|with\s+(\w+))")
_JINJA_NAMES = frozenset({"loop", "range", "true", "false", "none", "True", "False", "None", "self",
                          "super", "caller", "varargs", "kwargs", "namespace", "dict", "lipsum", "cycler", "joiner"})


@dataclass
class BuiltPrompty:
    """The request a Prompty file makes, before it is a Request: its kind, body and where each part is."""

    kind: str | None
    value: dict
    entries: list = field(default_factory=list)
    openai: bool = False
    findings: list = field(default_factory=list)


def claims(file: str, head: bytes = b"") -> bool:
    return file.lower().endswith(".prompty")


def split(file: str, text: str) -> tuple[Document | None, Document, list[Diagnostic]]:
    """(the front matter as a YAML Document positioned in the file, the template as a Document of
    messages, problems). The front matter's text is the file's with the template's lines blanked,
    so that every line and column is the file's."""
    from .. import document as documents

    match = _FRONT_MATTER.match(text)
    body_start = match.end() if match else 0
    if match:  # both runtimes drop the whitespace after the closing line (`---\s*(.+)$`)
        body_start = len(text) - len(text[body_start:].lstrip())
        body_start = text.rfind("\n", 0, body_start) + 1 if body_start < len(text) else body_start
    problems: list[Diagnostic] = []
    front = None
    if match:
        start_line = text.count("\n", 0, match.start(2))
        yaml_text = "\n" * start_line + match.group(2)
        source = documents.load(file, yaml_text, "yaml")
        problems = [p for p in source.problems if p.code != "RL004"]
        if source.documents:
            front = source.documents[0]
            front.text = text  # the file's own text: its lines, for excerpts and edits
            front._lines = None
            front._file = None
            if front._spans is None:
                from ..yaml_loader import YamlLoader

                front._spans = YamlLoader(yaml_text).load().documents[0].spans
    messages, spans = _messages(text, body_start)
    end_line = text.count("\n")
    body = Document(file, text, "yaml", messages, Range(text.count("\n", 0, body_start), 0, end_line, 0),
                    _spans=spans)
    return front, body, problems


def _messages(text: str, body_start: int) -> tuple[list, dict]:
    """The template split at its role lines, as both parsers split it (the first part is system);
    each message's content is the template text, its placeholders kept."""
    messages, spans = [], {}
    lines = text[body_start:].split("\n")
    first = text.count("\n", 0, body_start)
    boundary = re.compile(r"(?i)^\s*#?\s*(" + "|".join(sorted(set(V1_ROLES) | set(V2_ROLES))) +
                          r")(\[[^\]]*\])?\s*:\s*$")
    role, role_range, start, buffer = "system", None, first, []

    def flush(end: int) -> None:
        if not buffer:
            return
        index = len(messages)
        messages.append({"role": role, "content": "\n".join(buffer)})
        last = end - 1
        content = Range(start, 0, last, len(lines[last - first]))
        spans[(index,)] = (Range(role_range.line if role_range else start, 0, last, len(lines[last - first])), None)
        spans[(index, "content")] = (content, None)
        spans[(index, "role")] = (role_range or content, None)

    for offset, line in enumerate(lines):
        number = first + offset
        found = boundary.match(line)
        if found:
            flush(number)
            buffer = []
            role = found.group(1).lower()
            role_range = Range(number, found.start(1), number, found.end(1))
            start = number + 1
        else:
            buffer.append(line)
    if buffer and buffer[-1] == "" and len(buffer) > 1:
        buffer.pop()  # the newline that ends the file
        flush(first + len(lines) - 1)
    else:
        flush(first + len(lines))
    spans[()] = (Range(first, 0, first + len(lines) - 1, len(lines[-1])), None)
    return messages, spans


def version(front: dict) -> int:
    model = front.get("model")
    if isinstance(model, dict) and (set(model) & {"id", "provider", "apiType", "connection", "options"}):
        return 2
    if isinstance(model, str):
        return 2
    return 1


def build(front: Document | None, body: Document) -> BuiltPrompty:
    spec = front.value if front is not None and isinstance(front.value, dict) else {}
    v = version(spec)
    findings = list(_structure(front, body, spec, v)) if front is not None else []
    model = spec.get("model")
    # No entry for the request's root (a non-verbatim root would hold every node, and the pipeline
    # drops a fix with an edit inside one): a path no entry covers lands on the front matter's root,
    # the document of the shortest entry listed last.
    entries = [(("messages",), body, (), False)]
    value: dict = {"messages": [m for m in body.value]}
    kind, openai, model_id = "chat-completion", False, None
    if v == 1:
        model = model if isinstance(model, dict) else {}
        api = model.get("api", "chat")
        kind = "chat-completion" if api == "chat" else None
        configuration = model.get("configuration") if isinstance(model.get("configuration"), dict) else {}
        kind_of_connection = configuration.get("type")
        if kind_of_connection == "openai" and _plain(configuration.get("name")):
            model_id, openai = configuration["name"], True
            entries.append((("model",), front, ("model", "configuration", "name"), False))
        elif kind_of_connection in ("azure_openai", "azure") and _plain(configuration.get("azure_deployment")):
            model_id = configuration["azure_deployment"]
            entries.append((("model",), front, ("model", "configuration", "azure_deployment"), False))
        parameters = model.get("parameters")
        if isinstance(parameters, dict):
            for key, item in parameters.items():
                if item is not None and key not in ("model", "messages") and not _filled(item):
                    value[key] = item
                    entries.append(((key,), front, ("model", "parameters", key), True))
    else:
        if isinstance(model, str):
            model = {"id": model}
        model = model if isinstance(model, dict) else {}
        api = model.get("apiType") or "chat"
        kind = _V2_KINDS.get(api)
        provider = model.get("provider")
        if _plain(model.get("id")):
            model_id = model["id"]
            openai = provider == "openai"
            entries.append((("model",), front, ("model", "id") if isinstance(spec.get("model"), dict) else ("model",), False))
        options = model.get("options")
        if isinstance(options, dict):
            responses = kind == "response"
            for key, item in options.items():
                if item is None or key not in V2_OPTIONS or key == "additionalProperties" or _filled(item):
                    continue
                sent = V2_OPTIONS[key][1 if responses else 0]
                if sent is None or (key == "stopSequences" and not item):
                    continue
                value[sent] = item
                entries.append(((sent,), front, ("model", "options", key), False))
            extra = options.get("additionalProperties")
            if isinstance(extra, dict):
                for key, item in extra.items():
                    if key not in value and item is not None and not _filled(item):
                        value[key] = item
                        entries.append(((key,), front, ("model", "options", "additionalProperties", key), True))
        if kind == "response":
            value = _as_response(value)
            entries = [e for e in entries if e[0] != ("messages",)]
            others = [i for i, m in enumerate(body.value) if m["role"] not in ("system", "developer")]
            entries += [(("input", n), body, (i,), False) for n, i in enumerate(others)]
            system = [i for i, m in enumerate(body.value) if m["role"] in ("system", "developer")]
            entries.append((("input",), body, (), False))
            if system:
                entries.append((("instructions",), body, (system[0], "content"), False))
    if model_id is not None:
        value["model"] = model_id
    entries.sort(key=lambda e: e[1] is front)  # the front matter's last: its root is the map's home
    return BuiltPrompty(kind, value, entries, openai and kind is not None, findings)


def _plain(text) -> bool:
    """A literal value, not one the runtime fills in (`${env:...}`, `${file:...}`)."""
    return isinstance(text, str) and bool(text) and not _ENV.search(text)


def _filled(item) -> bool:
    """A value the runtime fills in when it loads the file (`${env:...}`, `${file:...}`): unknown here."""
    return isinstance(item, str) and bool(_ENV.search(item))


def _as_response(value: dict) -> dict:
    """_build_responses_args: system and developer messages become `instructions`."""
    messages = value.pop("messages", [])
    system = [m["content"] for m in messages if m.get("role") in ("system", "developer")]
    value["input"] = [m for m in messages if m.get("role") not in ("system", "developer")]
    if system:
        value["instructions"] = "\n\n".join(system)
    return value


def read(file: str, text: str):
    """The loader of a `.prompty` file (document.load with syntax "prompty"): a SourceFile whose
    documents are the front matter (when there is one) and the template, last; its problems are
    the front matter's YAML's."""
    from ..document import SourceFile

    front, body, problems = split(file, text)
    for problem in problems:
        problem.file = file
    return SourceFile(file, text, [d for d in (front, body) if d is not None], problems)


def requests(source) -> Iterator:
    from ..request import PathMap, Request

    if source.documents and isinstance(source.documents[-1].value, list):
        body = source.documents[-1]  # read by `read`: the template last, the front matter before it
        front = source.documents[0] if len(source.documents) > 1 else None
    else:
        front, body, problems = split(source.file, source.text)
        yield from problems
    built = build(front, body)
    yield from built.findings
    yield Request(built.kind, built.value, PathMap(built.entries), openai=built.openai)


# --- the format's own structure ----------------------------------------------------------------

def _finding(document: Document, code: str, severity: str | None, message: str, path: tuple,
             on_key: bool = False, where: Range | None = None) -> Diagnostic:
    if where is None:
        where = document.locate(path, on_key=on_key) if on_key else document.point_at(path)
    return Diagnostic(code, "", Severity.parse(severity) if severity else None, Said(message), where,
                      to_pointer(path), file=document.file)


def _structure(front: Document, body: Document, spec: dict, v: int) -> Iterator[Diagnostic]:
    runtime = "prompty v1" if v == 1 else "prompty v2"
    top = V1_TOP_KEYS if v == 1 else V2_TOP_KEYS
    for key in spec:
        if key not in top:
            yield _finding(front, "RL900", None, f"`{show(str(key))}` is no {runtime} front matter key: the "
                           f"runtime reads no such key{did_you_mean(key, top)}", (key,), True)
    model = spec.get("model")
    if isinstance(model, dict):
        keys = V1_MODEL_KEYS if v == 1 else V2_MODEL_KEYS
        for key in model:
            if key not in keys:
                yield _finding(front, "RL900", None, f"`{show(str(key))}` is no {runtime} model key: the runtime "
                               f"reads no such key{did_you_mean(key, keys)}",
                               ("model", key), True)
        options = model.get("options")
        if v == 2 and isinstance(options, dict):
            for key in options:
                if key not in V2_OPTIONS:
                    yield _finding(front, "RL900", None, f"`{show(str(key))}` is no model option of prompty v2: "
                                   f"it is never sent (other parameters go in `additionalProperties`)"
                                   f"{did_you_mean(key, V2_OPTIONS)}", ("model", "options", key), True)
    roles = V1_ROLES if v == 1 else V2_ROLES
    for index, message in enumerate(body.value):
        if message["role"] not in roles:
            yield _finding(body, "RL941", None, f"`{message['role']}:` is no role line of {runtime} "
                           f"(its roles: {', '.join(roles)}): the line is read as text of the message before",
                           (index, "role"))
    yield from _variables(front, body, spec, v)


def _declared(spec: dict) -> set | None:
    """The names the file gives values for (inputs, sample), or None when it declares none."""
    names: set = set()
    declared = False
    for key in ("inputs", "sample"):
        part = spec.get(key)
        if isinstance(part, dict):
            names |= {k for k in part if isinstance(k, str)}
            declared = True
        elif isinstance(part, list):
            names |= {p.get("name") for p in part if isinstance(p, dict)}
            declared = True
        elif isinstance(part, str) and key == "sample":
            return None  # a sample file (${file:...}): its names are not in this file
    return names if declared else None


def _variables(front: Document, body: Document, spec: dict, v: int) -> Iterator[Diagnostic]:
    """RL901: a `{{ name }}` of the template that neither inputs nor sample gives. Names the
    template defines itself (for, set, macro, with) and Jinja's own are not inputs."""
    names = _declared(spec)
    if names is None:
        return
    template = "\n".join(m["content"] for m in body.value)
    local = set(_JINJA_NAMES)
    for match in _DEFINES.finditer(template):
        for group in match.groups():
            if group:
                local |= {n.strip().split("=")[0].strip() for n in group.split(",") if n.strip()}
    seen = set()
    for index, message in enumerate(body.value):
        content = message["content"]
        scoped = _mustache_sections(content)
        for match in _VARIABLE.finditer(content):
            name = match.group(1)
            if any(start < match.start() < end for start, end in scoped):
                continue  # inside a mustache section: the name may be the item's
            if name in names or name in local or name in seen:
                continue
            seen.add(name)
            where = _in_message(body, index, message["content"], match.start(), match.end())
            yield _finding(body, "RL901", None, f"the template uses `{name}`, which no input or sample of "
                           "the front matter gives", (index, "content"), where=where)


def _mustache_sections(content: str) -> list[tuple[int, int]]:
    """The spans inside mustache sections (`{{#items}} ... {{/items}}`): names there may be the
    items' own."""
    spans = []
    for match in _SECTION.finditer(content):
        close = content.find("{{/" + match.group(1) + "}}", match.end())
        close = close if close != -1 else len(content)
        spans.append((match.end(), close))
    return spans


def _in_message(body: Document, index: int, content: str, start: int, end: int) -> Range:
    first = body.locate((index, "content")).line
    line = first + content.count("\n", 0, start)
    column = start - (content.rfind("\n", 0, start) + 1)
    return Range(line, column, line, column + (end - start))
