"""The statistics page in the real browser: at phone width (no sideways scroll), in dark mode,
and with the numbers behind the chart toggles."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ..factories import PASSWORD
from ..web.test_stats import seed

pytestmark = pytest.mark.browser

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def _sign_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_learner_statistics_at_phone_width(app, page, factory, scheme, tmp_path):
    app.config["QUIZAPP_NOW"] = lambda: NOW
    learner = factory.user(email="ann@example.com")
    deck = factory.deck("sample-deck")
    seed(learner, deck, reviews=4)
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": 360, "height": 740})
    _sign_in(page, "ann@example.com")
    page.get_by_role("link", name="Statistics").click()
    page.wait_for_url("**/stats/")
    assert page.get_by_role("heading", name="Your statistics").is_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the statistics page scrolls sideways by {overflow}px"
    heatmap = page.get_by_role("img", name="Reviews per day, past year")
    assert heatmap.is_visible()
    box = heatmap.bounding_box()
    assert box["width"] <= 360 and box["height"] > 30
    # Today's square is shaded differently from an empty day, in either scheme.
    fills = page.evaluate("""() => {
        const rect = t => [...document.querySelectorAll('.chart-heatmap rect')]
            .find(r => r.querySelector('title').textContent.endsWith(t));
        return [getComputedStyle(rect('2026-06-15')).fill,
                getComputedStyle(rect('2026-06-14')).fill,
                getComputedStyle(document.body).backgroundColor];
    }""")
    assert fills[0] != fills[1]
    if scheme == "dark":
        assert fills[2] == "rgb(22, 24, 28)"
    # The numbers behind the toggle.
    page.get_by_text("Days with reviews, as a table").click()
    assert page.get_by_role("cell", name="2026-06-15").first.is_visible()
    page.screenshot(path=str(tmp_path / f"stats-{scheme}.png"), full_page=True)
    # The per-deck page from the deck page.
    page.goto("/decks/sample-deck")
    page.get_by_role("link", name="Your statistics for this deck").click()
    page.wait_for_url("**/stats/decks/sample-deck")
    assert page.get_by_text("1 of 6 cards learnt").is_visible()


def test_article_by_memory_at_phone_width(app, page, factory, tmp_path):
    app.config["QUIZAPP_NOW"] = lambda: NOW
    learner = factory.user(email="ann@example.com")
    deck = factory.deck("sample-deck")
    seed(learner, deck, reviews=2)
    page.emulate_media(color_scheme="dark")
    page.set_viewport_size({"width": 360, "height": 740})
    _sign_in(page, "ann@example.com")
    page.goto("/decks/sample-deck")
    page.get_by_role("link", name="The article, by what you remember").click()
    page.wait_for_url("**/stats/decks/sample-deck/article")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the article page scrolls sideways by {overflow}px"
    sentence = page.locator("details.sentence").first
    tint = sentence.evaluate("e => getComputedStyle(e).backgroundColor")
    plain = page.locator("details.recall-untested").first.evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert tint != plain
    sentence.locator("summary").click()
    assert sentence.get_by_role("button", name="Study these now").is_visible()
    page.screenshot(path=str(tmp_path / "article.png"), full_page=True)
    sentence.get_by_role("button", name="Study these now").click()
    page.wait_for_url("**/study/sample-deck")
    assert page.get_by_text("comes first").is_visible()


def test_class_dashboard_sorts_and_drills_down(app, page, factory, tmp_path):
    from quizapp.models import Role
    from quizapp.services import classes

    app.config["QUIZAPP_NOW"] = lambda: NOW
    owner = factory.user(Role.INSTRUCTOR, email="teacher@example.com")
    deck = factory.deck("sample-deck")
    room = classes.create_class(owner, "Bio 101")
    busy, idle = factory.user(email="busy@example.com"), factory.user(email="idle@example.com")
    for person in (busy, idle):
        classes.join(person, room.join_code)
    classes.assign(room, deck)
    seed(busy, deck, reviews=3)
    page.set_viewport_size({"width": 360, "height": 740})
    _sign_in(page, "teacher@example.com")
    page.goto(f"/classes/{room.id}")
    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_url(f"**/stats/classes/{room.id}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the dashboard page scrolls sideways by {overflow}px"
    names = page.locator("table.dashboard tbody th a")
    assert names.all_inner_texts() == ["busy", "idle"]
    page.get_by_role("link", name="Learnt").click()  # most learnt first
    assert names.all_inner_texts() == ["busy", "idle"]
    page.get_by_role("link", name="Learnt").click()  # and the other way
    assert names.all_inner_texts() == ["idle", "busy"]
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    page.get_by_role("link", name="busy").click()
    assert page.get_by_role("heading", name="busy: statistics").is_visible()
    assert page.get_by_text("1 of 6 cards learnt").is_visible()
