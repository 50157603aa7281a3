"""Configuration files: `[tool.runlint]` in pyproject.toml, `runlint.toml` or `.runlint.yaml`.

The nearest one above a linted file wins (in that order within one folder); `--config PATH` names
one for every file and `--isolated` ignores them all. Keys are validated with pydantic: an unknown
or mistyped key is an error naming the file, the key and the closest known key.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from .diagnostic import Severity
from .kinds import KINDS
from .source.files import DEFAULT_INCLUDE
from .pipeline.linter import Settings

CONFIG_FILES = ("pyproject.toml", "runlint.toml", ".runlint.yaml", ".runlint.yml")
_LEVELS = ("error", "warning", "info")


class ConfigError(Exception):
    """A configuration file runlint cannot use; the message names the file and the key."""


@dataclass
class Loaded:
    """A configuration file's settings, and where each came from (for `runlint config`)."""

    path: Path | None
    values: dict[str, Any] = field(default_factory=dict)  # the file's keys, validated

    @property
    def root(self) -> Path:
        return self.path.parent if self.path else Path.cwd()


def _model():
    """The pydantic model, built on first use: pydantic costs a cold start tens of milliseconds."""
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

    from .check.model_table import FACTS, LIMITS

    Level = Literal["error", "warning", "info"]
    Capability = bool | list[str | int | float] | None
    Fact = Capability | int | None
    # every fact of the table, so that a project can state what it knows about its own models
    ModelFamily = create_model(
        "ModelFamily", __config__=ConfigDict(extra="forbid"), name=(str, ...), match=(str, ...),
        extends=(str | None, None), source=(str | None, None), sources=(dict[str, str] | None, None),
        # checked in full by the table itself (runlint.check.model_table.parse_constraints), with clear errors
        constraints=(list[dict] | None, None),
        **{fact: (Fact if fact in LIMITS else list[str] | None if fact == "endpoints"
                  else Literal["o200k_base", "cl100k_base"] | None if fact == "encoding"
                  else str | None if fact == "reasoning_effort_default" else Capability, None)
           for fact in FACTS})

    class RunlintConfig(BaseModel):
        model_config = ConfigDict(extra="forbid", populate_by_name=True)

        select: list[str] | None = None
        ignore: list[str] | None = None
        extend_select: list[str] | None = Field(default=None, alias="extend-select")
        extend_ignore: list[str] | None = Field(default=None, alias="extend-ignore")
        per_file_ignores: dict[str, list[str]] | None = Field(default=None, alias="per-file-ignores")
        severity: dict[str, Level] | None = None
        fail_on: Level | None = Field(default=None, alias="fail-on")
        include: list[str] | None = None
        exclude: list[str] | None = None
        extend_exclude: list[str] | None = Field(default=None, alias="extend-exclude")
        rules: list[str] | None = None
        default_kind: Literal[tuple(KINDS)] | None = Field(default=None, alias="default-kind")  # type: ignore
        kinds: dict[str, Literal[tuple(KINDS)]] | None = None  # type: ignore
        models: list[ModelFamily] | None = None  # type: ignore[valid-type]
        as_of: str | None = Field(default=None, alias="as-of")

        @field_validator("as_of", mode="before")
        @classmethod
        def _date(cls, value):
            return _as_of(value)

    return RunlintConfig


def _as_of(value: Any) -> str:
    """`as-of`: a YYYY-MM-DD date (quoted, or a TOML date), kept as its ISO text."""
    from .check.model_table import parse_date

    return parse_date(value).isoformat()


KNOWN_KEYS = ("select", "ignore", "extend-select", "extend-ignore", "per-file-ignores", "severity",
              "fail-on", "include", "exclude", "extend-exclude", "rules", "default-kind", "kinds", "models",
              "as-of")


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above `start` (a file or a folder)."""
    folder = start if start.is_dir() else start.parent
    folder = folder.resolve()
    for candidate_folder in (folder, *folder.parents):
        for name in CONFIG_FILES:
            candidate = candidate_folder / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_runlint_table(candidate)):
                return candidate
    return None


@lru_cache(maxsize=64)
def _has_runlint_table(pyproject: Path) -> bool:
    try:
        return b"[tool.runlint" in pyproject.read_bytes()
    except OSError:
        return False


def _plainly_valid(raw: dict) -> bool:
    """The common configuration (lists of codes and globs, levels) checked by hand, so that a run
    with a configuration file need not import pydantic; anything else goes through the model,
    which also explains what is wrong."""
    def strings(value: Any) -> bool:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)

    for key, value in raw.items():
        if key in ("select", "ignore", "extend-select", "extend-ignore", "include", "exclude",
                   "extend-exclude", "rules"):
            fine = strings(value)
        elif key == "per-file-ignores":
            fine = isinstance(value, dict) and all(strings(v) for v in value.values())
        elif key == "severity":
            fine = isinstance(value, dict) and all(v in _LEVELS for v in value.values())
        elif key == "fail-on":
            fine = value in _LEVELS
        elif key == "default-kind":
            fine = value in KINDS
        elif key == "kinds":
            fine = isinstance(value, dict) and all(v in KINDS for v in value.values())
        else:  # `models`, `as-of`, unknown keys, and keys spelled with underscores
            fine = False
        if not fine:
            return False
    return True


@lru_cache(maxsize=64)
def load_config(path: Path) -> Loaded:
    raw = _read(path)
    if _plainly_valid(raw):
        return Loaded(path, dict(raw))
    model = _model()
    from pydantic import ValidationError

    try:
        validated = model.model_validate(raw)
    except ValidationError as error:
        raise ConfigError("\n".join(_describe(path, problem) for problem in error.errors())) from None
    values = validated.model_dump(by_alias=True, exclude_none=True)
    if values.get("models"):
        from .check.model_table import ModelTableError, table

        try:
            table(values["models"])
        except ModelTableError as error:
            raise ConfigError(f"{path}: models: {error}") from None
    return Loaded(path, values)


def _read(path: Path) -> dict:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the configuration: {error.strerror}") from None
    if path.suffix in (".yaml", ".yml"):
        from .source.document import load_bytes

        source = load_bytes(str(path), data, "yaml")
        problems = [p for p in source.problems if p.code not in ("RL003", "RL013")]
        if problems:
            p = problems[0]
            raise ConfigError(f"{path}:{p.range.line + 1}:{p.range.column + 1}: {p.message}")
        if not source.documents:
            return {}
        value = source.documents[0].value
        if not isinstance(value, dict):
            raise ConfigError(f"{path}: the configuration is a mapping of settings")
        return value
    import tomllib

    try:
        table = tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    if path.name == "pyproject.toml":
        table = table.get("tool", {}).get("runlint", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.runlint] must be a table")
    return table


def _describe(path: Path, problem: dict) -> str:
    location = ".".join(str(part) for part in problem["loc"])
    where = f"{path}: [tool.runlint] " if path.name == "pyproject.toml" else f"{path}: "
    if problem["type"] == "extra_forbidden":
        key = str(problem["loc"][-1])
        close = difflib.get_close_matches(key.replace("_", "-"), KNOWN_KEYS, n=1, cutoff=0.6)
        hint = f"; did you mean `{close[0]}`?" if close else f"; known keys: {', '.join(KNOWN_KEYS)}"
        return f"{where}unknown key `{location}`{hint}"
    return f"{where}`{location}`: {problem['msg'].removeprefix('Value error, ')}"


def settings_for(loaded: Loaded, base: Settings | None = None) -> Settings:
    """Settings from a configuration file, on top of `base` (the defaults)."""
    from .pipeline.selectors import SelectorSource

    values = loaded.values
    settings = replace(base) if base else Settings()
    root = loaded.root
    if "select" in values:
        settings.select = tuple(values["select"])
    settings.select += tuple(values.get("extend-select", ()))
    settings.ignore += tuple(values.get("ignore", ())) + tuple(values.get("extend-ignore", ()))
    if loaded.path is not None:  # where each selector was given, to say so when it names no rule
        where = f"{loaded.path}: [tool.runlint] " if loaded.path.name == "pyproject.toml" else f"{loaded.path}: "
        settings.selector_sources += tuple(
            SelectorSource(f"{where}`{key}`", tuple(values[key]), field) for key, field in (
                ("select", "select"), ("extend-select", "select"), ("ignore", "ignore"),
                ("extend-ignore", "ignore")) if key in values)
        settings.selector_sources += tuple(
            SelectorSource(f"{where}`per-file-ignores.\"{glob}\"`", tuple(selectors), "per_file_ignores")
            for glob, selectors in values.get("per-file-ignores", {}).items())
        settings.selector_sources += (SelectorSource(f"{where}`severity`", tuple(values.get("severity", {})), "severity"),)
    if "fail-on" in values:
        settings.fail_on = Severity.parse(values["fail-on"])
    if "include" in values:
        settings.include = tuple(values["include"])
    if "exclude" in values:
        settings.exclude = tuple(values["exclude"])
    settings.exclude += tuple(values.get("extend-exclude", ()))
    settings.severity = {**settings.severity, **{code: Severity.parse(level)  # a code or a name
                                                 for code, level in values.get("severity", {}).items()}}
    settings.rule_dirs += tuple((root / folder).resolve() for folder in values.get("rules", ()))
    settings.per_file_ignores = {**settings.per_file_ignores, **values.get("per-file-ignores", {})}
    settings.config_root = root
    if "default-kind" in values:
        settings.default_kind = values["default-kind"]
    settings.kinds = {**settings.kinds, **values.get("kinds", {})}
    settings.models = list(values.get("models", [])) + settings.models
    if "as-of" in values:
        settings.as_of = date.fromisoformat(values["as-of"])
    return settings


def describe_sources(loaded: Loaded) -> dict[str, tuple[Any, str]]:
    """Every setting's effective value and where it came from."""
    defaults = Settings()
    origin = str(loaded.path) if loaded.path else "default"
    values = loaded.values
    default_values = {"select": list(defaults.select), "ignore": [], "extend-select": [], "extend-ignore": [],
                      "per-file-ignores": {}, "severity": {}, "fail-on": str(defaults.fail_on),
                      "include": list(DEFAULT_INCLUDE), "exclude": [], "extend-exclude": [], "rules": [],
                      "default-kind": None, "kinds": {}, "models": [], "as-of": None}
    return {key: (values[key], origin) if key in values else (default, "default")
            for key, default in default_values.items()}


def config_path_for(file: str) -> Path | None:
    if file in ("-", "<text>"):
        return find_config(Path(os.getcwd()))
    return find_config(Path(file))


@dataclass
class Overrides:
    """What the command line says; it wins over the configuration files."""

    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = None
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    kind: str | None = None
    rule_dirs: tuple[Path, ...] = ()
    cache_dir: Path | None | bool = True  # True: the default cache folder
    as_of: date | None = None  # --as-of
    # How a bad selector's origin is said: `--ignore` (the command line, the default), or, from
    # an editor, `the editor setting runlint.{}`.
    origin: str = "--{}"

    def selector_sources(self) -> tuple:
        from .pipeline.selectors import SelectorSource

        flag = self.origin.startswith("--")
        return tuple(SelectorSource(self.origin.format(name), selectors, field, flag) for name, field, selectors in (
            ("select", "select", self.select), ("extend-select", "select", self.extend_select),
            ("ignore", "ignore", self.ignore)) if selectors)


class Resolver:
    """Settings for each file: its nearest configuration (or --config, or none with --isolated),
    then the command line on top. Linters are shared between files with the same settings."""

    def __init__(self, config: Path | None = None, isolated: bool = False, overrides: Overrides | None = None,
                 base: Settings | None = None, strict: bool = True):
        self.config = load_config(config.resolve()) if config else None
        self.isolated = isolated
        self.overrides = overrides or Overrides()
        self.base = base
        self.strict = strict  # False: selectors naming no rule are left out (Linter), not an error
        self._linters: dict = {}
        self._by_folder: dict[str, Path | None] = {}  # files share their folder's configuration

    def loaded_for(self, path: str) -> Loaded:
        if self.config is not None:
            return self.config
        if self.isolated:
            return Loaded(None)
        # a folder given on the command line is its own key: keyed by its parent, the files of
        # that parent would get the folder's configuration
        folder = "" if path in ("-", "<text>") else path if os.path.isdir(path) else os.path.dirname(path)
        if folder not in self._by_folder:
            self._by_folder[folder] = config_path_for(path)
        found = self._by_folder[folder]
        return load_config(found) if found else Loaded(None)

    def settings_for(self, path: str) -> Settings:
        loaded = self.loaded_for(path)
        settings = settings_for(loaded, self.base)
        o = self.overrides
        if o.select:
            settings.select = o.select
        settings.select += o.extend_select
        settings.ignore += o.ignore
        settings.fail_on = o.fail_on or settings.fail_on
        settings.include = o.include or settings.include
        settings.exclude = o.exclude or settings.exclude
        settings.kind = o.kind or settings.kind
        settings.rule_dirs += o.rule_dirs
        if o.cache_dir is not True:
            settings.cache_dir = o.cache_dir
        settings.as_of = o.as_of or settings.as_of
        settings.selector_sources = o.selector_sources() + settings.selector_sources
        if not self.isolated:  # the project's synced model list lives beside its configuration
            from .check.synced import FILE_NAME

            settings.synced_models = loaded.root / FILE_NAME
        return settings

    def linter_for(self, path: str):
        from .pipeline.linter import Linter

        loaded = self.loaded_for(path)
        key = loaded.path
        if key not in self._linters:
            self._linters[key] = Linter(self.settings_for(path), strict=self.strict)
        return self._linters[key]
