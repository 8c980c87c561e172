"""``quizapp db backup PATH`` and ``quizapp db restore PATH`` (SQLite; PostgreSQL: pg_dump).

Both join Flask-Migrate's ``db`` group (``db upgrade``, ``db downgrade``, ...). See
:mod:`quizapp.services.backup` and docs/deployment.md, "Backups".
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from flask.cli import with_appcontext

from quizapp.services.backup import BackupError
from quizapp.services.backup import backup as backup_database
from quizapp.services.backup import restore as restore_database


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(path: Path) -> None:
    """Copy the SQLite database to PATH (a new file), safely while the app is serving."""
    try:
        done = backup_database(path)
    except BackupError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(
        f"backed up the database to {done.path} ({done.size:,} bytes, migration "
        f"{done.revision or 'none'})"
    )


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore(path: Path, yes: bool) -> None:
    """Replace the SQLite database by the backup PATH (what was written since is lost)."""
    if not yes:
        click.confirm(
            f"Replace the database by {path}? Everything written since that backup "
            "is lost (the database as it is now is kept beside it)",
            abort=True,
        )
    try:
        done = restore_database(path, now=datetime.now(UTC))
    except BackupError as exc:
        raise click.ClickException(exc.message) from None
    if done.kept:
        click.echo(f"the database as it was is kept in {done.kept}")
    click.echo(
        f"restored {done.path} from {path} (migration {done.revision})"
        + ("; migrated to this version's schema" if done.migrated else "")
    )


def register(db_group: click.Group) -> None:
    db_group.add_command(backup)
    db_group.add_command(restore)
