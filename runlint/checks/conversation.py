"""A conversation written out in a request: each tool message must answer an earlier tool call."""

from __future__ import annotations

from typing import Any

from ..conditions import Context, Violation
from . import check


@check("tool-messages-answer-calls")
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
