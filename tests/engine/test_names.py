"""Names that say what they hold: schemas/ holds JSON Schemas, data/ the facts runlint reads, and each
class name means one class."""

import ast

from helpers import ROOT


def test_schemas_holds_only_json_schemas_and_data_holds_the_facts():
    files = [p.name for p in (ROOT / "schemas").iterdir() if p.is_file()]
    assert files and all(name.endswith(".schema.json") for name in files), files
    assert {p.name for p in (ROOT / "data").iterdir()} >= {"models.yaml", "batch.yaml"}


def test_the_bundled_data_is_read_from_data():
    from runlint.check.model_table import builtin_data
    from runlint.resources import data_dir

    assert data_dir("data") == ROOT / "data" and builtin_data()["families"]


def test_each_class_name_names_one_class():
    seen: dict[str, str] = {}
    repeated = []
    for path in sorted((ROOT / "runlint").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                where = str(path.relative_to(ROOT))
                if node.name in seen and seen[node.name] != where:
                    repeated.append((node.name, seen[node.name], where))
                seen.setdefault(node.name, where)
    # Rule and Condition were two each; a rule file's schema is RuleFile and ConditionSpec
    assert not repeated, repeated
