"""Configuration from the environment, with safe defaults for one machine.

``QUIZAPP_DATABASE_URL``: any SQLAlchemy URL; default SQLite in the instance folder.
``QUIZAPP_SECRET_KEY``: when unset, a random key is generated once and kept in the instance folder
(mode 0600), so sessions survive restarts and every process of one installation shares it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

SECRET_KEY_FILE = "secret_key"


def load_secret_key(instance_path: Path) -> str:
    """The secret key from the environment, else from (or newly written to) the instance folder."""
    from_env = os.environ.get("QUIZAPP_SECRET_KEY")
    if from_env:
        return from_env
    path = instance_path / SECRET_KEY_FILE
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    key = secrets.token_hex(32)
    instance_path.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: when several workers start at once, the first writes and the others read it.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


def normalise_database_url(url: str) -> str:
    """Accept the common ``postgres://`` and ``postgresql://`` spellings; we drive psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def default_config(instance_path: Path) -> dict[str, Any]:
    url = os.environ.get("QUIZAPP_DATABASE_URL") or f"sqlite:///{instance_path / 'quizapp.db'}"
    return {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "QUIZAPP_BUNDLED_DECKS": None,  # None: the decks/ folder of this installation
        # SQLite: how long a writer waits for the lock before the request is answered 503.
        "QUIZAPP_SQLITE_BUSY_TIMEOUT_MS": 5000,
    }
