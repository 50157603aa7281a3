"""A conversation written out in a request: each tool result must answer a tool call in it."""

from __future__ import annotations

from typing import Any

from ..conditions import Context, Violation
from . import check


@check("tool-messages-answer-calls", fields=("messages",))
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


@check("function-outputs-answer-calls", fields=("input",))
def function_outputs_answer_calls(value: Any, args: dict, context: Context) -> list[Violation]:
    """Responses `input`: a `function_call_output`'s `call_id` must be the `call_id` of a
    `function_call` item in the same input (the API answers 400 "No tool call found for function
    call output with call_id ..."). The rule's `when` leaves out requests that continue a previous
    response or a conversation, which may hold the call; an input that refers to stored items
    (`item_reference`), carries a `compaction` of earlier turns or holds a program of programmatic
    tool calling (`program`, `program_output`) may hold it too, and is not checked; nor is an
    output a program's call produced (`caller: {type: program}`)."""
    items = value.get("input")
    if not isinstance(items, list):
        return []
    called, outputs = set(), []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        kind = item.get("type")
        if kind in _MAY_HOLD_CALLS or (kind is None and "id" in item and "role" not in item):
            return []
        if isinstance(kind, str) and kind.endswith("_call") and isinstance(item.get("call_id"), str):
            called.add(item["call_id"])  # a function_call, or any call an output may answer (tool_search_call)
        elif kind == "function_call_output" and isinstance(item.get("call_id"), str):
            caller = item.get("caller")
            if not (isinstance(caller, dict) and caller.get("type") == "program"):
                outputs.append((index, item["call_id"]))
    return [(("input", index, "call_id"), {"value": call_id, "choices": ", ".join(sorted(called)) or "none"})
            for index, call_id in outputs if call_id not in called]
