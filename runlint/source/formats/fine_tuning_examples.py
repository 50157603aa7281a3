"""The checks of one OpenAI fine-tuning example (a line of a fine-tuning data file), without positions.

What an example may hold is OpenAI's API description (openai/openai-openapi at 9a72a428, 2025-05-20:
FineTuneChatRequestInput, FineTuneChatCompletionRequestAssistantMessage, FineTunePreferenceRequestInput,
FineTuneReinforcementRequestInput, FineTuneCompletionRequestInput, and the ChatCompletionRequest*Message
schemas they use) and OpenAI's guides; docs/formats/fine-tuning.md gives each check its source.

`example_kind` tells what a line is; `check_example` says what is wrong in it, as `Finding`s at
paths inside the line (runlint/source/formats/fine_tuning.py gives them their places in the file).
Pure functions of the value: no positions, no state across lines, cheap enough for 100,000 lines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ...diagnostic import Severity, closest, shorten

# What a line is: supervised chat examples and reinforcement examples both hold `messages`; a line
# with keys besides the supervised ones is a reinforcement example (its other keys are the grader's,
# `{{ item.KEY }}`); preference (DPO) examples hold `input` and the two outputs; the legacy format
# (babbage-002, davinci-002) `prompt` and `completion`.
CHAT, REINFORCEMENT, PREFERENCE, COMPLETION = "chat", "reinforcement", "preference", "completion"
KIND_NAMES = {CHAT: "a chat example (`messages`)", REINFORCEMENT: "a reinforcement example (`messages` and "
              "reference fields)", PREFERENCE: "a preference example (`input`, `preferred_output`, "
              "`non_preferred_output`)", COMPLETION: "a legacy prompt/completion example"}
# The families that cannot share a file: every method reads one of them.
FAMILY = {CHAT: "messages", REINFORCEMENT: "messages", PREFERENCE: "preference", COMPLETION: "completion"}

CHAT_KEYS = ("messages", "tools", "parallel_tool_calls", "functions")
INPUT_KEYS = ("messages", "tools", "parallel_tool_calls")
# The guide and every example OpenAI gives name the outputs `preferred_output`/`non_preferred_output`;
# the API description of 2025-05 names them `preferred_completion`/`non_preferred_completion`. Both are
# read, neither reported.
OUTPUTS = (("preferred_output", "preferred_completion"), ("non_preferred_output", "non_preferred_completion"))
PREFERENCE_KEYS = ("input", *(name for pair in OUTPUTS for name in pair))
COMPLETION_KEYS = ("prompt", "completion")

# The keys of each message, by role (ChatCompletionRequest*Message; `weight` only on the assistant's,
# FineTuneChatCompletionRequestAssistantMessage).
MESSAGE_KEYS = {
    "system": ("role", "content", "name"),
    "developer": ("role", "content", "name"),
    "user": ("role", "content", "name"),
    "assistant": ("role", "content", "name", "tool_calls", "function_call", "refusal", "audio", "weight"),
    "tool": ("role", "content", "tool_call_id"),
    "function": ("role", "content", "name"),
}
ROLES = tuple(MESSAGE_KEYS)
OUTPUT_ROLES = ("assistant", "tool")  # a preference output's messages
_FUNCTION_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")  # ChatCompletionFunctions.name


@dataclass(frozen=True)
class Finding:
    """One problem of one example: its rule, where (the path in the line), and what to say."""

    code: str
    path: tuple
    message: str
    on_key: bool = False  # at the key of the node at `path`, not its value
    severity: Severity | None = None  # None: the rule's own
    # the one-to-one fix, as what the node (its key, with `on_key`) becomes: a JSON text, None for none
    replacement: str | None = None


def near_miss(key: str) -> str | None:
    """The supervised key that `key` misspells (`tool`, `function`), if any: such a key is a typo, not
    a reinforcement example's reference field."""
    if key in CHAT_KEYS:
        return None
    return closest(key, CHAT_KEYS, cutoff=0.8)


def example_kind(value: Any) -> str | None:
    """CHAT, REINFORCEMENT, PREFERENCE, COMPLETION, or None for a line that is none of them."""
    if not isinstance(value, dict):
        return None
    if any(name in value for pair in OUTPUTS for name in pair):
        return PREFERENCE
    if "messages" in value:  # before `input`: a reinforcement example may name a reference field so
        return REINFORCEMENT if any(key not in CHAT_KEYS and not near_miss(key) for key in value) else CHAT
    if "input" in value:
        return PREFERENCE
    if "prompt" in value or "completion" in value:
        return COMPLETION
    return None


def has_assistant(value: Any) -> bool:
    messages = value.get("messages") if isinstance(value, dict) else None
    return isinstance(messages, list) and any(isinstance(m, dict) and m.get("role") == "assistant" for m in messages)


def _closest(word: str, known) -> str | None:
    return closest(word, known)


def _close(word: str, known) -> str:
    match = _closest(word, known)
    return f" (did you mean `{match}`?)" if match else ""


def _type(value: Any) -> str:
    """What a JSON value is, in JSON's words (a message's content is not "a mapping")."""
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number",
            float: "a number"}.get(type(value), "a value")


class _Findings(list):
    """One finding a node and problem: a check that reaches the same node twice says it once."""

    def add(self, code: str, path: tuple, message: str, on_key: bool = False, severity: Severity | None = None,
            replacement: str | None = None):
        if not any(f.code == code and f.path == path for f in self):
            self.append(Finding(code, path, message, on_key, severity, replacement))


def check_example(value: Any, kind: str | None, supervised: bool = False) -> list[Finding]:
    """What is wrong in one line, told as the `kind` of example it is. `supervised`: the file is a
    supervised training file (its first examples say so), where each example needs an assistant
    message and keys besides the supervised ones are unknown."""
    found = _Findings()
    if not isinstance(value, dict):
        found.add("RL710", (), f"a fine-tuning example is a JSON object, not {_type(value)}")
    elif kind is None:
        found.add("RL710", (), "this line is no fine-tuning example: a chat example has `messages`, a preference "
                  "example `input`, `preferred_output` and `non_preferred_output`"
                  + _close_to_any(value, ("messages", *PREFERENCE_KEYS)))
    elif kind in (CHAT, REINFORCEMENT):
        _chat(value, (), found)
        for key in value:
            if key in CHAT_KEYS:
                continue
            if supervised:
                found.add("RL715", (key,), f"`{key}` is no key of a supervised fine-tuning example"
                          f"{_close(key, CHAT_KEYS)}; only reinforcement fine-tuning reads other keys "
                          "(as `{{ item." + key + " }}` in its grader)", on_key=True)
            elif near_miss(key):
                found.add("RL715", (key,), f"`{key}` is no key of a fine-tuning example (did you mean "
                          f"`{near_miss(key)}`?); a reinforcement example's grader would read it as "
                          "`{{ item." + key + " }}`", on_key=True)
        if supervised and not has_assistant(value) and _roles_known(value.get("messages")):
            found.add("RL714", ("messages",), "this example has no assistant message: supervised "
                      "fine-tuning trains on the assistant's messages, and an example needs at least one",
                      on_key=True)
    elif kind == PREFERENCE:
        _preference(value, found)
    else:
        _completion(value, found)
    return found


def _roles_known(messages: Any) -> bool:
    """Messages whose roles are all known: a misspelt role (RL711) may be the missing assistant."""
    return isinstance(messages, list) and bool(messages) and all(
        isinstance(m, dict) and m.get("role") in ROLES for m in messages)


def _close_to_any(value: dict, known) -> str:
    for key in value:
        hint = _close(key, known)
        if hint:
            return f"; `{key}`" + hint
    return ""


def _chat(value: dict, at: tuple, found: _Findings) -> None:
    """A chat or reinforcement example, or a preference example's `input` (at `at`)."""
    messages = value.get("messages")
    if "messages" not in value:
        found.add("RL710", at, "this example has no `messages`" + _close_to_any(value, ("messages",)), on_key=bool(at))
    elif not isinstance(messages, list):
        found.add("RL710", (*at, "messages"), f"`messages` is a list of messages, not {_type(messages)}")
    elif not messages:
        found.add("RL710", (*at, "messages"), "`messages` is empty: an example needs at least one message")
    else:
        # Every chat role is taken: the API description lists no system message for reinforcement
        # examples, but reasoning models read one as the developer's, so none is reported there.
        for index, message in enumerate(messages):
            _message(message, (*at, "messages", index), ROLES, found)
    _tools(value, at, found)
    if "parallel_tool_calls" in value and not isinstance(value["parallel_tool_calls"], bool):
        found.add("RL710", (*at, "parallel_tool_calls"), "`parallel_tool_calls` is true or false, not "
                  + _type(value["parallel_tool_calls"]))
    _calls_defined(value, at, found)


def _message(message: Any, at: tuple, roles: tuple, found: _Findings) -> None:
    if not isinstance(message, dict):
        found.add("RL710", at, f"a message is a JSON object with `role` and `content`, not {_type(message)}")
        return
    role = message.get("role")
    if "role" not in message:
        found.add("RL711", at, "this message has no `role`" + _close_to_any(message, ("role",)))
        return
    if not isinstance(role, str) or role not in ROLES:
        shown = f"`{shorten(role)}`" if isinstance(role, str) else _type(role)
        meant = _closest(role, roles) if isinstance(role, str) else None
        found.add("RL711", (*at, "role"), f"role {shown} is none of {', '.join(roles)}"
                  + (f" (did you mean `{meant}`?)" if meant else ""),
                  replacement=json.dumps(meant) if meant else None)
        return
    if role not in roles:
        found.add("RL711", (*at, "role"), f"role `{role}` is not taken here: the messages here are "
                  + ", ".join(roles))
    for key in message:
        if key not in MESSAGE_KEYS[role]:
            if key == "weight":
                found.add("RL715", (*at, key), f"`weight` is read only on assistant messages, not on a {role} "
                          "message: it says whether an assistant message is trained on", on_key=True)
            else:
                meant = _closest(key, MESSAGE_KEYS[role])
                found.add("RL715", (*at, key), f"`{key}` is no key of a {role} message"
                          + (f" (did you mean `{meant}`?)" if meant else ""), on_key=True,
                          replacement=json.dumps(meant) if meant and meant not in message else None)
    _content(message, role, at, found)
    if role == "assistant":
        weight = message.get("weight")
        if "weight" in message and (type(weight) is not int or weight not in (0, 1)):
            found.add("RL713", (*at, "weight"), "`weight` is 0 or 1 (train on this message or not), not "
                      + (str(weight) if isinstance(weight, (int, float)) and not isinstance(weight, bool)
                         else _type(weight)), replacement=_weight(weight))
        _tool_calls(message, at, found)
    if role == "tool" and not isinstance(message.get("tool_call_id"), str):
        found.add("RL716", (*at, "tool_call_id") if "tool_call_id" in message else at,
                  "a tool message names the call it answers in `tool_call_id`, a string")


def _weight(weight: Any) -> str | None:
    """The 0 or 1 a weight means when it says it another way (true, "1", 1.0); None for 0.5."""
    if isinstance(weight, bool):
        return str(int(weight))
    if isinstance(weight, float) and weight in (0.0, 1.0):
        return str(int(weight))
    if isinstance(weight, str) and weight.strip() in ("0", "1"):
        return weight.strip()
    return None


def _content(message: dict, role: str, at: tuple, found: _Findings) -> None:
    content = message.get("content")
    if role == "assistant" and content is None:
        if not any(message.get(key) for key in ("tool_calls", "function_call")) and "refusal" not in message:
            found.add("RL712", (*at, "content") if "content" in message else at,
                      "this assistant message has no `content` and no `tool_calls`: it gives the model nothing "
                      "to learn")
        return
    if content is None and role == "function" and "content" in message:
        return  # ChatCompletionRequestFunctionMessage: `content` is required, and may be null
    if content is None:
        found.add("RL712", (*at, "content") if "content" in message else at,
                  f"a {role} message needs `content`" + ("" if "content" in message else _close_to_any(message, ("content",))))
    elif isinstance(content, list):
        if not content:
            found.add("RL712", (*at, "content"), "`content` is an empty list of parts")
        for index, part in enumerate(content):
            if not isinstance(part, dict) or not isinstance(part.get("type"), str):
                found.add("RL712", (*at, "content", index), "a content part is a JSON object with a `type`")
            elif part["type"] == "text" and not isinstance(part.get("text"), str):
                found.add("RL712", (*at, "content", index), "a text part holds its `text`, a string")
    elif not isinstance(content, str):
        found.add("RL712", (*at, "content"), f"`content` is a string or a list of parts, not {_type(content)}")


def _tool_calls(message: dict, at: tuple, found: _Findings) -> None:
    calls = message.get("tool_calls")
    if "tool_calls" in message and not isinstance(calls, list):
        found.add("RL716", (*at, "tool_calls"), f"`tool_calls` is a list of calls, not {_type(calls)}")
        return
    for index, call in enumerate(calls or []):
        where = (*at, "tool_calls", index)
        if not isinstance(call, dict):
            found.add("RL716", where, f"a tool call is a JSON object with `id`, `type` and `function`, not {_type(call)}")
            continue
        missing = [key for key in ("id", "type", "function") if key not in call]
        if missing:
            found.add("RL716", where, "this tool call has no " + " and no ".join(f"`{k}`" for k in missing))
        if "type" in call and call["type"] != "function":
            found.add("RL716", (*where, "type"), "a tool call's `type` is `function`")
        _function_call(call.get("function"), (*where, "function"), "function" in call, found)
    if "function_call" in message:
        _function_call(message["function_call"], (*at, "function_call"), True, found)


def _function_call(function: Any, at: tuple, present: bool, found: _Findings) -> None:
    if not present:
        return
    if not isinstance(function, dict):
        found.add("RL716", at, f"the call's function is a JSON object with `name` and `arguments`, not {_type(function)}")
        return
    if not isinstance(function.get("name"), str):
        found.add("RL716", (*at, "name") if "name" in function else at, "the called function's `name` is a string")
    arguments = function.get("arguments")
    if not isinstance(arguments, str):
        found.add("RL716", (*at, "arguments") if "arguments" in function else at,
                  "`arguments` is the call's arguments as a JSON text (a string)"
                  + ("" if arguments is None else f", not {_type(arguments)}"))
        return
    try:
        parsed = json.loads(arguments)
    except ValueError:
        found.add("RL717", (*at, "arguments"), "`arguments` is not valid JSON: the model learns to write "
                  "arguments the function cannot read")
        return
    if not isinstance(parsed, dict):
        found.add("RL717", (*at, "arguments"), f"`arguments` holds JSON {_type(parsed)}, not an object "
                  + ("(a JSON text encoded twice?)" if isinstance(parsed, str) else "")
                  + ": a function's arguments are a JSON object")


def _tools(value: dict, at: tuple, found: _Findings) -> None:
    tools, functions = value.get("tools"), value.get("functions")
    if "tools" in value and not isinstance(tools, list):
        found.add("RL719", (*at, "tools"), f"`tools` is a list of tools, not {_type(tools)}")
    for index, tool in enumerate(tools if isinstance(tools, list) else []):
        where = (*at, "tools", index)
        if not isinstance(tool, dict):
            found.add("RL719", where, f"a tool is a JSON object with `type` and `function`, not {_type(tool)}")
            continue
        if tool.get("type") != "function":
            found.add("RL719", (*where, "type") if "type" in tool else where,
                      "a fine-tuning example's tools are functions: `type` is `function`")
        if "function" not in tool:
            found.add("RL719", where, "this tool has no `function`" + (
                " (its name and parameters go inside `function` in Chat Completions' shape)" if "name" in tool else ""))
        else:
            _definition(tool["function"], (*where, "function"), found)
    if "functions" in value and not isinstance(functions, list):
        found.add("RL719", (*at, "functions"), f"`functions` is a list of functions, not {_type(functions)}")
    for index, function in enumerate(functions if isinstance(functions, list) else []):
        _definition(function, (*at, "functions", index), found)


def _definition(function: Any, at: tuple, found: _Findings) -> None:
    if not isinstance(function, dict):
        found.add("RL719", at, f"a function is a JSON object with `name` and `parameters`, not {_type(function)}")
        return
    name = function.get("name")
    if not isinstance(name, str) or not _FUNCTION_NAME.match(name):
        found.add("RL719", (*at, "name") if "name" in function else at,
                  "a function's `name` is 1 to 64 letters, digits, underscores or dashes"
                  + (f", not `{shorten(name)}`" if isinstance(name, str) else ""))
    if "parameters" in function and not isinstance(function["parameters"], dict):
        found.add("RL719", (*at, "parameters"), f"`parameters` is a JSON Schema object, not {_type(function['parameters'])}")


def defined_functions(value: dict) -> set[str] | None:
    """The names of the functions an example defines; None when it defines none."""
    names, defined = set(), False
    for tool in value.get("tools") if isinstance(value.get("tools"), list) else []:
        defined = True
        if isinstance(tool, dict) and isinstance(tool.get("function"), dict) and isinstance(tool["function"].get("name"), str):
            names.add(tool["function"]["name"])
    for function in value.get("functions") if isinstance(value.get("functions"), list) else []:
        defined = True
        if isinstance(function, dict) and isinstance(function.get("name"), str):
            names.add(function["name"])
    return names if defined else None


def _calls_defined(value: dict, at: tuple, found: _Findings, outputs: tuple = ()) -> None:
    """Each function an assistant message calls is one the example defines (when it defines any:
    an example without tools may teach calls to functions defined elsewhere)."""
    names = defined_functions(value)
    if names is None:
        return
    lists = [((*at, "messages"), value.get("messages")), *outputs]
    for where, messages in lists:
        for index, message in enumerate(messages if isinstance(messages, list) else []):
            if not isinstance(message, dict) or message.get("role") != "assistant":
                continue
            calls = [((*where, index, "tool_calls", n, "function", "name"), call.get("function"))
                     for n, call in enumerate(message.get("tool_calls") or []) if isinstance(call, dict)] \
                if isinstance(message.get("tool_calls"), list) else []
            calls.append(((*where, index, "function_call", "name"), message.get("function_call")))
            for path, function in calls:
                if isinstance(function, dict) and isinstance(function.get("name"), str) and function["name"] not in names:
                    found.add("RL718", path, f"the assistant calls `{shorten(function['name'])}`, which this example's "
                              f"tools do not define{_close(function['name'], names)}: the model learns to call a "
                              "function it is not given")


def _preference(value: dict, found: _Findings) -> None:
    for key in value:
        if key not in PREFERENCE_KEYS:
            found.add("RL715", (key,), f"`{key}` is no key of a preference example{_close(key, PREFERENCE_KEYS)}",
                      on_key=True)
    given = value.get("input")
    if "input" not in value:
        found.add("RL710", (), "this preference example has no `input` (the prompt: `messages`, and any `tools`)")
    elif not isinstance(given, dict):
        found.add("RL710", ("input",), f"`input` is an object with `messages`, not {_type(given)}")
    else:
        for key in given:
            if key not in INPUT_KEYS:
                found.add("RL715", ("input", key), f"`{key}` is no key of a preference example's input"
                          f"{_close(key, INPUT_KEYS)}", on_key=True)
        _chat(given, ("input",), found)
    outputs = []
    for names in OUTPUTS:
        name = next((n for n in names if n in value), None)
        if name is None:
            found.add("RL710", (), f"this preference example has no `{names[0]}`: it pairs a preferred and a "
                      "non-preferred output")
            continue
        output = value[name]
        if not isinstance(output, list):
            found.add("RL710", (name,), f"`{name}` is a list of assistant messages, not {_type(output)}")
            continue
        if not output:
            found.add("RL714", (name,), f"`{name}` is empty: it holds the assistant's reply", on_key=True)
            continue
        for index, message in enumerate(output):
            _message(message, (name, index), OUTPUT_ROLES, found)
        roles = [m.get("role") if isinstance(m, dict) else None for m in output]
        if "assistant" not in roles and all(role in OUTPUT_ROLES for role in roles):  # else RL711 said it
            found.add("RL714", (name,), f"`{name}` holds no assistant message: it is the assistant's reply",
                      on_key=True)
        outputs.append(((name,), output))
    if isinstance(given, dict):
        _calls_defined(given, ("input",), found, tuple(outputs))


def _completion(value: dict, found: _Findings) -> None:
    for key in value:
        if key not in COMPLETION_KEYS:
            found.add("RL715", (key,), f"`{key}` is no key of a prompt/completion example{_close(key, COMPLETION_KEYS)}",
                      on_key=True)
    for key in COMPLETION_KEYS:
        if key not in value:
            found.add("RL710", (), f"this prompt/completion example has no `{key}`")
        elif not isinstance(value[key], str):
            found.add("RL710", (key,), f"`{key}` is a string, not {_type(value[key])}")


# -- length -----------------------------------------------------------------------------------------

_MESSAGE_TOKENS, _REPLY_TOKENS, _NAME_TOKENS = 3, 3, 1  # the cookbook's count (num_tokens_from_messages)


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _message_texts(message: Any) -> list[str]:
    if not isinstance(message, dict):
        return []
    texts = []
    content = message.get("content")
    if isinstance(content, str):
        texts.append(content)
    elif isinstance(content, list):
        texts += [p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)]
    for key in ("name", "role"):
        if isinstance(message.get(key), str):
            texts.append(message[key])
    for key in ("tool_calls", "function_call"):
        if message.get(key):
            texts.append(_compact(message[key]))
    return texts


def length_parts(value: Any, kind: str | None) -> tuple[list[str], int]:
    """(texts, fixed tokens) of an example as the model reads it in training: its messages (the
    longer output of a preference pair), its tools' definitions, and the cookbook's tokens a message."""
    if not isinstance(value, dict):
        return [], 0
    prompt = value.get("input") if kind == PREFERENCE else value
    if not isinstance(prompt, dict):
        return [], 0
    groups = [prompt.get("messages")]
    if kind == PREFERENCE:
        outputs = [value.get(n) for names in OUTPUTS for n in names if isinstance(value.get(n), list)]
        if outputs:
            groups.append(max(outputs, key=lambda o: len(_compact(o))))
    texts, fixed = [], _REPLY_TOKENS
    for messages in groups:
        for message in messages if isinstance(messages, list) else []:
            texts += _message_texts(message)
            fixed += _MESSAGE_TOKENS + (_NAME_TOKENS if isinstance(message, dict) and "name" in message else 0)
    for tool in prompt.get("tools") if isinstance(prompt.get("tools"), list) else []:
        if isinstance(tool, dict) and tool.get("function") is not None:
            texts.append(_compact(tool["function"]))
    for function in prompt.get("functions") if isinstance(prompt.get("functions"), list) else []:
        texts.append(_compact(function))
    return texts, fixed
