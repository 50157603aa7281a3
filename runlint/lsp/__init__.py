"""The language server (`runlint lsp`): imported only by that command, never by `runlint check`."""
