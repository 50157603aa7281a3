"""`--format gitlab`: GitLab Code Quality JSON.

Fingerprints are stable across runs and across edits elsewhere in the file: they hash the file, the
rule, the node's JSON pointer and the message, not the line, plus a counter for exact repeats.
"""

from __future__ import annotations

import hashlib
import json

_SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def render(results, **_options) -> str:
    issues = []
    seen: dict[str, int] = {}
    for result in results:
        for d in result.diagnostics:
            identity = f"{d.file}\0{d.code}\0{d.pointer}\0{d.message}"
            seen[identity] = seen.get(identity, 0) + 1
            fingerprint = hashlib.sha256(f"{identity}\0{seen[identity]}".encode()).hexdigest()
            r = d.range
            issues.append({
                "description": f"{d.code} {d.message}",
                "check_name": d.code,
                "fingerprint": fingerprint,
                "severity": _SEVERITIES[str(d.severity)],
                "location": {"path": d.file, "positions": {
                    "begin": {"line": r.line + 1, "column": r.column + 1},
                    "end": {"line": r.end_line + 1, "column": r.end_column + 1}}},
            })
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
