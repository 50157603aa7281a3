"""OpenAI's tokenizers, loaded once: what counts a text's tokens for the checks (runlint/check/tokens.py)
and for a format that measures its own pieces (a fine-tuning example's length), below both."""

from __future__ import annotations

from functools import lru_cache


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
