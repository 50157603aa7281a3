"""Pipeline: one entry (Linter.lint), selection, suppressions, severity, once-per-file, order."""
