"""The exit codes every command shares: 0 nothing to report, 1 findings, 2 usage, configuration,
unreadable path or internal error."""

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
