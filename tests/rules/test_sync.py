"""`runlint models sync` end to end against a real HTTP server on 127.0.0.1 that answers like
`GET /v1/models` (and with the API's errors), then every front end reading runlint.models.json."""

import json
import os
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from runlint.check.synced import FILE_NAME, FORMAT, SyncedFileError, load, parse
from helpers.cli import run, write

KEY = "sk-proj-runlintTEST-7f3a9c1e5b2d4a8f"  # recognisable: no output, log or file may hold it
MODELS = {"object": "list", "data": [
    {"id": "gpt-4o-mini", "object": "model", "created": 1721172741, "owned_by": "system", "shutdown_date": None},
    {"id": "gpt-4o", "object": "model", "created": 1715367049, "owned_by": "system"},
    {"id": "gpt-4.1-mini-2025-04-14", "object": "model", "created": 1744317547, "owned_by": "system",
     "shutdown_date": "2026-11-15"},
    {"id": "ft:gpt-4o-mini-2024-07-18:acme::abc123", "object": "model", "created": 1730000000,
     "owned_by": "user-acme", "shutdown_date": None},
]}
# OpenAI's answer to a wrong key (its message quotes a masked key; runlint does not repeat it)
UNAUTHORIZED = {"error": {"message": "Incorrect API key provided: sk-proj-***...4a8f. You can find your API key at "
                          "https://platform.openai.com/account/api-keys.", "type": "invalid_request_error",
                          "param": None, "code": "invalid_api_key"}}


class _Api(BaseHTTPRequestHandler):
    """/<scenario>/v1/models: `ok` answers the list; the others fail the way a server can."""

    seen: list = []

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        scenario = self.path.strip("/").split("/")[0]
        _Api.seen.append((self.path, self.headers))  # case-insensitive, as HTTP
        if not self.path.endswith("/v1/models"):
            return self._answer(404, {"error": {"message": f"Invalid URL (GET {self.path})", "type":
                                                "invalid_request_error", "param": None, "code": None}})
        if scenario == "ok":
            if self.headers.get("Authorization") != f"Bearer {KEY}":
                return self._answer(401, UNAUTHORIZED)
            return self._answer(200, MODELS)
        if scenario == "unauthorized":
            return self._answer(401, UNAUTHORIZED)
        if scenario == "forbidden":
            return self._answer(403, {"error": {"message": "You are not allowed to list models for this project.",
                                                "type": "invalid_request_error", "param": None, "code": None}})
        if scenario == "error":
            return self._answer(500, b"Internal Server Error", "text/plain")
        if scenario == "html":
            return self._answer(200, b"<html><body>Welcome to the proxy</body></html>", "text/html")
        if scenario == "shape":
            return self._answer(200, {"object": "list", "data": [{"object": "model"}]})
        if scenario == "slow":
            time.sleep(3)
            return self._answer(200, MODELS)
        if scenario == "redirect":  # to a host that would collect the key
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:9/collect/v1/models")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        if scenario == "closed":
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return None
        return self._answer(404, {"error": {"message": "no such scenario"}})

    def _answer(self, status, body, content_type="application/json"):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture(scope="module")
def api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Api)  # port 0: a free one
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def sync(api, scenario, cwd, *args, env=None):
    environment = {"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": f"{api}/{scenario}/v1", **(env or {})}
    return run("models", "sync", *args, cwd=cwd, env=environment)


def assert_no_key(result, *files):
    for text in (result.stdout, result.stderr, *(Path(f).read_bytes() for f in files if Path(f).exists())):
        assert KEY.encode() not in text and b"7f3a9c1e5b2d4a8f" not in text


def test_sync_writes_the_ids_the_key_can_use_sorted_with_their_shutdown_dates(api, tmp_path):
    write(tmp_path, "runlint.toml", "select = ['ALL']\n")
    below = tmp_path / "specs" / "deep"
    below.mkdir(parents=True)
    before = len(_Api.seen)
    result = sync(api, "ok", below, env={"OPENAI_ORG_ID": "org-acme", "OPENAI_PROJECT_ID": "proj_42"})
    assert result.returncode == 0, result.stderr
    path = tmp_path / FILE_NAME  # at the project root: the configuration's folder, not the current one
    assert not (below / FILE_NAME).exists()
    data = json.loads(path.read_text())
    assert data["format"] == FORMAT and data["base_url"] == f"{api}/ok/v1"
    assert data["models"] == [
        {"id": "ft:gpt-4o-mini-2024-07-18:acme::abc123", "shutdown_date": None},
        {"id": "gpt-4.1-mini-2025-04-14", "shutdown_date": "2026-11-15"},
        {"id": "gpt-4o", "shutdown_date": None}, {"id": "gpt-4o-mini", "shutdown_date": None}]
    assert data["synced_at"].endswith("Z") and data["synced_at"][:4].isdigit()
    assert path.read_text() == json.dumps(data, indent=2) + "\n"  # pretty and stable: a lockfile
    assert "Wrote 4 model ids (1 with a shutdown date)" in result.stdout.decode()
    headers = _Api.seen[before][1]
    assert headers.get("Authorization") == f"Bearer {KEY}"
    assert headers.get("OpenAI-Organization") == "org-acme" and headers.get("OpenAI-Project") == "proj_42"
    assert_no_key(result, path)
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_sync_without_configuration_writes_in_the_current_folder_and_output_overrides(api, tmp_path):
    result = sync(api, "ok", tmp_path)
    assert result.returncode == 0 and (tmp_path / FILE_NAME).is_file()
    elsewhere = tmp_path / "out" / "models.json"
    elsewhere.parent.mkdir()
    result = sync(api, "ok", tmp_path, "--output", str(elsewhere), "--format", "json")
    assert result.returncode == 0 and json.loads(result.stdout)["models"] == 4
    assert load(elsewhere).has("gpt-4o")


@pytest.mark.parametrize("scenario, words", [
    ("unauthorized", "refused the API key (HTTP 401): Incorrect API key provided: [the key] You can find"),
    ("forbidden", "refused the API key (HTTP 403): You are not allowed to list models for this project; check"),
    ("missing", "answered HTTP 404"),  # a base URL that is no API
    ("error", "answered HTTP 500"),
    ("html", "did not answer JSON"),
    ("shape", "did not answer a list of models"),
    ("closed", "closed the connection before a whole answer"),
    ("redirect", "answered a redirect (HTTP 302); runlint does not follow it with the API key"),
])
def test_a_failed_sync_says_why_in_one_line_exits_2_and_keeps_the_earlier_file(api, tmp_path, scenario, words):
    earlier = write(tmp_path, FILE_NAME, json.dumps({"format": FORMAT, "synced_at": "2026-11-01T00:00:00Z",
                                                     "base_url": "x", "models": [{"id": "gpt-4o"}]}))
    before = earlier.read_bytes()
    base = f"{api}/{scenario}/v1" if scenario != "missing" else f"{api}/missing/api"
    result = run("models", "sync", cwd=tmp_path, env={"OPENAI_API_KEY": KEY, "OPENAI_BASE_URL": base})
    err = result.stderr.decode()
    assert result.returncode == 2 and words in err, err
    assert err.startswith("runlint: models sync: ") and err.count("\n") == 1 and "Traceback" not in err
    assert earlier.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILE_NAME]  # no temporary file left behind
    assert_no_key(result, earlier)
    if scenario == "unauthorized":
        assert "sk-proj-***" not in err  # the API's message quotes part of the key: not repeated


def test_a_slow_api_times_out(api, tmp_path):
    started = time.monotonic()
    result = sync(api, "slow", tmp_path, "--timeout", "0.5")
    assert result.returncode == 2 and "did not answer within 0.5 s (--timeout)" in result.stderr.decode()
    assert time.monotonic() - started < 2.8 and not (tmp_path / FILE_NAME).exists()
    assert_no_key(result)


def test_no_key_no_server_and_a_refused_connection_are_one_line_errors(tmp_path):
    result = run("models", "sync", cwd=tmp_path, env={"OPENAI_API_KEY": ""})
    assert result.returncode == 2 and "OPENAI_API_KEY is not set" in result.stderr.decode()
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = run("models", "sync", cwd=tmp_path, env={"OPENAI_API_KEY": KEY,
                                                      "OPENAI_BASE_URL": f"http://127.0.0.1:{port}/v1"})
    err = result.stderr.decode()
    assert result.returncode == 2 and f"cannot reach http://127.0.0.1:{port}/v1" in err and err.count("\n") == 1
    assert_no_key(result)
    result = run("models", "sync", cwd=tmp_path, env={"OPENAI_API_KEY": "sk-with a space"})
    assert result.returncode == 2 and "cannot carry" in result.stderr.decode() and b"with a space" not in result.stderr
    assert not (tmp_path / FILE_NAME).exists()


def test_the_base_url_is_stored_without_credentials(api, tmp_path):
    from runlint.check.synced import public_url

    assert public_url("https://user:secret@proxy.example:8443/v1/?token=abc#x") == "https://proxy.example:8443/v1"


# -- every front end reads it ---------------------------------------------------------------------
def _project(tmp_path, synced_at="2026-11-30T10:00:00Z", models=None):
    write(tmp_path, "runlint.toml", "fail-on = 'error'\n")
    items = models if models is not None else [
        {"id": "gpt-4o", "shutdown_date": None}, {"id": "gpt-4o-mini", "shutdown_date": None},
        {"id": "gpt-6.3-sol", "shutdown_date": None}, {"id": "ft:gpt-4o-mini-2024-07-18:acme::abc123"},
        {"id": "ft:o3-mini-2025-01-31:acme::r1"},
        {"id": "gpt-4.1-mini-2025-04-14", "shutdown_date": "2026-11-15"}]
    write(tmp_path, FILE_NAME, json.dumps({"format": FORMAT, "synced_at": synced_at,
                                           "base_url": "https://api.openai.com/v1", "models": items}, indent=2))


def _check(tmp_path, model, *args):
    spec = write(tmp_path, "specs/a.response.yaml", f"model: {model}\ninput: Hi\n")
    result = run("check", str(spec), "--format", "json", "--as-of", "2026-12-01", *args, cwd=tmp_path / "specs")
    return result, [(f["code"], f["severity"], f["path"]) for f in json.loads(result.stdout or "[]")]


def test_check_reads_the_synced_list_at_the_project_root(tmp_path):
    _project(tmp_path)
    result, found = _check(tmp_path, "gpt-4o-mni")
    assert result.returncode == 1 and found == [("RL420", "error", "/model")]
    message = json.loads(result.stdout)[0]["message"]
    assert "did you mean `gpt-4o-mini`?" in message and "does not exist or you do not have access to it" in message
    assert _check(tmp_path, "gpt-4o-mini")[1] == []
    assert _check(tmp_path, "gpt-6.3-sol")[1] == []  # listed: never "unknown" (RL400)
    assert _check(tmp_path, "ft:gpt-4o-mini-2024-07-18:acme::abc123")[1] == []
    assert _check(tmp_path, "ft:o3-mini-2025-01-31:acme::r1 \ntemperature: 0.5")[1] == [
        ("RL401", "error", "/temperature")]  # the fine-tune takes its base model's facts (o3-mini: no temperature)
    result, found = _check(tmp_path, "gpt-4.1-mini-2025-04-14", "--select", "RL601")
    assert found == [("RL601", "error", "/model")] and "on 2026-11-15" in json.loads(result.stdout)[0]["message"]
    assert _check(tmp_path, "gpt-4o-mni", "--isolated")[1] == [("RL400", "warning", "/model")]


def test_an_old_synced_list_earns_one_info_a_file(tmp_path):
    _project(tmp_path, synced_at="2026-10-01T10:00:00Z")
    spec = write(tmp_path, "specs/a.response.yaml", "model: gpt-4o\ninput: Hi\n")
    write(tmp_path, "specs/b.response.yaml", "model: gpt-4o\ninput: Hi\n")
    result = run("check", str(spec.parent), "--format", "json", "--as-of", "2026-12-01", cwd=tmp_path)
    found = json.loads(result.stdout)
    assert [(f["code"], f["severity"], Path(f["file"]).name) for f in found] == [
        ("RL421", "info", "a.response.yaml"), ("RL421", "info", "b.response.yaml")]
    assert "synced on 2026-10-01, 61 days ago: run `runlint models sync` again" in found[0]["message"]
    assert result.returncode == 0


@pytest.mark.parametrize("content, words", [
    ("{not json", "not JSON"), ('{"format": "other"}', "not a runlint model list"),
    (json.dumps({"format": FORMAT, "synced_at": "yesterday", "models": []}), "`synced_at`"),
    (json.dumps({"format": FORMAT, "synced_at": "2026-11-30T00:00:00Z", "models": [{"name": "x"}]}), "without an `id`"),
    (json.dumps({"format": FORMAT, "synced_at": "2026-11-30T00:00:00Z",
                 "models": [{"id": "x", "shutdown_date": "soon"}]}), "not a date"),
])
def test_a_corrupt_synced_list_is_a_configuration_error(tmp_path, content, words):
    write(tmp_path, "runlint.toml", "")
    write(tmp_path, FILE_NAME, content)
    spec = write(tmp_path, "a.response.yaml", "model: gpt-4o\ninput: Hi\n")
    result = run("check", str(spec), cwd=tmp_path)
    err = result.stderr.decode()
    assert result.returncode == 2 and err.startswith("runlint: bad configuration: ") and words in err, err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert run("check", str(spec), "--jobs", "2", cwd=tmp_path).returncode == 2
    assert run("models", "gpt-4o", cwd=tmp_path).returncode == 2


def test_the_synced_list_is_read_only_when_a_check_asks_about_a_model(tmp_path):
    """Lazy: a request without `model` never opens it (a corrupt one goes unnoticed)."""
    write(tmp_path, "runlint.toml", "")
    write(tmp_path, FILE_NAME, "{corrupt")
    spec = write(tmp_path, "a.response.yaml", "input: Hi\n")
    assert run("check", str(spec), cwd=tmp_path).returncode == 0


def test_the_language_server_reads_it_too(tmp_path):
    from runlint.lsp.server import RunlintServer

    _project(tmp_path)
    server = RunlintServer()
    path = str(write(tmp_path, "specs/a.response.yaml", "model: gpt-4o-mni\ninput: Hi\n"))
    found = server.lint_text("file://" + path, path, "model: gpt-4o-mni\ninput: Hi\n")
    assert [(d.code, str(d.severity)) for d in found if d.code.startswith("RL4")] == [("RL420", "error")]
    write(tmp_path, FILE_NAME, "{corrupt")
    shown = []
    server.show_error = shown.append
    found = server.lint_text("file://" + path, path, "model: gpt-4o-mni\ninput: Hi\n")
    assert [d.code for d in found if d.code.startswith("RL4")] == ["RL400"]  # without it, and told why
    assert shown and "bad configuration" in shown[0] and FILE_NAME in shown[0]


def test_parse_checks_the_format():
    synced = parse({"format": FORMAT, "synced_at": "2026-11-30T10:00:00Z", "models": [{"id": "gpt-4o"}]}, Path("x"))
    assert synced.ids == ["gpt-4o"] and synced.synced_at.isoformat() == "2026-11-30T10:00:00+00:00"
    with pytest.raises(SyncedFileError, match="runlint models sync"):
        parse([], Path("x"))


def test_models_command_shows_what_the_key_can_use(tmp_path):
    _project(tmp_path)
    out = run("models", "gpt-4.1-mini-2025-04-14", cwd=tmp_path)
    text = out.stdout.decode()
    assert out.returncode == 0 and "API key: can use it; the API says it shuts down 2026-11-15" in text
    shown = json.loads(run("models", "gpt-4o-mni", "--format", "json", cwd=tmp_path).stdout)
    assert shown["family"] is None and shown["synced"]["listed"] is False
    assert f"Synced model list: {tmp_path / FILE_NAME} (6 ids" in run("models", cwd=tmp_path).stdout.decode()
    assert os.path.exists(tmp_path / FILE_NAME)


def test_rule_examples_show_the_synced_list_they_are_checked_with():
    shown = run("rule", "RL420").stdout.decode()
    assert "With `runlint.models.json` listing `gpt-4o`, `gpt-4o-mini`, `gpt-5`" in shown
    from helpers import ROOT

    page = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert "With `runlint.models.json` listing `gpt-4o`, synced 2026-10-01." in page


def test_sync_writes_beside_the_configuration_it_is_given(api, tmp_path):
    config = write(tmp_path, "project/runlint.toml", "")
    result = sync(api, "ok", tmp_path, "--config", str(config))
    assert result.returncode == 0 and (tmp_path / "project" / FILE_NAME).is_file()
    assert not (tmp_path / FILE_NAME).exists()
