"""Building each corpus article alone with the real builder and scoring the deck it gets.

Each article goes through :func:`quizapp.domain.builder.build_decks` on its own (the path
``quizapp build ARTICLE`` takes) into a temporary folder; the deck file written there is read
back and graded. An article that fails to build scores zero questions and keeps the error.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import yaml

from quizapp.domain.articles import ArticleError, read_article
from quizapp.domain.builder import build_decks

from .detectors import Context
from .gold import corpus_articles, load_gold
from .scoring import ArticleScore, BlockScore, score_article
from .views import view


def evaluate_article(path: Path, workdir: Path | None = None) -> ArticleScore:
    """Build ``path`` alone and score its deck against its gold file."""
    path = Path(path)
    gold = load_gold(path)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=workdir) as out:
        report = build_decks([path], Path(out))
        result = report.results[0]
        questions: list[dict] = []
        title = ""
        if result.ok and result.output is not None:
            data = yaml.safe_load(result.output.read_text(encoding="utf-8")) or {}
            questions = [q for q in data.get("questions") or [] if isinstance(q, dict)]
            title = str(data.get("title") or "")
    seconds = time.perf_counter() - started
    ctx = article_context(path, questions, title)
    score = score_article(path.name, gold, ctx)
    score.seconds = seconds
    if not result.ok:
        score.error = str(result.error)
    return score


def article_context(path: Path, questions: list[dict], title: str = "") -> Context:
    """What the detectors need to grade ``questions`` built from the article at ``path``: the
    deck title, the article's headings, its gold annotations and the deck's questions."""
    headings: list[str] = []
    try:
        article, _ = read_article(path)
        headings = [s.heading for s in article.sections if s.heading]
        title = title or article.title
    except ArticleError:
        pass
    return Context(
        title=title,
        gold=load_gold(path),
        headings=headings,
        questions=[view(i, q) for i, q in enumerate(questions)],
    )


def evaluate_corpus(folder: Path, only: list[str] | None = None) -> BlockScore:
    """Score every article of a corpus folder (or only those whose file names are listed)."""
    folder = Path(folder)
    block = BlockScore(name=str(folder))
    for path in corpus_articles(folder):
        if only is not None and path.name not in only and path.stem not in only:
            continue
        block.articles.append(evaluate_article(path))
    return block
