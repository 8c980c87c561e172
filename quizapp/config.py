"""Configuration from the environment, with safe defaults for one machine.

``QUIZAPP_DATABASE_URL``: any SQLAlchemy URL; default SQLite in the instance folder.
``QUIZAPP_INSTANCE_PATH``: the instance folder (database, secret key, metrics files), an absolute
path; default ``<prefix>/var/quizapp-instance`` for an installed package, ``instance/`` in a
checkout.
``QUIZAPP_SECRET_KEY``: when unset, a random key is generated once and kept in the instance folder
(mode 0600), so sessions survive restarts and every process of one installation shares it.

Running behind a reverse proxy / on a public address (docs/deployment.md, docs/security.md):

``QUIZAPP_TRUSTED_PROXIES``: how many reverse proxies stand in front of the app (default 0). With
N > 0 the client address and scheme are taken from the last N ``X-Forwarded-For`` /
``X-Forwarded-Proto`` hops (werkzeug's ProxyFix); rate limits then see real clients.
``QUIZAPP_SECURE_COOKIES``: ``1`` marks the session and remember cookies Secure (HTTPS only).
``QUIZAPP_BASE_URL``: the site's public address (``https://quiz.example.org``); absolute links
(class join links) are built from it instead of the request's Host header.
``QUIZAPP_TRUSTED_HOSTS``: comma-separated host names the app answers to (Flask's
``TRUSTED_HOSTS``); any other Host header gets 400.

Email (password-reset links; without ``QUIZAPP_SMTP_HOST`` admins issue reset links instead):
``QUIZAPP_SMTP_HOST``, ``QUIZAPP_SMTP_PORT`` (default 465 with ``_SSL``, 587 with ``_STARTTLS``,
else 25), ``QUIZAPP_SMTP_USERNAME`` and ``QUIZAPP_SMTP_PASSWORD`` (both or neither),
``QUIZAPP_SMTP_STARTTLS=1`` or ``QUIZAPP_SMTP_SSL=1`` (not both), ``QUIZAPP_SMTP_FROM`` (the
sender address; required with a host). Read by :func:`smtp_settings`.

Who may create an account (docs/security.md):

``QUIZAPP_REGISTRATION``: ``open`` (default: anyone registers), ``invite`` (only with an invite
link, or through a class join link), or ``closed`` (no self-registration; admins create accounts
and send invites).

Single sign-on with OpenID Connect (optional; docs/deployment.md), on when the first three are set:

``QUIZAPP_OIDC_ISSUER``: the provider's issuer URL (its ``/.well-known/openid-configuration`` is
read from there). ``QUIZAPP_OIDC_CLIENT_ID`` and ``QUIZAPP_OIDC_CLIENT_SECRET`` (or
``QUIZAPP_OIDC_CLIENT_SECRET_FILE``, a file holding it): this site's client at the provider.
``QUIZAPP_OIDC_NAME``: the provider's name on the "Sign in with …" button (default "single
sign-on").

Secrets from files (Docker/compose secrets, systemd credentials): every setting read here through
:func:`setting` also accepts ``<NAME>_FILE``, the path of a file holding the value (its trailing
newline dropped): ``QUIZAPP_SECRET_KEY_FILE``, ``QUIZAPP_DATABASE_URL_FILE``,
``QUIZAPP_METRICS_TOKEN_FILE``, ... Setting both ``NAME`` and ``NAME_FILE`` is an error.

Operations (docs/deployment.md): ``QUIZAPP_LOG_FORMAT`` (``text`` or ``json``),
``QUIZAPP_METRICS`` (``1`` serves Prometheus metrics at ``/metrics``), ``QUIZAPP_METRICS_TOKEN``
(a bearer token /metrics then requires).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from .domain.mail import SmtpSettings

SECRET_KEY_FILE = "secret_key"


class ConfigError(ValueError):
    """A setting from the environment that cannot be used; the message says which and why."""


def setting(name: str, default: str | None = None) -> str | None:
    """The setting ``name`` from the environment, or from the file ``<name>_FILE`` names.

    An empty value counts as unset. :class:`ConfigError` when both are set, or when the file cannot
    be read (the message names the variable and the file).
    """
    value = os.environ.get(name)
    path = os.environ.get(f"{name}_FILE")
    if path:
        if value:
            raise ConfigError(f"{name} and {name}_FILE are both set: keep one")
        try:
            value = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ConfigError(f"{name}_FILE={path!r}: cannot read it ({reason})") from None
    return value if value else default


def load_secret_key(instance_path: Path) -> str:
    """The secret key from the environment, else from (or newly written to) the instance folder."""
    from_env = setting("QUIZAPP_SECRET_KEY")
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
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _flag(name: str, environ: Any = None) -> bool:
    raw = environ.get(name, "") if environ is not None else setting(name)
    value = (raw or "").strip().lower()
    if value in ("", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise ConfigError(f"{name}={value!r}: use 1 or 0")


def trusted_proxies(value: str | int | None) -> int:
    """The number of trusted proxy hops in ``value`` (0 for unset); :class:`ConfigError`."""
    if value is None or value == "":
        return 0
    try:
        hops = int(value)
    except ValueError:
        raise ConfigError(
            f"QUIZAPP_TRUSTED_PROXIES={value!r}: a number of proxies, e.g. 1"
        ) from None
    if not 0 <= hops <= 10:
        raise ConfigError(f"QUIZAPP_TRUSTED_PROXIES={value!r}: between 0 and 10")
    return hops


def base_url(value: str | None) -> str | None:
    """``QUIZAPP_BASE_URL`` without a trailing slash, or None; :class:`ConfigError`."""
    value = (value or "").strip().rstrip("/")
    if not value:
        return None
    scheme, sep, rest = value.partition("://")
    if scheme not in ("http", "https") or not sep or not rest or any(c in rest for c in "?#@ "):
        raise ConfigError(
            f"QUIZAPP_BASE_URL={value!r}: an address such as https://quiz.example.org"
        )
    return value


def smtp_settings(environ: Any = None) -> SmtpSettings | None:
    """The outgoing mail server from ``QUIZAPP_SMTP_*``, or None when no host is set;
    :class:`ConfigError` names the setting that cannot be used."""
    env = os.environ if environ is None else environ
    host = env.get("QUIZAPP_SMTP_HOST", "").strip()
    if not host:
        return None
    ssl = _flag("QUIZAPP_SMTP_SSL", env)
    starttls = _flag("QUIZAPP_SMTP_STARTTLS", env)
    if ssl and starttls:
        raise ConfigError(
            "QUIZAPP_SMTP_SSL and QUIZAPP_SMTP_STARTTLS: set one of them, not both "
            "(SSL for port 465, STARTTLS for port 587)"
        )
    port_text = env.get("QUIZAPP_SMTP_PORT", "").strip()
    if port_text:
        if not (port_text.isascii() and port_text.isdigit() and 0 < int(port_text) < 65536):
            raise ConfigError(f"QUIZAPP_SMTP_PORT={port_text!r}: a port number such as 587")
        port = int(port_text)
    else:
        port = 465 if ssl else 587 if starttls else 25
    username = env.get("QUIZAPP_SMTP_USERNAME", "")
    password = (
        env.get("QUIZAPP_SMTP_PASSWORD", "")
        if environ is not None
        else setting("QUIZAPP_SMTP_PASSWORD") or ""
    )
    if bool(username) != bool(password):
        raise ConfigError("QUIZAPP_SMTP_USERNAME and QUIZAPP_SMTP_PASSWORD: set both or neither")
    sender = env.get("QUIZAPP_SMTP_FROM", "").strip()
    if not sender or "@" not in sender or any(c in sender for c in "\r\n"):
        raise ConfigError(
            f"QUIZAPP_SMTP_FROM={sender!r}: the sender's address, such as "
            "quizapp@example.org (needed when QUIZAPP_SMTP_HOST is set)"
        )
    return SmtpSettings(
        host=host,
        port=port,
        sender=sender,
        username=username or None,
        password=password or None,
        ssl=ssl,
        starttls=starttls,
    )


REGISTRATION_MODES = ("open", "invite", "closed")


def registration_mode(value: str | None) -> str:
    """``QUIZAPP_REGISTRATION`` checked (``open`` when unset); :class:`ConfigError`."""
    value = (value or "").strip().lower() or "open"
    if value not in REGISTRATION_MODES:
        raise ConfigError(f"QUIZAPP_REGISTRATION={value!r}: one of {', '.join(REGISTRATION_MODES)}")
    return value


OIDC_SETTINGS = ("QUIZAPP_OIDC_ISSUER", "QUIZAPP_OIDC_CLIENT_ID", "QUIZAPP_OIDC_CLIENT_SECRET")


def oidc_settings() -> dict[str, Any] | None:
    """The OpenID Connect client settings, or None when single sign-on is off; a
    :class:`ConfigError` naming what is missing when only some are set."""
    values = {name: (setting(name) or "").strip() for name in OIDC_SETTINGS}
    if not any(values.values()):
        return None
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise ConfigError(
            f"single sign-on needs {', '.join(missing)} too (or unset "
            f"{', '.join(n for n in OIDC_SETTINGS if n not in missing)})"
        )
    issuer = values["QUIZAPP_OIDC_ISSUER"].rstrip("/")
    scheme = issuer.partition("://")[0]
    if scheme not in ("http", "https"):
        raise ConfigError(
            f"QUIZAPP_OIDC_ISSUER={issuer!r}: an address such as "
            "https://login.example.org/realms/school"
        )
    return {
        "issuer": issuer,
        "client_id": values["QUIZAPP_OIDC_CLIENT_ID"],
        "client_secret": values["QUIZAPP_OIDC_CLIENT_SECRET"],
        "name": os.environ.get("QUIZAPP_OIDC_NAME", "").strip() or "single sign-on",
    }


def log_format(value: str | None) -> str:
    """``QUIZAPP_LOG_FORMAT``: ``text`` (the default) or ``json``; :class:`ConfigError`."""
    value = (value or "text").strip().lower()
    if value not in ("text", "json"):
        raise ConfigError(f"QUIZAPP_LOG_FORMAT={value!r}: use text or json")
    return value


def default_config(instance_path: Path) -> dict[str, Any]:
    url = setting("QUIZAPP_DATABASE_URL") or f"sqlite:///{instance_path / 'quizapp.db'}"
    secure = _flag("QUIZAPP_SECURE_COOKIES")
    hosts = [h.strip() for h in (setting("QUIZAPP_TRUSTED_HOSTS") or "").split(",") if h.strip()]
    return {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": 6 * 1024 * 1024,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        # As long as a sign-in lives (quizapp.services.signins.SIGN_IN_LIFETIME).
        "REMEMBER_COOKIE_DURATION": timedelta(days=30),
        "TRUSTED_HOSTS": hosts or None,
        "QUIZAPP_TRUSTED_PROXIES": trusted_proxies(setting("QUIZAPP_TRUSTED_PROXIES")),
        "QUIZAPP_BASE_URL": base_url(setting("QUIZAPP_BASE_URL")),
        "QUIZAPP_LOG_FORMAT": log_format(setting("QUIZAPP_LOG_FORMAT")),
        "QUIZAPP_METRICS": _flag("QUIZAPP_METRICS"),
        "QUIZAPP_METRICS_TOKEN": setting("QUIZAPP_METRICS_TOKEN"),
        # Outgoing mail (password-reset links), or None: see smtp_settings().
        "QUIZAPP_SMTP": smtp_settings(),
        "QUIZAPP_REGISTRATION": registration_mode(setting("QUIZAPP_REGISTRATION")),
        "QUIZAPP_OIDC": oidc_settings(),
        "WTF_CSRF_TIME_LIMIT": None,
        "QUIZAPP_BUNDLED_DECKS": None,  # None: the decks/ folder of this installation
        # SQLite: how long a writer waits for the lock before the request is answered 503.
        "QUIZAPP_SQLITE_BUSY_TIMEOUT_MS": 5000,
    }
