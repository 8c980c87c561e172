"""``quizapp validate FILE...`` and ``quizapp import [PATH...]``: deck files in and checked.

``quizapp import`` also reads other formats by extension (CSV/TSV/TXT, GIFT, Moodle XML:
``docs/interop.md``).
"""

from __future__ import annotations

import re
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from quizapp.domain.deckfile import DeckFileError, load_deck_file
from quizapp.domain.interop import IMPORT_READERS
from quizapp.domain.questions.lint import lint_deck
from quizapp.services import interop
from quizapp.services.accounts import find_user
from quizapp.services.decks import expand_deck_paths, import_paths
from quizapp.services.setup import bundled_decks_dir


@click.command("validate")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--strict", is_flag=True, help="Exit with 1 when the question linter warns about any question."
)
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
            click.echo(
                f"{where}: {warning.question_id}: {warning.field}: {warning.message}", err=True
            )
        warned += bool(warnings)
        note = f", {len(warnings)} warnings" if warnings else ""
        click.echo(f"{path}: ok ({len(deck.questions)} questions{note})")
    if bad or strict and warned:
        raise click.exceptions.Exit(1)


_ID_LINE = re.compile(r"^\s*-\s+id:\s*['\"]?(?P<id>[^'\"#\s]+)", re.M)


def _question_lines(path: Path) -> dict[str, int]:
    """The line of each question's ``- id:`` (the file was read and checked already)."""
    text = path.read_text(encoding="utf-8")
    return {m.group("id"): text.count("\n", 0, m.start()) + 1 for m in _ID_LINE.finditer(text)}


@click.command("import")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--separator",
    metavar="TEXT",
    help="CSV/TSV/TXT: the field separator, when the file does not say (e.g. ' - ').",
)
@click.option(
    "--user",
    "email",
    metavar="EMAIL",
    help=".apkg/.colpkg: record the package's review history as this learner's.",
)
@with_appcontext
def import_decks(paths: tuple[Path, ...], separator: str | None, email: str | None) -> None:
    """Load deck files or folders (default: the bundled decks) into the database.

    Files ending in .csv, .tsv, .txt (Anki text, Quizlet), .gift, .xml (Moodle), .apkg or
    .colpkg (Anki) are read in those formats; every row, question or note skipped is listed with
    its line or note id and why.
    """
    user = None
    if email:
        user = find_user(email)
        if user is None:
            raise click.ClickException(f"no user with the email {email!r}")
    targets = list(paths) or [bundled_decks_dir(current_app)]
    others = [p for p in targets if p.suffix.lower() in IMPORT_READERS and not p.is_dir()]
    targets = [p for p in targets if p not in others]
    failed = sum(not _import_other(path, separator, user) for path in others)
    if not targets:
        if failed:
            raise click.exceptions.Exit(1)
        return
    results = import_paths(targets)
    if not results:
        raise click.ClickException(f"no deck files (*.yaml) in {', '.join(map(str, targets))}")
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


def _import_other(path: Path, separator: str | None, user) -> bool:
    report = interop.import_file(path, separator=separator, user=user)
    for summary in report.summaries:
        click.echo(f"{path}: {summary.line()}")
        for key in summary.restarted:
            click.echo(f"  restarted {key}: its answer changed, learners start it anew")
    for skipped in report.skipped:
        click.echo(f"  {skipped}", err=True)
    for problem in report.problems:
        click.echo(problem, err=True)
    if user is not None and (report.history or report.history_skipped):
        click.echo(
            f"  review history: {report.history} reviews recorded for {user.email}, "
            f"{report.history_skipped} left out (reverse cards, cramming, reschedules)"
        )
    if report.history_left:
        click.echo(
            f"  review history: {report.history_left} reviews not imported; pass "
            "--user EMAIL to make them a learner's"
        )
    return report.ok
