"""What a request defines and what refers to it, by path: function tools and the places that name
them, tool calls and the messages that answer them, and `$defs` entries and the `$ref`s to them.

Read from the structure, not the kind, so it works for every kind (and for batch bodies): a Chat or
create-run tool has `function.name`, a Responses tool has `name`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from ..path import Path


@dataclass(frozen=True)
class Place:
    name: str
    path: tuple
    defines: bool  # the definition (a tool, a call), not a use of it


def _items(value: Any, key: str) -> Iterator[tuple[int, dict]]:
    node = value.get(key) if isinstance(value, dict) else None
    if isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, dict):
                yield index, item


def _named(node: Any, path: tuple) -> Iterator[tuple[str, tuple]]:
    if isinstance(node, dict) and isinstance(node.get("name"), str):
        yield node["name"], path + ("name",)


def functions(value: Any) -> list[Place]:
    """Every function name in the request: the tools that define one, and every place naming one."""
    found: list[Place] = []
    for index, tool in _items(value, "tools"):
        if isinstance(tool.get("function"), dict):
            found += [Place(n, p, True) for n, p in _named(tool["function"], ("tools", index, "function"))]
        elif tool.get("type") in ("function", "custom"):
            found += [Place(n, p, True) for n, p in _named(tool, ("tools", index))]
    for index, function in _items(value, "functions"):  # Chat's deprecated functions
        found += [Place(n, p, True) for n, p in _named(function, ("functions", index))]
    found += [Place(n, p, False) for n, p in _choices(value)]
    for key in ("messages", "additional_messages"):
        for index, message in _items(value, key):
            for call, item in _items(message, "tool_calls"):
                found += [Place(n, p, False) for n, p in _named(item.get("function"),
                                                                (key, index, "tool_calls", call, "function"))]
            found += [Place(n, p, False) for n, p in _named(message.get("function_call"), (key, index, "function_call"))]
    for index, item in _items(value, "input"):
        if item.get("type") in ("function_call", "custom_tool_call"):
            found += [Place(n, p, False) for n, p in _named(item, ("input", index))]
    return found


def _choices(value: Any) -> Iterator[tuple[str, tuple]]:
    choice = value.get("tool_choice") if isinstance(value, dict) else None
    if isinstance(choice, dict):
        yield from _named(choice.get("function"), ("tool_choice", "function"))  # Chat, create-run
        if choice.get("type") in ("function", "custom"):
            yield from _named(choice, ("tool_choice",))  # Responses
        for index, tool in _items(choice, "tools"):  # allowed_tools
            yield from _named(tool.get("function"), ("tool_choice", "tools", index, "function"))
            yield from _named(tool, ("tool_choice", "tools", index))
    call = value.get("function_call") if isinstance(value, dict) else None
    yield from _named(call, ("function_call",))  # Chat's deprecated function_call


def is_choice(path: tuple) -> bool:
    """A place where a function is chosen by name: what completion offers the functions for."""
    return (path in (("tool_choice", "function", "name"), ("tool_choice", "name"), ("function_call", "name"))
            or (path[:2] == ("tool_choice", "tools") and len(path) >= 4 and path[-1] == "name"))


def calls(value: Any) -> list[Place]:
    """Tool calls and their answers: Chat `tool_calls[].id` / `tool_call_id`, Responses
    `function_call.call_id` / `function_call_output.call_id`."""
    found: list[Place] = []
    for index, message in _items(value, "messages"):
        for call, item in _items(message, "tool_calls"):
            if isinstance(item.get("id"), str):
                found.append(Place(item["id"], ("messages", index, "tool_calls", call, "id"), True))
        if isinstance(message.get("tool_call_id"), str):
            found.append(Place(message["tool_call_id"], ("messages", index, "tool_call_id"), False))
    for index, item in _items(value, "input"):
        if isinstance(item.get("call_id"), str):
            defines = not str(item.get("type", "")).endswith("_output")
            found.append(Place(item["call_id"], ("input", index, "call_id"), defines))
    return found


def call_ids_before(value: Any, message_index: int) -> list[str]:
    """The ids of the tool calls made by assistant messages before `messages[message_index]`."""
    ids = []
    for place in calls(value):
        if place.defines and place.path[0] == "messages" and place.path[1] < message_index and place.name not in ids:
            ids.append(place.name)
    return ids


def ref_target(spans: dict, path: tuple, ref: Any) -> tuple | None:
    """The path of the node a local `$ref` (at `path`) points to: the pointer is read from the
    nearest enclosing node that has it (the JSON Schema the `$ref` is in)."""
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return None
    parts = Path.from_pointer(ref[1:])  # its digits as indexes: tried against the spans below
    for depth in range(len(path) - 1, -1, -1):
        target = path[:depth] + parts
        if target in spans:
            return target
    return None


def refs(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(path of the `$ref` value, the reference) for every `$ref` in the request."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                yield path + (key,), item
            else:
                yield from refs(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from refs(item, path + (index,))


def value_at(value, path: tuple):
    """The node at `path` (keys and list indexes), or None where the request has none."""
    for part in path:
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            return None
    return value
