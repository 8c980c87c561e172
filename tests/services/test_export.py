"""Draft tests for quizapp/services/export.py and quizapp/cli/export.py (phase 2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from quizapp.cli.export import export as export_command
from quizapp.extensions import db
from quizapp.models import Clock, Question, Role
from quizapp.services import classes, export
from quizapp.services.export import CLOCK_NAME

from ..factories import Factory

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock(app):
    """The export clock is a database row: each test starts without one."""
    return CLOCK_NAME


def import_into(tmp_path, path):
    folder = tmp_path / "anki"
    folder.mkdir(exist_ok=True)
    col = Collection(str(folder / "c.anki2"))
    log = col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(path), options=ImportAnkiPackageOptions())
    ).log
    return col, log


def test_retired_questions_are_left_out(app, clock, tmp_path):
    factory = Factory()
    factory.deck("sample-deck")
    q = db.session.scalar(db.select(Question).where(Question.key == "definition"))
    q.retired_at = NOW
    db.session.commit()
    stats = export.export_slugs(["sample-deck"], tmp_path / "x.apkg", now=NOW)
    assert stats.notes == 4 and stats.cards == 5
    col, log = import_into(tmp_path, stats.path)
    assert len(log.new) == 4 and col.card_count() == 5
    col.close()


def test_the_clock_only_moves_forward(app, clock):
    first = export.export_time(NOW)
    second = export.export_time(NOW)
    third = export.export_time(NOW - timedelta(hours=1))
    assert first == NOW
    assert second == NOW + timedelta(seconds=1)
    assert third == NOW + timedelta(seconds=2)
    assert export.export_time(NOW + timedelta(days=1)) == NOW + timedelta(days=1)
    stored = db.session.scalar(sa.select(Clock.value).where(Clock.name == clock))
    assert stored == (NOW + timedelta(days=1)).timestamp()


def test_the_clock_is_shared_by_every_process(app, clock):
    """Another app (another process, or machine) claims from the same database row."""
    from quizapp import create_app

    first = export.export_time(NOW)
    other = create_app(
        {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "SECRET_KEY": "other"}
    )
    with other.app_context():
        second = export.export_time(NOW)
        db.session.remove()
    assert second == first + timedelta(seconds=1)


def test_two_quick_exports_both_update(app, clock, tmp_path):
    Factory().deck("sample-deck")
    first = export.export_slugs(["sample-deck"], tmp_path / "a.apkg", now=NOW)
    col, _ = import_into(tmp_path, first.path)
    q = db.session.scalar(db.select(Question).where(Question.key == "definition"))
    q.fields = {**q.fields, "front": "Edited front"}
    db.session.commit()
    second = export.export_slugs(["sample-deck"], tmp_path / "b.apkg", now=NOW)  # same second
    log = col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(second.path), options=ImportAnkiPackageOptions())
    ).log
    assert len(log.updated) == 5 and not log.new
    col.close()


def test_class_download_nests_assigned_decks(app, clock):
    factory = Factory()
    teacher = factory.user(Role.INSTRUCTOR)
    deck_a = factory.deck("deck-a", title="Deck A")
    deck_b = factory.deck("deck-b", title="Deck B")
    room = classes.create_class(teacher, "Biology 101")
    classes.assign(room, deck_a)
    classes.assign(room, deck_b)
    dl = export.class_download(room, now=NOW)
    assert dl.filename == "biology-101.apkg"
    assert dl.stats.decks == ("Biology 101::Deck A", "Biology 101::Deck B")
    assert dl.data[:2] == b"PK"


def test_cli_exports_and_rejects_unknown_slugs(app, clock, tmp_path):
    app.cli.add_command(export_command)
    runner = app.test_cli_runner()
    Factory().deck("sample-deck")
    out = tmp_path / "out.apkg"
    result = runner.invoke(args=["export", "sample-deck", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "5 notes, 6 cards" in result.output and out.exists()
    result = runner.invoke(args=["export", "sample-deck", "nope", "--out", str(out)])
    assert result.exit_code != 0 and "no deck called 'nope'" in result.output
    result = runner.invoke(args=["export", "--all", "--out", str(tmp_path / "all.apkg")])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["export", "--out", str(out)]).exit_code == 2
    assert (
        runner.invoke(args=["export", "sample-deck", "--out", str(tmp_path / "x.zip")]).exit_code
        == 2
    )


def test_deck_page_download_is_an_apkg_named_after_the_deck(app, clock, client, tmp_path):
    Factory().deck("sample-deck")
    response = client.get("/decks/sample-deck/anki")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=sample-deck.apkg"
    path = tmp_path / "downloaded.apkg"
    path.write_bytes(response.data)
    col, log = import_into(tmp_path, path)
    assert len(log.new) == 5 and col.card_count() == 6
    col.close()
    assert client.get("/decks/nope/anki").status_code == 404


def test_class_page_download_holds_the_assigned_decks(app, clock, client, auth, tmp_path):
    factory = Factory()
    teacher = factory.user(Role.INSTRUCTOR)
    learner = factory.user()
    room = classes.create_class(teacher, "Biology 101")
    classes.assign(room, factory.deck("deck-a", title="Deck A"))
    classes.join(learner, room.join_code)
    auth.login(learner)
    page = client.get(f"/classes/{room.id}").get_data(as_text=True)
    assert f"/classes/{room.id}/anki" in page
    response = client.get(f"/classes/{room.id}/anki")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment; filename=biology-101.apkg"
    path = tmp_path / "class.apkg"
    path.write_bytes(response.data)
    col, log = import_into(tmp_path, path)
    assert len(log.new) == 5
    assert "Biology 101::Deck A" in col.decks.all_names()
    col.close()
    auth.login(factory.user())  # not a member
    assert client.get(f"/classes/{room.id}/anki").status_code == 404
