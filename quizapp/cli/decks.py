"""``quizapp validate FILE...`` and ``quizapp import [PATH...]``: deck files in and checked."""

from __future__ import annotations

import re
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from quizapp.domain.deckfile import DeckFileError, load_deck_file
from quizapp.domain.questions.lint import lint_deck
from quizapp.services.decks import expand_deck_paths, import_paths
from quizapp.services.setup import bundled_decks_dir


@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True,
              help="Exit with 1 when the question linter warns about any question.")
def validate(files: tuple[Path, ...], strict: bool) -> None:
    """Check deck files; print every problem as file:line: message, then the linter's
    warnings as file:line: question-id: warning (they fail the run only with --strict)."""
    bad = 0
    warned = 0
    paths = expand_deck_paths(list(files))
    for path in paths:
        try:
            deck = load_deck_file(path)
        except DeckFileError as exc:
            bad += 1
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            continue
        warnings = lint_deck(deck.questions)
        lines = _question_lines(path)
        for warning in warnings:
            line = lines.get(warning.question_id)
            where = f"{path}:{line}" if line else str(path)
            click.echo(f"{where}: {warning.question_id}: {warning.field}: {warning.message}",
                       err=True)
        warned += bool(warnings)
        note = f", {len(warnings)} warnings" if warnings else ""
        click.echo(f"{path}: ok ({len(deck.questions)} questions{note})")
    if bad or strict and warned:
        raise click.exceptions.Exit(1)


_ID_LINE = re.compile(r"^\s*-\s+id:\s*['\"]?(?P<id>[^'\"#\s]+)", re.M)


def _question_lines(path: Path) -> dict[str, int]:
    """The line of each question's ``- id:`` (the file was read and checked already)."""
    text = path.read_text(encoding="utf-8")
    return {m.group("id"): text.count("\n", 0, m.start()) + 1
            for m in _ID_LINE.finditer(text)}


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
