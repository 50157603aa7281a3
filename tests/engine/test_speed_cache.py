"""runlint's cache (runlint/cache.py) on the cold path: the validated rules and the parsed model
table are read back only when they are plain data made by this version from the same bytes; a
corrupt, foreign or stale file is ignored and rewritten, never trusted."""

import json
import os
import stat

import pytest

from runlint import __version__, cache
from runlint.check import model_table
from runlint.check.rules import load_catalog
from test_engine import write_rule


@pytest.fixture
def rules(tmp_path):
    folder = tmp_path / "rules"
    folder.mkdir()
    write_rule(folder, "001", "one", "{present: /model}", "first")
    return folder


def only_file(folder):
    files = list(folder.iterdir())
    assert len(files) == 1, files
    return files[0]


def test_the_rule_cache_is_plain_data_for_the_user_only(tmp_path, rules):
    cache_dir = tmp_path / "cache"
    load_catalog([rules], cache_dir)
    stored = only_file(cache_dir)
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache_dir.stat().st_mode) == 0o700
    data = json.loads(stored.read_text())
    assert data["version"] == __version__
    assert data["key"]["sources"][0][1:] == cache.fingerprint((rules / "ACME001-one.yaml").read_bytes())
    assert "first" not in json.dumps(data["key"])  # a fingerprint, not the texts again


@pytest.mark.parametrize("content", [
    b"", b"\x80\x81 not utf-8", b"{not json", b"[]", b'"a string"',
    json.dumps({"version": "0.0.0-another", "key": None, "data": []}).encode(),
])
def test_a_corrupt_or_foreign_rule_cache_is_ignored_and_rewritten(tmp_path, rules, content):
    cache_dir = tmp_path / "cache"
    load_catalog([rules], cache_dir)
    stored = only_file(cache_dir)
    stored.write_bytes(content)
    assert load_catalog([rules], cache_dir).rules["ACME001"].cases[0].message == "first"
    assert json.loads(stored.read_text())["version"] == __version__  # made again


def test_a_cache_entry_of_the_right_key_but_the_wrong_shape_is_not_trusted(tmp_path, rules):
    """Data a newer or tampered runlint left under the same key: the rules are validated again."""
    cache_dir = tmp_path / "cache"
    load_catalog([rules], cache_dir)
    stored = only_file(cache_dir)
    data = json.loads(stored.read_text())
    for bad in ([[{"code": "ACME001"}, "file"]], [["not a rule", "file"]], {"rules": []}, None):
        data["data"] = bad
        stored.write_text(json.dumps(data))
        catalog = load_catalog([rules], cache_dir)
        assert catalog.rules["ACME001"].cases[0].message == "first"


def test_the_rule_cache_follows_the_bytes_not_the_times(tmp_path, rules):
    """An edit that keeps the size and the mtime (a checkout, a copy with -p) is seen all the same."""
    cache_dir = tmp_path / "cache"
    path = rules / "ACME001-one.yaml"
    load_catalog([rules], cache_dir)
    before = path.stat()
    path.write_text(path.read_text().replace('"first"', '"FIRST"'))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert load_catalog([rules], cache_dir).rules["ACME001"].cases[0].message == "FIRST"


def test_the_model_table_is_read_back_from_the_cache_as_it_was_parsed(tmp_path):
    cache_dir = tmp_path / "cache"
    parsed = model_table.builtin_data()
    model_table.builtin_data.cache_clear()
    try:
        assert model_table.builtin_data(cache_dir) == parsed  # made
        stored = only_file(cache_dir)
        assert stat.S_IMODE(stored.stat().st_mode) == 0o600
        model_table.builtin_data.cache_clear()
        assert model_table.builtin_data(cache_dir) == parsed  # read back
        # a corrupt or foreign file: the table is parsed again
        for content in (b"\x00garbage", json.dumps({"version": __version__, "key": {"source": [1, 2]},
                                                     "data": {"families": []}}).encode()):
            stored.write_bytes(content)
            model_table.builtin_data.cache_clear()
            assert model_table.builtin_data(cache_dir) == parsed
    finally:
        model_table.builtin_data.cache_clear()


def test_the_cached_model_table_is_the_one_a_stale_key_would_not_give(tmp_path):
    """The key is the table's bytes: data stored under another table's fingerprint is not used."""
    cache_dir = tmp_path / "cache"
    model_table.builtin_data.cache_clear()
    try:
        model_table.builtin_data(cache_dir)
        stored = only_file(cache_dir)
        data = json.loads(stored.read_text())
        data["data"]["families"] = []
        data["key"]["source"][1] ^= 1
        stored.write_text(json.dumps(data))
        model_table.builtin_data.cache_clear()
        assert model_table.builtin_data(cache_dir)["families"]
    finally:
        model_table.builtin_data.cache_clear()


def test_no_cache_dir_writes_nothing(tmp_path, rules, monkeypatch):
    monkeypatch.setenv("RUNLINT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("RUNLINT_NO_CACHE", "1")
    assert cache.default_dir() is None
    monkeypatch.delenv("RUNLINT_NO_CACHE")
    assert cache.default_dir() == tmp_path / "cache"
    load_catalog([rules], None)
    assert not (tmp_path / "cache").exists()


def test_an_unwritable_cache_is_no_failure(tmp_path, rules):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert load_catalog([rules], blocker / "cache").rules["ACME001"]  # cannot mkdir under a file
    assert set(tmp_path.iterdir()) == {blocker, rules}  # nothing written anywhere else
