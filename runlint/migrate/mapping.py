"""A create-run or thread-and-run request body, rewritten in place as a Responses request body.

The table is docs/migrate.md's (the field map), checked against both official extracts. A
thread-and-run body is a create-run body whose messages start a new thread: `thread.messages`
become the input, and its `tool_resources` (top-level and the thread's) name the
vector stores and files its tools use, which a response's tools carry themselves. What has no
equivalent is never guessed: it is dropped or given a placeholder, and a `Step` says what a person
must do, at the path of the spec it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .edits import insert_after, move, new_map, remove, rename, text_like

# Placeholders are valid values (so the migrated file is a valid request) that no one would send.
MODEL_PLACEHOLDER = "TODO-the-assistant-model"
VECTOR_STORE_PLACEHOLDER = "TODO-vector-store-id"

# Steps, by the catalog's codes (rules/RL80x-*.yaml explain each).
STORED_STATE = "RL800"
NO_EQUIVALENT = "RL801"
VECTOR_STORES = "RL802"
JSON_WORD = "RL803"

# Fields with the same name and meaning in both requests.
_SAME = ("model", "instructions", "temperature", "top_p", "metadata", "parallel_tool_calls", "stream")


@dataclass(frozen=True)
class Step:
    """Something the migration could not do: the code of its kind, what to do, and where (a path in
    the create-run spec)."""

    code: str
    message: str
    path: tuple


@dataclass
class Resources:
    """What a thread-and-run's `tool_resources` give its tools, and where in the spec they were."""

    vector_store_ids: list = field(default_factory=list)  # the first list given (its style kept), extended
    file_ids: list = field(default_factory=list)
    where: dict = field(default_factory=dict)  # "vector_store_ids" / "file_ids" -> path of the first
    used: set = field(default_factory=set)  # which of them a tool took


def to_response(spec: dict, kind: str = "create-run") -> list[Step]:
    """Rewrite `spec` (a create-run or thread-and-run body) into a Responses body; return the steps
    left to a person."""
    steps: list[Step] = []
    original = dict(spec)  # what the request said, before any key moves
    resources = Resources()
    if kind == "thread-and-run":
        resources = _resources(spec, steps)
        _thread(spec, steps)
    _assistant(spec, original, steps, thread_unseen=kind == "create-run")
    _instructions(spec, original)
    _messages(spec, steps)
    _tools(spec, steps, resources)
    _unused(resources, steps)
    _tool_choice(spec)
    _response_format(spec, original, steps)
    _limits(spec, steps)
    _truncation(spec, steps)
    _reasoning(spec)
    return steps


def _present(spec: dict, key: str) -> bool:
    return spec.get(key) is not None


def _given(spec: dict, key: str) -> bool:
    """Whether `key` holds a value to map; a null (the API's default) is removed, as nothing to map."""
    if key in spec and spec[key] is None:
        remove(spec, key)
    return key in spec


# -- assistant and thread: the stored state a create-run request leant on ------------------------------

def _assistant(spec: dict, original: dict, steps: list[Step], thread_unseen: bool) -> None:
    if "assistant_id" not in spec:
        return
    assistant = spec["assistant_id"]
    name = f"assistant `{assistant}`" if isinstance(assistant, str) else "the assistant"
    if not _present(original, "model"):
        if "model" in spec:
            rename(spec, "model", "model", MODEL_PLACEHOLDER)
        else:
            insert_after(spec, "assistant_id", "model", MODEL_PLACEHOLDER)
        steps.append(Step(STORED_STATE, f"the run used the model stored with {name}: replace "
                          f"`{MODEL_PLACEHOLDER}` with it", ("assistant_id",)))
    lacking = [what for key, what in (("instructions", "instructions"), ("tools", "tools"))
               if not _present(original, key)]
    if lacking:
        steps.append(Step(STORED_STATE, f"the run used the {' and '.join(lacking)} stored with {name}, which "
                          "the spec does not hold: copy them into the request (a response has no stored "
                          "assistant)", ("assistant_id",)))
    if thread_unseen and not _present(original, "additional_messages"):
        steps.append(Step(STORED_STATE, "the run answered its thread's messages, which the spec does not hold: "
                          "give them as `input`, or continue a `conversation`", ("assistant_id",)))
    remove(spec, "assistant_id")


def _instructions(spec: dict, original: dict) -> None:
    if "additional_instructions" not in spec:
        return
    extra = spec["additional_instructions"]
    if not (isinstance(extra, str) and extra):  # null or empty: nothing was appended
        remove(spec, "additional_instructions")
    elif "instructions" in spec:
        # The run appended additional_instructions to the instructions: one text, a blank line between
        # ("" had wiped the assistant's instructions, and null left them: the extra text is all we have).
        base = original["instructions"]
        joined = base.rstrip("\n") + "\n\n" + extra if isinstance(base, str) and base.strip() else extra
        rename(spec, "instructions", "instructions", text_like(spec, base if isinstance(base, str) else extra,
                                                               joined))
        remove(spec, "additional_instructions")
    else:
        rename(spec, "additional_instructions", "instructions")


def _thread(spec: dict, steps: list[Step]) -> None:
    """thread-and-run: the new thread's messages become the input, where `thread` stood."""
    if not _given(spec, "thread"):
        return
    thread = spec["thread"]
    if not isinstance(thread, dict):
        return  # a wrong type: `check` says so
    if _present(thread, "metadata"):
        steps.append(Step(NO_EQUIVALENT, "the thread's metadata has no equivalent on a response; it is dropped "
                          "(a conversation, made with the Conversations API, takes metadata)",
                          ("thread", "metadata")))
    messages = thread.get("messages")
    if not messages:
        remove(spec, "thread")
        return
    rename(spec, "thread", "input", messages)
    for index, message in enumerate(messages if isinstance(messages, list) else []):
        if isinstance(message, dict):
            _message(message, ("thread", "messages", index), steps)


def _resources(spec: dict, steps: list[Step]) -> Resources:
    """Collect and remove `tool_resources` (thread-and-run's, and its thread's)."""
    found = Resources()
    thread = spec.get("thread")
    for holder, path in ((spec, ("tool_resources",)), (thread, ("thread", "tool_resources"))):
        resources = holder.get("tool_resources") if isinstance(holder, dict) else None
        if not isinstance(resources, dict):
            continue
        for tool, key in (("file_search", "vector_store_ids"), ("code_interpreter", "file_ids")):
            given = resources.get(tool)
            ids = given.get(key) if isinstance(given, dict) else None
            if isinstance(ids, list) and ids:
                if key in found.where:
                    getattr(found, key).extend(i for i in ids if i not in getattr(found, key))
                else:
                    setattr(found, key, ids)
                    found.where[key] = path + (tool, key)
        search = resources.get("file_search")
        if isinstance(search, dict) and search.get("vector_stores"):
            steps.append(Step(VECTOR_STORES, "a vector store made with the run has no equivalent on a response: "
                              "make it with the Vector Stores API and name it in file_search's `vector_store_ids`",
                              path + ("file_search", "vector_stores")))
        remove(holder, "tool_resources")
    return found


def _unused(resources: Resources, steps: list[Step]) -> None:
    """Resources no tool of the spec took were for the assistant's stored tools: say where they go."""
    for key, tool in (("vector_store_ids", "file_search"), ("file_ids", "code_interpreter")):
        if key in resources.where and key not in resources.used:
            steps.append(Step(NO_EQUIVALENT, f"the spec has no {tool} tool to give these {key} to (the "
                              f"assistant's stored tools used them): a response's {tool} tool names them; "
                              "they are dropped", resources.where[key]))


# -- messages ----------------------------------------------------------------------------------------

def _messages(spec: dict, steps: list[Step]) -> None:
    if not _given(spec, "additional_messages"):
        return
    messages = spec["additional_messages"]
    rename(spec, "additional_messages", "input")
    if not isinstance(messages, list):
        return  # a wrong type: `check` says so at its new place
    for index, message in enumerate(messages):
        if isinstance(message, dict):
            _message(message, ("additional_messages", index), steps)


def _message(message: dict, path: tuple, steps: list[Step]) -> None:
    if _present(message, "attachments"):
        steps.append(Step(NO_EQUIVALENT, "attachments have no equivalent on a response's input: put files for "
                          "file_search in a vector store (the tool's `vector_store_ids`), files for "
                          "code_interpreter in its container (`container.file_ids`)", path + ("attachments",)))
    remove(message, "attachments")
    if _present(message, "metadata"):
        steps.append(Step(NO_EQUIVALENT, "a message's metadata has no equivalent on a response's input; it is "
                          "dropped (the response's own `metadata` remains)", path + ("metadata",)))
    remove(message, "metadata")
    content = message.get("content")
    if isinstance(content, list):
        for part in content:
            if isinstance(part, dict):
                _content_part(part)


def _content_part(part: dict) -> None:
    kind = part.get("type")
    if kind == "text":
        part["type"] = "input_text"
    elif kind == "image_url" and isinstance(part.get("image_url"), dict):
        image = part["image_url"]
        part["type"] = "input_image"
        rename(part, "image_url", "image_url", image.get("url"))
        insert_after(part, "image_url", "detail", image.get("detail") or "auto")
    elif kind == "image_file" and isinstance(part.get("image_file"), dict):
        image = part["image_file"]
        part["type"] = "input_image"
        rename(part, "image_file", "file_id", image.get("file_id"))
        insert_after(part, "file_id", "detail", image.get("detail") or "auto")


# -- tools -------------------------------------------------------------------------------------------

def _tools(spec: dict, steps: list[Step], resources: Resources) -> None:
    tools = spec.get("tools") if _given(spec, "tools") else None
    if not isinstance(tools, list):
        return
    for index, tool in enumerate(tools):
        if not isinstance(tool, dict):
            continue
        kind = tool.get("type")
        if kind == "function" and isinstance(tool.get("function"), dict):
            _function_tool(tool)
        elif kind == "file_search":
            _file_search_tool(tool, ("tools", index), steps, resources)
        elif kind == "code_interpreter" and "container" not in tool:
            container = new_map(tool)
            container["type"] = "auto"
            if resources.file_ids:
                container["file_ids"] = resources.file_ids
                resources.used.add("file_ids")
            insert_after(tool, "type", "container", container)


def _function_tool(tool: dict) -> None:
    """{type, function: {name, description, parameters, strict}} -> {type, name, description, parameters,
    strict}. A response requires `parameters` and `strict`: their create-run defaults are written out
    (no parameters is an empty object schema; strict was off unless said)."""
    function = tool["function"]
    anchor = "type"
    remove(tool, "function")
    for key in ("name", "description", "parameters", "strict"):
        if key in function:
            move(function, key, tool, anchor)
            anchor = key
            continue
        if key == "parameters":
            value = new_map(tool)
            value["type"] = "object"
            value["properties"] = new_map(tool)
        elif key == "strict":
            value = False
        else:
            continue
        insert_after(tool, anchor, key, value)
        anchor = key


def _file_search_tool(tool: dict, path: tuple, steps: list[Step], resources: Resources) -> None:
    options = tool.get("file_search")
    remove(tool, "file_search")
    if resources.vector_store_ids:  # thread-and-run named them in tool_resources
        insert_after(tool, "type", "vector_store_ids", resources.vector_store_ids)
        resources.used.add("vector_store_ids")
    else:
        insert_after(tool, "type", "vector_store_ids", [VECTOR_STORE_PLACEHOLDER])
        steps.append(Step(VECTOR_STORES, "file_search searched the assistant's or thread's vector stores; a "
                          f"response names them: replace `{VECTOR_STORE_PLACEHOLDER}` with their IDs", path))
    if not isinstance(options, dict):
        return
    anchor = "vector_store_ids"
    for key in ("max_num_results", "ranking_options"):
        if key in options:
            move(options, key, tool, anchor)
            anchor = key
    ranking = options.get("ranking_options")
    if isinstance(ranking, dict) and ranking.get("ranker") not in (None, "auto"):
        steps.append(Step(NO_EQUIVALENT, f"the ranker `{ranking['ranker']}` is not offered by the Responses API "
                          "(its rankers are `auto` and `default-2024-11-15`); it is dropped, and `auto` applies",
                          path + ("file_search", "ranking_options", "ranker")))
        remove(ranking, "ranker")


def _tool_choice(spec: dict) -> None:
    choice = spec.get("tool_choice")
    if isinstance(choice, dict) and choice.get("type") == "function" and isinstance(choice.get("function"), dict):
        rename(choice, "function", "name", choice["function"].get("name"))


# -- output format -----------------------------------------------------------------------------------

def _response_format(spec: dict, original: dict, steps: list[Step]) -> None:
    if not _given(spec, "response_format"):
        return
    form = spec["response_format"]
    if form == "auto":
        remove(spec, "response_format")
    if not isinstance(form, dict):
        return
    if form.get("type") == "json_schema" and isinstance(form.get("json_schema"), dict):
        inner = form["json_schema"]
        remove(form, "json_schema")
        anchor = "type"
        for key in ("name", "description", "schema", "strict"):
            if key in inner:
                move(inner, key, form, anchor)
                anchor = key
    text = new_map(spec)
    text["format"] = form
    rename(spec, "response_format", "text", text)
    if form.get("type") == "json_object" and not _mentions_json(spec.get("input")):
        only = ("only the instructions say it" if _mentions_json(original.get("instructions"))
                or _mentions_json(original.get("additional_instructions")) else "no message says it")
        steps.append(Step(JSON_WORD, "JSON mode in a response needs the word \"JSON\" in its input, and "
                          f"{only}: the API rejects the request; say it in an input message",
                          ("response_format",)))


def _mentions_json(value: Any) -> bool:
    if isinstance(value, str):
        return "json" in value.lower()
    if isinstance(value, dict):
        return any(_mentions_json(v) for k, v in value.items() if k in ("content", "text"))
    if isinstance(value, list):
        return any(_mentions_json(v) for v in value)
    return False


# -- limits, truncation, reasoning ---------------------------------------------------------------------

def _limits(spec: dict, steps: list[Step]) -> None:
    if "max_completion_tokens" in spec:
        rename(spec, "max_completion_tokens", "max_output_tokens")
    if _present(spec, "max_prompt_tokens"):
        steps.append(Step(NO_EQUIVALENT, "max_prompt_tokens has no equivalent in the Responses API; it is "
                          "dropped (the input is limited by the model's context window only)",
                          ("max_prompt_tokens",)))
    remove(spec, "max_prompt_tokens")


def _truncation(spec: dict, steps: list[Step]) -> None:
    if not _given(spec, "truncation_strategy"):
        return
    strategy = spec["truncation_strategy"]
    kind = strategy.get("type") if isinstance(strategy, dict) else None
    if kind == "auto":
        rename(spec, "truncation_strategy", "truncation", "auto")
        return
    if kind == "last_messages":
        steps.append(Step(NO_EQUIVALENT, "truncation to the last messages has no equivalent: a response's "
                          "truncation is `auto` (drop from the start to fit) or `disabled`; it is dropped, and "
                          "a too-long input now fails instead", ("truncation_strategy",)))
    if kind is not None:
        remove(spec, "truncation_strategy")


def _reasoning(spec: dict) -> None:
    if not _given(spec, "reasoning_effort"):
        return
    reasoning = new_map(spec)
    reasoning["effort"] = spec["reasoning_effort"]
    rename(spec, "reasoning_effort", "reasoning", reasoning)
