"""docs/deck.schema.json (for editors) agrees with the validator on valid and invalid decks."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from quizapp.domain.deckfile import DeckFileError, load_deck_text

from ..factories import sample_deck

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "deck.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def test_schema_is_valid_and_accepts_every_question_type():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    VALIDATOR.validate(sample_deck().to_dict())


@pytest.mark.parametrize(
    "question",
    [
        {"id": "q", "type": "essay"},
        {"id": "q", "type": "true_false", "statement": "x"},
        {"id": "q", "type": "cloze", "text": "no deletions"},
        {"id": "q", "type": "ordering", "prompt": "p", "steps": ["a", "b"]},
        {"id": "q", "type": "basic", "front": "f", "back": "b", "colour": "red"},
        {"id": "q", "type": "basic", "front": "f", "back": "b", "tags": ["two words"]},
    ],
)
def test_schema_and_validator_both_reject(question):
    deck = {"id": "d", "title": "D", "questions": [question]}
    assert list(VALIDATOR.iter_errors(deck))
    with pytest.raises(DeckFileError):
        load_deck_text(json.dumps(deck))


def test_bundled_decks_match_the_schema():
    from ruamel.yaml import YAML

    for path in sorted((ROOT / "decks").glob("*.yaml")):
        VALIDATOR.validate(YAML(typ="safe").load(path.read_text(encoding="utf-8")))
