"""Which sentences may become questions: factual, declarative, standing on their own.

A teacher asks about facts the article states, in sentences a learner can read without the
article around them. :func:`not_factual` names why a sentence is not such a fact (a question,
an exclamation, first or second person, a hook, an anecdote, an instruction, a product plug, an
attribution, a caption or a byline); :func:`leans_on_context` finds sentences that point back to
what the learner will not see ("this process", "such changes", "does the same", "one of those");
:func:`strip_opener` removes a discourse opener that carries no content ("In fact,", "So,", "But
now") and returns None for one that points back ("Instead,", "In other words,", "As a result,"),
so the sentence is skipped. Nothing here rewrites a pronoun: what cannot be resolved for certain
is skipped.
"""

from __future__ import annotations

import re
from functools import lru_cache

from quizapp.domain.articles.words import (
    has_finite_verb,
    is_stop,
    lemma,
    pos,
    upper_first,
    word_set,
    words,
)

_PERSON = re.compile(
    r"\b(?:I|I['’](?:m|ve|d|ll)|me|my|mine|myself|we|we['’](?:re|ve|d|ll)|us|our|ours|"
    r"ourselves|you|you['’](?:re|ve|d|ll)|your|yours|yourself|yourselves)\b"
)
_PERSON_START = re.compile(r"^(?:You|Your|Yours|We|Our|Ours|My|Me|Us)\b")
_HOOK = re.compile(
    r"^(?:imagine|picture\s+(?:this|yourself|a)|ever\s+(?:wonder|notice|feel|felt)|have\s+you|"
    r"did\s+you\s+know|here['’]?s\b|here\s+is\b|here\s+are\b|let['’]s|let\s+us|think\s+about|"
    r"think\s+of|consider\b|spoiler|sound\s+familiar|welcome\b|the\s+good\s+news|the\s+bad\s+news|"
    r"the\s+short\s+answer|the\s+answer\s+(?:is|may)|it\s+turns\s+out|turns\s+out|guess\s+what|"
    r"believe\s+it\s+or\s+not|you\s+might|chances\s+are|if\s+you['’]?ve\s+ever|stay\s+tuned|"
    r"read\s+on|keep\s+reading|in\s+this\s+(?:article|post|guide)|now\s+for|more\s+on\s+that|"
    r"few\s+.*\bas\s+(?:many|much)|there['’]?s\s+nothing|nothing\s+(?:beats|is\s+more)|"
    r"every\s+time|whether\s+you|let['’]?s\s+face\s+it|it['’]?s\s+no\s+secret|"
    r"who\s+doesn['’]?t)\b",
    re.I,
)
_ANECDOTE = re.compile(
    r"^(?:last\s+(?:year|week|month|summer|winter|spring|autumn|fall|night)|one\s+(?:day|morning|"
    r"evening|night|afternoon)|a\s+few\s+(?:years|months|weeks|days)\s+ago|years\s+ago|"
    r"(?:two|three|several|many)\s+(?:years|months|weeks)\s+ago|back\s+in|once\s+upon|"
    r"yesterday|the\s+other\s+day|when\s+(?:i|we)\b|as\s+a\s+(?:kid|child|teenager)|"
    r"growing\s+up|my\s|our\s)",
    re.I,
)
_PLUG = re.compile(
    r"[™®]|\b(?:our|this)\s+(?:app|product|products|course|courses|platform|formula|supplement|"
    r"program|programme|team|store|shop|newsletter|service|plan|kit|tool)\b|\b(?:buy|shop|order|"
    r"subscribe|sign\s+up|download|join)\s+(?:now|today|here)\b|\buse\s+code\b|\bdiscount\b|"
    r"\b\d+\s?%\s+off\b|\bfree\s+trial\b|\bclick\s+(?:here|below)\b|\blink\s+in\s+bio\b|"
    r"\bavailable\s+(?:now|today)\b|\bfavou?rite\s+(?:drinks?|snacks?|foods?|recipes?)\b",
    re.I,
)
_ATTRIBUTION = re.compile(
    r"\baccording\s+to\b|\bas\s+(?:[\w’']+\s+){0,5}(?:has|have|had)\s+(?:long\s+)?(?:argued|"
    r"noted|said|written|pointed\s+out|shown|claimed|suggested)\b|\bas\s+(?:[\w’']+\s+){0,4}"
    r"(?:argues|argued|notes|noted|says|said|puts\s+it|put\s+it|writes|wrote|explains|"
    r"explained)\b|\b(?:says|said|argues|argued|explains|explained|told|tells|writes|wrote|"
    r"recalls|recalled|admits|admitted|insists|insisted)\s+the\s+(?:author|researcher|"
    r"study['’]s)|[“”\"]\s*(?:says|said)\b|"
    r",\s*(?:he|she|they)\s+(?:says|said|explains|explained|adds|added|notes|noted)\b|"
    r"\bin\s+(?:an|a)\s+(?:interview|email|statement)\b",
    re.I,
)
#: Names and titles are told by their capitals: "explains Smith", "Dr. Patel".
_NAMED = re.compile(
    r"\b(?:Dr|Prof|Professor)\.?\s+[A-Z]|\b(?:says|said|argues|argued|"
    r"explains|explained|told|writes|wrote|recalls|recalled|admits|admitted|"
    r"insists|insisted|notes|noted|adds|added)\s+(?:Dr\.?\s+)?[A-Z][a-z]"
)
_CAPTION = re.compile(
    r"^(?:photo|image|picture|figure|fig\.|illustration|credit|source|caption|pictured|video|"
    r"chart|graph|table|map|diagram)\b\s*(?:\d+[.:]?)?\s*[:(]|^(?:photo|image|illustration)s?\s+"
    r"(?:by|courtesy|credit|via)\b|\b(?:getty\s+images|shutterstock|istock|unsplash)\b|"
    r"^(?:figure|fig\.|table|chart)\s+\d",
    re.I,
)
_BYLINE = re.compile(
    r"^(?:by\s+[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){0,3}\b|written\s+by|posted\s+(?:on|by|in)|"
    r"published\s+(?:on|by|in)?|updated\s+(?:on|by)?|last\s+updated|(?:medically\s+)?reviewed\s+by|"
    r"fact[- ]checked\s+by|edited\s+by|from\s+the\s+[\w’' -]{1,40}(?:blog|team|editors|newsroom|"
    r"desk)\b)|\b\d+\s+min(?:ute)?s?\s+read\b|\ball\s+rights\s+"
    r"reserved\b|©",
    re.I,
)
#: First words of an instruction ("Try squeezing...", "Drink...", "Make sure...").
IMPERATIVES = word_set("""
    try drink eat avoid add aim ask begin check choose consider cut do don't dont eat find
    follow get give go have keep learn let limit look make note pick plan put read remember
    schedule see set skip start stay stop swap take talk tell think track use wait watch be
    prefer divide multiply subtract calculate compare measure count remove store
    never always just simply please combine include reduce increase replace squeeze mix
    prioritize prioritise focus build create write visit call contact download sign join shop
    buy order grab discover explore click subscribe listen turn open close pay save spend
""")
#: Openers with no content of their own: removed, the rest of the sentence kept.
_EMPTY_OPENER = re.compile(
    r"^(?:(?:fact|truth|reality|the\s+fact|the\s+truth)\s*:|(?:but\s+now|but|and|so|yet)\b,?|"
    r"(?:in\s+fact|now|however|indeed|of\s+course|actually|"
    r"still|also|plus|basically|essentially|ultimately|importantly|interestingly|surprisingly|"
    r"notably|crucially|remarkably|in\s+short|in\s+brief|overall|in\s+reality|in\s+truth|"
    r"truth\s+is|the\s+truth\s+is|simply\s+put|put\s+simply|to\s+be\s+sure|sure|well|okay|ok|"
    r"first\s+of\s+all|above\s+all|after\s+all|at\s+its\s+core|at\s+heart|fundamentally|"
    r"for\s+example|for\s+instance|first|second|third|next|finally|later|eventually|"
    r"then),|(?:then|finally|first)\b(?!\s+(?:to|of|and|is|are|was|were)\b))\s+",
    re.I,
)
#: A newsroom kicker before the first sentence: "HEALTH DESK — When...".
_KICKER = re.compile(r"^[A-Z][A-Z&' ]{2,30}\s+[—–-]\s+(?=[A-Z])")
#: Openers that point back to a sentence the learner will not see: the sentence is skipped.
_BACK_OPENER = re.compile(
    r"^(?:instead|similarly|likewise|otherwise|in\s+other\s+words|that\s+said|even\s+so|"
    r"as\s+a\s+result|therefore|thus|hence|because\s+of\s+this|because\s+of\s+that|for\s+this\s+"
    r"reason|for\s+that\s+reason|in\s+turn|in\s+contrast|by\s+contrast|on\s+the\s+other\s+hand|"
    r"on\s+top\s+of\s+that|in\s+addition|additionally|moreover|furthermore|besides|also\s+like|"
    r"as\s+such|that['’]s\s+why|this\s+is\s+why|which\s+is\s+why|this\s+means|that\s+means|"
    r"conversely|meanwhile|then\s+again|either\s+way|in\s+that\s+case|even\s+then|"
    r"at\s+the\s+same\s+time|unlike\s+(?:it|them|this|that|these|those))\b",
    re.I,
)
_CONTEXT = re.compile(
    r"\b(?:this|these|those|such)\s+(?!(?:is|are|was|were|has|have|had|can|could|will|would|"
    r"may|might|must|should|does|do|did|and|or|of|in|on|at|to|by|as|that|is)\b)[a-z][\w-]*|"
    r"\b(?:does|do|did|doing)\s+the\s+same\b|\bthe\s+same\s+(?:way|thing|effect|goes|is\s+true|"
    r"applies|holds)\b|\bthe\s+(?:former|latter|above|following)\b|"
    r"\b(?:mentioned|described|discussed|listed|shown)\s+(?:above|earlier|below|before)\b|"
    r"\blike\s+(?:it|them|this|that)\b|^that\s+[a-z]+\s|\bthe\s+(?:opposite|reverse|"
    r"aforementioned)\b|\b(?:is|are|was|were)\s+(?:(?:a|an|some|two|the|other|well-known|famous|"
    r"good|classic|typical|common)\s+)*examples?\s*\.?$|\b(?:both|each|all)\s+of\s+them\b",
    re.I,
)
#: Sentences that state a belief in order to correct it: a cloze would drill the myth.
_MYTH = re.compile(
    r"\b(?:myths?|misconceptions?|misunderstandings?|mistaken(?:ly)?|wrongly|erroneous(?:ly)?|"
    r"(?:common|frequent|popular|widespread)\s+(?:error|mistake|belief|idea|claim)|"
    r"(?:is|are)\s+often\s+confused|contrary\s+to\s+(?:popular|common)|"
    r"(?:people|many|most|some)\s+(?:\w+\s+)?(?:often\s+|commonly\s+|still\s+|wrongly\s+)?"
    r"(?:think|believe|assume|claim|imagine)|(?:it\s+is|it['’]s)\s+(?:often|commonly|widely)\s+"
    r"(?:believed|thought|assumed|said|claimed))\b",
    re.I,
)
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s(?:and|but|while|whereas)\s")
PRONOUNS = word_set("""
    it it's its they they're they've their theirs them this that these those he she his her him
    hers such both each here there another
""")


def first_word(text: str) -> str:
    """The first word in lower case, a contraction cut at its apostrophe ("It’s" -> "it")."""
    found = words(text[:40])
    return re.split(r"['’]", found[0].lower())[0] if found else ""


def not_factual(sentence: str) -> str | None:
    """Why ``sentence`` is not a factual declarative sentence a question may stand on, or None."""
    return _not_factual(sentence.strip())


@lru_cache(maxsize=16384)
def _not_factual(text: str) -> str | None:
    if not text:
        return "empty"
    if text.endswith("?") or "?" in text:
        return "a question"
    if "!" in text:
        return "an exclamation"
    if _BYLINE.search(text):
        return "a byline"
    if _CAPTION.search(text):
        return "a caption"
    if _HOOK.match(text):
        return "a hook"
    if _ANECDOTE.match(text):
        return "an anecdote"
    if _PLUG.search(text):
        return "a product plug"
    if _ATTRIBUTION.search(text) or _NAMED.search(text):
        return "an attribution"
    if _PERSON.search(text) or _PERSON_START.match(text):
        return "first or second person"
    if _MYTH.search(text):
        return "states a belief to correct it (a myth)"
    if is_imperative(text):
        return "an instruction"
    return None


def is_imperative(text: str) -> bool:
    """ "Try squeezing...", "Drink water early.", "Make sure...": the sentence opens with a verb
    in its base form and no subject before it."""
    found = words(text[:60])
    if not found:
        return False
    first = found[0].lower().replace("’", "'")
    if first in IMPERATIVES:
        # "Sleep is...", "Drink choice matters" are subjects: a verb right after means a noun.
        second = found[1].lower() if len(found) > 1 else ""
        return not (
            second in ("is", "are", "was", "were", "has", "have", "can", "may", "will", "of", "and")
            or second.endswith("s")
            and "VERB" in pos(second)
            and lemma(second) != second
        )
    parts = pos(first)
    return (
        bool(parts)
        and parts <= {"VERB"}
        and lemma(first) == first
        and len(found) > 2
        and not is_stop(first)
        and found[1].lower()
        in ("the", "a", "an", "your", "more", "less", "some", "at", "to", "up", "out", "off")
    )


@lru_cache(maxsize=16384)
def leans_on_context(sentence: str) -> bool:
    """True when the sentence needs one the learner will not see: "this process", "such
    changes", "DNS does the same", "one of those amino acids", a leading pronoun."""
    if first_word(sentence) in PRONOUNS:
        return True
    if _VAGUE_SUBJECT.match(sentence):
        return True
    for m in _CONTEXT.finditer(sentence):
        before = sentence[: m.start()]
        # "The body responds by ..., and IGF-1 helps drive this response": it points back to
        # a clause of the same sentence, which the learner reads ("the same effect" never).
        if m.group(0).lower().startswith("the ") or not (
            _CLAUSE_BREAK.search(before) and has_finite_verb(before)
        ):
            return True
    return False


#: "The signal spreads...", "The rule is...", "The result has...": a bare generic subject
#: names something an earlier sentence introduced.
_VAGUE_SUBJECT = re.compile(
    r"^the\s+(?:rule|signal|result|reaction|theory|process|idea|method|effect|change|approach|"
    r"technique|term|answer|problem|study|finding|law|principle|trick|difference|mixture|"
    r"device|system|procedure|experiment|model|effect|outcome|solution|product|tool|practice)\s+"
    r"(?:is|are|was|were|has|have|had|can|will|would|may|might|must|does|did|[a-z]+s|[a-z]+ed)\b",
    re.I,
)


@lru_cache(maxsize=16384)
def strip_opener(sentence: str) -> str | None:
    """``sentence`` without a content-free opener ("In fact, X" -> "X"); None when its opener
    points back ("Instead, ...", "As a result, ...")."""
    text = _KICKER.sub("", sentence.strip())
    for _ in range(3):
        if _BACK_OPENER.match(text):
            return None
        m = _EMPTY_OPENER.match(text)
        if not m:
            break
        rest = text[m.end() :]
        if not rest or not rest[:1].isalnum():
            break
        text = upper_first(rest) if rest[:1].islower() and not _keeps_case(rest) else rest
    return text


def _keeps_case(text: str) -> bool:
    """ "mTOR", "iPhone": a first word written with an inner capital keeps its case."""
    first = words(text[:30])
    return bool(first) and any(c.isupper() for c in first[0][1:])
