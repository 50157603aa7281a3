"""promptfoo configurations (`promptfooconfig.yaml`): the OpenAI requests they declare, read as
promptfoo 0.123.1 builds them (docs/formats/promptfoo.md has the mapping, with its source).

Each OpenAI provider of `providers:` (or `targets:`) is one request: `openai:chat:<model>` a Chat
Completions body, `openai:responses:<model>` a Responses body, `openai:<model>` whichever of the two
promptfoo's registry picks for that model (data/promptfoo.yaml). The body is what promptfoo would
send: the `config` keys it passes, under the names it sends them; the defaults it adds itself
(`max_tokens: 1024`, `temperature: 0` unless `omitDefaults`); without what it drops for the models it
treats as reasoning models (a finding RL902, info, at the dropped key); with `passthrough` spread
over it. The prompts become the messages (Chat) or the input (Responses): the inline ones as written,
a prompt promptfoo loads from a file as a stand-in message that runlint cannot read.

Other providers (anthropic:, ollama:, http:, file://, python:, exec:, openrouter:, azure: whose model
is a deployment name, an OpenAI-compatible server at another `apiBaseUrl` with a model runlint does
not know, ...) yield a request with `openai=False`: the format's own checks only.

The format's own findings, each at the user's own key:
- RL900 unknown-format-key: a key promptfoo ignores (top level, provider, test, assertion, and an
  OpenAI provider's `config`, where a key the other API reads is named as such), with did-you-mean;
- RL901 undefined-template-variable: a `{{var}}` of an inline prompt that a test does not provide
  (nunjucks renders it as an empty string). Quiet whenever the test data is not all in the file
  (tests from a file or a generator, vars from a file, scenarios, a redteam section) or there are no
  tests (vars may come from the command line). Test vars that no prompt uses are not reported: they
  feed assertions, transforms, graders and prompt files just as well;
- RL902 dropped-by-tool: a parameter promptfoo drops (or never reads) for this model; the message
  says when the model would have rejected it;
- RL920 unknown-assertion-type: an assertion `type` promptfoo does not know ("Unknown assertion
  type", the test errors), with did-you-mean (an unsafe fix writes it);
- RL501 secret-in-spec on the whole configuration (an `apiKey`, an `env` value), with RL501's shapes.

`review()` then drops, from the checks' findings on these requests, what a promptfoo user cannot act
on (NOT_FOR_PROMPTFOO; warnings on values promptfoo adds itself) and says when an error is on
promptfoo's own default.

`read(value)` is the pure part: the parsed configuration in, `Built` requests (body + map entries
from request paths to the file's own paths) and `Note` findings (file paths) out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterator

from ...diagnostic import did_you_mean

NAME = "promptfoo"
PATTERNS = ("promptfooconfig*.yaml", "promptfooconfig*.yml")  # promptfooconfig.yaml, promptfooconfig.review.yml, ...
SYNTAX = "yaml"

# --- promptfoo's configuration schema (src/types/index.ts, dist tables-uwHkyHal.cjs): zod objects
# that strip what they do not know, silently. `plugins` and `strategies` at the top are moved into
# `redteam` by the loader (src/util/config/load.ts); `$schema` is for editors.
TOP_LEVEL_KEYS = ("description", "tags", "providers", "targets", "prompts", "tests", "scenarios", "defaultTest",
                  "outputPath", "sharing", "nunjucksFilters", "env", "derivedMetrics", "extensions", "metadata",
                  "redteam", "writeLatestResults", "tracing", "evaluateOptions", "commandLineOptions",
                  "plugins", "strategies", "$schema")
PROVIDER_KEYS = ("id", "label", "config", "prompts", "transform", "delay", "env", "inputs")
TEST_KEYS = ("description", "vars", "provider", "providers", "prompts", "providerOutput", "assert",
             "assertScoringFunction", "options", "threshold", "metadata")
GENERATOR_KEYS = ("path", "config")  # a test generator entry in `tests`
ASSERTION_KEYS = ("type", "value", "config", "threshold", "weight", "provider", "rubricPrompt", "metric",
                  "transform", "contextTransform")
ASSERT_SET_KEYS = ("type", "assert", "weight", "metric", "threshold", "config")
SCENARIO_KEYS = ("description", "config", "tests")
# What a misplaced top-level key means to do, where did-you-mean finds nothing close.
TOP_LEVEL_HINTS = {
    "assert": "assertions for every test go under `defaultTest.assert`",
    "vars": "variables for every test go under `defaultTest.vars`",
    "options": "options for every test go under `defaultTest.options`",
    "passRateThreshold": "promptfoo reads the pass rate threshold only from the environment, "
                         "PROMPTFOO_PASS_RATE_THRESHOLD",
    **{key: "it belongs under `evaluateOptions` (`maxConcurrency`, `repeat`, `delay`, `cache`, ...)"
       for key in ("concurrency", "maxConcurrency", "repeat", "delay", "cache")},
}
# The assertion types of src/assertions/index.ts (ASSERTION_HANDLERS), each also with `not-`; the
# special ones the evaluator handles itself; `promptfoo:redteam:*` graders.
ASSERTION_TYPES = (
    "agent-rubric", "answer-relevance", "bleu", "classifier", "contains", "contains-all", "contains-any",
    "contains-html", "contains-json", "contains-sql", "contains-xml", "context-faithfulness", "context-recall",
    "context-relevance", "conversation-relevance", "cost", "equals", "factuality", "finish-reason", "g-eval",
    "gleu", "guardrails", "icontains", "icontains-all", "icontains-any", "is-html", "is-json", "is-refusal",
    "is-sql", "is-valid-function-call", "is-valid-openai-function-call", "is-valid-openai-tools-call", "is-xml",
    "javascript", "latency", "levenshtein", "llm-rubric", "meteor", "model-graded-closedqa",
    "model-graded-factuality", "moderation", "perplexity", "perplexity-score", "pi", "python", "regex", "ruby",
    "rouge-n", "search-rubric", "skill-used", "similar", "similar:cosine", "similar:dot", "similar:euclidean",
    "starts-with", "tool-call-f1", "trajectory:goal-success", "trajectory:tool-args-match",
    "trajectory:step-count", "trajectory:tool-sequence", "trajectory:tool-used", "trace-error-spans",
    "trace-span-count", "trace-span-duration", "webhook", "word-count")
SPECIAL_ASSERTION_TYPES = ("assert-set", "select-best", "human", "max-score")

# --- an OpenAI provider's `config` (src/providers/openai/{index,chat,responses,util}.ts): what each
# API's provider reads. Anything else is ignored.
SHARED_CONFIG_KEYS = ("apiKey", "apiKeyEnvar", "apiKeyRequired", "apiHost", "apiBaseUrl", "organization", "headers",
                      "useDefaultApiKey", "cost", "inputCost", "outputCost", "audioCost", "audioInputCost",
                      "audioOutputCost", "model", "maxRetries", "omitDefaults", "passthrough", "functionToolCallbacks",
                      "mcp", "showThinking")
CHAT_CONFIG_KEYS = ("seed", "max_tokens", "max_completion_tokens", "reasoning_effort", "temperature", "top_p",
                    "presence_penalty", "frequency_penalty", "functions", "function_call", "tools", "tool_choice",
                    "tool_resources", "response_format", "stop", "prompt_cache_key", "prompt_cache_options",
                    "prompt_cache_retention", "modalities", "audio", "verbosity", "reasoning", "service_tier",
                    "user", "metadata", "store")
RESPONSES_CONFIG_KEYS = ("max_output_tokens", "reasoning", "reasoning_effort", "temperature", "instructions", "top_p",
                         "tools", "tool_choice", "max_tool_calls", "include", "previous_response_id", "response_format",
                         "verbosity", "truncation", "metadata", "parallel_tool_calls", "stream", "store", "background",
                         "webhook_url", "user", "service_tier", "prompt_cache_key", "prompt_cache_options",
                         "prompt_cache_retention")
# promptfoo's own defaults (env OPENAI_MAX_TOKENS / OPENAI_TEMPERATURE unset, no omitDefaults)
DEFAULT_MAX_TOKENS = 1024
DEFAULT_TEMPERATURE = 0

# Keys whose value is only known when promptfoo runs (a file, MCP servers): with them unknown, the
# keys that depend on them are left out too (a tool_choice without the tools it chooses from).
_DEPENDS = {"tools": ("tool_choice", "parallel_tool_calls"), "functions": ("function_call",)}
# promptfoo's maybeFilePath (src/prompts/utils.ts): a prompt string it loads from a file
_FILE_EXTENSIONS = (".cjs", ".cts", ".j2", ".js", ".json", ".jsonl", ".md", ".mjs", ".mts", ".py", ".ts", ".txt",
                    ".yml", ".yaml")
_TEMPLATE = "{{"


@dataclass
class Entry:
    """One map entry before the file's Document is known: request path prefix -> file path."""
    request: tuple
    file: tuple
    verbatim: bool
    default: bool = False  # a value promptfoo adds itself: `file` is the provider it belongs to


@dataclass
class Built:
    """A request promptfoo builds from one provider: its kind, body and where each part is written."""

    kind: str | None
    value: dict
    entries: list[Entry]
    openai: bool
    provider: tuple  # the provider's node in the file


# Rules whose advice a promptfoo user cannot follow, with the reason: their findings on a promptfoo
# request are dropped. Findings on a value promptfoo adds itself (Entry.default) are dropped too,
# unless they are errors: the API would reject what promptfoo sends (a model it does not know as a
# reasoning model), and the message then says the value is promptfoo's default.
NOT_FOR_PROMPTFOO = {
    "RL220": "promptfoo sends max_tokens to every model it does not treat as a reasoning model, and drops "
             "max_completion_tokens for them: `use max_completion_tokens` cannot be followed",
}


def on_default(entries: list[Entry], path: tuple) -> Entry | None:
    """The default entry a request path falls under, if the longest prefix that covers it is one."""
    best = None
    for entry in entries:
        if path[:len(entry.request)] == entry.request and (best is None or len(entry.request) > len(best.request)):
            best = entry
    return best if best is not None and best.default else None


@dataclass
class Note:
    """A finding of the format itself, at a node of the file."""
    code: str
    message: str
    path: tuple
    on_key: bool = False
    name: str | None = None  # RL901: the variable, located inside the node's text
    redact: bool = False  # RL501: the node holds a secret, never printed
    replacement: str | None = None  # the value a fix writes there (RL920: the type meant)
    capability: str | None = None  # RL902: what the model table is asked about the dropped key
    model: str | None = None


@dataclass
class _Prompt:
    """One of the configuration's prompts: where it is, and its text when the file holds it."""

    path: tuple
    text: str | None  # None: promptfoo loads it from elsewhere
    ref: str = ""
    label: str | None = None


@dataclass
class _Builder:
    """What one provider sends: its model, endpoint and config, turned into a request body."""

    model: str
    config: dict
    cpath: tuple  # the config's node in the file
    id_path: tuple  # the provider id's node (where promptfoo's own defaults are reported)
    body: dict = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    unknown: set = field(default_factory=set)  # config keys known only when promptfoo runs

    def send(self, key: str, value: Any, request: tuple | None = None, file_key: tuple | None = None):
        """Send config[key] (or `value`) at `request`, mapped to the user's key."""
        if (file_key or (key,))[0] in self.unknown:
            return
        request = request or (key,)
        self.body[request[0]] = value if len(request) == 1 else self.body.get(request[0], {})
        if len(request) > 1:
            node = self.body[request[0]]
            for part in request[1:-1]:
                node = node.setdefault(part, {})
            node[request[-1]] = value
        file_key = file_key or (key,)
        self.entries.append(Entry(request, self.cpath + file_key, verbatim=request == file_key))

    def default(self, request: tuple, value: Any):
        if request[0] in self.unknown:  # the user set it, to something runlint cannot know
            return
        self.body[request[0]] = value
        self.entries.append(Entry(request, self.id_path, verbatim=False, default=True))

    def drop(self, key: str, why: str, rejects: str | None = None):
        """RL902 at the user's key; `rejects`: the capability to ask the model table about (review
        adds "<model> would reject it" when the table says the model rejects it)."""
        self.notes.append(Note("RL902", f"promptfoo does not send `{key}` {why}", self.cpath + (key,), on_key=True,
                               capability=rejects, model=self.model))


@lru_cache(maxsize=1)
def facts() -> dict:
    """data/promptfoo.yaml: the model lists promptfoo's registry routes `openai:<model>` by."""
    from ..document import load_data_file

    return load_data_file("promptfoo.yaml")


def claims(file: str, head: bytes) -> bool:
    """By name (promptfooconfig*.yaml), then by content: a YAML mapping with `providers:` or
    `targets:` beside `prompts:`, `tests:`, `defaultTest:` or `redteam:` at its top level, or the
    schema comment promptfoo's `init` writes."""
    import fnmatch

    base = file.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if any(fnmatch.fnmatchcase(base, pattern) for pattern in PATTERNS):
        return True
    if not base.endswith((".yaml", ".yml")):
        return False
    text = head.decode("utf-8", "replace")
    if "promptfoo.dev/config-schema.json" in text:
        return True
    keys = set(re.findall(r"^([A-Za-z$]\w*):", text, re.M))
    return bool(keys & {"providers", "targets"}) and bool(keys & {"prompts", "tests", "defaultTest", "redteam"})


def requests(source) -> Iterator:
    """The format's entry (FORMATS-INTERFACE.md): a request for each OpenAI provider, and the
    format's own findings, positioned in the file."""
    from ...diagnostic import Diagnostic, to_pointer
    from ..request import PathMap, Request

    for document in source.documents[:1]:  # promptfoo reads the first YAML document
        built, notes = read(document.value)
        for note in notes:
            if note.code == "RL902":
                continue  # review() adds them, with what the model table says of the model
            where = variable_range(document, note.path, note.name) if note.name else \
                document.locate(note.path, on_key=True) if note.on_key else document.point_at(note.path)
            fix = None
            if note.replacement is not None:
                from ...diagnostic import Edit, Fix

                fix = Fix(f"Use `{note.replacement}`", (Edit(document.scalar_content(where), note.replacement),),
                          "unsafe")
            yield Diagnostic(note.code, "", None, note.message, where, to_pointer(note.path), file=document.file,
                             fix=fix, redact=note.redact)
        for request in built:
            entries = [(e.request, document, e.file, e.verbatim) for e in request.entries]
            if not any(e.request == () for e in request.entries):  # the root: the provider, in the user's words
                entries.append(((), document, request.provider, False))
            yield Request(request.kind, request.value, PathMap(entries), openai=request.openai)
        if isinstance(document.value, dict):
            yield _secrets_request(document, built)


def review(request, found: list, severity, models) -> list:
    """The findings of a promptfoo request, less what its user cannot act on: NOT_FOR_PROMPTFOO, and
    the warnings and infos on a value promptfoo adds itself (its map's entries on the provider's id,
    other than the model's). An error on such a value stays, said to be promptfoo's default.
    `severity(d)`: the severity the finding will have; `models()` the model table. It adds the
    request's RL902 findings (what promptfoo drops), saying when the model would reject the key."""
    from ...diagnostic import Diagnostic, Severity, to_pointer

    entries = request.where.entries
    home = next((e[2] for e in entries if e[0] == ("model",)), None)
    kept = []
    for d in found:
        if d.code in NOT_FOR_PROMPTFOO:
            continue
        entry, _rest = request.where.entry_of_pointer(d.pointer)
        if entry is not None and entry[0] not in ((), ("model",)) and not entry[3] and entry[2] == home:
            if severity(d) < Severity.ERROR:
                continue
            d.message = re.sub(r" \(written `[^`]*`\)$", "", d.message) + (
                f" (promptfoo sends `{entry[0][0]}` by default: `omitDefaults: true` in the provider's config "
                "leaves it out)")
        elif request.kind == "response" and d.code in _STRICT_CODES and d.pointer.startswith("/text/format"):
            d.message += " (promptfoo sends a json_schema response_format to the Responses API with `strict: true`)"
        kept.append(d)
    for note, document in _drops(request):
        message = note.message
        family = models().find(note.model) if note.capability else None
        if family is not None and family.accepts(note.capability) is False:
            message += f"; {note.model} would reject it"
        kept.append(Diagnostic(note.code, "", None, message, document.locate(note.path, on_key=True),
                               to_pointer(note.path), file=document.file))
    return kept


def _drops(request) -> list[tuple[Note, Any]]:
    """The RL902 notes of the provider a request was built for (its map's root entry names it)."""
    root = next((e for e in request.where.entries if e[0] == () and not e[3]), None)
    if root is None or not isinstance(root[1].value, dict):
        return []
    document, provider = root[1], root[2]
    for path, provider_id, options, id_path in _providers(document.value):
        if path == provider:
            _built, notes = _request(provider_id, options, path, id_path, list(_prompts(document.value)))
            return [(note, document) for note in notes if note.code == "RL902"]
    return []


_STRICT_CODES = ("RL210", "RL310")  # the strict schema rules


# ------------------------------------------------------------------------------------------------
def read(config: Any) -> tuple[list[Built], list[Note]]:
    """The requests a parsed configuration declares, and the format's own findings."""
    if not isinstance(config, dict):
        return [], []
    notes: list[Note] = []
    notes += _unknown_keys(config, (), TOP_LEVEL_KEYS, "promptfoo ignores this top-level key")
    prompts = list(_prompts(config))
    built = []
    for path, provider_id, options, id_path in _providers(config):
        if options is not None:
            notes += _unknown_keys(options, path, PROVIDER_KEYS, "promptfoo ignores this provider key")
        request, found = _request(provider_id, options, path, id_path, prompts)
        notes += found
        if request is not None:
            built.append(request)
    notes += _tests(config)
    notes += _undefined_variables(config, prompts)
    return built, notes


def _providers(config: dict) -> Iterator[tuple[tuple, str, dict | None, tuple]]:
    """(the provider's node, its id, its options or None, the id's node) of each provider."""
    key = "providers" if "providers" in config else "targets"
    providers = config.get(key)
    if isinstance(providers, str):
        yield (key,), providers, None, (key,)
        return
    if not isinstance(providers, list):
        return
    for index, item in enumerate(providers):
        path = (key, index)
        if isinstance(item, str):
            yield path, item, None, path
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            yield path, item["id"], item, path + ("id",)
        elif isinstance(item, dict) and len(item) == 1:  # {"openai:gpt-4o": {config: ...}}
            (provider_id, options), = item.items()
            if isinstance(provider_id, str) and isinstance(options, dict):
                yield path + (provider_id,), provider_id, options, path + (provider_id,)


def _route(provider_id: str, options: dict | None) -> tuple[str | None, str | None]:
    """(the API: "chat" or "responses", else None; the model) promptfoo's registry picks."""
    if not provider_id.startswith("openai:"):
        return None, None
    parts = provider_id.split(":")
    model_type, model = parts[1], ":".join(parts[2:])
    config = (options or {}).get("config") if isinstance((options or {}).get("config"), dict) else {}
    configured = config.get("model") if isinstance(config.get("model"), str) and config["model"].strip() else None
    if model_type in ("chat", "responses"):
        return model_type, model or configured or "gpt-5.6-terra"
    if ":" in provider_id[len("openai:"):]:
        return None, None  # openai:completion:..., openai:embedding:..., openai:realtime:... and the like
    data = facts()
    if _defaults_to_responses(model_type):
        return "responses", model_type
    if model_type in data["chat_models"]:
        return "chat", model_type
    if model_type in (*data["completion_models"], *data["tts_models"], *data["realtime_models"]):
        return None, None
    if model_type in data["responses_models"]:
        return "responses", model_type
    if model_type in ("agents", "chatkit", "assistant", "image", "video", "live", "embedding", "embeddings",
                      "moderation", "transcription", "tts", "speech", "completion", "realtime", "codex", "codex-sdk",
                      "codex-app-server", "codex-desktop", "agents-api", "codex-security") \
            or re.match(r"^gpt-live-1(-\d{4}-\d{2}-\d{2})?$", model_type):
        return None, None
    return "chat", model_type  # promptfoo warns "Unknown OpenAI model type" and uses Chat Completions


def _defaults_to_responses(model: str) -> bool:
    """promptfoo's shouldDefaultToOpenAiResponses: gpt-N.M from 5.6 on."""
    if re.match(r"^gpt-35(-|$)", model):
        return False
    match = re.match(r"^gpt-(\d+)(?:\.(\d+))?(?:-|$)", model)
    if not match:
        return False
    major, minor = int(match.group(1)), int(match.group(2) or 0)
    return major > 5 or (major == 5 and minor >= 6)


def _is_gpt5(model: str) -> bool:
    model = re.sub(r"(^|/)ft:", r"\1", model)
    return model.startswith("gpt-5") or "/gpt-5" in model


def _is_astra(model: str) -> bool:
    return bool(re.search(r"(?:^|[/-])gpt-6-astra(?:-|$)", model))


def _is_o_series(model: str) -> bool:
    return model.startswith(("o1", "o3", "o4")) or any(f"/{p}" in model for p in ("o1", "o3", "o4"))


def _is_reasoning(model: str, api: str) -> bool:
    """promptfoo's isReasoningModel (src/providers/openai/index.ts), and responses.ts's codex-mini."""
    model = re.sub(r"(^|/)ft:", r"\1", model)
    return (_is_o_series(model) or bool(re.search(r"(^|/)gpt-daybreak-(?:blue|red)-latest$", model))
            or _is_gpt5(model) or _is_astra(model) or (api == "responses" and model == "codex-mini-latest"))


def _request(provider_id: str, options: dict | None, path: tuple, id_path: tuple,
             prompts: list[_Prompt]) -> tuple[Built | None, list[Note]]:
    api, model = _route(provider_id, options)
    config = (options or {}).get("config")
    cpath = path + ("config",)
    if api is None or model is None or _TEMPLATE in model or (config is not None and not isinstance(config, dict)):
        return None, []  # a model named by a template ({{ env.MODEL }}) is known only when promptfoo runs
    config = config or {}
    notes = _unknown_config_keys(config, cpath, api)
    builder = _Builder(model, config, cpath, id_path, unknown=_unknown_values(config))
    builder.body["model"] = model
    builder.entries.append(Entry(("model",), id_path, verbatim=False))
    if api == "chat":
        _chat(builder, prompts)
    else:
        _responses(builder, prompts)
    _passthrough(builder, api)
    openai = _reaches_openai(config, model)
    kind = "chat-completion" if api == "chat" else "response"
    return Built(kind, builder.body, builder.entries, openai, path), notes + (builder.notes if openai else [])


def _reaches_openai(config: dict, model: str) -> bool:
    """A custom `apiBaseUrl`/`apiHost` is an OpenAI-compatible server (LM Studio, vLLM, a proxy):
    OpenAI's facts hold there only for a model id of OpenAI's (a proxy passes it on): one promptfoo
    lists, or one of OpenAI's families by its name."""
    base = config.get("apiBaseUrl") or config.get("apiHost")
    if not base or "api.openai.com" in str(base):
        return True
    data = facts()
    bare = re.sub(r"^ft:", "", model).split(":")[0]
    return bare in data["chat_models"] or bare in data["responses_models"] or bool(_OPENAI_NAMES.match(bare))


_OPENAI_NAMES = re.compile(r"^(?:gpt-\d|o[134](?:-|$)|chatgpt-|codex-|computer-use-)")


def _known(value: Any) -> bool:
    """Whether a config value is what promptfoo sends: not a file it loads, nor a whole template."""
    if isinstance(value, str):
        return not value.startswith("file://") and not (value.strip().startswith(_TEMPLATE))
    return True


def _temperature(b, c: dict, model: str, reasoning: bool) -> None:
    """`temperature` as promptfoo sends it, on both APIs: the user's, else its default of 0 (unless
    `omitDefaults`), for a model it does not treat as a reasoning model; dropped for one it does."""
    if not reasoning:
        if _present(c, "temperature"):
            b.send("temperature", c["temperature"])
        elif not c.get("omitDefaults"):
            b.default(("temperature",), DEFAULT_TEMPERATURE)
    elif _present(c, "temperature"):
        b.drop("temperature", f"to {model} (a reasoning model to it)")


def _present(config: dict, key: str) -> bool:
    return key in config and config[key] is not None


def _chat(b: _Builder, prompts: list[_Prompt]):
    """OpenAiChatCompletionProvider.getOpenAiBody (src/providers/openai/chat.ts)."""
    c, model = b.config, b.model
    reasoning, gpt5 = _is_reasoning(model, "chat"), _is_gpt5(model)
    b.body["messages"] = _messages(prompts, b.entries, "messages")
    if _present(c, "seed"):
        b.send("seed", c["seed"])
    if reasoning or gpt5:
        if _present(c, "max_tokens"):
            b.drop("max_tokens", f"to {model} (a reasoning model to it); set max_completion_tokens")
        if _present(c, "max_completion_tokens"):
            b.send("max_completion_tokens", c["max_completion_tokens"])
    else:
        if _present(c, "max_tokens"):
            b.send("max_tokens", c["max_tokens"])
        elif not c.get("omitDefaults"):
            b.default(("max_tokens",), DEFAULT_MAX_TOKENS)
        if _present(c, "max_completion_tokens"):
            b.drop("max_completion_tokens", f"to {model}: it sends it only to the models it treats as reasoning "
                   "models, and max_tokens instead")
    if reasoning or "gpt-oss" in model:
        if c.get("reasoning_effort"):
            b.send("reasoning_effort", c["reasoning_effort"])
    elif _present(c, "reasoning_effort"):
        b.drop("reasoning_effort", f"to {model}: it sends it only to the models it treats as reasoning models",
               "reasoning_effort")
    _temperature(b, c, model, reasoning)
    for key in ("top_p", "presence_penalty", "frequency_penalty", "prompt_cache_key", "prompt_cache_options",
                "prompt_cache_retention"):
        if _present(c, key):
            b.send(key, c[key])
    for key in ("functions", "function_call", "tools", "tool_choice", "tool_resources", "response_format", "stop",
                "service_tier", "user", "metadata"):
        if c.get(key):
            b.send(key, c[key])
    if "audio" in model:
        for key, fallback in (("modalities", ["text", "audio"]), ("audio", {"voice": "alloy", "format": "wav"})):
            if c.get(key):
                b.send(key, c[key])
            else:
                b.default((key,), fallback)
    if c.get("verbosity"):
        if gpt5 or _is_astra(model):
            b.send("verbosity", c["verbosity"])
        else:
            b.drop("verbosity", f"to {model}: it sends it only to gpt-5 and gpt-6-astra models")
    if c.get("reasoning"):
        if _is_o_series(model):
            b.send("reasoning", c["reasoning"])
        else:
            b.drop("reasoning", f"to {model} on Chat Completions (it sends it only to o-series models)")
    if _present(c, "store"):
        b.send("store", c["store"])
    _astra(b, "chat")


def _responses(b: _Builder, prompts: list[_Prompt]):
    """OpenAiResponsesProvider.getOpenAiBody (src/providers/openai/responses.ts)."""
    c, model = b.config, b.model
    reasoning = _is_reasoning(model, "responses")
    b.body["input"] = _messages(prompts, b.entries, "input")
    unknown = b.unknown
    if _present(c, "max_output_tokens"):
        b.send("max_output_tokens", c["max_output_tokens"])
    elif not reasoning and not c.get("omitDefaults"):
        b.default(("max_output_tokens",), DEFAULT_MAX_TOKENS)
    setting = c.get("reasoning") if isinstance(c.get("reasoning"), dict) else None
    effort = (setting or {}).get("effort") or c.get("reasoning_effort")
    if reasoning:
        if setting:
            for key, value in setting.items():
                b.send("reasoning", value, ("reasoning", key), ("reasoning", key))
        if effort and not (setting or {}).get("effort"):
            b.send("reasoning_effort", effort, ("reasoning", "effort"), ("reasoning_effort",))
    else:
        for key in ("reasoning", "reasoning_effort"):
            if _present(c, key):
                b.drop(key, f"to {model}: it sends reasoning settings only to the models it treats as reasoning "
                       "models", "reasoning_effort")
    _temperature(b, c, model, reasoning)
    if c.get("instructions"):
        b.send("instructions", c["instructions"])
    if _present(c, "top_p"):
        if not reasoning or not effort or effort == "none":
            b.send("top_p", c["top_p"])
        else:
            b.drop("top_p", f"to {model} with reasoning effort {effort}")
    if isinstance(c.get("tools"), list) and "tools" not in unknown:
        _responses_tools(b, c["tools"])
    choice = c.get("tool_choice")
    if choice and "tool_choice" not in unknown:
        if isinstance(choice, dict) and choice.get("type") == "function" and isinstance(choice.get("function"), dict) \
                and choice["function"].get("name"):
            b.send("tool_choice", {"type": "function", "name": choice["function"]["name"]})
            b.entries[-1].verbatim = False
        else:
            b.send("tool_choice", choice)
    for key in ("max_tool_calls", "previous_response_id", "truncation", "metadata", "stream", "background",
                "webhook_url", "user", "service_tier"):
        if c.get(key):
            b.send(key, c[key])
    for key in ("include", "prompt_cache_key", "prompt_cache_options", "prompt_cache_retention"):
        if key in c:
            b.send(key, c[key])
    _text_format(b, c.get("response_format") if "response_format" not in unknown else None)
    if c.get("verbosity"):
        if _is_gpt5(model) or _is_astra(model):
            b.body["text"]["verbosity"] = c["verbosity"]
            b.entries.append(Entry(("text", "verbosity"), b.cpath + ("verbosity",), verbatim=False))
        else:
            b.drop("verbosity", f"to {model}: it sends it only to gpt-5 and gpt-6-astra models")
    for key in ("parallel_tool_calls", "store"):
        if key in c and key not in unknown:
            b.send(key, bool(c[key]))
    _astra(b, "responses")


def _responses_tools(b: _Builder, tools: list):
    """A Chat-shaped function tool ({type: function, function: {...}}) is flattened for Responses."""
    sent = []
    for index, tool in enumerate(tools):
        if isinstance(tool, dict) and tool.get("type") == "function" and isinstance(tool.get("function"), dict):
            sent.append({**{k: v for k, v in tool.items() if k != "function"}, **tool["function"]})
            b.entries.append(Entry(("tools", index), b.cpath + ("tools", index, "function"), verbatim=False))
            b.entries.append(Entry(("tools", index, "type"), b.cpath + ("tools", index, "type"), verbatim=True))
        else:
            sent.append(tool)
    b.body["tools"] = sent
    b.entries.insert(0, Entry(("tools",), b.cpath + ("tools",), verbatim=True))


def _text_format(b: _Builder, response_format: Any):
    """`response_format` (Chat's shape) becomes `text.format`; a json_schema is sent strict."""
    rpath = b.cpath + ("response_format",)
    if not isinstance(response_format, dict):
        b.default(("text",), {"format": {"type": "text"}})
        return
    kind = response_format.get("type")
    if kind == "json_schema":
        inner = response_format.get("json_schema") if isinstance(response_format.get("json_schema"), dict) else {}
        schema_at = ("schema",) if "schema" in response_format else ("json_schema", "schema")
        schema = response_format.get("schema", inner.get("schema"))
        name = inner.get("name") or response_format.get("name") or "response_schema"
        b.body["text"] = {"format": {"type": "json_schema", "name": name, "schema": schema, "strict": True}}
        b.entries.append(Entry(("text", "format"), rpath, verbatim=False))
        b.entries.append(Entry(("text", "format", "schema"), rpath + schema_at, verbatim=True))
        b.entries.append(Entry(("text", "format", "type"), rpath + ("type",), verbatim=True))
    else:
        b.body["text"] = {"format": {"type": "json_object" if kind == "json_object" else "text"}}
        b.entries.append(Entry(("text", "format"), rpath, verbatim=False))
        b.entries.append(Entry(("text", "format", "type"), rpath + ("type",), verbatim=kind == "json_object"))


def _astra(b: _Builder, api: str):
    """applyGpt6AstraRequestRules (src/providers/openai/gpt6.ts): what it deletes for gpt-6-astra."""
    if not _is_astra(b.model):
        return
    for key in ("temperature", "top_p", "logprobs", "top_logprobs", "max_tokens",
                "max_output_tokens" if api == "chat" else "max_completion_tokens"):
        if key in b.body:
            del b.body[key]
            if _present(b.config, key):
                b.drop(key, f"to {b.model}")


def _passthrough(b: _Builder, api: str):
    """`passthrough` is spread over the body as written; promptfoo still deletes some after."""
    extra = b.config.get("passthrough")
    if not isinstance(extra, dict):
        return
    for key, value in extra.items():
        b.body[key] = value
        b.entries.append(Entry((key,), b.cpath + ("passthrough", key), verbatim=True))
    if "max_tokens" in extra and (api == "responses" or _is_reasoning(b.model, api) or _is_gpt5(b.model)):
        del b.body["max_tokens"]
        b.notes.append(Note("RL902", f"promptfoo deletes `max_tokens` from the request to {b.model} "
                                     f"({'the Responses API' if api == 'responses' else 'a reasoning model to it'})",
                            b.cpath + ("passthrough", "max_tokens"), on_key=True))


def _unknown_values(config: dict) -> set[str]:
    """Config keys whose value promptfoo loads when it runs (file://, a template, MCP's tools),
    with the keys that depend on them: none of them goes into the request runlint checks."""
    unknown = {key for key, value in config.items() if not _known(value)}
    if isinstance(config.get("mcp"), dict) and config["mcp"].get("enabled"):
        unknown.add("tools")
    for key in list(unknown):
        unknown.update(_DEPENDS.get(key, ()))
    return unknown


# --- prompts ------------------------------------------------------------------------------------
def _maybe_file(text: str) -> bool:
    """promptfoo's maybeFilePath: a prompt string it reads as a path (or a glob)."""
    if any(s in text for s in ("\n", "portkey://", "langfuse://", "helicone://")):
        return False
    if text.startswith("file://"):
        return True
    tokens = text.split(":")
    last, before = tokens[-1], tokens[-2] if len(tokens) > 1 else ""
    if any(last.endswith(ext) or before.endswith(ext) for ext in _FILE_EXTENSIONS):
        return True
    return (len(text) >= 3 and text[-3] == ".") or (len(text) >= 4 and text[-4] == ".") \
        or any(c in text for c in "*/\\")


def _external(text: str) -> bool:
    return text.startswith(("exec:", "portkey://", "langfuse://", "helicone://")) or _maybe_file(text)


def _prompts(config: dict) -> Iterator[_Prompt]:
    prompts = config.get("prompts")
    if prompts is None:
        yield _Prompt(("prompts",), "{{prompt}}")  # promptfoo's default prompt
        return
    items = [((), prompts)] if isinstance(prompts, str) else list(enumerate(prompts)) if isinstance(prompts, list) \
        else []
    if isinstance(prompts, dict):  # {raw or path: label}
        for raw, label in prompts.items():
            if isinstance(raw, str):
                yield _Prompt(("prompts", raw), None if _external(raw) else raw, raw, label)
        return
    for index, item in items:
        path = ("prompts",) + ((index,) if index != () else ())
        if isinstance(item, str):
            yield _Prompt(path, None if _external(item) else item, item)
        elif isinstance(item, dict):
            raw = item.get("raw") if isinstance(item.get("raw"), str) else None
            ref = item.get("id") if isinstance(item.get("id"), str) else ""
            if raw is not None:
                yield _Prompt(path + ("raw",), raw, ref or raw, item.get("label"))
            elif ref:
                yield _Prompt(path + ("id",), None if _external(ref) else ref, ref, item.get("label"))
            else:
                yield _Prompt(path, None, "", item.get("label"))


def _unread(prompt: _Prompt) -> str:
    return (f"(the prompt promptfoo loads from {prompt.ref or 'elsewhere'}: runlint does not read it, "
            "and assumes nothing of it, JSON included)")


def _parsed_chat(text: str) -> list | None:
    """promptfoo's parseChatPrompt: a YAML list of messages, or a JSON one; else None."""
    stripped = text.strip()
    try:
        if stripped.startswith("- role:"):
            import yaml

            value = yaml.safe_load(text)
        elif stripped.startswith("["):
            value = json.loads(text)
        else:
            return None
    except Exception:  # noqa: BLE001 - templates can make it no JSON until promptfoo renders it
        return None
    return value if isinstance(value, list) and all(isinstance(m, dict) for m in value) else None


def _messages(prompts: list[_Prompt], entries: list[Entry], field: str) -> list:
    """The prompts as messages (Chat) or input messages (Responses: normalizeResponsesInput keeps
    role/content messages as they are), each mapped to its prompt."""
    messages = []
    entries.append(Entry((field,), prompts[0].path[:1] if prompts else ("prompts",), verbatim=False))
    for prompt in prompts:
        parsed = _parsed_chat(prompt.text) if prompt.text is not None else None
        added = parsed if parsed is not None else [
            {"role": "user", "content": prompt.text if prompt.text is not None else _unread(prompt)}]
        for message in added:
            entries.append(Entry((field, len(messages)), prompt.path, verbatim=False))
            messages.append(message)
    return messages


# --- the format's own structure -----------------------------------------------------------------
def _did_you_mean(key: str, known) -> str:
    # promptfoo's keys are snake_case: `max-tokens` or `MAX_TOKENS` is compared as `max_tokens` too
    return did_you_mean(key, known) or did_you_mean(key.lower().replace("-", "_"), known)


def _unknown_keys(mapping: dict, path: tuple, known, what: str) -> list[Note]:
    notes = []
    for key in mapping:
        if isinstance(key, str) and key not in known:
            hint = _did_you_mean(key, known) or (f"; {TOP_LEVEL_HINTS[key]}" if not path and key in TOP_LEVEL_HINTS
                                                 else "")
            notes.append(Note("RL900", f"{what}: `{key}`{hint}", path + (key,), on_key=True))
    return notes


def _unknown_config_keys(config: dict, cpath: tuple, api: str) -> list[Note]:
    own, other = (CHAT_CONFIG_KEYS, RESPONSES_CONFIG_KEYS) if api == "chat" else (RESPONSES_CONFIG_KEYS, CHAT_CONFIG_KEYS)
    known = (*SHARED_CONFIG_KEYS, *own)
    name = "openai:chat" if api == "chat" else "openai:responses"
    other_name = "openai:responses" if api == "chat" else "openai:chat"
    notes = []
    for key in config:
        if not isinstance(key, str) or key in known:
            continue
        if key in other:
            hint = {"max_tokens": "max_output_tokens", "max_completion_tokens": "max_output_tokens",
                    "max_output_tokens": "max_tokens` or `max_completion_tokens"}.get(key)
            message = (f"the {name} provider does not read `{key}` (promptfoo reads it only for {other_name})"
                       + (f"; use `{hint}`" if hint else ""))
        else:
            message = f"the {name} provider does not read this config key: `{key}`{_did_you_mean(key, known)}"
        notes.append(Note("RL900", message, cpath + (key,), on_key=True))
    return notes


def _tests(config: dict) -> list[Note]:
    notes = []
    default = config.get("defaultTest")
    if isinstance(default, dict):
        notes += _unknown_keys(default, ("defaultTest",), [k for k in TEST_KEYS if k != "description"],
                               "promptfoo ignores this defaultTest key")
        notes += _assertions(default.get("assert"), ("defaultTest", "assert"))
    tests = config.get("tests")
    for index, test in enumerate(tests if isinstance(tests, list) else []):
        if not isinstance(test, dict):
            continue
        path = ("tests", index)
        if "path" in test and "vars" not in test and "assert" not in test:
            notes += _unknown_keys(test, path, GENERATOR_KEYS, "promptfoo ignores this key of a test generator")
            continue
        notes += _unknown_keys(test, path, TEST_KEYS, "promptfoo ignores this test key")
        notes += _assertions(test.get("assert"), path + ("assert",))
    for index, scenario in enumerate(config.get("scenarios") if isinstance(config.get("scenarios"), list) else []):
        if isinstance(scenario, dict):
            notes += _unknown_keys(scenario, ("scenarios", index), SCENARIO_KEYS, "promptfoo ignores this scenario key")
            for part in ("config", "tests"):
                for number, test in enumerate(scenario.get(part) if isinstance(scenario.get(part), list) else []):
                    if isinstance(test, dict):
                        path = ("scenarios", index, part, number)
                        notes += _unknown_keys(test, path, TEST_KEYS, "promptfoo ignores this test key")
                        notes += _assertions(test.get("assert"), path + ("assert",))
    return notes


def _assertions(asserts: Any, path: tuple) -> list[Note]:
    notes = []
    for index, assertion in enumerate(asserts if isinstance(asserts, list) else []):
        if not isinstance(assertion, dict):
            continue
        here = path + (index,)
        kind = assertion.get("type")
        if kind == "assert-set":
            notes += _unknown_keys(assertion, here, ASSERT_SET_KEYS, "promptfoo ignores this key of an assert-set")
            notes += _assertions(assertion.get("assert"), here + ("assert",))
            continue
        notes += _unknown_keys(assertion, here, ASSERTION_KEYS, "promptfoo ignores this assertion key")
        if isinstance(kind, str) and not _known_assertion(kind):
            base = kind[4:] if kind.startswith("not-") else kind
            hint = _did_you_mean(base, ASSERTION_TYPES)
            if hint and kind.startswith("not-"):
                hint = hint.replace("`", "`not-", 1)
            meant = re.search(r"`([^`]+)`", hint)
            notes.append(Note("RL920", f"promptfoo knows no assertion type `{kind}`: the test fails with "
                                       f"\"Unknown assertion type\"{hint}", here + ("type",),
                              replacement=meant.group(1) if meant else None))
    return notes


def _known_assertion(kind: str) -> bool:
    base = kind[4:] if kind.startswith("not-") else kind
    return base in ASSERTION_TYPES or kind in SPECIAL_ASSERTION_TYPES or base.startswith("promptfoo:redteam:") \
        or _TEMPLATE in kind


# --- template variables (RL901) -----------------------------------------------------------------
_RAW_BLOCK = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.S)
_COMMENT = re.compile(r"\{#.*?#\}", re.S)
_EXPRESSION = re.compile(r"\{\{-?(.*?)-?\}\}", re.S)
_TAG = re.compile(r"\{%-?\s*(\w+)(.*?)-?%\}", re.S)
_STRING = re.compile(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'")
_NAME = re.compile(r"(?<![\w.|])\s*([A-Za-z_]\w*)")
_WORDS = frozenset(("and", "or", "not", "in", "is", "if", "else", "true", "false", "none", "True", "False", "None",
                    "loop", "super", "caller", "range", "cycler", "joiner", "env", "_conversation"))


def _used_names(expression: str) -> list[str]:
    """The variables an expression reads: no attribute (`a.b`), filter (`| f`), keyword argument
    (`f(x=1)`), string or call (`f(...)`)."""
    expression = _STRING.sub('""', expression)
    names = []
    for match in re.finditer(r"([A-Za-z_]\w*)", expression):
        name, start, end = match.group(1), match.start(), match.end()
        before = expression[:start].rstrip()
        after = expression[end:].lstrip()
        if before.endswith((".", "|")) or after.startswith(("(", "=")) and not after.startswith("==") \
                or name in _WORDS or (start and (expression[start - 1].isalnum() or expression[start - 1] == "_")):
            continue
        names.append(name)
    return names


def template_names(text: str) -> tuple[list[str], set[str]]:
    """(the variables a nunjucks template reads, in order; the names it defines itself)."""
    text = _COMMENT.sub("", _RAW_BLOCK.sub("", text))
    used: list[str] = []
    defined: set[str] = set()
    for tag in _TAG.finditer(text):
        word, rest = tag.group(1), tag.group(2)
        if word == "for":
            targets, _, source = rest.partition(" in ")
            defined.update(re.findall(r"[A-Za-z_]\w*", targets))
            used += _used_names(source)
        elif word == "set":
            target, _, source = rest.partition("=")
            defined.update(re.findall(r"[A-Za-z_]\w*", target))
            used += _used_names(source)
        elif word == "macro":
            defined.update(re.findall(r"[A-Za-z_]\w*", rest.split("=")[0]))
            defined.update(re.findall(r"[A-Za-z_]\w*", rest))
        elif word in ("if", "elif"):
            used += _used_names(rest)
        elif word in ("import", "from"):
            defined.update(re.findall(r"[A-Za-z_]\w*", rest))
    for expression in _EXPRESSION.finditer(text):
        used += _used_names(expression.group(1))
    seen: list[str] = []
    for name in used:
        if name not in seen:
            seen.append(name)
    return seen, defined


def _test_vars(config: dict) -> list[tuple[int, set[str]]] | None:
    """Each inline test's variables (with defaultTest's), or None when some come from elsewhere."""
    if config.get("scenarios") or config.get("redteam") or config.get("plugins") or config.get("strategies"):
        return None
    default = config.get("defaultTest", {})
    if default is None:
        default = {}
    if not isinstance(default, dict) or not isinstance(default.get("vars", {}), dict):
        return None
    base = set((default.get("vars") or {}).keys())
    tests = config.get("tests")
    if not isinstance(tests, list) or not tests:
        return None
    found = []
    for index, test in enumerate(tests):
        if not isinstance(test, dict) or "path" in test and "vars" not in test:
            return None  # a file of tests, or a generator
        own = test.get("vars", {})
        if own is None:
            own = {}
        if not isinstance(own, dict):
            return None  # vars from a file
        if test.get("prompts"):
            continue  # meant for some prompts only
        found.append((index, base | set(own.keys())))
    return found


def _undefined_variables(config: dict, prompts: list[_Prompt]) -> list[Note]:
    tests = _test_vars(config)
    if not tests:
        return []
    notes = []
    for prompt in prompts:
        if prompt.text is None or prompt.path == ("prompts",) and "prompts" not in config:
            continue
        used, defined = template_names(prompt.text)
        for name in used:
            if name in defined:
                continue
            missing = [index for index, names in tests if name not in names]
            if not missing:
                continue
            if len(missing) == len(tests):
                who = "no test provides it" if len(tests) > 1 else "the test does not provide it"
            else:
                listed = ", ".join(f"tests[{i}]" for i in missing[:5]) + (", ..." if len(missing) > 5 else "")
                who = f"{listed} do{'es' if len(missing) == 1 else ''} not provide it"
            notes.append(Note("RL901", f"the prompt uses `{{{{{name}}}}}`, but {who} (and defaultTest does not): "
                                       "promptfoo renders it as an empty string", prompt.path, name=name))
    return notes


# --- secrets (RL501) ---------------------------------------------------------------------------------
def _secrets_request(document, built: list[Built]):
    """RL501 on the whole configuration (an `apiKey`, an `env` value, a header is written in it as
    much as in a request body): the configuration as a request of no kind, checked by RL501 alone;
    what goes into an OpenAI request verbatim is left out, for that request's own RL501."""
    import copy

    from ..request import PathMap, Request

    value = copy.deepcopy(document.value)
    sent = sorted({entry.file for request in built if request.openai for entry in request.entries if entry.verbatim},
                  key=len, reverse=True)
    for path in sent:
        node = value
        try:
            for part in path[:-1]:
                node = node[part]
            del node[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue
    return Request(None, value, PathMap.of(document), openai=True, rules=("RL501",))


# --- the editor ----------------------------------------------------------------------------------
# The keys' descriptions for hover and completion: schemas/formats/promptfoo.schema.json (its keys
# are this module's lists: tests/test_format_promptfoo.py checks it).
def model_of(provider_id: str) -> str | None:
    """The model an OpenAI provider id sends (for the editor's hover on a provider id)."""
    api, model = _route(provider_id, None)
    return model if api is not None else None


def variable_range(document, path: tuple, name: str):
    """Where `{{ name` stands inside the prompt at `path` (RL901 points at the variable, not the
    whole prompt); the node itself when it cannot be found as written (an escaped string)."""
    from ...diagnostic import Range

    node = document.locate(path)
    text = document.text_at(node)
    match = re.search(r"\{\{-?\s*(" + re.escape(name) + r")\b", text) or \
        re.search(r"\{%-?\s*(?:if|elif|for\s+.*?\s+in)\s+[^%]*?\b(" + re.escape(name) + r")\b", text)
    if match is None:
        return node
    start = Range.of_offsets(text, match.start(1), match.end(1))
    line = node.line + start.line
    column = (node.column if start.line == 0 else 0) + start.column
    return Range(line, column, line, column + len(name))
