"""Output formats: one module a format, each a `render(results, options) -> str`."""

from __future__ import annotations

import importlib

FORMATS = ("text", "concise", "json", "sarif", "github", "junit", "gitlab")


def render(format: str, results, **options) -> str:
    return importlib.import_module(f".{format}", __name__).render(results, **options)
