"""Class 1, deletion choice: blanks a teacher would move."""

from __future__ import annotations

import re

from wordfreq import zipf_frequency

from ..text import contains_phrase, norm, same_item, straighten, words
from ..views import QuestionView
from .base import EDIT, Context, Defect
from .lexicon import GENERIC_NOUNS, OPENERS, STOP, is_name_like, pos_readings, tokens, wordset


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
        if not tokens(answer):
            continue
        after = _CLOZE_RE.sub(lambda x: x.group(1), text[m.end() : m.end() + 60])
        before = _CLOZE_RE.sub(lambda x: x.group(1), text[max(0, m.start() - 60) : m.start()])
        reason = (
            _deletion_shape(answer, after, before, ctx)
            or _enumeration_item(answer, filled)
            or _gold_list_item(answer, filled, ctx)
            or _in_title(answer, v, ctx)
        )
        if reason:
            found.append(Defect("deletion", EDIT, f"{{{{{answer}}}}}: {reason}"))
    return found


_CLOZE_RE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}")
_IDIOMS = (
    "contrary to popular belief",
    "in fact",
    "for example",
    "for instance",
    "as a result",
    "in other words",
    "on the other hand",
    "at the same time",
    "in addition",
    "of course",
    "in reality",
    "in practice",
    "in general",
    "as well as",
    "rule of thumb",
    "common misconception",
    "common misunderstanding",
    "popular belief",
    "by contrast",
    "in short",
    "at least",
    "at most",
    "in turn",
    "so-called",
    "such as",
)
_NUMBER_WORDS = (
    "million",
    "billion",
    "thousand",
    "hundred",
    "trillion",
    "percent",
    "per cent",
    "%",
)
_AFTER_NOUN = re.compile(
    r"^\s+([a-z][a-z-]*)(?:\s*[,.;:)]|\s+(?:into|to|that|which|and|or|of|"
    r"in|for|with|from|on|at|by|as|are|is|were|was)\b)"
)
#: Plural nouns that lemminflect also reads as verbs and that often start a compound answer.
_KEEP_VERBLIKE = frozenset({"levels", "cells", "waves", "rates", "forms", "types", "changes"})
_REPORTING_VERBS = wordset(
    "stress argue say note suggest show find believe claim think report "
    "agree estimate warn conclude"
)
_OPENER_WORDS = frozenset(o for o in OPENERS if " " not in o) | {"in", "on", "at", "by"}
_MODIFIER_SUFFIXES = ("able", "ible", "ous", "ive", "ful", "less", "ly", "ic", "ical", "ary")


def _gold_term(answer: str, ctx: Context) -> bool:
    """True when the blank is a term the gold file marks as key (all of it within a match
    phrase: "immune system", not "rebasing rewrites" for the phrase "rebasing")."""
    if not ctx.gold:
        return False
    a = words(answer)
    phrases = [p for f in ctx.gold.facts for p in f.match]
    phrases += [p for d in ctx.gold.definitions for p in d.match]
    return any(contains_phrase(words(p), " ".join(a)) for p in phrases if a)


def _deletion_shape(answer: str, after: str, before: str, ctx: Context) -> str:
    toks = tokens(answer)
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
            return f'part of the idiom "{idiom}"'
    opening = not before.strip() or bool(re.search(r"[.!?:]\s*$", before))
    if is_name_like(answer) and not (
        opening
        and answer[1:].split(" ")[0].islower()
        and all(w.islower() for w in answer.split()[1:])
    ):
        if answer[:1].isupper() and re.match(r"^(?: |-)(?:[A-Z0-9][\w*'-]*)(?:[\s,.;:]|$)", after):
            return "half a name (the rest of it follows the blank)"
        prev = re.search(r"(?:^|[^.!?:]\s)([A-Z][a-z]+) $", before)
        if answer[:1].isupper() and prev and prev.group(1).lower() not in STOP | _OPENER_WORDS:
            return f'half a name ("{prev.group(1)}" precedes the blank)'
        return ""
    if phrase in {"tens", "hundreds", "thousands", "millions", "dozens", "billions"}:
        return "half a number"
    if _gold_term(answer, ctx) or (len(low) > 2 and set(low[1:-1]) & {"to", "of", "and", "for"}):
        return ""  # a key term of the article, or a term with a function word inside it
    if len(low) == 1 and (low[0] in GENERIC_NOUNS or zipf_frequency(low[0], "en") >= 5.6):
        return "generic word"
    if (
        len(low) > 1
        and low[-1] in GENERIC_NOUNS
        and all("ADJ" in pos_readings(t) for t in low[:-1])
    ):
        return "generic noun phrase"
    if low[0] in STOP or low[0] in {"plus", "than", "like"}:
        return "starts with a function word (half a phrase)"
    last = low[-1]
    readings = pos_readings(last)
    if readings and "NOUN" not in readings and "PROPN" not in readings:
        return "a verb or modifier, not a noun phrase"
    if (not readings or "ADJ" in readings) and last.endswith(_MODIFIER_SUFFIXES) and len(low) == 1:
        return "a modifier, not a noun phrase"
    for i, (word, nxt) in enumerate(zip(low, low[1:], strict=False)):
        if (
            word.endswith("s")
            and "VERB" in pos_readings(word)
            and not word.endswith("ss")
            and (nxt in STOP or "NOUN" in pos_readings(nxt))
            and word not in _KEEP_VERBLIKE
            and (i == 0 or low[i - 1].endswith("ing"))
        ):
            return f'a verb ("{word}") inside the blank'
    if len(low) >= 2 and last.endswith("s") and "VERB" in readings and low[-2].endswith("ing"):
        return f'a verb ("{last}") inside the blank'
    if (
        len(low) == 1
        and last.endswith("s")
        and "VERB" in readings
        and before
        and re.search(
            r"\b(?:usually|often|never|neither|also|only|always|rarely|still|"
            r"sometimes|generally|typically|normally|then)\s+$",
            before,
        )
    ):
        return "a verb, not a noun phrase"
    if last in _REPORTING_VERBS and re.match(r"^\s+that\b", after) and len(low) > 1:
        return "a verb inside the blank"
    if "VERB" in readings and re.match(r"^\s+by\b", after):
        return 'a verb (participle before "by")'
    if (
        len(low) == 1
        and last.endswith("ing")
        and "VERB" in readings
        and re.match(r"^\s+(?:the|a|an|its|their)\b", after)
    ):
        return "a verb (gerund with its object after the blank)"
    m = _AFTER_NOUN.match(after)
    if (
        m
        and m.group(1) not in STOP
        and "NOUN" in pos_readings(m.group(1))
        and ("ADJ" not in pos_readings(m.group(1)))
    ):
        return f'half a noun phrase ("{m.group(1)}" follows the blank)'
    return ""


_ITEM = r"[\w'\-]+(?: [\w'\-]+){0,3}"
_NOT_ITEM = (
    r"(?!(?:which|who|that|where|when|while|because|although|if|so|but|it|they|such as|"
    r"including|like|for example|especially|\w+ing \w+ \w+)\b)"
)
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
        in_first = parts[0] == a or (
            parts[0].endswith(" " + a) and not parts[0][: -len(a)].rstrip().endswith(" of")
        )
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
    text = " " + norm(sentence) + " "
    a = norm(answer)
    for lst in ctx.gold.lists:
        hit = [item for item in lst.items if same_item(answer, item, 90)]
        for item in lst.items:
            other = norm(item)
            if not hit or item in hit or not other:
                continue
            glue = r"(?: ?, ?| and | or | ?, and | ?, or )(?:the |a |an )?"
            if re.search(rf" {re.escape(a)}{glue}{re.escape(other)} ", text) or re.search(
                rf" {re.escape(other)}{glue}{re.escape(a)} ", text
            ):
                return f'one item of the list "{lst.about}" (the answer is not determined)'
    return ""


def _clause_item(part: str) -> bool:
    toks = tokens(part)
    return (
        len(toks) >= 2
        and toks[0].islower()
        and toks[0].endswith("s")
        and "VERB" in pos_readings(toks[0])
    )


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
    toks = [t for tok in tokens(prompt) for t in tok.split("-") if t]
    letters = re.sub(r"[^A-Za-z]", "", answer)
    if re.fullmatch(r"[A-Z][A-Za-z0-9-]*", answer) and sum(c.isupper() for c in answer) >= 2:
        want = [c.lower() for c in letters if c.isupper()]
        content = [t for t in toks if t.lower() not in {"of", "and", "the", "for", "in", "on"}]
        for i in range(len(content) - len(want) + 1):
            if [t[0].lower() for t in content[i : i + len(want)]] == want:
                return True
    parts = [t for t in tokens(answer) if t.lower() not in {"of", "and", "the", "for", "in"}]
    if len(parts) >= 2:
        initials = "".join(t[0] for t in parts).lower()
        return any(
            t.lower() == initials or t.lower().rstrip("s") == initials
            for t in toks
            if sum(c.isupper() for c in t) >= 2
        )
    return False
