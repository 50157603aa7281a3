"""Hostile inputs, one per class the hardening promises cover: made on demand (some are megabytes),
each with the finding it must give and where (1-based line and column, as the CLI prints them).

Shared by the CLI tests, the language-server tests and `benchmarks/bench_hostile.py`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Hostile:
    name: str
    file: str  # the file name it is given (decides YAML or JSON)
    make: Callable[[], bytes]
    code: str  # the finding it must give
    at: tuple[int, int] | str  # 1-based (line, column) where it points, or the text just before that
    text_only: bool = True  # an editor can hold it (valid Unicode text), so the server gets it too

    def position(self, data: bytes) -> tuple[int, int]:
        """Where the finding must point, 1-based; found in the data itself for the big inputs."""
        if isinstance(self.at, tuple):
            return self.at
        text = data.decode("utf-8")
        offset = text.index(self.at) + len(self.at)
        return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def _billion_laughs() -> bytes:
    levels = ["assistant_id: asst_1", "a: &a [" + ", ".join(["lol"] * 10) + "]"]
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 10) + "]")
    return ("\n".join(levels) + "\n").encode()


def _big_messages(count: int, size: int) -> dict:
    return {"assistant_id": "asst_1", "additional_messages": [
        {"role": "user", "content": f"message {i} " + "x" * size} for i in range(count)]}


def _yaml_messages(count: int) -> bytes:
    lines = ["assistant_id: asst_1", "additional_messages:"]
    lines += [f"  - role: user\n    content: message {i}" for i in range(count)]
    lines.append("temperature: 3")
    return ("\n".join(lines) + "\n").encode()


def _many_keys(count: int) -> bytes:
    keys = ",\n".join(f'    "k{i}": "v"' for i in range(count))
    return ('{\n  "assistant_id": "asst_1",\n  "metadata": {\n' + keys + "\n  }\n}\n").encode()


def _unknown_keys(count: int, syntax: str = "json", nested: bool = False) -> bytes:
    """A create-run spec with `count` unknown fields, none close to a known one: at the top level,
    or in `truncation_strategy` (a closed object)."""
    names = [f"x{i}" for i in range(count)]
    indent = "  " * (1 + nested)
    if syntax == "yaml":
        head = "assistant_id: asst_1\n" + ("truncation_strategy:\n  type: auto\n" if nested else "")
        return (head + "".join(f"{indent[2:]}{n}: 1\n" for n in names)).encode()
    head = '{\n  "assistant_id": "asst_1",\n' + ('  "truncation_strategy": {\n    "type": "auto",\n' if nested else "")
    tail = "\n  }\n}\n" if nested else "\n}\n"
    return (head + ",\n".join(f'{indent}"{n}": 1' for n in names) + tail).encode()


def _ten_megabytes() -> bytes:
    spec = _big_messages(2_000, 5_000)
    spec["temperature"] = 3
    return json.dumps(spec, indent=2).encode()


def _one_long_line() -> bytes:
    spec = _big_messages(1_000, 5_000)
    spec["temperature"] = 3
    return json.dumps(spec).encode()


def _diamond_of_refs() -> bytes:
    """A strict schema whose $defs each refer twice to the next: 2^40 paths, 41 definitions."""
    defs = {f"d{i}": {"type": "object", "properties": {"a": {"$ref": f"#/$defs/d{i + 1}"},
                                                       "b": {"$ref": f"#/$defs/d{i + 1}"}},
                      "required": ["a", "b"], "additionalProperties": False} for i in range(40)}
    defs["d40"] = {"type": "string"}
    schema = {"type": "object", "properties": {"r": {"$ref": "#/$defs/d0"}}, "required": ["r"],
              "additionalProperties": False, "$defs": defs}
    return json.dumps({"assistant_id": "asst_1", "response_format": {"type": "json_schema", "json_schema": {
        "name": "x", "strict": True, "schema": schema}}}).encode()


CASES = [
    Hostile("alias bomb", "bomb.run.yaml", _billion_laughs, "RL010", (6, 36)),
    Hostile("deep JSON", "deep.run.json", lambda: b"[" * 100_000 + b"]" * 100_000, "RL009", (1, 257)),
    Hostile("deep YAML flow", "deep.run.yaml", lambda: b"[" * 100_000 + b"]" * 100_000, "RL009", (1, 1001)),
    Hostile("deep YAML block", "deep-block.run.yaml", lambda: b"- " * 100_000 + b"x\n", "RL009", (1, 513)),
    Hostile("10 MB spec", "big.run.json", _ten_megabytes, "RL105", '"temperature": '),
    Hostile("5 MB single line", "line.run.json", _one_long_line, "RL105", '"temperature": '),
    Hostile("200,000 keys", "keys.run.json", lambda: _many_keys(200_000), "RL301", (3, 3)),
    Hostile("200,000 unknown keys (JSON)", "unknown.run.json", lambda: _unknown_keys(200_000), "RL101", (3, 3)),
    Hostile("200,000 unknown keys (YAML)", "unknown.run.yaml", lambda: _unknown_keys(200_000, "yaml"),
            "RL101", (2, 1)),
    Hostile("200,000 unknown nested keys (JSON)", "unknown-nested.run.json",
            lambda: _unknown_keys(200_000, nested=True), "RL101", (5, 5)),
    Hostile("200,000 unknown nested keys (YAML)", "unknown-nested.run.yaml",
            lambda: _unknown_keys(200_000, "yaml", nested=True), "RL101", (4, 3)),
    Hostile("100,000 messages", "messages.run.yaml", lambda: _yaml_messages(100_000), "RL105", "\ntemperature: "),
    Hostile("diamond of $refs", "refs.run.json", _diamond_of_refs, "RL310", '"strict": true, '),  # the key
    Hostile("NaN", "nan.run.json", lambda: b'{"assistant_id": "a", "temperature": NaN}', "RL011", (1, 38)),
    Hostile("Infinity", "inf.run.json", lambda: b'{"assistant_id": "a", "top_p": -Infinity}', "RL011", (1, 32)),
    Hostile("100,000 digits", "digits.run.json",
            lambda: b'{"assistant_id": "a", "max_prompt_tokens": ' + b"9" * 100_000 + b"}", "RL011", (1, 44)),
    Hostile("float overflow", "overflow.run.yaml", lambda: b"assistant_id: a\ntemperature: 1e999\n", "RL011", (2, 14)),
    Hostile("invalid UTF-8", "latin1.run.yaml", lambda: "assistant_id: caf\xe9\n".encode("latin-1"),
            "RL005", (1, 18), text_only=False),
    Hostile("UTF-16 with BOM", "bom16.run.json", lambda: '{"assistant_id": "a"}'.encode("utf-16"),
            "RL005", (1, 1), text_only=False),
    Hostile("UTF-16 without BOM", "le16.run.json", lambda: '{"assistant_id": "a"}'.encode("utf-16-le"),
            "RL005", (1, 2), text_only=False),
    Hostile("NUL bytes", "nul.run.yaml", lambda: b"assistant_id: a\x00b\n", "RL005", (1, 16)),
    Hostile("lone surrogate", "surrogate.run.json", lambda: b'{"assistant_id": "a\\ud800"}', "RL017", (1, 18)),
    Hostile("binary file", "image.run.json", lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
            "RL005", (3, 1), text_only=False),
    Hostile("non-string key", "keys.run.yaml", lambda: b"assistant_id: a\n1: one\n", "RL008", (2, 1)),
    Hostile("complex key", "complex.run.yaml", lambda: b"assistant_id: a\n? [a, b]\n: x\n", "RL008", (2, 3)),
    Hostile("merge key", "merge.run.yaml",
            lambda: b"defaults: &d {model: gpt-4o, temperature: 0.2}\nassistant_id: a\n<<: *d\n", "RL016", (3, 5)),
    Hostile("python tag", "python.run.yaml",
            lambda: b"assistant_id: !!python/object/apply:os.system [touch pwned]\n", "RL006", (1, 15)),
    Hostile("CloudFormation tag", "ref.run.yaml", lambda: b"assistant_id: !Ref Assistant\n", "RL006", (1, 15)),
    Hostile("binary tag", "binary.run.yaml", lambda: b"assistant_id: !!binary aGVsbG8=\n", "RL006", (1, 15)),
    Hostile("one broken document of three", "multi.run.yaml",
            lambda: b"assistant_id: a\n---\nassistant_id: [\n---\nassistant_id: c\ntemprature: 1\n", "RL101", (6, 1)),
]
