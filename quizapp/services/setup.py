"""Getting a database ready to serve: migrated to head, with the bundled decks when it has none."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app
from flask_migrate import upgrade

from quizapp.extensions import db
from quizapp.resources import resource_dir

from .decks import has_decks, import_paths


def bundled_decks_dir(app: Flask) -> Path:
    return Path(app.config.get("QUIZAPP_BUNDLED_DECKS") or resource_dir("decks"))


def prepare_database() -> list[str]:
    """Upgrade the schema to head; import the bundled decks into an empty database.

    Returns lines describing what was done, for the operator.
    """
    upgrade()
    where = db.engine.url.render_as_string(hide_password=True)
    if has_decks():
        return [f"database {where} is up to date"]
    lines = [f"database {where} is empty: importing the bundled decks"]
    for result in import_paths([bundled_decks_dir(current_app)]):
        lines.append(f"  {result.summary.line()}" if result.summary
                     else "\n".join(f"  {p}" for p in result.problems))
    return lines
