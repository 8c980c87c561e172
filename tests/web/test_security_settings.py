"""Security headers, the deployment settings (Secure cookies, trusted proxies, base URL, trusted
hosts) and the SQLite file's permissions: security findings 7, 17 and 20.

Apps with environment settings are made here on their own SQLite file, whatever database the
rest of the suite uses: these are about configuration, not the database.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import g

from quizapp import create_app
from quizapp.config import ConfigError
from quizapp.extensions import db
from quizapp.models import Role
from quizapp.services import accounts, classes, throttle
from tests.conftest import PROJECT_ROOT, _free_port
from tests.factories import PASSWORD

SETTINGS = (
    "QUIZAPP_SECURE_COOKIES",
    "QUIZAPP_TRUSTED_PROXIES",
    "QUIZAPP_BASE_URL",
    "QUIZAPP_TRUSTED_HOSTS",
)


@contextmanager
def _app_with(tmp_path: Path, monkeypatch, **env: str):
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "settings-test",
            "WTF_CSRF_ENABLED": False,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'settings.db'}",
            "QUIZAPP_BUNDLED_DECKS": str(tmp_path),
        }
    )
    with app.app_context():
        db.create_all()
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()


def _login(client, email="ada@example.com", password=PASSWORD, **request):
    g.pop("_login_user", None)
    return client.post(
        "/auth/login", data={"email": email, "password": password, "remember": "y"}, **request
    )


# --- headers (finding 17) -------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/auth/login",
        "/static/app.css",
        "/no/such/page",
        "/api/v1/decks",
        "/api/v1/openapi.yaml",
    ],
)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_templates_have_no_inline_script_handlers_or_styles():
    """The CSP forbids them; the browser test (tests/browser/test_csp.py) renders the pages."""
    found = []
    for path in sorted((PROJECT_ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (
            r"<script(?![^>]*\bsrc=)[^>]*>",
            r"\son[a-z]+\s*=",
            r"\sstyle\s*=",
            r"<style\b",
            r"javascript:",
        ):
            found += [f"{path.name}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert not found


# --- cookies (finding 17) -------------------------------------------------------------------


def _cookie_headers(response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}


@pytest.mark.parametrize(("setting", "secure"), [("1", True), ("0", False), (None, False)])
def test_secure_cookies_setting(tmp_path, monkeypatch, setting, secure):
    env = {"QUIZAPP_SECURE_COOKIES": setting} if setting is not None else {}
    with _app_with(tmp_path, monkeypatch, **env) as app:
        accounts.create_user("ada@example.com", PASSWORD)
        cookies = _cookie_headers(_login(app.test_client()))
        assert set(cookies) >= {"session", "remember_token"}
        for header in cookies.values():
            assert ("; Secure" in header) is secure, header
            assert "HttpOnly" in header and "SameSite=Lax" in header


def test_a_bad_setting_stops_the_app_with_a_clear_message(tmp_path, monkeypatch):
    for env, fragment in [
        ({"QUIZAPP_SECURE_COOKIES": "maybe"}, "use 1 or 0"),
        ({"QUIZAPP_TRUSTED_PROXIES": "all"}, "a number of proxies"),
        ({"QUIZAPP_BASE_URL": "quiz.example.org"}, "https://"),
    ]:
        with pytest.raises(ConfigError, match=fragment), _app_with(tmp_path, monkeypatch, **env):
            pass


# --- links and hosts (finding 17) -----------------------------------------------------------


def _join_link_shown(app, host: str) -> str:
    teacher = accounts.create_user("teacher@example.com", PASSWORD, Role.INSTRUCTOR)
    classroom = classes.create_class(teacher, "Bio 101")
    client = app.test_client()
    _login(client, "teacher@example.com", headers={"Host": host})
    g.pop("_login_user", None)
    page = client.get(f"/classes/{classroom.id}", headers={"Host": host})
    assert page.status_code == 200
    return re.search(r'https?://[^"<\s]*/classes/join/' + classroom.join_code, page.text)[0]


def test_join_links_come_from_the_base_url_not_the_host_header(tmp_path, monkeypatch):
    with _app_with(tmp_path, monkeypatch, QUIZAPP_BASE_URL="https://quiz.example.org/") as app:
        link = _join_link_shown(app, "evil.example")
        assert link.startswith("https://quiz.example.org/classes/join/")


def test_without_a_base_url_links_follow_the_host(tmp_path, monkeypatch):
    with _app_with(tmp_path, monkeypatch) as app:
        assert _join_link_shown(app, "quiz.local").startswith("http://quiz.local/classes/join/")


def test_trusted_hosts_refuse_other_host_headers(tmp_path, monkeypatch):
    with _app_with(
        tmp_path, monkeypatch, QUIZAPP_TRUSTED_HOSTS="quiz.example.org, localhost"
    ) as app:
        client = app.test_client()
        assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
        assert client.get("/", headers={"Host": "quiz.example.org"}).status_code == 200
        link = _join_link_shown(app, "quiz.example.org")
        assert link.startswith("http://quiz.example.org/")


# --- the client address behind a proxy (finding 7) ------------------------------------------


def _fail_then_try(client, forwarded_for: str, *, times: int) -> int:
    for _ in range(times):
        _login(client, password="wrong password", headers={"X-Forwarded-For": forwarded_for})
    return _login(client, headers={"X-Forwarded-For": forwarded_for}).status_code


def test_behind_a_trusted_proxy_each_client_is_limited_on_its_own(tmp_path, monkeypatch):
    with _app_with(tmp_path, monkeypatch, QUIZAPP_TRUSTED_PROXIES="1") as app:
        accounts.create_user("ada@example.com", PASSWORD)
        client = app.test_client()
        assert _fail_then_try(client, "203.0.113.9", times=throttle.SIGN_IN_ACCOUNT.most) == 429
        # Same proxy (127.0.0.1), another client: not locked out.
        assert _login(client, headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 302
        # A client cannot choose its address by sending more hops than the proxy adds.
        spoofed = _login(client, headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9"})
        assert spoofed.status_code == 429


def test_without_trusted_proxies_forwarded_headers_are_ignored(tmp_path, monkeypatch):
    with _app_with(tmp_path, monkeypatch) as app:
        accounts.create_user("ada@example.com", PASSWORD)
        client = app.test_client()
        assert _fail_then_try(client, "203.0.113.9", times=throttle.SIGN_IN_ACCOUNT.most) == 429
        # Forging another X-Forwarded-For does not get the attacker a fresh allowance.
        assert _login(client, headers={"X-Forwarded-For": "198.51.100.7"}).status_code == 429


def test_serve_trusted_proxies_option_reaches_the_workers(tmp_path):
    """``quizapp serve --trusted-proxies 1``: gunicorn workers see the forwarded client."""
    port = _free_port()
    env = {
        **os.environ,
        "QUIZAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "QUIZAPP_SECRET_KEY": "serve-test",
        "PYTHONPATH": str(PROJECT_ROOT),
    }
    for name in ("QUIZAPP_TEST_DATABASE_URL", *SETTINGS):
        env.pop(name, None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "quizapp",
            "serve",
            "--port",
            str(port),
            "--workers",
            "1",
            "--trusted-proxies",
            "1",
            "--no-access-log",
        ],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/api/v1/tokens"

    def token(address: str, email: str) -> int:
        request = urllib.request.Request(
            url,
            method="POST",
            headers={"Content-Type": "application/json", "X-Forwarded-For": address},
            data=f'{{"email": "{email}", "password": "wrong password"}}'.encode(),
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code

    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise AssertionError(
                        f"server did not start:\n{process.stdout.read()}"
                    ) from None
                time.sleep(0.3)
        most = throttle.SIGN_IN_ADDRESS.most
        statuses = [token("203.0.113.9", f"guess{i}@example.com") for i in range(most)]
        assert statuses == [401] * most
        assert token("203.0.113.9", "one-more@example.com") == 429
        # Another client behind the same proxy is not limited by the first one's failures.
        assert token("198.51.100.7", "one-more@example.com") == 401
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


# --- the SQLite file (finding 20) -----------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_sqlite_file_and_its_folder_are_the_owners_only(tmp_path):
    old = os.umask(0o022)
    try:
        folder = tmp_path / "data"
        url = f"sqlite:///{folder / 'quizapp.db'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
        with app.app_context():
            db.create_all()
            accounts.create_user("ada@example.com", PASSWORD)
            extra = [p for p in folder.iterdir() if p.name != "quizapp.db"]  # -wal, -shm
            assert _mode(folder) == 0o700
            assert _mode(folder / "quizapp.db") == 0o600
            assert all(_mode(p) == 0o600 for p in extra), [(p.name, oct(_mode(p))) for p in extra]
            db.engine.dispose()
        # A file an older version left readable by everyone is tightened.
        (folder / "quizapp.db").chmod(0o644)
        create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "x"})
        assert _mode(folder / "quizapp.db") == 0o600
    finally:
        os.umask(old)
