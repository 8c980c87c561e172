"""``quizapp export [SLUG...] [--all] --out FILE.apkg``: decks from the database to Anki."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from quizapp.domain.anki import ExportError
from quizapp.services.export import UnknownDecks, all_decks, decks_by_slug, export_decks


@click.command("export")
@click.argument("slugs", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Every deck that has live questions.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The package to write (FILE.apkg); replaced if it exists.",
)
@click.option("--parent", metavar="NAME", help="Nest the decks under this Anki deck (NAME::Deck).")
@with_appcontext
def export(slugs: tuple[str, ...], every: bool, out: Path, parent: str | None) -> None:
    """Write decks (their live questions) to an Anki package.

    Name decks by slug, or pass --all. Import the file in Anki with File > Import; importing a
    newer export updates the notes in place and keeps their review history (docs/anki.md).
    """
    if bool(slugs) == every:
        raise click.UsageError("name the decks to export by slug, or pass --all (not both)")
    if out.suffix.lower() != ".apkg":
        raise click.UsageError(f"--out {out}: Anki opens .apkg files only; end the name in .apkg")
    try:
        decks = all_decks() if every else decks_by_slug(slugs)
    except UnknownDecks as exc:
        raise click.ClickException(
            f"{exc}; `quizapp import` loads deck files, and the decks page lists the slugs"
        ) from None
    if not decks:
        raise click.ClickException("there are no decks with questions to export")
    try:
        stats = export_decks(decks, out, parent=parent)
    except ExportError as exc:
        raise click.ClickException(f"nothing written: {exc}") from None
    for name in stats.decks:
        click.echo(f"  {name}")
    click.echo(
        f"{out}: {len(stats.decks)} deck(s), {stats.notes} notes, {stats.cards} cards, "
        f"{stats.bytes / 1024:.0f} KiB"
    )
