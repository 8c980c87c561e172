"""Building deck files: stable ids, rebuilds over hand edits, errors per file, atomic writes,
the ``quizapp build`` command, and the YAML the builder writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from quizapp.cli.build import build
from quizapp.domain.builder import build_decks
from quizapp.domain.builder.yamlio import emit, split_fingerprints
from quizapp.domain.deckfile import load_deck_file

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "decks" / "sources" / "igf-1-signaling.txt"
BLOG = ROOT / "decks" / "sources" / "igf-1-and-muscle-adaptation.txt"
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.*"))


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def by_quote(deck: dict) -> dict[str, str]:
    return {q["origin"]["quote"]: q["id"] for q in deck["questions"]}


def copy(src: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(src, folder / src.name))


# --- stable identity ---------------------------------------------------------------------------


def test_building_twice_gives_identical_files(tmp_path):
    sources = [SEED, BLOG, *FIXTURES]
    build_decks(sources, tmp_path / "a")
    first = {p.name: p.read_bytes() for p in (tmp_path / "a").glob("*.yaml")}
    report = build_decks(sources, tmp_path / "a")
    assert not any(r.changed for r in report.results)
    build_decks(sources, tmp_path / "b")
    second = {p.name: p.read_bytes() for p in (tmp_path / "b").glob("*.yaml")}
    assert first == second and len(first) == len(sources)
    assert {p.name: p.read_bytes() for p in (tmp_path / "a").glob("*.yaml")} == first


def test_ids_are_readable_and_unique(tmp_path):
    build_decks([SEED], tmp_path)
    ids = [q["id"] for q in load(tmp_path / "igf-1-signaling.yaml")["questions"]]
    assert len(ids) == len(set(ids))
    assert "takeaway-liver-growth-hormone" in ids
    assert all(
        i.split("-")[0]
        in ("definition", "takeaway", "misconception", "mechanism", "signs", "why", "other")
        for i in ids
    )


@pytest.mark.parametrize(
    "old, new",
    [
        (
            "IGF-1 is produced by the liver in response to growth hormone and activates mTOR",
            "IGF-1 is made mainly by the liver in response to growth hormone and switches on mTOR",
        ),
        (
            "People often think muscle is built during the workout.",
            "Many people think muscle is built during the workout itself.",
        ),
        (
            "Growth hormone travels to the liver, which responds by producing IGF-1.",
            "Growth hormone then travels to the liver, which responds by making IGF-1.",
        ),
        (
            "The growth and repair from training happen in the 24 to 72 hours after the session",
            "The growth and repair from training happen in the 24 to 72 hours after a session",
        ),
    ],
)
def test_light_edits_keep_question_ids(tmp_path, old, new):
    source = copy(SEED, tmp_path / "src")
    out = tmp_path / "decks"
    build_decks([source], out)
    before = load(out / "igf-1-signaling.yaml")
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new), encoding="utf-8")
    build_decks([source], out)
    after = load(out / "igf-1-signaling.yaml")
    changed = [q for q in before["questions"] if old[:40] in q["origin"]["quote"]]
    assert changed
    after_ids = {q["id"] for q in after["questions"]}
    for q in changed:
        assert q["id"] in after_ids, q["id"]
    unchanged = [q["id"] for q in before["questions"] if q not in changed]
    assert set(unchanged) <= after_ids | {q["id"] for q in changed}


def test_untouched_sentences_keep_ids_when_others_change(tmp_path):
    source = copy(BLOG, tmp_path / "src")
    out = tmp_path / "decks"
    build_decks([source], out)
    before = by_quote(load(out / f"{source.stem}.yaml"))
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace(
            "Recovery is where real progress happens.",
            "Recovery is where the real progress happens.",
        ),
        encoding="utf-8",
    )
    build_decks([source], out)
    after = by_quote(load(out / f"{source.stem}.yaml"))
    for quote, qid in before.items():
        if quote in after:
            assert after[quote] == qid


# --- hand edits ----------------------------------------------------------------------------


def test_rebuild_keeps_hand_edits_comments_additions_and_deletions(tmp_path):
    out = tmp_path / "decks"
    build_decks([SEED], out)
    path = out / "igf-1-signaling.yaml"
    text = path.read_text(encoding="utf-8")
    deck = load(path)
    edited_id = "misconception-workout-muscle"
    deleted_id = next(q["id"] for q in deck["questions"] if q["type"] == "ordering")
    assert f"- id: {edited_id}\n" in text
    text = text.replace(
        "statement: Muscle is built during the workout.",
        "statement: Muscle grows while you lift.  # reworded for my class",
    )
    text = text.replace(
        "questions:\n",
        "questions:\n"
        "# added by hand\n"
        "- id: hand-sleep\n  type: true_false\n"
        "  statement: Deep sleep supports muscle repair.\n  answer: true\n",
        1,
    )
    start = text.index(f"- id: {deleted_id}\n")
    end = text.index("- id: ", start + 5)
    text = text[:start] + text[end:]
    text = text.replace("title: IGF-1 Signaling", "title: IGF-1 Signalling (week 3)")
    path.write_text(text, encoding="utf-8")

    report = build_decks([SEED], out)
    assert report.ok and report.results[0].kept_edits
    rebuilt_text = path.read_text(encoding="utf-8")
    rebuilt = load(path)
    ids = [q["id"] for q in rebuilt["questions"]]
    edited = next(q for q in rebuilt["questions"] if q["id"] == edited_id)
    assert edited["statement"] == "Muscle grows while you lift."
    assert "# reworded for my class" in rebuilt_text and "# added by hand" in rebuilt_text
    assert "hand-sleep" in ids
    assert deleted_id not in ids
    assert rebuilt["title"] == "IGF-1 Signalling (week 3)"
    generated = [q for q in deck["questions"] if q["id"] not in (edited_id, deleted_id)]
    for q in generated:
        assert q in rebuilt["questions"]
    # and a further rebuild changes nothing
    again = build_decks([SEED], out)
    assert not again.results[0].changed and path.read_text(encoding="utf-8") == rebuilt_text
    load_deck_file(path)  # still a valid deck file


def test_rebuild_updates_questions_nobody_edited(tmp_path):
    source = copy(SEED, tmp_path / "src")
    out = tmp_path / "decks"
    build_decks([source], out)
    text = source.read_text(encoding="utf-8")
    source.write_text(
        text.replace(
            "in the 24 to 72 hours after the session", "in the 24 to 48 hours after the session"
        ),
        encoding="utf-8",
    )
    build_decks([source], out)
    deck = load(out / "igf-1-signaling.yaml")
    takeaway = next(q for q in deck["questions"] if "24 to 48" in q["origin"]["quote"])
    assert "{{c1::24 to 48 hours}}" in takeaway["text"]
    assert takeaway["id"] == "takeaway-repair-24-to-72-hours"


def test_a_broken_existing_deck_file_is_not_overwritten(tmp_path):
    out = tmp_path / "decks"
    out.mkdir()
    (out / "igf-1-signaling.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    report = build_decks([SEED, BLOG], out)
    assert not report.ok
    (failed,) = report.failed
    assert str(SEED) in failed.error and "not valid YAML" in failed.error
    assert (out / "igf-1-signaling.yaml").read_text(encoding="utf-8") == "id: [unclosed\n"
    assert (out / "igf-1-and-muscle-adaptation.yaml").exists()


# --- errors, per file ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("empty.txt", b"", "the file is empty"),
        ("binary.md", b"\x00\x01\x02\x03PK\x03\x04" * 20, "binary"),
        (
            "latin1.txt",
            "Caf\u00e9 Culture\nCoffee is strong.\n".encode("latin-1"),
            "not valid UTF-8",
        ),
        (
            "furniture.html",
            b"<html><body><footer>(c) 2026</footer></body></html>",
            "no content found",
        ),
    ],
)
def test_bad_files_fail_alone_and_name_the_file(tmp_path, name, data, reason):
    bad = tmp_path / "src" / name
    bad.parent.mkdir()
    bad.write_bytes(data)
    out = tmp_path / "decks"
    report = build_decks([bad, SEED], out)
    assert not report.ok
    (failed,) = report.failed
    assert failed.error.startswith(str(bad)) and reason in failed.error
    assert not (out / f"{bad.stem}.yaml").exists()
    assert (out / "igf-1-signaling.yaml").exists()
    assert sorted(p.name for p in out.iterdir()) == ["igf-1-signaling.yaml"]  # no temp files


def test_two_files_with_the_same_deck_name(tmp_path):
    other = tmp_path / "igf-1-signaling.md"
    other.write_text("# IGF-1 Signaling\n\nIGF-1 signaling is a growth signal.\n", "utf-8")
    report = build_decks([SEED, other], tmp_path / "decks")
    assert report.results[0].ok
    assert "same deck" in report.results[1].error and str(other) in report.results[1].error


# --- the command -------------------------------------------------------------------------------


def test_cli_writes_decks_and_prints_one_line_per_file(tmp_path):
    out = tmp_path / "decks"
    result = CliRunner().invoke(build, [str(SEED), str(BLOG), "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(str(out / "igf-1-signaling.yaml")) and "questions" in lines[0]


def test_cli_exit_code_says_some_failed(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    out = tmp_path / "decks"
    result = CliRunner().invoke(build, [str(empty), str(SEED), "--out", str(out)])
    assert result.exit_code == 1
    assert f"{empty}: the file is empty" in result.output
    assert (out / "igf-1-signaling.yaml").exists()


def test_cli_defaults_to_the_decks_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(build, [str(SEED)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "decks" / "igf-1-signaling.yaml").exists()


# --- the YAML written --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "plain text",
        "IGF-1 is {{c1::liver}}.",
        "Key: value",
        "a # not a comment",
        "yes",
        "No",
        "null",
        "~",
        "12.5",
        "0x1F",
        "2026-01-01",
        "- dash",
        "#hash",
        "'quoted'",
        '"double"',
        "trailing ",
        " leading",
        "tab\there",
        "line\nbreak",
        "caf\u00e9 \u2014 \U0001f600",
        "ctl\x01\x7f\u2028",
        "back\\slash",
        "",
        "Muscle\u2019s capacity",
        "{{c1::x}} first",
    ],
)
def test_emitted_yaml_reads_back_the_same(value):
    data = {
        "id": "x",
        "title": value,
        "questions": [
            {
                "id": "q",
                "type": "basic",
                "front": value,
                "back": [value, True, 3, None],
                "origin": {"section": "other", "quote": value},
                "tags": [],
            }
        ],
    }
    assert yaml.safe_load(emit(data, "x.txt")) == data


def test_every_written_deck_round_trips_and_keeps_its_fingerprints(tmp_path):
    build_decks([SEED, BLOG, *FIXTURES], tmp_path)
    for path in tmp_path.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        body, prints = split_fingerprints(text)
        data = yaml.safe_load(body)
        assert emit(data, data["source"]["file"]) == body
        assert set(prints) == {":deck"} | {q["id"] for q in data["questions"]}
