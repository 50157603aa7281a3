"""scripts/update_models.py: the model table against a spec, in one command."""

import json
import subprocess
import sys

from helpers import ROOT


def _run(*args):
    return subprocess.run([sys.executable, "scripts/update_models.py", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def _spec(tmp_path, shared, responses=()):
    spec = {"components": {"schemas": {
        "ModelIdsShared": {"anyOf": [{"type": "string"}, {"type": "string", "enum": list(shared)}]},
        "ModelIdsResponses": {"anyOf": [{"$ref": "#/components/schemas/ModelIdsShared"},
                                        {"type": "string", "enum": list(responses)}]},
        "CreateImageRequest": {"properties": {"model": {"enum": ["dall-e-3"]}}},  # no request model
    }}}
    path = tmp_path / "openapi.json"
    path.write_text(json.dumps(spec))
    return str(path)


def test_the_generated_schemas_resolve():
    result = _run("--as-of", "2026-12-01")
    assert result.returncode == 0, result.stdout
    assert "every official id resolves" in result.stdout
    assert "note: gpt-4-32k: shut down on 2025-06-06 (replacement: gpt-4o)" in result.stdout
    assert "note: family gpt-4-32k: every id shut down (the last on 2025-06-06)" in result.stdout
    assert "family gpt-4.1:" not in result.stdout  # gpt-4.1 itself has no announced end


def test_a_new_id_fails_and_names_itself(tmp_path):
    result = _run(_spec(tmp_path, ["gpt-4o", "gpt-9-turbo"], ["o1-pro", "gpt-4o-ultra"]), "--as-of", "2026-12-01")
    assert result.returncode == 1
    errors = [line for line in result.stdout.splitlines() if line.startswith("error:")]
    assert len(errors) == 2 and "gpt-9-turbo: no family resolves it" in errors[1] and "gpt-4o-ultra" in errors[0]
    assert "dall-e-3" not in result.stdout
    # the table's ids this spec no longer lists
    assert "note: gpt-4.1 (gpt-4.1): listed in the table, no longer in the spec" in result.stdout


def test_an_id_a_family_resolves_but_does_not_list(tmp_path):
    result = _run(_spec(tmp_path, ["gpt-4o-2025-01-01"]))
    assert result.returncode == 1 and "resolves to gpt-4o, which does not list it in `ids`" in result.stdout


def test_a_bad_date_is_a_usage_error():
    result = _run("--as-of", "2026-02-30")
    assert result.returncode == 2 and "is not a date" in result.stderr and "Traceback" not in result.stderr
