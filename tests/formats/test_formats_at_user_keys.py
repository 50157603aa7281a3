"""GitHub Models prompt files and Prompty files through the one entry (`Linter.lint`): each
finding lands at the user's own key, names it, and is fixed only where the file writes the API's
own words."""

from __future__ import annotations

from pathlib import Path

from runlint.pipeline.linter import Linter
from runlint.source.document import load
from runlint.source.formats import github_models, prompty
from runlint.source.request import Source

REAL = Path(__file__).resolve().parent / "real"
LINTER = Linter()


def found(file: str, text: str, code: str) -> list:
    return [d for d in LINTER.lint(Source(file, text=text)) if d.code == code]


def test_max_tokens_on_a_reasoning_model_is_an_error_at_max_tokens():
    text = "model: openai/o3-mini\nmodelParameters:\n  maxTokens: 100\nmessages:\n  - role: user\n    content: Hi\n"
    [rl220] = found("a.prompt.yml", text, "RL220")
    assert (str(rl220.severity), rl220.range.line, rl220.range.column) == ("error", 2, 2)
    assert "rejects max_tokens" in rl220.message and "(written `modelParameters.maxTokens`)" in rl220.message


def test_a_strict_schema_finding_lands_inside_the_json_block():
    file = REAL / "github-models" / "github+gh-models" / "examples__json_schema_prompt.yml.prompt.yml"
    [rl210] = found(str(file), file.read_text(), "RL210")
    assert (rl210.range.line, rl210.range.column) == (24, 8)  # `"characteristics"`, inside `jsonSchema: |-`


def test_another_provider_s_model_is_not_openai_s():
    text = "model: microsoft/phi-4\nmodelParameters:\n  maxTokens: 100\nmessages:\n  - role: user\n    content: Hi\n"
    assert not github_models.build(load("a.prompt.yml", text).documents[0]).openai


def test_prompty_v2_top_k_is_unknown_to_openai_at_top_k():
    text = ("---\nmodel:\n  id: gpt-4.1\n  provider: openai\n  options:\n    topK: 3\n---\nuser:\nHi\n")
    [rl101] = found("a.prompty", text, "RL101")
    assert rl101.range.line == 5 and "(written `model.options.topK`)" in rl101.message


def test_prompty_v1_openai_max_tokens_on_a_reasoning_model_at_the_parameter():
    text = ("---\nmodel:\n  api: chat\n  configuration:\n    type: openai\n    name: o3-mini\n  parameters:\n"
            "    max_tokens: 100\n---\nsystem:\nBe brief.\nuser:\nHi\n")
    [rl220] = found("a.prompty", text, "RL220")
    assert (str(rl220.severity), rl220.range.line, rl220.range.column) == ("error", 7, 4)
    assert rl220.fix is not None and "(written" not in rl220.message  # the API's own name: fixable


def test_an_azure_deployment_gets_the_format_s_checks_only():
    text = ("---\nmodel:\n  configuration:\n    type: azure_openai\n    azure_deployment: o3-mini\n  parameters:\n"
            "    max_tokens: 100\n---\nuser:\nHi\n")
    assert found("a.prompty", text, "RL220") == []


def test_a_finding_on_a_message_lands_on_its_role_line():
    text = "---\nmodel:\n  configuration:\n    type: openai\n    name: gpt-4o\n---\nsystem:\n\nuser:\nHi\n"
    front, body, _ = prompty.split("a.prompty", text)
    built = prompty.build(front, body)
    assert built.value["messages"][0] == {"role": "system", "content": ""}
    assert body.locate((0, "role")).line == 6


def test_the_real_files_lint_to_exactly_their_judged_findings_all_true():
    """Every real file kept (tests/formats/real/<format>/), linted by the one entry: each finding
    is in JUDGEMENTS.yaml with verdict true, and each judgement is still found."""
    import yaml

    for name, pattern in (("github-models", "*.prompt.y*ml"), ("prompty", "*.prompty")):
        root = REAL / name
        judged = {(j["file"], j["code"], j["line"]): j["verdict"]
                  for j in yaml.safe_load((root / "JUDGEMENTS.yaml").read_text())}
        found = set()
        for path in root.rglob(pattern):
            file = path.relative_to(root).as_posix()
            found |= {(file, d.code, d.range.line + 1) for d in LINTER.lint(Source(str(path)))}
        assert found == set(judged) and all(judged.values()), name


def test_suppression_comments_work_in_prompt_files_and_in_the_prompty_front_matter():
    prompt = ("model: openai/o3-mini\nmodelParameters:\n  maxTokens: 100  # runlint: disable=RL220\n"
              "messages:\n  - role: user\n    content: Hi\n")
    assert "RL220" not in {d.code for d in LINTER.lint(Source("a.prompt.yml", text=prompt))}
    assert "RL220" in {d.code for d in LINTER.lint(Source("a.prompt.yml", text=prompt.replace("  # runlint: disable=RL220", "")))}
    text = ("---\n# runlint: disable-next-line=RL900\nmodel:\n  id: gpt-4.1\n  provider: openai\n  options:\n"
            "    maxTokens: 3  # runlint: disable=RL900\n---\nuser:\nHi\n")
    codes = [d.code for d in LINTER.lint(Source("a.prompty", text=text))]
    assert "RL900" not in codes
    assert "RL900" in {d.code for d in LINTER.lint(Source("a.prompty", text=text.replace("  # runlint: disable=RL900", "")))}


def test_every_report_format_takes_the_findings_of_a_format():
    import subprocess
    import sys

    file = REAL / "github-models" / "github+gh-models" / "examples__json_schema_prompt.yml.prompt.yml"
    for report in ("text", "json", "sarif", "github", "junit", "gitlab"):
        run = subprocess.run([sys.executable, "-m", "runlint", "check", "--format", report, str(file)],
                             capture_output=True, text=True)
        assert run.returncode == 1 and "RL210" in run.stdout, report


def test_fix_where_one_to_one_a_prompty_v1_parameter_and_not_a_renamed_key():
    from runlint.fix.apply import fix_bytes

    text = ("---\nmodel:\n  api: chat\n  configuration:\n    type: openai\n    name: o3-mini\n  parameters:\n"
            "    max_tokens: 100\n---\nsystem:\nBe brief.\nuser:\nHi\n")
    fixed = fix_bytes(LINTER, text.encode(), "a.prompty", unsafe=True, codes=frozenset({"RL220"}))
    assert b"    max_completion_tokens: 100\n" in fixed.data
    # gh-models writes it as modelParameters.maxTokens and cannot send max_completion_tokens: no fix
    prompt = "model: openai/o3-mini\nmodelParameters:\n  maxTokens: 100\nmessages:\n  - role: user\n    content: Hi\n"
    [rl220] = [d for d in LINTER.lint(Source("a.prompt.yml", text=prompt)) if d.code == "RL220"]
    assert rl220.fix is None and "(written `modelParameters.maxTokens`)" in rl220.message


def test_the_strict_schema_fix_is_made_inside_the_json_string_as_json():
    """github/gh-models' own example: `characteristics` listed in `required` and made nullable,
    in JSON, inside the `jsonSchema: |-` block; the prompt file then lints clean."""
    import json as json_module

    import yaml

    from runlint.fix.apply import fix_bytes

    file = REAL / "github-models" / "github+gh-models" / "examples__json_schema_prompt.yml.prompt.yml"
    fixed = fix_bytes(LINTER, file.read_bytes(), "example.prompt.yml", unsafe=True, codes=frozenset({"RL210"}))
    schema = json_module.loads(yaml.safe_load(fixed.data)["jsonSchema"])["schema"]
    assert "characteristics" in schema["required"]
    assert schema["properties"]["characteristics"]["type"] == ["array", "null"]
    assert not [d for d in fixed.diagnostics if d.code == "RL210"]
