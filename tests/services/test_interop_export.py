"""Exports in other formats from the database: the service, the CLI and the deck page's menu."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest

from quizapp.domain.interop import EXPORT_FORMATS
from quizapp.extensions import db
from quizapp.models import Question, Role, Visibility, utcnow
from quizapp.services import interop
from tests.factories import Factory


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_cli_writes_every_format_and_leaves_retired_questions_out(app, runner, tmp_path, fmt):
    deck = Factory().deck("sample-deck")
    retired = db.session.scalar(db.select(Question).where(Question.key == "definition"))
    retired.retired_at = utcnow()
    db.session.commit()
    out = tmp_path / f"deck.{fmt}"
    result = runner.invoke(args=["export", "--format", fmt, "sample-deck", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 deck(s), " in result.output
    data = out.read_bytes()
    assert data == interop.export_decks([deck], fmt).data  # deterministic: the same bytes
    if fmt == "qti":
        names = zipfile.ZipFile(BytesIO(data)).namelist()
        assert "items/I_sample-deck__mechanism-order.xml" in names
        assert not any("definition" in n for n in names)
    else:
        assert b"mechanism-order" in data and b"What is IGF-1 signaling" not in data


def test_cli_keeps_apkg_the_default_and_checks_its_options(app, runner, tmp_path):
    Factory().deck("sample-deck")
    result = runner.invoke(args=["export", "sample-deck", "--out", str(tmp_path / "a.gift")])
    assert result.exit_code == 2 and ".apkg" in result.output  # the default is still apkg
    result = runner.invoke(
        args=[
            "export",
            "--format",
            "gift",
            "sample-deck",
            "--parent",
            "X",
            "--out",
            str(tmp_path / "a.gift"),
        ]
    )
    assert result.exit_code == 2 and "--parent" in result.output
    result = runner.invoke(
        args=["export", "--format", "pdf", "sample-deck", "--out", str(tmp_path / "a.pdf")]
    )
    assert result.exit_code == 2
    result = runner.invoke(
        args=["export", "--format", "csv", "nope", "--out", str(tmp_path / "a.csv")]
    )
    assert result.exit_code == 1 and "no deck called 'nope'" in result.output
    assert not (tmp_path / "a.csv").exists()
    result = runner.invoke(
        args=["export", "--format", "csv", "--all", "--out", str(tmp_path / "all.csv")]
    )
    assert result.exit_code == 0 and (tmp_path / "all.csv").read_bytes().startswith(b"#separ")


def test_cli_reports_what_a_format_cannot_hold(app, runner, tmp_path):
    Factory().deck("sample-deck")
    row = db.session.scalar(db.select(Question).where(Question.key == "takeaway-liver"))
    row.fields = {"text": "{{c1::A}} then {{c1::B}}"}
    db.session.commit()
    result = runner.invoke(
        args=["export", "--format", "gift", "sample-deck", "--out", str(tmp_path / "a.gift")]
    )
    assert result.exit_code == 0
    assert "sample-deck/takeaway-liver: skipped: deletion c1 appears twice" in result.output
    assert "(1 skipped)" in result.output


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_deck_page_offers_every_format_with_the_deck_s_visibility(app, client, auth, fmt):
    factory = Factory()
    owner = factory.user(Role.INSTRUCTOR, email="owner@example.com")
    factory.deck("sample-deck", owner=owner, visibility=Visibility.PRIVATE)
    page_url, url = "/decks/sample-deck", f"/decks/sample-deck/export/{fmt}"
    assert client.get(url).status_code == 404  # private: hidden from visitors
    auth.login(owner)
    page = client.get(page_url).get_data(as_text=True)
    assert f'href="{url}"' in page
    response = client.get(url)
    assert response.status_code == 200
    spec = EXPORT_FORMATS[fmt]
    assert response.mimetype == spec.mimetype
    assert f"sample-deck.{spec.extension}" in response.headers["Content-Disposition"]
    assert response.data == interop.export_decks([factory_deck()], fmt).data
    assert client.get("/decks/sample-deck/export/pdf").status_code == 404


def factory_deck():
    from quizapp.services.decks import get_deck

    return get_deck("sample-deck")
