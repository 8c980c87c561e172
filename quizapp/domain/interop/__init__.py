"""Other quiz formats, written and read: Anki text files (CSV/TSV), GIFT, Moodle XML, IMS QTI,
and Anki packages (read).

Pure domain code: decks in, bytes out (writers), and bytes in, decks plus a report of what was
skipped out (parsers). Formats speak the portable kinds of
:mod:`quizapp.domain.questions.portable`; each question type maps itself onto one. The services
(``quizapp/services/interop.py``) do the database work. ``docs/interop.md`` is the reference.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from quizapp.domain.deck import Deck

from .ankitext import (
    MAX_COLUMNS,
    ROLES,
    TextPreview,
    check_columns,
    preview_text,
    read_text,
    write_text,
)
from .apkg import AnkiReview, ParsedPackage, read_apkg
from .common import InteropError, Parsed, Skipped
from .gift import write_gift
from .gift_read import read_gift
from .moodle import write_moodle_xml
from .moodle_read import read_moodle_xml
from .qti import write_qti


@dataclass(frozen=True)
class ExportFormat:
    """One format a deck can be downloaded in."""

    name: str
    label: str
    extension: str
    mimetype: str
    write: Callable[[Sequence[Deck]], tuple[bytes, list[Skipped]]]


#: The formats besides ``.apkg`` (written by :mod:`quizapp.domain.anki`), by name.
EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "csv",
            "CSV (Anki text import, spreadsheets)",
            "csv",
            "text/csv",
            functools.partial(write_text, separator=","),
        ),
        ExportFormat(
            "tsv",
            "TSV (Anki text import, Quizlet)",
            "tsv",
            "text/tab-separated-values",
            functools.partial(write_text, separator="\t"),
        ),
        ExportFormat("gift", "GIFT (Moodle)", "gift", "text/plain", write_gift),
        ExportFormat("moodle", "Moodle XML", "xml", "application/xml", write_moodle_xml),
        ExportFormat(
            "qti", "IMS QTI 2.1 (Canvas, Blackboard)", "zip", "application/zip", write_qti
        ),
    )
}


def export_format(name: str) -> ExportFormat:
    try:
        return EXPORT_FORMATS[name]
    except KeyError:
        raise InteropError(
            f"unknown format {name!r} (known: apkg, {', '.join(EXPORT_FORMATS)})"
        ) from None


#: File extensions the importers read, and what reads them (``data, name`` → :class:`Parsed`).
IMPORT_READERS: dict[str, Callable[[bytes, str], Parsed]] = {
    ".csv": read_text,
    ".tsv": read_text,
    ".txt": read_text,
    ".gift": read_gift,
    ".xml": read_moodle_xml,
    ".apkg": read_apkg,
    ".colpkg": read_apkg,
}


#: Extensions read by :func:`read_text`: files whose columns the importer may choose.
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")


def is_text_file(name: str) -> bool:
    return name.lower().endswith(TEXT_SUFFIXES)


def read_file(
    data: bytes, name: str, *, separator: str | None = None, columns: Sequence[str] | None = None
) -> Parsed:
    """Read an uploaded or local file by its extension; InteropError names what is wrong.

    ``separator`` and ``columns`` apply to CSV/TSV/TXT (Quizlet's custom separators, a column
    mapping chosen on the web page; :func:`~.ankitext.read_text`). Any other error from a
    parser is a bug: the fuzz tests feed every parser random input and expect InteropError only.
    """
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    reader = IMPORT_READERS.get(suffix)
    if reader is None:
        raise InteropError(
            f"{name}: cannot import {suffix or 'files without an extension'} "
            f"(known: {', '.join(IMPORT_READERS)})"
        )
    if reader is read_text:
        return read_text(data, name, separator=separator, columns=columns)
    if columns is not None:
        raise InteropError(f"{name}: only CSV, TSV and TXT files have columns to choose")
    return reader(data, name)


__all__ = [
    "MAX_COLUMNS",
    "ROLES",
    "TextPreview",
    "check_columns",
    "preview_text",
    "TEXT_SUFFIXES",
    "is_text_file",
    "AnkiReview",
    "ParsedPackage",
    "IMPORT_READERS",
    "read_file",
    "EXPORT_FORMATS",
    "ExportFormat",
    "InteropError",
    "Parsed",
    "Skipped",
    "export_format",
]
