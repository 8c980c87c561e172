"""The column step of both import pages: text files without headers, mapped by the importer."""

from __future__ import annotations

import re
from io import BytesIO

from quizapp.extensions import db
from quizapp.models import Question, Role, Visibility
from quizapp.services import drafts
from quizapp.services.decks import get_deck
from tests.factories import Factory

WORDS = b"id\tnotes\tapple\tpomme\tfood fruit\n8\t\thouse\tmaison\thome\n9\tno answer\tlonely\t\t\n"
MAPPING = ["ignore", "ignore", "front", "back", "tags"]


def questions_of(slug: str) -> list[Question]:
    return list(db.session.scalars(get_deck(slug).questions.select()))


def upload(client, url, name, data, **extra):
    return client.post(
        url,
        data={"import-questions_file": (BytesIO(data), name), "import-separator": "", **extra},
        content_type="multipart/form-data",
    )


def token_of(html: str) -> str:
    return re.search(r'name="columns-token"[^>]*value="([^"]+)"', html)[1]


def choose(client, url, token, columns, **extra):
    data = {"columns-token": token, **extra}
    data.update({f"columns-columns-{i}": role for i, role in enumerate(columns)})
    return client.post(url, data=data)


def test_learner_maps_the_columns_of_a_file_without_headers(app, client, auth):
    learner = Factory().user(Role.LEARNER, email="learner@example.com")
    auth.login(learner)
    step = upload(client, "/decks/import", "words.tsv", WORDS)
    html = step.get_data(as_text=True)
    assert step.status_code == 200 and "What is in each column?" in html
    assert "<td>food fruit</td>" in html and "<td>lonely</td>" in html  # the first rows
    assert html.count("<select") == 5
    assert '<option selected value="front">' in html  # the guess: Anki's front, back
    assert 'action="/decks/import"' in html
    assert get_deck("words") is None  # nothing imported yet

    done = choose(client, "/decks/import", token_of(html), MAPPING)
    assert done.status_code == 303 and done.location.endswith("/decks/words")
    deck = get_deck("words")
    assert deck.visibility == Visibility.PRIVATE and deck.owner_id == learner.id
    assert sorted(
        (q.fields["front"], q.fields["back"], sorted(q.tags)) for q in questions_of("words")
    ) == [("apple", "pomme", ["food", "fruit"]), ("house", "maison", ["home"])]
    flashed = client.get(done.location).get_data(as_text=True)
    assert "words.tsv:3: skipped: a Basic row needs a front and a back" in flashed
    # The kept file is gone once imported: the same token cannot import twice.
    assert choose(client, "/decks/import", token_of(html), MAPPING).status_code == 422


def test_a_bad_mapping_shows_the_step_again_and_imports_nothing(app, client, auth):
    auth.login(Factory().user(Role.LEARNER))
    token = token_of(upload(client, "/decks/import", "words.tsv", WORDS).get_data(as_text=True))
    twice = choose(client, "/decks/import", token, ["front", "front", "back", "ignore", "ignore"])
    html = twice.get_data(as_text=True)
    assert twice.status_code == 400 and "2 columns are the front: choose one" in html
    assert "<td>lonely</td>" in html and token_of(html) == token
    no_front = choose(client, "/decks/import", token, ["back", "ignore", "ignore", "ignore"])
    assert no_front.status_code == 400
    assert "choose the column that holds the front" in no_front.get_data(as_text=True)
    assert get_deck("words") is None
    assert choose(client, "/decks/import", token, MAPPING).status_code == 303


def test_another_user_cannot_use_the_token(app, client, auth):
    factory = Factory()
    owner = factory.user(Role.LEARNER, email="owner@example.com")
    other = factory.user(Role.LEARNER, email="other@example.com")
    auth.login(owner)
    token = token_of(upload(client, "/decks/import", "words.tsv", WORDS).get_data(as_text=True))
    auth.login(other)
    refused = choose(client, "/decks/import", token, MAPPING)
    assert refused.status_code == 422 and "not yours" in refused.get_data(as_text=True)
    assert choose(client, "/decks/import", "x" * 32, MAPPING).status_code == 422
    assert choose(client, "/decks/import", "../../etc/passwd", MAPPING).status_code == 422
    assert get_deck("words") is None
    auth.login(owner)
    assert choose(client, "/decks/import", token, MAPPING).status_code == 303


def test_an_expired_upload_is_refused(app, client, auth, monkeypatch):
    from quizapp.services import interop

    auth.login(Factory().user(Role.LEARNER))
    token = token_of(upload(client, "/decks/import", "words.tsv", WORDS).get_data(as_text=True))
    monkeypatch.setattr(interop.pending, "PENDING_SECONDS", 0)
    assert choose(client, "/decks/import", token, MAPPING).status_code == 422


def test_two_columns_import_at_once_unless_the_user_asks_to_choose(app, client, auth):
    auth.login(Factory().user(Role.LEARNER))
    pairs = b"apple\tpomme\nhouse\tmaison\n"
    assert upload(client, "/decks/import", "pairs.tsv", pairs).status_code == 303
    step = upload(client, "/decks/import", "more.tsv", pairs, **{"import-choose_columns": "y"})
    html = step.get_data(as_text=True)
    assert step.status_code == 200 and html.count("<select") == 2
    done = choose(client, "/decks/import", token_of(html), ["back", "front"])
    assert done.status_code == 303
    assert sorted(q.fields["front"] for q in questions_of("more")) == ["maison", "pomme"]


def test_instructor_maps_columns_into_drafts(app, client, auth):
    owner = Factory().user(Role.INSTRUCTOR, email="owner@example.com")
    auth.login(owner)
    step = upload(client, "/instructor/decks/import", "words.tsv", WORDS)
    html = step.get_data(as_text=True)
    assert step.status_code == 200 and 'action="/instructor/decks/import"' in html
    bad = choose(
        client,
        "/instructor/decks/import",
        token_of(html),
        ["front", "back", "text", "ignore", "ignore"],
    )
    assert bad.status_code == 400 and "not both" in bad.get_data(as_text=True)
    done = choose(client, "/instructor/decks/import", token_of(html), MAPPING)
    assert done.status_code == 303 and done.location.endswith("/instructor/decks/words")
    deck = get_deck("words")
    assert deck.owner_id == owner.id and not deck.is_published
    questions = drafts.working_copy(deck)["questions"]
    assert sorted(q["front"] for q in questions) == ["apple", "house"]


def test_the_column_step_needs_the_csrf_token(app, client, auth):
    auth.login(Factory().user(Role.LEARNER))
    token = token_of(upload(client, "/decks/import", "words.tsv", WORDS).get_data(as_text=True))
    app.config["WTF_CSRF_ENABLED"] = True
    html = client.get("/decks/import").get_data(as_text=True)
    assert 'name="import-csrf_token"' in html
    refused = choose(client, "/decks/import", token, MAPPING)
    assert refused.status_code == 400 and get_deck("words") is None
    step = upload(
        client,
        "/decks/import",
        "words.tsv",
        WORDS,
        **{
            "import-csrf_token": re.search(r'name="import-csrf_token"[^>]*value="([^"]+)"', html)[1]
        },
    )
    page = step.get_data(as_text=True)
    csrf = re.search(r'name="columns-csrf_token"[^>]*value="([^"]+)"', page)[1]
    assert "<script" not in page.split("<main", 1)[-1] and "style=" not in page
    done = choose(client, "/decks/import", token_of(page), MAPPING, **{"columns-csrf_token": csrf})
    assert done.status_code == 303


def test_a_wide_file_maps_its_first_hundred_columns(app, client, auth):
    auth.login(Factory().user(Role.LEARNER))
    data = "".join("\t".join(f"r{r}c{i}" for i in range(150)) + "\n" for r in range(2)).encode()
    step = upload(client, "/decks/import", "wide.tsv", data)
    html = step.get_data(as_text=True)
    assert step.status_code == 200 and html.count("<select") == 100
    assert "It has 150 columns: those after column 100 are ignored." in html
    done = choose(client, "/decks/import", token_of(html), ["front"] + ["ignore"] * 98 + ["back"])
    assert done.status_code == 303
    assert sorted((q.fields["front"], q.fields["back"]) for q in questions_of("wide")) == [
        ("r0c0", "r0c99"),
        ("r1c0", "r1c99"),
    ]


def test_one_upload_waits_per_user_and_others_are_untouched(app, client, auth):
    from pathlib import Path

    factory = Factory()
    other = factory.user(Role.LEARNER, email="other@example.com")
    auth.login(other)
    theirs = token_of(upload(client, "/decks/import", "t.tsv", WORDS).get_data(as_text=True))
    auth.login(factory.user(Role.LEARNER, email="me@example.com"))
    first = token_of(upload(client, "/decks/import", "a.tsv", WORDS).get_data(as_text=True))
    second = token_of(upload(client, "/decks/import", "b.tsv", WORDS).get_data(as_text=True))
    assert len(list(Path(app.config["QUIZAPP_PENDING_UPLOADS"]).glob("*.json"))) == 2
    assert choose(client, "/decks/import", first, MAPPING).status_code == 422
    assert choose(client, "/decks/import", second, MAPPING).status_code == 303
    auth.login(other)
    assert choose(client, "/decks/import", theirs, MAPPING).status_code == 303
