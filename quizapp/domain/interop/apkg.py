"""Reading Anki packages (``.apkg``) and collection packages (``.colpkg``) into decks and reviews.

A package is a zip holding a SQLite collection: ``collection.anki21b`` (zstd-compressed, schema
18, Anki 2.1.50 and later), else ``collection.anki21`` or ``collection.anki2`` (the older schema,
as genanki and quizapp write it). Media files are never read.

The file is untrusted, so: the zip's member names are checked (no absolute paths, no ``..``) and
never used as paths, at most :data:`MAX_COLLECTION_BYTES` are decompressed (bounded reads, also
for zstd), a member that expands more than :data:`MAX_RATIO` times is refused as a zip bomb, and
the collection is opened read-only (``mode=ro``, ``immutable``), with ``trusted_schema`` off and a
progress handler that stops runaway queries.

Note types map to question types: quizapp's own note types (by their fixed ids) back to their
type, any cloze note type to a cloze (its first field the text, the second the explanation), any
other note type with two fields or more to a basic card (the first two fields; the reverse card of
"Basic (and reversed card)" has no quizapp card). Question ids carry the note's GUID
(:func:`guid_question_id`), so an export back to Anki updates the same notes. The review log
(``revlog``) comes back as :class:`AnkiReview` rows for the learner's history.
"""

from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

import nh3

from quizapp.domain.anki.models import NOTE_TYPES
from quizapp.domain.anki.notes import guid_question_id
from quizapp.domain.questions import get_type
from quizapp.domain.questions.portable import CHOICE, GAPS, RECALL, SEQUENCE, TRUE_FALSE, Portable

from .common import (
    MAX_FILE_BYTES,
    MAX_QUESTIONS,
    DraftDeck,
    DraftQuestion,
    InteropError,
    Parsed,
    Skipped,
    assemble,
    html_to_text,
    question_id,
    slugify,
)

#: The most bytes a collection may decompress to.
MAX_COLLECTION_BYTES = 256 * 1024 * 1024
#: A member expanding more than this many times its compressed size is a zip bomb.
MAX_RATIO = 200
#: The most members a package may list (media files included; they are not read).
MAX_MEMBERS = 100_000
#: The longest a query on the collection may run, in seconds.
MAX_QUERY_SECONDS = 30
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_SOUND = re.compile(r"\[sound:[^\]]*\]")
_QUIZAPP_MODELS = {nt.model_id: nt for nt in NOTE_TYPES.values()}


@dataclass(frozen=True)
class AnkiReview:
    """One answer from Anki's review log, for the question and card it belongs to."""

    deck_key: str
    question_id: str
    ordinal: int
    reviewed_at: datetime
    rating: int
    duration_ms: int
    #: Unique per review of the package (Anki's revlog id and card id): re-imports skip it.
    key: str


@dataclass
class ParsedPackage(Parsed):
    reviews: list[AnkiReview] = field(default_factory=list)
    #: Reviews left out: manual reschedules, cramming, cards with no quizapp card.
    reviews_skipped: int = 0


@dataclass(frozen=True)
class _NoteType:
    name: str
    cloze: bool
    fields: tuple[str, ...]


def read_apkg(data: bytes, name: str) -> ParsedPackage:
    """The notes (and review log) of an Anki package as decks; InteropError when unreadable."""
    if len(data) > MAX_FILE_BYTES:
        raise InteropError(
            f"{name}: {len(data) / 1e6:.1f} MB; files are limited to "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB"
        )
    blob = _collection_bytes(data, name)
    fd, path = tempfile.mkstemp(prefix="quizapp-anki-", suffix=".sqlite")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(blob)
        del blob
        return _read_collection(path, name)
    finally:
        os.unlink(path)


def _collection_bytes(data: bytes, name: str) -> bytes:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InteropError(f"{name}: not an Anki package (not a zip file)") from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise InteropError(
                f"{name}: {len(members)} files in the package; at most {MAX_MEMBERS}"
            )
        for member in members:
            parts = member.filename.replace("\\", "/").split("/")
            if member.filename.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]:
                raise InteropError(
                    f"{name}: the package holds a file named "
                    f"{member.filename!r}, outside the package; refused"
                )
        by_name = {m.filename: m for m in members}
        for wanted in ("collection.anki21b", "collection.anki21", "collection.anki2"):
            if wanted in by_name:
                member = by_name[wanted]
                break
        else:
            raise InteropError(
                f"{name}: no Anki collection in the package (expected "
                "collection.anki21b, collection.anki21 or collection.anki2)"
            )
        if member.file_size > MAX_COLLECTION_BYTES:
            raise InteropError(
                f"{name}: the collection is {member.file_size / 1e6:.0f} MB; "
                f"at most {MAX_COLLECTION_BYTES // 2**20} MB"
            )
        if member.file_size > 1_000_000 and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            ratio = member.file_size // max(member.compress_size, 1)
            raise InteropError(
                f"{name}: {member.filename} expands {ratio} times; refused as a zip bomb"
            )
        try:
            with archive.open(member) as stream:
                raw = _bounded_read(stream, MAX_COLLECTION_BYTES, name)
        except (
            zipfile.BadZipFile,
            zlib.error,
            OSError,
            EOFError,
            NotImplementedError,
            RuntimeError,
            ValueError,
        ) as exc:  # RuntimeError: an encrypted member
            raise InteropError(f"{name}: the package is damaged ({exc})") from None
    if member.filename.endswith("anki21b") or raw.startswith(ZSTD_MAGIC):
        raw = _unzstd(raw, name)
    if not raw.startswith(b"SQLite format 3\x00"):
        raise InteropError(f"{name}: {member.filename} is not an SQLite collection")
    return raw


def _bounded_read(stream, limit: int, name: str) -> bytes:
    chunks, total = [], 0
    while chunk := stream.read(1 << 20):
        total += len(chunk)
        if total > limit:
            raise InteropError(
                f"{name}: the collection expands beyond {limit // 2**20} MB; refused"
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _unzstd(raw: bytes, name: str) -> bytes:
    import zstandard

    try:
        reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw))
        out = _bounded_read(reader, MAX_COLLECTION_BYTES, name)
    except zstandard.ZstdError as exc:
        raise InteropError(f"{name}: the collection is not valid zstd data ({exc})") from None
    if len(out) > 1_000_000 and len(out) > MAX_RATIO * max(len(raw), 1):
        raise InteropError(
            f"{name}: the collection expands {len(out) // len(raw)} times; refused as a zip bomb"
        )
    return out


def _open(path: str) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    conn.execute("PRAGMA trusted_schema = OFF")
    conn.execute("PRAGMA query_only = ON")
    deadline = time.monotonic() + MAX_QUERY_SECONDS
    conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 100_000)
    return conn


def _read_collection(path: str, name: str) -> ParsedPackage:
    try:
        conn = _open(path)
    except sqlite3.Error as exc:
        raise InteropError(f"{name}: cannot open the collection ({exc})") from None
    try:
        return _read(conn, name)
    except sqlite3.Error as exc:
        raise InteropError(f"{name}: not a readable Anki collection ({exc})") from None
    finally:
        conn.close()


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _note_types_and_decks(conn, name: str) -> tuple[dict[int, _NoteType], dict[int, str]]:
    tables = _tables(conn)
    if {"notes", "cards", "col"} - tables:
        raise InteropError(f"{name}: not an Anki collection (no notes, cards or col table)")
    if "notetypes" in tables:  # schema 18
        fields: dict[int, list[tuple[int, str]]] = {}
        for ntid, ord_, fname in conn.execute("SELECT ntid, ord, name FROM fields"):
            fields.setdefault(int(ntid), []).append((int(ord_), str(fname)))
        types = {
            int(ntid): _NoteType(
                str(tname),
                _is_cloze(config),
                tuple(f for _, f in sorted(fields.get(int(ntid), []))),
            )
            for ntid, tname, config in conn.execute("SELECT id, name, config FROM notetypes")
        }
        decks = {
            int(i): str(n).replace("\x1f", "::")
            for i, n in conn.execute("SELECT id, name FROM decks")
        }
        return types, decks
    row = conn.execute("SELECT models, decks FROM col").fetchone()
    try:
        models, deck_rows = json.loads(row[0] or "{}"), json.loads(row[1] or "{}")
        types = {
            int(mid): _NoteType(
                str(m.get("name", "")),
                int(m.get("type", 0)) == 1,
                tuple(
                    str(f.get("name", ""))
                    for f in sorted(m.get("flds", []), key=lambda f: int(f.get("ord", 0)))
                ),
            )
            for mid, m in models.items()
        }
        decks = {int(did): str(d.get("name", "")) for did, d in deck_rows.items()}
    except (ValueError, TypeError, AttributeError) as exc:
        raise InteropError(
            f"{name}: the collection's note types are not readable ({exc})"
        ) from None
    return types, decks


def _is_cloze(config: object) -> bool:
    """NotetypeConfig's first field (``kind``, 1 = cloze) in Anki's protobuf encoding."""
    return isinstance(config, bytes) and config[:2] == b"\x08\x01"


def _read(conn: sqlite3.Connection, name: str) -> ParsedPackage:
    types, deck_names = _note_types_and_decks(conn, name)
    count = conn.execute("SELECT count(*) FROM notes").fetchone()[0]
    if count > MAX_QUESTIONS:
        raise InteropError(f"{name}: {count} notes; one import takes at most {MAX_QUESTIONS}")
    first_deck: dict[int, int] = {}
    for nid, did in conn.execute("SELECT nid, did FROM cards ORDER BY nid, ord DESC"):
        first_deck[int(nid)] = int(did)  # the last row per note is its lowest ord
    drafts: dict[str, DraftDeck] = {}
    skipped: list[Skipped] = []
    notes: dict[int, tuple[str, str, bool]] = {}  # note id → (deck name, question id, cloze)
    for nid, guid, mid, tags, flds in conn.execute(
        "SELECT id, guid, mid, tags, flds FROM notes ORDER BY id"
    ):
        where = f"{name}: note {nid}"
        note_type = types.get(int(mid))
        if note_type is None:
            skipped.append(Skipped(where, f"its note type {mid} is not in the package"))
            continue
        deck = deck_names.get(first_deck.get(int(nid), -1), "") or "Imported"
        tag_list = str(tags or "").split()
        qid = guid_question_id(str(guid)) or question_id("", str(guid) or str(nid))
        values = str(flds or "").split("\x1f")
        try:
            item, explanation, quote = _map_note(int(mid), note_type, values)
        except ValueError as exc:
            skipped.append(Skipped(where, str(exc)))
            continue
        draft = drafts.setdefault(deck, DraftDeck(title=deck.split("::")[-1].strip()))
        slug = next((t.split("::", 1)[1] for t in tag_list if t.startswith("quizapp::")), None)
        draft.slug = draft.slug or slug
        section = next(
            (t.split("::", 1)[1] for t in tag_list if t.startswith("section::")), "other"
        )
        kept = [t for t in tag_list if not t.startswith(("quizapp::", "section::"))]
        draft.questions.append(
            DraftQuestion(
                where, qid, item, explanation=explanation, tags=kept, section=section, quote=quote
            )
        )
        notes[int(nid)] = (deck, qid, note_type.cloze)
    for deck, draft in drafts.items():
        draft.slug = draft.slug or slugify(deck.replace("::", " "))
    parsed = assemble(list(drafts.values()), skipped, name)
    result = ParsedPackage(decks=parsed.decks, skipped=parsed.skipped)
    _reviews(conn, notes, drafts, result)
    return result


def _reviews(
    conn,
    notes: dict[int, tuple[str, str, bool]],
    drafts: dict[str, DraftDeck],
    result: ParsedPackage,
) -> None:
    """The review log for the imported notes' cards, as the decks' final slugs name them."""
    kept = {(d.id, q.id) for d in result.decks for q in d.questions}
    slug_of = {deck_name: draft.slug for deck_name, draft in drafts.items()}
    cards = {
        int(cid): (int(nid), int(ord_))
        for cid, nid, ord_ in conn.execute("SELECT id, nid, ord FROM cards")
    }
    if "revlog" not in _tables(conn):
        return
    for rid, cid, ease, taken, kind in conn.execute(
        "SELECT id, cid, ease, time, type FROM revlog ORDER BY id"
    ):
        card = cards.get(int(cid))
        note = notes.get(card[0]) if card else None
        # Types 0-2 are learning, review and relearning; 3 is cramming in a filtered deck
        # (no effect on the schedule) and 4 a manual reschedule; ease 0 is a reschedule too.
        if (
            card is None
            or note is None
            or int(ease) not in (1, 2, 3, 4)
            or int(kind) not in (0, 1, 2)
        ):
            result.reviews_skipped += 1
            continue
        deck_name, qid, cloze = note
        ordinal = card[1] + 1 if cloze else (1 if card[1] == 0 else None)
        slug = slug_of.get(deck_name)
        if ordinal is None or slug is None or (slug, qid) not in kept:
            result.reviews_skipped += 1
            continue
        result.reviews.append(
            AnkiReview(
                deck_key=slug,
                question_id=qid,
                ordinal=ordinal,
                reviewed_at=datetime.fromtimestamp(int(rid) / 1000, UTC),
                rating=int(ease),
                duration_ms=max(0, min(int(taken or 0), 60_000)),
                key=f"anki:{int(rid)}:{int(cid)}",
            )
        )


def _field(note_type: _NoteType, values: list[str], wanted: str) -> str:
    return (
        values[note_type.fields.index(wanted)]
        if wanted in note_type.fields and note_type.fields.index(wanted) < len(values)
        else ""
    )


def _text(value: str) -> str:
    return html_to_text(_SOUND.sub("", value))


def _map_note(mid: int, note_type: _NoteType, values: list[str]) -> tuple[Portable, str, str]:
    """(portable question, explanation, source quote) of one note; ValueError says why not."""
    own = _QUIZAPP_MODELS.get(mid)
    if own is not None:
        explanation = _text(_field(note_type, values, "Explanation"))
        quote = _text(_field(note_type, values, "Source"))
        kind = get_type(own.question_type).portable_kind
        return _quizapp_note(kind, values), explanation, quote
    if note_type.cloze:
        if not values or not values[0].strip():
            raise ValueError("a cloze note with an empty text")
        return Portable(GAPS, _text(values[0])), _text(values[1]) if len(values) > 1 else "", ""
    if len(values) < 2 or not values[0].strip() or not values[1].strip():
        raise ValueError(f"a '{note_type.name}' note needs a front and a back")
    return Portable(RECALL, _text(values[0]), answer=_text(values[1])), "", ""


_ITEM = re.compile(r"<li(?: class=\"([^\"]*)\")?>(.*?)</li>", re.DOTALL)
_LETTER = re.compile(r"<span class=\"qa-letter\">.*?</span>", re.DOTALL)


def _items(value: str) -> list[tuple[str, str]]:
    """(class, text) of each list item written by quizapp's Anki export."""
    cleaned = nh3.clean(value, tags={"li", "span"}, attributes={"li": {"class"}, "span": {"class"}})
    return [(cls or "", _text(_LETTER.sub("", inner))) for cls, inner in _ITEM.findall(cleaned)]


def _quizapp_note(kind: str, values: list[str]) -> Portable:
    """A note of quizapp's own note types (``docs/anki.md``, field lists version 1)."""
    if len(values) < 2:
        raise ValueError("a quizapp note with too few fields")
    prompt = _text(values[0])
    if kind == RECALL:
        return Portable(RECALL, prompt, answer=_text(values[1]))
    if kind == GAPS:
        return Portable(GAPS, prompt)
    if kind == TRUE_FALSE:
        verdict = _text(values[1])
        if verdict not in ("True", "False"):
            raise ValueError(f"a quizapp True/False note answering {verdict[:20]!r}")
        return Portable(TRUE_FALSE, prompt, truth=verdict == "True")
    if kind == CHOICE and len(values) > 2:
        items = _items(values[2])
        options = tuple(t.removesuffix("✓").strip() for _, t in items)
        right = tuple(i for i, (cls, _) in enumerate(items) if "qa-correct" in cls)
        multiple = "Select all that apply." in _text(values[1])
        return Portable(CHOICE, prompt, options=options, correct=right, multiple=multiple)
    if kind == SEQUENCE and len(values) > 2:
        return Portable(SEQUENCE, prompt, options=tuple(t for _, t in _items(values[2])))
    raise ValueError(f"a quizapp note of kind {kind!r} without its fields")
