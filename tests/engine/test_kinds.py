"""How a document's request kind is told, each way, in the order docs/checks.md gives."""

import json

import pytest

from helpers.cli import run, write

RESPONSE_TYPO = "model: gpt-4o\ninput: hi\ntemprature: 1\n"  # RL101 only if read as a response
CHAT_ONLY = "model: gpt-4o\nmessages: [{role: user, content: hi}]\nmax_tokens: 5\n"  # RL220: chat only


def codes(result) -> list[str]:
    return [d["code"] for d in json.loads(result.stdout)]


@pytest.mark.parametrize("name, text, expected", [
    ("a.response.yaml", RESPONSE_TYPO, ["RL101"]),  # the file name
    ("a.chat.yml", CHAT_ONLY, ["RL220"]),
    ("a.yaml", "# runlint: kind=chat-completion\n" + CHAT_ONLY, ["RL220"]),  # a comment above
    ("a.response.yaml", "# runlint: kind=chat-completion\n" + CHAT_ONLY, ["RL220"]),  # the comment wins
    ("a.yaml", RESPONSE_TYPO, ["RL101"]),  # the fields: `input`
    ("a.yaml", CHAT_ONLY, ["RL220"]),  # the fields: `messages`
    ("a.yaml", "assistant_id: a\nthread: {messages: []}\ntemprature: 1\n", ["RL101"]),  # thread-and-run
    ("a.yaml", "model: gpt-4o\n", ["RL012"]),  # nothing tells: an info, nothing checked
    ("a.yaml", "# runlint: kind=responses\nmodel: gpt-4o\n", ["RL012"]),  # a kind runlint does not know
])
def test_kind_detection(tmp_path, name, text, expected):
    spec = write(tmp_path, name, text)
    assert codes(run("check", "--format", "json", str(spec))) == expected


def test_each_document_of_a_file_has_its_own_kind(tmp_path):
    spec = write(tmp_path, "a.yaml", RESPONSE_TYPO + "---\n# runlint: kind=chat-completion\n" + CHAT_ONLY)
    found = json.loads(run("check", "--format", "json", str(spec)).stdout)
    assert [(d["code"], d["line"]) for d in found] == [("RL101", 3), ("RL220", 8)]


def test_configuration_globs_default_kind_and_the_command_line(tmp_path):
    spec = write(tmp_path, "requests/a.yaml", "model: gpt-4o\nmax_tokens: 5\nmessages: [{role: user, content: hi}]\n")
    plain = write(tmp_path, "b.yaml", "model: gpt-4o\nmax_tokens: 5\n")
    write(tmp_path, "runlint.toml", 'kinds = {"requests/*.yaml" = "chat-completion"}\n'
                                    'default-kind = "chat-completion"\n')
    assert codes(run("check", "--format", "json", str(spec))) == ["RL220"]  # by the glob
    assert codes(run("check", "--format", "json", str(plain))) == ["RL102", "RL220"]  # by default-kind
    found = codes(run("check", "--format", "json", "--kind", "response", str(plain)))
    assert "RL240" in found  # max_tokens is Chat's, not a Responses field: --kind wins over everything
    write(tmp_path, "runlint.toml", 'kinds = {"requests/*.yaml" = "chat"}\n')
    bad = run("check", str(spec))
    assert bad.returncode == 2 and "kinds" in bad.stderr.decode()
