"""`--format junit`: one testsuite a file, one failing testcase a finding (a clean file passes)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot carry


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render(results, **_options) -> str:
    root = ET.Element("testsuites", name="runlint")
    total = failures = 0
    for result in results:
        cases = max(1, len(result.diagnostics))
        suite = ET.SubElement(root, "testsuite", name=_clean(result.file), tests=str(cases),
                              failures=str(len(result.diagnostics)), errors="0")
        if not result.diagnostics:
            ET.SubElement(suite, "testcase", name="runlint", classname=_clean(result.file))
        for d in result.diagnostics:
            r = d.range
            case = ET.SubElement(suite, "testcase", name=f"{d.code} {d.name} at {r.line + 1}:{r.column + 1}",
                                 classname=_clean(d.file))
            failure = ET.SubElement(case, "failure", message=_clean(d.message), type=str(d.severity))
            failure.text = _clean(f"{d.file}:{r.line + 1}:{r.column + 1}: {d.code} {d.message}")
        total += cases
        failures += len(result.diagnostics)
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
