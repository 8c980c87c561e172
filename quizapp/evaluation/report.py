"""The evaluation's output: one table per corpus block (with a line per article and the block's
totals), the questions with their grades on request, or the same figures as JSON."""

from __future__ import annotations

from typing import Any

from .detectors import CLASSES
from .scoring import ArticleScore, BlockScore, figures

_SHORT = {
    "deletion": "del",
    "not_self_contained": "ctx",
    "wrong_sentence": "sent",
    "garbled_frame": "frame",
    "teaches_myth": "myth",
    "invented_relation": "rel",
    "cut": "cut",
    "duplicate": "dup",
}


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}%"


def _frac(part: int, whole: int) -> str:
    return f"{part}/{whole}" if whole else "-"


def _row(name: str, f: dict[str, Any]) -> list[str]:
    return [
        name,
        str(f["questions"]),
        _pct(f["keep_pct"]),
        _pct(f["keep_edit_pct"]),
        _pct(f["recall_pct"]),
        _frac(f["myths_found"], f["myths"]),
        _frac(f["definitions_found"], f["definitions"]),
        _frac(f["lists_found"], f["lists"]),
        _frac(f["orderings_consistent"], f["orderings"]),
        *[str(f["defects"][c]) for c in CLASSES],
    ]


HEADER = [
    "article",
    "qs",
    "keep",
    "k+e",
    "recall",
    "myths",
    "defs",
    "lists",
    "order",
    *[_SHORT[c] for c in CLASSES],
]


def table(blocks: list[BlockScore], show_questions: bool = False) -> str:
    lines: list[str] = []
    for block in blocks:
        rows = [HEADER]
        for a in block.articles:
            name = a.name + (" (FAILED)" if a.error else "")
            rows.append(_row(name, figures([a])))
        rows.append(_row(f"TOTAL ({len(block.articles)} articles)", block.figures()))
        widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
        lines.append(f"== {block.name}")
        for n, r in enumerate(rows):
            if n == len(rows) - 1:
                lines.append("  ".join("-" * w for w in widths))
            lines.append(
                "  ".join(
                    c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)
                )
            )
        for a in block.articles:
            if a.error:
                lines.append(f"   {a.name}: {a.error}")
        if show_questions:
            for a in block.articles:
                lines.extend(_questions(a))
        lines.append("")
    lines.append(
        "keep/k+e: share graded KEEP / KEEP or EDIT; recall: gold facts covered by a "
        "KEEP/EDIT question; order: ordering items consistent with gold steps;"
    )
    lines.append(
        "defect columns count questions: del=deletion choice, ctx=not self-contained, "
        "sent=wrong sentence, frame=garbled frame, myth=teaches the myth,"
    )
    lines.append(
        "rel=invented relation, cut=ungrammatical or cut, dup=duplicate "
        "(docs/deck-builder.md, Evaluation)"
    )
    return "\n".join(lines)


def _questions(a: ArticleScore) -> list[str]:
    out = [f"-- {a.name}: {len(a.questions)} questions"]
    for n, q in enumerate(a.questions, 1):
        out.append(f"  {n:2d}. {q.grade:4s} {q.view.display()}")
        for d in q.defects:
            out.append(f"        {d.grade} {d.cls}: {d.reason}")
    if a.facts_missed:
        out.append(f"     facts missed: {', '.join(a.facts_missed)}")
    return out


def as_json(blocks: list[BlockScore], show_questions: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"blocks": []}
    for block in blocks:
        articles = []
        for a in block.articles:
            entry: dict[str, Any] = {
                "article": a.name,
                "shape": a.shape,
                "field": a.field,
                "error": a.error or None,
                **figures([a]),
                "facts_missed": a.facts_missed,
            }
            if show_questions:
                entry["graded"] = [
                    {
                        "id": q.view.id,
                        "type": q.view.type,
                        "grade": q.grade,
                        "question": q.view.display(),
                        "defects": [
                            {"class": d.cls, "grade": d.grade, "reason": d.reason}
                            for d in q.defects
                        ],
                    }
                    for q in a.questions
                ]
            articles.append(entry)
        out["blocks"].append(
            {"corpus": block.name, "totals": block.figures(), "articles": articles}
        )
    return out
