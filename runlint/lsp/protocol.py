"""The server's protocol: pygls's own, with an `exit` that ends a TCP session cleanly, and quiet
about cancelling a request already answered.

pygls answers `exit` with sys.exit() inside the connection's coroutine; over TCP that exception
escapes into asyncio, which prints it as an unhandled exception on every normal exit. Over TCP the
session is ended instead (the writer closed, the listening loop stopped), and `main` exits after it
with the code the protocol gives: 0 after a `shutdown` request, 1 without one.
"""

from __future__ import annotations

from lsprotocol import types
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import MsgId


class RunlintProtocol(LanguageServerProtocol):
    over_tcp = False  # set by `main` before it serves on a TCP port
    exit_code: int | None = None  # the code `exit` asked for, once it has

    @lsp_method(types.EXIT)
    def lsp_exit(self, *args):
        if not self.over_tcp:
            yield from super().lsp_exit(*args)
            return
        if (handler := self.fm.features.get(types.EXIT)) is not None:
            yield handler, args, None
        self.exit_code = 0 if self._shutdown else 1
        if self.writer is not None:
            self.writer.close()
        self._server.shutdown()

    def _handle_cancel_notification(self, msg_id: MsgId):
        # A client cancels what it no longer needs, often after the answer went out (VS Code does so
        # as the user types): that is no warning for the user's output channel.
        if msg_id in self._request_futures:
            super()._handle_cancel_notification(msg_id)
