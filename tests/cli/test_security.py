"""What runlint promises about untrusted files (SECURITY.md): nothing fetched, nothing executed,
nothing written but the report and its own cache."""

import http.server
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from helpers.cli import write


def runlint(*args, cwd: Path, home: Path, cache: bool = False):
    env = {key: value for key, value in os.environ.items()
           if key not in ("RUNLINT_CACHE_DIR", "XDG_CACHE_HOME", "RUNLINT_NO_CACHE")}
    env["HOME"] = str(home)
    if not cache:
        env["RUNLINT_NO_CACHE"] = "1"
    return subprocess.run([sys.executable, "-m", "runlint", *args], cwd=cwd, env=env, capture_output=True,
                          timeout=60)


def every_file(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def web_server():
    """A local server that counts the requests it gets."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"type": "string"}')

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()


def test_a_remote_ref_is_reported_and_never_fetched(tmp_path, web_server):
    address, requests = web_server
    spec = write(tmp_path, "a.run.json", json.dumps({
        "assistant_id": "asst_1",
        "tools": [{"type": "function", "function": {"name": "f", "parameters": {
            "type": "object", "properties": {"x": {"$ref": f"{address}/x.json"}}}}}],
        "response_format": {"type": "json_schema", "json_schema": {
            "name": "a", "strict": True, "schema": {"$ref": f"{address}/answer.json"}}}}, indent=1))
    result = runlint("check", "--format", "json", str(spec), cwd=tmp_path, home=tmp_path)
    found = sorted(d["path"] for d in json.loads(result.stdout) if d["code"] == "RL211")
    assert found == ["/response_format/json_schema/schema/$ref", "/tools/0/function/parameters/properties/x/$ref"]
    assert requests == []


def test_nothing_is_written_but_the_report_and_the_cache(tmp_path):
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    write(work, "a.run.yaml", "assistant_id: a\ntemprature: 1\n")
    before = every_file(tmp_path)
    result = runlint("check", ".", "--output-file", "report.txt", cwd=work, home=home)
    assert result.returncode == 1
    assert every_file(tmp_path) - before == {"work/report.txt"}
    runlint("check", ".", cwd=work, home=home, cache=True)
    written = every_file(tmp_path) - before - {"work/report.txt"}
    assert written and all(name.startswith("home/.cache/runlint/") for name in written)


MARKER = "runlint-was-tricked"
TAGGED = f"!!python/object/apply:os.system [touch {MARKER}]"


@pytest.mark.parametrize("name, text, error", [
    ("runlint.toml", f'select = ["RL1"]\nrules = ["$(touch {MARKER})"]\n', "bad rule file"),
    (".runlint.yaml", f"select: {TAGGED}\n", "bad configuration"),
    ("rules/EVIL001.yaml", f"code: EVIL001\nname: evil\nseverity: error\nsummary: {TAGGED}\n"
                           "explanation: x\ncheck: {path: /a, present: /a}\nmessage: m\n", "bad rule file"),
    ("rules/EVIL002.yaml", "code: EVIL002\nname: evil\nseverity: error\nsummary: s\nexplanation: e\n"
                           "check: {function: os.system, args: {command: touch " + MARKER + "}}\nmessage: m\n",
     "bad rule file"),
    ("rules/EVIL003.yaml", "code: EVIL003\nname: evil\nseverity: error\nsummary: s\nexplanation: e\n"
                           "check: {path: /a, matches: '(?{__import__(\"os\").system(\"touch x\")})'}\nmessage: m\n",
     "bad rule file"),
])
def test_configuration_and_rule_files_are_data(tmp_path, name, text, error):
    write(tmp_path, "a.run.yaml", "assistant_id: a\n")
    write(tmp_path, name, text)
    if name.startswith("rules/"):
        write(tmp_path, "runlint.toml", 'rules = ["rules"]\n')
    result = runlint("check", ".", cwd=tmp_path, home=tmp_path)
    stderr = result.stderr.decode()
    assert result.returncode == 2 and stderr.startswith(f"runlint: {error}") and "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) <= 4, stderr
    assert not (tmp_path / MARKER).exists() and not (tmp_path / "x").exists()
