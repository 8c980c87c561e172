"""From an :class:`~quizapp.domain.articles.Article` to the drafts of its deck.

Owns which generator runs on which section role, the article's topic (the phrase prompts name,
and the words that make weak deletions), and the final pass: every draft checked against the
quality rules, duplicates removed, the rest put in article order.
"""

from __future__ import annotations

from collections import Counter

from quizapp.domain.articles import Article
from quizapp.domain.articles.words import is_acronym, is_stop, words
from quizapp.domain.questions.cloze import without_deletions
from quizapp.domain.questions.lint import lint_question

from . import choices, definitions, facts, mechanism, misconceptions
from .draft import Context, Draft, Pools
from .quality import dedupe, problems
from .terms import key_spans
from .topic import topic_from_title

ORIGIN = {
    "definition": "definition",
    "mechanism": "mechanism",
    "why_it_matters": "why_it_matters",
    "misconception": "misconception",
    "signs": "signs",
    "takeaway": "takeaway",
    "amplifiers": "mechanism",
    "suppressors": "mechanism",
}
BACKGROUND_SHARE = 0.3
#: Roles whose special items come from lists; the prose around them still yields clozes.
PROSE_TOO = frozenset({"signs", "takeaway", "improve", "amplifiers", "suppressors"})


def origin_section(role: str) -> str:
    """The deck file's ``origin.section`` for a section role."""
    return ORIGIN.get(role, "other")


def context_for(article: Article, slug: str, pools: Pools | None = None) -> Context:
    topic = topic_of(article)
    title_words = frozenset(w.lower() for w in words(article.title) if not is_stop(w))
    return Context(
        article=article,
        slug=slug,
        topic=topic,
        topic_words=title_words | frozenset(w.lower() for w in words(topic)),
        background=_background(article),
        pools=pools or Pools(),
    )


def topic_of(article: Article) -> str:
    """What the article is about, as prompts should name it: "IGF-1 signaling", "creatine"."""
    title = article.title.strip()
    text = " ".join(article.sentences())
    found = topic_from_title(title, text)
    if found and (article.kind == "term" or found != title or len(title.split()) <= 4):
        phrase = found  # a term page's title, a short title, or one whose framing was removed
    else:
        spans = key_spans(title)
        phrase = spans[0].text if spans else found or title
    return _casing(phrase, article)


def _casing(phrase: str, article: Article) -> str:
    """The phrase as the article writes it mid-sentence ("IGF-1 signaling", "cortisol")."""
    needle = phrase.lower()
    for sentence in article.sentences():
        at = sentence.lower().find(needle, 1)
        if at > 0:
            return sentence[at : at + len(phrase)]
    return " ".join(w if is_acronym(w) or len(w) == 1 else w.lower() for w in phrase.split())


def _background(article: Article) -> frozenset[str]:
    sentences = article.sentences()
    if len(sentences) < 4:
        return frozenset()
    counts: Counter[str] = Counter()
    for s in sentences:
        counts.update(set(words(s.lower())))
    floor = BACKGROUND_SHARE * len(sentences)
    return frozenset(w for w, n in counts.items() if n >= floor and not is_stop(w))


def generate(article: Article, slug: str, pools: Pools | None = None) -> list[Draft]:
    """Every question of the article's deck, checked, without duplicates, in article order."""
    return finish(*draft_questions(article, slug, pools))


def draft_questions(
    article: Article, slug: str, pools: Pools | None = None
) -> tuple[Context, list[Draft]]:
    """The article's questions checked and without duplicates, their cloze deletions still the
    word lexicon's: :func:`finish` chooses them with the tagger. Between the two, a caller may
    tag the cloze sentences of many articles in one batch (:func:`cloze_sentences`)."""
    ctx = context_for(article, slug, pools)
    found = choices.list_items(article)
    # Sentences listing amplifiers or suppressors are asked as multiple choice, not as clozes.
    ctx.used.update(s for kind in ("amplifiers", "suppressors") for _, s in found[kind])
    # Sentences that state a myth are asked as true/false (answer false), never as clozes.
    ctx.used.update(misconceptions.myth_sentences(article))
    drafts: list[Draft] = []
    lever_at: tuple[int, int] | None = None
    for index, section in enumerate(article.sections):
        role = section.role
        name = origin_section(role)
        if lever_at is None and (
            role in ("amplifiers", "suppressors")
            or any(
                s in {x for _, x in found["amplifiers"] + found["suppressors"]}
                for s in section.sentences()
            )
        ):
            lever_at = (index, 60)
        if role == "definition":
            drafts += _some(definitions.definition_draft(ctx, index, section))
            drafts += definitions.definitional_drafts(ctx, index, section, "definition")
            drafts += facts.key_sentence_drafts(
                ctx, index, section, name, limit=facts.prose_limit(section, 2)
            )
        elif role == "mechanism":
            chains = mechanism.mechanism_chains(section) or mechanism.prose_chains(section)
            for n, (steps, sources) in enumerate(chains[:2]):
                ctx.chained.update(sources)
                drafts.append(
                    mechanism.ordering_draft(
                        ctx, steps, sources, position=(index, n * 10), about=ctx.topic
                    )
                )
                drafts += mechanism.next_drafts(ctx, steps, sources, position=(index, n * 10))
            drafts += facts.key_sentence_drafts(
                ctx, index, section, name, limit=facts.prose_limit(section, 3)
            )
        elif role == "why_it_matters":
            drafts += _some(definitions.pull_quote_draft(ctx, index, section))
            drafts += facts.key_sentence_drafts(
                ctx, index, section, name, limit=facts.prose_limit(section, 1)
            )
        elif role == "misconception":
            drafts += misconceptions.section_drafts(ctx, index, section)
        elif role == "signs":
            drafts += _some(choices.signs_draft(ctx, section, found, (index, 0)))
        elif role == "takeaway":
            drafts += facts.takeaway_drafts(ctx, index, section)
        elif role == "improve":
            drafts += facts.improve_drafts(ctx, index, section)
        elif role in ("intro", "other"):
            chains = mechanism.sequence_lists(section)
            if article.kind != "term":
                chains += mechanism.prose_chains(section)
            if chains:
                for n, (steps, sources) in enumerate(chains[:2]):
                    ctx.chained.update(sources)
                    drafts.append(
                        mechanism.ordering_draft(
                            ctx,
                            steps,
                            sources,
                            position=(index, 40 + n * 10),
                            about=ctx.topic,
                            heading=section.heading,
                        )
                    )
                    drafts += mechanism.next_drafts(
                        ctx, steps, sources, position=(index, 40 + n * 10)
                    )
            drafts += facts.key_sentence_drafts(
                ctx,
                index,
                section,
                name,
                limit=facts.prose_limit(section, 1 if role == "intro" else 2),
            )
            drafts += definitions.definitional_drafts(ctx, index, section, "definition")
        if role in PROSE_TOO:  # their prose is facts as well (a myth section's is not)
            drafts += facts.key_sentence_drafts(
                ctx, index, section, name, limit=facts.prose_limit(section)
            )
        drafts += misconceptions.prose_drafts(ctx, index, section)
    drafts += choices.lever_drafts(ctx, found, lever_at or (len(article.sections), 0))
    drafts += choices.list_drafts(ctx)
    drafts += definitions.abbreviation_drafts(ctx)
    checked = [d for d in drafts if not problems(d, () if d.heading_text else article.headings)]
    return ctx, dedupe(checked)


def cloze_sentences(drafts: list[Draft]) -> list[str]:
    """The sentences :func:`finish` will tag."""
    return [d.cloze_sentence for d in drafts if d.type == "cloze"]


def finish(ctx: Context, drafts: list[Draft]) -> list[Draft]:
    """Cloze deletions chosen with the tagger (only for the clozes that survived), checked,
    linted (a serious warning drops a question) and de-duplicated again, in article order."""
    drafts = facts.refine_deletions(ctx, drafts)
    checked = [
        d
        for d in drafts
        if not problems(d, () if d.heading_text else ctx.article.headings) and _passes_lint(d)
    ]
    kept = sorted(dedupe(checked), key=lambda d: d.position)
    mechanism.distinct_prompts([d for d in kept if d.type == "ordering"])
    return kept


def _passes_lint(draft: Draft) -> bool:
    """False for a question with a serious lint warning; a cloze blank that gives itself away
    (or deletes a stop word) is turned back into text when other blanks remain."""
    serious = [
        w for w in lint_question("", draft.type, draft.fields, draft.explanation) if w.serious
    ]
    if serious and draft.type == "cloze" and all(w.deletion for w in serious):
        numbers = {w.deletion for w in serious if w.deletion}
        text = without_deletions(draft.fields["text"], numbers)
        if "{{c1::" in text:
            draft.fields["text"] = text
            draft.spans = [s for n, s in enumerate(draft.spans, 1) if n not in numbers]
            serious = [w for w in lint_question("", draft.type, draft.fields) if w.serious]
    return not serious


def _some(draft: Draft | None) -> list[Draft]:
    return [draft] if draft is not None else []
