"""A finding on one nested YAML value is placed from one pass over the events (yaml_loader.scalar_range)
instead of a second load with every position: the range is the full loader's, for every scalar."""

from pathlib import Path

from helpers import ROOT

from runlint.source.yaml_loader import YamlLoader, scalar_range

TRICKY = """\
model: gpt-4o
messages:
  - role: user
    content: |
      two lines
      of text
  - {role: assistant, content: "flow, quoted"}
  - role: user
    content: >-
      folded
    content: the last one wins
metadata: {a: 1, b: [x, 'y', "z"]}
base: &base {temperature: 0.5}
other:
  <<: *base
  top_p: 1
nested:
  - - deep
    - [1, 2.5, true, null]
aliased: *base
twice: {inner: {value: first}}
twice: {inner: {value: second}}
"""


def _scalars(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _scalars(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _scalars(item, path + (index,))
    elif len(path) > 1:
        yield path


def _compare(text: str) -> int:
    compared = 0
    for index, document in enumerate(YamlLoader(text).load().documents):
        for path in _scalars(document.value):
            found = scalar_range(text, index, path)
            if found is not None:  # None: the full loader places it (an alias, a merge key on the way)
                assert found == document.spans[path][0], (path, found, document.spans[path][0])
                compared += 1
    return compared


def test_every_nested_scalar_is_where_the_full_loader_puts_it():
    compared = _compare(TRICKY)
    files = [p for p in (ROOT / "examples").rglob("*") if p.suffix in (".yaml", ".yml")]
    files += sorted((ROOT / "rules").glob("*.yaml"))[:40]
    for path in files:
        compared += _compare(Path(path).read_text(encoding="utf-8"))
    assert compared > 1000


def test_a_key_written_twice_gives_its_last_value_and_aliases_are_left_to_the_loader():
    last = scalar_range(TRICKY, 0, ("messages", 2, "content"))
    assert last is not None and last.line == 10
    assert scalar_range(TRICKY, 0, ("twice", "inner", "value")).line == 21  # an ancestor written twice: the last
    assert scalar_range(TRICKY, 0, ("aliased", "temperature")) is None
    assert scalar_range(TRICKY, 0, ("other", "top_p")) is None  # a merge key on the way
    assert scalar_range(TRICKY, 0, ("messages", 9, "role")) is None  # nothing there
