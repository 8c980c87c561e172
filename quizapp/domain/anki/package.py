"""Writing decks to one Anki package (``.apkg``) file.

This module owns the package as a whole: Anki deck ids and names, the export timestamp and the
file itself. Notes come from :mod:`.notes`, note types from :mod:`.models`.

The timestamp matters: Anki updates a note that is already in a collection only when the package's
note is newer, and it compares whole seconds. Callers therefore pass ``now`` and must make it later
than any earlier export of the same decks; :func:`next_timestamp` does that arithmetic.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import genanki

from quizapp.domain.deck import Deck

from .notes import ExportError, NoteData, build_note, text

#: Deck ids live in [2**32, 2**40): above genanki's customary random ids (< 2**31) and below the
#: millisecond timestamps Anki gives the decks a learner makes (> 2**40 since 2004).
_DECK_ID_LOW, _DECK_ID_SPAN = 1 << 32, (1 << 40) - (1 << 32)
_COLONS = re.compile(r":{2,}")


@dataclass(frozen=True)
class PackageStats:
    """What was written: counts for a confirmation message, and the timestamp to remember."""

    path: Path
    decks: tuple[str, ...]
    notes: int
    cards: int
    bytes: int
    timestamp: float


def next_timestamp(previous: float | None, now: float) -> float:
    """A timestamp for the next export: ``now``, or one second past ``previous`` if that is later.

    Anki compares note times in whole seconds, so "later" means a later second.
    """
    if previous is None:
        return now
    return max(now, math.floor(previous) + 1.0)


def anki_deck_id(key: str) -> int:
    """A stable Anki deck id for a quizapp deck slug (or a parent deck name); never 1."""
    digest = hashlib.sha256(f"quizapp deck {key}".encode()).digest()
    return _DECK_ID_LOW + int.from_bytes(digest[:8], "big") % _DECK_ID_SPAN


def deck_name(title: str, parent: str | None = None) -> str:
    """The Anki deck name: the title, under ``parent`` when given (``Class::Deck``).

    ``::`` nests decks in Anki, so a ``::`` inside a title is reduced to ``:``; ``parent`` may
    itself be nested (``Course::Class``). Empty parts are dropped.
    """
    own = " ".join(_COLONS.sub(":", title).split())
    parts = [" ".join(p.split()) for p in (parent or "").split("::")] + [own]
    return "::".join(p for p in parts if p)


def write_package(
    decks: Sequence[Deck], path: Path, *, now: datetime, parent: str | None = None
) -> PackageStats:
    """Write ``decks`` as one Anki package at ``path`` and say what was written.

    Every question in the decks is exported (pass live questions only: retired ones are the
    caller's to leave out). Each deck becomes an Anki deck named after its title, nested under
    ``parent`` when given. ``now`` (timezone-aware) stamps every note and must be later than any
    earlier export of these decks, or Anki will not update notes on re-import.

    The file is complete or absent: it is written beside ``path`` and moved into place. Raises
    :class:`ExportError` (a ValueError) naming the deck and question when a question cannot be
    exported; nothing is written then.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware (UTC)")
    if not decks:
        raise ExportError("nothing to export: no decks given")
    seen: set[str] = set()
    for deck in decks:
        if deck.id in seen:
            raise ExportError(f"deck {deck.id!r} is given twice")
        seen.add(deck.id)

    package, names, notes, cards = _build(decks, parent)
    timestamp = now.timestamp()
    size = _write_deflated(package, Path(path), timestamp)
    return PackageStats(Path(path), names, notes, cards, size, timestamp)


def _build(
    decks: Sequence[Deck], parent: str | None
) -> tuple[genanki.Package, tuple[str, ...], int, int]:
    anki_decks: list[genanki.Deck] = []
    if parent and deck_name("", parent):
        # The parent itself, so it gets a stable id rather than one Anki makes up.
        name = deck_name("", parent)
        anki_decks.append(genanki.Deck(anki_deck_id(f"parent {name}"), name))
    models: dict[str, genanki.Model] = {}
    names: list[str] = []
    note_count = card_count = 0
    for deck in decks:
        name = deck_name(deck.title or deck.id, parent)
        if name in names:  # Two decks with one title would merge into one Anki deck.
            name = deck_name(f"{deck.title} ({deck.id})", parent)
        names.append(name)
        anki_deck = genanki.Deck(anki_deck_id(deck.id), name, text(deck.description))
        guids: set[str] = set()
        for question in deck.questions:
            data = build_note(deck.id, question)
            if data.guid in guids:
                raise ExportError(f"deck {deck.id!r}: question id {question.id!r} is used twice")
            guids.add(data.guid)
            anki_deck.add_note(_note(data, models))
            note_count += 1
            card_count += len(data.ordinals)
        anki_decks.append(anki_deck)
    return genanki.Package(anki_decks), tuple(names), note_count, card_count


class _Note(genanki.Note):
    """A genanki note whose cards are already known from the question's ordinals.

    genanki works the cards out again for every note by rendering or searching the templates;
    quizapp knows them (one card per template, or one per cloze deletion), which keeps a large
    export cheap. Overriding ``cards`` in a subclass is what genanki does for ``guid``.
    """

    def __init__(self, data: NoteData, model: genanki.Model) -> None:
        super().__init__(model=model, fields=data.fields, tags=data.tags, guid=data.guid)
        self._ordinals = data.ordinals

    @property
    def cards(self) -> list[genanki.Card]:
        if self.model.model_type == genanki.Model.CLOZE:
            return [genanki.Card(n - 1) for n in self._ordinals]
        return [genanki.Card(i) for i in range(len(self.model.templates))]


def _note(data: NoteData, models: dict[str, genanki.Model]) -> genanki.Note:
    model = models.get(data.note_type.question_type)
    if model is None:
        model = models[data.note_type.question_type] = data.note_type.to_genanki()
    return _Note(data, model)


def _zip_time(timestamp: float) -> tuple[int, int, int, int, int, int]:
    """A zip member's date (UTC, whole seconds; zip dates start in 1980)."""
    stamp = datetime.fromtimestamp(max(timestamp, 315532800), UTC)
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)


def _write_deflated(package: genanki.Package, path: Path, timestamp: float) -> int:
    """Write the package as genanki lays it out, but DEFLATE-compressed, atomically.

    genanki's own ``write_to_file`` stores the collection uncompressed (10x larger here); building
    the collection in memory and zipping it once avoids writing it twice. Compression level 1 is
    within 20% of the default level's size at a third of its time.
    """
    conn = sqlite3.connect(":memory:")
    try:
        package.write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
        conn.commit()
        collection = conn.serialize()
    finally:
        conn.close()

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes the file private; an export is meant to be shared.
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w") as out:
                for name, data in (("collection.anki2", collection), ("media", b"{}")):
                    # Dated by the export, not the clock: the same export gives the same bytes.
                    member = zipfile.ZipInfo(name, _zip_time(timestamp))
                    out.writestr(member, data, zipfile.ZIP_DEFLATED, compresslevel=1)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path.stat().st_size
