"""The shape of one API sent to the other: Chat Completions fields in a Responses request (RL240)
and Responses fields in a Chat Completions request (RL241).

The schema layer sees only an unknown field, a missing one or a value out of its enum; these
checks name the mix-up and the place the other API keeps the same thing, at the user's key
(`on_key`) or value. A rule calls a check once for each `part` (its own message each). Each
violation carries its `scope`, the nodes the mix-up stands for: the rules `supersede` the schema's
findings there (Linter.supersede).
"""

from __future__ import annotations

from typing import Any

from ..conditions import Context, Violation
from ...diagnostic import Said
from . import check

# Chat Completions' top-level fields, and where the Responses API keeps the same thing.
CHAT_FIELDS_IN_RESPONSES = {
    "messages": "`input` (a string, or a list of messages and items)",
    "response_format": "`text.format`",
    "reasoning_effort": "`reasoning.effort`",
    "max_tokens": "`max_output_tokens`",
    "max_completion_tokens": "`max_output_tokens`",
    "verbosity": "`text.verbosity`",
    "web_search_options": "a `web_search` tool in `tools`",
    "functions": "`tools`, each as `{type: function, name, parameters}`",
    "function_call": "`tool_choice`",
    "logprobs": "`include: [message.output_text.logprobs]`",
}
# Chat Completions' top-level fields the Responses API has nothing for.
CHAT_ONLY = ("audio", "modalities", "n", "seed", "stop", "frequency_penalty", "presence_penalty", "logit_bias",
             "prediction")

# Responses' top-level fields, and where Chat Completions keeps the same thing.
RESPONSES_FIELDS_IN_CHAT = {
    "input": "`messages`",
    "instructions": "a `developer` (or `system`) message first in `messages`",
    "max_output_tokens": "`max_completion_tokens`",
    "text": "`response_format` and `verbosity`, at the top level",
    "reasoning": "`reasoning_effort`",
}
# Responses' fields that name stored state, which Chat Completions does not keep.
RESPONSES_STATE = ("previous_response_id", "conversation")
# Responses' top-level fields Chat Completions has nothing for (not `prompt`: the legacy
# Completions API's field too, so a `prompt` in Chat may come from there).
RESPONSES_ONLY = ("background", "context_management", "include", "max_tool_calls", "truncation")

# Responses' built-in tools; Chat Completions takes function and custom tools only.
WEB_SEARCH = ("web_search", "web_search_preview", "web_search_2025_08_26", "web_search_preview_2025_03_11")
BUILT_IN = ("file_search", "code_interpreter", "image_generation", "computer_use_preview", "computer", "mcp",
            "local_shell", "shell", "apply_patch", "tool_search")


# Content parts of a message, the other API's type -> what this one takes.
CHAT_PARTS_IN_RESPONSES = {
    "text": "`input_text` (`output_text` in an assistant message)",
    "image_url": "`input_image`, with `image_url` a URL string",
    "file": "`input_file`, with `file_id` or `file_data` on the part",
}
RESPONSES_PARTS_IN_CHAT = {
    "input_text": "`text`",
    "output_text": "`text`",
    "input_image": "`image_url`, with `image_url: {url: ...}`",
    "input_file": "`file`, with `file: {file_id}` (or `file_data`)",
}


def _parts(value: Any, name: str, types: dict) -> list[Violation]:
    """The content parts, of the messages in `value[name]`, whose type is one of `types`."""
    found = []
    for i, message in _listed(value, name):
        parts = message.get("content") if "role" in message else None
        for j, part in enumerate(parts if isinstance(parts, list) else []):
            if isinstance(part, dict) and isinstance(part.get("type"), str) and part["type"] in types:
                found.append(((name, i, "content", j, "type"), {
                    "value": part["type"], "there": Said(types[part["type"]]), "scope": ((name, i, "content", j),)}))
    return found


def _listed(value: Any, name: str) -> list[tuple[int, dict]]:
    items = value.get(name)
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)] if isinstance(items, list) else []


@check(fields=(*CHAT_FIELDS_IN_RESPONSES, *CHAT_ONLY, "tools", "tool_choice", "input"))
def chat_shape_in_responses(value: Any, args: dict, context: Context) -> list[Violation]:
    """Chat Completions fields and shapes in a Responses request, of one `part`: `fields` (top
    level), `no-equivalent` (top-level fields Responses has nothing for), `tools`, `tool_choice`, `tool-messages` (role `tool` in `input`), `tool-calls`,
    `content-parts` (Chat's types of a message's content parts)."""
    part = args.get("part")
    if part == "fields":
        return [((name,), {"key": Said(name), "there": Said(there), "scope": (), "on_key": True})
                for name, there in CHAT_FIELDS_IN_RESPONSES.items() if name in value]
    if part == "no-equivalent":
        return [((name,), {"key": Said(name), "scope": (), "on_key": True}) for name in CHAT_ONLY if name in value]
    if part == "tools":
        return [(("tools", i, "function"), {"scope": (("tools", i),), "on_key": True}) for i, tool in _listed(value, "tools")
                if tool.get("type") == "function" and "function" in tool]
    if part == "tool_choice":
        choice = value.get("tool_choice")
        if isinstance(choice, dict) and choice.get("type") == "function" and "function" in choice:
            return [(("tool_choice", "function"), {"scope": (("tool_choice",),), "on_key": True})]
        return []
    if part == "tool-messages":
        return [(("input", i, "role"), {"scope": (("input", i),)}) for i, item in _listed(value, "input")
                if item.get("role") == "tool"]
    if part == "content-parts":
        return _parts(value, "input", CHAT_PARTS_IN_RESPONSES)
    if part == "tool-calls":
        return [(("input", i, "tool_calls"), {"scope": (), "on_key": True}) for i, item in _listed(value, "input")
                if item.get("role") == "assistant" and "tool_calls" in item]
    raise ValueError(f"no part {part!r}")


@check(fields=(*RESPONSES_FIELDS_IN_CHAT, *RESPONSES_STATE, *RESPONSES_ONLY, "tools",
                                          "tool_choice", "messages"))
def responses_shape_in_chat(value: Any, args: dict, context: Context) -> list[Violation]:
    """Responses fields and shapes in a Chat Completions request, of one `part`: `fields`, `state`,
    `no-equivalent` (top level), `tools` (flat function tools), `web-search` and `built-in` tools, `tool_choice`,
    `items` (Responses items in `messages`), `content-parts` (Responses' types of content parts)."""
    part = args.get("part")
    if part == "fields":
        # `input` for `messages`: the missing `messages` is the same mistake
        return [((name,), {"key": Said(name), "there": Said(there),
                           "scope": (("messages",),) if name == "input" and "messages" not in value else (),
                           "on_key": True})
                for name, there in RESPONSES_FIELDS_IN_CHAT.items() if name in value]
    if part == "state":
        return [((name,), {"key": Said(name), "scope": (), "on_key": True}) for name in RESPONSES_STATE if name in value]
    if part == "no-equivalent":
        return [((name,), {"key": Said(name), "scope": (), "on_key": True}) for name in RESPONSES_ONLY if name in value]
    if part == "tools":
        return [(("tools", i, "name"), {"scope": (("tools", i),), "on_key": True}) for i, tool in _listed(value, "tools")
                if tool.get("type") == "function" and "function" not in tool and "name" in tool]
    if part in ("web-search", "built-in"):
        kinds = WEB_SEARCH if part == "web-search" else BUILT_IN
        return [(("tools", i, "type"), {"value": tool["type"], "scope": (("tools", i),)})
                for i, tool in _listed(value, "tools") if tool.get("type") in kinds]
    if part == "tool_choice":
        choice = value.get("tool_choice")
        if (isinstance(choice, dict) and choice.get("type") == "function" and "function" not in choice
                and "name" in choice):
            return [(("tool_choice", "name"), {"scope": (("tool_choice",),), "on_key": True})]
        return []
    if part == "content-parts":
        return _parts(value, "messages", RESPONSES_PARTS_IN_CHAT)
    if part == "items":
        there = {"function_call_output": "a `tool` message (`tool_call_id`, `content`)",
                 "function_call": "an assistant message with `tool_calls`"}
        return [(("messages", i, "type"), {"value": item["type"], "there": Said(there[item["type"]]),
                                           "scope": (("messages", i),)})
                for i, item in _listed(value, "messages") if item.get("type") in there]
    raise ValueError(f"no part {part!r}")
