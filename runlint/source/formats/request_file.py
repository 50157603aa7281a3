"""The plain request file: a YAML or JSON request body, or several YAML documents, each a request.

Each document is one request, written verbatim (the identity map); its kind is told as before
(runlint/kinds.py: the command line, a `# runlint: kind=` comment, the name, the fields). A
document that is no mapping is the loader's finding (RL003), not a request.
"""

from __future__ import annotations

from typing import Iterator

from ...kinds import KINDS
from ..document import SourceFile, syntax_of
from ..request import PathMap, Request

NAME = "request file"
PATTERNS = tuple(p for kind in KINDS.values() for p in kind.file_patterns)
SYNTAX = "yaml"  # or json, told by the name (document.syntax_of)


def claims(file: str, head: bytes) -> bool:
    return syntax_of(file) in ("yaml", "json")


def requests(source: SourceFile) -> Iterator[Request]:
    for document in source.documents:
        if isinstance(document.value, dict):
            yield Request(None, document.value, PathMap.of(document))
