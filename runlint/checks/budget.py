"""`max_prompt_tokens` against the tokens of the run's own text, counted with the model's tokenizer."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..conditions import Context, Violation
from . import check


def _list(value: Any) -> list:
    """A list, or nothing: checks run on specs the schema may have found to be of the wrong type."""
    return value if isinstance(value, list) else []


def _run_texts(value: dict) -> list[str]:
    """The text a run sends on its own: instructions, messages, and its tools' definitions."""
    import json

    texts = [value[k] for k in ("instructions", "additional_instructions") if isinstance(value.get(k), str)]
    for message in _list(value.get("additional_messages")):
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            texts.append(content)
        elif isinstance(content, list):
            texts += [p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)]
    for tool in _list(value.get("tools")):
        if isinstance(tool, dict) and isinstance(tool.get("function"), dict):
            texts.append(json.dumps(tool["function"], ensure_ascii=False, separators=(",", ":")))
    return texts


@lru_cache(maxsize=4)
def _tokenizer(name: str):
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


@check("prompt-budget")
def prompt_budget(value: Any, args: dict, context: Context) -> list[Violation]:
    """max_prompt_tokens smaller than the tokens of the run's own text alone (a lower bound of what
    the run needs: the thread's messages and the model's own formatting come on top)."""
    budget = value.get("max_prompt_tokens")
    if not isinstance(budget, int) or isinstance(budget, bool):
        return []
    texts = _run_texts(value)
    if sum(len(t.encode("utf-8")) for t in texts) <= budget:
        return []  # a token holds at least one byte: the tokenizer need not even be loaded
    family = context.models.find(value.get("model"))
    if family is not None:
        names = [next((n for n, families in args["encodings"].items() if family.name in families),
                      args["default_encoding"])]
    else:  # the assistant's model is unknown: count with every encoding and take the fewest tokens
        names = [args["default_encoding"], *args["encodings"]]
    try:
        counts = {name: sum(_tokenizer(name).count(t) for t in texts) for name in names}
    except ImportError:
        return []
    name = min(counts, key=counts.get)
    if counts[name] <= budget:
        return []
    return [(("max_prompt_tokens",), {"tokens": f"{counts[name]:,}", "budget": f"{budget:,}", "encoding": name})]
