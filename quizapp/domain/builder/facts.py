"""Cloze questions: takeaways, key facts of a section, and how-to-improve items.

Every "3 Things to Remember" item becomes a cloze whose deletions are its key terms (see
:mod:`.terms`). Other sections contribute their best sentences: the ones with the most specific
terms and numbers, that read on their own (a leading "It"/"They" is resolved to the previous
sentence's subject or the sentence is skipped) and that are not about the article itself.
"""

from __future__ import annotations

import re

from quizapp.domain.articles import Section
from quizapp.domain.articles.words import has_finite_verb, is_stop, words

from . import tagger
from .clauses import (
    is_meta,
    refers_back,
    resolve_pronoun,
    rewrite_demonstratives,
    starts_with_pronoun,
)
from .draft import Context, Draft
from .factual import leans_on_context, not_factual, strip_opener
from .terms import (
    choose_deletions,
    cloze_text,
    content_rarity,
    key_spans,
    tagged_deletions,
)

_DIGIT = re.compile(r"\d")
_YOU = re.compile(r"\byou(?:r)?\b", re.I)
_WHEN_THE = re.compile(r"(?:when|if|while)\s+the\b", re.I)
MIN_WORDS, MAX_WORDS = 6, 45
MIN_SCORE = 1.5
#: The two best key terms of a sentence must weigh this much together for a cloze.
MIN_TERMS = 3.0
LONG_SENTENCE = 30
_TRAILING_CLAUSE = re.compile(
    r",\s+(?:which is why|which means|so that|cutting|allowing|"
    r"especially|whether or not)\b.*$"
)


def shorten(sentence: str) -> str:
    """A long sentence without its trailing ", which is why ..." commentary."""
    if len(words(sentence)) > LONG_SENTENCE:
        shorter = _TRAILING_CLAUSE.sub(".", sentence)
        if len(words(shorter)) >= MIN_WORDS and has_finite_verb(shorter):
            return shorter
    return sentence


def cloze_from(
    ctx: Context,
    sentence: str,
    section: str,
    *,
    quote: str | None = None,
    prefix: str = "",
    threshold: float = 1.6,
    priority: int = 50,
    position: tuple[int, int] = (0, 0),
) -> Draft | None:
    """A cloze of ``sentence`` deleting its key terms, or None when it has none worth asking."""
    text = shorten(rewrite_demonstratives(sentence))
    spans = key_spans(text, ctx.topic_words, ctx.background)
    chosen = choose_deletions(text, spans, threshold=threshold)
    if not chosen:
        return None
    return Draft(
        type="cloze",
        fields={"text": prefix + cloze_text(text, chosen)},
        cloze_threshold=threshold,
        section=section,
        quote=quote or sentence,
        key=tuple(s.text for s in chosen[:2]),
        priority=priority,
        position=position,
        sources=(quote or sentence,),
        cloze_sentence=text,
        cloze_prefix=prefix,
        spans=chosen,
    )


def refine_deletions(ctx: Context, drafts: list[Draft]) -> list[Draft]:
    """Every cloze's deletions chosen again from the tagger's noun phrases (see
    :func:`.terms.tagged_deletions`); a cloze left without any is dropped. The sentences are
    tagged in one batch. The id keeps coming from the lexicon's key terms (``draft.key``), so
    a deck's ids do not depend on which of them is blanked."""
    if not tagger.enabled():
        return drafts
    clozes = [d for d in drafts if d.type == "cloze"]
    tagger.ensure([d.cloze_sentence for d in clozes])
    title = frozenset(w.lower() for w in words(ctx.article.title) if not is_stop(w))
    out = []
    for draft in drafts:
        if draft.type == "cloze":
            chosen = tagged_deletions(
                draft.cloze_sentence,
                ctx.topic_words,
                ctx.background,
                title,
                threshold=draft.cloze_threshold,
            )
            if not chosen:
                continue
            draft.spans = chosen
            draft.fields["text"] = draft.cloze_prefix + cloze_text(draft.cloze_sentence, chosen)
        out.append(draft)
    return out


def takeaway_drafts(ctx: Context, index: int, section: Section) -> list[Draft]:
    """One cloze per takeaway item (list items, or paragraphs when the section has no list)."""
    items = section.items() or [" ".join(b.sentences) for b in section.paragraphs() if b.sentences]
    drafts = []
    for n, item in enumerate(items):
        item = item.strip()
        if not item:
            continue
        if not item.endswith((".", "!", "?")):
            item += "."
        if not_factual(item) or leans_on_context(item):
            continue
        draft = cloze_from(ctx, item, "takeaway", threshold=1.2, priority=0, position=(index, n))
        if draft:
            drafts.append(draft)
    return drafts


def candidate_sentences(section: Section) -> list[tuple[int, str, str]]:
    """``(order, text, quote)`` for every sentence of the section a question may stand on:
    factual and declarative (:func:`.factual.not_factual`), a content-free opener removed, a
    leading "It"/"They" resolved to the previous sentence's key subject (else skipped), nothing
    that leans on a sentence the learner will not see."""
    out = []
    previous: str | None = None
    for n, sentence in enumerate(section.sentences()):
        before, previous = previous, sentence
        text = strip_opener(sentence)
        if text is None:
            continue
        resolved = resolve_pronoun(text, before)
        if resolved is None:
            continue
        resolved = rewrite_demonstratives(shorten(resolved))
        if not_factual(resolved) or is_meta(resolved):
            continue
        if starts_with_pronoun(resolved) or not MIN_WORDS <= len(words(resolved)) <= MAX_WORDS:
            continue
        if refers_back(resolved) or leans_on_context(resolved):
            continue
        if not resolved.endswith(".") or not has_finite_verb(resolved):
            continue
        out.append((n, resolved, sentence))
    return out


WORDS_PER_QUESTION = 60
#: A short section (a FAQ answer, a glossary entry) still yields one question.
MIN_PROSE_WORDS = 20
MAX_PROSE_PER_SECTION = 6


def prose_limit(section: Section, least: int = 0) -> int:
    """How many clozes a section's prose yields: about one per :data:`WORDS_PER_QUESTION`
    words of factual sentences (at least ``least``, at most :data:`MAX_PROSE_PER_SECTION`)."""
    count = sum(len(words(s)) for s in section.sentences() if not not_factual(s))
    share = round(count / WORDS_PER_QUESTION) or (1 if count >= MIN_PROSE_WORDS else 0)
    return max(least, min(MAX_PROSE_PER_SECTION, share))


def key_sentence_drafts(
    ctx: Context, index: int, section: Section, section_name: str, *, limit: int, priority: int = 10
) -> list[Draft]:
    """Clozes of the ``limit`` best sentences of ``section`` not yet used by another question.

    Sentences are ranked by their rarest words (cheap), then turned into clozes best first until
    ``limit`` of them have deletions worth asking.
    """
    ranked = []
    for n, text, quote in candidate_sentences(section):
        if quote in ctx.used:
            continue
        score = _quick_score(text, ctx.topic_words)
        if quote in ctx.chained:
            score *= 0.7  # its order is asked already; prefer facts outside the chain
        if len(words(text)) > LONG_SENTENCE:
            score *= 0.8
        if _YOU.search(text):
            score *= 0.85
        if text.lower().startswith(ctx.topic.lower()):
            score *= 1.2
        elif _WHEN_THE.match(text):
            score *= 0.8
        ranked.append((score, n, text, quote))
    ranked.sort(key=lambda t: (-t[0], t[1]))
    drafts: list[Draft] = []
    weaker: list[Draft] = []
    for k, (score, n, text, quote) in enumerate(ranked[: 2 * limit + 2]):
        if len(drafts) >= limit or score < MIN_SCORE:
            break
        draft = cloze_from(
            ctx, text, section_name, quote=quote, priority=priority, position=(index, 100 + n)
        )
        if not draft:
            continue
        weight = sum(sorted((s.score for s in draft.spans), reverse=True)[:2])
        if weight >= MIN_TERMS and k < limit + 2:
            drafts.append(draft)
        elif weight >= MIN_SCORE:
            weaker.append(draft)  # fills the section's share after the strong ones
    return drafts + weaker[: max(0, limit - len(drafts))]


def _quick_score(text: str, topic: frozenset[str]) -> float:
    """The two rarest words' rarity (topic words count little), plus a bonus for numbers."""
    best = second = 0.0
    for w in words(text):
        r = content_rarity(w)
        if r and w.lower() in topic:
            r *= 0.3
        if r > best:
            best, second = r, best
        elif r > second:
            second = r
    bonus = 3.0 if _DIGIT.search(text) else 0.0
    return best + second + bonus


def improve_drafts(ctx: Context, index: int, section: Section, *, limit: int = 3) -> list[Draft]:
    """ "How to Improve It" items as clozes: "To improve cortisol rhythm: get {{c1::outdoor
    light}} within an hour of waking."."""
    drafts = []
    for n, item in enumerate(section.items()[:limit]):
        if not has_finite_verb(item):
            continue
        sentence = item.rstrip(".") + "."
        prefix = f"To improve {ctx.topic}: "
        text = (
            sentence[:1].lower() + sentence[1:]
            if sentence[:2] != sentence[:2].upper()
            else sentence
        )
        draft = cloze_from(
            ctx,
            text,
            "other",
            quote=item,
            prefix=prefix,
            priority=11,
            position=(index, n),
            threshold=3.5,
        )
        if draft:
            drafts.append(draft)
    return drafts
