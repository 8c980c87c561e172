"""An uploaded text file waiting for its column mapping (two steps on the web)."""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app

from quizapp.domain.interop import (
    InteropError,
    TextPreview,
    is_text_file,
    preview_text,
)
from quizapp.models import User
from quizapp.services.errors import Invalid

#: How long an uploaded file waits for its column mapping.
PENDING_SECONDS = 30 * 60
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def preview_upload(data: bytes, name: str, separator: str | None) -> TextPreview | None:
    """The first rows of an uploaded CSV/TSV/TXT file (None for other formats)."""
    if not is_text_file(name):
        return None
    try:
        return preview_text(data, name, separator=separator)
    except InteropError as exc:
        raise Invalid(str(exc)) from None


def _pending_folder() -> Path:
    """``QUIZAPP_PENDING_UPLOADS`` (tests set it), else ``pending-uploads`` in the instance."""
    configured = current_app.config.get("QUIZAPP_PENDING_UPLOADS")
    return Path(configured or Path(current_app.instance_path) / "pending-uploads")


def keep_pending(
    user: User, data: bytes, name: str, separator: str | None, *, now: datetime | None = None
) -> str:
    """Keep an upload in the instance folder until its columns are chosen; returns its token.

    The file is ``<user id>-<token>.json`` (the token random, 192 bits), so only the uploader
    can use it, for :data:`PENDING_SECONDS`. One upload waits per user: a newer one replaces it
    (the disk holds at most one file of 5 MB per user); expired files are removed whenever a new
    one is kept.
    """
    now = now or datetime.now(UTC)
    folder = _pending_folder()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    mine = set(folder.glob(f"{user.id}-*.json"))
    for old in folder.glob("*.json"):
        try:
            if old in mine or now.timestamp() - old.stat().st_mtime > PENDING_SECONDS:
                old.unlink(missing_ok=True)
        except OSError:
            pass
    token = secrets.token_urlsafe(24)
    record = {
        "user": user.id,
        "name": name,
        "separator": separator,
        "created": now.timestamp(),
        "data": base64.b64encode(data).decode("ascii"),
    }
    fd, tmp = tempfile.mkstemp(prefix=".pending.", dir=folder)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(record, out)
    os.replace(tmp, folder / f"{user.id}-{token}.json")
    return token


def pending_upload(
    user: User, token: str, *, now: datetime | None = None
) -> tuple[bytes, str, str | None]:
    """(data, name, separator) of the upload kept under ``token`` for ``user``; Invalid if none.

    Another user's token, an expired one and a made-up one all read as "no such upload".
    """
    now = now or datetime.now(UTC)
    gone = Invalid("That upload has expired or is not yours: choose the file again.")
    if not _TOKEN.match(token or ""):
        raise gone
    try:
        path = _pending_folder() / f"{user.id}-{token}.json"
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise gone from None
    if record.get("user") != user.id or now.timestamp() - record["created"] > PENDING_SECONDS:
        raise gone
    return base64.b64decode(record["data"]), record["name"], record["separator"]


def drop_pending(user: User, token: str) -> None:
    if _TOKEN.match(token or ""):
        (_pending_folder() / f"{user.id}-{token}.json").unlink(missing_ok=True)
