"""Multiple-choice items from lists: amplifiers, suppressors and signs.

"IGF-1 signaling is amplified by two other inputs: resistance exercise and leucine." and "The
system is suppressed when energy availability is low, when cortisol is chronically elevated,
or when sleep quality is poor." become "Which of these amplify ...?" and "Which of these
suppress ...?", each the other's distractors. A signs list ("Signs It Is Disrupted") becomes a
select-all-that-apply item whose distractors are the signs of the *other* articles in the same
build (never one resembling a right answer), or, for an article built alone, things this
article says about a healthy state ("recovery is faster") or about what helps.
"""

from __future__ import annotations

import hashlib
import re

from rapidfuzz import fuzz

from quizapp.domain.articles import Article, Section
from quizapp.domain.articles.words import has_finite_verb, upper_first, words

from .clauses import adjective_first, is_key_subject, split_list
from .draft import Context, Draft

MAX_RIGHT = 6
DISTRACTORS = 3
SIMILAR = 75
_AMPLIFY = re.compile(
    r"^(?:when |if )?(?P<subject>.+?)\s+(?:is|are)\s+(?:also |further |strongly |greatly )?"
    r"(?:amplified|enhanced|boosted|strengthened|increased|stimulated|raised|promoted|"
    r"sharpened|steepened)\s+by\s+(?:(?:two|three|four|five|several|a few|other|main|key|"
    r"the following)\s+)*(?:inputs?|factors?|things?|signals?|habits?)?\s*:?\s*(?P<items>.+)$",
    re.I)
_SUPPRESS = re.compile(
    r"^(?:when |if )?(?P<subject>.+?)\s+(?:is|are)\s+(?:also |further |strongly |greatly )?"
    r"(?:suppressed|reduced|blunted|inhibited|impaired|disrupted|flattened|lowered|weakened|"
    r"dampened|blocked)\s+(?:when|by|if)\s+(?P<items>.+)$", re.I)
_AMPLIFY_HINT = re.compile(r"(?:amplified|enhanced|boosted|strengthened|increased|stimulated|"
                           r"raised|promoted|sharpened|steepened) by")
_SUPPRESS_HINT = re.compile(r"(?:suppressed|reduced|blunted|inhibited|impaired|disrupted|"
                            r"flattened|lowered|weakened|dampened|blocked) (?:when|by|if)")
_HEALTHY_HINT = re.compile(r"^when ")
_HEALTHY = re.compile(
    r"^when (?:the )?[\w\- ]+? (?:is|are) (?:robust|strong|steep|healthy|full|optimal|"
    r"working well|balanced|adequate|high enough)\b[^,]*,\s*(?P<items>.+)$", re.I)


def list_items(article: Article) -> dict[str, list[tuple[str, str]]]:
    """``{"amplifiers": [(item, sentence)], "suppressors": [...], "healthy": [...]}`` from
    every sentence of the article, plus the items of signs and improve sections (computed once
    per article)."""
    if "lists" not in article.memo:
        article.memo["lists"] = _list_items(article)
    return article.memo["lists"]


def _list_items(article: Article) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {"amplifiers": [], "suppressors": [],
                                               "healthy": [], "signs": [], "improve": []}
    for section in article.sections:
        for sentence in section.sentences():
            low = sentence.lower()
            for kind, pattern, hint in (("amplifiers", _AMPLIFY, _AMPLIFY_HINT),
                                        ("suppressors", _SUPPRESS, _SUPPRESS_HINT),
                                        ("healthy", _HEALTHY, _HEALTHY_HINT)):
                if not hint.search(low):
                    continue
                m = pattern.match(sentence)
                if m:
                    for item in split_list(m.group("items")):
                        item = _choice(item)
                        if item and not _similar_to(item, [i for i, _ in found[kind]]):
                            found[kind].append((item, sentence))
        if section.role in ("signs", "improve"):
            for item in section.items():
                found[section.role].append((_choice(item), item))
        if section.role in ("amplifiers", "suppressors"):
            for item in section.items():
                found[section.role].append((_choice(item), item))
    found["healthy"] = [(i, s) for i, s in found["healthy"] if has_finite_verb(i)]
    return found


def _choice(item: str) -> str:
    item = " ".join(item.split()).strip(" .;:")
    return upper_first(adjective_first(item))


def _similar_to(item: str, others: list[str], limit: int = SIMILAR) -> bool:
    low = item.lower()
    return any(fuzz.token_set_ratio(low, o.lower()) >= limit for o in others)


def _subject(sentence: str, pattern: re.Pattern[str], topic: str) -> str:
    """What the list acts on: the sentence's own subject when it names something ("IGF-1
    signaling"), the article's topic when it is "It", "The system" or "The rhythm"."""
    m = pattern.match(sentence)
    subject = m.group("subject").strip() if m else ""
    first = (words(subject) or [""])[0].lower()
    if not subject or first in ("the", "this", "that", "it", "its", "these", "they", "a", "an"):
        return topic
    return subject if is_key_subject(subject) and len(words(subject)) <= 4 else topic


def lever_drafts(ctx: Context, found: dict[str, list[tuple[str, str]]],
                 position: tuple[int, int]) -> list[Draft]:
    """"Which of these amplify/suppress X?" items, each list the other's distractors."""
    drafts = []
    for kind, other, verb, pattern in (("amplifiers", "suppressors", "amplify", _AMPLIFY),
                                       ("suppressors", "amplifiers", "suppress", _SUPPRESS)):
        right = [i for i, _ in found[kind]][:MAX_RIGHT]
        if not right:
            continue
        # The opposite list of this article first (stable whatever else is built with it),
        # then the same kind of list from sibling articles.
        wrong = _pick(ctx, right, [i for i, _ in found[other]], ordered=True)
        if len(wrong) < DISTRACTORS:
            siblings = [item for _, item in _sibling(ctx, other)]
            wrong += _pick(ctx, right + wrong, siblings)[:DISTRACTORS - len(wrong)]
        if len(wrong) < 2:
            continue
        sentences = list(dict.fromkeys(s for _, s in found[kind]))
        subject = _subject(sentences[0], pattern, ctx.topic) if sentences else ctx.topic
        drafts.append(_mc(ctx, f"Which of these {verb} {subject}? Select all that apply.",
                          right, wrong, kind, ctx.quote(sentences), position, priority=5))
    return drafts


def signs_draft(ctx: Context, section: Section, found: dict[str, list[tuple[str, str]]],
                position: tuple[int, int]) -> Draft | None:
    """A select-all-that-apply item from a signs list."""
    right = [i for i in (_choice(x) for x in section.items()) if i][:MAX_RIGHT]
    if not right:
        return None
    siblings = [item for _, item in _sibling(ctx, "signs")]
    own = [i for i, _ in found["healthy"]] + [i for i, _ in found["amplifiers"]] + \
        [i for i, _ in found["improve"]]
    wrong = _pick(ctx, right, siblings) if siblings else []
    if len(wrong) < DISTRACTORS:
        wrong += _pick(ctx, right + wrong, own, ordered=True)[:DISTRACTORS - len(wrong)]
    if len(wrong) < 2:
        return None
    return _mc(ctx, signs_prompt(section.heading, ctx.topic), right, wrong, "signs",
               "; ".join(section.items()), position, priority=3, origin="signs")


def signs_prompt(heading: str, topic: str) -> str:
    text = " ".join(heading.split()).rstrip(":")
    low = text.lower()
    m = re.match(r"^(?:the\s+)?(signs?|symptoms?|red flags?|warning signs?)\s+(?:that\s+)?"
                 r"(?:it|this|they)\s+(?:is|are)\s+(.+)$", low)
    if m:
        return f"Which of these are signs that {topic} is {m.group(2)}? Select all that apply."
    if re.match(r"^(?:the\s+)?(?:signs?|symptoms?|red flags?|warning signs?)\s+of\s+", low):
        return f"Which of these are {low}? Select all that apply."
    return f"Which of these are {low or 'signs'} linked to {topic}? Select all that apply."


def _sibling(ctx: Context, kind: str) -> list[tuple[str, str]]:
    return [(slug, item) for slug, item in ctx.pools.others(ctx.slug, kind) if item]


def _pick(ctx: Context, right: list[str], pool: list[str], *, ordered: bool = False) -> list[str]:
    """Up to :data:`DISTRACTORS` items of ``pool`` unlike every right answer and each other;
    a stable pseudo-random order (by hash, never by chance) unless ``ordered``."""
    candidates = list(dict.fromkeys(p for p in pool if p))
    if not ordered:
        candidates.sort(key=lambda p: hashlib.sha256(f"{ctx.slug}\x1f{p}".encode()).hexdigest())
    picked: list[str] = []
    for item in candidates:
        if _similar_to(item, right) or _similar_to(item, picked, 85):
            continue
        picked.append(item)
        if len(picked) == DISTRACTORS:
            break
    return picked


def _mc(ctx: Context, prompt: str, right: list[str], wrong: list[str], kind: str, quote: str,
        position: tuple[int, int], *, priority: int, origin: str = "mechanism") -> Draft:
    choices = right + wrong
    order = sorted(range(len(choices)),
                   key=lambda i: hashlib.sha256(f"{ctx.slug}\x1f{choices[i]}".encode()).hexdigest())
    shuffled = [choices[i] for i in order]
    correct = sorted(shuffled.index(r) for r in right)
    return Draft(
        type="multiple_choice",
        fields={"prompt": prompt, "choices": shuffled, "correct": correct, "multiple": True},
        section=origin,
        quote=quote,
        explanation="Right answers: " + "; ".join(right) + ".",
        key=(),
        kind=kind if origin != "signs" else "",
        priority=priority,
        position=position,
    )
