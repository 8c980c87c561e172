"""The instructor workspace end to end in the real browser (CSRF on, as in real use).

An instructor registers and is promoted by an admin on the admin page; uploads the seed article;
corrects one generated question, deletes one and adds a multiple-choice question (with HTML typed
into it); publishes to a new class. A learner registers, joins with the code, finds the deck first
on the home page, studies it and sees the corrected question; the HTML shows as text and never
runs; every instructor page refuses the learner.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from quizapp.models import Role
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

SEED = Path(__file__).resolve().parents[2] / "decks" / "sources" / "igf-1-signaling.txt"
SLUG = "igf-1-signaling"
XSS = '<script>window.__xss = 1</script><img src="x" onerror="window.__xss = 2">'
#: The field of each type whose text a learner sees before answering.
MAIN_FIELD = {
    "basic": "front",
    "cloze": "text",
    "true_false": "statement",
    "ordering": "prompt",
    "multiple_choice": "prompt",
}
TYPE_OF_LABEL = {
    "Basic": "basic",
    "Fill in the blank": "cloze",
    "True or false": "true_false",
    "Put in order": "ordering",
    "Multiple choice": "multiple_choice",
}


def _tab(browser_instance, live_server):
    context = browser_instance.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    return context.new_page()


def _register(page, email: str) -> None:
    page.goto("/auth/register")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=confirm]", PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/auth/login**")  # registering does not sign in (finding 18)
    _sign_in(page, email)


def _sign_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def test_article_to_class_to_learner(page, factory, browser_instance, live_server):
    admin = factory.user(Role.ADMIN, email="admin@example.com")

    # The instructor registers (a learner at first) ...
    teacher = page
    _register(teacher, "teacher@example.com")
    teacher.goto("/instructor/")
    assert teacher.get_by_role("heading", name="Forbidden").is_visible()

    # ... and an admin promotes them on the admin page.
    admin_tab = _tab(browser_instance, live_server)
    _sign_in(admin_tab, admin.email)
    admin_tab.get_by_role("link", name="Admin", exact=True).click()
    row = admin_tab.locator("tr", has_text="teacher@example.com")
    row.get_by_label("Role of teacher@example.com").select_option("instructor")
    row.get_by_role("button", name="Save").click()
    assert admin_tab.get_by_text("teacher@example.com is now instructor.").is_visible()
    admin_tab.context.close()

    # Upload the seed article: a private draft, every question rendered with its source.
    teacher.goto("/")
    teacher.get_by_role("link", name="My decks").click()
    teacher.set_input_files("input[name='article-article']", str(SEED))
    # The first build in a server process loads the tagger's model (a second or two on a quiet
    # machine, much more on a loaded one): wait for the page, this is not a speed check. The
    # click itself waits for the navigation it starts, so it gets the same patience.
    teacher.get_by_role("button", name="Build draft deck").click(timeout=90_000)
    teacher.wait_for_url(f"**/instructor/decks/{SLUG}", timeout=90_000)
    items = teacher.locator(".editor-item")
    generated = items.count()
    assert generated >= 5
    assert teacher.locator("blockquote.origin").count() >= 1

    # Correct the first question: a wording fix of the text learners see first.
    first = items.nth(0)
    label = first.locator(".badge.type").inner_text()
    field = MAIN_FIELD[TYPE_OF_LABEL[label]]
    first.get_by_role("link", name="Edit").click()
    box = teacher.locator(f"[name={field}]")
    corrected = "Corrected by the instructor: " + box.input_value()
    box.fill(corrected)
    teacher.get_by_role("button", name="Save question").click()
    teacher.wait_for_url(re.compile(rf".*/instructor/decks/{SLUG}#q-.*"))
    assert teacher.get_by_text("Question saved in the draft.").is_visible()

    # Delete the second question: the editor asks first, on its own page.
    second_key = items.nth(1).get_attribute("id").removeprefix("item-")
    items.nth(1).get_by_role("link", name="Delete").click()
    teacher.wait_for_url(f"**/instructor/decks/{SLUG}/questions/{second_key}/delete")
    assert teacher.get_by_role("heading", name="Delete question 2?").is_visible()
    teacher.get_by_role("button", name="Delete question 2").click()
    teacher.wait_for_url(f"**/instructor/decks/{SLUG}")
    assert teacher.locator(f"#item-{second_key}").count() == 0
    assert teacher.locator(".editor-item").count() == generated - 1

    # Add a multiple-choice question, with HTML typed into its prompt and a choice.
    teacher.locator("p.actions").get_by_role("link", name="Multiple choice").click()
    teacher.fill("[name=prompt]", "Which hormone does the liver answer? " + XSS)
    teacher.fill("[name='choices-0-text']", "Growth hormone")
    teacher.check("[name='choices-0-correct']")
    teacher.fill("[name='choices-1-text']", "Melatonin " + XSS)
    teacher.fill("[name='choices-2-text']", "Glucagon")
    teacher.fill("[name=explanation]", "Growth hormone makes the liver release IGF-1.")
    teacher.get_by_role("button", name="Save question").click()
    teacher.wait_for_url(re.compile(rf".*/instructor/decks/{SLUG}#q-.*"))
    assert teacher.locator(".editor-item").count() == generated

    # Publish it to a new class; the class page shows the join code.
    teacher.get_by_role("link", name="Publish…").click()
    teacher.select_option("[name='publish-visibility']", "class")
    teacher.fill("[name='publish-new_class']", "Bio 101")
    teacher.get_by_role("button", name="Publish").click()
    teacher.wait_for_url(re.compile(r".*/classes/\d+$"))
    code = teacher.locator("#join-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{8}", code)

    # A learner registers, joins with the code and finds the deck first on the home page.
    learner = _tab(browser_instance, live_server)
    _register(learner, "learner@example.com")
    learner.get_by_role("link", name="Classes").click()
    learner.fill("[name='join-code']", code.lower())
    learner.get_by_role("button", name="Join class").click()
    learner.wait_for_url("**/")
    assert learner.get_by_role("heading", name="Assigned to you").is_visible()
    assert (
        learner.locator(".deck-list li")
        .first.get_by_role("link", name="IGF-1 Signaling")
        .is_visible()
    )

    # Studying, the first card is the corrected question.
    learner.goto(f"/study/{SLUG}")
    assert (
        learner.locator("article.study-card")
        .get_by_text("Corrected by the instructor:", exact=False)
        .is_visible()
    )

    # The deck page: the deletion and the new question are there; the HTML is text and never ran.
    learner.goto(f"/decks/{SLUG}")
    assert learner.locator(f"#q-{second_key}").count() == 0
    assert learner.get_by_text("Which hormone does the liver answer? " + XSS).is_visible()
    assert learner.get_by_text("Melatonin " + XSS).is_visible()
    assert learner.evaluate("window.__xss") is None
    assert learner.locator("article.question img").count() == 0

    # Every instructor page refuses the learner.
    for path in (
        "/instructor/",
        f"/instructor/decks/{SLUG}",
        f"/instructor/decks/{SLUG}/publish",
        f"/instructor/decks/{SLUG}/download",
    ):
        response = learner.request.get(path)
        assert response.status == 403, path
    response = learner.request.post(f"/instructor/decks/{SLUG}/questions/definition/delete")
    assert response.status in (400, 403)  # no CSRF token, and no role either
    learner.context.close()


def test_account_class_and_workspace_pages_fit_a_phone(page, factory, live_server):
    from quizapp.models import Visibility
    from quizapp.services import classes, drafts
    from tests.factories import sample_deck

    admin = factory.user(Role.ADMIN, email="a-very-long-address.for-the-admin@example.com")
    learner = factory.user(email="another-quite-long-learner-address@example.com")
    deck = drafts.create_from_domain(admin, sample_deck())
    drafts.publish(deck, Visibility.CLASS)
    classroom = classes.create_class(admin, "Biology 101: muscles and hormones")
    classes.join(learner, classroom.join_code)
    classes.assign(classroom, deck)
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/auth/login", "/auth/register"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0, path
    _sign_in(page, admin.email)
    for path in (
        "/",
        "/auth/password",
        "/admin/users",
        "/classes/",
        f"/classes/{classroom.id}",
        f"/classes/{classroom.id}/results",
        "/instructor/",
        f"/instructor/decks/{deck.slug}",
        f"/instructor/decks/{deck.slug}/publish",
        f"/instructor/decks/{deck.slug}/questions/signs-choice",
        f"/instructor/decks/{deck.slug}/questions/takeaway-liver",
    ):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways on a phone by {overflow}px"
