"""Check functions: the escape hatch for what the declarative vocabulary cannot say.

A rule names one as `{function: NAME, args: {...}}`. A function takes the document's value and the
rule's args and returns violations: (path tuple of the offending node, message parameters). Register
with `@check("name")`; runlint's own functions, one module a concern, are registered on import.
"""

from __future__ import annotations

from typing import Any, Callable

from ..conditions import FUNCTIONS, Context, Violation


# The top-level fields each check function reads, as its author declares them: what the rule
# coverage table and its test (scripts/generate_docs.py, tests/rules/test_coverage.py) take for the
# function's paths. Not `needs`: a function may find something with any one of them.
FIELDS: dict[str, tuple[str, ...]] = {}


def check(name: str, fields: tuple[str, ...] = ()) -> Callable:
    def register(function: Callable[[Any, dict], list[Violation]]):
        if name in FUNCTIONS and FUNCTIONS[name] is not function:
            raise ValueError(f"a check function named {name!r} is already registered")
        FUNCTIONS[name] = function
        FIELDS[name] = tuple(fields)
        return function

    return register


from . import budget, conversation, function_schemas, ids, mixups, models, secrets, structured_outputs, tools  # noqa: E402, F401 - they register themselves
