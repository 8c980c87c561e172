"""Uploading questions from other apps: the instructor's drafts and the learner's own decks."""

from __future__ import annotations

from io import BytesIO

import sqlalchemy as sa

from quizapp.domain.interop import EXPORT_FORMATS
from quizapp.extensions import db
from quizapp.models import CardState, Role, Visibility
from quizapp.services import drafts
from quizapp.services.decks import get_deck, visible_deck
from tests.factories import Factory, sample_deck
from tests.services.test_import import _cards, _study

WORDS = b"apple\tpomme\nlonely\nhouse\tmaison\n"


def upload(client, url, name, data, separator=""):
    return client.post(
        url,
        data={"import-questions_file": (BytesIO(data), name), "import-separator": separator},
        content_type="multipart/form-data",
    )


def test_instructor_upload_makes_drafts_and_lists_skipped_rows(app, client, auth):
    owner = Factory().user(Role.INSTRUCTOR, email="owner@example.com")
    auth.login(owner)
    page = client.get("/instructor/").get_data(as_text=True)
    assert 'action="/instructor/decks/import"' in page
    gift = EXPORT_FORMATS["gift"].write([sample_deck("bio-deck")])[0]
    response = upload(client, "/instructor/decks/import", "bio.gift", gift)
    assert response.status_code == 303 and response.location.endswith("/instructor/decks/bio-deck")
    deck = get_deck("bio-deck")
    assert deck.owner_id == owner.id and not deck.is_published
    assert len(drafts.working_copy(deck)["questions"]) == 6  # the cloze: one per deletion

    response = upload(client, "/instructor/decks/import", "words.tsv", WORDS)
    assert response.status_code == 303
    flashed = client.get(response.location).get_data(as_text=True)
    assert "words.tsv:2: skipped: a Basic row needs a front and a back" in flashed


def test_instructor_upload_never_touches_another_s_deck(app, client, auth):
    factory = Factory()
    other = factory.user(Role.INSTRUCTOR, email="other@example.com")
    factory.deck("words", owner=other)
    owner = factory.user(Role.INSTRUCTOR, email="owner@example.com")
    auth.login(owner)
    response = upload(client, "/instructor/decks/import", "words.tsv", WORDS)
    assert response.location.endswith("/instructor/decks/words-2")
    assert get_deck("words").owner_id == other.id and get_deck("words").draft is None


def test_instructor_upload_errors_stay_on_the_page(app, client, auth):
    auth.login(Factory().user(Role.INSTRUCTOR))
    response = upload(client, "/instructor/decks/import", "x.gift", b"::a:: broken {=x\n")
    assert response.status_code == 400
    assert "x.gift:1: an answer block opened with" in response.get_data(as_text=True)
    response = upload(client, "/instructor/decks/import", "x.pdf", b"%PDF-1.4")
    assert response.status_code == 400 and "is not a" in response.get_data(as_text=True)


def test_learner_brings_a_private_deck_and_a_new_version_keeps_progress(app, client, auth):
    factory = Factory()
    learner = factory.user(Role.LEARNER, email="learner@example.com")
    someone = factory.user(Role.LEARNER, email="someone@example.com")
    assert client.get("/decks/import").status_code == 302  # sign in first
    auth.login(learner)
    assert "Bring your own deck" in client.get("/").get_data(as_text=True)
    response = upload(
        client, "/decks/import", "french.txt", b"apple - pomme\nhouse - maison\n", separator=" - "
    )
    assert response.status_code == 303 and response.location.endswith("/decks/french")
    deck = get_deck("french")
    assert deck.visibility == Visibility.PRIVATE and deck.owner_id == learner.id
    assert visible_deck(someone, "french") is None
    card = next(iter(_cards("french").values()))
    _study(learner, card)

    response = upload(
        client,
        "/decks/import",
        "french.txt",
        b"apple - pomme\nhouse - maison\ncat - chat\n",
        separator=" - ",
    )
    assert response.status_code == 303 and response.location.endswith("/decks/french")
    assert len(_cards("french")) == 3
    assert db.session.scalar(sa.select(CardState.card_id)) == card.id


def test_learner_upload_is_refused_with_a_message(app, client, auth):
    auth.login(Factory().user(Role.LEARNER))
    response = upload(client, "/decks/import", "x.xml", b"<quiz><question>")
    assert response.status_code == 400
    assert "x.xml:1: not well-formed XML" in response.get_data(as_text=True)
    assert client.post("/decks/import", data={}).status_code == 400


def test_learner_brings_an_anki_package_with_its_history(app, client, auth, tmp_path):
    from quizapp.models import Review
    from tests.domain.test_interop_apkg import anki_package

    learner = Factory().user(Role.LEARNER, email="learner@example.com")
    auth.login(learner)
    path, _ = anki_package(tmp_path)
    response = upload(client, "/decks/import", "mine.apkg", path.read_bytes())
    assert response.status_code == 303 and response.location.endswith("/decks/biology-cells")
    count = db.session.scalar(
        sa.select(sa.func.count(Review.id)).where(Review.user_id == learner.id)
    )
    assert count >= 4
    page = client.get(response.location).get_data(as_text=True)
    assert f"{count} reviews from Anki are now your study history" in page
    upload(client, "/decks/import", "mine.apkg", path.read_bytes())
    assert db.session.scalar(sa.select(sa.func.count(Review.id))) == count
