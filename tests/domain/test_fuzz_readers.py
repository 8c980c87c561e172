"""hypothesis against every reader of untrusted input (issue 13, "keep it closed").

The article reader, the deck-file reader and the answer parsers (study and quiz, from JSON and
from forms) may only fail with their documented error types: ``ArticleError``,
``DeckFileError``, ``AnswerShapeError`` and the study service's ``BadAnswer``/``StudyError``.
Examples are bounded so each test takes a few seconds; ``QUIZAPP_FUZZ_EXAMPLES`` raises the bound.
"""

from __future__ import annotations

import contextlib
import os
import string

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from quizapp.domain import quiz as rules
from quizapp.domain.articles import ArticleError, parse_article
from quizapp.domain.articles.source import decode
from quizapp.domain.deckfile import DeckFileError, dump_deck_text, load_deck_file, load_deck_text
from quizapp.domain.questions import AnswerShapeError, Grade, get_type

from ..factories import sample_deck

EXAMPLES = int(os.environ.get("QUIZAPP_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)

# Text with what breaks parsers: controls, NUL, lone surrogates, odd digits, markup and YAML.
nasty_chars = st.one_of(
    st.characters(codec=None),
    st.sampled_from(list("\x00\ud800\udfff²٣\u202e\ufeff\r\n\t:&*!|>-[]{}<>#%@`'\"\\")),
)
nasty_text = st.text(nasty_chars, max_size=200)
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**30)
    | st.floats(allow_nan=True)
    | nasty_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(nasty_text, inner, max_size=4),
    max_leaves=12,
)


# --- the article reader -------------------------------------------------------------------------

html_fragments = st.lists(
    st.one_of(
        nasty_text,
        st.sampled_from(
            [
                "<html>",
                "<body>",
                "<p>",
                "</p>",
                "<h1>",
                "</h1>",
                "<h2>Why</h2>",
                "<ul>",
                "<li>",
                "</ul>",
                "<script>x</script>",
                "<!--",
                "-->",
                "<![CDATA[",
                '<meta charset="rot13">',
                '<meta charset="utf-16">',
                '<meta charset="idna">',
                "<title>T</title>",
                "<div>" * 50,
                "&#0;",
                "&#xD800;",
                "<?xml?>",
            ]
        ),
    ),
    max_size=40,
).map("".join)
markdown_fragments = st.lists(
    st.one_of(
        nasty_text,
        st.sampled_from(
            [
                "# Title\n",
                "## Why it matters\n",
                "- item\n",
                "  - nested\n",
                "> quote\n",
                "```\ncode\n```\n",
                "1. one\n",
                "|a|b|\n|-|-|\n",
                "[x](y)",
                "<div>",
                "> " * 30,
                "\n\n",
            ]
        ),
    ),
    max_size=40,
).map("".join)


@FUZZ
@given(data=st.binary(max_size=600), fmt=st.sampled_from(["txt", "md", "html"]))
def test_decoding_article_bytes_raises_only_article_error(data, fmt):
    try:
        text = decode(data, fmt)
    except ArticleError:
        return
    assert isinstance(text, str)


@FUZZ
@given(
    text=st.one_of(html_fragments, markdown_fragments, nasty_text),
    fmt=st.sampled_from(["txt", "md", "html"]),
)
@example(text="# Title\n\nA stray \x01 control character.", fmt="md")  # lxml refused it
@example(text="<HTML>", fmt="md")  # raw page tags in Markdown: lxml's "too many bodies"
@example(text="<p>" * 5000 + "deep", fmt="html")
def test_parsing_an_article_raises_only_article_error(text, fmt):
    with contextlib.suppress(ArticleError):
        parse_article(text, fmt)


@FUZZ
@given(
    charset=st.text(string.ascii_letters + string.digits + "-_", min_size=1, max_size=20),
    body=nasty_text,
)
@example(charset="rot13", body="An article.")  # a codec, but no text encoding: was a 500
@example(charset="base64", body="An article.")
@example(charset="idna", body="An article.")
def test_any_declared_charset_reads_or_is_an_article_error(charset, body):
    page = f'<html><head><meta charset="{charset}"></head><body><p>{body}</p></body></html>'
    with contextlib.suppress(ArticleError):
        decode(page.encode("utf-8", "surrogatepass"), "html")


# --- the deck-file reader -----------------------------------------------------------------------

VALID_DECK = dump_deck_text(sample_deck())
yaml_pieces = st.sampled_from(
    [
        "id: x\n",
        "title: T\n",
        "questions:\n",
        "  - id: q\n",
        "    type: basic\n",
        "    front: F\n",
        "    back: B\n",
        "    type: cloze\n",
        "    text: '{{c1::a}}'\n",
        "    correct: [0]\n",
        "    choices: [a, b]\n",
        "    origin: {section: other, quote: q}\n",
        "    tags: [a, b]\n",
        "&a ",
        "*a ",
        "<<: *a\n",
        "!!binary ",
        "!!python/object ",
        "? ",
        "--- \n",
        "...\n",
        "[",
        "]",
        "{",
        "}",
        "- ",
        "'",
        '"',
        "|\n",
        ">\n",
        "\t",
        "99999999999999999999999999\n",
        "%YAML 1.1\n",
        "%TAG ! tag:x,2000:\n",
    ]
)
deck_texts = st.one_of(
    st.lists(st.one_of(yaml_pieces, nasty_text), max_size=30).map("".join),
    # A valid deck with one span replaced: the reader sees nearly right files most of the time.
    st.tuples(
        st.integers(0, len(VALID_DECK)), st.integers(0, 40), st.one_of(yaml_pieces, nasty_text)
    ).map(lambda t: VALID_DECK[: t[0]] + t[2] + VALID_DECK[t[0] + t[1] :]),
)


@FUZZ
@given(text=deck_texts)
@example(text="id: x\ntitle: T\nquestions:\n  - id: q\n    type: [basic]\n")  # unhashable type
@example(text="a: " + "[" * 50_000 + "]" * 50_000)  # RecursionError in the composer
@example(text="id: x\ntitle: T\nquestions: []\nn: " + "9" * 5000)  # int() digit limit
def test_reading_a_deck_file_raises_only_deck_file_error(text):
    try:
        deck = load_deck_text(text, "fuzz.yaml")
    except DeckFileError as exc:
        assert exc.problems and all(p.file == "fuzz.yaml" for p in exc.problems)
        return
    assert deck.id and deck.title


@FUZZ
@given(data=st.binary(max_size=400))
def test_deck_file_bytes_raise_only_deck_file_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "deck.yaml"
    path.write_bytes(data)
    with contextlib.suppress(DeckFileError):
        load_deck_file(path)


# --- the answer parsers -------------------------------------------------------------------------

QUESTIONS = {q.type: q for q in sample_deck().questions}


@FUZZ
@given(type_name=st.sampled_from(sorted(QUESTIONS)), response=json_values)
def test_grading_any_json_answer_raises_only_answer_shape_error(type_name, response):
    question = QUESTIONS[type_name]
    try:
        grade = get_type(type_name).grade(dict(question.fields), 1, response)
    except AnswerShapeError:
        return
    assert isinstance(grade, Grade)


@FUZZ
@given(
    type_name=st.sampled_from(sorted(QUESTIONS)),
    mode=st.sampled_from([None, "choice"]),
    response=json_values,
)
def test_grading_any_quiz_answer_raises_only_answer_shape_error(type_name, mode, response):
    question = QUESTIONS[type_name]
    data = rules.QuestionData(id=1, type=type_name, fields=question.fields)
    item = {"question_id": 1, "ordinal": 1, "mode": mode}
    with contextlib.suppress(AnswerShapeError):
        rules.grade_item(item, data, response, ["Another back", "A third back"])


form_items = st.lists(
    st.tuples(
        st.one_of(
            st.sampled_from(
                [
                    "mode",
                    "text",
                    "answer",
                    "choice",
                    "pos-a",
                    "pos-b",
                    "i0-shown",
                    "i0-answer",
                    "i0-choice",
                    "i0-blank",
                    "i0-text",
                    "go",
                ]
            ),
            nasty_text,
        ),
        st.one_of(nasty_text, st.sampled_from(["revealed", "true", "false", "²", "9" * 5000, "1"])),
    ),
    max_size=8,
)


@FUZZ
@given(type_name=st.sampled_from(sorted(QUESTIONS)), items=form_items)
def test_the_study_form_parser_raises_only_bad_answer(app, type_name, items):
    from quizapp.services import study
    from quizapp.web.study import form_response

    with contextlib.suppress(study.BadAnswer):
        form_response(type_name, MultiDict(items))


@pytest.fixture
def ordering_item():
    from quizapp.services.quiz import ItemView

    return [
        ItemView(
            index=0,
            kind=kind,
            label="",
            shown={"steps": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}]},
        )
        for kind in (
            "true_false",
            "multiple_choice",
            "basic_choice",
            "ordering",
            "cloze",
            "basic_typed",
        )
    ]


@FUZZ
@given(items=form_items)
def test_the_quiz_form_parser_raises_only_answer_shape_error(app, ordering_item, items):
    from quizapp.web.quiz import response_from_form

    for item in ordering_item:
        with contextlib.suppress(AnswerShapeError):
            response_from_form(item, MultiDict(items))
