"""`--format sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Every rule of the catalog is described (not only those with results), so a viewer can show a rule
whose findings were all fixed; results point at 1-based regions and carry fixes where a rule offers
one. Columns count code points (`columnKind`), as runlint's do.
"""

from __future__ import annotations

import hashlib
import json
from urllib.parse import quote

from .. import __version__

RULES_URL = "https://github.com/runlint/runlint/blob/main/docs/rules.md#"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _region(r) -> dict:
    return {"startLine": r.line + 1, "startColumn": r.column + 1, "endLine": r.end_line + 1,
            "endColumn": r.end_column + 1}


def _artifact(file: str) -> dict:
    return {"uri": quote(file.replace("\\", "/"))}


def render(results, catalog=None, **_options) -> str:
    rules = sorted(catalog.rules.values(), key=lambda r: r.code) if catalog else []
    index = {rule.code: number for number, rule in enumerate(rules)}
    descriptors = [{
        "id": rule.code, "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation.strip()},
        "help": {"text": rule.explanation.strip()},
        "helpUri": rule.help_uri or RULES_URL + rule.code.lower(),
        "defaultConfiguration": {"level": _LEVELS[str(rule.severity)]},
    } for rule in rules]
    findings = []
    for result in results:
        for d in result.diagnostics:
            finding = {
                "ruleId": d.code,
                "level": _LEVELS[str(d.severity)],
                "message": {"text": d.message},
                "locations": [{"physicalLocation": {"artifactLocation": _artifact(d.file), "region": _region(d.range)}}],
                "partialFingerprints": {"runlint/v1": hashlib.sha256(
                    f"{d.file}\0{d.code}\0{d.pointer}\0{d.message}".encode()).hexdigest()},
            }
            if d.code in index:
                finding["ruleIndex"] = index[d.code]
            if d.fix is not None:
                replacements = [{"deletedRegion": _region(e.range), "insertedContent": {"text": e.new_text}}
                                for e in d.fix.edits]
                if d.fix.drop_bom:  # the byte order mark is before any line: its bytes
                    replacements.append({"deletedRegion": {"byteOffset": 0, "byteLength": 3}})
                finding["fixes"] = [{"description": {"text": d.fix.title}, "artifactChanges": [{
                    "artifactLocation": _artifact(d.file), "replacements": replacements}]}]
            findings.append(finding)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "runlint", "version": __version__,
                                "informationUri": "https://github.com/runlint/runlint", "rules": descriptors}},
            "invocations": [{"executionSuccessful": True}],
            "columnKind": "unicodeCodePoints",
            "results": findings,
        }],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"
