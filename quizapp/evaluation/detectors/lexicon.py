"""Word lists, patterns and word facts the detectors share."""

from __future__ import annotations

import re
from functools import lru_cache

from lemminflect import getAllLemmas

from ..text import straighten


def wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Abstract nouns that make a blank whose answer is not determined by the sentence.
GENERIC_NOUNS = wordset("""
process network level system way part thing role factor effect type kind form area range amount
number rate change function structure activity method approach aspect feature element issue
problem result state stage step response value source place time people person group matter
situation condition case point order means purpose practice example reason use work world life
idea information thing things everything something lot variety series set piece unit tendency
ability capacity quality property measure sort degree extent
""")
STOP = wordset("""
a an the of and or to in on at by for with from as is are was were be been being it its this that
these those such than then there their they them which who whom whose what when where why how
not no but if so also into onto over under about after before while because per each every all
any some most more many much few other another same both either neither can could may might must
shall should will would do does did has have had
""")
PRONOUN_START = frozenset(
    {
        "it",
        "it's",
        "its",
        "they",
        "they're",
        "their",
        "them",
        "this",
        "these",
        "that",
        "those",
        "such",
        "he",
        "she",
        "his",
        "her",
        "hers",
        "him",
        "here",
        "both",
        "another",
        "which",
        "the latter",
        "the former",
    }
)
OPENERS = (
    "in fact",
    "so",
    "but",
    "and",
    "or",
    "however",
    "also",
    "still",
    "yet",
    "then",
    "thus",
    "therefore",
    "otherwise",
    "meanwhile",
    "similarly",
    "likewise",
    "moreover",
    "furthermore",
    "in addition",
    "as a result",
    "in other words",
    "of course",
    "after all",
    "in reality",
    "indeed",
    "instead",
    "for example",
    "for instance",
    "fortunately",
    "unfortunately",
    "curiously",
    "unusually",
    "interestingly",
    "surprisingly",
    "together",
    "on the other hand",
    "but now",
    "that said",
    "even so",
    "at the same time",
    "because of this",
    "as such",
    "in short",
    "in turn",
    "again",
    "besides",
    "plus",
    "now",
    "well",
    "remember",
    "again",
    "finally",
    "first",
    "next",
    "second",
    "third",
    "lastly",
    "by contrast",
    "in contrast",
    "conversely",
    "even then",
)
OPENER_RE = re.compile(
    r"^(?:"
    + "|".join(sorted((re.escape(o) for o in OPENERS), key=len, reverse=True))
    + r")\b[,:]?\s",
    re.IGNORECASE,
)
DEMONSTRATIVE_RE = re.compile(
    r"\b(this|these|those|such)\s+(?!as\b|a\b|an\b|is\b|was\b|are\b|"
    r"were\b|means\b|can\b|will\b|may\b|has\b|had\b)([a-z][a-z-]+)",
    re.IGNORECASE,
)
CONTEXT_RE = re.compile(
    r"\bthe (?:opposite|reverse|former|latter|above|aforementioned)\b|"
    r"\b(?:is|are|was|were) (?:(?:a|an|some|two|the|other|well-known|"
    r"famous|good|classic|typical|common) )*examples?\s*[.]?$|"
    r"\b(?:both|each|all) of them\b",
    re.IGNORECASE,
)
BARE_SUBJECT_RE = re.compile(
    r"^the (?:rule|reaction|process|signal|theory|method|result|study|effect|system|change|idea|"
    r"law|approach|technique|phenomenon|condition|disease|drug|procedure|device|product|company|"
    r"book|author|researchers|scientists|team|concept|trend|problem|strategy|model|experiment|"
    r"trial|finding|findings|test|tool|machine|plan|policy|programme|program|scheme|project|"
    r"treatment|practice|word|term)\b(?!\s+(?:of|in|for|that|which|between|from|called|known)\b)",
    re.IGNORECASE,
)
HOOK_RE = re.compile(
    r"^(?:few|imagine|picture this|ever|there'?s nothing|nothing (?:beats|is)|"
    r"every time|whether you|if you'?ve ever|let'?s face it|it'?s no secret|"
    r"have you|did you know|believe it or not|here'?s|who doesn'?t)\b",
    re.IGNORECASE,
)
SAME_RE = re.compile(
    r"\b(?:does|do|did|doing) the same\b|"
    r"\bthe same (?:protection|benefit|function|role|purpose|treatment)\s*\.?$|"
    r",\s*(?:however|though|too|instead|as well|therefore)\s*[.]?$|"
    r"\bthe same (?:way|thing|effect|result|job)\b|\blike this\b",
    re.IGNORECASE,
)
ATTRIBUTION_RE = re.compile(
    r"\bas (?:one of us|i|we|he|she|they|the author|the authors)\s+(?:has |have |had )?"
    r"(?:long )?(?:argued|said|noted|wrote|put it|explained|suggested)\b|"
    r",\s*(?:he|she|they|the researchers?|the authors?)\s+(?:says|said|argues|argued|explains|"
    r"explained|notes|noted|adds|added)\b|\btold (?:me|us)\b|\b(?:says|said) (?:Dr|Professor)\b",
    re.IGNORECASE,
)
PERSON_RE = re.compile(
    r"\b(?:me|my|mine|myself|you|your|yours|yourself|yourselves|you're|"
    r"you'll|you've|you'd|let's|i'm|i've|i'll|i'd)\b|^(?:we|our)\b",
    re.IGNORECASE,
)
I_US_RE = re.compile(r"\bI\b")
WE_RE = re.compile(r"\b(?:[Ww]e|[Oo]urs?|ourselves|[Ww]e're|[Ww]e've|[Ww]e'll)\b|\bus\b")
PLUG_RE = re.compile(
    r"\b(?:buy (?:now|it|one|online|yours|today)|shop (?:now|our|online)|order now|"
    r"order online|subscribe|sign up|discount|coupon|promo code|"
    r"free shipping|grab (?:yours|one)|book (?:now|online|today)|click here|add to cart|"
    r"learn more|download (?:now|today)|get started|limited time|best-selling|bestselling|"
    r"money-back|free trial|special offer|don't miss|check out)\b|\d+\s?% off\b|"
    r"\b(?:today|now)!",
    re.IGNORECASE,
)
BYLINE_RE = re.compile(
    r"^(?:(?-i:By [A-Z][a-z]+ [A-Z])|by (?:our|the) [a-z ]*(?:team|"
    r"correspondent|editors?|staff|writer)|photo:|image:|credit:|source:|figure\s+\d|fig\.|"
    r"caption:|pictured\b|from (?:the|our) [^.]{0,40}\b(?:blog|team|editors|"
    r"newsroom|desk)\b)|\bbrought to you by\b|\bmin(?:ute)? read\b|"
    r"©\s*(?:\d{4}|(?-i:[A-Z]))|"
    r"\ball rights reserved\b|"
    r"\bposted (?:on|by|in)\b|\bupdated on\b|\bpublished on\b",
    re.IGNORECASE,
)
IMPERATIVE_NEXT = wordset("""
the a an your yours it them this these those about up out some any all each every equal
half one two three four five our my his her off down away on more less plenty
""")
#: Words that can be verbs but start declarative sentences as prepositions or adverbs.
NOT_IMPERATIVE = wordset(
    "near round down up out like further even back past open clear close "
    "right double first second free well still more less"
)
#: Verbs whose imperative takes a gerund ("Try squeezing", "Avoid using").
GERUND_VERBS = wordset("try keep avoid stop start consider remember imagine enjoy practise")
MYTH_FRAME_RE = re.compile(
    r"\b(?:contrary to (?:popular|common) belief|it is a myth that|"
    r"many people (?:think|believe)|a common (?:misconception|"
    r"misunderstanding) is that)\b",
    re.IGNORECASE,
)
FRAMING_RE = re.compile(
    r"\b(?:101|for beginners|for dummies|what you need to know|explained|"
    r"complete guide|beginner'?s guide|a guide|everything you need|"
    r"simple guide|in plain english|made simple|the basics|guide|"
    r"step-by-step|tutorial|faq|frequently asked questions|primer)\b",
    re.IGNORECASE,
)
NEGATIONS = frozenset(
    {
        "not",
        "no",
        "never",
        "n't",
        "cannot",
        "can't",
        "don't",
        "doesn't",
        "didn't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "won't",
        "none",
        "nothing",
        "neither",
        "nor",
        "without",
        "only",
        "different",
        "differs",
        "differ",
        "distinct",
        "unlike",
        "instead",
        "rather",
    }
)
_MYTH_WORDS = frozenset(
    {
        "myth",
        "misconception",
        "misunderstanding",
        "believe",
        "belief",
        "think",
        "thought",
        "assume",
        "claim",
        "wrongly",
        "mistakenly",
        "popular",
        "common",
    }
)
PERSONAL = frozenset({"your", "you", "my", "our", "we", "i", "us", "me"})
PRONOUNS = frozenset(
    {
        "it",
        "its",
        "they",
        "their",
        "them",
        "this",
        "these",
        "those",
        "that",
        "he",
        "she",
        "his",
        "her",
        "which",
        "it's",
        "they're",
        "one",
    }
)


@lru_cache(maxsize=32768)
def pos_readings(word: str) -> frozenset[str]:
    """The parts of speech a word can have (empty: unknown, e.g. a name or a symbol)."""
    return frozenset(getAllLemmas(word.lower()))


def is_name_like(word: str) -> bool:
    return (
        any(c.isdigit() for c in word) or any(c.isupper() for c in word[1:]) or (word[:1].isupper())
    )


def tokens(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*", straighten(text))
