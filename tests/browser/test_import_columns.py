"""The column step in a real browser (CSRF and the Content-Security-Policy on): a learner uploads
a three-column file, picks the columns in the table and gets the deck."""

from __future__ import annotations

import pytest

from quizapp.extensions import db
from quizapp.services.decks import get_deck

from .test_csp import Watcher
from .walk import sign_in as _sign_in

pytestmark = pytest.mark.browser


def test_learner_chooses_columns_in_the_browser(browser_instance, live_server, factory, tmp_path):
    factory.user(email="learner@example.com")
    words = tmp_path / "words.csv"
    words.write_text("apple,fruit,pomme\nhouse,home,maison\n", encoding="utf-8")
    context = browser_instance.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    watcher = Watcher(page)
    _sign_in(page, "learner@example.com")
    page.goto("/decks/import")
    watcher.collect()
    page.set_input_files("input[name=import-questions_file]", str(words))
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="What is in each column?").is_visible()
    page.get_by_label("Column 2").select_option("tags")
    page.get_by_label("Column 3").select_option("back")
    page.get_by_role("button", name="Import with these columns").click()
    page.wait_for_url("**/decks/words")
    watcher.collect()
    context.close()
    assert watcher.found == []
    db.session.expire_all()
    questions = list(db.session.scalars(get_deck("words").questions.select()))
    assert sorted((q.fields["front"], q.fields["back"], q.tags) for q in questions) == [
        ("apple", "pomme", ["fruit"]),
        ("house", "maison", ["home"]),
    ]
