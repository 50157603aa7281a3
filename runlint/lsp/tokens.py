"""Inlay hints: the tokens of each message, of the instructions and of each tool definition, and
the request's total against `max_prompt_tokens`, the model's context window or its output limit.

Counted with the model's tokenizer (the encodings RL302 uses, from its rule file), loaded on the
first hint and never by `runlint check`; each text's count is cached, so typing in one message
recounts only that message. A batch file gets one hint a line: its body's total.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Iterator

from lsprotocol import types

from ..diagnostic import Range
from .positions import lsp_range
from .units import Unit, units

DEFAULT_ARGS = {"default_encoding": "o200k_base", "encodings": {}}


def encoding_args(linter) -> dict:
    """RL302's tokenizer choice: the encoding of each model family, and the default."""
    rule = linter.catalog.rules.get("RL302") if linter is not None else None
    for case in getattr(rule, "cases", None) or ():
        spec = getattr(case.check, "spec", None)
        if isinstance(spec, dict) and isinstance(spec.get("args"), dict):
            return spec["args"]
    return DEFAULT_ARGS


@lru_cache(maxsize=4096)
def count(encoding: str, text: str) -> int:
    from ..checks.budget import _tokenizer

    return _tokenizer(encoding).count(text)


def _encoding(args: dict, family) -> str:
    if family is not None:
        for name, families in (args.get("encodings") or {}).items():
            if family.name in families:
                return name
    return args.get("default_encoding", "o200k_base")


def _text_of(content: Any) -> str | None:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str)]
        return "\n".join(texts) if texts else None
    return None


def counted(value: Any) -> Iterator[tuple[tuple, str]]:
    """(path, text) for each part of the request that is sent as prompt text."""
    if not isinstance(value, dict):
        return
    for key in ("instructions", "additional_instructions"):
        if isinstance(value.get(key), str):
            yield (key,), value[key]
    if isinstance(value.get("input"), str):
        yield ("input",), value["input"]
    for key in ("messages", "additional_messages", "input"):
        items = value.get(key)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                continue
            text = _text_of(item.get("content"))
            if text is None and isinstance(item.get("output"), str):
                text = item["output"]
            if text is None and isinstance(item.get("tool_calls"), list):
                text = json.dumps(item["tool_calls"], ensure_ascii=False, separators=(",", ":"))
            if text is None and isinstance(item.get("arguments"), str):
                text = item["arguments"]
            if text is not None:
                yield (key, index), text
    for index, tool in enumerate(value.get("tools") or [] if isinstance(value.get("tools"), list) else []):
        if isinstance(tool, dict):
            definition = tool.get("function") if isinstance(tool.get("function"), dict) else tool
            yield ("tools", index), json.dumps(definition, ensure_ascii=False, separators=(",", ":"))


def _limits(value: dict, family, fields: dict) -> list[tuple[str, int]]:
    """What the total is measured against: max_prompt_tokens, the context window, the output limit."""
    found = []
    if isinstance(value.get("max_prompt_tokens"), int):
        found.append(("max_prompt_tokens", value["max_prompt_tokens"]))
    for name, limit in fields.items():
        if isinstance(limit, int) and not isinstance(limit, bool) and ("context" in name or "output" in name):
            found.append((name.replace("_", " "), limit))
    return found


def hints(document, visible: types.Range, models, linter) -> list[types.InlayHint]:
    from .features import model_fields

    lines = document.source.split("\n")
    args = encoding_args(linter)
    out: list[types.InlayHint] = []
    for unit in units(document.path, document.source):
        whole = (unit.envelope_spans or unit.spans).get(())
        if whole is None or whole[0].end_line < visible.start.line or whole[0].line > visible.end.line:
            continue
        value = unit.value if isinstance(unit.value, dict) else {}
        family = models.find(value.get("model")) if models is not None else None
        encoding = _encoding(args, family)
        try:
            parts = [(path, count(encoding, text)) for path, text in counted(value)]
        except ImportError:
            return []  # no tokenizer: no hints
        total = sum(n for _, n in parts)
        if unit.envelope is not None:  # a batch line: its total at its end
            out.append(_hint(lines, whole[0], f"{total:,} tokens", total=True))
            continue
        for path, tokens in parts:
            where = unit.value_range(path)
            if where is not None and visible.start.line <= where.line <= visible.end.line:
                out.append(_hint(lines, where, f"{tokens:,} tokens"))
        fields = model_fields(family) if family is not None else {}
        against = "".join(f" / {limit:,} {name}" for name, limit in _limits(value, family, fields))
        anchor = unit.spans.get(("model",)) or unit.spans.get(("assistant_id",))
        if anchor is not None and parts:
            out.append(_hint(lines, anchor[0], f"{total:,} prompt tokens ({encoding}){against}", total=True))
    return out


def _hint(lines: list[str], where: Range, label: str, total: bool = False) -> types.InlayHint:
    """At the end of the node's first line (a multi-line node's hint would land inside it)."""
    line = where.line
    end = where.end_column if where.end_line == line else len(lines[line]) if line < len(lines) else 0
    position = lsp_range(lines, Range(line, end, line, end)).start
    return types.InlayHint(position=position, label=label, padding_left=True,
                           kind=None if total else types.InlayHintKind.Type)
