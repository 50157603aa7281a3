"""The model ids a user's API key can use, read from the API (`runlint models sync`) into a file.

`runlint models sync` asks `GET {base}/models` (OpenAI's ListModelsResponse: `{"object": "list",
"data": [Model]}`, each Model with its `id` and, when OpenAI has announced one, its `shutdown_date`,
YYYY-MM-DD: openai/openai-openapi f85dbe2, components.schemas.Model) and writes `runlint.models.json`
at the project root (the configuration file's folder), to be committed like a lockfile: CI then
checks against it with no network and no key. Its format (FORMAT, version 1):

    {
      "format": "runlint.models/1",
      "synced_at": "2026-12-06T14:50:00Z",        # when, in UTC
      "base_url": "https://api.openai.com/v1",    # from where (never the key)
      "models": [                                 # sorted by id
        {"id": "gpt-4o", "shutdown_date": null},
        {"id": "gpt-4o-2024-05-13", "shutdown_date": "2026-10-23"}
      ]
    }

Every front end reads it lazily (`Context.synced`): only when a check asks about a request's model.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..diagnostic import show_json

FILE_NAME = "runlint.check.model_table.json"
FORMAT = "runlint.models/1"
DEFAULT_BASE_URL = "https://api.openai.com/v1"
STALE_AFTER_DAYS = 30  # RL421: sync again after this many days


class SyncedFileError(Exception):
    """A synced model file runlint cannot use (a configuration error: exit 2)."""


class SyncError(Exception):
    """`runlint models sync` could not read the model list; the message is one line, without the key."""


@dataclass(frozen=True)
class Synced:
    """A synced model list: the ids the key can use, and each one's shutdown date when the API gives it."""

    path: Path
    synced_at: datetime
    base_url: str
    shutdowns: dict[str, date | None]  # id -> the API's shutdown_date (None: not announced)

    @property
    def ids(self) -> list[str]:
        return sorted(self.shutdowns)

    def has(self, model: str) -> bool:
        return model in self.shutdowns

    def shutdown(self, model: Any) -> date | None:
        return self.shutdowns.get(model) if isinstance(model, str) else None

    def age(self, today: date) -> int:
        """Days since the sync, on `today` (the date findings are for)."""
        return (today - self.synced_at.date()).days


def load(path: Path | None) -> Synced | None:
    """The synced list at `path`, or None when there is none. Read again only when the file changed
    (a language server runs for days, and the user may sync meanwhile)."""
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return _load(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _load(path: str, _mtime: int, _size: int) -> Synced:
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise SyncedFileError(f"{path}: not a model list runlint can read ({_reason(error)}); "
                              "run `runlint models sync` again, or delete the file") from None
    return parse(data, Path(path))


def parse(data: Any, path: Path) -> Synced:
    """The file's content, checked; SyncedFileError names what is wrong."""
    def bad(what: str) -> SyncedFileError:
        return SyncedFileError(f"{path}: {what}; run `runlint models sync` again, or delete the file")

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise bad(f"not a runlint model list (expected \"format\": \"{FORMAT}\")")
    try:
        synced_at = datetime.fromisoformat(str(data["synced_at"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        raise bad("`synced_at` is not a UTC timestamp") from None
    if synced_at.tzinfo is None:
        synced_at = synced_at.replace(tzinfo=timezone.utc)
    models = data.get("models")
    if not isinstance(models, list):
        raise bad("`models` is not a list")
    shutdowns: dict[str, date | None] = {}
    for item in models:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            raise bad(f"a model without an `id`: {show_json(item)}")
        shutdown = item.get("shutdown_date")
        try:
            shutdowns[item["id"]] = None if shutdown is None else date.fromisoformat(shutdown)
        except (TypeError, ValueError):
            raise bad(f"{item['id']}: `shutdown_date` is not a date (YYYY-MM-DD)") from None
    return Synced(path, synced_at.astimezone(timezone.utc), str(data.get("base_url") or ""), shutdowns)


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return error.strerror or type(error).__name__
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8"
    return f"not JSON: {error}"


# -- syncing --------------------------------------------------------------------------------------
def fetch(base_url: str, key: str, timeout: float, organization: str | None = None,
          project: str | None = None) -> dict[str, date | None]:
    """id -> shutdown date, from `GET {base_url}/models`. Any failure is a SyncError whose message
    never holds the key (nor the base URL's credentials)."""
    import http.client
    import socket
    import urllib.error
    import urllib.request

    url = base_url.rstrip("/") + "/models"
    shown = public_url(base_url)
    headers = {"Authorization": f"Bearer {key}", "Accept": "application/json", "User-Agent": "runlint"}
    if organization:
        headers["OpenAI-Organization"] = organization
    if project:
        headers["OpenAI-Project"] = project
    if not url.startswith(("https://", "http://")):
        raise SyncError(f"the base URL {shown!r} is not an http(s) URL (OPENAI_BASE_URL)")
    request = urllib.request.Request(url, headers=headers, method="GET")
    # No redirect is followed: urllib would send the Authorization header on to wherever it points.
    opener = urllib.request.build_opener(_no_redirect())
    try:
        with opener.open(request, timeout=timeout) as response:  # http(s) only, checked above
            body = response.read()
    except urllib.error.HTTPError as error:
        if 300 <= error.code < 400:
            raise SyncError(f"{shown}/models answered a redirect (HTTP {error.code}); runlint does not follow it "
                            "with the API key: set OPENAI_BASE_URL to the API's own address") from None
        raise SyncError(_http_error(error, shown)) from None
    except (TimeoutError, socket.timeout):
        raise SyncError(f"{shown}/models did not answer within {timeout:g} s (--timeout)") from None
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise SyncError(f"{shown}/models did not answer within {timeout:g} s (--timeout)") from None
        if isinstance(reason, (http.client.RemoteDisconnected, ConnectionResetError)):
            raise SyncError(f"{shown}/models closed the connection before a whole answer") from None
        raise SyncError(f"cannot reach {shown}: {_scrub(str(getattr(reason, 'strerror', None) or reason), key)}") \
            from None
    except (ConnectionError, http.client.RemoteDisconnected, http.client.IncompleteRead):
        raise SyncError(f"{shown}/models closed the connection before a whole answer") from None
    except (OSError, ValueError, http.client.HTTPException) as error:
        raise SyncError(f"reading {shown}/models failed: {_scrub(_describe(error), key)}") from None
    return _models_of(body, shown)


def _no_redirect():
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None  # urllib then raises the 3xx as an HTTPError

    return NoRedirect


def _describe(error: Exception) -> str:
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _http_error(error, shown: str) -> str:
    """One line for an HTTP error: the status, and OpenAI's own `error.message` when the body has one."""
    message = ""
    try:
        body = json.loads(error.read().decode("utf-8"))
        message = body["error"]["message"] if isinstance(body.get("error"), dict) else ""
    except Exception:  # noqa: BLE001 - the body is only a detail of the message
        pass
    # OpenAI's 401 quotes the key, masked ("sk-proj-***...4a8f"): not even that is repeated
    message = re.sub(r"\bsk-\S+", "[the key]", " ".join(str(message).split()))[:200].rstrip(".")
    detail = f": {message}" if message else ""
    if error.code in (401, 403):
        return (f"{shown}/models refused the API key (HTTP {error.code}){detail}; check OPENAI_API_KEY "
                "(and OPENAI_ORG_ID / OPENAI_PROJECT_ID)")
    return f"{shown}/models answered HTTP {error.code}{detail}"


def _models_of(body: bytes, shown: str) -> dict[str, date | None]:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise SyncError(f"{shown}/models did not answer JSON") from None
    items = data.get("data") if isinstance(data, dict) else None
    if not isinstance(items, list) or not all(isinstance(i, dict) and isinstance(i.get("id"), str) and i["id"]
                                              for i in items):
        raise SyncError(f"{shown}/models did not answer a list of models (`data`, each with an `id`)")
    found: dict[str, date | None] = {}
    for item in items:
        found[item["id"]] = _shutdown_of(item.get("shutdown_date"))
    return found


def _shutdown_of(value: Any) -> date | None:
    """The API's `shutdown_date`: a YYYY-MM-DD date (the spec's), or null. A Unix time is read too;
    anything else is left out rather than guessed."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        try:
            return datetime.fromtimestamp(value, timezone.utc).date()
        except (OverflowError, OSError, ValueError):
            return None
    return None


def public_url(base_url: str) -> str:
    """The base URL as it may be shown and stored: without credentials, query or fragment."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(base_url.rstrip("/"))
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "the base URL"
    if ":" in host:
        host = f"[{host}]"
    return urlunsplit((parts.scheme, host + port, parts.path.rstrip("/"), "", ""))


def _scrub(text: str, key: str) -> str:
    return text.replace(key, "***") if key else text


def render(models: dict[str, date | None], base_url: str, now: datetime) -> str:
    """The file's text: sorted, stable, pretty (a lockfile's diff shows what changed)."""
    data = {"format": FORMAT,
            "synced_at": now.astimezone(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            "base_url": public_url(base_url),
            "models": [{"id": model, "shutdown_date": models[model].isoformat() if models[model] else None}
                       for model in sorted(models)]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write(path: Path, text: str) -> None:
    """Replace the file at once: a temporary file beside it, then os.replace (a failed sync leaves
    the earlier file as it was)."""
    import tempfile

    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp", delete=False)
    try:
        with handle:
            handle.write(text)
        os.replace(handle.name, path)
    except BaseException:
        try:
            os.unlink(handle.name)
        except OSError:
            pass
        raise
