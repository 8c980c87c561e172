"""Reading CSV/TSV (Anki text, Quizlet), GIFT and Moodle XML: round trips, foreign files, errors.

Files written by other programs come from the programs themselves where we have them (Anki's own
notes export, through the ``anki`` library), else are written here the way their documentation
shows. Every parser is fuzzed: random input gives an InteropError or decks, never anything else.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from anki.collection import Collection
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from quizapp.domain.anki.notes import guid_question_id
from quizapp.domain.deck import Deck
from quizapp.domain.deckfile import check_deck_data
from quizapp.domain.interop import EXPORT_FORMATS, IMPORT_READERS, InteropError, read_file
from tests.factories import sample_deck

from .test_interop_export import HOSTILE, SPECIALS

ROUND_TRIP = {"csv": "x.csv", "tsv": "x.tsv", "gift": "x.gift", "moodle": "x.xml"}


def rich_deck(slug: str = "sample-deck") -> Deck:
    """The factories' deck (every type) with hostile text, an explanation and tags."""
    deck = sample_deck(slug)
    q = {q.id: q for q in deck.questions}
    q["definition"].fields["front"] = f"What is {HOSTILE}?\n{SPECIALS}"
    q["definition"].explanation = f"Because {SPECIALS}"
    q["definition"].tags = ["topic::igf", "basics"]
    q["misconception-workout"].fields["statement"] = f"{HOSTILE} {SPECIALS}"
    q["signs-choice"].fields["choices"][2] = SPECIALS
    q["mechanism-order"].fields["steps"][0] = f"Step {HOSTILE} -> {SPECIALS}"
    return deck


@pytest.mark.parametrize("fmt", sorted(ROUND_TRIP))
def test_export_import_export_gives_the_same_bytes(fmt):
    decks = [rich_deck(), sample_deck("second-deck", title="Second / deck")]
    first, skipped = EXPORT_FORMATS[fmt].write(decks)
    assert not skipped
    parsed = read_file(first, ROUND_TRIP[fmt])
    assert not parsed.skipped
    assert [d.id for d in parsed.decks] == ["sample-deck", "second-deck"]
    again, _ = EXPORT_FORMATS[fmt].write(parsed.decks)
    assert again == first
    for deck in parsed.decks:
        assert not check_deck_data(deck.to_dict())


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_text_files_keep_every_field_of_every_question(fmt):
    deck = rich_deck()
    parsed = read_file(EXPORT_FORMATS[fmt].write([deck])[0], ROUND_TRIP[fmt])
    assert parsed.decks[0].to_dict()["questions"] == deck.to_dict()["questions"]


def test_moodle_xml_keeps_ids_text_explanations_and_tags():
    deck = rich_deck()
    parsed = read_file(EXPORT_FORMATS["moodle"].write([deck])[0], "x.xml").decks[0]
    by_id = {q.id: q for q in parsed.questions}
    assert list(by_id) == [q.id for q in deck.questions]
    for original in deck.questions:
        got = by_id[original.id]
        assert (got.type, got.fields, got.explanation, got.tags) == (
            original.type,
            original.fields,
            original.explanation,
            original.tags,
        )


# --- files from other programs -------------------------------------------------------------------


def test_anki_s_own_notes_export_is_read(tmp_path: Path):
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        models = col.models
        rows = [
            ("Basic", ["What is <b>IGF-1</b>?", "A hormone &amp; more"]),
            ("Basic (and reversed card)", ["Recto", "Verso"]),
            ("Cloze", ["The {{c1::liver}} makes {{c2::IGF-1::a hormone}}", "extra"]),
            ("Basic", ["Only a front", ""]),
        ]
        deck_id = col.decks.id("Biology::Cells")
        for model, fields in rows:
            note = col.new_note(models.by_name(model))
            for i, value in enumerate(fields):
                note.fields[i] = value
            note.tags = ["topic::cells", "t1"]
            col.add_note(note, deck_id)
        guids = [col.get_note(n).guid for n in col.find_notes("")]
        out = tmp_path / "notes.txt"
        col.export_note_csv(
            out_path=str(out),
            limit=None,
            with_html=True,
            with_tags=True,
            with_deck=True,
            with_notetype=True,
            with_guid=True,
        )
    finally:
        col.close()
    parsed = read_file(out.read_bytes(), "notes.txt")
    assert [str(s) for s in parsed.skipped] == [
        "notes.txt:10: skipped: a Basic row needs a front and a back (found 1 non-empty field)"
    ]
    [deck] = parsed.decks
    assert (deck.id, deck.title) == ("biology-cells", "Cells")
    basic, reverse, cloze = deck.questions
    assert (basic.type, basic.fields) == (
        "basic",
        {"front": "What is IGF-1?", "back": "A hormone & more"},
    )
    assert basic.tags == ["t1", "topic::cells"]  # Anki writes them sorted
    assert reverse.fields == {"front": "Recto", "back": "Verso"}
    assert cloze.type == "cloze" and cloze.explanation == "extra"
    assert cloze.fields == {"text": "The {{c1::liver}} makes {{c2::IGF-1::a hormone}}"}
    # Ids follow the GUIDs: the same notes exported again keep their ids (and schedules).
    assert len({q.id for q in deck.questions}) == 3
    assert {q.id for q in deck.questions} < {guid_question_id(g) for g in guids}
    again = read_file(out.read_bytes(), "notes.txt").decks[0]
    assert [q.id for q in again.questions] == [q.id for q in deck.questions]


def test_quizlet_export_with_tabs_or_a_custom_separator():
    tabbed = read_file(b"apple\tpomme\nhouse\tmaison\n", "french.txt").decks[0]
    assert (tabbed.id, tabbed.title) == ("french", "french")
    assert [q.fields for q in tabbed.questions] == [
        {"front": "apple", "back": "pomme"},
        {"front": "house", "back": "maison"},
    ]
    custom = read_file(b"apple - pomme\nhouse - maison\n", "french.txt", separator=" - ")
    assert [q.fields for q in custom.decks[0].questions] == [q.fields for q in tabbed.questions]
    assert [q.id for q in custom.decks[0].questions] == [q.id for q in tabbed.questions]
    comma = read_file(b'"a, b",c\n', "x.csv").decks[0].questions[0]
    assert comma.fields == {"front": "a, b", "back": "c"}
    html_is_text = read_file(b"<b>x</b>\ty\n", "x.tsv").decks[0].questions[0]
    assert html_is_text.fields["front"] == "<b>x</b>"  # no #html:true: the text as typed


def test_anki_headers_name_the_deck_notetype_and_tags():
    data = (
        b"#separator:Semicolon\n#html:true\n#notetype:Cloze\n#deck:Bio::Cells\n#tags:x y\n"
        b'"The <i>{{c1::liver}}</i>; mostly";"extra &amp; more"\n'
    )
    [deck] = read_file(data, "c.csv").decks
    assert (deck.id, deck.title) == ("bio-cells", "Cells")
    [q] = deck.questions
    assert (q.type, q.fields, q.explanation, q.tags) == (
        "cloze",
        {"text": "The {{c1::liver}}; mostly"},
        "extra & more",
        ["x", "y"],
    )


def test_gift_as_moodle_documents_it():
    text = """// a comment
$CATEGORY: $course$/Biology/Cells

::tf1:: The liver makes IGF-1. {T}

::mc1:: Which organ makes IGF-1? {
  =The liver # right
  ~The heart # no
  ~The lung
  #### Most IGF-1 comes from the liver.
}

::multi:: Which are hormones? {
  ~%50%IGF-1
  ~%50%Insulin
  ~%-100%Glucose
}

::sa:: Who wrote Hamlet? {=Shakespeare =William Shakespeare}

::gap:: IGF-1 is made in the {=liver} after a stimulus.

::num:: 2 + 2? {#4}

::match:: Match these {=a -> b =c -> d =e -> f}

::essay:: Explain IGF-1. {}

::essay2:: Explain GH. {####It is made by the pituitary.}

Just a description without answers.
"""
    parsed = read_file(text.encode(), "bio.gift")
    [deck] = parsed.decks
    assert (deck.id, deck.title) == ("cells", "Cells")
    got = {q.id: (q.type, q.fields, q.explanation) for q in deck.questions}
    assert got == {
        "tf1": ("true_false", {"statement": "The liver makes IGF-1.", "answer": True}, ""),
        "mc1": (
            "multiple_choice",
            {
                "prompt": "Which organ makes IGF-1?",
                "choices": ["The liver", "The heart", "The lung"],
                "correct": [0],
            },
            "Most IGF-1 comes from the liver.",
        ),
        "multi": (
            "multiple_choice",
            {
                "prompt": "Which are hormones?",
                "choices": ["IGF-1", "Insulin", "Glucose"],
                "correct": [0, 1],
            },
            "",
        ),
        "sa": ("basic", {"front": "Who wrote Hamlet?", "back": "Shakespeare"}, ""),
        "gap": ("cloze", {"text": "IGF-1 is made in the {{c1::liver}} after a stimulus."}, ""),
        "essay2": ("basic", {"front": "Explain GH.", "back": "It is made by the pituitary."}, ""),
    }
    reasons = {s.where: s.reason for s in parsed.skipped}
    assert reasons == {
        "bio.gift:23": "numerical questions have no quizapp type",
        "bio.gift:25": "matching questions have no quizapp type (only matching onto the "
        "positions 1, 2, 3... reads as an ordering)",
        "bio.gift:27": "an essay question without an answer (write it as general feedback, "
        "{####answer}) cannot be studied",
        "bio.gift:31": "a description (no answer block) is not a question",
    }


def test_moodle_xml_other_types_are_skipped_with_their_line():
    xml = b"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Cells</text></category></question>
  <question type="matching"><name><text>m1</text></name>
    <questiontext format="html"><text>Match</text></questiontext></question>
  <question type="essay"><name><text>e1</text></name>
    <questiontext format="html"><text>&lt;p&gt;Explain IGF-1&lt;/p&gt;</text></questiontext>
    <graderinfo format="html"><text>A hormone from the liver.</text></graderinfo></question>
  <question type="cloze"><name><text>c1</text></name>
    <questiontext format="html"><text>The {1:MULTICHOICE:=liver~heart} and {2:SA:%100%GH#ok~%50%G}
    </text></questiontext></question>
  <question type="cloze"><name><text>bad gap</text></name>
    <questiontext format="html"><text>{1:SA:%50%half}</text></questiontext></question>
</quiz>"""
    parsed = read_file(xml, "q.xml")
    [deck] = parsed.decks
    assert {q.id: q.fields for q in deck.questions} == {
        "e1": {"front": "Explain IGF-1", "back": "A hormone from the liver."},
        "c1": {"text": "The {{c1::liver}} and {{c2::GH}}"},
    }
    assert [str(s) for s in parsed.skipped] == [
        "q.xml:4: skipped: Moodle 'matching' questions have no quizapp type",
        "q.xml:12: skipped: the gap '{1:SA:%50%half}' has no 100% answer",
    ]


# --- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.csv", b"a,b\n\xff\xfe,c\n", "x.csv:2: not UTF-8 text"),
        ("x.tsv", b"a\tb\n\x00\n", "x.tsv:2: binary data"),
        ("x.csv", b"#separator:Comma\n#bogus:1\na,b\n", "x.csv:2: unknown header '#bogus:'"),
        ("x.csv", b"#separator:ab\na,b\n", "is not a separator"),
        ("x.csv", b"#guid column:x\na,b\n", "must be a column number"),
        (
            "x.gift",
            b"::q:: text {=a\n",
            "x.gift:1: an answer block opened with '{' is never closed",
        ),
        ("x.gift", b"::q:: text } {=a}\n", "x.gift:1: a '}' closes no answer block"),
        ("x.xml", b"<quiz><question>", "x.xml:1: not well-formed XML"),
        ("x.xml", b"<html></html>", "a Moodle XML file starts with <quiz>"),
        (
            "x.xml",
            b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
            b"<quiz>&b;</quiz>",
            "document type or entity declaration is not allowed",
        ),
        ("x.pdf", b"%PDF", "cannot import .pdf"),
    ],
)
def test_unreadable_files_are_refused_with_file_and_line(name, data, message):
    with pytest.raises(InteropError, match=message.replace("(", r"\(").replace("'", "'")):
        read_file(data, name)


def test_too_large_and_too_many_are_refused(monkeypatch):
    from quizapp.domain.interop import common

    monkeypatch.setattr(common, "MAX_FILE_BYTES", 100)
    with pytest.raises(InteropError, match="files are limited to"):
        read_file(b"a\tb\n" * 30, "x.tsv")
    monkeypatch.setattr(common, "MAX_FILE_BYTES", 10**6)
    monkeypatch.setattr(common, "MAX_QUESTIONS", 3)
    with pytest.raises(InteropError, match="at most 3"):
        read_file(b"".join(b"q%d\ta\n" % i for i in range(4)), "x.tsv")


def test_duplicate_ids_and_invalid_questions_are_skipped_not_fatal():
    text = b"::a:: One? {T}\n\n::a:: Two? {F}\n\n::c:: Pick {=x ~x}\n\n::d:: Fine? {T}\n"
    parsed = read_file(text, "d.gift")
    assert [q.id for q in parsed.decks[0].questions] == ["a", "d"]
    assert [str(s) for s in parsed.skipped] == [
        "d.gift:3: skipped: question id 'a' is used twice (first at d.gift:1)",
        "d.gift:5: skipped: two choices have the same text",
    ]


# --- fuzzing -------------------------------------------------------------------------------------

GIFTISH = st.text(
    alphabet=st.sampled_from(list("::{}=~#%->\\TF[]html \n$CATEGORY/ab1")), max_size=200
)
CSVISH = st.text(
    alphabet=st.sampled_from(list('#:separatorhmlcolumn\t,;|"{}c1 \nab')), max_size=200
)
XMLISH = st.lists(
    st.sampled_from(
        [
            "<quiz>",
            "</quiz>",
            '<question type="multichoice">',
            '<question type="cloze">',
            "</question>",
            "<questiontext><text>",
            "</text></questiontext>",
            '<answer fraction="100">',
            '<answer fraction="x">',
            "</answer>",
            "<text>",
            "</text>",
            "{1:SA:=a}",
            "{:MC:~b}",
            "&lt;",
            "<name>",
            "</name>",
            "a",
            " ",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(IMPORT_READERS)),
    data=st.one_of(GIFTISH, CSVISH, XMLISH).map(str.encode) | st.binary(max_size=200),
)
def test_fuzzed_input_gives_decks_or_an_interop_error(name, data):
    try:
        parsed = read_file(data, f"fuzz{name}")
    except InteropError as exc:
        assert str(exc).startswith("fuzz")
        return
    for deck in parsed.decks:
        assert not check_deck_data(deck.to_dict()), deck.to_dict()


WORD = st.text(
    alphabet=st.sampled_from(list("aZ9é~=#{}:\\&<>\"'/-%;,|*_.!?")), min_size=1, max_size=6
)
TEXT = st.lists(WORD, min_size=1, max_size=5).map(" ".join)
GAP = st.text(alphabet=st.sampled_from(list("aZ9é=#&<>\"'-%;")), min_size=1, max_size=6)


@st.composite
def random_deck(draw) -> Deck:
    from quizapp.domain.deck import Question

    choices = draw(st.lists(TEXT, min_size=2, max_size=5, unique_by=lambda c: c.strip().casefold()))
    steps = draw(st.lists(TEXT, min_size=3, max_size=6, unique_by=lambda c: c.strip().casefold()))
    correct = sorted(draw(st.sets(st.integers(0, len(choices) - 1), min_size=1)))
    questions = [
        Question(
            "b",
            "basic",
            {"front": draw(TEXT), "back": draw(TEXT)},
            explanation=draw(st.just("") | TEXT),
        ),
        Question("t", "true_false", {"statement": draw(TEXT), "answer": draw(st.booleans())}),
        Question(
            "m", "multiple_choice", {"prompt": draw(TEXT), "choices": choices, "correct": correct}
        ),
        Question("o", "ordering", {"prompt": draw(TEXT), "steps": steps}),
        Question("c", "cloze", {"text": f"{draw(TEXT)} {{{{c1::{draw(GAP)}}}}} {draw(TEXT)}"}),
    ]
    return Deck(id="fuzz-deck", title=draw(TEXT).replace("/", "x"), questions=questions)


@pytest.mark.parametrize("fmt", sorted(ROUND_TRIP))
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(deck=random_deck())
def test_any_text_survives_export_and_import(fmt, deck):
    """GIFT's and Moodle's escapes, CSV quoting and HTML, for any mix of special characters."""
    assume(not check_deck_data(deck.to_dict()))  # e.g. "{{" beside a deletion is no cloze
    first, skipped = EXPORT_FORMATS[fmt].write([deck])
    assert not skipped
    parsed = read_file(first, ROUND_TRIP[fmt])
    assert not parsed.skipped, parsed.skipped
    assert EXPORT_FORMATS[fmt].write(parsed.decks)[0] == first
    got = {q.id: q.fields for q in parsed.decks[0].questions}
    want = {q.id: q.fields for q in deck.questions}
    assert got == want


def test_notes_from_anki_go_back_to_the_same_anki_notes(tmp_path: Path):
    """Anki's text export → quizapp → quizapp's CSV → the same collection: notes updated."""
    from anki.import_export_pb2 import ImportCsvRequest

    col = Collection(str(tmp_path / "c.anki2"))
    try:
        deck_id = col.decks.id("Words")
        for model, fields in (
            ("Basic", ["apple", "pomme"]),
            ("Cloze", ["a {{c1::cat}}", ""]),
            ("Basic (and reversed card)", ["house", "maison"]),
        ):
            note = col.new_note(col.models.by_name(model))
            for i, value in enumerate(fields):
                note.fields[i] = value
            col.add_note(note, deck_id)
        ids = set(col.find_notes(""))
        out = tmp_path / "notes.txt"
        col.export_note_csv(
            out_path=str(out),
            limit=None,
            with_html=True,
            with_tags=True,
            with_deck=True,
            with_notetype=True,
            with_guid=True,
        )
        [deck] = read_file(out.read_bytes(), "notes.txt").decks
        for question in deck.questions:
            if question.type == "basic":
                question.fields["back"] += " (edited in quizapp)"
        back = tmp_path / "back.csv"
        back.write_bytes(EXPORT_FORMATS["csv"].write([deck])[0])
        metadata = col.get_csv_metadata(path=str(back), delimiter=None)
        log = col.import_csv(ImportCsvRequest(path=str(back), metadata=metadata)).log
        assert not log.new and set(col.find_notes("")) == ids
        # Basic and Cloze notes are updated in place; the reversed note keeps its own note
        # type, which quizapp does not write (docs/interop.md), so Anki leaves it.
        assert len(log.updated) == 2 and len(log.conflicting) == 1
        fronts = {
            col.get_note(n)["Front"]: col.get_note(n)["Back"]
            for n in ids
            if col.get_note(n).note_type()["name"] == "Basic"
        }
        assert fronts == {"apple": "pomme (edited in quizapp)"}
    finally:
        col.close()
