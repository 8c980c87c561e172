"""The instructor workspace through HTTP: new decks, the type-specific editor, publishing,
deck files down and up, and what learners see."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from quizapp.models import Role, Visibility
from quizapp.services import classes, decks, drafts
from tests.factories import sample_deck

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def teacher(factory, auth):
    user = factory.user(Role.INSTRUCTOR)
    auth.login(user)
    return user


@pytest.fixture
def deck(teacher):
    return drafts.create_from_domain(teacher, sample_deck())


def _post(client, url, data, **kw):
    return client.post(url, data=data, **kw)


def test_new_empty_deck_opens_the_editor(client, teacher):
    response = _post(client, "/instructor/decks/new", {"new-title": "Sleep Pressure"})
    assert response.status_code == 303
    assert response.location == "/instructor/decks/sleep-pressure"
    html = client.get(response.location).text
    assert "Sleep Pressure" in html and "No questions yet" in html
    assert _post(client, "/instructor/decks/new", {"new-title": ""}).status_code == 400


def test_the_editor_shows_each_question_as_learners_see_it_with_answer_and_source(client, deck):
    html = client.get(f"/instructor/decks/{deck.slug}").text
    assert "True or false: Muscle is built during the workout." in html
    assert "People often think muscle is built during the workout." in html  # source quote
    assert "Answer:" in html
    for key in (
        "takeaway-liver",
        "misconception-workout",
        "mechanism-order",
        "signs-choice",
        "definition",
    ):
        assert f'id="q-{key}"' in html
        assert f"/instructor/decks/{deck.slug}/questions/{key}" in html


@pytest.mark.parametrize(
    ("type_name", "data", "check"),
    [
        (
            "cloze",
            {"text": "Sleep pressure is built by {{c1::adenosine}}."},
            lambda q: q["text"] == "Sleep pressure is built by {{c1::adenosine}}.",
        ),
        (
            "true_false",
            {"statement": "Caffeine removes adenosine.", "answer": "false"},
            lambda q: q["answer"] is False and q["statement"] == "Caffeine removes adenosine.",
        ),
        (
            "ordering",
            {"prompt": "Order it.", "steps": "Wake\n\nAdenosine builds\nSleep\n"},
            lambda q: q["steps"] == ["Wake", "Adenosine builds", "Sleep"],
        ),
        (
            "multiple_choice",
            {
                "prompt": "Which build pressure?",
                "choices-0-text": "Adenosine",
                "choices-0-correct": "y",
                "choices-1-text": "Melatonin",
                "choices-2-text": "",
                "choices-3-text": "Time awake",
                "choices-3-correct": "y",
            },
            lambda q: (
                q["choices"] == ["Adenosine", "Melatonin", "Time awake"] and q["correct"] == [0, 2]
            ),
        ),
        (
            "basic",
            {"front": "What is sleep pressure?", "back": "The drive to sleep."},
            lambda q: q["back"] == "The drive to sleep.",
        ),
    ],
)
def test_add_a_question_of_every_type(client, deck, type_name, data, check):
    url = f"/instructor/decks/{deck.slug}/questions/new?type={type_name}"
    assert client.get(url).status_code == 200
    common = {
        "explanation": "Because.",
        "section": "mechanism",
        "quote": "The source.",
        "tags": "sleep  basics",
    }
    response = _post(client, url, {**data, **common})
    assert response.status_code == 303, response.text
    key = response.location.rsplit("#q-", 1)[1]
    question = drafts.find_question(drafts.working_copy(deck), key)
    assert question["type"] == type_name and check(question)
    assert question["origin"] == {"section": "mechanism", "quote": "The source."}
    assert question["tags"] == ["sleep", "basics"] and question["explanation"] == "Because."


@pytest.mark.parametrize(
    ("type_name", "data", "message"),
    [
        ("cloze", {"text": "No deletion here."}, "cloze has no deletions"),
        ("true_false", {"statement": "S"}, "Choose whether the statement is true or false."),
        ("ordering", {"prompt": "P", "steps": "one\ntwo"}, "needs 3 to 8 steps, has 2"),
        (
            "multiple_choice",
            {"prompt": "P", "choices-0-text": "A", "choices-1-text": "B"},
            "Tick the right choice",
        ),
        (
            "multiple_choice",
            {"prompt": "P", "choices-0-text": "A", "choices-0-correct": "y", "choices-1-text": "a"},
            "two choices have the same text",
        ),
        ("basic", {"front": "F", "back": ""}, "&#39;back&#39; must be non-empty text"),
    ],
)
def test_invalid_questions_are_shown_again_with_the_problem(client, deck, type_name, data, message):
    before = drafts.working_copy(deck)
    response = _post(
        client,
        f"/instructor/decks/{deck.slug}/questions/new?type={type_name}",
        {**data, "section": "other"},
    )
    assert response.status_code == 400
    assert message in response.text
    assert drafts.working_copy(deck) == before


def test_edit_forms_are_filled_with_the_question(client, deck):
    html = client.get(f"/instructor/decks/{deck.slug}/questions/signs-choice").text
    assert 'value="Progress stalls"' in html and 'value="Longer hair"' in html
    assert len(re.findall(r'<input checked id="choices-\d+-correct"', html)) == 2
    html = client.get(f"/instructor/decks/{deck.slug}/questions/mechanism-order").text
    assert "Growth hormone is released\nThe liver makes IGF-1" in html
    html = client.get(f"/instructor/decks/{deck.slug}/questions/misconception-workout").text
    assert re.search(r'value="false"[^>]*checked|checked[^>]*value="false"', html)
    html = client.get(f"/instructor/decks/{deck.slug}/questions/takeaway-liver").text
    assert "{{c1::liver}}" in html and "{{c1::term::hint}}" in html  # the syntax help
    assert client.get(f"/instructor/decks/{deck.slug}/questions/nope").status_code == 404


def test_correct_reorder_delete_preview(client, deck):
    base = f"/instructor/decks/{deck.slug}"
    response = _post(
        client,
        f"{base}/questions/misconception-workout",
        {
            "statement": "Muscle is built after the workout.",
            "answer": "true",
            "explanation": "Yes.",
            "section": "misconception",
            "quote": "q",
        },
    )
    assert response.status_code == 303
    assert (
        _post(client, f"{base}/questions/definition/move", {"direction": "up"}).status_code == 303
    )
    assert _post(client, f"{base}/questions/takeaway-liver/delete", {}).status_code == 303
    keys = [q["id"] for q in drafts.working_copy(deck)["questions"]]
    assert keys == ["misconception-workout", "mechanism-order", "definition", "signs-choice"]
    preview = client.get(f"{base}/preview").text
    assert "Muscle is built after the workout." in preview
    assert "Answer:" not in preview and "Yes." not in preview


def test_deleting_a_question_asks_first_without_script(client, deck):
    base = f"/instructor/decks/{deck.slug}"
    editor = client.get(base).text
    # The editor's Delete is a link to a question page, not a form that deletes at once.
    assert f'href="{base}/questions/definition/delete"' in editor
    assert f'action="{base}/questions/definition/delete"' not in editor
    page = client.get(f"{base}/questions/definition/delete")
    assert page.status_code == 200
    assert "Delete question 5?" in page.text and "What is IGF-1 signaling?" in page.text
    assert f'action="{base}/questions/definition/delete"' in page.text
    assert f'href="{base}#q-definition">Keep it</a>' in page.text
    assert "definition" in [q["id"] for q in drafts.working_copy(deck)["questions"]]
    assert _post(client, f"{base}/questions/definition/delete", {}).status_code == 303
    assert "definition" not in [q["id"] for q in drafts.working_copy(deck)["questions"]]
    gone = client.get(f"{base}/questions/definition/delete")
    assert gone.status_code == 303 and gone.location.endswith(base)


def test_publish_to_a_new_class_then_learners_see_it(client, auth, factory, deck, teacher):
    page = client.get(f"/instructor/decks/{deck.slug}/publish")
    assert page.status_code == 200 and "5 questions" in page.text
    response = _post(
        client,
        f"/instructor/decks/{deck.slug}/publish",
        {
            "publish-visibility": "class",
            "publish-classroom": "",
            "publish-new_class": "Bio 101",
            "publish-target_date": "2030-01-31",
        },
    )
    assert response.status_code == 303 and response.location.startswith("/classes/")
    classroom = classes.classes_owned(teacher)[0]
    assert classroom.name == "Bio 101"
    assert [(a.deck.slug, str(a.target_date)) for a in classes.assignments(classroom)] == [
        (deck.slug, "2030-01-31")
    ]
    assert deck.is_published and deck.visibility == Visibility.CLASS and deck.draft is None

    learner = factory.user()
    classes.join(learner, classroom.join_code)
    assert decks.visible_deck(learner, deck.slug) is not None
    assert decks.visible_deck(factory.user(), deck.slug) is None


def test_private_decks_cannot_be_published_to_a_class(client, deck):
    response = _post(
        client,
        f"/instructor/decks/{deck.slug}/publish",
        {"publish-visibility": "private", "publish-new_class": "Bio"},
    )
    assert response.status_code == 400
    assert "A private deck cannot be assigned to a class" in response.text
    assert not deck.is_published


def test_publish_lists_every_problem(client, teacher):
    deck = drafts.create_empty_deck(teacher, "Empty")
    response = _post(
        client, f"/instructor/decks/{deck.slug}/publish", {"publish-visibility": "public"}
    )
    assert response.status_code == 400
    assert "add at least one question first" in response.text


def test_republishing_reports_what_changed(client, deck):
    drafts.publish(deck, Visibility.PUBLIC)
    base = f"/instructor/decks/{deck.slug}"
    _post(
        client,
        f"{base}/questions/misconception-workout",
        {
            "statement": "Muscle is built during the workout.",
            "answer": "true",
            "section": "misconception",
            "quote": "q",
        },
    )
    html = client.get(base).text
    assert "unpublished changes" in html
    response = _post(
        client, f"{base}/publish", {"publish-visibility": "public"}, follow_redirects=True
    )
    assert "1 restarted" in response.text and "start the restarted questions anew" in response.text


def test_download_and_upload_the_deck_file(client, deck):
    response = client.get(f"/instructor/decks/{deck.slug}/download")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="sample-deck.yaml"'
    text = response.get_data(as_text=True)
    assert text.startswith("id: sample-deck\n")
    edited = text.replace("What is IGF-1 signaling?", "What does IGF-1 signaling do?")
    response = _post(
        client,
        f"/instructor/decks/{deck.slug}/upload",
        {"file-deck_file": (io.BytesIO(edited.encode()), "sample-deck.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    assert drafts.find_question(drafts.working_copy(deck), "definition")["front"] == (
        "What does IGF-1 signaling do?"
    )


def test_an_uploaded_deck_file_with_problems_shows_each_with_its_line(client, deck):
    broken = client.get(f"/instructor/decks/{deck.slug}/download").get_data(as_text=True)
    broken = broken.replace("type: true_false", "type: essay").replace(
        "section: signs", "section: nowhere"
    )
    response = _post(
        client,
        "/instructor/decks/upload",
        {"file-deck_file": (io.BytesIO(broken.encode()), "sample-deck.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    lines = re.findall(r"<code>(sample-deck\.yaml:\d+: [^<]+)</code>", response.text)
    assert len(lines) == 2
    assert any("unknown type &#39;essay&#39;" in line for line in lines)
    assert any("origin section &#39;nowhere&#39;" in line for line in lines)


def test_a_new_deck_from_a_deck_file(client, teacher):
    from quizapp.domain.deckfile import dump_deck_text

    text = dump_deck_text(sample_deck("from-file"))
    response = _post(
        client,
        "/instructor/decks/upload",
        {"file-deck_file": (io.BytesIO(text.encode()), "from-file.yml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303 and response.location == "/instructor/decks/from-file"
    assert drafts.get_deck("from-file").owner_id == teacher.id


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("article.pdf", b"%PDF-1.4", "is not a .txt, .md, .markdown, .html, .htm file"),
        ("article.txt", b"   \n", "is empty"),
        ("big.txt", b"x" * (2 * 1024 * 1024 + 1), "is larger than 2 MB"),
    ],
)
def test_article_uploads_are_limited_in_type_and_size(client, teacher, name, content, message):
    response = _post(
        client,
        "/instructor/decks/from-article",
        {"article-article": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert message in response.text
    assert drafts.owned_decks(teacher) == []


def test_article_needs_a_file_or_text_not_both(client, teacher):
    response = _post(client, "/instructor/decks/from-article", {})
    assert response.status_code == 400
    assert "Upload an article file or paste its text" in response.text


def test_deck_files_are_limited_in_type(client, teacher):
    response = _post(
        client,
        "/instructor/decks/upload",
        {"file-deck_file": (io.BytesIO(b"id: x"), "deck.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "is not a .yaml, .yml file" in response.text
    response = _post(
        client,
        "/instructor/decks/upload",
        {"file-deck_file": (io.BytesIO(b"id: \xff\xfe"), "deck.yaml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "is not UTF-8 text" in response.text


def test_a_request_over_the_server_limit_gets_a_clear_message(app, client, teacher):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = _post(
        client,
        "/instructor/decks/from-article",
        {"article-article": (io.BytesIO(b"x" * 5000), "a.txt")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "That upload is too large" in response.text


def test_html_typed_into_questions_is_text_everywhere(client, auth, factory, deck, teacher):
    base = f"/instructor/decks/{deck.slug}"
    _post(
        client,
        f"{base}/questions/misconception-workout",
        {
            "statement": XSS,
            "answer": "false",
            "explanation": XSS,
            "section": "misconception",
            "quote": XSS,
        },
    )
    _post(
        client,
        f"{base}/questions/signs-choice",
        {
            "prompt": XSS,
            "choices-0-text": XSS,
            "choices-0-correct": "y",
            "choices-1-text": "B",
            "section": "signs",
        },
    )
    _post(
        client,
        f"{base}/questions/takeaway-liver",
        {"text": XSS + " {{c1::" + XSS + "}}", "section": "takeaway"},
    )
    _post(client, f"{base}/details", {"details-title": XSS, "details-description": XSS})
    pages = [
        client.get(base).text,
        client.get(f"{base}/preview").text,
        client.get(f"{base}/questions/misconception-workout").text,
    ]
    drafts.publish(deck, Visibility.PUBLIC)
    auth.login(factory.user())
    from flask import g

    g.pop("_login_user", None)
    pages += [client.get(f"/decks/{deck.slug}").text, client.get("/").text]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html


SEED = Path(__file__).resolve().parents[2] / "decks" / "sources" / "igf-1-signaling.txt"


def test_an_uploaded_article_becomes_a_private_draft(client, factory, teacher):
    response = _post(
        client,
        "/instructor/decks/from-article",
        {"article-article": (io.BytesIO(SEED.read_bytes()), "igf-1-signaling.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303 and response.location == "/instructor/decks/igf-1-signaling"
    deck = drafts.get_deck("igf-1-signaling")
    mapping = drafts.working_copy(deck)
    assert mapping["source"]["file"] == "igf-1-signaling.txt"
    assert len(mapping["questions"]) >= 5
    assert not deck.is_published and deck.visibility == Visibility.PRIVATE
    html = client.get(response.location).text
    assert all(f'id="q-{q["id"]}"' in html for q in mapping["questions"])
    assert "Muscle is built during the workout." in html


def test_pasted_article_text_with_an_own_title(client, teacher):
    text = SEED.read_text(encoding="utf-8")
    response = _post(
        client,
        "/instructor/decks/from-article",
        {"article-text": text, "article-title": "My IGF-1 deck"},
    )
    assert response.status_code == 303
    assert response.location == "/instructor/decks/my-igf-1-deck"


def _as_markdown(text: str) -> str:
    """The seed article as a Markdown editor would copy it: headings marked, key terms bold."""
    headings = {
        "Plain English",
        "The Mechanism",
        "Why It Matters",
        "Common Misconception",
        "Signs It Is Disrupted",
        "How to Improve It",
    }
    lines = text.splitlines()
    out = [f"# {lines[0]}", ""]
    for line in lines[1:]:
        out += [f"## {line}" if line in headings else line, ""]
    return (
        "\n".join(out).replace("growth hormone", "**growth hormone**").replace("mTOR", "**mTOR**")
    )


def test_pasted_markdown_is_read_as_markdown_and_named_by_its_heading(client, teacher):
    response = _post(
        client,
        "/instructor/decks/from-article",
        {"article-text": _as_markdown(SEED.read_text(encoding="utf-8"))},
    )
    assert response.status_code == 303
    deck = drafts.get_deck(response.location.rsplit("/", 1)[1])
    mapping = drafts.working_copy(deck)
    assert mapping["source"]["file"] == "igf-1-signaling.md"
    assert mapping["title"] == "IGF-1 Signaling"
    assert len(mapping["questions"]) >= 5
    assert "**" not in json.dumps(mapping["questions"])  # no bold marks around blanks
    assert "Why It Matters" not in json.dumps(mapping["questions"])


def test_an_article_without_content_is_explained(client, teacher):
    response = _post(
        client,
        "/instructor/decks/from-article",
        {"article-article": (io.BytesIO(b"\x00\x01binary"), "a.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "a.txt" in response.text and "binary" in response.text


def test_the_editor_shows_linter_warnings_beside_the_question(client, deck):
    url = f"/instructor/decks/{deck.slug}/questions/new?type=true_false"
    response = _post(
        client,
        url,
        {
            "statement": "Stretching always prevents injury.",
            "answer": "false",
            "explanation": "",
            "section": "other",
        },
    )
    assert response.status_code == 303, response.text
    key = response.location.rsplit("#q-", 1)[1]
    html = client.get(f"/instructor/decks/{deck.slug}").text
    item = html[html.index(f'id="item-{key}"') :]
    item = item[: item.index('class="actions"')]
    assert "Worth a second look" in item
    assert "statement: &#39;always&#39; makes the statement easy to guess" in item
    assert "explanation: a false statement needs its correction" in item
    # the sample deck's own questions are clean: no warning beside them
    assert html.count("Worth a second look") == 1
