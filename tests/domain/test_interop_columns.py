"""Text files without headers read with a column mapping chosen by the importer."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.domain.interop import (
    MAX_COLUMNS,
    ROLES,
    InteropError,
    check_columns,
    preview_text,
    read_file,
)

WORDS = (
    b"id\tnotes\tfront side\tback side\ttopic\n"
    b"7\tfrom week 1\tapple\tpomme\tfood fruit\n"
    b"8\t\thouse\tmaison\thome\n"
    b"9\tno answer\tlonely\t\t\n"
)


def test_preview_shows_the_first_rows_and_guesses_anki_s_order():
    preview = preview_text(WORDS, "words.tsv", rows=2)
    assert preview.rows == [
        ["id", "notes", "front side", "back side", "topic"],
        ["7", "from week 1", "apple", "pomme", "food fruit"],
    ]
    assert preview.width == 5 and preview.needs_mapping
    assert preview.guess == ["front", "back", "ignore", "ignore", "ignore"]


def test_preview_needs_no_mapping_for_two_columns_or_named_columns():
    assert not preview_text(b"apple\tpomme\n", "a.tsv").needs_mapping
    named = b"#columns:Front\tBack\tMore\napple\tpomme\tx\n"
    assert preview_text(named, "a.tsv").width == 3
    assert not preview_text(named, "a.tsv").needs_mapping
    assert not preview_text(b"#notetype:Basic\na\tb\tc\n", "a.tsv").needs_mapping


def test_preview_guesses_cloze_text_from_deletions():
    preview = preview_text(b"The {{c1::sun}} is a star\tastronomy\tx\n", "c.csv")
    assert preview.guess == ["text", "extra", "ignore"]


def test_mapping_picks_front_back_and_tags_and_skips_rows_without_a_back():
    parsed = read_file(WORDS, "words.tsv", columns=["ignore", "ignore", "front", "back", "tags"])
    questions = parsed.decks[0].questions
    pairs = [(q.fields["front"], q.fields["back"], q.tags) for q in questions]
    assert pairs == [
        ("front side", "back side", ["topic"]),
        ("apple", "pomme", ["food", "fruit"]),
        ("house", "maison", ["home"]),
    ]
    assert [str(s) for s in parsed.skipped] == [
        "words.tsv:4: skipped: a Basic row needs a front and a back (found 1 non-empty field)"
    ]


def test_without_a_mapping_the_same_file_reads_anki_s_way():
    parsed = read_file(WORDS, "words.tsv")
    assert parsed.decks[0].questions[1].fields == {"front": "7", "back": "from week 1"}


def test_a_cloze_mapping_makes_gap_questions():
    data = b"x\tThe {{c1::sun}} is a star\tOur nearest\n"
    parsed = read_file(data, "c.tsv", columns=["ignore", "text", "extra"])
    question = parsed.decks[0].questions[0]
    assert question.type == "cloze" and "{{c1::sun}}" in question.fields["text"]
    assert question.explanation == "Our nearest"


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        (["back", "ignore"], "choose the column that holds the front"),
        (["front", "front", "back"], "2 columns are the front: choose one"),
        (["front", "back", "back"], "2 columns are the back: choose one"),
        (["front", "extra"], "not both"),
        (["front", "answer"], "unknown column role 'answer'"),
    ],
)
def test_bad_mappings_are_refused(columns, message):
    with pytest.raises(InteropError, match=message):
        check_columns(columns)
    with pytest.raises(InteropError, match=message):
        read_file(WORDS, "words.tsv", columns=columns)


def test_a_mapping_is_only_for_text_files():
    with pytest.raises(InteropError, match="only CSV, TSV and TXT"):
        read_file(b"::q:: a {=b}\n", "x.gift", columns=["front", "back"])


def test_a_mapping_names_at_most_max_columns():
    wide = b"\t".join(b"c%d" % i for i in range(150)) + b"\n"
    preview = preview_text(wide, "w.tsv")
    assert preview.width == 150 and len(preview.guess) == MAX_COLUMNS
    with pytest.raises(InteropError, match="at most 100 columns"):
        check_columns(["front"] + ["ignore"] * MAX_COLUMNS)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.binary(max_size=300), st.lists(st.sampled_from(ROLES), max_size=6))
def test_preview_and_mapped_reading_of_random_input_fail_only_with_interop_error(data, columns):
    for attempt in (
        lambda: preview_text(data, "f.csv"),
        lambda: read_file(data, "f.csv", columns=columns),
    ):
        with contextlib.suppress(InteropError):
            attempt()
