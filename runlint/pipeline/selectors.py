"""Rule selectors, and the one check every place that takes them goes through.

A selector is `ALL`, a code prefix (`RL2`, `RL201`) or a rule name (`temperature-and-top-p`). They
come from `--select`/`--extend-select`/`--ignore`, the configuration's `select`, `extend-select`,
`ignore`, `extend-ignore`, `per-file-ignores` and `severity`, and the editor's settings. A selector
that names no rule is the worst kind of mistake in a linter: `--select foo` would check nothing and
pass, `ignore = ["RL2O2"]` would ignore nothing, without a word. So each is checked once the rules,
the user's own included, are loaded (Linter), and a bad one names where it was given and the
closest rule. Suppression comments use `known` and `closest` too (RL015).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LOOK_ALIKE = str.maketrans("OIL", "011")


class SelectorError(ValueError):
    """Selectors that name no rule; one line each, naming where each was given."""

    def __init__(self, problems: list["Problem"]):
        super().__init__("\n".join(p.message for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class SelectorSource:
    """Where selectors were given, to say so: `--ignore`, `runlint.toml: ignore`, ...

    `flag`: a command-line option (said the way ruff and click say it)."""

    where: str
    selectors: tuple[str, ...]
    field: str  # the Settings field they go to: select, ignore, per_file_ignores or severity
    flag: bool = False


def matches(rule, selector: str) -> bool:
    """Whether `selector` names `rule`: ALL, a prefix of its code, or its name."""
    selector = selector.strip()
    return selector.upper() == "ALL" or rule.code.startswith(selector.upper()) or rule.name == selector


def known(rules, selector: str) -> bool:
    """Whether `selector` names at least one of `rules` (an empty one, which `matches` every rule as
    a prefix, names none: `ignore = [""]` would ignore everything)."""
    return bool(selector.strip()) and any(matches(rule, selector) for rule in rules)


def rule_named(rules, key: str):
    """The one rule a severity override names (its code or its name), or None: a level is for one
    rule, so a prefix is not enough."""
    return next((r for r in rules if r.code == key.strip().upper() or r.name == key.strip()), None)


def closest(rules, selector: str) -> str | None:
    """The code or name most like `selector` (RL2O2 -> RL202, temprature-and-top-p -> its rule)."""
    import difflib  # only when a selector is wrong

    rules = list(rules)
    wanted = selector.strip()
    head, digits = re.match(r"([A-Za-z]*)(.*)", wanted).groups()
    typo = head.upper() + digits.upper().translate(_LOOK_ALIKE)  # RL2O2: a letter O for a zero
    by_code = {r.code: r for r in rules}
    if typo in by_code:
        return typo
    one_off = [code for code in by_code if len(code) == len(typo)
               and sum(a != b for a, b in zip(code, typo)) == 1]
    if len(one_off) == 1:  # one character wrong: difflib would rank RL232 as high as RL202 for RL2O2
        return one_off[0]
    codes = difflib.get_close_matches(typo, list(by_code), n=1, cutoff=0.8)
    names = difflib.get_close_matches(wanted.lower(), [r.name for r in rules], n=1, cutoff=0.7)
    if codes and names:  # the one that looks more like it
        score = lambda a, b: difflib.SequenceMatcher(None, a, b).ratio()
        return codes[0] if score(wanted.upper(), codes[0]) >= score(wanted.lower(), names[0]) else names[0]
    return (codes or names or [None])[0]


def _hint(rules, selector: str) -> str:
    close = closest(rules, selector)
    return f"; did you mean '{close}'?" if close else "; `runlint rules` lists the rules"


def describe(rules, selector: str, source: SelectorSource, what: str = "unknown rule selector") -> str:
    """One line: where the selector was given, what is wrong, the closest rule."""
    if source.flag:
        return f"invalid value '{selector}' for '{source.where}': {what}{_hint(rules, selector)}"
    return f"{source.where}: {what} '{selector}'{_hint(rules, selector)}"


@dataclass(frozen=True)
class Problem:
    selector: str
    field: str  # the Settings field it was found in: select, ignore, per_file_ignores, severity
    message: str
    source: SelectorSource  # where it was given


def check(rules, settings) -> list[Problem]:
    """Every selector of `settings` (Settings) that names no rule of `rules`, said where it was
    given (`settings.selector_sources`; the field's name for one no source gives). A source's
    selectors are checked even where others replace them (a configuration's `select` under
    `--select`): the mistake is in the file all the same."""
    rules = list(rules)
    given = [(source, selector) for source in settings.selector_sources for selector in source.selectors]
    covered = {(source.field, selector) for source, selector in given}
    given += [(SelectorSource(field, (selector,), field), selector) for field, selector in (
        *(("select", s) for s in settings.select), *(("ignore", s) for s in settings.ignore),
        *(("per_file_ignores", s) for selectors in settings.per_file_ignores.values() for s in selectors),
        *(("severity", key) for key in settings.severity)) if (field, selector) not in covered]
    problems: list[Problem] = []
    said: set[tuple[str, str]] = set()
    for source, selector in given:
        if (source.where, selector) in said:
            continue
        if source.field == "severity":
            if rule_named(rules, selector) is not None:
                continue
            message = (f"{source.where}: '{selector}' is not one rule: a severity is set for one rule, by its code "
                       "or name" if known(rules, selector) else describe(rules, selector, source, "unknown rule"))
        elif known(rules, selector):
            continue
        else:
            message = describe(rules, selector, source)
        said.add((source.where, selector))
        problems.append(Problem(selector, source.field, message, source))
    return problems


def without(settings, problems: list[Problem]):
    """A copy of `settings` without the selectors `problems` name (the language server goes on
    with what is valid). A selection left empty by that selects every rule, as when none is given."""
    from dataclasses import replace

    bad = {(p.field, p.selector) for p in problems}
    select = tuple(s for s in settings.select if ("select", s) not in bad)
    return replace(
        settings, select=select or ("ALL",),
        ignore=tuple(s for s in settings.ignore if ("ignore", s) not in bad),
        per_file_ignores={glob: [s for s in selectors if ("per_file_ignores", s) not in bad]
                          for glob, selectors in settings.per_file_ignores.items()},
        severity={key: level for key, level in settings.severity.items() if ("severity", key) not in bad})
