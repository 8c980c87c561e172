"""Timing the deck builder on many articles, on one core.

The articles are variants of the bundled seed articles and (in a checkout) the test fixtures:
plain text, Markdown and HTML, glossary pages and blog articles. Each variant gets its own invented
topic name and shifted numbers, so no two articles share their topic sentences.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from quizapp.domain.builder import build_decks
from quizapp.resources import PACKAGE_DIR, resource_dir


def sources() -> list[Path]:
    found = sorted((resource_dir("decks") / "sources").glob("*.txt"))
    fixtures = PACKAGE_DIR.parent / "tests" / "fixtures" / "articles"
    if fixtures.is_dir():
        found += sorted(fixtures.glob("*.*"))
    return found


TOPICS = {
    "igf-1": "IGF-1",
    "cortisol": "cortisol",
    "sleep-pressure": "adenosine",
    "glycogen": "glycogen",
    "creatine": "creatine",
    "hydration": "hydration",
    "vitamin-d": "vitamin D",
}
SYLLABLES = ["ka", "lo", "mi", "ren", "tor", "vex", "san", "dul", "pri", "zen", "bo", "quil"]


def invented_name(n: int) -> str:
    """A distinct made-up term per variant: "Kalomi", "Torvexsan", ..."""
    parts = []
    for _ in range(3):
        parts.append(SYLLABLES[n % len(SYLLABLES)])
        n //= len(SYLLABLES)
    return "".join(parts).capitalize() + "-" + str(n + 1)


def variant(text: str, source: Path, k: int) -> str:
    topic = next((t for key, t in TOPICS.items() if key in source.stem), None)
    name = invented_name(k)
    if topic:
        text = re.sub(re.escape(topic), name, text, flags=re.I)
    return re.sub(r"\b(\d{1,3})\b", lambda m: str(int(m.group(1)) + k % 5), text)


def make_corpus(folder: Path, count: int, templates: list[Path]) -> list[Path]:
    paths = []
    for k in range(count):
        source = templates[k % len(templates)]
        path = folder / f"{source.stem}-{k:04d}{source.suffix}"
        path.write_text(variant(source.read_text(encoding="utf-8"), source, k), encoding="utf-8")
        paths.append(path)
    return paths


def bench_builder(count: int = 1000, *, reuse_tags: bool = False) -> dict:
    """Build ``count`` articles on one core; wall and CPU seconds, and what was built.

    The variants share most sentences, so by default the tagger's per-sentence cache is
    emptied before every article (``reuse_tags=False``): every article is tagged as if its
    text were new, as with real, distinct articles."""
    from quizapp.domain.builder import tagger

    templates = sources()
    work = Path(tempfile.mkdtemp(prefix="quizapp-bench-build-"))
    affinity = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    try:
        corpus = work / "articles"
        corpus.mkdir(parents=True)
        paths = make_corpus(corpus, count, templates)
        size = sum(p.stat().st_size for p in paths)
        if affinity:
            os.sched_setaffinity(0, {min(affinity)})
        build_decks(paths[: len(templates)], work / "warmup")  # imports, word lists, model
        tagger.reuse = reuse_tags
        single = _one_article(paths[len(templates) : 2 * len(templates)])
        start, cpu = time.perf_counter(), time.process_time()
        report = build_decks(paths, work / "decks")
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        tagger.reuse = True
        if affinity:
            os.sched_setaffinity(0, affinity)
        shutil.rmtree(work, ignore_errors=True)
    return {
        "articles": len(paths),
        "megabytes": round(size / 1e6, 2),
        "templates": len(templates),
        "seconds": round(elapsed, 2),
        "cpu_seconds": round(cpu, 2),
        "failed": len(report.failed),
        "questions": sum(r.questions for r in report.results),
        "tagger": tagger.mode(),
        "one_article_ms": single,
    }


def _one_article(templates: list[Path]) -> float:
    """The slowest single-article build (what an upload costs once the model is loaded), in
    milliseconds of CPU: each article parsed and generated alone, its sentences not tagged
    before (the articles are variants the warm-up has not seen)."""
    from quizapp.domain.articles import read_article
    from quizapp.domain.builder import build_deck, deck_slug
    from quizapp.domain.deck import Source

    worst = 0.0
    for path in templates:
        start = time.process_time()
        article, _ = read_article(path)
        build_deck(article, deck_slug(path), Source(file=path.name, sha256=""))
        worst = max(worst, time.process_time() - start)
    return round(worst * 1000, 1)
