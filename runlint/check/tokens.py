"""The text a request sends to the model, and its tokens, counted with OpenAI's tokenizers.

`prompt_parts` gathers what a request itself sends, whatever its kind: instructions, messages or
input items, and its tools' definitions. It is a lower bound of the prompt: what the API adds
(the chat format's tokens, a thread's earlier messages, a previous response's output, images and
files) comes on top, so a check that finds the lower bound too large is never wrong.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Iterator

# The encodings runlint counts with: the gpt-4 and gpt-3.5 lines use cl100k_base, the later models
# o200k_base (data/models.yaml says which family uses which, with its source).
ENCODINGS = ("o200k_base", "cl100k_base")


def _list(value: Any) -> list:
    """A list, or nothing: checks run on specs the schema may have found to be of the wrong type."""
    return value if isinstance(value, list) else []


def _content(content: Any) -> list[str]:
    """The text of a message's content: a string, or the text of its parts (counted apart: joining
    them would add tokens the API may not send)."""
    if isinstance(content, str):
        return [content]
    return [part["text"] for part in _list(content)
            if isinstance(part, dict) and isinstance(part.get("text"), str)]


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _item_texts(item: dict) -> list[str]:
    """A message's or an input item's text: its content, a call's arguments, a call's output."""
    texts = _content(item.get("content"))
    for key in ("arguments", "output"):
        if isinstance(item.get(key), str):
            texts.append(item[key])
    if isinstance(item.get("tool_calls"), list):
        texts.append(_compact(item["tool_calls"]))
    return texts


def prompt_parts(value: Any) -> Iterator[tuple[tuple, str]]:
    """(path, text) of what a request sends on its own, for every kind: instructions; messages
    (Chat), additional_messages (a run), a new thread's messages, or input items (Responses), one
    path a message (a message with several parts gives several texts at its path); the function
    definitions of its tools, as the model reads them (create-run and Chat wrap them in
    `function`, Responses does not; hosted tools are no text of the request)."""
    if not isinstance(value, dict):
        return
    for key in ("instructions", "additional_instructions", "input"):
        if isinstance(value.get(key), str):
            yield (key,), value[key]
    thread = value.get("thread") if isinstance(value.get("thread"), dict) else {}
    for path, items in ((("messages",), value.get("messages")), (("additional_messages",), value.get("additional_messages")),
                        (("input",), value.get("input")), (("thread", "messages"), thread.get("messages"))):
        for index, item in enumerate(_list(items)):
            if isinstance(item, dict):
                for text in _item_texts(item):
                    yield (*path, index), text
    for index, tool in enumerate(_list(value.get("tools"))):
        if isinstance(tool, dict) and isinstance(tool.get("function"), dict):
            yield ("tools", index), _compact(tool["function"])
        elif isinstance(tool, dict) and tool.get("type") == "function":
            yield ("tools", index), _compact({k: v for k, v in tool.items() if k != "type"})
    for index, function in enumerate(_list(value.get("functions"))):  # Chat's deprecated functions
        if isinstance(function, dict):
            yield ("functions", index), _compact(function)


def request_texts(value: Any) -> list[str]:
    return [text for _path, text in prompt_parts(value)]


def encodings_for(family) -> list[str]:
    """The model's encoding (the table's `encoding`); for a model the table says nothing of, or no
    model, every encoding: the fewest tokens any gives is a lower bound whatever the model."""
    encoding = family.capabilities.get("encoding") if family is not None else None
    return [encoding] if encoding in ENCODINGS else list(ENCODINGS)


def fewest_tokens(texts: list[str], encodings: list[str]) -> tuple[int, str] | None:
    """(tokens, encoding): the smallest count of `texts` among `encodings`; None when the
    tokenizer cannot be loaded (then a check says nothing)."""
    try:
        counts = {name: sum(tokenizer(name).count(t) for t in texts) for name in encodings}
    except ImportError:
        return None
    name = min(counts, key=counts.get)
    return counts[name], name


def byte_bound(texts: list[str]) -> int:
    """An upper bound of any count: a token holds at least one byte (so the tokenizer need not be
    loaded when even this is within a limit)."""
    return sum(len(t.encode("utf-8", "surrogatepass")) for t in texts)


@lru_cache(maxsize=4)
def tokenizer(name: str):
    """bpe-openai's Rust tokenizer for an encoding (it ships its vocabularies; tiktoken downloads
    them, which fails offline). Its compiled module is loaded on its own: the package's Python side
    decodes both vocabularies again on import, which costs about a second; the Rust side needs
    about 0.1 s and gives the same counts as tiktoken."""
    import importlib.machinery
    import importlib.util
    from pathlib import Path

    package = importlib.util.find_spec("bpe_openai")
    if package is None or not package.submodule_search_locations:
        raise ImportError("bpe-openai is not installed")
    folder = Path(package.submodule_search_locations[0])
    suffixes = importlib.machinery.EXTENSION_SUFFIXES
    library = next((f for f in sorted(folder.glob("_bindings*")) if any(f.name.endswith(s) for s in suffixes)), None)
    if library is None:
        raise ImportError("bpe-openai has no compiled tokenizer")
    loader = importlib.machinery.ExtensionFileLoader("bpe_openai._bindings", str(library))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(loader.name, loader))
    loader.exec_module(module)
    return module.tokenizer_for_encoding(name)
