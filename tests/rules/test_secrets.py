"""A secret in a spec is reported, and never printed in full: not in any format, not in excerpts."""

import pytest

from helpers.cli import run, write

KEY = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"


@pytest.mark.parametrize("output_format", ["text", "concise", "json", "sarif", "github", "junit", "gitlab"])
def test_the_secret_is_masked_in_every_format(tmp_path, output_format):
    spec = write(tmp_path, "a.run.yaml", f"assistant_id: asst_1\nmetadata: {{key: {KEY}, retries: 3}}\n")
    result = run("check", str(spec), "--format", output_format, "--no-color")
    out = result.stdout.decode()
    assert result.returncode == 1
    assert "RL501" in out and "sk-p" in out
    assert KEY not in out and KEY[8:20] not in out


def test_the_excerpt_masks_the_secret_and_keeps_the_caret_aligned(tmp_path):
    spec = write(tmp_path, "a.run.yaml", f"assistant_id: asst_1\nmetadata: {{key: {KEY}}}\n")
    out = run("check", str(spec), "--no-color").stdout.decode()
    assert f"2 | metadata: {{key: {'*' * len(KEY)}}}" in out
    assert "  |                 " + "^" * len(KEY) + " RL501" in out


def test_stdin_is_masked_too():
    out = run("check", "-", "--stdin-filename", "a.run.json",
              stdin=f'{{"assistant_id": "a", "instructions": "use {KEY}"}}'.encode()).stdout.decode()
    assert "RL501" in out and KEY not in out


def _rule_args() -> dict:
    from runlint.pipeline.linter import Linter

    return Linter().catalog.rules["RL501"].cases[0].check.spec["args"]


ARGS = _rule_args()


@pytest.mark.parametrize("kind", sorted(ARGS["shapes"]))
def test_the_hints_cover_every_shape(kind):
    """The hints rule a spec out before any shape is tried: every key a shape matches must hold
    one, or that key would never be looked for. Keys made from the shapes themselves, in prose."""
    import re

    from hypothesis import assume, given, settings, strategies as st

    from runlint.check.families.secrets import secrets

    shape = ARGS["shapes"][kind]
    pattern = re.sub(r"\\b|\(\?!\[[^]]*\]\)", "", shape)  # boundaries: the text around the key decides

    @settings(max_examples=300, deadline=None)
    @given(st.from_regex(pattern, fullmatch=True))
    def found(key):
        text = f"Be brief, and call the tool with {key} please."
        assume(re.search(shape, text))  # a match of the whole shape, its boundaries included
        # in `input`, where no high-entropy token is looked for: only the hints can lead to it
        kinds = [params["kind"] for _, params in secrets({"model": "gpt-4o", "input": text}, ARGS, None)]
        assert kinds, f"{kind} {key!r} was not found"

    found()


def test_what_the_rust_prefilter_cannot_take_is_searched_in_python():
    """jsonschema-rs takes string keys only; such a spec (a loader never gives one) is still searched."""
    from runlint.check.families.secrets import secrets

    [(path, params)] = secrets({"metadata": {7: KEY}}, ARGS, None)
    assert path == ("metadata", 7) and params["kind"] == "OpenAI API key"


def test_a_token_without_a_hint_is_looked_for_only_where_args_say():
    from runlint.check.families.secrets import secrets

    token = "q8Zr7Lx2Vn4Pw9Ks1Jd6Hf3Gb5Tc0Ym8Ue2Ri7Oa4"
    assert [p for p, _ in secrets({"metadata": {"t": token}, "model": token}, ARGS, None)] == [("metadata", "t")]
