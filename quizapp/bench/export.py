"""Timing the Anki export of a large deck against plain genanki writing the same notes.

Both sides write the same notes (same models, field values, GUIDs and tags) to a file. The
baseline is genanki alone: notes made from ready field values and tags, their GUIDs from
``genanki.guid_for``, and ``Package.write_to_file``, which stores the zip uncompressed.
quizapp's :func:`write_package` starts from domain ``Deck`` objects, so its time also covers
checking every question, escaping and laying out the fields, shuffling choices and steps, and
DEFLATE-compressing the package. The best of ``repeat`` runs is reported.
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import genanki

from quizapp.domain.anki import anki_deck_id, deck_name, write_package
from quizapp.domain.anki.notes import build_note
from quizapp.domain.deck import Deck, Origin, Question

SECTIONS = ("definition", "takeaway", "misconception", "mechanism", "signs")
SENTENCE = (
    "IGF-1 made in the liver after growth hormone signals carries the message to muscle "
    "fibres, which then build new protein for one to three days after training"
)


def synthetic_deck(n: int) -> Deck:
    """``n`` questions cycling through the five types, with article-sized wording."""
    questions = []
    for i in range(n):
        words = SENTENCE.split()
        kind = i % 5
        origin = Origin(SECTIONS[kind], f"{SENTENCE} (source sentence {i}).")
        explanation = f"Explanation {i}: {SENTENCE}."
        if kind == 0:
            q = Question(
                f"q{i}",
                "cloze",
                {
                    "text": f"{' '.join(words[:4])} {{{{c1::liver}}}} "
                    f"{' '.join(words[5:12])} {{{{c2::growth hormone}}}} {i}."
                },
            )
        elif kind == 1:
            q = Question(
                f"q{i}", "true_false", {"statement": f"{SENTENCE} ({i})", "answer": i % 2 == 0}
            )
        elif kind == 2:
            q = Question(
                f"q{i}",
                "ordering",
                {
                    "prompt": f"Put the steps in order ({i})",
                    "steps": [f"Step {j}: {' '.join(words[j : j + 5])}" for j in range(5)],
                },
            )
        elif kind == 3:
            q = Question(
                f"q{i}",
                "multiple_choice",
                {
                    "prompt": f"Which organ makes most IGF-1? ({i})",
                    "choices": ["The liver", "The pituitary", "Skeletal muscle", "The kidney"],
                    "correct": [0],
                },
            )
        else:
            q = Question(
                f"q{i}", "basic", {"front": f"What does IGF-1 do? ({i})", "back": SENTENCE}
            )
        q.explanation, q.origin, q.tags = explanation, origin, ["bench"]
        questions.append(q)
    return Deck("bench-deck", "Bench Deck", "A synthetic deck.", questions=questions)


def plain_genanki(deck: Deck, path: Path, timestamp: float, *, ready_guids: bool = False) -> float:
    """Time genanki alone writing the same notes from field values prepared beforehand.

    The GUID is computed inside the timing, with the same ``genanki.guid_for`` call: a genanki
    note without one computes ``guid_for(*fields)`` itself while it is written, so every genanki
    export pays for one hash per note either way. ``ready_guids`` takes them from the prepared
    notes instead, the strictest comparison.
    """
    prepared = [(q, build_note(deck.id, q)) for q in deck.questions]
    models = {nt.question_type: nt.to_genanki() for nt in {n.note_type for _, n in prepared}}
    start = time.perf_counter()
    anki_deck = genanki.Deck(anki_deck_id(deck.id), deck_name(deck.title))
    for q, note in prepared:
        anki_deck.add_note(
            genanki.Note(
                model=models[note.note_type.question_type],
                fields=note.fields,
                tags=note.tags,
                guid=note.guid if ready_guids else genanki.guid_for(deck.id, q.id, q.type),
            )
        )
    genanki.Package(anki_deck).write_to_file(str(path), timestamp=timestamp)
    return time.perf_counter() - start


def quizapp_writer(deck: Deck, path: Path, now: datetime) -> float:
    start = time.perf_counter()
    write_package([deck], path, now=now)
    return time.perf_counter() - start


def bench_anki(questions: int = 10_000, repeat: int = 5) -> dict:
    """Best-of-``repeat`` seconds for quizapp and for plain genanki on a synthetic deck."""
    deck = synthetic_deck(questions)
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        ours_path, plain_path = Path(tmp, "quizapp.apkg"), Path(tmp, "genanki.apkg")
        ours, plain, strict = [], [], []
        for _ in range(repeat):
            plain.append(plain_genanki(deck, plain_path, now.timestamp()))
            strict.append(plain_genanki(deck, plain_path, now.timestamp(), ready_guids=True))
            ours.append(quizapp_writer(deck, ours_path, now))
        return {
            "questions": len(deck.questions),
            "cards": sum(2 if q.type == "cloze" else 1 for q in deck.questions),
            "repeat": repeat,
            "quizapp_seconds": round(min(ours), 3),
            "genanki_seconds": round(min(plain), 3),
            "genanki_ready_guids_seconds": round(min(strict), 3),
            "quizapp_mb": round(ours_path.stat().st_size / 1e6, 2),
            "genanki_mb": round(plain_path.stat().st_size / 1e6, 2),
        }
