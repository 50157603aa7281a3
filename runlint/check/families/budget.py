"""Token budgets: `max_prompt_tokens` (RL302) and the model's context window (RL304), against the
request's own text counted with the model's tokenizer (runlint.check.tokens).

Counts are lower bounds (what the API adds comes on top), taken with the fewest tokens any
encoding the model may use gives: a finding is never a guess."""

from __future__ import annotations

from typing import Any

from ..conditions import Context, Violation
from ...diagnostic import Said
from ..tokens import byte_bound, encodings_for, fewest_tokens, request_texts
from . import check


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _limit(family, capability: str) -> int | None:
    return _int(family.capabilities.get(capability)) if family is not None else None


@check(fields=("max_prompt_tokens",))
def prompt_budget(value: Any, args: dict, context: Context) -> list[Violation]:
    """max_prompt_tokens smaller than the tokens of the run's own text alone (a lower bound of what
    the run needs: the thread's messages and the model's own formatting come on top)."""
    budget = _int(value.get("max_prompt_tokens"))
    if budget is None:
        return []
    texts = request_texts(value)
    if byte_bound(texts) <= budget:
        return []
    counted = fewest_tokens(texts, encodings_for(context.models.find(value.get("model"))))
    if counted is None or counted[0] <= budget:
        return []
    return [(("max_prompt_tokens",), {"tokens": Said(f"{counted[0]:,}"), "budget": Said(f"{budget:,}"),
                                      "encoding": Said(counted[1])})]


@check(fields=("model", "messages", "input", "instructions", "tools"))
def context_window(value: Any, args: dict, context: Context) -> list[Violation]:
    """The request's own input, plus the output it asks for (`args["output_fields"]`), larger than
    the model's context window."""
    family = context.models.find(value.get("model"))
    window = _limit(family, "context_window")
    if window is None:
        return []
    output_field = next((f for f in args["output_fields"] if _int(value.get(f)) is not None), None)
    output = value[output_field] if output_field else 0
    texts = request_texts(value)
    if byte_bound(texts) + output <= window:
        return []
    counted = fewest_tokens(texts, encodings_for(family))
    if counted is None or counted[0] + output <= window:
        return []
    tokens, encoding = counted
    # The node to change: the output asked for when the input alone fits, else the input.
    where = (output_field,) if output_field and tokens <= window else (
        next((f for f in args["input_fields"] if value.get(f) is not None), "model"),)
    asked = Said(f" + {output_field} {output:,}" if output_field else "")
    return [(where, {"tokens": Said(f"{tokens:,}"), "encoding": Said(encoding), "asked": asked,
                     "window": Said(f"{window:,}"), "model": value["model"]})]
