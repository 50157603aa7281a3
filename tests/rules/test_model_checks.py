"""The request's model: typo fixes for ids runlint does not know (RL400), shutdowns (RL601)."""

from datetime import date

import pytest

from runlint.check.families.models import typo_of
from runlint.pipeline.linter import Linter, Settings
from runlint.check.model_table import table

KNOWN = table().known_ids()


@pytest.mark.parametrize("model, fix", [
    ("gpt-4o-mni", "gpt-4o-mini"), ("gpt5-mini", "gpt-5-mini"), ("gpt-4.1-mnii", "gpt-4.1-mini"),
    ("GPT-4o", "gpt-4o"), ("gtp-4o", "gpt-4o"), ("o3-mimi", "o3-mini"), ("gpt-5.1-codx", "gpt-5.1-codex"),
    # another number is another model, perhaps newer than the table: never "corrected" into an older one
    ("gpt-5.7", None), ("gpt-6", None), ("gpt-5.10", None), ("gpt-5.4-mini-2026-09-01", None), ("o5-mini", None),
    ("gpt-4o-minis-turbo", None), ("claude-3", None), ("gpt-5.1-ultra", None),
    # a variant id with a stray word after it; after a generation's own id it may be a new model
    ("gpt-4.1-nano-wrong", "gpt-4.1-nano"), ("gpt-4o-mnii", "gpt-4o-mini"), ("o3-mini-high", "o3-mini"),
    ("gpt-4o-mini-foo-bar", "gpt-4o-mini"), ("gpt-6.3-sol", None), ("gpt-5-sol", None), ("gpt-6.2-astra", None),
    ("gpt-4o-mini-2024-07-19", None), ("gpt-4.1-nano-v2", None), ("gpt-4o-mini-search", None),
])
def test_typo_fixes_are_near_spellings_with_the_same_numbers(model, fix):
    assert typo_of(model, KNOWN) == fix


def _messages(code, text, file="a.response.yaml", **settings):
    linter = Linter(Settings(cache_dir=None, **settings))
    return [d for d in linter.lint_text(text, file) if d.code == code]


def test_an_unknown_new_id_may_be_newer_than_the_table():
    [found] = _messages("RL400", "model: gpt-5.7\ninput: Hi\n")
    assert "did you mean" not in found.message
    assert "may be newer than runlint's table" in found.message and "`models`" in found.message


def test_a_typo_names_the_official_id():
    [found] = _messages("RL400", "model: gpt-4o-mni\ninput: Hi\n")
    assert found.message.endswith("did you mean `gpt-4o-mini`?")


def test_every_official_id_is_known_to_rl400():
    assert len(KNOWN) == len(set(KNOWN)) >= 100
    for model in KNOWN:
        assert not _messages("RL400", f"model: {model}\ninput: Hi\n"), model
        assert typo_of(model, KNOWN) == model  # never "corrected" into another id
    # ids the table names elsewhere are never "corrected" into a family's id, though some look
    # like a variant id with a stray word (gpt-4o-mini-transcribe: gpt-4o-mini and `transcribe`)
    assert typo_of("gpt-4o-mini-transcribe", KNOWN) == "gpt-4o-mini"
    for model in [*table().lifecycles, *table().unresolved]:
        assert not [d for d in _messages("RL400", f"model: {model}\ninput: Hi\n") if "did you mean" in d.message], model


def test_a_typo_is_a_warning_and_a_new_id_an_info():
    [typo] = _messages("RL400", "model: gpt-4.1-nano-wrong\ninput: Hi\n")
    [new] = _messages("RL400", "model: gpt-6.3-sol\ninput: Hi\n", as_of=table().checked)
    assert (str(typo.severity), str(new.severity)) == ("warning", "info")
    assert typo.message.endswith("did you mean `gpt-4.1-nano`?") and "checked on" not in new.message


def test_an_unknown_id_long_after_the_table_was_checked_says_how_to_update():
    from datetime import timedelta

    checked = table().checked
    assert not [d for d in _messages("RL400", "model: gpt-6.3-sol\ninput: Hi\n", as_of=checked + timedelta(days=60))
                if "checked on" in d.message]
    [old] = _messages("RL400", "model: gpt-6.3-sol\ninput: Hi\n", as_of=checked + timedelta(days=61))
    assert str(old.severity) == "info"
    assert f"whose facts were checked on {checked.isoformat()}, 61 days ago" in old.message
    assert "`pip install -U runlint-openai`" in old.message and "`runlint models sync`" in old.message
    [typo] = _messages("RL400", "model: gpt-4o-mni\ninput: Hi\n", as_of=checked + timedelta(days=400))
    assert "checked on" not in typo.message  # a slip is a slip, however old the table


@pytest.mark.parametrize("as_of, severity, words", [
    (date(2024, 1, 1), None, None),  # before the announcement
    (date(2024, 6, 6), "warning", "is deprecated (announced 2024-06-06) and OpenAI shuts it down on 2025-06-06"),
    (date(2025, 6, 6), "error", "OpenAI shut down the model `gpt-4-32k` on 2025-06-06"),
])
def test_shutdown_depends_on_the_date(as_of, severity, words):
    found = _messages("RL601", "model: gpt-4-32k\ninput: Hi\n", as_of=as_of)
    assert [str(d.severity) for d in found] == ([severity] if severity else [])
    if words:
        assert words in found[0].message and "OpenAI recommends gpt-4o" in found[0].message


@pytest.mark.parametrize("file, text", [
    ("a.chat.yaml", "model: gpt-4-32k\nmessages: [{role: user, content: Hi}]\n"),
    ("a.run.yaml", "assistant_id: a\nmodel: gpt-4-32k\n"),
    ("a.thread-run.yaml", "assistant_id: a\nmodel: gpt-4-32k\n"),
    ("a.assistant.yaml", "model: gpt-4-32k\n"),
    ("a.response.yaml", "model: gpt-4-32k\ninput: Hi\n"),
])
def test_shutdown_is_checked_for_every_kind_with_a_model(file, text):
    assert _messages("RL601", text, file, as_of=date(2026, 12, 1))


def test_batch_lines_are_checked_for_the_settings_date():
    import io

    from runlint.source.request import Source

    line = b'{"custom_id": "a", "method": "POST", "url": "/v1/chat/completions", "body": ' \
           b'{"model": "gpt-4-32k", "messages": [{"role": "user", "content": "Hi"}]}}\n'
    for as_of, severity in ((date(2025, 1, 1), "warning"), (date(2025, 7, 1), "error")):
        linter = Linter(Settings(cache_dir=None, as_of=as_of))
        found = [d for d in linter.lint(Source("b.jsonl", handle=io.BytesIO(line))) if d.code == "RL601"]
        assert [str(d.severity) for d in found] == [severity]


def test_rl600_before_the_shutdown_is_a_deprecation():
    before = _messages("RL600", "assistant_id: a\n", "a.run.yaml", as_of=date(2026, 8, 25))
    after = _messages("RL600", "assistant_id: a\n", "a.run.yaml", as_of=date(2026, 8, 26))
    assert "is deprecated" in before[0].message and "shuts it down on 2026-08-26" in before[0].message
    assert "was shut down on 2026-08-26" in after[0].message


# -- facts that depend on the pairing of model, reasoning effort and endpoint (the table's constraints)

_TOOLS = "tools: [{type: function, function: {name: f, parameters: {type: object, properties: {}}}}]\n"


@pytest.mark.parametrize("model, effort, found", [
    ("gpt-5.4", None, False),  # its default effort is none: its function tools work
    ("gpt-5.6-terra", None, True),  # its default is medium: they fail (HKUDS/Vibe-Trading#1473)
    ("gpt-5.6-terra", "none", False),
    ("gpt-5.6-luna", "low", True),
    ("gpt-6-sol", None, True),
    ("gpt-6-luna", None, False),  # no source states its default: quiet
    ("gpt-6.1-sol", "none", True),  # no tools in Chat Completions at all (and RL402 flags `none`)
    ("gpt-5.5", "high", False),  # no source for gpt-5.5: quiet
])
def test_function_tools_in_chat_completions_depend_on_the_effort(model, effort, found):
    text = f"model: {model}\nmessages: [{{role: user, content: Hi}}]\n" + _TOOLS
    text += f"reasoning_effort: {effort}\n" if effort else ""
    assert bool(_messages("RL411", text, "a.chat.yaml")) is found


def test_function_tools_in_the_responses_api_are_fine_with_any_effort():
    text = "model: gpt-5.6-luna\ninput: Hi\nreasoning: {effort: high}\ntools: [{type: function, name: f}]\n"
    assert not _messages("RL411", text) and not _messages("RL401", text)


def test_the_real_request_with_effort_none_and_a_temperature_stays_clean():
    # shared/real-requests 019: gpt-5.6-sol, reasoning effort none, temperature 0.5 (the API answered 200)
    text = "model: gpt-5.6-sol\ninput: Hi\nreasoning: {effort: none, context: all_turns}\ntemperature: 0.5\n"
    linter = Linter(Settings(cache_dir=None))
    assert not [d for d in linter.lint_text(text, "a.response.yaml") if d.severity.name == "ERROR"]
