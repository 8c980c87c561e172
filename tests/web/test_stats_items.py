"""The item analysis page and its CSV, for the class's instructor."""

from __future__ import annotations

import re

import sqlalchemy as sa

from quizapp.extensions import db
from quizapp.models import Card, Membership, Question, Review, Role, User

from ..services.test_analytics_items import NOW, world  # noqa: F401 (fixture)

#: A script written into the page (the site loads only its own files: <script src=...>).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)")


def test_item_analysis_page(client, auth, factory, world):  # noqa: F811
    room, deck = world
    owner = db.session.get(User, room.owner_id)
    auth.login(owner)
    dashboard = client.get(f"/stats/classes/{room.id}").get_data(as_text=True)
    assert "Item analysis: how each question performs" in dashboard
    html = client.get(f"/stats/classes/{room.id}/items").get_data(as_text=True)
    assert "Item analysis: Sample Deck" in html
    assert 'Sharper eyesight <span class="muted">× 3</span>' in html
    assert 'kidney <span class="muted">× 2</span>' in html
    assert '67% <span class="muted small">(n 6)</span>' in html  # liver's quiz facility
    assert "style=" not in html and not INLINE_SCRIPT.search(html)
    assert "Misconceptions the class still holds" in html and "no answers yet" in html
    # Reteach: liver's latest study answers are ann's right and bob's wrong (his undone one
    # aside); the signs question's only answer, cat's, is wrong.
    assert "What to reteach, by section of the article" in html
    # The misconception question has no study answers: a row of dashes, six weeks to today's.
    weeks = html[html.index('id="misconception-weeks-h"') :]
    weeks = weeks[: weeks.index("</table>")]
    assert weeks.count('<th scope="col" class="num">to ') == 6
    assert weeks.count('<td class="num"><span class="muted">–</span></td>') == 6
    assert "misconception-workout</a></th>" in weeks and "(0 of" not in weeks
    start = html.index('id="reteach-h"')
    reteach = html[start : html.index("</table>", start)]
    assert re.search(
        r'>takeaway</th>\s*<td><a href="#item-\d+">takeaway-liver</a></td>\s*'
        r'<td class="num">50% <span class="muted small">\(1 of n 2\)</span>',
        reteach,
    )
    assert re.search(
        r'>signs</th>\s*<td><a href="#item-\d+">signs-choice</a></td>\s*'
        r'<td class="num">100% <span class="muted small">\(1 of n 1\)</span>',
        reteach,
    )
    # Flagged questions link to the draft editor only for someone who may edit the deck.
    assert "Edit this question in the draft" not in html
    deck.owner_id = owner.id
    db.session.commit()
    csv_response = client.get(f"/stats/classes/{room.id}/items.csv")
    assert csv_response.mimetype == "text/csv"
    assert csv_response.get_data(as_text=True).splitlines()[0].startswith("question_key,type")
    auth.login(factory.user(Role.INSTRUCTOR))
    assert client.get(f"/stats/classes/{room.id}/items").status_code == 404


def test_edit_links_for_flagged_questions(client, auth, world):  # noqa: F811
    room, deck = world
    owner = db.session.get(User, room.owner_id)
    auth.login(owner)
    html = client.get(f"/stats/classes/{room.id}/items").get_data(as_text=True)
    assert "badge flag" not in html  # nothing at the limits yet
    # Five right study answers to the definition: too easy.
    card = db.session.scalar(
        sa.select(Card)
        .join(Question)
        .where(Question.deck_id == deck.id, Question.key == "definition")
    )
    learner = db.session.scalar(
        sa.select(Membership.user_id).where(Membership.classroom_id == room.id).limit(1)
    )
    for _ in range(5):
        db.session.add(
            Review(
                user_id=learner,
                card_id=card.id,
                deck_id=deck.id,
                rating=3,
                reviewed_at=NOW,
                correct=True,
            )
        )
    db.session.commit()
    html = client.get(f"/stats/classes/{room.id}/items").get_data(as_text=True)
    assert '<span class="badge flag">too easy</span>' in html
    assert "Edit this question in the draft" not in html  # the deck is not theirs
    deck.owner_id = owner.id
    db.session.commit()
    html = client.get(f"/stats/classes/{room.id}/items").get_data(as_text=True)
    assert 'href="/instructor/decks/sample-deck/questions/definition"' in html
