"""``quizapp evaluate [CORPUS_DIR ...] [--format table|json] [--show-questions]``: build every
corpus article alone with the real builder and score the decks against the gold annotations.

Plain click, no Flask app. Each corpus folder is reported as its own block (default: the
development and held-out corpora in tests/corpus). See docs/deck-builder.md, "Evaluation".
"""

from __future__ import annotations

import json
from pathlib import Path

import click

DEFAULT_CORPORA = ("tests/corpus/dev", "tests/corpus/heldout")


@click.command("evaluate")
@click.argument("corpora", nargs=-1, type=click.Path(path_type=Path, file_okay=False, exists=True))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table for people or JSON for scripts and tests.",
)
@click.option(
    "--show-questions",
    is_flag=True,
    help="List every question with its grade and the defects found.",
)
@click.option(
    "--only",
    multiple=True,
    metavar="ARTICLE",
    help="Evaluate only this article (file name or stem); repeatable.",
)
@click.option(
    "--calibration",
    type=click.Path(path_type=Path, dir_okay=False, exists=True),
    help="Instead of building, compare the automatic grades with the hand grades in "
    "this file (tests/corpus/calibration.yaml).",
)
def evaluate(
    corpora: tuple[Path, ...],
    fmt: str,
    show_questions: bool,
    only: tuple[str, ...],
    calibration: Path | None,
) -> None:
    """Score the deck builder on gold-annotated corpora (tests/corpus/dev and heldout)."""
    from quizapp.evaluation import evaluate_corpus
    from quizapp.evaluation.gold import GoldError
    from quizapp.evaluation.report import as_json, table

    if calibration is not None:
        _calibration(calibration, fmt, show_questions)
        return

    folders = list(corpora) or [Path(p) for p in DEFAULT_CORPORA if Path(p).is_dir()]
    if not folders:
        raise click.UsageError(
            "no corpus folder given and tests/corpus/dev is not here; "
            "run from the repository root or name a folder"
        )
    try:
        blocks = [evaluate_corpus(f, list(only) or None) for f in folders]
    except GoldError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps(as_json(blocks, show_questions), indent=2))
    else:
        click.echo(table(blocks, show_questions))


def _calibration(path: Path, fmt: str, show_questions: bool) -> None:
    from quizapp.evaluation import calibration
    from quizapp.evaluation.gold import GoldError

    try:
        agreements = calibration.measure(path)
    except GoldError as exc:
        raise click.ClickException(str(exc)) from exc
    if fmt == "json":
        click.echo(json.dumps([a.as_dict() for a in agreements], indent=2))
        return
    click.echo(calibration.table(agreements))
    if show_questions:
        for a in agreements[:-1]:
            for line in a.differences:
                click.echo(f"  [{a.name}] {line}")


if __name__ == "__main__":  # pragma: no cover - ``python -m quizapp.cli.evaluate``
    evaluate()
