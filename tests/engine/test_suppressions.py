"""Inline suppression comments in YAML, and the finding for one that suppresses nothing."""


def codes(diagnostics):
    return [(d.code, d.range.line) for d in diagnostics]


BASE = "assistant_id: a\ntemperature: 0.2\n"


def test_disable_on_the_line(lint):
    assert codes(lint(BASE + "top_p: 0.5  # runlint: disable=RL202\n")) == []
    assert codes(lint(BASE + "top_p: 0.5  # runlint: disable=temperature-and-top-p\n")) == []
    assert codes(lint(BASE + "top_p: 0.5  # runlint: disable=RL2\n")) == []


def test_disable_next_line_and_file(lint):
    assert codes(lint(BASE + "# runlint: disable-next-line=RL202\ntop_p: 0.5\n")) == []
    assert codes(lint("# runlint: disable-file=RL202, RL101\n" + BASE + "top_p: 0.5\nmodle: x\n")) == []


def test_a_suppression_elsewhere_does_not_apply(lint):
    assert codes(lint(BASE + "# runlint: disable=RL202\ntop_p: 0.5\n")) == [("RL015", 2), ("RL202", 3)]


def test_unused_and_unknown_codes_are_reported(lint):
    found = lint(BASE + "top_p: 0.5  # runlint: disable=RL202,RL101\nmodel: gpt-4o  # runlint: disable=XX9\n")
    assert [(d.code, d.range.line, d.message) for d in found] == [
        ("RL015", 2, "`RL101` in this runlint comment suppresses nothing here; remove it"),
        ("RL015", 3, "`XX9` in this runlint comment names no rule runlint knows; remove it")]


def test_text_inside_strings_is_not_a_suppression(lint):
    spec = BASE + "top_p: 0.5\ninstructions: |\n  # runlint: disable-file=RL202\n"
    assert codes(lint(spec)) == [("RL202", 2)]
    quoted = BASE + 'top_p: 0.5\ninstructions: "# runlint: disable-file=RL202"\n'
    assert codes(lint(quoted)) == [("RL202", 2)]


def test_json_has_no_comments(lint):
    assert codes(lint('{"assistant_id": "a", "temperature": 1, "top_p": 1}', "a.run.json")) == [("RL202", 0)]


def test_many_suppressions_each_apply_to_their_own_line(lint):
    lines = [f"x{i}: 1" + ("" if i % 5 == 0 else "  # runlint: disable=RL101") for i in range(50)]
    spec = ("assistant_id: a\ninstructions: \"first\n  # runlint: disable-file=RL101\n  last\"\n"
            + "\n".join(lines) + "\n# runlint: disable-next-line=RL101\nlast_one: 1\n")
    assert codes(lint(spec)) == [("RL101", 4 + i) for i in range(0, 50, 5)]


def test_a_mistyped_code_gets_the_closest_rule(lint):
    [found] = lint(BASE + "top_p: 0.5  # runlint: disable=RL2O2,RL202\n")
    assert found.code == "RL015" and found.range.line == 2
    assert found.message == "`RL2O2` in this runlint comment names no rule runlint knows (did you mean `RL202`?); remove it"


def test_a_runlint_comment_in_a_form_runlint_does_not_read_is_reported(lint):
    """ruff's `ignore`, a missing `=`, a reason after the codes: each once suppressed nothing, silently."""
    for comment in ("# runlint: ignore=RL202", "# runlint: ignore[RL202]", "# runlint: disable RL202",
                    "# runlint: disable=RL202  # the API accepts both"):
        found = lint(BASE + f"top_p: 0.5  {comment}\n")
        assert codes(found) == [("RL202", 2), ("RL015", 2)], comment  # by column: the comment is after
        found = found[1:]
        assert found[0].message.startswith(f"`{comment}` is not a comment runlint reads, so it suppresses nothing")
        assert (found[0].range.column, found[0].range.end_column) == (12, 12 + len(comment))
    assert codes(lint("# runlint: kind=create-run\n" + BASE + "top_p: 0.5  # runlint: disable=RL202\n")) == []
    assert codes(lint(BASE + 'top_p: 0.5  # runlint: disable=RL202\nnote: "# runlint: ignore=RL1"\n'
                      "instructions: |\n  # runlint: anything\n")) == [("RL101", 3)]  # text in strings
