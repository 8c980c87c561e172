"""Reading articles: formats, structure, headings by role, boilerplate, sentences, errors.

Runs on the two seed articles and on the unseen fixtures in tests/fixtures/articles/ (glossary
pages as .txt, .md and .html; blog articles as .txt, .md and .html). No Flask app needed.
"""

from __future__ import annotations

from pathlib import Path

import pysbd
import pytest

from quizapp.domain.articles import ArticleError, parse_article, read_article
from quizapp.domain.articles.roles import heading_role
from quizapp.domain.articles.sentences import is_fragment, repair, split
from quizapp.domain.articles.source import decode

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "decks" / "sources"
FIXTURES = ROOT / "tests" / "fixtures" / "articles"
TERM_PAGE = SEEDS / "igf-1-signaling.txt"
BLOG = SEEDS / "igf-1-and-muscle-adaptation.txt"
ALL = sorted(SEEDS.glob("*.txt")) + sorted(FIXTURES.glob("*.*"))
TERM_PAGES = [
    TERM_PAGE,
    FIXTURES / "cortisol-rhythm.txt",
    FIXTURES / "sleep-pressure.md",
    FIXTURES / "glycogen-replenishment.html",
]
BLOGS = [
    BLOG,
    FIXTURES / "creatine-and-strength.txt",
    FIXTURES / "vitamin-d-and-bone-health.md",
    FIXTURES / "hydration-and-endurance.html",
]


def article(path: Path):
    return read_article(path)[0]


def all_text(a) -> str:
    parts = [a.title, a.tagline]
    for s in a.sections:
        parts.append(s.heading)
        for b in s.blocks:
            parts.append(b.text)
            parts.extend(b.items)
    return "\n".join(parts)


# --- structure ------------------------------------------------------------------------------


def test_term_page_seed_has_title_tagline_and_roles():
    a = article(TERM_PAGE)
    assert a.title == "IGF-1 Signaling"
    assert a.tagline == "The growth signal that converts effort into muscle"
    assert a.kind == "term"
    assert [s.role for s in a.sections] == [
        "definition",
        "mechanism",
        "why_it_matters",
        "misconception",
        "signs",
        "takeaway",
    ]
    signs = a.by_role("signs")[0].items()
    assert len(signs) == 5 and signs[0].startswith("Progress stalls")
    takeaways = a.by_role("takeaway")[0].sentences()
    assert len(takeaways) == 3 and takeaways[2].startswith("The growth and repair")


def test_term_page_drops_empty_sections_and_the_call_to_action():
    a = article(TERM_PAGE)
    text = all_text(a)
    for boilerplate in (
        "How to Improve It",
        "Appears In",
        "Related Terms",
        "Get started free",
        "Protocol pulls",
        "daily practice",
    ):
        assert boilerplate not in text


def test_blog_seed_title_once_and_pasted_headings_make_one_section():
    a = article(BLOG)
    assert a.title == "The Unknown Connection Between IGF-1 and Muscle Adaptation"
    assert a.kind == "blog"
    headings = [s.heading for s in a.sections]
    assert len(headings) == len(set(headings))
    assert headings.count("Enhances Protein Building Within Muscle Cells") == 1
    assert headings.count("The Role Between IGF-1 and Muscle Growth") == 1
    assert a.title not in headings


@pytest.mark.parametrize(
    "broken, joined",
    [
        (
            "The connection between IGF-1 and muscle.",
            "The connection between IGF-1 and muscle development begins at the cellular level.",
        ),
        (
            "The relationship between IGF-1 and muscle.",
            "The relationship between IGF-1 and muscle responsiveness becomes especially important "
            "here.",
        ),
        # broken across a heading that was pasted a second time, out of place
        (
            "The connection between IGF-1 and muscle.",
            "The connection between IGF-1 and muscle recovery becomes clear during the hours and days "
            "following exercise.",
        ),
        (
            "The link between IGF-1 and muscle.",
            "The link between IGF-1 and muscle repair lies in the hormone’s ability to coordinate how "
            "cells respond to this microdamage.",
        ),
    ],
)
def test_blog_seed_broken_sentences_are_rejoined(broken, joined):
    sentences = article(BLOG).sentences()
    assert joined in sentences
    assert broken not in sentences


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_no_sentence_is_a_fragment_or_half_of_one(path):
    for sentence in article(path).sentences():
        assert not is_fragment(sentence), sentence
        assert sentence[:1].isupper() or sentence[:1].isdigit(), sentence


@pytest.mark.parametrize("path", TERM_PAGES, ids=lambda p: p.name)
def test_term_pages_in_every_format_have_the_same_structure(path):
    a = article(path)
    roles = {s.role for s in a.sections}
    assert a.kind == "term"
    assert a.tagline
    assert {
        "definition",
        "mechanism",
        "why_it_matters",
        "misconception",
        "signs",
        "takeaway",
    } <= roles
    assert len(a.by_role("takeaway")[0].items() or a.by_role("takeaway")[0].sentences()) == 3
    assert len(a.by_role("signs")[0].items()) >= 4


@pytest.mark.parametrize("path", BLOGS, ids=lambda p: p.name)
def test_blogs_in_every_format(path):
    a = article(path)
    assert a.kind == "blog"
    headings = [s.heading for s in a.sections if s.heading]
    assert len(headings) >= 4 and len(headings) == len(set(headings))
    assert a.title not in headings
    assert not any(
        s.startswith(("The connection between", "The link between", "The relationship between"))
        and s.count(" ") < 7
        for s in a.sentences()
    )


def test_html_page_keeps_the_article_and_drops_the_page_around_it():
    a = article(FIXTURES / "glycogen-replenishment.html")
    text = all_text(a)
    assert a.title == "Glycogen Replenishment"
    assert a.tagline == "How your muscles refill their fuel tank after hard training"
    for furniture in (
        "cookie",
        "Pricing",
        "Log in",
        "dataLayer",
        "font-family",
        "All rights",
        "Get started free",
        "daily health score",
        "Insulin Sensitivity",
    ):
        assert furniture not in text
    quote = a.by_role("why_it_matters")[0].blocks[0]
    assert quote.kind == "quote" and quote.text.startswith("Empty tank")


def test_html_blog_drops_newsletter_box_and_duplicate_title():
    a = article(FIXTURES / "hydration-and-endurance.html")
    text = all_text(a)
    assert "newsletter" not in text.lower() and "Subscribe" not in text
    assert text.count("Why Hydration and Endurance Go Hand in Hand") == 1


def test_markdown_lists_quotes_and_emphasis():
    a = article(FIXTURES / "sleep-pressure.md")
    assert a.title == "Sleep Pressure"
    assert a.tagline == "Why you get sleepier the longer you stay awake"
    mechanism = a.by_role("mechanism")[0]
    ordered = [b for b in mechanism.blocks if b.kind == "list"][0]
    assert ordered.ordered and len(ordered.items) == 4
    assert "**" not in all_text(a) and "*adenosine*" not in all_text(a)
    assert any(b.kind == "quote" for b in a.by_role("why_it_matters")[0].blocks)
    assert "Try Protocol free" not in all_text(a)


def test_markdown_front_matter_and_star_lists():
    text = (
        "---\ntitle: Heat Acclimation\n---\n\nAdapting to heat takes about ten days.\n\n"
        "## Warning Signs\n\n* Headache in the heat\n* Dizziness when standing\n"
        "* Cramps late in a session\n"
    )
    a = parse_article(text, "md")
    assert a.title == "Heat Acclimation"
    assert a.by_role("signs")[0].items()[1] == "Dizziness when standing"


def test_plain_text_signs_written_without_dashes_become_items():
    text = (
        "Heat Acclimation\nHow the body learns to handle heat\nPlain English\n"
        "Heat acclimation is the set of changes that let the body work in the heat.\n"
        "Signs It Is Disrupted\nHeadache in the heat\nDizziness when standing\n"
        "Cramps late in a session\n3 Things to Remember\n"
        "Plasma volume rises within the first five days of heat training.\n"
    )
    a = parse_article(text, "txt")
    assert a.by_role("signs")[0].items() == [
        "Headache in the heat",
        "Dizziness when standing",
        "Cramps late in a session",
    ]


@pytest.mark.parametrize(
    "heading, role",
    [
        ("Common Misconception", "misconception"),
        ("Common Misconceptions", "misconception"),
        ("Myth", "misconception"),
        ("Myths vs Facts", "misconception"),
        ("What People Get Wrong", "misconception"),
        ("Common Misconeption", "misconception"),
        ("3 Things to Remember", "takeaway"),
        ("Things to Remember", "takeaway"),
        ("Key Takeaways", "takeaway"),
        ("5 Key Points", "takeaway"),
        ("The Mechanism", "mechanism"),
        ("How It Works", "mechanism"),
        ("How Sleep Pressure Works", "mechanism"),
        ("Plain English", "definition"),
        ("In Plain English", "definition"),
        ("Definition", "definition"),
        ("What Is Sleep Pressure?", "definition"),
        ("Why It Matters", "why_it_matters"),
        ("Why This Matters", "why_it_matters"),
        ("Signs It Is Disrupted", "signs"),
        ("Warning Signs", "signs"),
        ("Signs of Low Glycogen", "signs"),
        ("How to Improve It", "improve"),
        ("Appears In", "appears_in"),
        ("Related Terms", "related"),
        ("Get started free", "cta"),
        ("Turn what you've learned into daily practice", "cta"),
        ("Enhances Protein Building Within Muscle Cells", "other"),
    ],
)
def test_headings_are_recognised_by_role(heading, role):
    assert heading_role(heading) == role


# --- sentences --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_fast_sentence_split_agrees_with_pysbd(path):
    segmenter = pysbd.Segmenter(language="en", clean=False)
    for section in article(path).sections:
        for block in section.blocks:
            if block.kind != "list":
                expected = [s.strip() for s in segmenter.segment(block.text) if s.strip()]
                assert split(block.text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Smith measured it. The result was clear.",
        "It rose by 2.5 percent, e.g. in winter. Then it fell.",
        "Wait... what happened next? Nobody knows.",
    ],
)
def test_ambiguous_full_stops_go_to_pysbd(text):
    expected = [s.strip() for s in pysbd.Segmenter(language="en", clean=False).segment(text)]
    assert split(text) == expected


def test_repair_joins_or_drops_but_never_keeps_half_a_sentence():
    pieces = repair(
        [
            ["The link between sleep and mood.", "Quality matters most at night."],
            ["Energy in the morning, calm at night.", "The curve decides both."],
            ["The bond between heat and sweat."],
        ]
    )
    usable = [p.text for p in pieces if p.usable]
    assert usable == [
        "The link between sleep and mood quality matters most at night.",
        "The curve decides both.",
    ]


# --- errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\n\t\n", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        ("latin1.txt", "Café au lait\nIt is strong.\n".encode("latin-1"), "not valid UTF-8"),
        ("notes.pdf", b"%PDF-1.4", "unsupported file type"),
        (
            "nothing.html",
            b"<html><body><nav><a href='/'>Home</a></nav></body></html>",
            "no content found",
        ),
    ],
)
def test_unreadable_files_fail_with_the_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ArticleError, match=reason):
        read_article(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ArticleError, match="not found"):
        read_article(tmp_path / "gone.txt")
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(ArticleError, match="directory"):
        read_article(tmp_path / "folder.txt")


def test_encodings_with_a_byte_order_mark_or_a_declared_charset_are_read():
    assert decode("\ufeffTitle\nBody.".encode("utf-8"), "txt").startswith("Title")
    assert decode("Title\nBody.".encode("utf-16"), "txt").startswith("Title")
    page = '<html><head><meta charset="windows-1252"></head><body><p>Café</p></body></html>'.encode(
        "cp1252"
    )
    assert "Café" in decode(page, "html")


FAQ_PAGE = """<!doctype html><html><head><title>Compost FAQ | Garden Desk</title></head><body>
<nav class="site-nav"><a href="/">Home</a> | <a href="/topics">Topics</a></nav>
<h1>Compost FAQ</h1>
<p class="subtitle">Short answers about turning scraps into soil.</p>
<h2>What is compost?</h2>
<p>Compost is decomposed organic matter that gardeners add to soil to feed it and improve its
structure.</p>
<h2>What can go in a compost heap?</h2>
<p>Most kitchen and garden scraps can go in. The usual ingredients include:</p>
<ul><li>vegetable peelings</li><li>grass clippings</li><li>shredded cardboard</li></ul>
<h2>Is it true that compost heaps always smell?</h2>
<p>No. A heap with enough air and a balance of green and brown material smells earthy; a bad
smell means it is too wet or packed too tight.</p>
<h2>How long does compost take?</h2>
<p>A well-turned heap can be ready in two to three months; an untended one takes a year or
more.</p>
<footer>Copyright Garden Desk</footer></body></html>"""


def test_an_faq_page_of_bare_headings_keeps_its_questions_and_lists():
    from quizapp.domain.articles.html import read_html

    blocks, title = read_html(FAQ_PAGE)
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert "What is compost?" in headings
    assert "Is it true that compost heaps always smell?" in headings
    assert any(b.kind == "list" and "grass clippings" in b.items for b in blocks)
    assert not any("Copyright" in (b.text or "") or "Topics" in (b.text or "") for b in blocks)
