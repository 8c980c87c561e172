"""A question under construction, and the per-article context generators share.

A :class:`Draft` is everything a generator knows about a question before ids are assigned and
duplicates removed: the type and its fields, the origin section and quote, the key terms the id
is made from, what the question *asks* (for duplicate detection), where in the article it
comes from (for the order of the deck) and a priority (which of two duplicates survives).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

from quizapp.domain.articles import Article

from .terms import Span


@dataclass
class Draft:
    type: str
    fields: dict[str, Any]
    section: str
    quote: str
    explanation: str = ""
    key: tuple[str, ...] = ()
    kind: str = ""
    priority: int = 50
    position: tuple[int, int] = (0, 0)
    #: Sentences this question is made from (one question per sentence for single-sentence
    #: kinds: cloze, true/false, basic).
    sources: tuple[str, ...] = ()
    #: For clozes: the sentence and its deletions, so a duplicate deletion can be undone.
    cloze_sentence: str = ""
    cloze_prefix: str = ""
    spans: list[Span] = field(default_factory=list)
    #: For clozes: how specific a deletion must be (the generator's bar).
    cloze_threshold: float = 1.6
    #: The article section's heading, to tell apart two otherwise identical prompts.
    heading: str = ""
    #: The question states a heading on purpose (a "Myth: ..." heading, a "What is X?" Q&A
    #: heading): the "is heading text" rule does not apply to it.
    heading_text: bool = False


@dataclass
class Pools:
    """List items of every article in the build, by article slug and kind
    (``signs``, ``amplifiers``, ``suppressors``, ``improve``), for sibling distractors.

    Items are stored as they would appear as choices. :meth:`others` looks at a bounded number
    of siblings (the next articles in slug order, wrapping around), so a build of thousands of
    articles stays linear and the choice does not depend on the order files were given in.
    """

    items: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    #: How many sibling articles with items of a kind are consulted.
    neighbours: int = 6

    def others(self, slug: str, kind: str) -> list[tuple[str, str]]:
        """``(slug, item)`` pairs of ``kind`` from up to :attr:`neighbours` other articles."""
        order = self._order()
        if not order:
            return []
        start = bisect.bisect_right(order, slug)
        out: list[tuple[str, str]] = []
        seen = 0
        for n in range(len(order)):
            other = order[(start + n) % len(order)]
            if other == slug:
                continue
            found = self.items[other].get(kind)
            if found:
                out.extend((other, item) for item in found)
                seen += 1
                if seen >= self.neighbours:
                    break
        return out

    def _order(self) -> list[str]:
        cached: list[str] | None = getattr(self, "_sorted", None)
        if cached is None or len(cached) != len(self.items):
            cached = sorted(self.items)
            self._sorted = cached
        return cached


@dataclass
class Context:
    """What every generator needs to know about the article being turned into a deck."""

    article: Article
    slug: str
    topic: str
    topic_words: frozenset[str]
    background: frozenset[str]
    pools: Pools = field(default_factory=Pools)
    #: Sentences already consumed by a single-sentence question.
    used: set[str] = field(default_factory=set)
    #: Sentences an ordering item already walks through (their clozes rank lower).
    chained: set[str] = field(default_factory=set)
    _text: str = ""

    def quote(self, sentences: list[str]) -> str:
        """Several source sentences as one quote: a space between sentences that follow each
        other in the article, " … " where the article has something in between."""
        if not self._text:
            self._text = "\n".join(b.text for s in self.article.sections for b in s.blocks)
        out = ""
        for n, sentence in enumerate(sentences):
            if n:
                out += " " if f"{sentences[n - 1]} {sentence}" in self._text else " … "
            out += sentence
        return out
