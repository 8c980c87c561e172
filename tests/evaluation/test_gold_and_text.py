"""Gold files are validated with every problem named at once; text is normalised the way the
corpus contract says (curly quotes straightened, plurals folded, cloze markup removed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.evaluation.gold import GoldError, load_gold
from quizapp.evaluation.text import contains_phrase, fold, same_item, straighten, words

VALID = """\
source: tiny.md
shape: docs
field: computing
topic: DNS
facts:
  - id: dns
    kind: definition
    text: DNS translates names.
    match: [domain name]
myths:
  - claim: DNS changes are instant.
    truth: They spread as caches expire.
    match: [instant]
definitions:
  - term: resolver
    match: [resolver]
lists:
  - about: record types
    items: [A record, MX record]
steps:
  - about: a lookup
    items: [cache, resolver, root server]
"""


def write(tmp_path: Path, gold: str, name: str = "tiny.md") -> Path:
    article = tmp_path / name
    article.write_text("# DNS\n\nDNS translates domain names.\n", encoding="utf-8")
    (tmp_path / f"{article.stem}.gold.yaml").write_text(gold, encoding="utf-8")
    return article


def test_a_valid_gold_file_loads(tmp_path):
    gold = load_gold(write(tmp_path, VALID))
    assert gold.topic == "DNS"
    assert [f.match for f in gold.facts] == [("domain name",)]
    assert gold.myths[0].claim == "DNS changes are instant."
    assert gold.lists[0].items == ("A record", "MX record")
    assert gold.steps[0].items == ("cache", "resolver", "root server")


def test_a_missing_gold_file_is_named(tmp_path):
    article = tmp_path / "alone.md"
    article.write_text("# A\n\ntext\n", encoding="utf-8")
    with pytest.raises(GoldError, match=r"alone\.gold\.yaml: missing"):
        load_gold(article)


def test_every_problem_is_reported_at_once(tmp_path):
    broken = (
        VALID.replace("shape: docs", "shape: poem")
        .replace("match: [domain name]", "match: [Domain Name]")
        .replace("items: [A record, MX record]", "items: [A record]")
        .replace("source: tiny.md", "source: other.md")
        + "colour: blue\n"
    )
    with pytest.raises(GoldError) as err:
        load_gold(write(tmp_path, broken))
    message = str(err.value)
    for expected in (
        "shape: 'poem' is not one of",
        "must be lower case",
        "lists[0].items",
        "source: names 'other.md'",
        "colour: unknown key",
    ):
        assert expected in message


def test_a_fact_without_match_phrases_and_a_reused_id_are_errors(tmp_path):
    broken = VALID.replace(
        """    match: [domain name]
myths:""",
        """    match: []
  - id: dns
    kind: fact
    text: Again.
    match: [again]
myths:""",
    )
    with pytest.raises(GoldError) as err:
        load_gold(write(tmp_path, broken))
    assert "facts[0].match" in str(err.value) and "used twice" in str(err.value)


def test_an_unquoted_number_with_a_comma_would_split_so_it_must_be_quoted(tmp_path):
    # YAML reads [80,000] as two numbers; the corpus quotes such phrases
    gold = load_gold(write(tmp_path, VALID.replace("[domain name]", '["80,000"]')))
    assert gold.facts[0].match == ("80,000",)


def test_curly_quotes_dashes_and_nbsp_are_straightened():
    assert straighten("It\u2019s \u201cDNS\u201d \u2014 fast\u00a0now") == 'It\'s "DNS" - fast now'


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("records", "record"),
        ("studies", "study"),
        ("calories", "calorie"),
        ("viruses", "virus"),
        ("branches", "branch"),
        ("octopus", "octopus"),
        ("dns", "dns"),
        ("glass", "glass"),
    ],
)
def test_plurals_are_folded(word, folded):
    assert fold(word) == folded


def test_phrases_match_across_case_plurals_possessives_and_cloze_markup():
    text = words("The {{c1::MX Records}} of Luther\u2019s domain")
    assert contains_phrase(text, "mx record")
    assert contains_phrase(text, "luther")
    assert not contains_phrase(text, "record of mx")


def test_same_item_accepts_a_shortened_item_but_not_another_item():
    assert same_item("a mild fever", "fever")
    assert same_item("Trouble concentrating: attention drifts", "Trouble concentrating")
    assert not same_item("tiredness", "a headache")
