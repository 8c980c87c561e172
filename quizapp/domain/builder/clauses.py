"""Sentence surgery: subjects, pronouns, clauses, lists and negation.

Small, well-tested string transformations the generators share. None of them parses English
in general; each recognises one common shape and returns None when a sentence does not have
it, so a generator can skip that sentence rather than produce a bad question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from quizapp.domain.articles.words import (
    AUXILIARIES,
    has_finite_verb,
    is_acronym,
    is_stop,
    lemma,
    lower_first,
    pos,
    third_person,
    upper_first,
    word_set,
    words,
    zipf,
)

PRONOUN_STARTS = word_set("""
    it this that these those they them their its he she his her such both each here
""")
VAGUE_HEADS = word_set("""
    goal aim point key idea thing things process result answer reason difference truth problem
    question fact way part one lot approach
""")
_PAREN = re.compile(r"\s*\([^)]*\)")
_LEADING_CLAUSE = re.compile(
    r"^(?:after|when|once|as|during|inside|within|between|before|while|if|following|over time|"
    r"in response to|at|by|with|without|for|in|on|then|next|finally|later|eventually|first|"
    r"as a result|in turn)\b[^,]{0,90},\s+",
    re.I,
)
_META = re.compile(
    r"\b(this|the) (article|post|guide|page|piece|section)\b|\bin this "
    r"(article|post|guide)\b|\bread on\b|\blet's\b|\bwe will\b|\bwe'll\b",
    re.I,
)


def strip_parentheticals(text: str) -> str:
    return _PAREN.sub("", text)


def ensure_period(text: str) -> str:
    text = text.strip().rstrip(",;:- ")
    return text if text.endswith((".", "!", "?")) else text + "."


def is_meta(sentence: str) -> bool:
    """ "This article covers...", "read on": talk about the text, not about the subject."""
    return bool(_META.search(sentence))


def starts_with_pronoun(sentence: str) -> bool:
    """True when the sentence, or its main clause after a leading "Once released,", opens with
    a pronoun or demonstrative."""
    for text in (sentence, drop_leading_clause(sentence)):
        first = words(text[:30])
        if first and _bare(first[0]) in PRONOUN_STARTS:
            return True
    return False


def _bare(word: str) -> str:
    """The word in lower case, a contraction cut at its apostrophe ("It’s" -> "it")."""
    return re.split(r"['’]", word.lower())[0]


@lru_cache(maxsize=8192)
def drop_leading_clause(text: str) -> str:
    """ "After a session, the body releases..." -> "the body releases..."."""
    return _LEADING_CLAUSE.sub("", text, count=1)


_SKIPPABLE = frozenset(
    {
        "then",
        "also",
        "often",
        "only",
        "still",
        "both",
        "all",
        "now",
        "first",
        "finally",
        "usually",
        "always",
        "never",
        "again",
    }
)


def subject_of(sentence: str, *, strict: bool = True) -> str | None:
    """The grammatical subject of ``sentence`` when it is a short noun phrase, else None.

    "Growth hormone travels to the liver" -> "Growth hormone"; "It is not." -> None. With
    ``strict`` (the default) vague subjects ("the goal", "the body") count as none.
    """
    body = drop_leading_clause(sentence)
    toks = words(body)
    for i in range(1, len(toks)):
        if _is_verb_here(toks, i):
            head = toks[:i]
            while len(head) > 1 and head[-1].lower() in _SKIPPABLE:
                head = head[:-1]
            subject = _prefix(body, head)
            if subject and (good_subject(subject) if strict else _any_subject(subject)):
                return subject
            return None
    return None


def _any_subject(subject: str) -> bool:
    toks = words(subject)
    return (
        1 <= len(toks) <= 7
        and toks[0].lower() not in PRONOUN_STARTS
        and any(not is_stop(t) for t in toks)
    )


def _is_verb_here(toks: Sequence[str], i: int) -> bool:
    w = toks[i].lower()
    if w in AUXILIARIES:
        return True
    parts = pos(w)
    if "VERB" not in parts or w.endswith("ing"):
        return False
    j = i - 1
    while j > 0 and toks[j].lower() in _SKIPPABLE:
        j -= 1
    prev = toks[j].lower()
    if is_stop(prev) and j == i - 1:
        return False
    if lemma(w) != w:
        return w.endswith("s") or w.endswith("ed") or "NOUN" not in parts
    return "NOUN" not in parts or prev.endswith("s")


def _prefix(text: str, toks: Sequence[str]) -> str:
    if not toks:
        return ""
    end = 0
    for w in toks:
        end = text.index(w, end) + len(w)
    return text[:end].strip(" ,")


def good_subject(subject: str) -> bool:
    """A subject a question can stand on: a short noun phrase, not a pronoun or "the goal"."""
    toks = words(subject)
    if not 1 <= len(toks) <= 9:
        return False
    first = toks[0].lower()
    if first in PRONOUN_STARTS or first in (
        "that",
        "which",
        "who",
        "what",
        "one",
        "most",
        "some",
        "many",
        "much",
        "all",
    ):
        return False
    if any(t.lower() in ("that", "which", "who", "whose") for t in toks[1:]):
        return False
    content = [t for t in toks if not is_stop(t)]
    if not content:
        return False
    return not (len(content) == 1 and content[0].lower() in VAGUE_HEADS)


def is_key_subject(subject: str) -> bool:
    """A subject worth resolving a pronoun to: names a specific thing ("IGF-1", "vitamin D")."""
    toks = [t for t in words(subject) if not is_stop(t)]
    return bool(toks) and len(toks) <= 4 and any(is_acronym(t) or zipf(t) < 4.6 for t in toks)


def resolve_pronoun(sentence: str, previous: str | None) -> str | None:
    """``sentence`` with a leading "It"/"They" replaced by the previous sentence's subject.

    Returns ``sentence`` unchanged when it does not start with a pronoun, and None when it does
    but the pronoun cannot be resolved safely.
    """
    main = drop_leading_clause(sentence)
    lead = sentence[: len(sentence) - len(main)]
    first = words(main[:20])
    if not first or _bare(first[0]) not in PRONOUN_STARTS:
        return sentence if not starts_with_pronoun(sentence) else None
    if first[0].lower() not in ("it", "they") or previous is None:
        return None
    antecedent = subject_of(previous)
    if not antecedent or not is_key_subject(antecedent):
        return None
    plural = first[0].lower() == "they"
    if plural != _looks_plural(antecedent):
        return None
    rest = main[len(first[0]) :]
    subject = lower_first(antecedent) if lead else upper_first(antecedent)
    return lead + subject + rest


def _looks_plural(subject: str) -> bool:
    toks = words(subject)
    if " and " in f" {subject} ":
        return True
    last = toks[-1].lower() if toks else ""
    return (
        last.endswith("s")
        and not last.endswith("ss")
        and "NOUN" in pos(last)
        and lemma(last, "NOUN") != last
    )


def rewrite_demonstratives(text: str) -> str:
    """ "in that cascade" -> "in the cascade": a demonstrative after a preposition points back
    to a sentence the learner will not see."""
    if not _DEMONSTRATIVE.search(text):
        return text
    return re.sub(
        r"\b(in|to|from|with|by|for|on|at|into|through|during|after)\s+"
        r"(this|that|these|those)\s+(?=[a-z])(?!(?:is|are|was|were|has|have|can|will|"
        r"would|may|might|must|should|do|does|did|and|or|of)\b)",
        lambda m: f"{m.group(1)} the ",
        text,
    )


_DEMONSTRATIVE = re.compile(r"\b(?:this|that|these|those)\b")
_BACK_ANYWHERE = re.compile(r"\b(?:of|like|from|than)\s+(?:these|those|them|this|that)\b", re.I)
_BACK_REFERENCE = re.compile(
    r"^(?:\w+\s+){0,5}?(?:this|these|those)\s+[a-z]|"
    r"^(?:when|if|while|as|once|because|after|before|since|until)\s+"
    r"(?:it|they|this|these|those|that)\b|"
    r"^(?:the|these|those)\s+(?:two|three|four|five|six|both)\s",
    re.I,
)


def refers_back(sentence: str) -> bool:
    """True when the sentence leans on one the learner will not see: "One of the most
    important of these...", "Over time, this repeated process leads to..."."""
    if _BACK_ANYWHERE.search(sentence):
        return True
    head = sentence[:100]
    return bool(
        _BACK_REFERENCE.match(head) or _BACK_REFERENCE.match(drop_leading_clause(sentence)[:100])
    )


def split_list(text: str) -> list[str]:
    """ "A, B, and C" / "A, B or C" -> ["A", "B", "C"]; stops at the list's end.

    The list ends with the item after the last "and"/"or"; anything after the next comma
    belongs to the rest of the sentence and is left out.
    """
    text = text.strip().rstrip(".;:")
    parts = [p.strip() for p in re.split(r",\s*", text) if p.strip()]
    items: list[str] = []
    for part in parts:
        if re.match(r"^(?:which|who|that|where|whose)\b", part):
            continue
        m = re.match(r"^(?:and|or)\s+(.+)$", part)
        if m:
            items.append(m.group(1))
            break
        pair = re.split(r"\s+(?:and|or)\s+(?:by\s+|when\s+|if\s+)?", part, maxsplit=1)
        if len(pair) == 2 and items is not None:
            items.extend(pair)
            break
        items.append(part)
    return [_clean_item(i) for i in items if _clean_item(i)]


def _clean_item(item: str) -> str:
    item = re.sub(r"^(?:when|if|by|from|with)\s+", "", item.strip(), flags=re.I)
    item = re.sub(r",?\s+(?:which|who|that)\s.*$", "", item)
    return item.strip(" .;:")


def adjective_first(clause: str) -> str:
    """ "energy availability is low" -> "low energy availability" (a short adjectival
    predicate moves in front); other clauses come back unchanged."""
    m = re.match(
        r"^(?P<subject>[\w\- ]+?)\s+(?:is|are)\s+(?P<adv>\w+ly\s+)?(?P<adj>\w+)$", clause.strip()
    )
    if not m or has_finite_verb(m.group("subject")) or len(words(m.group("subject"))) > 4:
        return clause
    adj = m.group("adj")
    if "ADJ" not in pos(adj) and not adj.endswith("ed"):
        return clause
    if adj.lower() in ("too", "not", "very"):
        return clause
    subject = re.sub(r"^(?:the|a|an)\s+", "", m.group("subject"), flags=re.I)
    return f"{m.group('adv') or ''}{adj} {lower_first(subject)}"


_NEGATION = re.compile(
    r"\b(?P<aux>is|are|was|were|does|do|did|can|will|would|should|has|have)\s*"
    r"(?:n't|\s+not)\b\s*(?P<rest>.*)$|\b(?P<cannot>cannot|can't)\s+(?P<rest2>.*)$",
    re.I,
)


def affirm(clause: str) -> str | None:
    """The clause with its first negation removed: "X does not just leave you tired" ->
    "X just leaves you tired"; "X is not simply Y" -> "X is simply Y". None when the clause
    has no negation of a shape this knows."""
    m = _NEGATION.search(clause)
    if not m:
        return None
    head = clause[: m.start()]
    if m.group("cannot"):
        return f"{head}can {m.group('rest2')}".strip()
    aux, rest = m.group("aux").lower(), m.group("rest")
    if aux in ("does", "do", "did"):
        adverb = ""
        am = re.match(r"^((?:just|simply|only|merely|always|really|fully|actually)\s+)(.*)$", rest)
        if am:
            adverb, rest = am.group(1), am.group(2)
        verb_words = rest.split(" ", 1)
        if not verb_words or not verb_words[0]:
            return None
        verb = verb_words[0]
        tail = f" {verb_words[1]}" if len(verb_words) > 1 else ""
        if aux == "does":
            verb = third_person(verb)
        elif aux == "did":
            verb = _past(verb)
            if verb is None:
                return None
        return f"{head}{adverb}{verb}{tail}".strip()
    return f"{head}{m.group('aux')} {rest}".strip()


def _past(verb: str) -> str | None:
    from quizapp.domain.articles.words import _lemminflect

    found = _lemminflect().getInflection(verb.lower(), "VBD")
    return found[0] if found else None


def is_declarative(sentence: str) -> bool:
    return (
        bool(sentence)
        and sentence[:1].isupper()
        and sentence.rstrip().endswith(".")
        and has_finite_verb(sentence)
    )


__all__ = [
    "adjective_first",
    "affirm",
    "drop_leading_clause",
    "ensure_period",
    "good_subject",
    "is_declarative",
    "is_key_subject",
    "is_meta",
    "resolve_pronoun",
    "rewrite_demonstratives",
    "split_list",
    "starts_with_pronoun",
    "strip_parentheticals",
    "subject_of",
]
