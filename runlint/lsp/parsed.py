"""A YAML buffer read in one pass with positions, for the server.

`document.load` first reads YAML without positions (twice as fast) and reads it again with them
only when something needs a position. In an editor the same file is read again on every change,
and a file with findings needs positions every time: there one pass with positions is cheaper than
two. Only for a plain request file (the format that claims the buffer, runlint/source/formats);
the result is what `load` gives for such a file (the same documents, values, spans and
problems), or None when the text is not the plain case (a syntax error, a NUL, no document, a
document that is not a mapping): then the caller uses `load`, which knows what to say about it.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache

from ..source.document import Document, SourceFile, lone_cr_as_lf, syntax_of
from ..source.formats import HEAD_BYTES, claim, request_file


def yaml_source(file: str, text: str) -> SourceFile | None:
    if syntax_of(file) != "yaml" or claim(file, text[:HEAD_BYTES].encode("utf-8", "surrogatepass")) is not request_file:
        return None  # another format reads it: through the one entry
    text = lone_cr_as_lf(text)
    if "\0" in text:
        return None
    from ..source.yaml_loader import YamlLoader

    loader = YamlLoader(text).load()
    if loader.error_line is not None:
        return None
    documents = [Document(file, text, "yaml", parsed.value, parsed.range, index, _spans=parsed.spans)
                 for index, parsed in enumerate(loader.documents)]
    documents = [d for d in documents if d.value is not None]
    if not documents or not all(isinstance(d.value, dict) for d in documents):
        return None
    problems = list(loader.problems)
    for problem in problems:
        problem.file = file
    return SourceFile(file, text, documents, problems)


_READ: OrderedDict = OrderedDict()  # (file, text) -> the plain reading or None, latest last
KEEP = 3  # the current text and the last ones (an undo); each holds every node of its file


def plain(file: str, text: str) -> SourceFile | None:
    """`yaml_source`, read once for the lint and every request about the same text (hints, the
    outline, definitions): the editor asks about a text right after it changes."""
    key = (file, text)
    if key in _READ:
        _READ.move_to_end(key)
        return _READ[key]
    found = _READ[key] = yaml_source(file, text)
    while len(_READ) > KEEP:
        _READ.popitem(last=False)
    return found


def source(file: str, text: str) -> SourceFile:
    """The buffer's documents with their spans."""
    found = plain(file, text)
    if found is not None:
        return found
    return _loaded(file, text)


@lru_cache(maxsize=4)
def _loaded(file: str, text: str) -> SourceFile:
    from ..source.document import load

    loaded = load(file, text)
    for document in loaded.documents:
        document.spans  # noqa: B018 - built now, while the text is at hand
    return loaded
