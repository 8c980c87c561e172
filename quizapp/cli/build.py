"""``quizapp build SOURCE... [--out DIR]``: deck files from articles.

Plain click, no Flask app: building decks touches files only. One line per source file, the
deck written and its question count or the file and what is wrong with it; the exit code is 1
when any file failed (the others are still written).
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command("build")
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--out",
    "out_dir",
    default="decks",
    show_default=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="Folder the deck files (<slug>.yaml) are written to.",
)
def build(sources: tuple[Path, ...], out_dir: Path) -> None:
    """Build a deck file from each article (.txt, .md or .html); a folder is read
    recursively for article files.

    Rebuilding over an existing deck file keeps question ids, and keeps every question an
    instructor edited or added by hand (see docs/deck-builder.md).
    """
    from quizapp.domain.builder import build_decks

    report = build_decks(list(sources), out_dir)
    for result in report.results:
        if result.ok:
            note = "" if result.changed else ", unchanged"
            kept = f", {len(result.kept_edits)} hand-edited kept" if result.kept_edits else ""
            click.echo(f"{result.output}: {result.questions} questions{note}{kept}")
        else:
            click.echo(result.error, err=True)
    if not report.ok:
        failed = len(report.failed)
        click.echo(
            f"{failed} of {len(report.results)} file{'s' if failed != 1 else ''} failed", err=True
        )
        raise SystemExit(1)


if __name__ == "__main__":  # pragma: no cover - ``python -m quizapp.cli.build``
    build()
