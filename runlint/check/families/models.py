"""The request's `model`: one the table does not know (RL400), one OpenAI retires (RL601)."""

from __future__ import annotations

from typing import Any

from ..conditions import Context, Violation
from ...diagnostic import Said
from . import check


# How long after the table's `checked` day an unknown id earns a note that the table may be old.
OUTDATED_AFTER_DAYS = 60


@check(fields=("model",))
def unknown_model(value: Any, args: dict, context: Context) -> list[Violation]:
    """A `model` the capability table does not know. With `typo: true`, one that plainly is a slip
    of an official id (the `fix`); with `typo: false`, one that is not: it may be newer than the
    table, which a project can extend; `outdated` picks whether the table is older than
    OUTDATED_AFTER_DAYS on the date findings are for. Silent when the project has a synced model
    list: RL420 then says which ids the key can use."""
    model = value.get("model")
    models = context.models
    if not isinstance(model, str) or models.find(model) is not None or context.synced is not None:
        return []
    base = model.split(":")[1] if model.startswith("ft:") else model
    # an id the table names elsewhere (tts-1, gpt-4o-mini-transcribe) is no slip of a family's id
    fix = None if models.names(base) else typo_of(base, models.known_ids())
    if bool(fix) != bool(args.get("typo")):
        return []
    age = (context.today - models.checked).days if models.checked else 0
    if "outdated" in args and (age > OUTDATED_AFTER_DAYS) != args["outdated"]:
        return []
    checked = models.checked.isoformat() if models.checked else ""
    return [(("model",), {"value": model, "fix": Said(fix) if fix else fix, "checked": Said(checked), "days": age})]


def typo_of(model: str, known: list[str]) -> str | None:
    """The known id `model` is a slip of: one or two edits (at most one per five characters) that
    leave its digits alone. A different number is a different model (gpt-5.7 is no gpt-5.4, and
    gpt-6 no gpt-5), which may well be newer than the table: never "corrected" into an older one.
    Else a variant id with a stray word after it (`stray_suffix`)."""
    lowered = model.lower()
    budget = max(1, min(2, len(model) // 5))
    best, best_cost = None, budget + 1
    for candidate in known:
        if candidate == lowered:
            return candidate  # only the case differs
        if abs(len(candidate) - len(lowered)) > budget or _digits(candidate) != _digits(lowered):
            continue
        cost = _distance(lowered, candidate, best_cost)
        if cost < best_cost:
            best, best_cost = candidate, cost
    return best or stray_suffix(lowered, known)


def stray_suffix(model: str, known: list[str]) -> str | None:
    """The known id `model` is with a stray word added (`gpt-4.1-nano-wrong`): the longest known id
    it starts with, then `-` and words with no digit (a date or version is a snapshot) that no known
    id uses. Only after a variant id (one with a word of its own, like `nano`): `gpt-5-sol` or
    `gpt-6-astra` may be new models of a generation, never slips of `gpt-5` or `gpt-6`."""
    words = {word for candidate in known for word in candidate.split("-")}
    best = None
    for candidate in known:
        if not model.startswith(candidate + "-") or (best and len(best) >= len(candidate)):
            continue
        rest = model[len(candidate) + 1:].split("-")
        variant = any(word.isalpha() for word in candidate.split("-")[1:])  # past the brand (gpt, o3)
        if variant and all(word and not _digits(word) and word not in words for word in rest):
            best = candidate
    return best


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance with adjacent transpositions, or `limit` once it reaches it."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        if min(current) >= limit:
            return limit
        previous2, previous = previous, current
    return previous[-1]


@check(fields=("model",))
def model_not_available(value: Any, args: dict, context: Context) -> list[Violation]:
    """A `model` the project's synced list (`runlint models sync`: the ids the user's key can use)
    does not have. `suggest: true`: one close to a listed id (the `fix`); false: none is."""
    model = value.get("model")
    synced = context.synced if isinstance(model, str) else None
    if synced is None or synced.has(model):
        return []
    fix = typo_of(model, synced.ids) or _closest(model, synced.ids)
    if bool(fix) != bool(args.get("suggest")):
        return []
    return [(("model",), {"value": model, "fix": Said(fix) if fix else fix,
                          "synced": Said(synced.synced_at.date().isoformat()), "file": Said(synced.path.name)})]


def _closest(model: str, ids: list[str]) -> str | None:
    import difflib  # only for a model the key cannot use

    close = difflib.get_close_matches(model, ids, n=1, cutoff=0.8)
    return close[0] if close else None


@check(fields=("model",))
def model_list_outdated(value: Any, args: dict, context: Context) -> list[Violation]:
    """The project's synced model list is older than STALE_AFTER_DAYS on the date findings are for
    (the rule reports it once a file, at its first `model`)."""
    from ..synced import STALE_AFTER_DAYS

    synced = context.synced if isinstance(value.get("model"), str) else None
    if synced is None or synced.age(context.today) <= STALE_AFTER_DAYS:
        return []
    return [(("model",), {"days": synced.age(context.today), "synced": Said(synced.synced_at.date().isoformat()),
                          "file": Said(synced.path.name)})]


@check(fields=("model",))
def model_lifecycle(value: Any, args: dict, context: Context) -> list[Violation]:
    """A `model` OpenAI has shut down (`stage: shut down`), or deprecated with its shutdown ahead
    (`stage: deprecated`), on the date findings are for (today, or --as-of)."""
    model = value.get("model")
    found = context.models.lifecycle(model)
    synced = context.synced if isinstance(model, str) else None
    announced = synced.shutdown(model) if synced is not None else None
    if announced is not None:  # the API's own date, for this key, is ahead of the table's
        from ..model_table import Lifecycle

        found = Lifecycle(model, announced, found.deprecated if found else None,
                          found.replacement if found else None, "GET /v1/models")
    if found is None or found.stage(context.today) != args["stage"]:
        return []
    replacement = Said(f"; OpenAI recommends {found.replacement}" if found.replacement else "")
    announced = Said(f" (announced {found.deprecated.isoformat()})" if found.deprecated else "")
    return [(("model",), {"value": model, "shutdown": Said(found.shutdown.isoformat()), "announced": announced,
                          "replacement": replacement})]


@check(fields=("model", "max_completion_tokens", "max_tokens", "max_output_tokens"))
def model_limit(value: Any, args: dict, context: Context) -> list[Violation]:
    """A number at `at` (a top-level field) above the model's `limit` in the table (a token count);
    an unknown model or limit says nothing."""
    family = context.models.find(value.get("model"))
    number = value.get(args["at"])
    limit = family.capabilities.get(args["limit"]) if family else None
    if not isinstance(limit, int) or isinstance(number, bool) or not isinstance(number, int) or number <= limit:
        return []
    return [((args["at"],), {"value": number, "limit": Said(f"{limit:,}"), "model": value["model"]})]


@check(fields=("model", "messages", "input"))
def message_roles(value: Any, args: dict, context: Context) -> list[Violation]:
    """A message whose role (`developer`, `system`) the model rejects: the table's
    `developer_role` / `system_role` is false. `args["items"]`: where the messages are."""
    family = context.models.find(value.get("model"))
    items = value.get(args["items"])
    if family is None or not isinstance(items, list):
        return []
    found = []
    for index, item in enumerate(items):
        role = item.get("role") if isinstance(item, dict) else None
        if role in ("developer", "system") and family.accepts(f"{role}_role") is False:
            found.append(((args["items"], index, "role"), {"role": role, "model": value["model"]}))
    return found
