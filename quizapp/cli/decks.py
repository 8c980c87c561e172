"""``quizapp validate FILE...`` and ``quizapp import [PATH...]``: deck files in and checked."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from quizapp.domain.deckfile import DeckFileError, load_deck_file
from quizapp.services.decks import expand_deck_paths, import_paths
from quizapp.services.setup import bundled_decks_dir


@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(files: tuple[Path, ...]) -> None:
    """Check deck files; print every problem as file:line: message."""
    bad = 0
    paths = expand_deck_paths(list(files))
    for path in paths:
        try:
            deck = load_deck_file(path)
        except DeckFileError as exc:
            bad += 1
            for problem in exc.problems:
                click.echo(str(problem), err=True)
        else:
            click.echo(f"{path}: ok ({len(deck.questions)} questions)")
    if bad:
        raise click.exceptions.Exit(1)


@click.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@with_appcontext
def import_decks(paths: tuple[Path, ...]) -> None:
    """Load deck files or folders (default: the bundled decks) into the database."""
    targets = list(paths) or [bundled_decks_dir(current_app)]
    failed = 0
    results = import_paths(targets)
    if not results:
        raise click.ClickException(
            f"no deck files (*.yaml) in {', '.join(map(str, targets))}")
    for result in results:
        if result.summary:
            click.echo(f"{result.path}: {result.summary.line()}")
            for key in result.summary.restarted:
                click.echo(f"  restarted {key}: its answer changed, learners start it anew")
        else:
            failed += 1
            for problem in result.problems:
                click.echo(str(problem), err=True)
    if failed:
        raise click.exceptions.Exit(1)
