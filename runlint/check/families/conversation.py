"""A conversation written out in a request: each tool result must answer a tool call in it."""

from __future__ import annotations

from typing import Any

from ..conditions import Context, Violation
from ...diagnostic import Said
from . import check


@check(fields=("messages",))
def tool_messages_answer_calls(value: Any, args: dict, context: Context) -> list[Violation]:
    """Chat `messages`: a `tool` message's `tool_call_id` must name a call of an earlier assistant
    message (the API answers 400 "messages with role 'tool' must be a response to a preceeding
    message with 'tool_calls'")."""
    messages = value.get("messages")
    if not isinstance(messages, list):
        return []
    called: list[str] = []
    found: list[Violation] = []
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        if message.get("role") == "assistant" and isinstance(message.get("tool_calls"), list):
            called += [c["id"] for c in message["tool_calls"] if isinstance(c, dict) and isinstance(c.get("id"), str)]
        elif message.get("role") == "tool" and isinstance(message.get("tool_call_id"), str):
            if message["tool_call_id"] not in called:
                found.append((("messages", index, "tool_call_id"), {
                    "value": message["tool_call_id"], "choices": ", ".join(called) or "none"}))
    return found


# Input items that may hold (or stand for) function calls runlint cannot see.
_MAY_HOLD_CALLS = ("item_reference", "compaction", "program", "program_output")


def _shown_items(value: Any) -> list[tuple[int, dict, Any]] | None:
    """The Responses input's items as (index, item, type), or None when the input may hold calls or
    outputs it does not show (stored items, a compaction, a program): then it is not checked."""
    items = value.get("input")
    if not isinstance(items, list):
        return None
    shown = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        kind = item.get("type")
        if kind in _MAY_HOLD_CALLS or (kind is None and "id" in item and "role" not in item):
            return None
        shown.append((index, item, kind))
    return shown


@check(fields=("input",))
def function_outputs_answer_calls(value: Any, args: dict, context: Context) -> list[Violation]:
    """Responses `input`: a `function_call_output`'s `call_id` must be the `call_id` of a
    `function_call` item in the same input (the API answers 400 "No tool call found for function
    call output with call_id ..."). The rule's `when` leaves out requests that continue a previous
    response or a conversation, which may hold the call; an input that refers to stored items
    (`item_reference`), carries a `compaction` of earlier turns or holds a program of programmatic
    tool calling (`program`, `program_output`) may hold it too, and is not checked; nor is an
    output a program's call produced (`caller: {type: program}`)."""
    called, outputs = set(), []
    for index, item, kind in _shown_items(value) or ():
        if isinstance(kind, str) and kind.endswith("_call") and isinstance(item.get("call_id"), str):
            called.add(item["call_id"])  # a function_call, or any call an output may answer (tool_search_call)
        elif kind == "function_call_output" and isinstance(item.get("call_id"), str):
            caller = item.get("caller")
            if not (isinstance(caller, dict) and caller.get("type") == "program"):
                outputs.append((index, item["call_id"]))
    return [(("input", index, "call_id"), {"value": call_id, "choices": ", ".join(sorted(called)) or "none"})
            for index, call_id in outputs if call_id not in called]


def _answers_in_chat(message: Any) -> bool:
    """A `tool` message, or a Responses `function_call_output` item written among Chat messages
    (RL241 names that mix-up: the call is answered, if in the wrong shape)."""
    return isinstance(message, dict) and (message.get("role") == "tool" or message.get("type") == "function_call_output")


@check(fields=("messages",))
def tool_calls_answered(value: Any, args: dict, context: Context) -> list[Violation]:
    """Chat `messages`: each call in an assistant message's `tool_calls` must be answered by a
    `tool` message among those that directly follow it (the API answers 400 "An assistant message
    with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The
    following tool_call_ids did not have response messages: call_..."). Only a call that a later
    non-tool message leaves behind is reported: a conversation that ends with the calls (or with
    some of their answers) is not, as no report shows what the API says to that."""
    messages = value.get("messages")
    if not isinstance(messages, list):
        return []
    found: list[Violation] = []
    for index, message in enumerate(messages):
        if not (isinstance(message, dict) and message.get("role") == "assistant"
                and isinstance(message.get("tool_calls"), list)):
            continue
        answered, after = set(), index + 1
        while after < len(messages) and _answers_in_chat(messages[after]):
            answered.add(messages[after].get("tool_call_id", messages[after].get("call_id")))
            after += 1
        if after >= len(messages):
            continue  # the conversation ends here: unknown, stay quiet
        for position, call in enumerate(message["tool_calls"]):
            if isinstance(call, dict) and isinstance(call.get("id"), str) and call["id"] not in answered:
                found.append((("messages", index, "tool_calls", position, "id"),
                              {"value": call["id"], "next": after}))
    return found


# The calls whose output the API requires in the same input, each with the words its error uses
# ("No tool output found for function call call_...", "... for custom tool call call_...").
_CALLS_NEEDING_OUTPUT = {"function_call": "function call", "custom_tool_call": "custom tool call"}


@check(fields=("input",))
def function_calls_answered(value: Any, args: dict, context: Context) -> list[Violation]:
    """Responses `input`: a `function_call` (or `custom_tool_call`) item needs an output item with
    its `call_id` in the same input (the API answers 400 "No tool output found for function call
    call_..."). The rule's `when` leaves out requests that continue a previous response or a
    conversation; an input that refers to stored items or holds a compaction or a program is not
    checked either (the output may be there)."""
    calls, answered = [], set()
    for index, item, kind in _shown_items(value) or ():
        if kind in _CALLS_NEEDING_OUTPUT and isinstance(item.get("call_id"), str):
            calls.append((index, item["call_id"], _CALLS_NEEDING_OUTPUT[kind]))
        elif isinstance(kind, str) and kind.endswith("_output") and isinstance(item.get("call_id"), str):
            answered.add(item["call_id"])  # any output answers its call: the pairing of types is the schema's
        elif item.get("role") == "tool" and isinstance(item.get("tool_call_id"), str):
            answered.add(item["tool_call_id"])  # a Chat tool message: RL240 names that mix-up
    return [(("input", index, "call_id"), {"value": call_id, "call": Said(words)})
            for index, call_id, words in calls if call_id not in answered]


def _is_message(item: dict) -> bool:
    return item.get("type") in (None, "message") and "role" in item


@check(fields=("input",))
def reasoning_items_followed(value: Any, args: dict, context: Context) -> list[Violation]:
    """Responses `input`: a replayed `reasoning` item must be followed by the item the model
    produced after it, as it was returned (with its `id`). The API answers 400 "Item 'rs_...' of
    type 'reasoning' was provided without its required following item." Reported only when the
    next item cannot be that one: a user, system or developer message, an assistant message with
    no `id` (written again by the client, as in pydantic-ai's recorded 400), or a tool's output.
    A reasoning item last in the input, or followed by another reasoning item, is left alone."""
    items = value.get("input")
    if not isinstance(items, list):
        return []
    found: list[Violation] = []
    for index, item in enumerate(items[:-1]):
        if not (isinstance(item, dict) and item.get("type") == "reasoning" and isinstance(item.get("id"), str)):
            continue
        following = items[index + 1]
        if not isinstance(following, dict):
            continue
        role, kind = following.get("role"), following.get("type")
        if _is_message(following) and (role in ("user", "system", "developer")
                                       or (role == "assistant" and "id" not in following)):
            shown = "an assistant message without its `id`" if role == "assistant" else f"a {role} message"
        elif isinstance(kind, str) and kind.endswith("_output"):
            shown = f"a `{kind}` item"
        else:
            continue
        found.append((("input", index, "id"), {"value": item["id"], "next": shown}))
    return found


@check(fields=("input", "store"))
def reasoning_items_stored(value: Any, args: dict, context: Context) -> list[Violation]:
    """Responses `input` with `store: false`: a `reasoning` item replayed by its `id` alone (no
    `encrypted_content`) is looked up among stored items, which a request made with `store: false`
    did not leave (the API answers 404 "Item with id 'rs_...' not found. Items are not persisted
    when `store` is set to false. ..."). The rule's `when` checks `store`."""
    items = value.get("input")
    if not isinstance(items, list):
        return []
    return [(("input", index, "id"), {"value": item["id"]}) for index, item in enumerate(items)
            if isinstance(item, dict) and item.get("type") == "reasoning" and isinstance(item.get("id"), str)
            and item.get("encrypted_content") is None]
