"""Grades and figures: one :class:`ArticleScore` per article, summed into a :class:`BlockScore`
per corpus folder.

- **KEEP %** and **KEEP+EDIT %**: shares of the generated questions (grades from
  :func:`.detectors.grade`).
- **recall**: share of the gold facts covered by at least one KEEP or EDIT question (every
  ``match`` phrase of the fact occurs in the question's prompt, answers, choices, steps or
  explanation).
- **myths found**: gold myths with a KEEP or EDIT true/false item naming it (its ``match``).
- **definitions found**: gold definitions with a KEEP or EDIT basic card naming the term (not a
  "What does X stand for?" card).
- **lists found**: gold lists with a KEEP or EDIT multiple-choice item that tests them: a
  select-all item whose right answers include at least two items of the list, or a matching
  item (one right answer) whose choices include at least three of them.
- **ordering correctness**: share of ordering and "what happens next" items consistent with a
  gold step sequence (an in-order subsequence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .detectors import CLASSES, Context, Defect, detect, grade, next_consistent, ordering_consistent
from .gold import Gold
from .text import matches_all, same_item
from .views import QuestionView

#: "What does X stand for?" spells out an abbreviation; it is not a definition card.
_ABBREVIATION = re.compile(r"\bstand for\b|\babbreviat", re.IGNORECASE)


@dataclass
class Graded:
    view: QuestionView
    grade: str
    defects: list[Defect]


@dataclass
class ArticleScore:
    name: str
    shape: str
    field: str
    questions: list[Graded] = field(default_factory=list)
    error: str = ""
    facts: int = 0
    facts_covered: list[str] = field(default_factory=list)
    facts_missed: list[str] = field(default_factory=list)
    myths: int = 0
    myths_found: int = 0
    definitions: int = 0
    definitions_found: int = 0
    lists: int = 0
    lists_found: int = 0
    orderings: int = 0
    orderings_consistent: int = 0
    seconds: float = 0.0

    @property
    def keep(self) -> int:
        return sum(q.grade == "KEEP" for q in self.questions)

    @property
    def usable(self) -> int:
        return sum(q.grade != "DROP" for q in self.questions)

    def defect_counts(self) -> dict[str, int]:
        """Questions with at least one defect of each class."""
        return {c: sum(any(d.cls == c for d in q.defects) for q in self.questions) for c in CLASSES}


def score_article(name: str, gold: Gold, ctx: Context) -> ArticleScore:
    """Grade every question of ``ctx.questions`` and measure them against ``gold``."""
    score = ArticleScore(name=name, shape=gold.shape, field=gold.field)
    for view, defects in zip(ctx.questions, detect(ctx), strict=True):
        score.questions.append(Graded(view, grade(defects), defects))
    usable = [q.view for q in score.questions if q.grade != "DROP"]
    score.facts = len(gold.facts)
    for fact in gold.facts:
        covered = any(matches_all(v.all_words, fact.match) for v in usable)
        (score.facts_covered if covered else score.facts_missed).append(fact.id)
    score.myths = len(gold.myths)
    score.myths_found = sum(
        any(v.type == "true_false" and matches_all(v.all_words, m.match) for v in usable)
        for m in gold.myths
    )
    score.definitions = len(gold.definitions)
    cards = [v for v in usable if v.type == "basic" and not _ABBREVIATION.search(v.prompt)]
    score.definitions_found = sum(
        any(matches_all(v.all_words, d.match) for v in cards) for d in gold.definitions
    )
    score.lists = len(gold.lists)
    score.lists_found = sum(any(_tests_list(v, lst.items) for v in usable) for lst in gold.lists)
    for q in score.questions:
        v = q.view
        if v.type == "ordering":
            score.orderings += 1
            score.orderings_consistent += ordering_consistent(v.steps, gold.steps)[0]
        elif v.is_next:
            score.orderings += 1
            score.orderings_consistent += next_consistent(
                v.prompt.rsplit(".", 1)[0], v.answers, gold.steps
            )[0]
    return score


def _tests_list(v: QuestionView, items: list[str]) -> bool:
    """A multiple-choice item that tests a gold list: a select-all item whose right answers
    include at least two of its items, or a single-answer matching item ("Which of these maps a
    name to an IPv4 address?") whose choices include at least three of them, the right one
    among them."""
    if v.type != "multiple_choice" or v.is_next:
        return False
    hits = sum(any(same_item(a, item) for item in items) for a in v.answers)
    if hits >= 2:
        return True
    choices = [*v.answers, *v.wrong]
    return (
        len(v.answers) == 1
        and hits == 1
        and not v.raw.get("multiple")
        and sum(any(same_item(c, item) for item in items) for c in choices) >= 3
    )


@dataclass
class BlockScore:
    """The figures of one corpus folder (sums over its articles)."""

    name: str
    articles: list[ArticleScore] = field(default_factory=list)

    def figures(self) -> dict[str, Any]:
        return figures(self.articles)


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def figures(articles: list[ArticleScore]) -> dict[str, Any]:
    """The figures of a set of articles (one article or a whole block)."""
    questions = sum(len(a.questions) for a in articles)
    keep = sum(a.keep for a in articles)
    usable = sum(a.usable for a in articles)
    facts = sum(a.facts for a in articles)
    covered = sum(len(a.facts_covered) for a in articles)
    defects = {c: sum(a.defect_counts()[c] for a in articles) for c in CLASSES}
    orderings = sum(a.orderings for a in articles)
    return {
        "articles": len(articles),
        "failed": sum(bool(a.error) for a in articles),
        "questions": questions,
        "keep": keep,
        "keep_pct": _pct(keep, questions),
        "keep_edit": usable,
        "keep_edit_pct": _pct(usable, questions),
        "facts": facts,
        "facts_covered": covered,
        "recall_pct": _pct(covered, facts),
        "myths": sum(a.myths for a in articles),
        "myths_found": sum(a.myths_found for a in articles),
        "definitions": sum(a.definitions for a in articles),
        "definitions_found": sum(a.definitions_found for a in articles),
        "lists": sum(a.lists for a in articles),
        "lists_found": sum(a.lists_found for a in articles),
        "orderings": orderings,
        "orderings_consistent": sum(a.orderings_consistent for a in articles),
        "ordering_pct": _pct(sum(a.orderings_consistent for a in articles), orderings),
        "defects": defects,
        "seconds": round(sum(a.seconds for a in articles), 3),
    }
