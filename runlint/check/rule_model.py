"""The pydantic models of a rule file: a rule author's mistakes become errors naming the field.

Imported only when rule files must be validated (a cache miss, or `runlint rules test`): pydantic
costs tens of milliseconds to import, which a one-file run in a pre-commit hook should not pay.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator,
                      model_validator)

from .conditions import FUNCTIONS, OPERATORS, VALUE_OPERATORS
from .model_table import ENDPOINTS, FACTS, PAIRED

Pointer = Annotated[str, StringConstraints(pattern=r"^(/([^/~]|~[01])*)*$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bounds(_Strict):
    min: int | float | None = None
    max: int | float | None = None


class Mentions(_Strict):
    word: str = Field(min_length=1)
    in_: list[Pointer] = Field(alias="in", min_length=1)


class ModelLacks(_Strict):
    capability: Literal[FACTS + PAIRED]  # type: ignore[valid-type]
    value_at: Pointer | None = None  # the document's value to check against the model's accepted ones
    value: str | int | float | bool | None = None  # or a value the rule gives (an endpoint)
    # the endpoint the rule's requests go to: the table's constraints that name one hold only there
    endpoint: Literal[tuple(ENDPOINTS)] | None = None  # type: ignore[valid-type]


class ModelHas(_Strict):
    """The model takes the capability at all: `model_lacks`'s value and endpoint have no meaning here."""

    capability: Literal[FACTS + PAIRED]  # type: ignore[valid-type]


def _date(text: Any) -> str:
    from .model_table import parse_date

    return parse_date(text).isoformat()


Date = Annotated[Any, AfterValidator(_date)]


class Today(_Strict):
    """The date findings are for (today, or --as-of) lies in [from, before)."""

    from_: Date | None = Field(default=None, alias="from")
    before: Date | None = None


def _regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise ValueError(f"not a valid regular expression: {error}") from None
    return pattern


class ConditionSpec(_Strict):
    """Exactly one operator; `path` goes with the operators that look at values."""

    path: Pointer | None = None
    present: Pointer | None = None
    absent: Pointer | None = None
    equals: Any = None
    one_of: list[Any] | None = None
    matches: Annotated[str, AfterValidator(_regex)] | None = None
    length: Bounds | None = None
    count: Bounds | None = None
    range: Bounds | None = None
    type: Literal["string", "number", "integer", "boolean", "object", "array"] | None = None
    refers_to: Pointer | None = None
    unique: Literal[True] | None = None
    key_length: Bounds | None = None
    mutually_exclusive: list[Pointer] | None = Field(default=None, min_length=2)
    mentions: Mentions | None = None
    all: list["ConditionSpec"] | None = Field(default=None, min_length=1)
    any: list["ConditionSpec"] | None = Field(default=None, min_length=1)
    not_: "ConditionSpec | None" = Field(default=None, alias="not")
    model_lacks: ModelLacks | None = None
    model_has: ModelHas | None = None
    today: Today | None = None
    function: str | None = None
    args: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> "ConditionSpec":
        given = [name for name in self.model_fields_set if name not in ("path", "args")]
        given = ["not" if g == "not_" else g for g in given]
        if len(given) != 1:
            raise ValueError(f"a condition takes exactly one operator of {', '.join(OPERATORS)}; "
                             f"found {', '.join(sorted(given)) or 'none'}")
        operator = given[0]
        if operator in VALUE_OPERATORS and self.path is None:
            raise ValueError(f"`{operator}` looks at a value: give it a `path`")
        if operator not in VALUE_OPERATORS and self.path is not None:
            raise ValueError(f"`{operator}` takes no `path`")
        if self.args is not None and operator != "function":
            raise ValueError("`args` goes only with `function`")
        if operator == "function" and self.function not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS)) or "none"
            raise ValueError(f"no check function named {self.function!r} (family.function; known: {known})")
        return self

    def plain(self) -> dict:
        return self.model_dump(by_alias=True, exclude_unset=True)


class Case(_Strict):
    when: ConditionSpec | None = None
    check: ConditionSpec
    message: str = Field(min_length=1)
    at: Pointer | None = None
    severity: Literal["error", "warning", "info"] | None = None  # when not the rule's own
    kinds: list[str] | None = None  # the request kinds this case is for (the same check, their paths)


class FixSpec(_Strict):
    """What `--fix` may do about a rule's findings: `safe` fixes are applied by --fix, `unsafe` ones
    only with --unsafe-fixes (they change what the request does), `never` says why there is none.
    A `rules` rule says how: a generic `action`, or its own `function` (family.name, in
    runlint/check/families/<family>.py). The loader's and the schema's rules make their edits in code."""

    applicability: Literal["safe", "unsafe", "never"]
    # rename or remove the field at the finding's pointer, or set `key: value` in the mapping there;
    # `suggested`: the value at the pointer becomes the one the message proposes ("did you mean `X`?")
    # (runlint/fix/actions.py, ACTIONS)
    action: Literal["rename", "remove", "set", "suggested"] | None = None
    function: str | None = None  # a fix that data cannot describe: a registered fix function
    args: dict[str, Any] | None = None  # for `function`, as a check function's
    to: Annotated[str, StringConstraints(min_length=1)] | None = None  # the new name, for `rename`
    key: Annotated[str, StringConstraints(min_length=1)] | None = None  # for `set`
    value: str | int | float | bool | None = None  # for `set`
    message_has: str | None = None  # only findings whose message has these words get the fix
    reason: Annotated[str, StringConstraints(min_length=1)] | None = None  # why not, for `never`

    @model_validator(mode="after")
    def _consistent(self) -> "FixSpec":
        if self.applicability == "never":
            if self.reason is None or self.action is not None or self.function is not None:
                raise ValueError("a fix that is `never` gives its `reason`, and no `action` or `function`")
        elif self.reason is not None:
            raise ValueError("`reason` goes only with applicability `never`")
        if self.action is not None and self.function is not None:
            raise ValueError("a fix is either a generic `action` or a rule's own `function`, not both")
        if self.args is not None and self.function is None:
            raise ValueError("`args` goes only with `function`")
        if self.function is not None:
            from .families import FIXES

            if self.function not in FIXES:
                raise ValueError(f"no fix function named {self.function!r} "
                                 f"(known: {', '.join(sorted(FIXES)) or 'none'})")
        if (self.action == "rename") != (self.to is not None):
            raise ValueError("`to` goes with action `rename`, and `rename` needs it")
        if (self.action == "set") != (self.key is not None):
            raise ValueError("`key` (and `value`) go with action `set`, and `set` needs them")
        return self

    @property
    def made(self) -> bool:
        """Whether the rule file says how the fix is made."""
        return self.action is not None or self.function is not None


class InvalidExample(_Strict):
    spec: Any = None
    text: str | None = None
    syntax: Literal["yaml", "json"] = "yaml"
    file: str | None = None  # the example's file name, for kind detection (default: example.run.*)
    at: Pointer
    line: int | None = Field(default=None, ge=1)  # where it is reported, when not at the node of `at`
    limits: dict[str, int] | None = None  # a batch example's own limits (data/batch.yaml), kept small
    severity: Literal["error", "warning", "info"] | None = None  # when not the rule's own
    message: str | None = None  # words the finding's message must contain
    as_of: Date | None = None  # the date the example is checked for (default: tests' fixed date)
    # model families the example is checked with, before the built-in ones (as a project's `models`):
    # a limit small enough to pass in a few lines
    models: list[dict] | None = None
    # the project's synced model list (runlint.models.json, runlint/check/synced.py) the example is checked
    # with: `synced_at` and `models` (ids, or {id, shutdown_date}); its `format` is implied
    synced: dict[str, Any] | None = None
    # what the file is once this rule's fix is applied: `fixed` the text (for a `text` example),
    # `fixed_spec` the request (for a `spec` example, written as YAML and as JSON)
    fixed: str | None = None
    fixed_spec: Any = None
    # a report this example reproduces: the thread's address, and the API's error text it quotes
    # (docs/survey: each surveyed 400 is a rule example)
    reported: str | None = None
    api_error: str | None = None

    @model_validator(mode="after")
    def _spec_or_text(self) -> "InvalidExample":
        if (self.spec is None) == (self.text is None):
            raise ValueError("an example gives either `spec` or `text`")
        if self.fixed is not None and self.text is None:
            raise ValueError("`fixed` is the text after the fix of a `text` example; give `fixed_spec` for a `spec`")
        if self.fixed_spec is not None and self.spec is None:
            raise ValueError("`fixed_spec` goes with a `spec` example; give `fixed` for a `text`")
        return self


class ValidExample(_Strict):
    spec: Any = None
    text: str | None = None
    syntax: Literal["yaml", "json"] = "yaml"
    file: str | None = None
    limits: dict[str, int] | None = None
    as_of: Date | None = None
    models: list[dict] | None = None
    synced: dict[str, Any] | None = None
    reported: str | None = None  # the thread whose corrected request this is (it must stay clean)


class Examples(_Strict):
    invalid: list[InvalidExample] = Field(default_factory=list)
    valid: list[ValidExample] = Field(default_factory=list)

    @field_validator("valid", mode="before")
    @classmethod
    def _bare_specs(cls, value):
        # A valid example may be the spec itself.
        if isinstance(value, list):
            return [v if isinstance(v, dict) and ({"spec", "text"} & set(v)) else {"spec": v} for v in value]
        return value


class RuleFile(_Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*[0-9]{3}$")]
    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")]
    severity: Literal["error", "warning", "info"]
    kinds: list[str] | None = None
    # Kinds the rule leaves out although its fields exist there, each with the reason (the coverage
    # table in docs/checks.md shows them; tests/rules/test_coverage.py requires one for every such kind).
    not_in: dict[str, Annotated[str, StringConstraints(min_length=1)]] = Field(default_factory=dict)
    summary: str = Field(min_length=1)
    explanation: str = Field(min_length=1)
    source: Literal["rules", "loader", "schema", "internal", "migrate", "batch", "format"] = "rules"
    when: ConditionSpec | None = None
    check: ConditionSpec | None = None
    message: str | None = None
    at: Pointer | None = None
    cases: list[Case] | None = None
    unknown_when_absent: list[Pointer] = Field(default_factory=list)
    unknown_message: str | None = None
    help_uri: str | None = None
    redact: bool = False  # the finding points at a secret: excerpts mask it
    once_per_file: bool = False  # report only the first finding in a file
    # codes whose findings this rule's findings replace, at the node they point at, below it and
    # at the other nodes the finding names (its `scope`): one finding for one mistake
    supersedes: list[Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]*[0-9]{3}$")]] = Field(default_factory=list)
    # what an editor shows on the finding's text: `unnecessary` (a setting that does nothing: faded),
    # `deprecated` (a deprecated field, a retired API or model: struck through)
    tags: list[Literal["unnecessary", "deprecated"]] = Field(default_factory=list)
    # None: the rule offers no fix; a list: one fix per kind of finding, each picked by `message_has`
    fix: FixSpec | list[FixSpec] | None = None
    examples: Examples = Field(default_factory=Examples)

    @model_validator(mode="after")
    def _fix(self) -> "RuleFile":
        fixes = self.fix if isinstance(self.fix, list) else [self.fix] if self.fix is not None else []
        if isinstance(self.fix, list):
            if len(fixes) < 2:
                raise ValueError("a list of fixes has two or more; give one fix as a mapping")
            if any(f.applicability == "never" or not f.made or not f.message_has for f in fixes):
                raise ValueError("each fix of a list has an `action` (or `function`) and the `message_has` "
                                 "that picks its findings")
            if len({f.message_has for f in fixes}) < len(fixes):
                raise ValueError("the fixes of a list pick different findings: each its own `message_has`")
        for fix in fixes:
            if fix.made and self.source != "rules":
                raise ValueError(f"a `{self.source}` rule's fix is made by runlint's {self.source}: "
                                 "it takes no `action` or `function`")
        offers = any(fix.applicability != "never" for fix in fixes)
        for example in self.examples.invalid:
            if (example.fixed is not None or example.fixed_spec is not None) and not offers:
                raise ValueError("an example shows the text after a fix, but the rule offers none (`fix`)")
        if offers and self.source != "internal" and not any(
                e.fixed is not None or e.fixed_spec is not None for e in self.examples.invalid):
            raise ValueError("a rule with a fix shows it: give an invalid example its `fixed` (or `fixed_spec`)")
        return self

    @model_validator(mode="after")
    def _not_in(self) -> "RuleFile":
        from ..kinds import KINDS

        for kind in self.not_in:
            if kind not in KINDS:
                raise ValueError(f"not_in: no request kind named {kind!r} (known: {', '.join(KINDS)})")
            if self.kinds is None or kind in self.kinds:
                raise ValueError(f"not_in: {kind} is among the kinds the rule covers; "
                                 "give a reason only for a kind it leaves out")
        return self

    @model_validator(mode="after")
    def _cases(self) -> "RuleFile":
        if self.source != "internal" and not self.examples.invalid:
            raise ValueError("a rule needs at least one `examples.invalid`: its examples are its tests")
        single = any(v is not None for v in (self.when, self.check, self.message, self.at))
        if self.source != "rules":
            if single or self.cases:
                raise ValueError(f"a `{self.source}` rule is reported by runlint's {self.source}; "
                                 "it takes no when/check/message/cases")
            return self
        if self.cases and single:
            raise ValueError("give either `cases` or `check` with `message`, not both")
        if not self.cases and (self.check is None or self.message is None):
            raise ValueError("a rule needs `check` and `message` (or a list of `cases`)")
        return self

    def plain(self) -> dict:
        """The rule as plain data: what the engine compiles, and what the cache keeps."""
        data = self.model_dump(by_alias=True, exclude_unset=True, exclude={"when", "check", "message",
                                                                          "at", "cases"})
        data["severity"] = self.severity
        if self.source == "rules":
            cases = self.cases or [Case(when=self.when, check=self.check, message=self.message, at=self.at)]
            data["cases"] = [{"when": c.when.plain() if c.when else None, "check": c.check.plain(),
                              "message": c.message, "at": c.at, "severity": c.severity, "kinds": c.kinds}
                             for c in cases]
        data["examples"] = self.examples.model_dump(by_alias=True, exclude_unset=True)
        return data
