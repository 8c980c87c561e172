"""Pasted article text: its format and the file name made from its first heading."""

from __future__ import annotations

import pytest

from quizapp.domain.articles.pasted import pasted_format, pasted_name


@pytest.mark.parametrize(
    ("text", "fmt", "name"),
    [
        ("# IGF-1 Signaling\n\nIGF-1 is made by the **liver**.", "md", "igf-1-signaling.md"),
        ("Sleep and you\n\nDeep sleep is when **growth hormone** peaks.", "md", "sleep-and-you.md"),
        ("Intro\n\nSee [the study](https://example.com/s).", "md", "intro.md"),
        ("Title\n=====\n\nBody text here.", "md", "title.md"),
        ("<article><h1>Protein &amp; you</h1><p>Eat it.</p></article>", "html", "protein-you.html"),
        ("<p>No heading at all.</p>", "html", "pasted.html"),
        (
            "IGF-1 Signaling\nThe growth signal\nPlain English\nIGF-1 is made by the liver.",
            "txt",
            "igf-1-signaling.txt",
        ),
        (
            "Rates rose 5 * 3 times; a_b stays text.",
            "txt",
            "rates-rose-5-3-times-a-b-stays-text.txt",
        ),
        ("x" * 200 + " is one long first line", "txt", "pasted.txt"),
    ],
)
def test_format_and_name(text, fmt, name):
    assert pasted_format(text) == fmt
    assert pasted_name(text) == name


def test_a_long_heading_is_cut_at_a_word():
    name = pasted_name("# " + "word " * 30)
    assert name.endswith(".md") and len(name) <= 63 and not name.startswith("-")
    assert name[:-3].split("-") == ["word"] * 12
