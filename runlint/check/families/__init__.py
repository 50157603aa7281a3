"""Check functions and fixes: the escape hatch for what a rule file's data cannot say, one module a
rule family (budget, conversation, structured_outputs, ...), each rule's code beside its check.

A rule file names them by family and function, the way they are written here:
`{function: structured_outputs.strict_schema_subset, args: {...}}` in a condition, and
`fix: {applicability: ..., function: structured_outputs.require_nullable}` for a fix that data
cannot describe (docs/rule-files.md). `@check` and `@fix` register a function under that name when
its module is imported; the catalog resolves every name a rule file gives when it loads, so a name
that resolves to nothing is an error at load. Only these registered functions can be named: a
user's rule file is data, and never reaches other code.

A check function takes the document's value, the rule's args and the context, and returns
violations: (path tuple of the offending node, message parameters). A fix function takes the
document, the path of the finding, the finding and the fix's args, and returns a Fix or None (no
safe edit could be made).
"""

from __future__ import annotations

from typing import Any, Callable

from ..conditions import FUNCTIONS, Context, Violation

# The top-level fields each check function reads, as its author declares them: what the rule
# coverage table and its test (scripts/generate_docs.py, tests/rules/test_coverage.py) take for the
# function's paths. Not `needs`: a function may find something with any one of them.
FIELDS: dict[str, tuple[str, ...]] = {}

# Fix functions by name (family.function): fn(document, path, diagnostic, args) -> Fix | None.
FIXES: dict[str, Callable] = {}


def qualified_name(function: Callable) -> str:
    """`family.function`: the module's last part (runlint.check.families.<family>) and the name."""
    return f"{function.__module__.rsplit('.', 1)[-1]}.{function.__name__}"


def _register(registry: dict, name: str, function: Callable, what: str) -> None:
    if name in registry and registry[name] is not function:
        raise ValueError(f"a {what} named {name!r} is already registered")
    registry[name] = function


def check(name: str | None = None, fields: tuple[str, ...] = ()) -> Callable:
    """Register a check function under `family.function` (`name` only for functions that live
    outside the families, as tests' own)."""
    def register(function: Callable[[Any, dict, Context], list[Violation]]):
        qualified = name or qualified_name(function)
        _register(FUNCTIONS, qualified, function, "check function")
        FIELDS[qualified] = tuple(fields)
        return function

    return register


def fix(function: Callable) -> Callable:
    """Register a rule's own fix under `family.function`."""
    _register(FIXES, qualified_name(function), function, "fix function")
    return function


from . import budget, conversation, function_schemas, ids, mixups, models, secrets, structured_outputs, tools  # noqa: E402, F401 - they register themselves
