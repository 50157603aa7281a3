#!/usr/bin/env python3
"""Extract from OpenAI's openapi.yaml what runlint is built from: the request schemas and the examples.

The first step of an update (docs/development.md, "Updating to a new release of the API description"); `generate_schemas.py` is the second.

    python scripts/extract_openapi.py PATH/TO/openapi.yaml --commit SHA --date YYYY-MM-DD
    python scripts/extract_openapi.py --git GIT_DIR [--rev REV]   # commit and date read from git

It writes, in a stable order (the same input gives the same bytes):
- schemas/source/openapi-extract/<file>.json: one request schema with every component it references,
  transitively, in the order they are first reached; and its SOURCE.md, naming the commit and date;
- tests/fixtures/openai-examples/<operation>.json: every request example of the API reference
  (`x-oaiMeta.examples`, the JSON body of each curl call) for the operations in EXTRACTS, and for the
  other endpoints a batch can call, which runlint checks as batch lines.

It reads YAML with the safe loader, timestamps kept as the strings they are written as.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "schemas" / "source" / "openapi-extract"
EXAMPLES = ROOT / "tests" / "fixtures" / "openai-examples"

# file -> (root component, method, path of the operation whose request body it is)
EXTRACTS = {
    "create-run.json": ("CreateRunRequest", "post", "/threads/{thread_id}/runs"),
    "create-thread-and-run.json": ("CreateThreadAndRunRequest", "post", "/threads/runs"),
    "create-assistant.json": ("CreateAssistantRequest", "post", "/assistants"),
    "create-chat-completion.json": ("CreateChatCompletionRequest", "post", "/chat/completions"),
    "create-response.json": ("CreateResponse", "post", "/responses"),
    "create-batch.json": ("CreateBatchRequest", "post", "/batches"),
}

# The reference's examples write some model ids as variables that the documentation site fills in;
# a real id of the kind each names stands in (gpt-5.4: the id the other chat and response examples use).
EXAMPLE_VARIABLES = {"VAR_chat_model_id": "gpt-5.4", "VAR_completion_model_id": "gpt-3.5-turbo-instruct"}


class _Loader(yaml.SafeLoader):
    """The safe loader, with timestamps left as strings (JSON has no dates; the extracts are JSON)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
if hasattr(yaml, "CSafeLoader"):  # libyaml parses the 3 MB file ten times faster; same resolvers
    class _CLoader(yaml.CSafeLoader):
        pass
    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
    _Loader = _CLoader  # noqa: F811


def load_openapi(text: str) -> dict:
    return yaml.load(text, Loader=_Loader)  # a SafeLoader subclass: constructs no object from a tag


def extract(openapi: dict, root: str) -> dict:
    """`root` and every component it references, transitively, in the order they are first reached
    (depth first, keys in the order the description writes them)."""
    components = openapi["components"]["schemas"]
    order: list[str] = []

    def visit(node) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[1]
                if name not in order:
                    order.append(name)
                    visit(components[name])
            for key, value in node.items():
                if key != "$ref":
                    visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    order.append(root)
    visit(components[root])
    return {"root": root, "components": {"schemas": {name: components[name] for name in order}}}


def request_bodies(curl: str) -> dict | None:
    """The JSON body of a curl example (`-d '{...}'`), or None when it sends none (or not JSON)."""
    try:
        words = shlex.split(curl.replace("\\\n", " "))
    except ValueError:
        return None
    for flag, value in zip(words, words[1:]):
        if flag in ("-d", "--data", "--data-raw"):
            for name, default in EXAMPLE_VARIABLES.items():
                value = value.replace(name, default)
            try:
                body = json.loads(value)
            except ValueError:
                return None
            return body if isinstance(body, dict) else None
    return None


def examples(openapi: dict, method: str, path: str) -> list[dict]:
    operation = openapi["paths"][path][method]
    found = operation.get("x-oaiMeta", {}).get("examples") or []
    found = found if isinstance(found, list) else [found]
    out = []
    for number, example in enumerate(found, 1):
        request = example.get("request")
        curl = request.get("curl") if isinstance(request, dict) else request
        body = request_bodies(curl) if isinstance(curl, str) else None
        if body is not None:
            out.append({"title": example.get("title") or f"example {number}", "body": body})
    return out


def batch_endpoints(openapi: dict) -> list[str]:
    return openapi["components"]["schemas"]["CreateBatchRequest"]["properties"]["endpoint"]["enum"]


def _source_md(commit: str, date: str, digest: str) -> str:
    rows = "\n".join(f"| {file} | {root} | {method.upper()} /v1{path} |" for file, (root, method, path)
                     in EXTRACTS.items())
    return f"""# Source of these extracts

Written by `scripts/extract_openapi.py`; do not edit by hand. Each file holds one request schema of
OpenAI's official OpenAPI description, with every component it references (transitively), as JSON:
`{{"root": NAME, "components": {{"schemas": {{...}}}}}}`.

- Repository: openai/openai-openapi, file `openapi.yaml`, commit {commit}
  ({date}; the file's SHA-256 {digest}). License: MIT.
- The description is OpenAPI 3.x: `nullable: true` and `x-` keys are OpenAPI's, not JSON Schema's;
  `scripts/generate_schemas.py` translates them when writing `schemas/` (JSON Schema 2020-12).

| file | root schema | endpoint |
|---|---|---|
{rows}
"""


def write(text: str, commit: str, date: str) -> list[Path]:
    openapi = load_openapi(text)
    written = []

    def put(path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)

    for file, (root, _method, _path) in EXTRACTS.items():
        put(SOURCE / file, json.dumps(extract(openapi, root), indent=1, ensure_ascii=False) + "\n")
    put(SOURCE / "SOURCE.md", _source_md(commit, date, hashlib.sha256(text.encode("utf-8")).hexdigest()))
    # The examples of every operation with a runlint kind, and of every other endpoint a batch calls.
    operations = {path: method for _root, method, path in EXTRACTS.values() if path != "/batches"}
    operations.update({url.removeprefix("/v1"): "post" for url in batch_endpoints(openapi)})
    for old in EXAMPLES.glob("*.json"):
        old.unlink()
    for path, method in operations.items():
        if path not in openapi["paths"] or method not in openapi["paths"][path]:
            raise SystemExit(f"openapi.yaml has no operation {method.upper()} {path}")
        found = examples(openapi, method, path)
        if found:
            name = openapi["paths"][path][method]["operationId"]
            record = {"source": f"openai/openai-openapi@{commit} ({date}): {method.upper()} /v1{path}, "
                                "x-oaiMeta.examples, the curl request body",
                      "date": date, "url": f"/v1{path}", "examples": found}
            put(EXAMPLES / f"{name}.json", json.dumps(record, indent=1, ensure_ascii=False) + "\n")
    return written


def _from_git(git_dir: str, rev: str) -> tuple[str, str, str]:
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", git_dir, *args], check=True, capture_output=True,
                              text=True).stdout

    commit = git("rev-parse", rev).strip()
    date = git("show", "-s", "--format=%cs", commit).strip()
    return git("show", f"{commit}:openapi.yaml"), commit, date


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("openapi", nargs="?", help="path of openapi.yaml")
    parser.add_argument("--commit", help="the commit of openai/openai-openapi it comes from")
    parser.add_argument("--date", help="that commit's date, YYYY-MM-DD")
    parser.add_argument("--git", metavar="GIT_DIR", help="read openapi.yaml, commit and date from a clone")
    parser.add_argument("--rev", default="HEAD", help="with --git: the revision (default HEAD)")
    args = parser.parse_args()
    if args.git:
        text, commit, date = _from_git(args.git, args.rev)
    elif args.openapi and args.commit and args.date:
        text, commit, date = Path(args.openapi).read_text(encoding="utf-8"), args.commit, args.date
    else:
        parser.error("give openapi.yaml with --commit and --date, or --git GIT_DIR")
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        parser.error(f"--date must be YYYY-MM-DD, not {date!r}")
    for path in write(text, commit, date):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
