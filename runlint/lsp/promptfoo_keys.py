"""Hover and completion in a promptfoo configuration: its keys described by
schemas/formats/promptfoo.schema.json (how each config key is sent), and a provider id's model
looked up as promptfoo sends it (`openai:gpt-4o-mini` is OpenAI's gpt-4o-mini; `anthropic:...`, an
Azure deployment, has no OpenAI facts). The same shape as the other declared formats' editor
support (one schema file a format, a model looked up as the format sends it)."""

from __future__ import annotations

import json
from functools import cache

from ..diagnostic import Range
from ..source.document import Document, load


def applies(path: str) -> bool:
    from ..source.formats import claim, promptfoo

    return claim(path) is promptfoo


@cache
def schema() -> dict:
    from ..resources import data_dir

    with open(data_dir("schemas") / "formats" / "promptfoo.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


def _document(path: str, text: str) -> Document | None:
    read = load(path, text, "yaml").documents
    return read[0] if read and isinstance(read[0].value, dict) else None


def _id_nodes(document: Document):
    """(the node that holds a provider's id, the id) for each provider of the file."""
    from ..source.formats.promptfoo import _providers

    for _path, provider_id, _options, id_path in _providers(document.value):
        yield id_path, provider_id


def model_at(path: str, text: str, line: int, column: int) -> tuple[str | None, Range] | None:
    """(the OpenAI model the provider id under the cursor sends, or None for another provider's;
    where the id is written), when the cursor is on a provider id."""
    from ..source.formats.promptfoo import model_of

    document = _document(path, text)
    if document is None:
        return None
    for node, provider_id in _id_nodes(document):
        entry = document.spans.get(node)
        if entry is None:
            continue
        where = entry[1] if entry[1] is not None and node[-1] == provider_id else entry[0]  # the map form: its key
        if where.contains(line, column):
            return model_of(provider_id), where
    return None


def field_at(path: str, text: str, line: int, column: int) -> tuple[tuple, str, Range] | None:
    """(path, description, key range) of the configuration key under the cursor."""
    from ..check import schema_nav

    document = _document(path, text)
    if document is None:
        return None
    for node, (_where, key) in document.spans.items():
        if key is not None and key.contains(line, column):
            described = schema_nav.description(schema(), node)
            return (node, described, key) if described else None
    return None


def is_provider_id(node: tuple) -> bool:
    return (len(node) == 2 and node[0] in ("providers", "targets") and isinstance(node[1], int)) or \
        (len(node) == 3 and node[0] in ("providers", "targets") and node[2] == "id")


def model_choices(node: tuple, models) -> list[str]:
    """Provider ids to complete at a provider's id: each OpenAI model id, named for the API."""
    if models is None or not is_provider_id(node):
        return []
    ids = list(models.known_ids())
    return [f"openai:chat:{i}" for i in ids] + [f"openai:responses:{i}" for i in ids]
