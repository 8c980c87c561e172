"""What the builder knows about single English words: tokens, stop-words, rarity, part of speech.

Owns the word-level facts every other module leans on, so that they agree with each other:
``tokens`` (words with their offsets), ``is_stop`` (function words that are never key terms),
``zipf`` (how common a word is, from ``wordfreq``), ``pos`` (which parts of speech a word can be,
from ``lemminflect``'s lexicon), ``can_be_finite_verb`` and ``third_person``. The two libraries
are loaded once, on first use, and every lookup is cached: a build of a thousand articles asks
about the same few thousand words again and again.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple


def word_set(text: str) -> frozenset[str]:
    """A set of words written as a whitespace-separated string (easier to read and wrap)."""
    return frozenset(text.split())


#: A word: letters/digits with inner hyphens, apostrophes or decimal points ("IGF-1", "muscle's",
#: "12.5", "15%", "ng/mL").
TOKEN = re.compile(r"[A-Za-z0-9][\w'’]*(?:[-/.,][\w'’]+)*%?")

#: Closed-class words (articles, pronouns, prepositions, conjunctions, auxiliaries, modals and
#: the commonest adverbs and quantifiers). Never a key term, never a deletion on their own.
STOP_WORDS = word_set("""
    a an the this that these those such what which who whom whose where when why how whether i
    me my mine myself we us our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves one ones
    someone something anyone anything everyone everything nobody nothing is am are was were be
    been being has have had having do does did doing done can could will would shall should may
    might must ought cannot can't won't don't doesn't didn't isn't aren't wasn't weren't hasn't
    haven't hadn't shouldn't wouldn't couldn't it's that's there's of in on at by for with from
    to into onto upon about above below under over between among through throughout during
    before after since until till within without against toward towards across along around
    behind beyond beside besides despite except inside outside near off out up down via per than
    as like unlike and or but nor so yet both either neither not no also too very just only even
    still already again ever never always often sometimes usually then there here now once more
    most less least much many few fewer several some any all each every other another same own
    rather quite almost nearly enough instead however therefore thus hence first last next final
    whereas while although though because if unless whenever wherever
""")

#: Auxiliaries and modals: finite verbs whatever lemminflect says.
AUXILIARIES = word_set("""
    is am are was were has have had do does did can could will would shall should may might must
    cannot isn't aren't wasn't weren't hasn't haven't hadn't don't doesn't didn't can't won't
    shouldn't wouldn't couldn't it's that's there's
""")


class Token(NamedTuple):
    """One word of a text and where it sits: ``text[start:end] == word``."""

    word: str
    start: int
    end: int
    lower: str


@lru_cache(maxsize=8192)
def _tokens(text: str) -> tuple[Token, ...]:
    return tuple(
        Token(m.group(), m.start(), m.end(), m.group().lower()) for m in TOKEN.finditer(text)
    )


def tokens(text: str) -> list[Token]:
    """Every word of ``text`` with its character offsets, in order."""
    return list(_tokens(text))


@lru_cache(maxsize=16384)
def words(text: str) -> tuple[str, ...]:
    """The words of ``text`` (as :data:`TOKEN` finds them), in order."""
    return tuple(TOKEN.findall(text))


@lru_cache(maxsize=65536)
def is_stop(word: str) -> bool:
    return word.lower().replace("’", "'") in STOP_WORDS


@lru_cache(maxsize=65536)
def is_number(word: str) -> bool:
    return any(c.isdigit() for c in word) and not any(c.isalpha() for c in word.rstrip("%"))


@lru_cache(maxsize=65536)
def is_acronym(word: str) -> bool:
    """ "IGF-1", "mTOR", "GLUT4", "ATP": capitals or digits beyond the first letter."""
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 2 and not any(c.isdigit() for c in word):
        return False
    inner_caps = sum(c.isupper() for c in word[1:])
    return inner_caps >= 1 or (any(c.isdigit() for c in word) and any(c.isalpha() for c in word))


@lru_cache(maxsize=65536)
def zipf(word: str) -> float:
    """How common ``word`` is in English on the Zipf scale: "the" 7.7, "liver" 4.2, unknown 0."""
    return _wordfreq().zipf_frequency(word.lower(), "en")


@lru_cache(maxsize=65536)
def pos(word: str) -> frozenset[str]:
    """The parts of speech ``word`` can take ("NOUN", "VERB", "ADJ", "ADV", "AUX"); empty when
    the lexicon does not know it (technical terms: "cortisol", "mTOR")."""
    lemmas = _lemminflect().getAllLemmas(word.lower().replace("’", "'"))
    return frozenset(lemmas)


@lru_cache(maxsize=65536)
def lemma(word: str, part: str = "VERB") -> str:
    found = _lemminflect().getAllLemmas(word.lower()).get(part)
    return found[0] if found else word.lower()


@lru_cache(maxsize=65536)
def can_be_finite_verb(word: str) -> bool:
    """True when ``word`` can be the finite verb of a clause: an auxiliary or modal, an inflected
    verb form ("binds", "produced", "grew"), or a base form that is only ever a verb ("grow").

    Ambiguous base forms ("muscle", "release", "sleep") and -ing forms are not: a sentence made
    of them alone is a fragment.
    """
    low = word.lower().replace("’", "'")
    if low in AUXILIARIES:
        return True
    parts = pos(low)
    if "VERB" not in parts or low.endswith("ing"):
        return False
    if lemma(low) != low:
        return True
    return not (parts & {"NOUN", "ADJ", "ADV"})


@lru_cache(maxsize=65536)
def is_verb_only(word: str) -> bool:
    """A verb form that is never a noun or adjective ("activates", "binds", "produced")."""
    parts = pos(word)
    return "VERB" in parts and not (parts & {"NOUN", "ADJ"})


@lru_cache(maxsize=65536)
def is_adverb(word: str) -> bool:
    low = word.lower()
    return low.endswith("ly") and "ADV" in pos(low) and "NOUN" not in pos(low)


_AUXILIARY = re.compile(
    r"\b(?:is|are|was|were|has|have|had|does|did|can|could|will|would|"
    r"should|may|might|must|cannot)\b",
    re.I,
)
_PLURAL_SUBJECTS = frozenset({"they", "we", "you", "i", "people", "both"})


@lru_cache(maxsize=16384)
def has_finite_verb(text: str) -> bool:
    """Whether ``text`` has a word that works as a finite verb where it stands.

    Besides :func:`can_be_finite_verb`, a base form that can be a verb counts right after a
    plural subject ("muscle fibers experience", "they sleep").
    """
    if _AUXILIARY.search(text):
        return True
    found = words(text)
    for i, w in enumerate(found):
        if can_be_finite_verb(w):
            if i and "NOUN" in pos(w) and _noun_slot(found[i - 1]):
                continue  # "between IGF-1 and muscles", "the stores"
            return True
        if i and "VERB" in pos(w) and lemma(w) == w.lower():
            j = i - 1
            while j > 0 and (found[j].lower() in _BETWEEN or is_adverb(found[j])):
                j -= 1  # "the kidneys then turn", "muscles quickly refill"
            if _plural_subject(found[j]) or "and" in (w.lower() for w in found[max(0, j - 4) : j]):
                return True  # "muscle fibers experience", "insulin and contraction both move"
    return False


#: Words after which a noun-or-verb word ("muscles", "stores") is a noun.
_NOUN_SLOT = word_set("""
    the a an this that these those my your his her its our their some any each every no many few
    several both such of in on at by for with from to into onto upon about above below under
    over between among through during before after within without against toward towards across
    along around behind beyond beside despite except inside outside near via per than like
    unlike and or nor
""")


def _noun_slot(previous: str) -> bool:
    return previous.lower() in _NOUN_SLOT


_BETWEEN = frozenset(
    {
        "then",
        "also",
        "often",
        "only",
        "still",
        "now",
        "always",
        "usually",
        "never",
        "all",
        "both",
        "first",
        "finally",
        "again",
        "sometimes",
    }
)


def _plural_subject(word: str) -> bool:
    low = word.lower()
    if low in _PLURAL_SUBJECTS:
        return True
    return (
        low.endswith("s")
        and not low.endswith("ss")
        and "NOUN" in pos(low)
        and lemma(low, "NOUN") != low
    )


@lru_cache(maxsize=8192)
def third_person(verb: str) -> str:
    """``leave`` -> ``leaves``, ``be`` -> ``is``: the form that goes with "it"."""
    low = verb.lower()
    if low == "be":
        return "is"
    found = _lemminflect().getInflection(low, "VBZ")
    if found:
        return found[0]
    if re.search(r"(s|sh|ch|x|z|o)$", low):
        return low + "es"
    if re.search(r"[^aeiou]y$", low):
        return low[:-1] + "ies"
    return low + "s"


def lower_first(text: str) -> str:
    """Lower-case the first word unless it is an acronym or a name-like word ("IGF-1", "UVB")."""
    first = words(text[:40])
    if not first or is_acronym(first[0]) or first[0].isupper() and len(first[0]) > 1:
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    if text[:1].isupper():
        return text
    for i, c in enumerate(text):
        if c.isalpha():
            if i and text[i - 1].isalnum():
                return text  # starts with a digit-led token such as "3-day"
            return text[:i] + c.upper() + text[i + 1 :] if not _is_lower_acronym(text[i:]) else text
        if c.isdigit():
            return text
    return text


def _is_lower_acronym(text: str) -> bool:
    """ "mTOR", "iPhone": a lower-case first letter followed by capitals is kept as written."""
    first = words(text[:30])
    return bool(first) and any(c.isupper() for c in first[0][1:])


@lru_cache(maxsize=1)
def _wordfreq():
    import wordfreq

    return wordfreq


@lru_cache(maxsize=1)
def _lemminflect():
    import lemminflect

    return lemminflect
