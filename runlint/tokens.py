"""The text a request sends to the model, and its tokens, counted with OpenAI's tokenizers.

`request_texts` gathers, for each kind, what a request itself sends: instructions, messages or
input items, and its tools' definitions. It is a lower bound of the prompt: what the API adds
(the chat format's tokens, a thread's earlier messages, a previous response's output, images and
files) comes on top, so a check that finds the lower bound too large is never wrong.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

# The encodings runlint counts with; the models of the gpt-4 and gpt-3.5 lines use cl100k_base,
# the others o200k_base (their tokenizer pages; schemas/models.yaml says which family uses which).
ENCODINGS = ("o200k_base", "cl100k_base")


def _list(value: Any) -> list:
    """A list, or nothing: checks run on specs the schema may have found to be of the wrong type."""
    return value if isinstance(value, list) else []


def _content(content: Any) -> list[str]:
    """The text of a message's content: a string, or the text of its parts."""
    if isinstance(content, str):
        return [content]
    return [part["text"] for part in _list(content)
            if isinstance(part, dict) and isinstance(part.get("text"), str)]


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _tool_definitions(tools: Any) -> list[str]:
    """Function definitions as the model reads them: create-run and Chat wrap them in `function`,
    Responses does not."""
    texts = []
    for tool in _list(tools):
        if isinstance(tool, dict) and isinstance(tool.get("function"), dict):
            texts.append(_compact(tool["function"]))
        elif isinstance(tool, dict) and tool.get("type") == "function":
            texts.append(_compact({k: v for k, v in tool.items() if k != "type"}))
    return texts


def _input_items(items: Any) -> list[str]:
    """The text of Responses input items: messages, function calls and their outputs."""
    if isinstance(items, str):
        return [items]
    texts = []
    for item in _list(items):
        if not isinstance(item, dict):
            continue
        texts += _content(item.get("content"))
        for key in ("arguments", "output"):
            if isinstance(item.get(key), str):
                texts.append(item[key])
    return texts


def request_texts(shape: str, value: dict) -> list[str]:
    """What a request of this shape (`run`, `thread-and-run`, `chat`, `response`) sends on its own."""
    texts = [value[k] for k in ("instructions", "additional_instructions") if isinstance(value.get(k), str)]
    if shape == "run":
        for message in _list(value.get("additional_messages")):
            texts += _content(message.get("content")) if isinstance(message, dict) else []
    elif shape == "thread-and-run":
        thread = value.get("thread") if isinstance(value.get("thread"), dict) else {}
        for message in _list(thread.get("messages")):
            texts += _content(message.get("content")) if isinstance(message, dict) else []
    elif shape == "chat":
        for message in _list(value.get("messages")):
            texts += _content(message.get("content")) if isinstance(message, dict) else []
        texts += [_compact(f) for f in _list(value.get("functions")) if isinstance(f, dict)]
    elif shape == "response":
        texts += _input_items(value.get("input"))
    return texts + _tool_definitions(value.get("tools"))


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
