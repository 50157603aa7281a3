"""Inlay hints: the tokens of each message, of the instructions and of each tool definition, and
the request's total against `max_prompt_tokens`, the model's context window or its output limit.

Counted with the model's tokenizer (the table's `encoding`; o200k_base for a model it says nothing
of), over what runlint.tokens says a request sends, loaded on the first hint and never by
`runlint check`; each text's count is cached, so typing in one message
recounts only that message. A batch file gets one hint a line: its body's total.
"""

from __future__ import annotations

from functools import lru_cache

from lsprotocol import types

from ..diagnostic import Range
from ..tokens import encodings_for, prompt_parts
from .positions import lsp_range
from .units import Unit, units

@lru_cache(maxsize=4096)
def count(encoding: str, text: str) -> int:
    from ..tokens import tokenizer

    return tokenizer(encoding).count(text)


def _limits(value: dict, family, fields: dict) -> list[tuple[str, int]]:
    """What the total is measured against: max_prompt_tokens, the context window, the output limit."""
    found = []
    if isinstance(value.get("max_prompt_tokens"), int):
        found.append(("max_prompt_tokens", value["max_prompt_tokens"]))
    for name, limit in fields.items():
        if isinstance(limit, int) and not isinstance(limit, bool) and ("context" in name or "output" in name):
            found.append((name.replace("_", " "), limit))
    return found


def hints(document, visible: types.Range, models) -> list[types.InlayHint]:
    from .features import model_fields

    lines = document.source.split("\n")
    out: list[types.InlayHint] = []
    for unit in units(document.path, document.source):
        whole = (unit.envelope_spans or unit.spans).get(())
        if whole is None or whole[0].end_line < visible.start.line or whole[0].line > visible.end.line:
            continue
        value = unit.value if isinstance(unit.value, dict) else {}
        family = models.find(value.get("model")) if models is not None else None
        encoding = encodings_for(family)[0]  # the model's; for an unknown one, o200k_base
        try:
            parts = _per_path((path, count(encoding, text)) for path, text in prompt_parts(value))
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


def _per_path(counts) -> list[tuple[tuple, int]]:
    """A message with several parts has one hint: their tokens added up."""
    totals: dict[tuple, int] = {}
    for path, tokens in counts:
        totals[path] = totals.get(path, 0) + tokens
    return list(totals.items())


def _hint(lines: list[str], where: Range, label: str, total: bool = False) -> types.InlayHint:
    """At the end of the node's first line (a multi-line node's hint would land inside it)."""
    line = where.line
    end = where.end_column if where.end_line == line else len(lines[line]) if line < len(lines) else 0
    position = lsp_range(lines, Range(line, end, line, end)).start
    return types.InlayHint(position=position, label=label, padding_left=True,
                           kind=None if total else types.InlayHintKind.Type)
