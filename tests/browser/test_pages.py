"""The home page and a deck page in the real browser, at phone width too."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_and_deck_page(page, factory):
    factory.deck("sample-deck")
    page.goto("/")
    page.get_by_role("link", name="Sample Deck").click()
    page.wait_for_url("**/decks/sample-deck")
    assert page.get_by_role("heading", name="Sample Deck").is_visible()
    assert page.locator("article.question").count() == 5
    assert page.get_by_text("True or false: Muscle is built during the workout.").is_visible()


def test_pages_fit_a_phone_screen(page, factory):
    factory.deck("sample-deck")
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/decks/sample-deck"):
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} scrolls sideways on a phone by {overflow}px"
