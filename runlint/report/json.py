"""`--format json`: an array of findings, each with exactly the keys of Diagnostic.to_json."""

from __future__ import annotations

import json


def render(results, **_options) -> str:
    findings = [d.to_json() for result in results for d in result.diagnostics]
    return json.dumps(findings, indent=2, ensure_ascii=False) + "\n"
