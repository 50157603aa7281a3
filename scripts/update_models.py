"""Compare runlint's model table (data/models.yaml) with the model ids OpenAI's spec lists.

    python scripts/update_models.py                  # the ids in the generated schemas/*.schema.json
    python scripts/update_models.py PATH/openapi.yaml  # or those of an openapi.yaml (or .json)
    python scripts/update_models.py --as-of 2027-01-01

Reports, and exits 1 on the first two:
- official ids no family resolves (and that `unresolved` does not keep unknown, with a reason);
- official ids a family resolves but does not list in its `ids` (RL400 proposes only listed ids);
- ids the table lists that the spec no longer does (a retired model: keep it while RL601 reports it);
- models whose shutdown date has passed (on today, or --as-of), and families all of whose ids have.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Where a spec names request models: these definitions, and `model` properties (schemas only).
MODEL_DEFS = ("ModelIdsShared", "ModelIdsResponses", "AssistantSupportedModels")


def ids_in_schema(schema, inside: bool = False, found: set | None = None) -> set[str]:
    """Every string of an `enum` under a `model` property or a ModelIds* / AssistantSupportedModels
    definition."""
    found = set() if found is None else found
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "enum" and inside and isinstance(value, list):
                found.update(v for v in value if isinstance(v, str))
            elif key in ("properties", "$defs", "definitions", "schemas") and isinstance(value, dict):
                for name, sub in value.items():
                    marks = (key == "properties" and name == "model") or (key != "properties" and (
                        name.startswith("ModelIds") or name in MODEL_DEFS))
                    ids_in_schema(sub, inside or marks, found)
            else:
                ids_in_schema(value, inside, found)
    elif isinstance(schema, list):
        for item in schema:
            ids_in_schema(item, inside, found)
    return found


def official_ids(openapi: Path | None = None) -> dict[str, set[str]]:
    """id -> the files (or the spec's definitions) that list it."""
    where: dict[str, set[str]] = {}
    if openapi is None:
        for path in sorted((ROOT / "schemas").glob("*.schema.json")):
            for model in ids_in_schema(json.loads(path.read_text(encoding="utf-8"))):
                where.setdefault(model, set()).add(path.name)
        return where
    text = openapi.read_text(encoding="utf-8")
    if openapi.suffix == ".json":
        spec = json.loads(text)
    else:
        import yaml

        spec = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    schemas = spec.get("components", {}).get("schemas", {})
    for name in schemas:  # an openapi.yaml names many other models (audio, images): only these
        if name.startswith("ModelIds") or name in MODEL_DEFS:
            for model in ids_in_schema(schemas[name], inside=True):
                where.setdefault(model, set()).add(name)
    return where


def compare(where: dict[str, set[str]], today: date) -> tuple[list[str], list[str]]:
    """(problems, notes) of the table against the spec's ids."""
    from runlint.check.model_table import table

    models = table()
    listed = {model: family for family in models.families for model in family.ids}
    problems, notes = [], []
    for model in sorted(where):
        family = models.find(model)
        if model in models.unresolved:
            continue
        if family is None:
            problems.append(f"{model}: no family resolves it (in {', '.join(sorted(where[model]))}); add a "
                            "family to data/models.yaml, or an `unresolved` entry with the reason")
        elif model not in family.ids:
            problems.append(f"{model}: resolves to {family.name}, which does not list it in `ids`")
    for model, family in sorted(listed.items()):
        if model not in where:
            notes.append(f"{model} ({family.name}): listed in the table, no longer in the spec")
    for end in sorted(models.lifecycles.values(), key=lambda e: (e.shutdown, e.model)):
        if end.stage(today) == "shut down":
            notes.append(f"{end.model}: shut down on {end.shutdown.isoformat()}"
                         + (f" (replacement: {end.replacement})" if end.replacement else ""))
    for family in models.families:
        ends = [models.lifecycle(m) for m in family.ids]
        if family.ids and all(e is not None and e.stage(today) == "shut down" for e in ends):
            last = max(e.shutdown for e in ends).isoformat()
            notes.append(f"family {family.name}: every id shut down (the last on {last}); keep it while "
                         "specs may still name it (RL601 reports them)")
    return problems, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("openapi", nargs="?", type=Path, help="an openapi.yaml or .json (default: the "
                        "generated schemas/*.schema.json)")
    parser.add_argument("--as-of", help="the date shutdowns are compared with (default: today)")
    args = parser.parse_args(argv)
    from runlint.check.model_table import parse_date

    try:
        today = parse_date(args.as_of) if args.as_of else date.today()
    except ValueError as error:
        parser.error(f"--as-of: {error}")
    if args.openapi is not None and not args.openapi.is_file():
        parser.error(f"{args.openapi}: no such file")
    where = official_ids(args.openapi)
    problems, notes = compare(where, today)
    print(f"{len(where)} model ids in {args.openapi or 'schemas/*.schema.json'}")
    for line in problems:
        print(f"error: {line}")
    for line in notes:
        print(f"note: {line}")
    if not problems:
        print("every official id resolves to a family that lists it")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
