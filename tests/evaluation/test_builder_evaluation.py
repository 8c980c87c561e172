"""The evaluation end to end: the real builder on a part of the development corpus, scored
against the gold with thresholds that can fail (today's figures minus a small margin: raise them
as the builder improves), the ``quizapp evaluate`` command's table and JSON, failures and broken
gold files, recall counting only usable questions, and the detectors' agreement with hand
grades."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from quizapp.cli.evaluate import evaluate
from quizapp.evaluation import calibration, evaluate_corpus
from quizapp.evaluation.detectors import Context
from quizapp.evaluation.scoring import score_article
from quizapp.evaluation.views import view

from .helpers import GOLD, TITLE, cloze

CORPUS = Path(__file__).resolve().parents[2] / "tests" / "corpus"
SUBSET = [
    "dns-for-beginners.md",
    "inflation-101.txt",
    "vaccine-myths-and-facts.html",
    "photosynthesis.txt",
    "how-the-heart-pumps-blood.txt",
    "sourdough-starter-guide.html",
    "supply-and-demand.txt",
]

#: Floors for the subset, set at the builder's figures minus a margin. Measured 2026-12-01
#: before the builder work: 60 questions, KEEP 57 %, KEEP+EDIT 80 %, recall 51 %, myths 1/9,
#: definitions 1/30, ordering 5/8; after the core builder work (tagger deletions, factual and
#: self-contained sentences, topics from titles, prose everywhere): 61 questions, KEEP 88 %,
#: KEEP+EDIT 93 %, recall 52 %, myths 1/9, definitions 1/30, ordering 5/8 (62 %). Raise them
#: when the builder improves.
FLOORS = {
    "keep_pct": 80.0,
    "keep_edit_pct": 88.0,
    "recall_pct": 47.0,
    "myths_found": 1,
    "definitions_found": 1,
    "ordering_pct": 50.0,
}


@pytest.fixture(scope="module")
def subset():
    return evaluate_corpus(CORPUS / "dev", only=SUBSET)


def test_the_subset_builds_every_article(subset):
    figures = subset.figures()
    assert figures["articles"] == len(SUBSET)
    assert figures["failed"] == 0
    assert figures["questions"] >= 40


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_the_builder_stays_above_its_floor(subset, figure):
    value = subset.figures()[figure]
    assert value is not None and value >= FLOORS[figure], (
        f"{figure} fell to {value} (floor {FLOORS[figure]}); run `python -m quizapp evaluate "
        f"tests/corpus/dev --show-questions` to see which questions got worse"
    )


def test_recall_counts_only_keep_and_edit_questions():
    fact_question = cloze("DNS translates a {{c1::domain name}} into an IP address.")
    dropped = cloze("Your browser sends a {{c1::domain name}} and gets an IP address.")
    kept = score_article("dns.md", GOLD, Context(TITLE, GOLD, [], [view(0, fact_question)]))
    drop = score_article("dns.md", GOLD, Context(TITLE, GOLD, [], [view(0, dropped)]))
    assert kept.facts_covered == ["dns"]
    assert drop.questions[0].grade == "DROP" and drop.facts_covered == []


def copy_articles(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in names:
        shutil.copy(CORPUS / "dev" / name, folder / name)
        stem = Path(name).stem
        shutil.copy(CORPUS / "dev" / f"{stem}.gold.yaml", folder / f"{stem}.gold.yaml")
    return folder


def test_the_command_prints_one_table_block_per_corpus_folder(tmp_path):
    one = copy_articles(tmp_path, "photosynthesis.txt")
    two = tmp_path / "second"
    two.mkdir()
    for name in ("tariffs-faq.html", "tariffs-faq.gold.yaml"):
        shutil.copy(CORPUS / "dev" / name, two / name)
    result = CliRunner().invoke(evaluate, [str(one), str(two), "--show-questions"])
    assert result.exit_code == 0, result.output
    assert result.output.count("== ") == 2
    assert "photosynthesis.txt" in result.output and "tariffs-faq.html" in result.output
    assert result.output.count("TOTAL (1 articles)") == 2
    assert "KEEP" in result.output or "EDIT" in result.output


def test_the_json_has_totals_per_block_and_figures_per_article(tmp_path):
    folder = copy_articles(tmp_path, "photosynthesis.txt", "tariffs-faq.html")
    result = CliRunner().invoke(evaluate, [str(folder), "--format", "json", "--show-questions"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    block = data["blocks"][0]
    assert block["totals"]["articles"] == 2
    assert set(block["totals"]["defects"]) == {
        "deletion",
        "not_self_contained",
        "wrong_sentence",
        "garbled_frame",
        "teaches_myth",
        "invented_relation",
        "cut",
        "duplicate",
    }
    article = block["articles"][0]
    assert article["article"] == "photosynthesis.txt"
    assert article["questions"] == len(article["graded"])
    assert all(q["grade"] in ("KEEP", "EDIT", "DROP") for q in article["graded"])
    assert 0 <= article["recall_pct"] <= 100


def test_a_broken_gold_file_stops_the_command_with_its_name(tmp_path):
    folder = copy_articles(tmp_path, "photosynthesis.txt")
    gold = folder / "photosynthesis.gold.yaml"
    gold.write_text(
        gold.read_text(encoding="utf-8").replace("shape: textbook", "shape: poem"), encoding="utf-8"
    )
    result = CliRunner().invoke(evaluate, [str(folder)])
    assert result.exit_code == 1
    assert "photosynthesis.gold.yaml" in result.output and "poem" in result.output


def test_an_article_the_builder_cannot_read_counts_as_failed_with_no_questions(tmp_path):
    folder = copy_articles(tmp_path, "photosynthesis.txt")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    shutil.copy(folder / "photosynthesis.gold.yaml", folder / "empty.gold.yaml")
    gold = folder / "empty.gold.yaml"
    gold.write_text(
        gold.read_text(encoding="utf-8").replace("photosynthesis.txt", "empty.txt"),
        encoding="utf-8",
    )
    block = evaluate_corpus(folder)
    failed = [a for a in block.articles if a.error]
    assert [a.name for a in failed] == ["empty.txt"]
    assert failed[0].questions == [] and failed[0].facts_covered == []
    assert block.figures()["failed"] == 1


def test_the_detectors_agree_with_hand_grades():
    agreements = {a.name: a for a in calibration.measure(CORPUS / "calibration.yaml")}
    assert agreements["all"].questions == 240
    # measured 2026-12-01: all 88 %, fresh (graded blind last) 81 %
    assert agreements["all"].exact / agreements["all"].questions >= 0.82
    assert agreements["fresh"].exact / agreements["fresh"].questions >= 0.72
    assert agreements["all"].usable / agreements["all"].questions >= 0.95


def test_the_calibration_command_prints_agreement_per_set():
    result = CliRunner().invoke(evaluate, ["--calibration", str(CORPUS / "calibration.yaml")])
    assert result.exit_code == 0, result.output
    assert "tuning" in result.output and "fresh" in result.output and "all" in result.output


def test_evaluate_is_registered_like_the_other_commands():
    from quizapp.cli import commands

    assert evaluate in commands()


def test_a_definition_needs_a_basic_card_that_is_not_an_abbreviation_card():
    from .helpers import basic

    what_is = basic("What is a resolver?", "The server that looks up names for a device.")
    stands_for = basic("What does RSV stand for?", "Resolver")
    found = score_article("dns.md", GOLD, Context(TITLE, GOLD, [], [view(0, what_is)]))
    not_found = score_article("dns.md", GOLD, Context(TITLE, GOLD, [], [view(0, stands_for)]))
    assert (found.definitions_found, not_found.definitions_found) == (1, 0)
