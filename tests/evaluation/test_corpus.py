"""The corpus itself: its size and mix, valid gold files, and gold that is grounded in the
article (every match phrase and every list or step item occurs in the article's text), so that a
fact can be covered at all and a typo in a gold file fails here, not silently in the figures."""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import pytest

from quizapp.evaluation.gold import SHAPES, corpus_articles, load_gold
from quizapp.evaluation.text import contains_phrase, words

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "corpus"
ARTICLES = corpus_articles(CORPUS / "dev") + corpus_articles(CORPUS / "heldout")


def article_words(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return words(text)


def test_the_corpus_has_thirty_dev_and_twelve_heldout_articles_in_all_three_formats():
    dev, heldout = corpus_articles(CORPUS / "dev"), corpus_articles(CORPUS / "heldout")
    assert len(dev) >= 30 and len(heldout) >= 12
    for folder in (dev, heldout):
        formats = Counter(p.suffix for p in folder)
        assert set(formats) == {".txt", ".md", ".html"}
        assert min(formats.values()) >= len(folder) // 4


def test_the_articles_cover_many_shapes_and_fields():
    golds = [load_gold(p) for p in ARTICLES]
    assert len({g.shape for g in golds}) >= 8
    assert {g.shape for g in golds} <= set(SHAPES)
    assert len({g.field for g in golds}) >= 10


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_every_gold_phrase_and_item_occurs_in_its_article(path):
    gold = load_gold(path)
    text = article_words(path)
    missing = [
        f"{fact.id}: {m}" for fact in gold.facts for m in fact.match if not contains_phrase(text, m)
    ]
    missing += [
        f"myth: {m}" for myth in gold.myths for m in myth.match if not contains_phrase(text, m)
    ]
    missing += [
        f"definition: {m}"
        for d in gold.definitions
        for m in d.match
        if not contains_phrase(text, m)
    ]
    present = set(text)
    missing += [
        f"{seq.about}: {item}"
        for seq in gold.lists + gold.steps
        for item in seq.items
        if any(w not in present for w in words(item) if len(w) > 3)
    ]
    assert missing == []


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_every_article_is_between_300_and_1500_words(path):
    assert 300 <= len(article_words(path)) <= 1500
