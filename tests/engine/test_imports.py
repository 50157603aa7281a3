"""`runlint check` imports only what it needs: never the language server, and, once the rule
cache is warm, neither pydantic nor python-jsonschema (measured with python -X importtime)."""

import os
import subprocess
import sys

from helpers import ROOT


def imported_modules(args, env):
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "runlint", *args], cwd=ROOT,
                            capture_output=True, text=True, env=env)
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def test_check_imports_no_language_server_and_no_validation_libraries_on_a_warm_cache(tmp_path):
    env = {**os.environ, "RUNLINT_CACHE_DIR": str(tmp_path)}
    env.pop("RUNLINT_NO_CACHE", None)
    first = imported_modules(["check", "examples/good"], env)
    assert "pydantic" in first  # the cold cache validates the rule files
    warm = imported_modules(["check", "examples/good"], env)
    for heavy in ("pygls", "lsprotocol", "pydantic", "jsonschema", "ruamel.yaml", "runlint.lsp"):
        assert heavy not in warm, f"runlint check imported {heavy}"
    assert "runlint.cli" in warm and "jsonschema_rs" in warm


def test_a_json_spec_on_a_warm_cache_needs_no_yaml_parser(tmp_path):
    """The model table is read back from the cache as JSON (runlint/cache.py): checking a JSON spec
    imports neither PyYAML (which parsing schemas/models.yaml needed, on every run) nor pydantic."""
    env = {**os.environ, "RUNLINT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("RUNLINT_NO_CACHE", None)
    spec = tmp_path / "a.chat.json"
    spec.write_text('{"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 10}')
    args = ["check", "--isolated", str(spec)]
    first = imported_modules(args, env)
    assert "yaml" in first and "runlint.check.model_table" in first  # the cold cache parses the table
    warm = imported_modules(args, env)
    assert "runlint.check.model_table" in warm  # the table was used...
    for heavy in ("yaml", "runlint.source.yaml_loader", "pydantic"):
        assert heavy not in warm, f"runlint check imported {heavy}"  # ...without parsing YAML


def test_fix_with_nothing_to_fix_imports_nothing_more_than_check(tmp_path):
    env = {**os.environ, "RUNLINT_CACHE_DIR": str(tmp_path)}
    env.pop("RUNLINT_NO_CACHE", None)
    imported_modules(["check", "examples/good"], env)  # warms the cache
    check = imported_modules(["check", "examples/good"], env)
    fix = imported_modules(["check", "--fix", "examples/good"], env)
    assert fix == check and "runlint.fix.apply" not in fix


def _imports(path):
    """The runlint modules a source file imports, at any depth of it (lazy imports included)."""
    import ast

    tree = ast.parse(path.read_text())
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            module = f"{base}.{node.module}" if node.level and node.module else (node.module or base)
            found |= {module} | {f"{module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name.startswith("runlint")}


def _inside(module: str, packages) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def test_the_pipeline_is_downhill():
    """The stages import only what comes before them: nothing in source/, check/, pipeline/, fix/
    or report/ imports the front ends that call the pipeline (cli/, lsp/, migrate/, the Python API),
    and source/ (formats included: they yield data) imports nothing of check/ or pipeline/."""
    front_ends = ("runlint.cli", "runlint.lsp", "runlint.migrate", "runlint.api", "runlint.__main__")
    stages = ("runlint.source", "runlint.check", "runlint.pipeline", "runlint.fix", "runlint.report")
    uphill = []
    for path in (ROOT / "runlint").rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        imported = _imports(path)
        if _inside(module, stages):
            uphill += [(module, i) for i in imported if _inside(i, front_ends)]
        if _inside(module, ("runlint.source",)):
            uphill += [(module, i) for i in imported if _inside(i, ("runlint.check", "runlint.pipeline"))]
    assert not uphill
    assert _inside("runlint.source.formats.batch", ("runlint.source",))  # the batch format is a source


def test_nothing_outside_the_pipeline_calls_a_step_behind_its_one_entry():
    """`Linter.lint(source)` is the one entry: the steps behind it (checking a request, grading and
    settling findings, guarding a check) are called from runlint/pipeline/ only."""
    import ast

    steps = {"_check", "_stamp", "_settle", "_guarded", "_file", "_finish", "stamp", "settle", "guarded",
             "check_schema", "check_document"}
    called = []
    for path in (ROOT / "runlint").rglob("*.py"):
        if path.parent.name == "pipeline" and path.parent.parent.name == "runlint":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in steps:
                called.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.attr}")
    assert not called


def test_no_instruction_installs_somebody_elses_package():
    """`runlint` on PyPI is an unrelated project: every instruction names runlint-openai (this test
    leaves itself out: it spells the wrong one)."""
    import re
    import subprocess

    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    wrong = []
    for name in [f for f in files if f != "tests/engine/test_imports.py"]:
        path = ROOT / name
        if path.suffix in (".png", ".vsix") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        wrong += [f"{name}: {m.group()}" for m in re.finditer(r"pip install runlint(?![-\w])", text)]
    assert not wrong
