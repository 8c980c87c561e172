"""Decks exported from the database in another quiz format: bytes, or a file written atomically."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.domain.interop import (
    InteropError,
    Skipped,
    export_format,
)
from quizapp.models import Deck
from quizapp.services.export import load_decks


@dataclass(frozen=True)
class Exported:
    """A finished export in memory: bytes, a file name, and what the format could not hold."""

    filename: str
    data: bytes
    mimetype: str
    questions: int
    skipped: list[Skipped] = field(default_factory=list)


def export_decks(decks: Sequence[Deck], fmt: str, *, filename: str | None = None) -> Exported:
    """The live questions of ``decks`` in format ``fmt`` (``csv``, ``tsv``, ``gift``, ...).

    Raises :class:`~quizapp.domain.interop.InteropError` for an unknown format or a question the
    format cannot take at all; questions a format has no form for are listed in ``skipped``.
    """
    spec = export_format(fmt)
    if not decks:
        raise InteropError("nothing to export: no decks given")
    loaded = load_decks(decks)
    data, skipped = spec.write(loaded)
    stem = decks[0].slug if len(decks) == 1 else "quizapp-decks"
    return Exported(
        filename=filename or f"{stem}.{spec.extension}",
        data=data,
        mimetype=spec.mimetype,
        questions=sum(len(d.questions) for d in loaded) - len(skipped),
        skipped=skipped,
    )


def write_file(exported: Exported, path: Path) -> None:
    """Write ``exported`` to ``path``: complete or absent (written beside it, then renamed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "wb") as out:
            out.write(exported.data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
