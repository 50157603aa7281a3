"""Resource bounds for untrusted input, in one place (docs/performance-and-limits.md, "Limits", quotes them)."""

# Deepest nesting of mappings and sequences that is read; deeper content is reported and skipped.
MAX_DEPTH = 256

# Nodes that YAML aliases may add when expanded ("billion laughs" stops here, at the alias).
MAX_ALIAS_EXPANSION = 100_000

# Largest file read; larger files get one diagnostic instead of being parsed.
MAX_FILE_BYTES = 64 * 1024 * 1024

# Digits in an integer literal (Python's own int-from-string limit is 4,300).
MAX_INT_DIGITS = 4_300

# Characters of a batch file's lines kept to quote in reports (only lines with findings are kept).
MAX_QUOTED_CHARS = 8 * 1024 * 1024

# Findings reported for one file; past them, one finding (RL019) says how many more, of which
# rules. The most severe are kept. (200,000 unknown keys are no more use to read than 1,000.)
MAX_FINDINGS = 1_000
