"""Question ids: short readable slugs that survive rebuilds.

A new question's id is its origin section, its kind (``order``, ``next``, ``amplifiers``...)
and its key terms, slugified: ``takeaway-growth-hormone-mtor``, ``mechanism-order-body-...``.
When a previous version of the deck file exists, each new question is first matched to a
previous question of the same type and section whose recorded source quote is the same or
lightly edited (rapidfuzz ratio at least :data:`SAME_SOURCE`), best matches first; a matched
question keeps the previous id, so learners' schedules and Anki notes survive the rebuild.
Ids are unique within the deck (a clash gets ``-2``, ``-3``...), and an id a previous file used
is never handed to a different question.
"""

from __future__ import annotations

import re
from typing import Any

from rapidfuzz import fuzz

from .draft import Draft

SAME_SOURCE = 75
MAX_ID = 48


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower().replace("’", "").replace("'", ""))
    return slug.strip("-")


def base_id(draft: Draft) -> str:
    parts = [draft.section.replace("_", "-")]
    if draft.kind:
        parts.append(draft.kind)
    seen: set[str] = set(parts)
    for key in draft.key:
        for piece in slugify(key).split("-"):
            if piece and piece not in seen:
                seen.add(piece)
                parts.append(piece)
    out = parts[0]
    for piece in parts[1:]:
        if len(out) + 1 + len(piece) > MAX_ID:
            break
        out = f"{out}-{piece}"
    return out


def assign_ids(drafts: list[Draft], previous: list[dict[str, Any]] | None = None) -> list[str]:
    """One id per draft, in the same order."""
    previous = [q for q in previous or [] if isinstance(q, dict) and q.get("id")]
    ids: list[str | None] = [None] * len(drafts)
    taken = {str(q["id"]) for q in previous}
    pairs = []
    for i, draft in enumerate(drafts):
        for j, old in enumerate(previous):
            origin = old.get("origin") or {}
            if old.get("type") != draft.type or origin.get("section") != draft.section:
                continue
            quote = str(origin.get("quote") or "")
            score = 100.0 if quote == draft.quote else fuzz.ratio(quote, draft.quote)
            if score >= SAME_SOURCE:
                pairs.append((-score, i, j))
    used_old: set[int] = set()
    for _, i, j in sorted(pairs):
        if ids[i] is None and j not in used_old:
            ids[i] = str(previous[j]["id"])
            used_old.add(j)
    for i, draft in enumerate(drafts):
        if ids[i] is not None:
            continue
        base = base_id(draft)
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        ids[i] = candidate
        taken.add(candidate)
    return [str(i) for i in ids]
