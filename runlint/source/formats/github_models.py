"""GitHub Models prompt files (`*.prompt.yml`, `*.prompt.yaml`), read as `gh models run/eval` reads them.

The request is the one gh-models builds (github/gh-models at f38cd97, pkg/prompt/prompt.go
`BuildChatCompletionOptions`, internal/azuremodels/types.go `ChatCompletionOptions`; the mapping
table with its sources is docs/formats/github-models.md):

    model                          -> model (an `openai/` prefix names an OpenAI model: its facts apply)
    modelParameters.maxTokens      -> max_tokens
    modelParameters.temperature    -> temperature
    modelParameters.topP           -> top_p
    responseFormat                 -> response_format.type
    jsonSchema (a JSON string)     -> response_format.json_schema (only with a responseFormat)
    messages[i].role / .content    -> messages[i].role (lower-cased) / .content ({{var}} kept)
    (always)                       -> stream: true (GetChatCompletionStream; the o1 exception
                                      compares the whole id, so never an `openai/...` one)

Every other key is read by nothing: yaml.v3 drops unknown keys without a word (RL900). The
format's own findings: RL900 (an unknown key, did you mean), RL901 (a `{{var}}` no testData row
provides), RL910 (responseFormat and jsonSchema), RL911 (an evaluator gh-models cannot run),
RL912 (a message role gh-models refuses).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Iterator

from ...diagnostic import Diagnostic, Range, Said, did_you_mean, show, to_pointer
from ..document import Document

NAME = "github-models"
PATTERNS = ("*.prompt.yml", "*.prompt.yaml")
SYNTAX = "yaml"

# pkg/prompt/prompt.go: the yaml tags of File, ModelParameters, Message, Evaluator, ...
TOP_KEYS = ("name", "description", "model", "modelParameters", "responseFormat", "jsonSchema",
            "messages", "testData", "evaluators")
PARAMETER_KEYS = {"maxTokens": "max_tokens", "temperature": "temperature", "topP": "top_p"}
MESSAGE_KEYS = ("role", "content")
EVALUATOR_KEYS = ("name", "string", "llm", "uses")
STRING_EVALUATOR_KEYS = ("equals", "contains", "startsWith", "endsWith")  # the order eval tries them
LLM_EVALUATOR_KEYS = ("modelId", "prompt", "choices", "systemPrompt")
CHOICE_KEYS = ("choice", "score")
ROLES = ("system", "user", "assistant")  # GetAzureChatMessageRole, after strings.ToLower
RESPONSE_FORMATS = ("text", "json_object", "json_schema")  # validateResponseFormat
BUILTIN_EVALUATORS = ("similarity", "coherence", "fluency", "relevance", "groundedness")  # cmd/eval/builtins.go

# Names people write for a parameter gh-models knows under another name (the API's own names,
# which SchemaStore's github-prompt.json lists too), or for one it cannot send at all.
_PARAMETER_ALIASES = {"max_tokens": "maxTokens", "top_p": "topP", "maxOutputTokens": "maxTokens",
                      "max_output_tokens": "maxTokens", "topp": "topP", "maxtokens": "maxTokens"}
_NOT_SENDABLE = {"maxCompletionTokens", "max_completion_tokens"}

# A placeholder as gh-models replaces it: `{{` + a testData key + `}}`, nothing trimmed
# (TemplateString). Names as actions/ai-inference matches them (`[\w.-]+`).
# How OpenAI names its models (a bare id of GitHub's catalog is OpenAI's when it reads so)
_OPENAI_NAMES = re.compile(r"(gpt-|chatgpt-|o\d(-|$)|text-embedding-|codex-|computer-use-)")
_PLACEHOLDER = re.compile(r"\{\{(\s*)([\w.-]+)(\s*)\}\}")


@dataclass
class BuiltPrompt:
    """What one prompt file sends, and where each part of it is written."""

    value: dict
    entries: list = field(default_factory=list)  # (request prefix, document, file prefix, verbatim)
    openai: bool = False
    findings: list = field(default_factory=list)


def claims(file: str, head: bytes = b"") -> bool:
    """By name only: the suffix is the format's, as GitHub's own tools (the prompt editor,
    actions/ai-inference's isPromptYamlFile) recognise it."""
    lower = file.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return lower.endswith((".prompt.yml", ".prompt.yaml"))


def model_id(model) -> tuple[str | None, bool]:
    """(the id OpenAI's facts are looked up under, whether OpenAI's facts apply).

    `openai/gpt-4.1` is OpenAI's gpt-4.1; another `provider/` prefix is another provider's model
    (the format's own checks only). A bare id (GitHub's docs once wrote `gpt-4o-mini`; the catalog's
    other publishers wrote `Phi-4`, `Meta-Llama-3.1-8B-Instruct`, `Mistral-large`) is OpenAI's when it
    is named as OpenAI names its models: the source layer does not reach for the model table."""
    if not isinstance(model, str) or not model:
        return None, False
    provider, slash, rest = model.partition("/")
    if slash:
        return (rest, True) if provider.lower() == "openai" and rest else (model, False)
    return model, _OPENAI_NAMES.match(model) is not None


def build(document: Document) -> BuiltPrompt:
    """The request gh-models sends for this document, its map, and the format's own findings."""
    spec = document.value if isinstance(document.value, dict) else {}
    findings: list[Diagnostic] = []
    value: dict = {}
    # No entry for the request's root: a non-verbatim root would hold every other node, and the
    # pipeline drops a fix with an edit inside a non-verbatim node (PathMap.unwritten), so the
    # fixes inside the jsonSchema block would go too. A path no entry covers lands on the
    # document's root.
    entries: list = []
    model, openai = model_id(spec.get("model"))
    if model is not None:
        value["model"] = model
        entries.append((("model",), document, ("model",), model == spec.get("model")))
        # sent because gh-models streams: a finding on it is about the model that receives it
        entries.append((("stream",), document, ("model",), False))
    messages = spec.get("messages")
    if isinstance(messages, list):
        value["messages"] = [_message(m) for m in messages]
        entries.append((("messages",), document, ("messages",), True))
    parameters = spec.get("modelParameters")
    if isinstance(parameters, dict):
        for key, sent in PARAMETER_KEYS.items():
            if parameters.get(key) is not None:
                value[sent] = parameters[key]
                entries.append(((sent,), document, ("modelParameters", key), False))
    response_format = spec.get("responseFormat")
    if response_format is not None:
        value["response_format"] = {"type": response_format}
        entries.append((("response_format",), document, ("responseFormat",), False))
        entries.append((("response_format", "type"), document, ("responseFormat",), False))
        schema = spec.get("jsonSchema")
        parsed, inner = _json_schema(document, schema)
        if parsed is not None:
            value["response_format"]["json_schema"] = parsed
            if inner is not None:
                entries.append((("response_format", "json_schema"), inner, (), True))
            else:
                verbatim = isinstance(schema, dict)  # written as YAML: the API's own keys
                entries.append((("response_format", "json_schema"), document, ("jsonSchema",), verbatim))
    value["stream"] = True
    if not entries:  # nothing of a request written: the map needs one entry to stand on
        entries.append((("messages",), document, ("messages",), False))
    findings.extend(_structure(document, spec))
    return BuiltPrompt(value, entries, openai, findings)


def requests(source) -> Iterator:
    """The format's entry (FORMATS-INTERFACE.md): one chat completion a document, and the
    format's own findings."""
    from ..request import PathMap, Request

    for document in source.documents:
        built = build(document)
        yield from built.findings
        if isinstance(document.value, dict):
            yield Request("chat-completion", built.value, PathMap(built.entries), openai=built.openai)


def _message(message) -> dict:
    if not isinstance(message, dict):
        return message
    sent = {k: v for k, v in message.items() if k in MESSAGE_KEYS}
    sent.setdefault("content", "")  # templateMessages sends a pointer to the (empty) string
    if isinstance(sent.get("role"), str):
        sent["role"] = sent["role"].lower()
    return sent


def _json_schema(document: Document, schema) -> tuple[dict | None, Document | None]:
    """The parsed jsonSchema and, for a JSON string, its Document positioned in the file."""
    if isinstance(schema, dict):
        return schema, None
    if not isinstance(schema, str):
        return None, None
    try:
        parsed = json.loads(schema)
    except ValueError:
        return None, None
    if not isinstance(parsed, dict):
        return None, None
    from ..embedded import embedded

    return parsed, embedded(document, ("jsonSchema",))


# --- the format's own structure -------------------------------------------------------------

def _finding(document: Document, code: str, severity: str | None, message: str, path: tuple,
             on_key: bool = False, where: Range | None = None) -> Diagnostic:
    from ...diagnostic import Severity

    if where is None:
        where = document.locate(path, on_key=on_key) if on_key else document.point_at(path)
    return Diagnostic(code, "", Severity.parse(severity) if severity else None, message, where,
                      to_pointer(path), file=document.file)


def _unknown_keys(document: Document, node, path: tuple, known, what: str,
                  aliases: dict | None = None) -> Iterator[Diagnostic]:
    if not isinstance(node, dict):
        return
    for key in node:
        if key in known:
            continue
        hint = did_you_mean(key, known, aliases)
        yield _finding(document, "RL900", None, Said(f"`{show(str(key))}` is no {what} key: gh-models ignores "
                       f"it{hint}"), (*path, key), on_key=True)


def _structure(document: Document, spec: dict) -> Iterator[Diagnostic]:
    if not isinstance(spec, dict):
        return
    yield from _unknown_keys(document, spec, (), TOP_KEYS, "prompt file")
    parameters = spec.get("modelParameters")
    if isinstance(parameters, dict):
        for key in parameters:
            if key in PARAMETER_KEYS:
                continue
            severity = None
            if key == "max_tokens":
                # github/ai-assessment-comment-labeler reads this spelling (src/utils.ts
                # `modelParameters?.max_tokens`), and SchemaStore's github-prompt.json lists it:
                # right for that action, ignored by gh-models. An info, not a warning.
                severity = "info"
                message = ("gh-models ignores `max_tokens` (it reads `maxTokens`); "
                           "github/ai-assessment-comment-labeler reads this spelling")
            elif key in _NOT_SENDABLE:
                message = (f"`{key}` is no model parameter of gh-models: it is never sent (gh-models "
                           "sends only maxTokens as max_tokens, temperature and topP)")
            else:
                hint = did_you_mean(key, PARAMETER_KEYS, _PARAMETER_ALIASES)
                message = (f"`{show(str(key))}` is no model parameter of gh-models: it is never sent "
                           f"(only maxTokens, temperature and topP are){hint}")
            yield _finding(document, "RL900", severity, Said(message), ("modelParameters", key), on_key=True)
    messages = spec.get("messages")
    if isinstance(messages, list):
        for index, message in enumerate(messages):
            yield from _unknown_keys(document, message, ("messages", index), MESSAGE_KEYS, "message")
            if not isinstance(message, dict):
                continue
            role = message.get("role")
            if role is None or "role" not in message:
                yield _finding(document, "RL912", None, Said(
                    "a message without a role: gh-models refuses it (\"unknown message role\")"),
                    ("messages", index))
            elif isinstance(role, str) and role.lower() not in ROLES:
                yield _finding(document, "RL912", None, Said(
                    f"gh-models refuses the role `{show(role)}` (\"unknown message role\"): a prompt "
                    "file's messages are system, user or assistant"), ("messages", index, "role"))
    yield from _response_format(document, spec)
    yield from _evaluators(document, spec.get("evaluators"))
    yield from _variables(document, spec)


def _response_format(document: Document, spec: dict) -> Iterator[Diagnostic]:
    response_format = spec.get("responseFormat")
    schema = spec.get("jsonSchema")
    if response_format is not None and response_format not in RESPONSE_FORMATS:
        yield _finding(document, "RL910", "error", Said(
            f"gh-models refuses responseFormat `{show(response_format)}`: it is text, json_object or "
            "json_schema"), ("responseFormat",))
        return
    if response_format == "json_schema" and schema is None:
        yield _finding(document, "RL910", "error", Said(
            "responseFormat json_schema needs a jsonSchema (gh-models refuses the file: \"jsonSchema is "
            "required when responseFormat is 'json_schema'\")"), ("responseFormat",))
        return
    if schema is None:
        return
    if response_format is None:
        yield _finding(document, "RL910", "warning", Said(
            "jsonSchema without responseFormat is never sent: gh-models sends the schema only with "
            "`responseFormat: json_schema`"), ("jsonSchema",), on_key=True)
    if isinstance(schema, str):
        try:
            parsed = json.loads(schema)
        except ValueError as error:
            yield _finding(document, "RL910", "error", Said(
                f"gh-models refuses the file: jsonSchema is not JSON ({error.msg})"), ("jsonSchema",))
            return
    elif isinstance(schema, dict):
        parsed = schema  # gh-models f38cd97 reads only a JSON string; other readers take YAML: quiet
    else:
        yield _finding(document, "RL910", "error", Said(
            "gh-models refuses the file: jsonSchema must be a JSON string"), ("jsonSchema",))
        return
    if response_format == "json_schema":
        if not isinstance(parsed, dict):
            yield _finding(document, "RL910", "error", Said(
                "jsonSchema is a JSON object with `name` and `schema`"), ("jsonSchema",))
            return
        for required in ("name", "schema"):
            if required not in parsed:
                yield _finding(document, "RL910", "error", Said(
                    f"gh-models refuses the file: \"jsonSchema must contain '{required}' field\""),
                    ("jsonSchema",), on_key=True)


def _evaluators(document: Document, evaluators) -> Iterator[Diagnostic]:
    if not isinstance(evaluators, list):
        return
    for index, evaluator in enumerate(evaluators):
        path = ("evaluators", index)
        if not isinstance(evaluator, dict):
            continue
        yield from _unknown_keys(document, evaluator, path, EVALUATOR_KEYS, "evaluator")
        methods = [k for k in ("string", "llm", "uses") if evaluator.get(k) not in (None, "")]
        if not methods:
            yield _finding(document, "RL911", "error", Said(
                "an evaluator needs `string`, `llm` or `uses`: gh-models stops (\"no evaluation method "
                "specified\")"), path)
            continue
        if len(methods) > 1:
            yield _finding(document, "RL911", "warning", Said(
                f"gh-models runs only `{methods[0]}` of this evaluator's {', '.join(methods)}"),
                (*path, methods[1]), on_key=True)
        string = evaluator.get("string")
        if isinstance(string, dict):
            yield from _unknown_keys(document, string, (*path, "string"), STRING_EVALUATOR_KEYS,
                                     "string evaluator")
            criteria = [k for k in STRING_EVALUATOR_KEYS if string.get(k) not in (None, "")]
            if not criteria and methods[0] == "string":
                yield _finding(document, "RL911", "error", Said(
                    "a string evaluator needs equals, contains, startsWith or endsWith: gh-models stops "
                    "(\"no string evaluation criteria specified\")"), (*path, "string"), on_key=True)
            elif len(criteria) > 1:
                yield _finding(document, "RL911", "warning", Said(
                    f"gh-models checks only `{criteria[0]}` of {', '.join(criteria)}: the first it "
                    "finds in the order equals, contains, startsWith, endsWith"),
                    (*path, "string", criteria[1]), on_key=True)
        llm = evaluator.get("llm")
        if isinstance(llm, dict):
            yield from _unknown_keys(document, llm, (*path, "llm"), LLM_EVALUATOR_KEYS, "llm evaluator")
            choices = llm.get("choices")
            if isinstance(choices, list):
                for number, choice in enumerate(choices):
                    yield from _unknown_keys(document, choice, (*path, "llm", "choices", number),
                                             CHOICE_KEYS, "choice")
            if methods[0] == "llm" and not choices:
                yield _finding(document, "RL911", "warning", Said(
                    "an llm evaluator without choices never passes: its score comes from the choice the "
                    "answer names"), (*path, "llm"), on_key=True)
        uses = evaluator.get("uses")
        if isinstance(uses, str) and uses and methods[0] == "uses":
            builtin = uses[len("github/"):] if uses.startswith("github/") else None
            if builtin not in BUILTIN_EVALUATORS:
                yield _finding(document, "RL911", "error", Said(
                    f"gh-models knows no evaluator `{show(uses)}`: its built-ins are "
                    f"{', '.join('github/' + b for b in BUILTIN_EVALUATORS)} (it reports \"Plugin evaluator "
                    "not found\" and the test fails)"), (*path, "uses"))


def _variables(document: Document, spec: dict) -> Iterator[Diagnostic]:
    """RL901: a placeholder that `gh models eval` leaves as written, because no testData row gives
    it (without testData the values come from `gh models run --var`: nothing to check)."""
    rows = [row for row in spec.get("testData") or () if isinstance(row, dict)] \
        if isinstance(spec.get("testData"), list) else []
    if not rows:
        return
    provided = set().union(*(row.keys() for row in rows))
    for path, text, extra in _templated(spec):
        if not isinstance(text, str) or "{{" not in text:
            continue
        seen = set()
        for match in _PLACEHOLDER.finditer(text):
            spaced, name = bool(match.group(1) or match.group(3)), match.group(2)
            if (name, spaced) in seen or name in extra:
                continue
            seen.add((name, spaced))
            where = _placeholder_range(document, path, match.group(0))
            if spaced and name in provided:
                message = (f"`{match.group(0)}` is never replaced: gh-models replaces `{{{{{name}}}}}` "
                           "only as written, without spaces")
            elif spaced:
                continue  # not gh-models' syntax; another tool's (Jinja) perhaps: quiet
            elif name not in provided:
                message = (f"no testData row gives `{name}`: `gh models eval` sends `{{{{{name}}}}}` "
                           "as written")
            else:
                missing = [i for i, row in enumerate(rows) if name not in row]
                if not missing:
                    continue
                message = (f"testData row{'s' if len(missing) > 1 else ''} "
                           f"{', '.join(str(i) for i in missing[:5])}{', ...' if len(missing) > 5 else ''} "
                           f"give{'' if len(missing) > 1 else 's'} no `{name}`: `gh models eval` sends "
                           f"`{{{{{name}}}}}` as written there")
            yield _finding(document, "RL901", None, Said(message), path, where=where)


def _templated(spec: dict) -> Iterator[tuple[tuple, object, frozenset]]:
    """(path, text, names given besides testData) of every string gh-models templates."""
    for index, message in enumerate(spec.get("messages") or ()):
        if isinstance(message, dict):
            yield ("messages", index, "content"), message.get("content"), frozenset()
    evaluators = spec.get("evaluators")
    for index, evaluator in enumerate(evaluators if isinstance(evaluators, list) else ()):
        if not isinstance(evaluator, dict):
            continue
        string = evaluator.get("string")
        if isinstance(string, dict):
            for key in STRING_EVALUATOR_KEYS:
                yield ("evaluators", index, "string", key), string.get(key), frozenset()
        llm = evaluator.get("llm")
        if isinstance(llm, dict):
            # runLLMEvaluator adds the answer as `completion`; the system prompt is not templated
            yield ("evaluators", index, "llm", "prompt"), llm.get("prompt"), frozenset({"completion"})


def _placeholder_range(document: Document, path: tuple, placeholder: str) -> Range:
    """The placeholder itself when the scalar holds it as written, else the scalar."""
    where = document.locate(path)
    written = document.text_at(where)
    at = written.find(placeholder)
    if at == -1:
        return where
    lines_before = written.count("\n", 0, at)
    line = where.line + lines_before
    column = (where.column + at) if not lines_before else at - written.rfind("\n", 0, at) - 1
    return Range(line, column, line, column + len(placeholder))
