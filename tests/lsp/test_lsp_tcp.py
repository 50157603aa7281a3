"""`runlint lsp --tcp`: a session ends as the protocol says, without a traceback (pygls raises
SystemExit inside asyncio there, which printed "Unhandled exception in client_connected_cb")."""

import json
import socket
import subprocess
import sys
import time

import pytest


def _message(payload: dict) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _connect(port: int, process) -> socket.socket:
    deadline = time.monotonic() + 30
    while True:
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=10)
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise
            time.sleep(0.1)


def _read_reply(sock: socket.socket) -> dict:
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    while len(body) < length:
        body += sock.recv(65536)
    return json.loads(body[:length])


@pytest.mark.parametrize("shut_down, code", [(True, 0), (False, 1)])
def test_a_tcp_session_exits_with_the_protocols_code_and_no_traceback(shut_down, code):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "runlint", "lsp", "--tcp", f"127.0.0.1:{port}"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        sock = _connect(port, process)
        sock.sendall(_message({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                               "params": {"processId": None, "rootUri": None, "capabilities": {}}}))
        assert _read_reply(sock)["result"]["serverInfo"]["name"] == "runlint"
        sock.sendall(_message({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        if shut_down:
            sock.sendall(_message({"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None}))
            assert _read_reply(sock)["id"] == 2
        sock.sendall(_message({"jsonrpc": "2.0", "method": "exit", "params": None}))
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == code
    assert "Traceback" not in stderr and "Unhandled exception" not in stderr, stderr


def test_cancelling_a_request_already_answered_is_no_warning():
    """VS Code cancels requests it no longer needs, often after their answer: nothing for its output."""
    messages = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 1}},
        {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": "never-sent"}},
        {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None},
        {"jsonrpc": "2.0", "method": "exit", "params": None},
    ]
    done = subprocess.run([sys.executable, "-m", "runlint", "lsp"], input=b"".join(map(_message, messages)),
                          capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert b'"id": 2' in done.stdout or b'"id":2' in done.stdout  # the session ran to its shutdown
    assert b"Cancel notification" not in done.stderr, done.stderr
