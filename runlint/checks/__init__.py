"""Check functions: the escape hatch for what the declarative vocabulary cannot say.

A rule names one as `{function: NAME, args: {...}}`. A function takes the document's value and the
rule's args and returns violations: (path tuple of the offending node, message parameters). Register
with `@check("name")`; runlint's own functions, one module a concern, are registered on import.
"""

from __future__ import annotations

from typing import Any, Callable

from ..conditions import FUNCTIONS, Context, Violation


def check(name: str) -> Callable:
    def register(function: Callable[[Any, dict], list[Violation]]):
        if name in FUNCTIONS and FUNCTIONS[name] is not function:
            raise ValueError(f"a check function named {name!r} is already registered")
        FUNCTIONS[name] = function
        return function

    return register


from . import budget, conversation, models, secrets, structured_outputs  # noqa: E402,F401 - they register themselves
