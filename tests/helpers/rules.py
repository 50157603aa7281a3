"""Writing a custom rule file for a test (an ACME rule with one check and message)."""

from pathlib import Path

RULE = """code: ACME{n}
name: {name}
severity: warning
summary: s
explanation: e
check: {check}
message: "{message}"
examples: {{invalid: [{{spec: {{assistant_id: a}}, at: ""}}]}}
"""


def write_rule(folder: Path, n: str, name: str, check_: str, message: str = "m") -> Path:
    path = folder / f"ACME{n}-{name}.yaml"
    path.write_text(RULE.format(n=n, name=name, check=check_, message=message))
    return path
