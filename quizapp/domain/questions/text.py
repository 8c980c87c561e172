"""Comparing typed text: the normalisation behind cloze grading, quiz matching and the linter."""

from __future__ import annotations

import re
import unicodedata


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[\u2010-\u2015\-/]", " ", text)
    text = re.sub(r"[^\w\s%.]", "", text)
    text = re.sub(r"(?<!\d)\.|\.(?!\d)", "", text)
    words = text.split()
    if words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)
