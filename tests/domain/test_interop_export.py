"""Exports to other quiz formats, read back by independent readers.

CSV/TSV go into a real Anki collection (the ``anki`` library); GIFT is parsed by ``pygiftparser``,
Moodle XML by ``moodle-xml-parser`` (cloze and multiple choice, the two kinds it reads) and lxml;
the QTI package is checked against the structure of the QTI 2.1 and IMS Content Packaging specs
(no PyPI package ships the IMS XSDs).
"""

from __future__ import annotations

import copy
import html
import io
import zipfile
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.import_export_pb2 import ImportCsvRequest
from lxml import etree
from moodle_xml_parser import parser as moodle_parser

from quizapp.domain.anki import note_guid
from quizapp.domain.deck import Deck
from quizapp.domain.interop import EXPORT_FORMATS, InteropError
from quizapp.domain.interop.common import html_to_text
from quizapp.domain.interop.gift import fraction
from quizapp.domain.interop.qti import CP_NS, QTI_NS

from .test_anki import HOSTILE, make_deck


def transformSpecials(text: str) -> str:  # noqa: N802 (pygiftparser's name)
    """pygiftparser's unescaping, plus the escaped backslash (``\\\\``) Moodle also reads."""
    from pygiftparser.utils import transformSpecials as gift_specials

    return gift_specials(text).replace("\\\\", "\\")


SPECIALS = "a ~ b = c # d {e} : f \\ g & h < i > j \" k ' l"


def hostile_deck() -> Deck:
    deck = make_deck()
    deck.questions[0].fields["front"] = f"What is {HOSTILE}?\n{SPECIALS}"
    deck.questions[0].explanation = f"Because {SPECIALS}"
    deck.questions[2].fields["statement"] = f"{HOSTILE} is {SPECIALS}"
    deck.questions[3].fields["choices"][0] = SPECIALS
    deck.questions[4].fields["steps"][0] = f"Step {HOSTILE} -> {SPECIALS}"
    return deck


# --- every format ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_the_same_decks_give_the_same_bytes(fmt):
    write = EXPORT_FORMATS[fmt].write
    first, _ = write([hostile_deck(), make_deck("other-deck", "Other")])
    again, _ = write([hostile_deck(), make_deck("other-deck", "Other")])
    assert first == again and len(first) > 500
    changed = hostile_deck()
    changed.questions[0].fields["back"] = "Something else"
    assert write([changed, make_deck("other-deck", "Other")])[0] != first


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_no_decks_and_twice_the_same_deck_are_refused(fmt):
    with pytest.raises(InteropError, match="nothing to export"):
        EXPORT_FORMATS[fmt].write([])
    with pytest.raises(InteropError, match="given twice"):
        EXPORT_FORMATS[fmt].write([make_deck(), make_deck()])


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_no_markup_from_a_question_survives_as_markup(fmt):
    data, _ = EXPORT_FORMATS[fmt].write([hostile_deck()])
    if fmt == "qti":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            data = b"".join(archive.read(n) for n in archive.namelist())
    text = data.decode("utf-8")
    # The quizapp column of a CSV holds the raw question as JSON text: Anki ignores it, and it is
    # quoted data, never markup. Everywhere else the tag appears only escaped.
    if fmt in ("csv", "tsv"):
        text = "\n".join(line.rsplit('"{', 1)[0] for line in text.splitlines())
    assert "<script>" not in text and "<b>x</b>" not in text


# --- CSV / TSV into a real Anki ----------------------------------------------------------------


@pytest.fixture
def col(tmp_path: Path):
    folder = tmp_path / "anki"
    folder.mkdir()
    collection = Collection(str(folder / "collection.anki2"))
    yield collection
    collection.close()


def import_text(col: Collection, path: Path):
    metadata = col.get_csv_metadata(path=str(path), delimiter=None)
    return col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_text_file_imports_into_anki_and_a_newer_one_updates_the_same_notes(col, tmp_path, fmt):
    deck = hostile_deck()
    path = tmp_path / f"deck.{fmt}"
    path.write_bytes(EXPORT_FORMATS[fmt].write([deck])[0])
    log = import_text(col, path)
    assert len(log.new) == 5 and not log.updated and not log.conflicting

    by_guid = {col.get_note(n).guid: col.get_note(n) for n in col.find_notes("")}
    assert set(by_guid) == {note_guid(deck.id, q) for q in deck.questions}
    basic = by_guid[note_guid(deck.id, deck.questions[0])]
    assert basic.note_type()["name"] == "Basic"
    assert html_to_text(basic["Front"]) == f"What is {HOSTILE}?\n{SPECIALS}"
    assert "<script>" not in basic["Front"]
    assert sorted(basic.tags) == ["quizapp::igf-1-signaling", "section::definition"]
    cloze = by_guid[note_guid(deck.id, deck.questions[1])]
    assert cloze.note_type()["name"] == "Cloze" and len(cloze.card_ids()) == 2
    assert "{{c2::growth hormone::a pituitary hormone}}" in cloze["Text"]
    assert {col.decks.name(col.get_card(c).did) for c in cloze.card_ids()} == {"IGF-1 Signaling"}
    tf = by_guid[note_guid(deck.id, deck.questions[2])]
    assert tf["Back"].startswith("False")
    ids = {guid: note.id for guid, note in by_guid.items()}

    deck.questions[0].fields["back"] = "A reworded back."
    path.write_bytes(EXPORT_FORMATS[fmt].write([deck])[0])
    again = import_text(col, path)
    assert not again.new and len(again.updated) + len(again.duplicate) == 5
    notes = {col.get_note(n).guid: col.get_note(n) for n in col.find_notes("")}
    assert {g: n.id for g, n in notes.items()} == ids
    assert notes[note_guid(deck.id, deck.questions[0])]["Back"].startswith("A reworded back.")


def test_text_rows_for_notes_an_apkg_made_are_conflicting_in_anki(col, tmp_path):
    """What docs/interop.md says: the stock note types cannot update quizapp's own notes."""
    from datetime import UTC, datetime

    from quizapp.domain.anki import write_package

    from .test_anki import import_package

    deck = make_deck()
    write_package([deck], tmp_path / "d.apkg", now=datetime(2025, 3, 1, tzinfo=UTC))
    assert len(import_package(col, tmp_path / "d.apkg")["new"]) == 5
    (tmp_path / "d.tsv").write_bytes(EXPORT_FORMATS["tsv"].write([deck])[0])
    log = import_text(col, tmp_path / "d.tsv")
    assert len(log.conflicting) == 5 and not log.new and not log.updated


# --- GIFT --------------------------------------------------------------------------------------


def test_gift_is_read_by_an_independent_parser():
    # Installed by .ci/run with --no-deps (its dependencies pin an old Markdown).
    gift_parser = pytest.importorskip("pygiftparser.parser")
    deck = hostile_deck()
    # pygiftparser 1.1 stops an answer block at an escaped "\}" (a bug of its pattern), so the
    # choice and the step keep the other specials only; the question text carries them all.
    deck.questions[3].fields["choices"][0] = SPECIALS.replace("{e}", "e")
    deck.questions[4].fields["steps"][0] = f"Step {HOSTILE} -> {SPECIALS.replace('{e}', 'e')}"
    deck.questions[3].fields["multiple"] = True
    deck.questions[3].fields["correct"] = [0, 1]
    data, skipped = EXPORT_FORMATS["gift"].write([deck])
    assert not skipped
    parsed = {q.title: q for q in gift_parser.parseFile(io.StringIO(data.decode()))}
    assert set(parsed) == {
        "definition",
        "takeaway-1.c1",
        "takeaway-1.c2",
        "misconception-workout",
        "signs-1",
        "mechanism",
    }
    assert all(q.valid for q in parsed.values())

    basic = parsed["definition"]
    assert type(basic.answers).__name__ == "ShortSet" and basic.markup == "html"
    assert html_to_text(transformSpecials(basic.text)) == f"What is {HOSTILE}?\n{SPECIALS}"
    assert basic.answers.answers[0].answer == "A hormone made mostly in the liver."
    assert html_to_text(transformSpecials(basic.generalFeedback)) == f"Because {SPECIALS}"

    gap = parsed["takeaway-1.c2"]
    assert gap.text == "IGF-1 is made in the liver in response to"
    assert [a.answer for a in gap.answers.answers] == ["growth hormone"] and gap.tail == "."

    tf = parsed["misconception-workout"]
    assert type(tf.answers).__name__ == "TrueFalseSet" and tf.answers.answer is False

    mc = parsed["signs-1"]
    assert type(mc.answers).__name__ == "MultipleChoicesSet"
    answers = [(html_to_text(transformSpecials(a.answer)), a.fraction) for a in mc.answers.answers]
    assert answers == [
        (SPECIALS.replace("{e}", "e"), 50.0),
        ("The liver", 50.0),
        ("The kidney", -100.0),
        ("Skeletal muscle", -100.0),
    ]

    order = parsed["mechanism"]
    assert type(order.answers).__name__ == "MatchingSet"
    assert [a.answer.strip() for a in order.answers.answers] == ["1", "2", "3", "4"]
    assert html_to_text(transformSpecials(order.answers.answers[0].question)) == (
        f"Step {HOSTILE} -> {SPECIALS.replace('{e}', 'e')}"
    )


def test_gift_single_choice_and_category_lines():
    text = EXPORT_FORMATS["gift"].write([make_deck(), make_deck("b-deck", "A/B")])[0].decode()
    assert "// quizapp deck: igf-1-signaling\n$CATEGORY: $course$/IGF-1 Signaling\n" in text
    assert "$CATEGORY: $course$/A//B\n" in text
    assert "{\n~The pituitary\n=The liver\n~The kidney\n~Skeletal muscle\n}" in text


def test_gift_moodle_fractions():
    assert [fraction(k) for k in range(1, 11)] == [
        "100",
        "50",
        "33.33333",
        "25",
        "20",
        "16.66667",
        "14.28571",
        "12.5",
        "11.11111",
        "10",
    ]


def test_gift_skips_a_cloze_whose_deletion_repeats_and_says_why():
    deck = make_deck()
    deck.questions[1].fields["text"] = "{{c1::A}} and {{c1::B}} and {{c2::C}}"
    data, skipped = EXPORT_FORMATS["gift"].write([deck])
    assert [(s.where, "appears twice" in s.reason) for s in skipped] == [
        ("igf-1-signaling/takeaway-1", True)
    ]
    assert b"takeaway-1" not in data


# --- Moodle XML --------------------------------------------------------------------------------


def test_moodle_xml_is_read_by_an_independent_parser_and_keeps_every_character():
    deck = hostile_deck()
    deck.questions[3].fields["multiple"] = True
    data, skipped = EXPORT_FORMATS["moodle"].write([deck])
    assert not skipped
    found = moodle_parser.parse_bytes(data)
    [mc] = found["multichoice"]
    assert mc.name == "signs-1" and mc.single is False
    assert [html_to_text(o.answer) for o in mc.options] == [
        SPECIALS,
        "The liver",
        "The kidney",
        "Skeletal muscle",
    ]
    assert [o.score_fraction for o in mc.options] == [-100.0, 100.0, -100.0, -100.0]
    [cloze] = found["cloze"]
    assert [[o.answer for o in g.options] for g in cloze.gaps] == [["liver"], ["growth hormone"]]

    root = etree.fromstring(data)
    questions = root.findall("question")
    assert [q.get("type") for q in questions] == [
        "category",
        "shortanswer",
        "cloze",
        "truefalse",
        "multichoice",
        "ordering",
    ]
    assert questions[0].findtext("idnumber") == "igf-1-signaling"
    basic = questions[1]
    assert html_to_text(basic.findtext("questiontext/text")) == f"What is {HOSTILE}?\n{SPECIALS}"
    assert basic.findtext("idnumber") == "definition"
    tf = {a.findtext("text"): a.get("fraction") for a in questions[3].findall("answer")}
    assert tf == {"true": "0", "false": "100"}
    steps = [
        (a.get("fraction"), html_to_text(a.findtext("text")))
        for a in questions[5].findall("answer")
    ]
    assert steps[0] == ("1", f"Step {HOSTILE} -> {SPECIALS}") and [s[0] for s in steps] == [
        "1",
        "2",
        "3",
        "4",
    ]
    assert [t.text for t in questions[2].findall("tags/tag/text")] == ["hormones", "two words"]


def test_moodle_cloze_answers_escape_their_specials():
    deck = make_deck()
    deck.questions[1].fields["text"] = 'Say {{c1::a}b#c~d/e"f\\g}} now'
    data, _ = EXPORT_FORMATS["moodle"].write([deck])
    text = etree.fromstring(data).findall("question")[2].findtext("questiontext/text")
    assert text == 'Say {1:SHORTANSWER:=a\\}b\\#c\\~d\\/e\\"f\\\\g} now'


# --- QTI 2.1 -----------------------------------------------------------------------------------


def qti(tag: str) -> str:
    return f"{{{QTI_NS}}}{tag}"


def test_qti_package_has_the_structure_of_the_spec():
    decks = [hostile_deck(), make_deck("other-deck", "Other")]
    data, skipped = EXPORT_FORMATS["qti"].write(decks)
    assert not skipped
    archive = zipfile.ZipFile(io.BytesIO(data))
    names = archive.namelist()
    assert names[0] == "imsmanifest.xml"
    assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in archive.infolist())

    manifest = etree.fromstring(archive.read("imsmanifest.xml"))
    assert manifest.tag == f"{{{CP_NS}}}manifest"
    resources = manifest.findall(f"{{{CP_NS}}}resources/{{{CP_NS}}}resource")
    items = [r for r in resources if r.get("type") == "imsqti_item_xmlv2p1"]
    tests = [r for r in resources if r.get("type") == "imsqti_test_xmlv2p1"]
    assert len(items) == 10 and len(tests) == 2
    idents = {r.get("identifier") for r in resources}
    assert len(idents) == len(resources)
    # Every listed file is in the zip, and every file in the zip is listed.
    listed = {f.get("href") for r in resources for f in r.findall(f"{{{CP_NS}}}file")}
    assert listed == set(names) - {"imsmanifest.xml"}
    for test in tests:
        deps = {d.get("identifierref") for d in test.findall(f"{{{CP_NS}}}dependency")}
        assert deps and deps <= idents

    interactions = {}
    for res in items:
        item = etree.fromstring(archive.read(res.get("href")))
        assert item.tag == qti("assessmentItem")
        assert item.get("identifier") == res.get("identifier")
        assert item.get("adaptive") == "false" and item.get("timeDependent") == "false"
        # The order the schema requires: declarations, then the body, then processing.
        tags = [etree.QName(c).localname for c in item]
        assert tags == sorted(
            tags,
            key=[
                "responseDeclaration",
                "outcomeDeclaration",
                "itemBody",
                "responseProcessing",
            ].index,
        )
        declared = {d.get("identifier") for d in item.findall(qti("responseDeclaration"))}
        used = {n.get("responseIdentifier") for n in item.iter() if n.get("responseIdentifier")}
        assert declared == used and declared
        for decl in item.findall(qti("responseDeclaration")):
            assert decl.get("cardinality") in ("single", "multiple", "ordered")
            assert decl.find(qti("correctResponse")) is not None
        choice_ids = {c.get("identifier") for c in item.iter(qti("simpleChoice"))}
        for value in item.iter(qti("value")):
            parent = value.getparent().getparent()
            if parent.get("baseType") == "identifier":
                assert value.text in choice_ids
        kind = next(
            etree.QName(n).localname
            for n in item.iter()
            if etree.QName(n).localname.endswith("Interaction")
        )
        if item.get("identifier").startswith("I_igf-1-signaling__"):
            interactions[item.get("title")] = (kind, item)

    assert {k: v[0] for k, v in interactions.items()} == {
        "definition": "extendedTextInteraction",
        "takeaway-1": "textEntryInteraction",
        "misconception-workout": "choiceInteraction",
        "signs-1": "choiceInteraction",
        "mechanism": "orderInteraction",
    }
    basic = interactions["definition"][1]
    prompt = basic.find(f".//{qti('prompt')}")
    assert "".join(prompt.itertext()) == f"What is {HOSTILE}?{SPECIALS}"
    assert prompt.find(qti("br")) is not None
    gaps = interactions["takeaway-1"][1]
    assert [e.get("placeholderText") for e in gaps.iter(qti("textEntryInteraction"))] == [
        None,
        "a pituitary hormone",
    ]
    assert [
        v.text for v in gaps.iter(qti("value")) if v.getparent().tag == qti("correctResponse")
    ] == ["liver", "growth hormone"]
    order = interactions["mechanism"][1]
    assert order.find(qti("responseDeclaration")).get("cardinality") == "ordered"
    assert order.find(qti("responseProcessing")).get("template").endswith("match_correct")


def test_qti_multiple_answers_are_a_multiple_cardinality():
    deck = copy.deepcopy(make_deck())
    deck.questions[3].fields["correct"] = [1, 3]
    data, _ = EXPORT_FORMATS["qti"].write([deck])
    archive = zipfile.ZipFile(io.BytesIO(data))
    item = etree.fromstring(archive.read("items/I_igf-1-signaling__signs-1.xml"))
    decl = item.find(qti("responseDeclaration"))
    assert decl.get("cardinality") == "multiple"
    assert [v.text for v in decl.iter(qti("value"))] == ["C2", "C4"]
    assert item.find(f".//{qti('choiceInteraction')}").get("maxChoices") == "0"


def test_html_to_text_keeps_text_and_drops_markup():
    assert html_to_text("<p>a &amp; <b>b</b></p><script>x()</script>c<br>d") == "a & b\nc\nd"
    assert html_to_text(html.escape(HOSTILE)) == HOSTILE
