"""Inlay hints, only where they tell something: the request's total after `model`, and the count
of a text that weighs in it (a message, the instructions, a tool definition of PART_MINIMUM tokens
or more, when the request counts more than that one text). A batch file gets one hint a line: its
body's total.

Labels stay short (VS Code cuts a hint at 43 characters, editor.inlayHints.maximumLength): the total
is measured against the one limit that binds the prompt, `max_prompt_tokens` when the request sets
it, else the model's context window (`288 of 256 max_prompt_tokens`); the tokenizer and every limit
the table has are in its tooltip.

Counted with the model's tokenizer (the table's `encoding`; o200k_base for a model it says nothing
of), over what runlint.check.tokens says a request sends, loaded on the first hint and never by
`runlint check`; each text's count is cached, so typing in one message recounts only that message.
"""

from __future__ import annotations

from functools import lru_cache

from lsprotocol import types

from ..diagnostic import Range
from ..check.tokens import encodings_for, prompt_parts
from .positions import lsp_range
from .units import units

@lru_cache(maxsize=4096)
def count(encoding: str, text: str) -> int:
    from ..check.tokens import tokenizer

    return tokenizer(encoding).count(text)


PART_MINIMUM = 50  # tokens: about two lines of prose; a shorter text's count is read in the total


def _limits(value: dict, family, fields: dict) -> list[tuple[str, int]]:
    """What the total is measured against: max_prompt_tokens, the context window, the output limit."""
    found = []
    if isinstance(value.get("max_prompt_tokens"), int) and not isinstance(value["max_prompt_tokens"], bool):
        found.append(("max_prompt_tokens", value["max_prompt_tokens"]))
    for name, limit in fields.items():
        if isinstance(limit, int) and not isinstance(limit, bool) and ("context" in name or "output" in name):
            found.append((name.replace("_", " "), limit))
    return found


def total_label(total: int, limits: list[tuple[str, int]]) -> str:
    """`288 of 256 max_prompt_tokens`, `32 of 200,000 context tokens`, or `32 prompt tokens`."""
    binding = next(((name, limit) for name, limit in limits if name == "max_prompt_tokens"), None) or next(
        ((name, limit) for name, limit in limits if "context" in name), None)
    if binding is None:
        return f"{total:,} prompt tokens"
    name, limit = binding
    return f"{total:,} of {limit:,} " + ("max_prompt_tokens" if name == "max_prompt_tokens" else "context tokens")


def total_tooltip(total: int, encoding: str, limits: list[tuple[str, int]]) -> str:
    said = (f"{total:,} prompt tokens ({encoding}) in what the request sends: instructions, the text of its "
            "messages or input, its tool definitions. A lower bound: the chat format, images and files come on top.")
    if limits:
        said += " Limits: " + ", ".join(f"{limit:,} {name}" for name, limit in limits) + "."
    return said


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
        for path, tokens in parts if len(parts) > 1 else []:
            where = unit.value_range(path)
            if tokens >= PART_MINIMUM and where is not None and visible.start.line <= where.line <= visible.end.line:
                out.append(_hint(lines, where, f"{tokens:,} tokens"))
        limits = _limits(value, family, model_fields(family) if family is not None else {})
        anchor = unit.spans.get(("model",)) or unit.spans.get(("assistant_id",))
        if anchor is not None and parts:
            out.append(_hint(lines, anchor[0], total_label(total, limits), total=True,
                             tooltip=total_tooltip(total, encoding, limits)))
    return out


def _per_path(counts) -> list[tuple[tuple, int]]:
    """A message with several parts has one hint: their tokens added up."""
    totals: dict[tuple, int] = {}
    for path, tokens in counts:
        totals[path] = totals.get(path, 0) + tokens
    return list(totals.items())


def _hint(lines: list[str], where: Range, label: str, total: bool = False, tooltip: str | None = None) -> types.InlayHint:
    """At the end of the node's first line (a multi-line node's hint would land inside it)."""
    line = where.line
    end = where.end_column if where.end_line == line else len(lines[line]) if line < len(lines) else 0
    position = lsp_range(lines, Range(line, end, line, end)).start
    return types.InlayHint(position=position, label=label, padding_left=True, tooltip=tooltip,
                           kind=None if total else types.InlayHintKind.Type)
