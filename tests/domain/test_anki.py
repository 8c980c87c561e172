"""The Anki export, checked by importing every package into a real Anki collection.

The ``anki`` library (the engine of Anki desktop) imports the file exactly as a learner's Anki
would, so these tests see what a learner sees: counts, rendered cards, tags, deck names, and what a
re-import updates.
"""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from quizapp.domain.anki import (
    NOTE_TYPES,
    ExportError,
    anki_deck_id,
    deck_name,
    next_timestamp,
    note_guid,
    write_package,
)
from quizapp.domain.deck import Deck, Origin, Question
from quizapp.domain.questions import QUESTION_TYPES, get_type

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script><b>x</b>"


def make_deck(slug: str = "igf-1-signaling", title: str = "IGF-1 Signaling") -> Deck:
    """One question of every type, with explanations and source quotes."""
    return Deck(
        id=slug,
        title=title,
        description="How IGF-1 carries the growth signal.",
        questions=[
            Question(
                "definition",
                "basic",
                {"front": "What is IGF-1?", "back": "A hormone made mostly in the liver."},
                explanation="It relays growth hormone's signal.",
                origin=Origin("definition", "IGF-1 is a hormone made mostly in the liver."),
            ),
            Question(
                "takeaway-1",
                "cloze",
                {
                    "text": "IGF-1 is made in the {{c1::liver}} in response to "
                    "{{c2::growth hormone::a pituitary hormone}}."
                },
                origin=Origin("takeaway", "IGF-1 is made in the liver."),
                tags=["hormones", "two words"],
            ),
            Question(
                "misconception-workout",
                "true_false",
                {"statement": "Muscle is built during the workout.", "answer": False},
                explanation="The workout is the stimulus; muscle protein is made afterwards.",
                origin=Origin("misconception", "People often think muscle is built in the gym."),
            ),
            Question(
                "signs-1",
                "multiple_choice",
                {
                    "prompt": "Which organ makes most IGF-1?",
                    "choices": ["The pituitary", "The liver", "The kidney", "Skeletal muscle"],
                    "correct": [1],
                },
                origin=Origin("signs", ""),
            ),
            Question(
                "mechanism",
                "ordering",
                {
                    "prompt": "Put the signal in order.",
                    "steps": [
                        "Pituitary releases GH",
                        "Liver makes IGF-1",
                        "IGF-1 reaches muscle",
                        "Muscle builds protein",
                    ],
                },
                origin=Origin("mechanism", "GH triggers IGF-1, which reaches muscle."),
            ),
        ],
    )


@pytest.fixture
def col(tmp_path: Path):
    folder = tmp_path / "anki"
    folder.mkdir()
    collection = Collection(str(folder / "collection.anki2"))
    yield collection
    collection.close()


def import_package(col: Collection, path: Path) -> dict[str, list[int]]:
    """Import like Anki's default import and return the log: note ids per outcome."""
    response = col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    )
    col.models._clear_cache()
    log = response.log
    return {
        outcome: [n.id.nid for n in getattr(log, outcome)]
        for outcome in (
            "new",
            "updated",
            "duplicate",
            "conflicting",
            "missing_notetype",
            "missing_deck",
            "first_field_match",
            "empty_first_field",
        )
    }


def only(log: dict[str, list[int]], outcome: str) -> list[int]:
    """The ids of ``outcome``, after checking that nothing else happened."""
    others = {k: v for k, v in log.items() if k != outcome and v}
    assert not others, f"expected only {outcome!r}, also got {others}"
    return log[outcome]


def cards_of(deck: Deck) -> int:
    return sum(len(get_type(q.type).ordinals(q.fields)) for q in deck.questions)


def note_for(col: Collection, deck: Deck, question_id: str):
    question = next(q for q in deck.questions if q.id == question_id)
    guid = note_guid(deck.id, question)
    nid = col.db.scalar("select id from notes where guid = ?", guid)
    assert nid, f"no note with the GUID of {question_id!r}"
    return col.get_note(nid)


def sides(col: Collection, deck: Deck, question_id: str) -> list[tuple[str, str]]:
    """(front, back) of each card of a question, in card order, as Anki renders them."""
    note = note_for(col, deck, question_id)
    return [(card.question(), card.answer()) for card in sorted(note.cards(), key=lambda c: c.ord)]


def body(html: str) -> str:
    """A rendered side without Anki's leading ``<style>`` block."""
    return html.split("</style>", 1)[-1]


@pytest.fixture
def exported(tmp_path: Path, col: Collection):
    deck = make_deck()
    stats = write_package([deck], tmp_path / "out.apkg", now=NOW)
    log = import_package(col, stats.path)
    return deck, stats, log


def test_note_and_card_counts_equal_the_decks(exported, col):
    deck, stats, log = exported
    assert len(only(log, "new")) == len(deck.questions) == stats.notes == col.note_count()
    assert cards_of(deck) == stats.cards == col.card_count() == 6  # the cloze has two deletions
    assert stats.decks == ("IGF-1 Signaling",)


def test_every_question_type_has_a_note_type_named_after_it():
    assert set(NOTE_TYPES) == set(QUESTION_TYPES)
    names = {nt.name for nt in NOTE_TYPES.values()}
    assert names == {
        "quizapp Basic",
        "quizapp Cloze",
        "quizapp True/False",
        "quizapp Multiple Choice",
        "quizapp Ordering",
    }


def test_basic_renders_front_then_back_with_explanation_and_source(exported, col):
    deck, _, _ = exported
    [(front, back)] = sides(col, deck, "definition")
    assert "What is IGF-1?" in body(front)
    assert "liver" not in body(front)
    assert "A hormone made mostly in the liver." in body(back)
    assert "It relays growth hormone's signal." in body(back)
    assert "IGF-1 is a hormone made mostly in the liver." in body(back)


def test_cloze_exports_one_card_per_deletion(exported, col):
    deck, _, _ = exported
    [(front1, back1), (front2, back2)] = sides(col, deck, "takeaway-1")
    assert "[...]" in body(front1) and ">liver<" not in body(front1)
    assert "growth hormone" in body(front1)  # the other deletion is shown filled in
    assert '<span class="cloze" data-ordinal="1">liver</span>' in body(back1)
    assert "[a pituitary hormone]" in body(front2)
    assert '<span class="cloze" data-ordinal="2">growth hormone</span>' in body(back2)
    assert "IGF-1 is made in the liver." in body(back2)


def test_true_false_shows_the_verdict_and_explanation_on_the_back(exported, col):
    deck, _, _ = exported
    [(front, back)] = sides(col, deck, "misconception-workout")
    assert "Muscle is built during the workout." in body(front)
    assert "False" not in body(front)
    assert ">False</div>" in body(back)
    assert "The workout is the stimulus; muscle protein is made afterwards." in body(back)


def test_multiple_choice_marks_the_right_choice_on_the_back_only(exported, col):
    deck, _, _ = exported
    [(front, back)] = sides(col, deck, "signs-1")
    for choice in ("The pituitary", "The liver", "The kidney", "Skeletal muscle"):
        assert f"<li>{choice}</li>" in body(front)
    assert "qa-correct" not in body(front) and "✓" not in body(front)
    assert '<li class="qa-correct">The liver ✓</li>' in body(back)
    assert body(back).count("qa-correct") == 1
    assert "Select one." in body(front)


def test_ordering_shows_steps_shuffled_on_the_front_and_in_order_on_the_back(exported, col):
    deck, _, _ = exported
    steps = next(q for q in deck.questions if q.id == "mechanism").fields["steps"]
    [(front, back)] = sides(col, deck, "mechanism")

    def positions(html: str) -> list[int]:
        return sorted(range(len(steps)), key=lambda i: html.index(steps[i]))

    assert positions(body(front)) != list(range(len(steps)))
    assert positions(body(back)) == list(range(len(steps)))
    assert "GH triggers IGF-1, which reaches muscle." in body(back)


def test_shuffles_are_the_same_in_every_export(tmp_path):
    from quizapp.domain.anki.notes import build_note

    deck = make_deck()
    for qid in ("signs-1", "mechanism"):
        question = next(q for q in deck.questions if q.id == qid)
        assert build_note(deck.id, question).fields == build_note(deck.id, question).fields


def test_tags_name_the_deck_and_the_section(exported, col):
    deck, _, _ = exported
    assert note_for(col, deck, "definition").tags == [
        "quizapp::igf-1-signaling",
        "section::definition",
    ]
    # A question's own tags follow; Anki tags cannot hold spaces.
    assert sorted(note_for(col, deck, "takeaway-1").tags) == sorted(
        ["quizapp::igf-1-signaling", "section::takeaway", "hormones", "two_words"]
    )


def test_multi_deck_export_nests_decks_under_the_parent(tmp_path, col):
    first = make_deck()
    second = make_deck("igf-1-and-muscle", "IGF-1 and Muscle Adaptation")
    stats = write_package([first, second], tmp_path / "class.apkg", now=NOW, parent="Biology 101")
    log = import_package(col, stats.path)

    assert len(only(log, "new")) == 10
    assert stats.decks == (
        "Biology 101::IGF-1 Signaling",
        "Biology 101::IGF-1 and Muscle Adaptation",
    )
    names = {d.name for d in col.decks.all_names_and_ids()}
    assert {"Biology 101", *stats.decks} <= names
    for deck, name in zip((first, second), stats.decks, strict=True):
        cards = col.find_cards(f'"deck:{name}" -"deck:{name}::*"')
        assert len(cards) == cards_of(deck)
        assert all(f"quizapp::{deck.id}" in col.get_card(c).note().tags for c in cards)


def test_reexport_after_a_wording_edit_updates_the_note_in_place(tmp_path, exported, col):
    deck, _, _ = exported
    card = note_for(col, deck, "misconception-workout").cards()[0]
    card.start_timer()
    col.sched.answerCard(card, 3)
    reviewed = col.get_card(card.id)
    assert col.db.scalar("select count() from revlog where cid = ?", card.id) == 1

    question = next(q for q in deck.questions if q.id == "misconception-workout")
    question.fields["statement"] = "Muscle grows while you lift."
    stats = write_package([deck], tmp_path / "edited.apkg", now=NOW + timedelta(seconds=1))
    log = import_package(col, stats.path)

    note = note_for(col, deck, "misconception-workout")
    # Anki stamps every note of a newer package as updated; none is added.
    assert note.id in only(log, "updated")
    assert col.note_count() == len(deck.questions) and col.card_count() == cards_of(deck)
    assert "Muscle grows while you lift." in body(note.cards()[0].question())
    after = col.get_card(card.id)
    assert col.db.scalar("select count() from revlog where cid = ?", card.id) == 1
    assert (after.type, after.queue, after.due, after.ivl) == (
        reviewed.type,
        reviewed.queue,
        reviewed.due,
        reviewed.ivl,
    )


def test_the_same_file_twice_reports_duplicates_only(exported, col):
    deck, stats, _ = exported
    log = import_package(col, stats.path)
    assert len(only(log, "duplicate")) == len(deck.questions)
    assert col.note_count() == len(deck.questions)


def test_an_export_with_the_same_timestamp_updates_nothing(tmp_path, exported, col):
    deck, _, _ = exported
    deck.questions[0].fields["back"] = "Changed"
    stats = write_package([deck], tmp_path / "again.apkg", now=NOW)
    assert len(only(import_package(col, stats.path), "duplicate")) == len(deck.questions)


def test_html_typed_into_a_question_shows_as_text(tmp_path, col):
    deck = Deck(
        "hostile",
        "Hostile <i>Deck</i>",
        questions=[
            Question(
                "b",
                "basic",
                {"front": HOSTILE, "back": "A & B"},
                explanation=HOSTILE,
                origin=Origin("other", HOSTILE),
            ),
            Question(
                "c", "cloze", {"text": f"{HOSTILE} {{{{c1::<i>term</i>::<u>hint</u>}}}} x < y"}
            ),
            Question(
                "m",
                "multiple_choice",
                {"prompt": HOSTILE, "choices": [HOSTILE, "<p>"], "correct": [0]},
            ),
        ],
    )
    stats = write_package([deck], tmp_path / "hostile.apkg", now=NOW)
    import_package(col, stats.path)

    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"
    for qid in ("b", "c", "m"):
        for front, back in sides(col, deck, qid):
            for side in (body(front), body(back)):
                assert "<script" not in side and "<b>" not in side and "<i>" not in side
                assert escaped in side
    [(front, back)] = sides(col, deck, "c")
    assert "[&lt;u&gt;hint&lt;/u&gt;]" in body(front)
    assert "&lt;i&gt;term&lt;/i&gt;</span>" in body(back)
    assert "x &lt; y" in body(back)
    assert "A &amp; B" in body(sides(col, deck, "b")[0][1])
    assert stats.decks == ("Hostile <i>Deck</i>",)  # a deck name is text in Anki, not HTML


def test_note_type_ids_fields_and_templates_are_a_fixed_contract(exported, col):
    """The versioned contract of docs/anki.md: change it only with a version bump."""
    expected = {
        "basic": (1727527890, ["Front", "Back", "Explanation", "Source"]),
        "cloze": (1539307976, ["Text", "Explanation", "Source"]),
        "true_false": (1330798976, ["Statement", "Answer", "Explanation", "Source"]),
        "multiple_choice": (1947133828, ["Prompt", "Choices", "Answer", "Explanation", "Source"]),
        "ordering": (1641936782, ["Prompt", "Steps", "Order", "Explanation", "Source"]),
    }
    for type_name, (model_id, fields) in expected.items():
        nt = NOTE_TYPES[type_name]
        assert (nt.model_id, list(nt.field_names), nt.version) == (model_id, fields, 1)
        model = col.models.get(model_id)
        assert model is not None and model["name"] == nt.name
        assert [f["name"] for f in model["flds"]] == fields
        assert [f["id"] for f in model["flds"]] == [f.id for f in nt.fields]
        assert [t["id"] for t in model["tmpls"]] == [t.id for t in nt.templates]
        assert "<script" not in model["tmpls"][0]["qfmt"] + model["tmpls"][0]["afmt"]
        assert ".nightMode" in model["css"] and "@media" in model["css"]


def test_guids_and_deck_ids_are_stable():
    question = Question("q1", "basic", {"front": "a", "back": "b"})
    assert note_guid("deck", question) == note_guid("deck", Question("q1", "basic", {}))
    assert note_guid("deck", question) != note_guid("other", question)
    assert note_guid("deck", question) != note_guid("deck", Question("q1", "cloze", {}))
    assert anki_deck_id("deck") == anki_deck_id("deck") != anki_deck_id("other")
    assert 1 << 32 <= anki_deck_id("deck") < 1 << 40


def test_deck_names_nest_only_under_the_parent():
    assert deck_name("IGF-1 Signaling") == "IGF-1 Signaling"
    assert deck_name("IGF-1 Signaling", "Biology 101") == "Biology 101::IGF-1 Signaling"
    assert deck_name("A::B  c", "Course::Class ") == "Course::Class::A:B c"


def test_the_package_is_deflated_and_complete(exported):
    _, stats, _ = exported
    with zipfile.ZipFile(stats.path) as package:
        assert sorted(package.namelist()) == ["collection.anki2", "media"]
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in package.infolist())
        assert package.read("media") == b"{}"
    assert stats.bytes == stats.path.stat().st_size
    assert stats.timestamp == NOW.timestamp()


def test_next_timestamp_is_strictly_later_in_whole_seconds():
    assert next_timestamp(None, 100.5) == 100.5
    assert next_timestamp(100.5, 100.7) == 101.0
    assert next_timestamp(100.0, 90.0) == 101.0
    assert next_timestamp(100.0, 250.0) == 250.0


def test_a_bad_question_is_named_and_nothing_is_written(tmp_path):
    target = tmp_path / "out.apkg"
    target.write_bytes(b"previous export")
    deck = make_deck()
    deck.questions.append(Question("no-blank", "cloze", {"text": "Nothing is deleted here."}))
    with pytest.raises(ExportError, match=r"question 'no-blank', field 'text': cloze has no"):
        write_package([deck], target, now=NOW)
    assert target.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["out.apkg"]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (Question("c0", "cloze", {"text": "Only {{c0::zero}}."}), "numbers start at 1"),
        (Question("tf", "true_false", {"statement": "x", "answer": "no"}), "'answer'"),
        (
            Question(
                "mc", "multiple_choice", {"prompt": "p", "choices": ["a", "b"], "correct": [2]}
            ),
            "out of range",
        ),
        (Question("b", "basic", {"front": "", "back": "b"}), "'front'"),
        (Question("x", "essay", {}), "no Anki note type"),
    ],
)
def test_questions_anki_cannot_take_are_rejected(tmp_path, question, message):
    with pytest.raises(ExportError, match=message):
        write_package([Deck("d", "D", questions=[question])], tmp_path / "x.apkg", now=NOW)


def test_duplicate_ids_and_naive_times_are_rejected(tmp_path):
    deck = make_deck()
    with pytest.raises(ExportError, match="given twice"):
        write_package([deck, deck], tmp_path / "x.apkg", now=NOW)
    deck.questions.append(deck.questions[0])
    with pytest.raises(ExportError, match="used twice"):
        write_package([deck], tmp_path / "x.apkg", now=NOW)
    with pytest.raises(ValueError, match="timezone"):
        write_package([make_deck()], tmp_path / "x.apkg", now=datetime(2025, 1, 1))


def test_the_same_export_gives_the_same_bytes(tmp_path):
    first = write_package([make_deck()], tmp_path / "a.apkg", now=NOW)
    second = write_package([make_deck()], tmp_path / "b.apkg", now=NOW)
    assert first.path.read_bytes() == second.path.read_bytes()


def test_two_decks_with_one_title_stay_apart(tmp_path, col):
    stats = write_package(
        [make_deck("a", "Same"), make_deck("b", "Same")], tmp_path / "x.apkg", now=NOW
    )
    assert stats.decks == ("Same", "Same (b)")
    import_package(col, stats.path)
    assert len(col.find_cards('"deck:Same (b)"')) == cards_of(make_deck())


def test_a_new_cloze_deletion_adds_a_card_to_the_existing_note(tmp_path, exported, col):
    deck, _, _ = exported
    question = next(q for q in deck.questions if q.id == "takeaway-1")
    question.fields["text"] += " It peaks {{c3::after training}}."
    stats = write_package([deck], tmp_path / "more.apkg", now=NOW + timedelta(seconds=1))
    only(import_package(col, stats.path), "updated")
    assert len(note_for(col, deck, "takeaway-1").cards()) == 3
    assert col.card_count() == cards_of(deck) == stats.cards


@pytest.mark.slow
def test_the_benchmark_deck_imports_whole(tmp_path, col):
    """The 10,000-question deck of benchmarks/bench_anki.py, imported into Anki (about 1 s)."""
    import importlib.util

    bench = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_anki.py"
    spec = importlib.util.spec_from_file_location("bench_anki", bench)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    deck = module.synthetic_deck(10_000)
    stats = write_package([deck], tmp_path / "big.apkg", now=NOW)
    assert len(only(import_package(col, stats.path), "new")) == 10_000
    assert col.card_count() == cards_of(deck) == stats.cards == 12_000
