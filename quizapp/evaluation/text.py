"""Normalising and matching text the way the gold contract says: case-insensitive, curly quotes
and dashes straightened, plurals folded, cloze markup removed.

A *phrase* matches a text when its normalised words occur in the text's normalised words as a
contiguous run ("mx record" matches "MX records"). :func:`similar` is the fuzzy comparison
(rapidfuzz) used for list items, steps and duplicates.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz
from wordfreq import zipf_frequency

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00a0": " ",
        "\u2013": "-",
        "\u2014": "-",
        "\u2011": "-",
        "\u2009": " ",
        "\u202f": " ",
        "\u2212": "-",
    }
)
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}")
_POSSESSIVE = re.compile(r"'s$")
_WORD = re.compile(r"[a-z0-9]+(?:[-'.][a-z0-9]+)*")
#: Words whose final "s" is not a plural.
_KEEP_S = frozenset(
    {
        "is",
        "was",
        "has",
        "does",
        "this",
        "its",
        "us",
        "as",
        "thus",
        "gas",
        "bus",
        "yes",
        "his",
        "less",
        "unless",
        "across",
        "always",
        "perhaps",
        "whereas",
        "series",
        "species",
        "news",
        "physics",
        "economics",
        "politics",
        "means",
        "lens",
        "stomata",
        "ethics",
        "mathematics",
        "dns",
        "aids",
        "ios",
        "https",
        "chaos",
        "status",
        "virus",
        "bias",
        "atlas",
        "focus",
        "basis",
        "analysis",
        "crisis",
        "thesis",
        "diagnosis",
        "osmosis",
        "plus",
        "minus",
        "bonus",
        "campus",
        "census",
        "corpus",
        "genus",
        "nucleus",
        "stimulus",
        "apparatus",
        "fungus",
        "cactus",
        "circus",
        "hummus",
        "octopus",
        "papillae",
    }
)


def straighten(text: str) -> str:
    """Curly quotes, dashes and odd spaces replaced by their plain ASCII forms."""
    return text.translate(_QUOTES)


def strip_cloze(text: str) -> str:
    """A cloze text with every deletion filled in: ``{{c1::DNS}} maps`` -> ``DNS maps``."""
    return _CLOZE.sub(lambda m: m.group(1), text)


def cloze_answers(text: str) -> list[str]:
    return [m.group(1) for m in _CLOZE.finditer(text)]


def blank_cloze(text: str) -> str:
    """The cloze text as the learner sees it, every deletion a ``___``."""
    return _CLOZE.sub("___", text)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """One lower-case word with its plural folded: records -> record, studies -> study."""
    if len(word) <= 3 or word in _KEEP_S or not word.endswith("s") or word.endswith("ss"):
        return word
    if word.endswith("ies") and len(word) > 4:
        # studies -> study, but calories -> calorie: the more frequent singular wins
        y_form, ie_form = word[:-3] + "y", word[:-1]
        return ie_form if zipf_frequency(ie_form, "en") > zipf_frequency(y_form, "en") else y_form
    if word.endswith(("ches", "shes", "xes", "sses", "zes", "uses")):
        return word[:-2]
    if word.endswith(("us", "is")):
        return word
    return word[:-1]


def words(text: str) -> list[str]:
    """The normalised words of a text (cloze markup removed, straightened, lower case, folded)."""
    plain = straighten(strip_cloze(text)).lower()
    return [fold(_POSSESSIVE.sub("", w).strip("'.")) for w in _WORD.findall(plain)]


def contains_phrase(text_words: list[str], phrase: str) -> bool:
    """True when the phrase's words occur as a contiguous run in ``text_words``."""
    target = words(phrase)
    if not target:
        return False
    n = len(target)
    first = target[0]
    return any(
        word == first and text_words[i : i + n] == target for i, word in enumerate(text_words)
    )


def matches_all(text_words: list[str], phrases: tuple[str, ...] | list[str]) -> bool:
    return bool(phrases) and all(contains_phrase(text_words, p) for p in phrases)


def norm(text: str) -> str:
    """The normalised words joined by spaces, for fuzzy comparison."""
    return " ".join(words(text))


def similar(a: str, b: str) -> float:
    """0-100: how alike two short texts are (token set ratio on normalised words)."""
    na, nb = norm(a), norm(b)
    if not na or not nb:
        return 0.0
    return fuzz.token_set_ratio(na, nb)


def same_item(a: str, b: str, threshold: float = 80.0) -> bool:
    """True when two list items or steps say the same thing (one may be a shortened form)."""
    na, nb = norm(a), norm(b)
    if not na or not nb:
        return False
    if na == nb or f" {na} " in f" {nb} " or f" {nb} " in f" {na} ":
        return True
    return fuzz.token_set_ratio(na, nb) >= threshold and fuzz.ratio(na, nb) >= 55
