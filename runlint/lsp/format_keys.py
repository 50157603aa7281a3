"""Hover and completion in the declared formats' own files (GitHub Models prompt files, Prompty
front matter): the keys are the format's, described by schemas/formats/<format>.schema.json (how
each becomes the request), and a model id is looked up as the format sends it (`openai/gpt-4.1`
is OpenAI's gpt-4.1; another provider's id, or an Azure deployment, has no OpenAI facts)."""

from __future__ import annotations

import json
from functools import cache

from ..diagnostic import Range
from ..source.document import Document, load


def format_of(path: str):
    """The declared format that reads `path`, or None (a request file, a batch file)."""
    from ..source.formats import claim, github_models, prompty

    found = claim(path)
    return found if found in (github_models, prompty) else None


@cache
def schema(name: str) -> dict:
    from ..resources import data_dir

    with open(data_dir("schemas") / "formats" / f"{name}.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


def documents(format, path: str, text: str) -> list[Document]:
    """The YAML documents of the file the format's keys are written in (a Prompty file's front matter)."""
    from ..source.formats import prompty

    if format is prompty:
        read = load(path, text, "prompty").documents
        return read[:1] if len(read) > 1 and isinstance(read[0].value, dict) else []
    return [d for d in load(path, text, "yaml").documents if isinstance(d.value, dict)]


def yaml_text(format, text: str) -> str:
    """The text the cursor reads as YAML: a Prompty file's front matter alone, at its own lines
    (the `---` lines and the template blanked)."""
    from ..source.formats import prompty

    if format is not prompty:
        return text
    lines = text.split("\n")
    fences = [i for i, line in enumerate(lines) if line.strip() in ("---", "+++")][:2]
    if len(fences) < 2:
        return "\n" * (len(lines) - 1)
    return "\n".join("" if i <= fences[0] or i >= fences[1] else line for i, line in enumerate(lines))


def model_at(format, path: str, text: str, line: int, column: int) -> tuple[str | None, Range] | None:
    """(the OpenAI model id the request names, or None when it names none of OpenAI's; where it is
    written) when the cursor is on the file's model value."""
    from ..source.formats import github_models, prompty

    for document in documents(format, path, text):
        for node in (("model",), ("model", "id"), ("model", "configuration", "name"),
                     ("model", "configuration", "azure_deployment")):
            entry = document.spans.get(node)
            if entry is None or not _contains(entry[0], line, column):
                continue
            if format is github_models:
                sent, openai = github_models.model_id(document.value.get("model"))
                return (sent if openai else None), entry[0]
            front, body, _ = prompty.split(path, text)
            built = prompty.build(front, body)
            return (built.value.get("model") if built.openai else None), entry[0]
    return None


def model_choices(format, node: tuple, models) -> list[str]:
    """Model ids to complete at `node`, written as the format writes them."""
    from ..source.formats import github_models

    if models is None:
        return []
    if format is github_models and node == ("model",):
        return ["openai/" + model for model in models.known_ids()]
    if node in (("model", "id"), ("model", "configuration", "name")):
        return list(models.known_ids())
    return []


def _contains(where: Range, line: int, column: int) -> bool:
    return (where.line, where.column) <= (line, column) <= (where.end_line, where.end_column)
