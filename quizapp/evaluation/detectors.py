"""Automatic defect detectors, one per defect class of the question rubric
(/work/shared/QUESTION-QUALITY.md, summarised in docs/deck-builder.md, "Evaluation").

Each detector reads one :class:`~.views.QuestionView` (and the article's :class:`Context`) and
returns the :class:`Defect` s it finds, each with the grade it costs the question:

- EDIT: a teacher keeps the question after a light fix: a better deletion (``deletion``), a
  pronoun resolved or an opener or attribution trimmed (``not_self_contained``), a heading glued
  to the front of a sentence trimmed (``garbled_frame``), a function word restored or a
  capital fixed (``cut``).
- DROP: wrong, misleading or not worth learning: a hook, question, exclamation, first or second
  person, instruction, plug, caption or byline (``wrong_sentence``); a title or heading pasted
  into a template prompt (``garbled_frame``); a card that drills a myth (``teaches_myth``); an
  order, a "next" step, a distractor or an answer the article does not support
  (``invented_relation``); content words dropped or changed (``cut``); a second question asking
  what an earlier one asks (``duplicate``).

The detectors are deliberately plain (word lists, word frequencies from wordfreq, possible parts
of speech from lemminflect, fuzzy matching from rapidfuzz) so that every verdict can be explained
in one line; their agreement with a teacher's grades is measured and recorded in the docs.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from lemminflect import getAllLemmas
from rapidfuzz import fuzz
from wordfreq import zipf_frequency

from .gold import Gold, Sequence
from .text import contains_phrase, matches_all, norm, same_item, straighten, words
from .views import QuestionView

CLASSES = ("deletion", "not_self_contained", "wrong_sentence", "garbled_frame", "teaches_myth",
           "invented_relation", "cut", "duplicate")
EDIT, DROP = "EDIT", "DROP"


@dataclass(frozen=True)
class Defect:
    cls: str
    grade: str
    reason: str


@dataclass
class Context:
    """What the detectors know about the article besides the question itself."""

    title: str
    gold: Gold | None = None
    headings: list[str] = field(default_factory=list)
    questions: list[QuestionView] = field(default_factory=list)

    @property
    def topic(self) -> str:
        return self.gold.topic if self.gold else ""


# --------------------------------------------------------------------------- word facts

def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Abstract nouns that make a blank whose answer is not determined by the sentence.
GENERIC_NOUNS = _wordset("""
process network level system way part thing role factor effect type kind form area range amount
number rate change function structure activity method approach aspect feature element issue
problem result state stage step response value source place time people person group matter
situation condition case point order means purpose practice example reason use work world life
idea information thing things everything something lot variety series set piece unit tendency
ability capacity quality property measure sort degree extent
""")
_STOP = _wordset("""
a an the of and or to in on at by for with from as is are was were be been being it its this that
these those such than then there their they them which who whom whose what when where why how
not no but if so also into onto over under about after before while because per each every all
any some most more many much few other another same both either neither can could may might must
shall should will would do does did has have had
""")
_PRONOUN_START = frozenset({"it", "it's", "its", "they", "they're", "their", "them", "this",
                            "these", "that", "those", "such", "he", "she", "his", "her", "hers",
                            "him", "here", "both", "another", "which", "the latter",
                            "the former"})
_OPENERS = ("in fact", "so", "but", "and", "or", "however", "also", "still", "yet", "then", "thus",
            "therefore", "otherwise", "meanwhile", "similarly", "likewise", "moreover",
            "furthermore", "in addition", "as a result", "in other words", "of course",
            "after all", "in reality", "indeed", "instead", "for example", "for instance",
            "fortunately", "unfortunately", "curiously", "unusually", "interestingly",
            "surprisingly", "together", "on the other hand", "but now", "that said", "even so",
            "at the same time", "because of this", "as such", "in short", "in turn", "again",
            "besides", "plus", "now", "well", "remember", "again", "finally", "first", "next",
            "second", "third", "lastly", "by contrast", "in contrast", "conversely", "even then")
_OPENER_RE = re.compile(r"^(?:" + "|".join(sorted((re.escape(o) for o in _OPENERS),
                                                   key=len, reverse=True)) + r")\b[,:]?\s",
                        re.IGNORECASE)
_DEMONSTRATIVE_RE = re.compile(r"\b(this|these|those|such)\s+(?!as\b|a\b|an\b|is\b|was\b|are\b|"
                               r"were\b|means\b|can\b|will\b|may\b|has\b|had\b)([a-z][a-z-]+)",
                               re.IGNORECASE)
_CONTEXT_RE = re.compile(r"\bthe (?:opposite|reverse|former|latter|above|aforementioned)\b|"
                         r"\b(?:is|are|was|were) (?:(?:a|an|some|two|the|other|well-known|"
                         r"famous|good|classic|typical|common) )*examples?\s*[.]?$|"
                         r"\b(?:both|each|all) of them\b", re.IGNORECASE)
_BARE_SUBJECT_RE = re.compile(
    r"^the (?:rule|reaction|process|signal|theory|method|result|study|effect|system|change|idea|"
    r"law|approach|technique|phenomenon|condition|disease|drug|procedure|device|product|company|"
    r"book|author|researchers|scientists|team|concept|trend|problem|strategy|model|experiment|"
    r"trial|finding|findings|test|tool|machine|plan|policy|programme|program|scheme|project|"
    r"treatment|practice|word|term)\b(?!\s+(?:of|in|for|that|which|between|from|called|known)\b)",
    re.IGNORECASE)
_HOOK_RE = re.compile(r"^(?:few|imagine|picture this|ever|there'?s nothing|nothing (?:beats|is)|"
                      r"every time|whether you|if you'?ve ever|let'?s face it|it'?s no secret|"
                      r"have you|did you know|believe it or not|here'?s|who doesn'?t)\b",
                      re.IGNORECASE)
_SAME_RE = re.compile(r"\b(?:does|do|did|doing) the same\b|"
                      r"\bthe same (?:protection|benefit|function|role|purpose|treatment)\s*\.?$|"
                      r",\s*(?:however|though|too|instead|as well|therefore)\s*[.]?$|"
                      r"\bthe same (?:way|thing|effect|result|job)\b|\blike this\b", re.IGNORECASE)
_ATTRIBUTION_RE = re.compile(
    r"\bas (?:one of us|i|we|he|she|they|the author|the authors)\s+(?:has |have |had )?"
    r"(?:long )?(?:argued|said|noted|wrote|put it|explained|suggested)\b|"
    r",\s*(?:he|she|they|the researchers?|the authors?)\s+(?:says|said|argues|argued|explains|"
    r"explained|notes|noted|adds|added)\b|\btold (?:me|us)\b|\b(?:says|said) (?:Dr|Professor)\b",
    re.IGNORECASE)
_PERSON_RE = re.compile(r"\b(?:me|my|mine|myself|you|your|yours|yourself|yourselves|you're|"
                        r"you'll|you've|you'd|let's|i'm|i've|i'll|i'd)\b|^(?:we|our)\b",
                        re.IGNORECASE)
_I_US_RE = re.compile(r"\bI\b")
_WE_RE = re.compile(r"\b(?:[Ww]e|[Oo]urs?|ourselves|[Ww]e're|[Ww]e've|[Ww]e'll)\b|\bus\b")
_PLUG_RE = re.compile(
    r"\b(?:buy (?:now|it|one|online|yours|today)|shop (?:now|our|online)|order now|"
    r"order online|subscribe|sign up|discount|coupon|promo code|"
    r"free shipping|grab (?:yours|one)|book (?:now|online|today)|click here|add to cart|"
    r"learn more|download (?:now|today)|get started|limited time|best-selling|bestselling|"
    r"money-back|free trial|special offer|don't miss|check out)\b|\d+\s?% off\b|"
    r"\b(?:today|now)!", re.IGNORECASE)
_BYLINE_RE = re.compile(r"^(?:(?-i:By [A-Z][a-z]+ [A-Z])|by (?:our|the) [a-z ]*(?:team|"
                        r"correspondent|editors?|staff|writer)|photo:|image:|credit:|source:|figure\s+\d|fig\.|"
                        r"caption:|pictured\b|from (?:the|our) [^.]{0,40}\b(?:blog|team|editors|"
                        r"newsroom|desk)\b)|\bbrought to you by\b|\bmin(?:ute)? read\b|©|"
                        r"\ball rights reserved\b|"
                        r"\bposted (?:on|by|in)\b|\bupdated on\b|\bpublished on\b",
                        re.IGNORECASE)
_IMPERATIVE_NEXT = _wordset("""
the a an your yours it them this these those about up out some any all each every equal
half one two three four five our my his her off down away on more less plenty
""")
#: Verbs whose imperative takes a gerund ("Try squeezing", "Avoid using").
_GERUND_VERBS = _wordset("try keep avoid stop start consider remember imagine enjoy practise")
_MYTH_FRAME_RE = re.compile(r"\b(?:contrary to (?:popular|common) belief|it is a myth that|"
                            r"many people (?:think|believe)|a common (?:misconception|"
                            r"misunderstanding) is that)\b", re.IGNORECASE)
_FRAMING_RE = re.compile(r"\b(?:101|for beginners|for dummies|what you need to know|explained|"
                         r"complete guide|beginner'?s guide|a guide|everything you need|"
                         r"simple guide|in plain english|made simple|the basics|guide|"
                         r"step-by-step|tutorial|faq|frequently asked questions|primer)\b",
                         re.IGNORECASE)
_NEGATIONS = frozenset({"not", "no", "never", "n't", "cannot", "can't", "don't", "doesn't",
                        "didn't", "isn't", "aren't", "wasn't", "weren't", "won't", "none",
                        "nothing", "neither", "nor", "without", "only", "different",
                        "differs", "differ", "distinct", "unlike", "instead", "rather"})
_MYTH_WORDS = frozenset({"myth", "misconception", "misunderstanding", "believe", "belief",
                         "think", "thought", "assume", "claim", "wrongly", "mistakenly",
                         "popular", "common"})
_PERSONAL = frozenset({"your", "you", "my", "our", "we", "i", "us", "me"})
_PRONOUNS = frozenset({"it", "its", "they", "their", "them", "this", "these", "those", "that",
                       "he", "she", "his", "her", "which", "it's", "they're", "one"})


@lru_cache(maxsize=32768)
def _readings(word: str) -> frozenset[str]:
    """The parts of speech a word can have (empty: unknown, e.g. a name or a symbol)."""
    return frozenset(getAllLemmas(word.lower()))


def _is_name_like(word: str) -> bool:
    return any(c.isdigit() for c in word) or any(c.isupper() for c in word[1:]) or (
        word[:1].isupper())


def _tokens(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*", straighten(text))


# --------------------------------------------------------------------------- 1 deletion choice

def deletion(v: QuestionView, ctx: Context) -> list[Defect]:
    """Blanks a teacher would move: generic words, verbs or modifiers, half a noun phrase or a
    number, part of an idiom, one item of an enumeration, an abbreviation beside its expansion,
    the deck's own title or topic."""
    if v.type != "cloze":
        return []
    found: list[Defect] = []
    text = straighten(str(v.raw.get("text", "")))
    filled = straighten(v.sentence)
    for m in _CLOZE_RE.finditer(text):
        answer = m.group(1).strip()
        if not _tokens(answer):
            continue
        after = _CLOZE_RE.sub(lambda x: x.group(1), text[m.end():m.end() + 60])
        before = _CLOZE_RE.sub(lambda x: x.group(1), text[max(0, m.start() - 60):m.start()])
        reason = (_deletion_shape(answer, after, before, ctx)
                  or _enumeration_item(answer, filled) or _gold_list_item(answer, filled, ctx)
                  or _in_title(answer, v, ctx))
        if reason:
            found.append(Defect("deletion", EDIT, f"{{{{{answer}}}}}: {reason}"))
    return found


_CLOZE_RE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}")
_IDIOMS = ("contrary to popular belief", "in fact", "for example", "for instance", "as a result",
           "in other words", "on the other hand", "at the same time", "in addition", "of course",
           "in reality", "in practice", "in general", "as well as", "rule of thumb",
           "common misconception", "common misunderstanding", "popular belief", "by contrast",
           "in short", "at least", "at most", "in turn", "so-called", "such as")
_NUMBER_WORDS = ("million", "billion", "thousand", "hundred", "trillion", "percent", "per cent",
                 "%")
_AFTER_NOUN = re.compile(r"^\s+([a-z][a-z-]*)(?:\s*[,.;:)]|\s+(?:into|to|that|which|and|or|of|"
                         r"in|for|with|from|on|at|by|as|are|is|were|was)\b)")
#: Plural nouns that lemminflect also reads as verbs and that often start a compound answer.
_KEEP_VERBLIKE = frozenset({"levels", "cells", "waves", "rates", "forms", "types", "changes"})
_REPORTING_VERBS = _wordset("stress argue say note suggest show find believe claim think report "
                            "agree estimate warn conclude")
_OPENER_WORDS = frozenset(o for o in _OPENERS if " " not in o) | {"in", "on", "at", "by"}
_MODIFIER_SUFFIXES = ("able", "ible", "ous", "ive", "ful", "less", "ly", "ic", "ical", "ary")


def _gold_term(answer: str, ctx: Context) -> bool:
    """True when the blank names a term the gold file marks as key (a match phrase)."""
    if not ctx.gold:
        return False
    a = words(answer)
    phrases = [p for f in ctx.gold.facts for p in f.match]
    phrases += [p for d in ctx.gold.definitions for p in d.match]
    return any(contains_phrase(a, p) or contains_phrase(words(p), " ".join(a))
               for p in phrases if len(words(p)) >= 1)


def _deletion_shape(answer: str, after: str, before: str, ctx: Context) -> str:
    toks = _tokens(answer)
    low = [t.lower() for t in toks]
    numeric = any(c.isdigit() for c in answer)
    if numeric:
        nxt = after.strip().lower()
        if any(nxt.startswith(w) for w in _NUMBER_WORDS):
            return "half a number (its unit or magnitude follows)"
        return ""
    phrase = " ".join(low)
    window = f"{before} {answer} {after}".lower()
    for idiom in _IDIOMS:
        if (phrase in idiom.split() or f" {phrase} " in f" {idiom} ") and idiom in window:
            return f"part of the idiom \"{idiom}\""
    opening = not before.strip() or bool(re.search(r"[.!?:]\s*$", before))
    if _is_name_like(answer) and not (opening and answer[1:].split(" ")[0].islower()
                                      and all(w.islower() for w in answer.split()[1:])):
        if answer[:1].isupper() and re.match(r"^ (?:[A-Z][\w*'-]*)(?:[\s,.;:]|$)", after):
            return "half a name (the rest of it follows the blank)"
        prev = re.search(r"(?:^|[^.!?:]\s)([A-Z][a-z]+) $", before)
        if answer[:1].isupper() and prev and prev.group(1).lower() not in _STOP | _OPENER_WORDS:
            return f"half a name (\"{prev.group(1)}\" precedes the blank)"
        return ""
    if phrase in {"tens", "hundreds", "thousands", "millions", "dozens", "billions"}:
        return "half a number"
    if _gold_term(answer, ctx) or (len(low) > 2 and set(low[1:-1]) & {"to", "of", "and", "for"}):
        return ""  # a key term of the article, or a term with a function word inside it
    if len(low) == 1 and (low[0] in GENERIC_NOUNS or zipf_frequency(low[0], "en") >= 5.6):
        return "generic word"
    if (len(low) > 1 and low[-1] in GENERIC_NOUNS
            and all("ADJ" in _readings(t) for t in low[:-1])):
        return "generic noun phrase"
    if low[0] in _STOP or low[0] in {"plus", "than", "like"}:
        return "starts with a function word (half a phrase)"
    last = low[-1]
    readings = _readings(last)
    if readings and "NOUN" not in readings and "PROPN" not in readings:
        return "a verb or modifier, not a noun phrase"
    if (not readings or "ADJ" in readings) and last.endswith(_MODIFIER_SUFFIXES) and len(low) == 1:
        return "a modifier, not a noun phrase"
    for i, (word, nxt) in enumerate(zip(low, low[1:], strict=False)):
        if (word.endswith("s") and "VERB" in _readings(word) and not word.endswith("ss")
                and (nxt in _STOP or "NOUN" in _readings(nxt)) and word not in _KEEP_VERBLIKE
                and (i == 0 or low[i - 1].endswith("ing"))):
            return f"a verb (\"{word}\") inside the blank"
    if (len(low) >= 2 and last.endswith("s") and "VERB" in readings
            and low[-2].endswith("ing")):
        return f"a verb (\"{last}\") inside the blank"
    if (len(low) == 1 and last.endswith("s") and "VERB" in readings and before
            and re.search(r"\b(?:usually|often|never|neither|also|only|always|rarely|still|"
                          r"sometimes|generally|typically|normally|then)\s+$", before)):
        return "a verb, not a noun phrase"
    if last in _REPORTING_VERBS and re.match(r"^\s+that\b", after) and len(low) > 1:
        return "a verb inside the blank"
    if "VERB" in readings and re.match(r"^\s+by\b", after):
        return "a verb (participle before \"by\")"
    if (len(low) == 1 and last.endswith("ing") and "VERB" in readings
            and re.match(r"^\s+(?:the|a|an|its|their)\b", after)):
        return "a verb (gerund with its object after the blank)"
    m = _AFTER_NOUN.match(after)
    if m and m.group(1) not in _STOP and "NOUN" in _readings(m.group(1)) and (
            "ADJ" not in _readings(m.group(1))):
        return f"half a noun phrase (\"{m.group(1)}\" follows the blank)"
    return ""


_ITEM = r"[\w'\-]+(?: [\w'\-]+){0,3}"
_NOT_ITEM = (r"(?!(?:which|who|that|where|when|while|because|although|if|so|but|it|they|such as|"
             r"including|like|for example|especially|\w+ing \w+ \w+)\b)")
_ENUM_RE = re.compile(rf"({_ITEM}(?:, {_NOT_ITEM}{_ITEM})+,? (?:and|or) {_NOT_ITEM}{_ITEM})")


def _enumeration_item(answer: str, sentence: str) -> str:
    """The blank is one element of a bare enumeration of three or more short items ("A, ___
    and C"): the answer is not determined."""
    a = norm(answer)
    if not a:
        return ""
    for m in _ENUM_RE.finditer(sentence):
        raw_parts = re.split(r",? (?:and|or) |, ", m.group(1))
        if any(_clause_item(p) for p in raw_parts[1:]):
            continue  # an enumeration of clauses ("regulates X, transports Y and removes Z")
        parts = [re.sub(r"^(?:the|a|an) ", "", norm(p)) for p in raw_parts]
        in_first = parts[0] == a or (parts[0].endswith(" " + a)
                                     and not parts[0][:-len(a)].rstrip().endswith(" of"))
        rest = parts[1:]
        if in_first and len(parts) >= 3:
            return "one item of an enumeration (the answer is not determined)"
        if len(rest) >= 3 and (a in rest or rest[-1].startswith(a + " ")):
            return "one item of an enumeration (the answer is not determined)"
    return ""


def _gold_list_item(answer: str, sentence: str, ctx: Context) -> str:
    """The blank is an item of a gold list and another item of that list stands beside it."""
    if not ctx.gold:
        return ""
    sentence_words = words(sentence)
    for lst in ctx.gold.lists:
        hit = [item for item in lst.items if same_item(answer, item, 90)]
        if hit and any(item not in hit and contains_phrase(sentence_words, item)
                       for item in lst.items):
            return f"one item of the list \"{lst.about}\" (the answer is not determined)"
    return ""


def _clause_item(part: str) -> bool:
    toks = _tokens(part)
    return (len(toks) >= 2 and toks[0].islower() and toks[0].endswith("s")
            and "VERB" in _readings(toks[0]))


def _in_title(answer: str, v: QuestionView, ctx: Context) -> str:
    if _abbreviation_beside(answer, v.prompt, v.raw.get("text", "")):
        return "its abbreviation or expansion stands beside the blank"
    if any(c.isdigit() for c in answer):
        return ""
    a = words(answer)
    if a and ctx.title and contains_phrase(words(ctx.title), " ".join(a)):
        return "the answer is in the deck title"
    visible = words(_CLOZE_RE.sub(" ___ ", straighten(str(v.raw.get("text", "")))))
    if a and len(" ".join(a)) >= 4 and contains_phrase(visible, " ".join(a)):
        return "the answer stands elsewhere in the sentence"
    return ""


def _abbreviation_beside(answer: str, prompt: str, cloze: str = "") -> bool:
    m = re.search(re.escape(answer) + r"\}\}\s*\(([A-Za-z]{1,6})\)", straighten(cloze))
    if m and m.group(1)[0].lower() == answer[0].lower():
        return True
    toks = [t for tok in _tokens(prompt) for t in tok.split("-") if t]
    letters = re.sub(r"[^A-Za-z]", "", answer)
    if re.fullmatch(r"[A-Z][A-Za-z0-9-]*", answer) and sum(c.isupper() for c in answer) >= 2:
        want = [c.lower() for c in letters if c.isupper()]
        content = [t for t in toks if t.lower() not in {"of", "and", "the", "for", "in", "on"}]
        for i in range(len(content) - len(want) + 1):
            if [t[0].lower() for t in content[i:i + len(want)]] == want:
                return True
    parts = [t for t in _tokens(answer) if t.lower() not in {"of", "and", "the", "for", "in"}]
    if len(parts) >= 2:
        initials = "".join(t[0] for t in parts).lower()
        return any(t.lower() == initials or t.lower().rstrip("s") == initials for t in toks
                   if sum(c.isupper() for c in t) >= 2)
    return False


# --------------------------------------------------------------------------- 2 self-containment

def not_self_contained(v: QuestionView, ctx: Context) -> list[Defect]:
    """Leading pronouns and demonstratives (straight or curly apostrophes), "this/these/those/
    such + noun", "does the same", discourse openers and attributions."""
    text = _asked_text(v)
    if not text:
        return []
    plain = straighten(text).strip().lstrip("\"'([")
    found: list[Defect] = []
    first = plain.split(" ", 1)[0].lower().strip(",.;:")
    two = " ".join(plain.lower().split()[:2])
    if first in _PRONOUN_START or two in _PRONOUN_START:
        found.append(Defect("not_self_contained", EDIT, f"starts with \"{first}\""))
    else:
        m = _DEMONSTRATIVE_RE.search(" ".join(plain.split()[:6]))
        if m:
            found.append(Defect("not_self_contained", EDIT, f"leans on \"{m.group(0)}\""))
    if _SAME_RE.search(plain):
        found.append(Defect("not_self_contained", EDIT, "leans on \"the same\""))
    m = _CONTEXT_RE.search(plain) or _BARE_SUBJECT_RE.search(plain)
    if m:
        found.append(Defect("not_self_contained", EDIT, f"leans on \"{m.group(0).strip()}\""))
    m = _OPENER_RE.match(plain)
    if m:
        found.append(Defect("not_self_contained", EDIT,
                            f"discourse opener \"{m.group(0).strip()}\""))
    if _ATTRIBUTION_RE.search(plain):
        found.append(Defect("not_self_contained", EDIT, "attribution"))
    return found


def _asked_text(v: QuestionView) -> str:
    """The sentence a learner reads and must understand alone."""
    if v.type in ("cloze", "true_false"):
        return v.sentence
    if v.is_next:
        return re.sub(r"\s*what happens next\?\s*$", "", v.prompt, flags=re.IGNORECASE)
    if v.type == "basic":
        return v.prompt
    return ""


# --------------------------------------------------------------------------- 3 wrong sentence

def wrong_sentence(v: QuestionView, ctx: Context) -> list[Defect]:
    """Sentences a teacher never asks about: questions, exclamations, first or second person,
    instructions, product plugs and calls to action, captions and bylines."""
    texts: list[str] = []
    if v.type in ("cloze", "true_false"):
        texts.append(v.sentence)
    elif v.is_next:
        texts.append(_asked_text(v))
    if v.type == "basic":
        texts.extend(v.answers)
    if v.type == "multiple_choice":
        texts.extend(v.answers + v.wrong)
    if v.type == "ordering":
        texts.extend(v.steps)
    found: list[Defect] = []
    for text in texts:
        plain = straighten(text).strip()
        reason = ""
        if v.type in ("cloze", "true_false") and plain.rstrip("\"')").endswith("?"):
            reason = "a question (rhetorical or a heading)"
        elif "!" in plain:
            reason = "an exclamation"
        elif _PLUG_RE.search(plain):
            reason = "a product plug or call to action"
        elif _BYLINE_RE.search(plain):
            reason = "a caption or byline"
        elif _PERSON_RE.search(plain) or _I_US_RE.search(plain):
            reason = "first or second person"
        elif v.type in ("cloze", "true_false") and _imperative(plain):
            reason = "an instruction"
        elif v.type in ("cloze", "true_false") and _HOOK_RE.search(plain):
            reason = "a hook"
        if reason:
            found.append(Defect("wrong_sentence", DROP, reason))
            break
        if v.type in ("cloze", "true_false") and _WE_RE.search(plain):
            found.append(Defect("wrong_sentence", EDIT, "first person plural (generic \"we\")"))
            break
    return found


def _imperative(text: str) -> bool:
    toks = _tokens(text)
    if len(toks) < 2 or not toks[0][:1].isupper() or toks[0].isupper():
        return False
    word, nxt = toks[0].lower(), toks[1]
    if re.match(r"^\W*\w+\s*[:(\u2014-]", text):
        return False
    lemmas = getAllLemmas(word)
    if word not in lemmas.get("VERB", ()):
        return False
    if "NOUN" not in lemmas and "ADJ" not in lemmas:
        return nxt.islower() or nxt.isdigit()
    return (nxt.lower() in _IMPERATIVE_NEXT or nxt.isdigit()
            or (word in _GERUND_VERBS and nxt.islower() and nxt.endswith("ing")))


# --------------------------------------------------------------------------- 4 garbled frame

def garbled_frame(v: QuestionView, ctx: Context) -> list[Defect]:
    """The page title, framing ("X 101", "for beginners") or a heading pasted into a prompt."""
    if v.type in ("cloze", "true_false"):
        raw = straighten(v.sentence)
        if re.search(r":\s*[-*\u2022]\s|\s[-*\u2022]\s[\w ]{1,30}:", raw):
            return [Defect("garbled_frame", DROP, "list markup pasted into the sentence")]
        if re.match(r"^[A-Z][A-Z .]{3,}\s*[-:|]\s", raw):
            return [Defect("garbled_frame", EDIT, "dateline or label glued to the front")]
        if v.type == "true_false" and _MYTH_FRAME_RE.search(raw):
            return [Defect("garbled_frame", EDIT, "the myth's framing kept in the statement")]
        sentence = norm(v.sentence)
        for heading in [ctx.title, *ctx.headings]:
            h = norm(heading)
            if len(h.split()) >= 2 and sentence.startswith(h + " ") and not (
                    heading.rstrip().endswith((".", "!"))):
                return [Defect("garbled_frame", EDIT, f"heading \"{heading}\" glued to the front")]
        return []
    prompt = straighten(v.prompt).strip()
    if not prompt:
        return []
    asked = re.sub(r"\s*(?:select|choose|tick) (?:all|every|the ones?) (?:that|which) "
                   r"appl(?:y|ies)\.?$", "", prompt, flags=re.IGNORECASE)
    if "?" in asked.rstrip("?").rstrip() and not v.is_next:
        return [Defect("garbled_frame", DROP, "a question inside the prompt")]
    if _FRAMING_RE.search(prompt) and not _FRAMING_RE.search(" ".join(v.answers)):
        return [Defect("garbled_frame", DROP, "title framing in the prompt")]
    p = norm(prompt)
    for heading in [ctx.title, *ctx.headings]:
        h = norm(heading)
        if len(h.split()) >= 3 and f" {h} " in f" {p} " and len(p.split()) >= len(h.split()) + 2:
            if ctx.topic and h == norm(ctx.topic):
                continue
            cost = EDIT if f"({heading.strip()})".lower() in prompt.lower() else DROP
            return [Defect("garbled_frame", cost, f"heading or title \"{heading}\" in the prompt")]
    return []


# --------------------------------------------------------------------------- 5 teaches the myth

def teaches_myth(v: QuestionView, ctx: Context) -> list[Defect]:
    """A cloze, a true statement or a basic answer that states a gold myth as fact (or a
    true/false item that marks the myth's correction false)."""
    if not ctx.gold or not ctx.gold.myths:
        return []
    if v.type == "cloze":
        candidates = [(v.sentence, True)]
    elif v.type == "true_false":
        candidates = [(v.sentence, str(v.raw.get("answer")).lower() == "true")]
    elif v.type == "basic":
        candidates = [(f"{v.prompt} {a}", True) for a in v.answers]
    else:
        return []
    for text, asserted in candidates:
        for myth in ctx.gold.myths:
            if _states(text, myth.claim, myth.match):
                negated = _negated(text) != _negated(myth.claim)
                if asserted != negated:  # asserts the claim, or denies its denial
                    return [Defect("teaches_myth", DROP, f"drills the myth \"{myth.claim}\"")]
    return []


def _states(text: str, claim: str, match: tuple[str, ...]) -> bool:
    tw = words(text)
    if not matches_all(tw, match):
        return False
    content = [w for w in words(claim) if w not in _STOP and w not in _NEGATIONS]
    if not content:
        return False
    present = set(tw)
    if sum(w in present for w in content) / len(content) < 0.7:
        return False
    claim_words = [w for w in words(claim) if w not in _NEGATIONS]
    return fuzz.partial_ratio(" ".join(claim_words), " ".join(tw)) >= 80


def _negated(text: str) -> bool:
    toks = [t.lower() for t in _tokens(text)]
    return any(t in _NEGATIONS or t.endswith("n't") for t in toks)


# --------------------------------------------------------------------------- 6 invented relation

def invented_relation(v: QuestionView, ctx: Context) -> list[Defect]:
    """Orderings and "what happens next" items the gold steps do not support; multiple-choice
    items whose wrong choice is a gold item of the same list or whose right answer is not."""
    if v.type == "ordering":
        ok, reason = ordering_consistent(v.steps, ctx.gold.steps if ctx.gold else [])
        return [] if ok else [Defect("invented_relation", DROP, reason)]
    if v.is_next:
        stem = _asked_text(v)
        ok, reason = next_consistent(stem, v.answers, ctx.gold.steps if ctx.gold else [])
        return [] if ok else [Defect("invented_relation", DROP, reason)]
    if v.type == "multiple_choice" and ctx.gold and ctx.gold.lists:
        best, best_hits = None, 0
        for lst in ctx.gold.lists:
            hits = sum(any(same_item(a, item) for item in lst.items) for a in v.answers)
            if hits > best_hits:
                best, best_hits = lst, hits
        if best is None:
            return []
        for w in v.wrong:
            if any(same_item(w, item) for item in best.items):
                return [Defect("invented_relation", DROP,
                               f"wrong choice \"{w}\" is true (in \"{best.about}\")")]
        for a in v.answers:
            if not any(same_item(a, item) for item in best.items):
                return [Defect("invented_relation", DROP,
                               f"right answer \"{a}\" is not in \"{best.about}\"")]
    return []


_STEP_MATCH = 65.0


def _step_scores(steps: list[str], seq: Sequence) -> list[list[float]]:
    """How well each step states each gold item (0-100; mean of two rapidfuzz token ratios)."""
    items = [norm(item) for item in seq.items]
    out = []
    for step in steps:
        s = norm(step)
        row = []
        for item in items:
            score = (fuzz.token_set_ratio(s, item) + fuzz.token_sort_ratio(s, item)) / 2 if s else 0
            if s and item and (f" {s} " in f" {item} " or f" {item} " in f" {s} "):
                score = max(score, 90.0)
            row.append(score)
        out.append(row)
    return out


def _in_order(scores: list[list[float]]) -> bool:
    """True when the steps can be matched to gold items at strictly increasing positions."""
    last = -1
    for row in scores:
        nxt = next((j for j in range(last + 1, len(row)) if row[j] >= _STEP_MATCH), None)
        if nxt is None:
            return False
        last = nxt
    return True


def ordering_consistent(steps: list[str], gold_steps: list[Sequence]) -> tuple[bool, str]:
    """An ordering is consistent when its steps are gold steps of one explicit sequence, in the
    gold order (an in-order subsequence)."""
    if not gold_steps:
        return False, "no explicit sequence in the article"
    best: tuple[int, Sequence, list[list[float]]] | None = None
    for seq in gold_steps:
        scores = _step_scores(steps, seq)
        if _in_order(scores):
            return True, ""
        hits = sum(max(row, default=0) >= _STEP_MATCH for row in scores)
        if best is None or hits > best[0]:
            best = (hits, seq, scores)
    assert best is not None
    hits, seq, scores = best
    if hits < len(steps):
        missing = [s for s, row in zip(steps, scores, strict=True)
                   if max(row, default=0) < _STEP_MATCH]
        return False, f"step \"{missing[0]}\" is not in an explicit sequence"
    return False, f"steps out of the order of \"{seq.about}\""


def next_consistent(stem: str, answers: list[str], gold_steps: list[Sequence]) -> tuple[bool, str]:
    """A "what happens next" item is consistent when its stem and its answer are gold steps of
    one sequence with the answer later than the stem."""
    if not gold_steps or not answers:
        return False, "no explicit sequence in the article"
    found = False
    for seq in gold_steps:
        scores = _step_scores([stem, answers[0]], seq)
        if _in_order(scores):
            return True, ""
        found = found or all(max(row, default=0) >= _STEP_MATCH for row in scores)
    if found:
        return False, "the answer does not follow the stem in the article's sequence"
    return False, "stem or answer is not in an explicit sequence"


# --------------------------------------------------------------------------- 7 ungrammatical/cut

_FRAGMENT_RE = re.compile(r"^(?:if|when|once|after|before|because|although|though|while|"
                          r"as soon as|unless|until|whereas|since)\b", re.IGNORECASE)


def cut(v: QuestionView, ctx: Context) -> list[Defect]:
    """Question text that is not recoverable from its origin quote: words dropped or changed in
    the middle (a negation dropped from a myth's true/false statement is expected), a pronoun
    rewritten to another person, a sentence starting mid-phrase, a capital article mid-prompt, a
    choice or step that is only a subordinate clause ("If nothing is cached")."""
    if v.type == "basic":
        m = re.search(r"^\s*(?:what|who|where|when)\s+(?:is|are|was|were|does|do)\s+(A|An|The)\s",
                      v.prompt, re.IGNORECASE)
        if m and m.group(1)[0].isupper():
            return [Defect("cut", EDIT, f"capital \"{m.group(1)}\" inside the prompt")]
        return []
    if v.type in ("multiple_choice", "ordering"):
        parts = [*v.answers, *v.wrong, *v.steps]
        if v.is_next:
            parts.append(_asked_text(v))
        for part in parts:
            bare = _OPENER_RE.sub("", straighten(part).strip())
            if _FRAGMENT_RE.match(bare) and "," not in bare:
                return [Defect("cut", DROP, f"a fragment: \"{part}\"")]
        for part in parts:
            m = re.search(r"[a-z,;] (The|A|An) ", part)
            if m:
                return [Defect("cut", EDIT, f"capital \"{m.group(1)}\" inside \"{part}\"")]
        return []
    if v.type not in ("cloze", "true_false") or not v.quote or not v.sentence:
        return []
    first = _tokens(v.sentence)[:1]
    if first and first[0].isalpha() and first[0].islower():
        return [Defect("cut", DROP, f"starts mid-phrase (\"{first[0]}\")")]
    m = re.search(r"[,;]\s(A|An|The)\s", v.sentence)
    if m and m.group(0) not in v.quote:
        return [Defect("cut", EDIT, f"capital \"{m.group(1)}\" inside the sentence")]
    q = [w.lower() for w in _tokens(v.sentence)]
    s = [w.lower() for w in _tokens(v.quote)]
    sm = difflib.SequenceMatcher(a=s, b=q, autojunk=False)
    ops = sm.get_opcodes()
    equal = [op for op in ops if op[0] == "equal"]
    if not equal:
        return [Defect("cut", DROP, "not recoverable from its quote")]
    if sum(op[2] - op[1] for op in equal) < 0.6 * len(q):
        return [Defect("cut", DROP, "mostly not from its quote")]
    start, end = equal[0][1], equal[-1][2]
    is_tf = v.type == "true_false"
    worst = ""
    for tag, i1, i2, j1, j2 in ops:
        removed, added = s[i1:i2], q[j1:j2]
        if tag in ("replace", "insert") and set(added) & _PERSONAL and not set(removed) & _PERSONAL:
            return [Defect("cut", DROP, f"pronoun rewritten: {' '.join(removed)} -> "
                                        f"{' '.join(added)}")]
        if tag == "equal" or i1 < start or i1 >= end:
            continue
        if is_tf and (set(removed) & _NEGATIONS or any(w.endswith("n't") for w in removed)
                      or set(removed) <= {"do", "does", "did", "not", "no", "never"}):
            continue
        if tag == "replace" and set(removed) <= _PRONOUNS | {"the", "a", "an"}:
            continue
        if tag in ("delete", "replace") and removed:
            content = [w for w in removed if w not in {"a", "an", "the"}]
            if content:
                return [Defect("cut", DROP, f"words dropped: \"{' '.join(removed)}\"")]
            worst = f"article dropped: \"{' '.join(removed)}\""
        if tag == "insert" and not is_tf:
            worst = worst or f"words added: \"{' '.join(added)}\""
    return [Defect("cut", EDIT, worst)] if worst else []


# --------------------------------------------------------------------------- 8 duplicate

def duplicates(views: list[QuestionView]) -> dict[int, Defect]:
    """Questions that ask what an earlier question already asks: the same type and nearly the
    same text (rapidfuzz), two clozes of one quote with a shared answer, two basic cards with
    one front."""
    found: dict[int, Defect] = {}
    keys = [norm(_dup_key(v)) for v in views]
    for j, b in enumerate(views):
        for i in range(j):
            a = views[i]
            if a.type != b.type or i in found:
                continue
            reason = ""
            if keys[i] and keys[j] and fuzz.token_sort_ratio(keys[i], keys[j]) >= 90:
                reason = f"near-duplicate of question {i + 1}"
            elif (a.type == "cloze" and a.quote and a.quote == b.quote
                  and {norm(x) for x in a.answers} & {norm(x) for x in b.answers}):
                reason = f"same quote and answer as question {i + 1}"
            elif (a.type == "cloze" and b.answers
                  and {norm(x) for x in b.answers} <= {norm(x) for x in a.answers}
                  and all(len(norm(x)) >= 5 and not any(c.isdigit() for c in x)
                          for x in b.answers)
                  and fuzz.token_set_ratio(keys[i], keys[j]) >= 65):
                reason = f"asks only what question {i + 1} already asks"
            elif a.type == "basic" and norm(a.prompt) == norm(b.prompt):
                reason = f"same front as question {i + 1}"
            if reason:
                found[j] = Defect("duplicate", DROP, reason)
                break
    return found


def _dup_key(v: QuestionView) -> str:
    if v.type in ("cloze", "true_false"):
        return v.sentence
    if v.type == "basic":
        return f"{v.prompt} {' '.join(v.answers)}"
    if v.type == "ordering":
        return " ".join(v.steps)
    return f"{v.prompt} {' '.join(v.answers)}"


#: The per-question detectors in rubric order (duplicates need the whole deck: :func:`duplicates`).
DETECTORS: tuple[Callable[[QuestionView, Context], list[Defect]], ...] = (
    deletion, not_self_contained, wrong_sentence, garbled_frame, teaches_myth, invented_relation,
    cut)


def detect(ctx: Context) -> list[list[Defect]]:
    """Every defect of every question of the deck in ``ctx.questions``, in deck order."""
    out = [[d for detector in DETECTORS for d in detector(v, ctx)] for v in ctx.questions]
    for j, defect in duplicates(ctx.questions).items():
        out[j].append(defect)
    return out


def grade(defects: list[Defect]) -> str:
    """KEEP without defects, DROP when any defect costs a drop, EDIT otherwise."""
    if any(d.grade == DROP for d in defects):
        return DROP
    return EDIT if defects else "KEEP"
