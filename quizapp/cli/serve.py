"""``quizapp serve``: migrate, load the bundled decks into an empty database, serve (gunicorn)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from quizapp.services.setup import prepare_database
from quizapp.web import metrics


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers",
    type=int,
    default=None,
    help="Worker processes (default: 1 on SQLite, one per core on PostgreSQL).",
)
@click.option(
    "--threads",
    type=int,
    default=None,
    help="Threads per worker (default: 4 on SQLite, 2 on PostgreSQL).",
)
@click.option(
    "--trusted-proxies",
    type=click.IntRange(0, 10),
    default=None,
    help="Reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed "
    "(default: QUIZAPP_TRUSTED_PROXIES, else 0). See docs/deployment.md.",
)
@click.option(
    "--access-log/--no-access-log",
    default=True,
    show_default=True,
    help="Log every request to standard output.",
)
@with_appcontext
def serve(
    host: str,
    port: int,
    workers: int | None,
    threads: int | None,
    trusted_proxies: int | None,
    access_log: bool,
) -> None:
    """Serve quizapp with gunicorn (production WSGI server)."""
    if trusted_proxies is not None:
        current_app.config["QUIZAPP_TRUSTED_PROXIES"] = trusted_proxies
    json_logs = current_app.config.get("QUIZAPP_LOG_FORMAT") == "json"
    # With JSON logs every line the operator sees is a JSON record; otherwise plain text.
    say = logging.getLogger("quizapp.serve").info if json_logs else click.echo
    report = prepare_database()
    for line in report:
        say(line)
    metrics_dir = None
    if current_app.config.get("QUIZAPP_METRICS"):
        metrics_dir = metrics.prepare_multiprocess_dir(Path(current_app.instance_path))
        say(f"metrics at /metrics (workers share {metrics_dir})")
    engine = current_app.extensions["sqlalchemy"].engine
    # Measured with `quizapp bench` on 2 cores (docs/benchmarks.md): one process per core with
    # two threads served the most study round trips on PostgreSQL; more processes only made them
    # fight for the cores. SQLite allows one writer at a time: one process with a few threads.
    sqlite = engine.dialect.name == "sqlite"
    if workers is None:
        workers = 1 if sqlite else os.cpu_count() or 1
    if threads is None:
        threads = 4 if sqlite else 2
    say(
        f"quizapp is serving on http://{host}:{port}/ (gunicorn, {workers} worker(s) x "
        f"{threads} threads; Ctrl+C stops it)"
    )
    hops = current_app.config.get("QUIZAPP_TRUSTED_PROXIES") or 0
    if hops:
        say(f"client addresses are taken from {hops} trusted proxy hop(s) of X-Forwarded-For")
    elif host not in ("127.0.0.1", "localhost", "::1"):
        say(
            "note: behind a reverse proxy, set --trusted-proxies (and QUIZAPP_BASE_URL, "
            "QUIZAPP_SECURE_COOKIES): see docs/deployment.md"
        )
    run_gunicorn(
        host=host,
        port=port,
        workers=workers,
        threads=threads,
        access_log=access_log and not json_logs,
        config=_passthrough_config(),
        json_logs=json_logs,
        metrics_dir=metrics_dir,
    )


def _passthrough_config() -> dict:
    """Settings given to this app that workers must see too (the URL and key, for tests)."""
    keys = ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "QUIZAPP_TRUSTED_PROXIES")
    return {k: current_app.config[k] for k in keys}


def run_gunicorn(
    *,
    host: str,
    port: int,
    workers: int,
    threads: int,
    access_log: bool,
    config: dict,
    json_logs: bool = False,
    metrics_dir: Path | None = None,
) -> None:
    from gunicorn.app.base import BaseApplication

    class QuizappServer(BaseApplication):
        def load_config(self) -> None:
            settings = {
                "bind": f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": "gthread",
                "accesslog": "-" if access_log else None,
                "timeout": 60,
                "graceful_timeout": 10,
            }
            # gunicorn 25+ opens a control socket in ~/.gunicorn/ by default: quizapp writes
            # nothing outside its instance folder, and has no use for it.
            if "control_socket_disable" in self.cfg.settings:
                settings["control_socket_disable"] = True
            if json_logs:
                from quizapp.web.requestlog import GUNICORN_JSON_LOGGING

                settings["logconfig_dict"] = GUNICORN_JSON_LOGGING
            if metrics_dir is not None:
                # A dead worker's files stay (its counts still count); its live gauges go.
                settings["child_exit"] = metrics.child_exit
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            from quizapp import create_app

            return create_app(config)

    QuizappServer().run()
