"""Batch API input files (*.jsonl): each line's envelope and body, checks across lines, positions in
the file, streaming in bounded memory; through the API, the CLI and the language server."""

import json
import os
import subprocess
import sys

import pytest
from lsprotocol import types

from runlint.diagnostic import Range
from helpers import run_measured
from helpers.cli import run, write
from helpers.lsp import open_and_wait

CHAT = "/v1/chat/completions"


def line(custom_id="r1", url=CHAT, method="POST", body=None, **fields) -> str:
    """One request; `fields` are added to the body (by default a clean chat request)."""
    body = body or {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hi"}]}
    return json.dumps({"custom_id": custom_id, "method": method, "url": url, "body": {**body, **fields}})


def codes(found):
    return [(d.code, d.range.line + 1) for d in found]


def test_a_clean_file_has_no_finding(lint):
    assert lint("\n".join(line(f"r{i}") for i in range(3)) + "\n", "batch.jsonl") == []


def test_a_body_error_is_at_its_line_and_column(lint):
    third = line("r3", temprature=1)
    text = "\n".join([line("r1"), line("r2"), third]) + "\n"
    [found] = lint(text, "batch.jsonl")
    column = third.index('"temprature"')
    assert found.code == "RL101" and found.pointer == "/body/temprature"
    assert found.range == Range(2, column, 2, column + len('"temprature"'))
    assert found.fix.edits[0].range.line == 2  # the fix edits that line too
    assert found.message == "unknown field `temprature`; did you mean `temperature`?"


def test_rules_run_on_the_body_as_the_kind_its_url_names(lint):
    response = line("r1", "/v1/responses", body={"model": "gpt-4o-mini", "input": "x"}, temperature=1,
                    top_p=0.5)
    [found] = lint(response + "\n", "batch.jsonl")
    assert (found.code, found.pointer) == ("RL202", "/body/top_p")
    assert found.range.column == response.index('"top_p"')  # the key: a field that should not be there
    # An endpoint runlint has no schema for: its body is only checked for being an object.
    embedding = line("r1", "/v1/embeddings", body={"model": "text-embedding-3-small", "input": "x"}, temprature=1)
    assert lint(embedding + "\n", "batch.jsonl") == []
    [not_object] = lint(json.dumps({"custom_id": "r1", "method": "POST", "url": "/v1/embeddings", "body": [1]}),
                        "batch.jsonl")
    assert (not_object.code, not_object.pointer) == ("RL103", "/body")


def test_every_official_batch_endpoint_is_a_url(lint):
    # /v1/videos came with the spec's CreateBatchRequest.endpoint (a hand-kept list had missed it):
    # a url the schema takes, and one OpenAI has shut down since (RL603), not an unknown one (RL104)
    videos = line("v1", "/v1/videos", body={"model": "sora-2", "prompt": "A cat"})
    assert [d.code for d in lint(videos + "\n", "batch.jsonl")] == ["RL603"]
    [wrong] = lint(line("v1", "/v1/video", body={"prompt": "A cat"}) + "\n", "batch.jsonl")
    assert (wrong.code, wrong.pointer) == ("RL104", "/url")


def test_embedding_inputs_are_counted_across_lines(linter):
    import dataclasses
    import io

    from runlint.source.formats.batch import batch_data
    from runlint.source.request import Source

    def embedding(custom_id, value):
        return line(custom_id, "/v1/embeddings", body={"model": "text-embedding-3-small", "input": value})

    rows = [embedding("a", "one"), embedding("b", [[1, 2], [3]]), embedding("c", [7, 8, 9]),
            embedding("d", ["x", "y"])]  # 1 + 2 + 1 (one token list) + 2 = 6 inputs
    data = dataclasses.replace(batch_data(), max_embedding_inputs=5)
    found = linter.lint(Source("batch.jsonl", handle=io.BytesIO("\n".join(rows).encode()), limits=data))
    assert [(d.code, d.range.line, d.pointer) for d in found] == [("RL706", 3, "/body/input")]
    assert "(6 so far)" in found[0].message
    assert found[0].range.column == rows[3].index('["x"')
    assert batch_data().max_embedding_inputs == 50_000


def test_duplicate_custom_id_points_at_the_second_and_names_the_first(lint):
    text = "\n".join([line("a"), line("b"), line("a")])
    [found] = lint(text, "batch.jsonl")
    assert (found.code, found.pointer) == ("RL700", "/custom_id")
    assert found.range == Range(2, 14, 2, 17)
    assert "line 1" in found.message


def test_the_envelope_method_url_and_fields(lint):
    bad_method = line("a", method="GET")
    bad_url = line("b", url="/v1/threads/runs")
    typo = json.dumps({"custom_id": "c", "method": "POST", "url": CHAT, "bdy": {}})
    found = lint("\n".join([bad_method, bad_url, typo]), "batch.jsonl")
    assert codes(found) == [("RL104", 1), ("RL104", 2), ("RL102", 3), ("RL101", 3)]
    assert found[0].range.column == bad_method.index('"GET"') and '"POST"' in found[0].message
    assert found[1].range.column == bad_url.index('"/v1/threads/runs"')
    assert "did you mean `body`" in found[3].message


def test_mixed_urls_and_models(lint):
    other_url = line("b", "/v1/responses", body={"model": "gpt-4o-mini", "input": "x"})
    other_model = line("c", model="gpt-4.1")
    found = lint("\n".join([line("a"), other_url, other_model]), "batch.jsonl")
    assert [(d.code, d.range.line, d.pointer) for d in found] == [
        ("RL701", 1, "/url"), ("RL702", 2, "/body/model")]
    assert found[1].range.column == other_model.index('"gpt-4.1"') and "line 1" in found[1].message


def test_broken_lines_do_not_stop_the_others(lint):
    broken = '{"custom_id": "b", "method": "POST",}'
    text = "\n".join([line("a"), broken, "", "[1]", line("a", temprature=1)]) + "\n"
    found = lint(text, "batch.jsonl")
    assert codes(found) == [("RL001", 2), ("RL705", 3), ("RL003", 4), ("RL700", 5), ("RL101", 5)]
    assert found[0].range[1:] == (broken.index(",}"), 1, broken.index(",}") + 1)  # the trailing comma
    assert found[0].message == "JSON syntax error: trailing comma: an object takes no comma after its last member"


def test_a_final_newline_is_fine_and_an_empty_file_is_not(lint):
    assert lint(line() + "\n", "batch.jsonl") == lint(line(), "batch.jsonl") == []
    assert codes(lint(line() + "\n\n", "batch.jsonl")) == [("RL705", 2)]
    assert codes(lint("", "batch.jsonl")) == [("RL004", 1)]


def test_bad_utf8_is_a_finding_on_its_line_and_the_rest_is_checked(linter):
    data = (line("a") + "\n").encode() + b'{"custom_id": "\xff"}\n' + line("a").encode()
    found = linter.lint_bytes(data, "batch.jsonl")
    assert codes(found) == [("RL005", 2), ("RL700", 3)]
    assert found[0].range == Range(1, 15, 1, 16)


def test_the_limits_are_data():
    from runlint.source.formats.batch import batch_data

    data = batch_data()
    assert (data.max_requests, data.max_bytes) == (50_000, 200 * 1024 * 1024)
    assert "/v1/embeddings" in data.endpoints and set(data.bodies) <= set(data.endpoints)


def test_cli_positions_are_one_based_in_text_and_json(tmp_path):
    third = line("r3", temprature=1)
    path = write(tmp_path, "requests.jsonl", "\n".join([line("r1"), line("r2"), third]) + "\n")
    column = third.index('"temprature"') + 1
    result = run("check", str(path), "--format", "json")
    assert result.returncode == 1
    [finding] = json.loads(result.stdout)
    assert (finding["code"], finding["line"], finding["column"], finding["path"]) == (
        "RL101", 3, column, "/body/temprature")
    text = run("check", str(tmp_path), "--no-color").stdout.decode()  # found in a folder by *.jsonl
    assert f"requests.jsonl:3:{column}: RL101" in text
    assert '3 | …' in text and '"temprature": 1}}' in text  # the (long) line is quoted around the key


def test_secrets_are_masked_in_quoted_batch_lines(tmp_path):
    key = "sk-proj-" + "a1B2c3D4e5F6g7H8i9J0" * 2
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"use {key}"}]}
    path = write(tmp_path, "requests.jsonl", line("r1", **body) + "\n")
    result = run("check", str(path), "--no-color")
    assert b"RL501" in result.stdout and key.encode() not in result.stdout


def test_the_language_server_path_gives_the_cli_findings(linter, tmp_path):
    text = "\n".join([line("a"), line("a", method="GET", temprature=1), "", "{"]) + "\n"
    path = write(tmp_path, "requests.jsonl", text)
    cli = json.loads(run("check", str(path), "--format", "json").stdout)
    api = linter.lint_text(text, str(path))
    assert [(f["code"], f["line"], f["column"]) for f in cli] == [
        (d.code, d.range.line + 1, d.range.column + 1) for d in api]
    assert len(cli) == 5


@pytest.mark.asyncio
async def test_the_language_server_lints_jsonl_buffers(client):  # noqa: F811
    text = line("a") + "\n" + line("b", temprature=1) + "\n"
    [found] = await open_and_wait(client, "requests.jsonl", text, "jsonl")
    column = text.split("\n")[1].index('"temprature"')
    assert found.code == "RL101" and found.range.start == types.Position(line=1, character=column)


@pytest.mark.asyncio
async def test_hover_on_a_batch_line_describes_its_envelope_and_its_body(client):  # noqa: F811
    from helpers.lsp import uri

    second = line("b", temperature=0.2)
    text = line("a") + "\n" + second + "\n" + line("c", "/v1/embeddings", body={"model": "m", "input": "x"}) + "\n"
    await open_and_wait(client, "hover.jsonl", text, "jsonl")

    async def hover(number, key):
        column = text.split("\n")[number].index(f'"{key}"') + 1
        return await client.text_document_hover_async(types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri("hover.jsonl")),
            position=types.Position(line=number, character=column)))

    body_key = await hover(1, "temperature")  # as the url's kind, Chat Completions
    assert "**body.temperature**" in body_key.contents.value
    assert "What sampling temperature to use" in body_key.contents.value
    column = second.index('"temperature"')
    assert body_key.range == types.Range(start=types.Position(line=1, character=column),
                                         end=types.Position(line=1, character=column + len('"temperature"')))
    envelope_key = await hover(0, "custom_id")
    assert "per-request id" in envelope_key.contents.value
    assert await hover(2, "input") is None  # no schema for an embeddings body


def test_a_big_file_is_streamed_in_bounded_memory(tmp_path):
    """50,000 requests (about 20 MB): checked whole, one finding near the end, in bounded memory."""
    path = tmp_path / "big.jsonl"
    padding = "x" * 300
    with path.open("w") as out:
        for index in range(50_000):
            body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"{index} {padding}"}]}
            if index == 49_990:
                body["temprature"] = 1
            out.write(json.dumps({"custom_id": f"r{index}", "method": "POST", "url": CHAT, "body": body}) + "\n")
    with open(tmp_path / "out", "wb") as stdout:
        returncode, _cpu, peak = run_measured(
            [sys.executable, "-m", "runlint", "check", "--format", "json", str(path)], stdout=stdout,
            stderr=subprocess.PIPE, env={**os.environ, "RUNLINT_NO_CACHE": "1"}, report_file=tmp_path / "usage")
    assert returncode == 1
    [finding] = json.loads((tmp_path / "out").read_text())
    assert (finding["code"], finding["line"]) == ("RL101", 49_991)
    assert peak < 120, f"peak RSS {peak:.0f} MiB for a {path.stat().st_size / 1e6:.0f} MB file"


def test_workers_find_what_one_process_finds(tmp_path):
    """With jobs, the lines after the first few thousand are checked by forked workers, chunk by
    chunk; the checks across lines stay in order in this process. Same findings, same quoted lines,
    with every kind of finding on both sides of the hand-over and across chunks."""
    import dataclasses
    import io

    from runlint.pipeline.stream import _CHUNK_LINES, _SERIAL_LINES
    from runlint.source.formats.batch import batch_data
    from runlint.source.request import Source
    from runlint.pipeline.linter import Linter, Settings

    rows = [line(f"r{i}", messages=[{"role": "user", "content": f"question {i}"}]) for i in range(5_000)]
    after = _SERIAL_LINES + 3 * _CHUNK_LINES + 7  # in a worker's chunk, not the first
    rows[after] = line("r10")  # RL700, its first use checked before the workers started
    rows[after + 1] = line("x1", body={"model": "gpt-4o", "messages": []})  # RL702
    rows[after + 2] = line("x2", temprature=1)  # RL101, in the worker
    rows[after + 3] = "{"  # RL001
    rows[after + 4] = ""  # RL705
    rows[after + 5] = line("x3", url="/v1/responses")  # RL701, and the Chat body checked as a response: RL240
    rows[after + 6] = line("x4", metadata={"key": "sk-proj-" + "a1B2c3D4e5F6g7H8i9J0" * 2})  # RL501
    data = dataclasses.replace(batch_data(), max_requests=4_990)  # RL703 near the end
    linter = Linter(Settings(cache_dir=None))
    text = ("\n".join(rows) + "\n").encode()

    def checked(jobs):
        told = []
        source = Source("batch.jsonl", handle=io.BytesIO(text), progress=lambda *state: told.append(state),
                        limits=data, jobs=jobs)
        found, quoted = linter.lint(source), source.quoted
        return [(d.code, d.range, d.message, d.pointer, d.severity) for d in found], quoted, told

    alone, in_workers = checked(1), checked(2)
    assert in_workers == alone
    found, quoted, told = alone
    assert sorted((r.line - after, code) for code, r, *_ in found) == [
        (0, "RL700"), (1, "RL106"), (1, "RL702"), (2, "RL101"), (3, "RL001"), (4, "RL705"), (5, "RL240"),
        (5, "RL701"), (6, "RL501"), (4_991 - after, "RL703")]  # request 4,991: one line is blank
    assert set(quoted) == {r.line for _, r, *_ in found}
    sizes = [len(row.encode()) + 1 for row in rows]  # progress every 1,000 lines: requests and bytes so far
    assert told == [(n + 1 - (n > after + 4), sum(sizes[:n + 1])) for n in range(0, 5_000, 1_000)]


def test_jobs_default_to_the_cores_this_process_may_use(tmp_path):
    """Pinned to one core (as a container or taskset may do), a big batch file forks no worker."""
    import shutil

    if shutil.which("taskset") is None:
        pytest.skip("taskset is not installed")
    path = tmp_path / "big.jsonl"
    path.write_text("\n".join(line(f"r{i}") for i in range(2_600)) + "\n")  # past the lines checked alone
    probe = ("import os, sys, runlint.source.formats.batch as b, runlint.cli as c\n"
             "forked = []\n"
             "real = os.fork\n"
             "os.fork = lambda: forked.append(1) or real()\n"
             "sys.argv = ['runlint', 'check', sys.argv[1]]\n"
             "try:\n    c.main()\nexcept SystemExit as exit:\n    print(len(forked), exit.code)\n")
    pinned = subprocess.run(["taskset", "-c", "0", sys.executable, "-c", probe, str(path)], capture_output=True,
                            text=True, env={**os.environ, "RUNLINT_NO_CACHE": "1"})
    assert pinned.stdout.splitlines()[-1] == "0 0", pinned.stdout + pinned.stderr  # no fork, exit 0
    if len(os.sched_getaffinity(0)) > 1:
        free = subprocess.run([sys.executable, "-c", probe, str(path)], capture_output=True, text=True,
                              env={**os.environ, "RUNLINT_NO_CACHE": "1"})
        forks, code = free.stdout.splitlines()[-1].split()
        assert int(forks) == len(os.sched_getaffinity(0)) and code == "0", free.stdout + free.stderr


# -- JSONL that is no batch file: told by content, one RL012 for the file -----------------------------

def fine_tuning_line(number: int) -> str:
    return json.dumps({"messages": [{"role": "system", "content": "Be brief."},
                                    {"role": "user", "content": f"question {number}"},
                                    {"role": "assistant", "content": "answer"}]})


PREFERENCE = json.dumps({"input": {"messages": [{"role": "user", "content": "Hi"}]},
                         "preferred_output": [{"role": "assistant", "content": "Hello!"}],
                         "non_preferred_output": [{"role": "assistant", "content": "What?"}]})


def test_a_fine_tuning_file_is_checked_as_fine_tuning_data(tmp_path):
    """5,000 lines of fine-tuning data were 25,000 errors (the cap's summary), then one RL012: now
    they are read as fine-tuning examples (runlint/source/formats/fine_tuning.py), and are clean."""
    path = write(tmp_path, "train.jsonl", "\n".join(fine_tuning_line(n) for n in range(5_000)) + "\n")
    result = run("check", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("text", [
    PREFERENCE,
    json.dumps({"messages": [{"role": "user", "content": "2+2?"}], "reference_answer": "4"}),
    json.dumps({"prompt": "2+2?", "completion": "4"}),
])
def test_fine_tuning_kinds_are_no_rl012(lint, text):
    assert lint("\n" + "\n".join([text] * 20) + "\n", "data.jsonl") == []


@pytest.mark.parametrize(("text", "said"), [
    (json.dumps({"prompt": "2+2?", "answer": "4"}), "legacy prompt/completion"),  # a lone `prompt` claims no file
    (json.dumps({"item": {"question": "2+2?", "answer": "4"}}), "evals data"),
    (json.dumps({"id": 1, "text": "anything"}), "cannot tell what this JSONL file holds"),
])
def test_other_jsonl_kinds_get_one_rl012(lint, text, said):
    found = lint("\n" + "\n".join([text] * 20) + "\n", "data.jsonl")
    assert codes(found) == [("RL012", 2)]  # on the first line that is not blank
    assert said in found[0].message


def test_a_batch_file_with_bad_lines_first_is_still_a_batch_file(lint):
    text = "\n".join(['{"messages": []}', "{broken", "[1]", line("a"), line("b", temprature=1)]) + "\n"
    found = lint(text, "batch.jsonl")
    assert ("RL101", 1) in codes(found) and ("RL001", 2) in codes(found) and ("RL003", 3) in codes(found)
    assert ("RL101", 5) in codes(found) and "RL012" not in {d.code for d in found}
    assert codes(lint("{broken\n{broken\n", "batch.jsonl")) == [("RL001", 1), ("RL001", 2)]  # nothing tells: checked


def test_a_line_with_custom_id_alone_makes_a_batch_file(lint):
    from runlint.source.formats.batch import sniff

    assert sniff([b'{"custom_id": "a"}']) is None and sniff([b'{"url": "/v1/responses", "body": {}}']) is None
    assert sniff([b'{"messages": []}']) is not None
    assert sniff([b"", b"{broken"]) is None and sniff([]) is None


def test_only_the_first_lines_are_read_to_tell(tmp_path):
    """The lines read to tell the kind are the first ten that are not blank, kept and checked with
    the rest: the file is read once."""
    from runlint.source.jsonl import head as _head

    reads = []

    def reader():
        for number in range(1_000):
            reads.append(number)
            yield (b"" if number % 2 else line(f"r{number}").encode()), 10

    lines = reader()
    head = _head(lines)
    assert len([raw for raw, _ in head if raw]) == 10 and len(reads) == 19
    assert next(lines)[0] == b""  # the next line is the 20th: nothing read twice, nothing skipped


@pytest.mark.asyncio
async def test_the_language_server_checks_a_fine_tuning_buffer_too(client):  # noqa: F811
    lines = [fine_tuning_line(n) for n in range(50)]
    lines[2] = lines[2].replace('"role": "assistant"', '"role": "asistant"')
    [found] = await open_and_wait(client, "train.jsonl", "\n".join(lines) + "\n", "jsonl")
    assert found.code == "RL711" and found.severity == types.DiagnosticSeverity.Error
    assert found.range.start.line == 2 and "did you mean `assistant`?" in found.message
