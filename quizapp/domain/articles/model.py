"""The article as plain data: what every reader (.txt, .md, .html) turns a file into.

An :class:`Article` has a title, an optional tagline and a list of :class:`Section` s, each with
the *role* its heading was recognised as (see :mod:`.roles`) and its blocks: paragraphs, lists
and quotes. Paragraph and quote blocks carry their sentences, already split and repaired (a
sentence broken in two by a stray full stop is joined again; a fragment that cannot be joined is
kept in ``text`` but left out of ``sentences``, so no question ever quotes half a sentence).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Section roles. The first seven map onto the deck file's ``origin.section`` names.
ROLES = (
    "definition",
    "mechanism",
    "why_it_matters",
    "misconception",
    "signs",
    "takeaway",
    "improve",
    "amplifiers",
    "suppressors",
    "intro",
    "other",
    "appears_in",
    "related",
    "cta",
)
#: Roles whose content is never turned into questions.
BOILERPLATE_ROLES = frozenset({"appears_in", "related", "cta"})
#: Roles whose content is naturally a list of short items.
LIST_ROLES = frozenset(
    {"signs", "improve", "takeaway", "amplifiers", "suppressors", "related", "appears_in"}
)
#: Roles only glossary term pages have; an article with none of them reads as a blog article.
TERM_PAGE_ROLES = frozenset(
    {"definition", "mechanism", "why_it_matters", "misconception", "signs", "takeaway"}
)


class ArticleError(ValueError):
    """The file cannot be read as an article; the message says why (the caller adds the file)."""


@dataclass(frozen=True)
class RawBlock:
    """One block as a reader found it, before sections are assembled.

    ``kind`` is ``heading``, ``paragraph``, ``list`` or ``quote``. A heading's ``level`` is 1-6
    when the format marks it (Markdown, HTML) and 0 when it is only a guess (a short line in a
    plain-text file); guessed headings may still turn out to be list items or a tagline.
    """

    kind: str
    text: str = ""
    items: tuple[str, ...] = ()
    level: int = 0
    ordered: bool = False


@dataclass
class Block:
    """A paragraph, list or quote inside a section."""

    kind: str
    text: str = ""
    sentences: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    ordered: bool = False


@dataclass
class Section:
    heading: str
    role: str
    blocks: list[Block] = field(default_factory=list)
    #: The heading of an empty section this one sits under ("Common myths" above "1. X"), which
    #: the article drops; "" when there is none.
    parent: str = ""

    def sentences(self) -> list[str]:
        """Every usable sentence of the section's paragraphs and quotes, in reading order."""
        return [s for b in self.blocks if b.kind != "list" for s in b.sentences]

    def items(self) -> list[str]:
        """Every list item of the section, in order."""
        return [i for b in self.blocks if b.kind == "list" for i in b.items]

    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.kind == "paragraph"]

    @property
    def empty(self) -> bool:
        return not any(b.text.strip() or b.items for b in self.blocks)


@dataclass
class Article:
    """An article ready for question generation.

    ``kind`` is ``term`` for a glossary term page (its headings have roles such as Plain English
    or The Mechanism) and ``blog`` for a plain article whose content is found in the prose.
    """

    title: str
    tagline: str = ""
    sections: list[Section] = field(default_factory=list)
    kind: str = "blog"
    format: str = "txt"
    headings: list[str] = field(default_factory=list)
    #: Results computed from the article once and shared by the generators (not content).
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def by_role(self, role: str) -> list[Section]:
        return [s for s in self.sections if s.role == role]

    def sentences(self) -> list[str]:
        return [s for sec in self.sections for s in sec.sentences()]
