"""Reading Anki packages written by the real ``anki`` library (and by quizapp); refusing bad ones.

The packages are made by Anki's own engine: notes added, cards answered through its scheduler (the
review log), then exported in the current format (``collection.anki21b``, zstd) and the legacy one
(``collection.anki21``).
"""

from __future__ import annotations

import io
import sqlite3
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from anki.collection import Collection, ExportAnkiPackageOptions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.domain.anki import note_guid, write_package
from quizapp.domain.anki.notes import guid_question_id, question_guid
from quizapp.domain.interop import InteropError, read_file
from quizapp.domain.interop import apkg as apkg_module

from .test_anki import HOSTILE, import_package, make_deck

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def anki_package(
    tmp_path: Path, *, legacy: bool = False, answers: int = 6, with_scheduling: bool = True
) -> tuple[Path, list[str]]:
    """A package from the real Anki: Basic, Basic (and reversed card), Cloze, with reviews."""
    folder = tmp_path / f"anki-{legacy}"
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    try:
        deck_id = col.decks.id("Biology::Cells")
        rows = [
            ("Basic", [f"What is {HOSTILE}? [sound:a.mp3]<img src=x.png>", "A hormone"]),
            ("Basic (and reversed card)", ["Recto", "Verso"]),
            ("Cloze", ["The {{c1::liver}} makes {{c2::IGF-1::a hormone}}", "extra"]),
        ]
        for model, fields in rows:
            note = col.new_note(col.models.by_name(model))
            for i, value in enumerate(fields):
                note.fields[i] = value
            note.tags = ["topic::cells"]
            col.add_note(note, deck_id)
        col.decks.select(deck_id)
        for _ in range(answers):
            card = col.sched.getCard()
            if card is None:
                break
            col.sched.answerCard(card, 3)
        guids = [col.get_note(n).guid for n in sorted(col.find_notes(""))]
        out = folder / "deck.apkg"
        col.export_anki_package(
            out_path=str(out),
            limit=None,
            options=ExportAnkiPackageOptions(
                with_scheduling=with_scheduling,
                with_deck_configs=False,
                with_media=False,
                legacy=legacy,
            ),
        )
    finally:
        col.close()
    return out, guids


@pytest.mark.parametrize("legacy", [False, True])
def test_a_package_from_anki_becomes_a_deck_with_its_history(tmp_path, legacy):
    path, guids = anki_package(tmp_path, legacy=legacy)
    member = "collection.anki21" if legacy else "collection.anki21b"
    assert member in zipfile.ZipFile(path).namelist()
    parsed = read_file(path.read_bytes(), "deck.apkg")
    assert not parsed.skipped
    [deck] = parsed.decks
    assert (deck.id, deck.title) == ("biology-cells", "Cells")
    basic, reverse, cloze = deck.questions
    assert [q.id for q in deck.questions] == [guid_question_id(g) for g in guids]
    assert [question_guid(q.id) for q in deck.questions] == guids
    # Anki's fields are HTML: the markup goes (a script with its content), media too.
    assert basic.fields == {"front": "What is x?", "back": "A hormone"}
    assert reverse.fields == {"front": "Recto", "back": "Verso"}
    assert cloze.fields == {"text": "The {{c1::liver}} makes {{c2::IGF-1::a hormone}}"}
    assert cloze.explanation == "extra" and basic.tags == ["topic::cells"]

    # Six answers: the basic card, the reverse card (no quizapp card), two cloze cards...
    got = sorted((r.question_id, r.ordinal) for r in parsed.reviews)
    assert len(parsed.reviews) + parsed.reviews_skipped == 6
    assert parsed.reviews_skipped >= 1
    assert (basic.id, 1) in got and (cloze.id, 1) in got and (cloze.id, 2) in got
    assert all(r.rating == 3 and r.deck_key == "biology-cells" for r in parsed.reviews)
    assert len({r.key for r in parsed.reviews}) == len(parsed.reviews)


def test_without_scheduling_there_is_no_history(tmp_path):
    path, _ = anki_package(tmp_path, with_scheduling=False)
    parsed = read_file(path.read_bytes(), "deck.apkg")
    assert len(parsed.decks[0].questions) == 3 and parsed.reviews == []


def test_quizapp_s_own_package_comes_back_with_every_type_and_its_guids(tmp_path):
    deck = make_deck()
    deck.questions[1].tags = ["hormones"]
    deck.questions[3].fields["correct"] = [1, 3]
    path = tmp_path / "q.apkg"
    write_package([deck], path, now=NOW)
    parsed = read_file(path.read_bytes(), "q.apkg")
    assert not parsed.skipped
    [back] = parsed.decks
    assert back.id == deck.id and back.title == deck.title  # from the quizapp:: tag
    for original, got in zip(deck.questions, back.questions, strict=True):
        assert question_guid(got.id) == note_guid(deck.id, original)
        assert note_guid(back.id, got) == note_guid(deck.id, original)  # exports the same note
        assert got.type == original.type
        assert got.explanation == original.explanation and got.origin == original.origin
        if original.type == "multiple_choice":  # the export shuffled the choices
            right = {original.fields["choices"][i] for i in original.fields["correct"]}
            assert set(got.fields["choices"]) == set(original.fields["choices"])
            assert {got.fields["choices"][i] for i in got.fields["correct"]} == right
        else:
            assert got.fields == original.fields


def test_quizapp_to_anki_and_back_keeps_content_and_guids(tmp_path):
    """quizapp → .apkg → the real Anki → Anki's own export → quizapp."""
    deck = make_deck()
    deck.questions[1].tags = ["hormones"]
    write_package([deck], tmp_path / "q.apkg", now=NOW)
    folder = tmp_path / "anki"
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    try:
        assert len(import_package(col, tmp_path / "q.apkg")["new"]) == 5
        col.export_anki_package(
            out_path=str(tmp_path / "a.apkg"),
            limit=None,
            options=ExportAnkiPackageOptions(with_scheduling=False, with_media=False),
        )
    finally:
        col.close()
    [back] = read_file((tmp_path / "a.apkg").read_bytes(), "a.apkg").decks
    assert back.id == deck.id
    assert {question_guid(q.id) for q in back.questions} == {
        note_guid(deck.id, q) for q in deck.questions
    }
    by_type = {q.type: q for q in back.questions}
    for original in deck.questions:
        if original.type != "multiple_choice":
            assert by_type[original.type].fields == original.fields


# --- refusals ------------------------------------------------------------------------------------


def zip_of(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def sqlite_bytes(*statements: str) -> bytes:
    conn = sqlite3.connect(":memory:")
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    data = conn.serialize()
    conn.close()
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not a zip", "not a zip file"),
        (zip_of({"media": b"{}"}), "no Anki collection in the package"),
        (zip_of({"collection.anki2": b"hello"}), "is not an SQLite collection"),
        (zip_of({"../../etc/passwd": b"x", "collection.anki2": b"x"}), "outside the package"),
        (zip_of({"/abs": b"x", "collection.anki2": b"x"}), "outside the package"),
        (zip_of({"collection.anki2": b"\0" * 5_000_000}), "refused as a zip bomb"),
        (zip_of({"collection.anki21b": b"\x28\xb5\x2f\xfd" + b"garbage"}), "not valid zstd data"),
        (
            zip_of({"collection.anki2": sqlite_bytes("CREATE TABLE t (x)")}),
            "not an Anki collection",
        ),
    ],
)
def test_bad_packages_are_refused_with_a_reason(data, message):
    with pytest.raises(InteropError, match=message):
        read_file(data, "bad.apkg")


def test_a_zstd_bomb_and_a_huge_collection_are_refused(monkeypatch):
    import zstandard

    bomb = zstandard.ZstdCompressor().compress(b"\0" * 20_000_000)
    with pytest.raises(InteropError, match="zip bomb"):
        read_file(zip_of({"collection.anki21b": bomb}, zipfile.ZIP_STORED), "z.apkg")
    monkeypatch.setattr(apkg_module, "MAX_FILE_BYTES", 100)
    with pytest.raises(InteropError, match="files are limited to"):
        read_file(zip_of({"collection.anki21b": bomb}, zipfile.ZIP_STORED), "z.apkg")
    monkeypatch.setattr(apkg_module, "MAX_FILE_BYTES", 10**8)
    monkeypatch.setattr(apkg_module, "MAX_COLLECTION_BYTES", 1000)
    with pytest.raises(InteropError, match="expands beyond|at most"):
        read_file(
            zip_of(
                {
                    "collection.anki21b": zstandard.ZstdCompressor().compress(
                        b"SQLite format 3\0" + b"x" * 5000
                    )
                },
                zipfile.ZIP_STORED,
            ),
            "z.apkg",
        )


def test_the_collection_is_opened_read_only(tmp_path, monkeypatch):
    seen = []
    real_open = apkg_module._open

    def spy(path):
        conn = real_open(path)
        seen.append(conn)
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("CREATE TABLE evil (x)")
        return conn

    monkeypatch.setattr(apkg_module, "_open", spy)
    path, _ = anki_package(tmp_path, answers=0)
    assert read_file(path.read_bytes(), "deck.apkg").decks and seen


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(cut=st.integers(0, 4000), flip=st.integers(0, 255), at=st.integers(0, 100_000))
def test_damaged_packages_give_an_interop_error_or_decks(tmp_path_factory, cut, flip, at):
    if not hasattr(test_damaged_packages_give_an_interop_error_or_decks, "package"):
        deck = make_deck()
        path = tmp_path_factory.mktemp("pkg") / "q.apkg"
        write_package([deck], path, now=NOW)
        test_damaged_packages_give_an_interop_error_or_decks.package = path.read_bytes()
    data = bytearray(test_damaged_packages_give_an_interop_error_or_decks.package)
    data[at % len(data)] ^= flip
    data = bytes(data[: len(data) - cut])
    try:
        read_file(data, "fuzz.apkg")
    except InteropError as exc:
        assert str(exc).startswith("fuzz.apkg")


@pytest.mark.parametrize("legacy", [False, True])
def test_a_whole_collection_package_is_read_too(tmp_path, legacy):
    folder = tmp_path / "col"
    folder.mkdir()
    col = Collection(str(folder / "collection.anki2"))
    note = col.new_note(col.models.by_name("Basic"))
    note.fields[0], note.fields[1] = "Front", "Back"
    col.add_note(note, col.decks.id("Mine"))
    guid = note.guid
    out = tmp_path / "all.colpkg"
    col.export_collection_package(str(out), include_media=False, legacy=legacy)  # closes it
    parsed = read_file(out.read_bytes(), "all.colpkg")
    [deck] = parsed.decks
    assert deck.title == "Mine" and [q.id for q in deck.questions] == [guid_question_id(guid)]


def test_flipped_bytes_in_the_compressed_collection_are_a_clear_error(tmp_path):
    """Found by the fuzz test: a damaged DEFLATE stream raised zlib.error."""
    path = tmp_path / "q.apkg"
    write_package([make_deck()], path, now=NOW)
    data = path.read_bytes()
    for at in range(60, 1200, 23):
        damaged = bytearray(data)
        damaged[at] ^= 0x5A
        try:
            read_file(bytes(damaged), "d.apkg")
        except InteropError as exc:
            assert str(exc).startswith("d.apkg")
