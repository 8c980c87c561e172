"""Merging a rebuilt deck into the deck file already on disk, keeping an instructor's edits.

The builder records, in comment lines at the end of the deck file (``# built <id>
<fingerprint>``, ignored by every YAML reader and by ``quizapp validate``), a fingerprint of every
question exactly as it wrote it, and one of the title and description. On a rebuild:

- a question whose content still matches its fingerprint was not touched by hand: it is
  replaced by the newly generated question with the same id, in the same place, or removed
  when the article no longer yields it;
- a question whose content differs from its fingerprint was edited by hand, and one without a
  fingerprint was added by hand: both are kept exactly as they are, and a generated question
  with the same id is dropped;
- a question that has a fingerprint but is missing from the file was deleted by hand: it stays
  deleted (its fingerprint is kept so later builds remember);
- a generated question new to the file is inserted after the question generated before it;
- the title and description follow the same rule as one unit; ``id`` and ``source`` are always
  the builder's.

:func:`plan` works on plain data and returns the steps; :mod:`.yamlio` applies them either to
plain data or, when the file carries comments or hand formatting, to ruamel.yaml's round-trip
structure so that comments and key order survive.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any


def fingerprint(data: Any) -> str:
    """A short, stable hash of a question (without its id) or of the deck's title fields."""
    if isinstance(data, dict):
        data = {k: v for k, v in data.items() if k != "id"}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def deck_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {"title": data.get("title"), "description": data.get("description", "")}


@dataclass
class Step:
    """One question of the merged deck: an existing one (``old`` index, replaced by ``new``
    when ``new`` is set) or a generated one new to the file (``old`` is None)."""

    old: int | None
    new: dict[str, Any] | None


@dataclass
class Plan:
    steps: list[Step]
    keep_deck_fields: bool
    fingerprints: dict[str, str]
    deck_fingerprint: str
    kept_edits: list[str] = field(default_factory=list)


DECK_KEY = ":deck"  # cannot be a question id (ids have no colon)


def plan(
    existing: dict[str, Any] | None,
    generated: dict[str, Any],
    recorded: dict[str, str] | None = None,
) -> Plan:
    """How to turn ``existing`` (the file's data, or None) into the rebuilt deck, given the
    fingerprints ``recorded`` in the file (question id, or :data:`DECK_KEY`, to fingerprint)."""
    new_questions: list[dict[str, Any]] = list(generated["questions"])
    new_fields_print = fingerprint(deck_fields(generated))
    if not existing:
        return Plan(
            steps=[Step(None, q) for q in new_questions],
            keep_deck_fields=False,
            fingerprints={q["id"]: fingerprint(q) for q in new_questions},
            deck_fingerprint=new_fields_print,
        )
    prints = dict(recorded or {})
    deck_print = prints.pop(DECK_KEY, None)
    old_questions = [q for q in existing.get("questions") or [] if isinstance(q, dict)]
    new_by_id = {q["id"]: q for q in new_questions}
    steps: list[Step] = []
    out_prints: dict[str, str] = {}
    kept_edits: list[str] = []
    placed: set[str] = set()
    for i, old in enumerate(old_questions):
        qid = str(old.get("id", ""))
        edited = prints.get(qid) != fingerprint(old)
        if edited:
            steps.append(Step(i, None))
            placed.add(qid)
            if qid in prints:
                out_prints[qid] = prints[qid]
                kept_edits.append(qid)
        elif qid in new_by_id:
            steps.append(Step(i, new_by_id[qid]))
            placed.add(qid)
            out_prints[qid] = fingerprint(new_by_id[qid])
    # Generated questions the file does not have yet, unless deleted there by hand.
    previous_id: str | None = None
    for q in new_questions:
        qid = q["id"]
        if qid in placed:
            previous_id = qid
            continue
        if qid in prints:
            out_prints[qid] = prints[qid]  # deleted by hand: remember, do not bring back
            continue
        at = _after(steps, old_questions, previous_id)
        steps.insert(at, Step(None, q))
        placed.add(qid)
        out_prints[qid] = fingerprint(q)
        previous_id = qid
    kept_print = (
        deck_print
        if deck_print is not None and deck_print != fingerprint(deck_fields(existing))
        else None
    )
    return Plan(
        steps=steps,
        keep_deck_fields=kept_print is not None,
        fingerprints=out_prints,
        deck_fingerprint=kept_print if kept_print is not None else new_fields_print,
        kept_edits=kept_edits,
    )


def _after(steps: list[Step], old: list[dict[str, Any]], previous_id: str | None) -> int:
    if previous_id is None:
        return 0
    for n, step in enumerate(steps):
        qid = step.new["id"] if step.new is not None else old[step.old]["id"]  # type: ignore[index]
        if qid == previous_id:
            return n + 1
    return len(steps)


def merged_data(
    existing: dict[str, Any] | None, generated: dict[str, Any], the_plan: Plan
) -> dict[str, Any]:
    """The rebuilt deck as plain data (for files without hand formatting)."""
    old_questions = [q for q in (existing or {}).get("questions") or [] if isinstance(q, dict)]
    out: dict[str, Any] = {"id": generated["id"]}
    source_of_fields = existing if the_plan.keep_deck_fields and existing else generated
    out["title"] = source_of_fields.get("title")
    if source_of_fields.get("description"):
        out["description"] = source_of_fields["description"]
    out["source"] = generated["source"]
    # A step keeps an old question (``old``) or brings a new one (``new``), never neither.
    out["questions"] = [
        step.new if step.new is not None else old_questions[step.old]  # type: ignore[index]
        for step in the_plan.steps
    ]
    return out


def recorded_fingerprints(the_plan: Plan) -> dict[str, str]:
    """What the rebuilt file records: the deck's fingerprint, then each question's by id."""
    return {DECK_KEY: the_plan.deck_fingerprint, **dict(sorted(the_plan.fingerprints.items()))}
