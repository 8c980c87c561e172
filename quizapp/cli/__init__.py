"""The ``quizapp`` console script: one click group, one module per command (or group).

``quizapp X`` and ``flask --app quizapp X`` reach the same commands: :func:`register` adds them to
the app's CLI, and :data:`cli` is a FlaskGroup that builds the app and lists them. ``db`` (upgrade,
downgrade, migrate, ...) comes from Flask-Migrate.
"""

from __future__ import annotations

import click
from flask.cli import FlaskGroup

from . import backup, bench, build, decks, evaluate, export, fsrs, serve, users


def commands() -> list[click.Command]:
    """Every command quizapp adds, in the order ``quizapp --help`` lists them."""
    return [
        serve.serve,
        build.build,
        evaluate.evaluate,
        decks.validate,
        decks.import_decks,
        export.export,
        users.user_group,
        fsrs.fsrs_group,
        bench.bench,
    ]


def register(app) -> None:
    for command in commands():
        app.cli.add_command(command)
    from flask_migrate.cli import db as db_group

    backup.register(db_group)  # quizapp db backup / db restore


def _create_app():
    from quizapp import create_app

    return create_app()


class QuizappGroup(FlaskGroup):
    """Flask's group without Flask's own options (``--app``, ``--env-file``, ``--debug``): quizapp
    makes its own app, so ``quizapp --help`` lists only what quizapp offers."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.params = [p for p in self.params if p.name not in ("app", "env_file", "debug")]


cli = QuizappGroup(
    create_app=_create_app,
    add_default_commands=False,
    add_version_option=False,
    help="quizapp: question decks from articles, studied with spaced repetition.",
)
