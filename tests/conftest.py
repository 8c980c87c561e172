"""Fixtures for every area: a fresh app and database per test, a client, a CLI runner, a live
server and a real Chromium driven by Playwright.

The database is SQLite in a temporary folder (a copy of an empty schema made once per session)
unless ``QUIZAPP_TEST_DATABASE_URL`` names another (PostgreSQL in CI). With PostgreSQL the schema
is created once (per pytest-xdist worker, in a database of its own) and every table is emptied
after each test, which keeps the suite fast without sharing state between tests.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from quizapp import create_app
from quizapp.extensions import db
from quizapp.models import Deck, User

from .factories import Clock, Factory

TEST_DATABASE_URL = os.environ.get("QUIZAPP_TEST_DATABASE_URL", "")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
CHROMIUM = "/usr/bin/chromium"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def pytest_report_header(config) -> str:
    engine = TEST_DATABASE_URL.split(":", 1)[0] if TEST_DATABASE_URL else "sqlite (per test)"
    return f"quizapp test database: {engine}"


def require_postgres_url() -> str:
    """The PostgreSQL URL under test; fail loudly in CI, skip with a reason elsewhere."""
    url = TEST_DATABASE_URL or os.environ.get("QUIZAPP_POSTGRES_URL", "")
    if not url.startswith("postgresql"):
        if IN_CI:
            pytest.fail("CI needs PostgreSQL: set QUIZAPP_TEST_DATABASE_URL (see .ci/run)")
        pytest.skip("PostgreSQL not configured: set QUIZAPP_TEST_DATABASE_URL to run this test")
    try:
        engine = sa.create_engine(url)
        with engine.connect():
            pass
        engine.dispose()
    except sa.exc.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL at {url} is not answering: {exc.orig}")
        pytest.skip(f"PostgreSQL at {url} is not answering")
    return url


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing():
    """argon2id with its smallest cost: the same code path, without 50 ms per hash in tests."""
    from argon2 import PasswordHasher

    from quizapp.services import accounts

    original = accounts._hasher
    accounts._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    accounts._hasher = original


@pytest.fixture(autouse=True, scope="session")
def _url_builders_compiled_on_first_use():
    """Werkzeug compiles two URL-building functions (Python source, ``compile()``) for every
    route of every new app: about a quarter of the CPU time of ``create_app``, paid by each of the
    suite's ~1,300 fresh apps, though a test builds URLs for a few routes. Here each is compiled
    the first time it is used instead; the same generated code builds the same URLs."""
    from werkzeug.routing.rules import Rule

    original = getattr(Rule, "_compile_builder", None)
    if original is None:  # another werkzeug: nothing to do
        yield
        return

    def compile_on_first_use(self, append_unknown=True):
        compiled = None

        def build(rule, **values):
            nonlocal compiled
            if compiled is None:
                compiled = original(rule, append_unknown)
            return compiled(rule, **values)

        return build

    Rule._compile_builder = compile_on_first_use
    yield
    Rule._compile_builder = original


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory) -> Path:
    """An empty SQLite database with every table, made once per session (per xdist worker):
    each test copies the file instead of running ``create_all`` (a third of a test app's cost)."""
    path = tmp_path_factory.mktemp("schema") / "schema.db"
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "SECRET_KEY": "test"}
    )
    with app.app_context():
        db.create_all()
        db.engine.dispose()  # the last connection checkpoints the WAL: the file is complete
    return path


@pytest.fixture(scope="session")
def shared_database_url() -> Iterator[str | None]:
    """A server database shared by the session (schema made once), or None for SQLite files."""
    if not TEST_DATABASE_URL:
        yield None
        return
    url = (
        require_postgres_url()
        if TEST_DATABASE_URL.startswith("postgresql")
        else (TEST_DATABASE_URL)
    )
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and url.startswith("postgresql"):
        # pytest-xdist: each worker process empties tables after each test, so each needs its
        # own database on the server (test_gw0, test_gw1, ...).
        url = _worker_database(url, worker)
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        db.engine.dispose()
    yield url
    if worker and url.startswith("postgresql"):
        _drop_database(url)


def _worker_database(url: str, worker: str) -> str:
    """A fresh database ``<name>_<worker>`` beside ``url``'s, on the same server."""
    base = sa.make_url(url)
    name = f"{base.database}_{worker}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def _drop_database(url: str) -> None:
    target = sa.make_url(url)
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def app(tmp_path: Path, shared_database_url: str | None, request):
    if shared_database_url is None:
        shutil.copyfile(request.getfixturevalue("sqlite_schema"), tmp_path / "test.db")
    url = shared_database_url or f"sqlite:///{tmp_path / 'test.db'}"
    bundled = tmp_path / "bundled-decks"
    shutil.copytree(PROJECT_ROOT / "decks", bundled, ignore=shutil.ignore_patterns("sources"))
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "QUIZAPP_BUNDLED_DECKS": str(bundled),
            "QUIZAPP_PENDING_UPLOADS": str(tmp_path / "pending-uploads"),
        }
    )
    with app.app_context():
        yield app
        db.session.remove()
        if shared_database_url is None:
            db.engine.dispose()
        else:
            _empty_tables()


def _empty_tables() -> None:
    tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def factory(app) -> Factory:
    return Factory()


class AuthActions:
    """Sign a test client in as a user, without going through the sign-in form."""

    def __init__(self, client):
        self._client = client

    def login(self, user) -> None:
        """A real sign-in (its own credential, as the sign-in form makes) in the session."""
        from flask import g

        from quizapp.models import utcnow
        from quizapp.services import signins

        g.pop("_login_user", None)  # flask-login caches the user on the long-lived test context
        credential = signins.start(user, now=utcnow())
        with self._client.session_transaction() as session:
            session["_user_id"] = credential
            session["_fresh"] = True

    def logout(self) -> None:
        from flask import g

        g.pop("_login_user", None)
        with self._client.session_transaction() as session:
            session.clear()


#: Where :func:`clock` starts unless the test (or its module) says otherwise with
#: ``@pytest.mark.start_time(datetime(...))`` (``pytestmark = ...`` for a whole file).
DEFAULT_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock(app, request) -> Clock:
    """The app's clock (``QUIZAPP_NOW``), stopped at the ``start_time`` marker's moment (or
    :data:`DEFAULT_START`); ``clock.advance(days=1)`` moves every page and service call on."""
    marker = request.node.get_closest_marker("start_time")
    start = marker.args[0] if marker is not None else DEFAULT_START
    app.config["QUIZAPP_NOW"] = moved = Clock(start)
    return moved


@pytest.fixture
def learner(factory) -> User:
    """A learner account (not signed in)."""
    return factory.user()


@pytest.fixture
def deck(factory) -> Deck:
    """The sample deck (one question of every type), public and published."""
    return factory.deck("sample-deck")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


# --- the real browser -----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def live_server(app):
    """The app served on a free localhost port in a background thread (CSRF on, as in real use)."""
    app.config["WTF_CSRF_ENABLED"] = True
    port = _free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{port}"
    yield server
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser_instance():
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser_instance, live_server):
    """A fresh browser tab (own cookies) with ``page.base_url`` set to the live server."""
    context = browser_instance.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    tab.base_url = live_server.url
    yield tab
    context.close()


# --- a real SMTP server ---------------------------------------------------------------------


class Mailbox:
    """Messages an aiosmtpd server on 127.0.0.1 received; :meth:`wait` for the next one."""

    def __init__(self):
        self.messages: list = []
        self.logins: list[str] = []
        self._arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._arrived:
            self.messages.append(message)
            self._arrived.notify_all()
        return "250 OK"

    def wait(self, count: int = 1, timeout: float = 10.0) -> list:
        """The first ``count`` messages, once they have arrived (AssertionError after timeout)."""
        with self._arrived:
            arrived = self._arrived.wait_for(lambda: len(self.messages) >= count, timeout)
        assert arrived, f"expected {count} message(s), got {len(self.messages)}"
        return self.messages[:count]


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free localhost port, accepting the login ``quizapp`` /
    ``mail-secret``; yields ``(settings, mailbox)`` with the :class:`SmtpSettings` to reach it."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from quizapp.domain.mail import SmtpSettings

    mailbox = Mailbox()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (auth_data.login, auth_data.password) == (b"quizapp", b"mail-secret")
        if ok:
            mailbox.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)

    port = _free_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticator,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield (
            SmtpSettings(
                host="127.0.0.1",
                port=port,
                sender="quizapp@example.org",
                username="quizapp",
                password="mail-secret",
            ),
            mailbox,
        )
    finally:
        controller.stop()
