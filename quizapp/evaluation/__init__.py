"""Evaluating the deck builder against the gold-annotated corpus in ``tests/corpus``.

One module per job: :mod:`.gold` (loading and validating ``<slug>.gold.yaml``), :mod:`.text`
(normalising and matching phrases), :mod:`.views` (a generated question as the texts a learner
sees), :mod:`.detectors` (one detector per defect class of docs/QUESTION-QUALITY rubric),
:mod:`.scoring` (grades, recall and the other figures), :mod:`.report` (the table and JSON) and
:mod:`.run` (building each article alone with the real builder and scoring it).
"""

from __future__ import annotations

from .run import evaluate_article, evaluate_corpus

__all__ = ["evaluate_article", "evaluate_corpus"]
