"""Agreement between the automatic grades and a teacher's hand grades.

``tests/corpus/calibration.yaml`` keeps questions the builder made from corpus articles, each with
the grade a teacher gave it (KEEP, EDIT or DROP), grouped by article (the duplicate detector
needs the whole deck) and by *set* (``tuning``: the detectors were adjusted on it; ``check`` and
``fresh``: graded blind). :func:`measure` re-grades the stored questions with today's detectors,
so the figure follows the detectors, not the builder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .detectors import detect, grade
from .gold import GoldError
from .run import article_context

GRADES = ("KEEP", "EDIT", "DROP")


@dataclass
class Agreement:
    """Counts for one set: exact agreement, agreement on "published unedited" (KEEP or not) and
    on "usable" (DROP or not), the confusion matrix (hand grade -> automatic grade) and the
    questions graded differently."""

    name: str
    questions: int = 0
    exact: int = 0
    keep: int = 0
    usable: int = 0
    confusion: dict[str, dict[str, int]] = field(
        default_factory=lambda: {h: dict.fromkeys(GRADES, 0) for h in GRADES}
    )
    differences: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def pct(n: int) -> float | None:
            return round(100.0 * n / self.questions, 1) if self.questions else None

        return {
            "set": self.name,
            "questions": self.questions,
            "exact": self.exact,
            "exact_pct": pct(self.exact),
            "keep_agree_pct": pct(self.keep),
            "usable_agree_pct": pct(self.usable),
            "confusion": self.confusion,
        }


def measure(path: Path, corpus_root: Path | None = None) -> list[Agreement]:
    """Agreement per set (in file order, then ``all``) for the calibration file at ``path``;
    articles are looked up as ``corpus_root/<corpus>/<article>`` (default: the file's folder)."""
    path = Path(path)
    root = Path(corpus_root) if corpus_root else path.parent
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise GoldError(f"{path}: must be a list of graded articles")
    sets: dict[str, Agreement] = {}
    total = Agreement("all")
    for n, entry in enumerate(data):
        try:
            article = root / entry["corpus"] / entry["article"]
            hand = [str(q["grade"]) for q in entry["questions"]]
            questions = [dict(q["question"]) for q in entry["questions"]]
        except (KeyError, TypeError) as exc:
            raise GoldError(
                f"{path}: entry {n} needs corpus, article and questions with grade "
                f"and question ({exc})"
            ) from exc
        bad = [g for g in hand if g not in GRADES]
        if bad:
            raise GoldError(f"{path}: entry {n}: grade {bad[0]!r} is not KEEP, EDIT or DROP")
        ctx = article_context(article, questions)
        auto = [grade(d) for d in detect(ctx)]
        agreement = sets.setdefault(str(entry.get("set", "all")), Agreement(str(entry.get("set"))))
        for h, a, v in zip(hand, auto, ctx.questions, strict=True):
            for target in (agreement, total):
                target.questions += 1
                target.exact += h == a
                target.keep += (h == "KEEP") == (a == "KEEP")
                target.usable += (h == "DROP") == (a == "DROP")
                target.confusion[h][a] += 1
            if h != a:
                agreement.differences.append(
                    f"{entry['article']}: hand {h}, auto {a}: {v.display()[:120]}"
                )
    return [*sets.values(), total]


def table(agreements: list[Agreement]) -> str:
    lines = ["set        questions  exact  keep-or-not  drop-or-not"]
    for a in agreements:
        d = a.as_dict()
        lines.append(
            f"{a.name:<10} {a.questions:>9}  {d['exact_pct'] or 0:>4.0f}%  "
            f"{d['keep_agree_pct'] or 0:>10.0f}%  {d['usable_agree_pct'] or 0:>10.0f}%"
        )
    return "\n".join(lines)
