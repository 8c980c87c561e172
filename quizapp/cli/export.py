"""``quizapp export [--format F] [SLUG...] [--all] --out FILE``: decks from the database to a file.

The default format is an Anki package (``.apkg``); ``--format`` also writes CSV/TSV for Anki's text
import, GIFT, Moodle XML and IMS QTI 2.1 (``docs/interop.md``).
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from quizapp.domain.anki import ExportError
from quizapp.domain.interop import EXPORT_FORMATS, InteropError
from quizapp.services import interop
from quizapp.services.export import UnknownDecks, all_decks, decks_by_slug, export_decks


@click.command("export")
@click.argument("slugs", nargs=-1)
@click.option("--all", "every", is_flag=True, help="Every deck that has live questions.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The file to write (FILE.apkg for Anki); replaced if it exists.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["apkg", *EXPORT_FORMATS]),
    default="apkg",
    show_default=True,
    help="apkg: Anki package; csv/tsv: Anki text import; gift, moodle (XML), qti (2.1 zip).",
)
@click.option("--parent", metavar="NAME", help="Nest the decks under this Anki deck (NAME::Deck).")
@with_appcontext
def export(slugs: tuple[str, ...], every: bool, out: Path, fmt: str, parent: str | None) -> None:
    """Write decks (their live questions) to an Anki package or another quiz format.

    Name decks by slug, or pass --all. Import the file in Anki with File > Import; importing a
    newer export updates the notes in place and keeps their review history (docs/anki.md).
    Other formats: docs/interop.md.
    """
    if bool(slugs) == every:
        raise click.UsageError("name the decks to export by slug, or pass --all (not both)")
    if fmt != "apkg" and parent:
        raise click.UsageError("--parent nests Anki decks; it applies to --format apkg only")
    if fmt == "apkg" and out.suffix.lower() != ".apkg":
        raise click.UsageError(f"--out {out}: Anki opens .apkg files only; end the name in .apkg")
    try:
        decks = all_decks() if every else decks_by_slug(slugs)
    except UnknownDecks as exc:
        raise click.ClickException(
            f"{exc}; `quizapp import` loads deck files, and the decks page lists the slugs"
        ) from None
    if not decks:
        raise click.ClickException("there are no decks with questions to export")
    if fmt != "apkg":
        _export_other(decks, fmt, out)
        return
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


def _export_other(decks: list, fmt: str, out: Path) -> None:
    try:
        exported = interop.export_decks(decks, fmt)
    except InteropError as exc:
        raise click.ClickException(f"nothing written: {exc}") from None
    interop.write_file(exported, out)
    for skipped in exported.skipped:
        click.echo(f"  {skipped}", err=True)
    click.echo(
        f"{out}: {len(decks)} deck(s), {exported.questions} questions "
        f"({len(exported.skipped)} skipped), {len(exported.data) / 1024:.0f} KiB"
    )
