"""Per-learner FSRS parameters: fitted on the learner's own (real) reviews, judged, used."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from quizapp.domain import deck as domain
from quizapp.domain import optimizer
from quizapp.extensions import db
from quizapp.models import Card, CardState, LearnerParameters, Review
from quizapp.services import optimize, study
from quizapp.services.errors import Invalid

LOG = Path(__file__).resolve().parents[3] / "shared" / "data" / "fsrs-review-logs.csv"
NOW = datetime(2024, 11, 1, 12, 0, tzinfo=UTC)
CARDS = 160

pytestmark = pytest.mark.skipif(not optimizer.available(), reason="fsrs-rs-python not installed")


def _log_rows() -> list[dict[str, str]]:
    if not LOG.exists():
        pytest.skip(f"the real review log is not beside the project ({LOG})")
    with LOG.open(newline="") as f:
        return list(csv.DictReader(f))


def _deck(factory, cards: int = CARDS):
    questions = [
        domain.Question(
            f"q{n}",
            "basic",
            {"front": f"Front {n}?", "back": f"Back {n}"},
            origin=domain.Origin("definition", ""),
        )
        for n in range(cards)
    ]
    return factory.deck("big-deck", questions=questions)


def seed_real_reviews(user, deck, cards: int = CARDS) -> int:
    """The real log's busiest ``cards`` cards, as ``user``'s reviews of ``deck``'s cards."""
    rows = _log_rows()
    busiest = [card for card, _ in Counter(r["card_id"] for r in rows).most_common(cards)]
    card_ids = db.session.scalars(
        sa.select(Card.id).where(Card.deck_id == deck.id).order_by(Card.id)
    ).all()
    mapping = dict(zip(busiest, card_ids, strict=False))
    reviews = [
        {
            "user_id": user.id,
            "card_id": mapping[r["card_id"]],
            "deck_id": deck.id,
            "rating": int(r["review_rating"]),
            "reviewed_at": datetime.fromisoformat(r["review_time"]).astimezone(UTC),
            "duration_ms": 0,
        }
        for r in rows
        if r["card_id"] in mapping
    ]
    db.session.execute(sa.insert(Review), reviews)
    db.session.commit()
    return len(reviews)


def test_fewer_reviews_than_the_minimum_are_refused_with_the_count(app, factory):
    user = factory.user()
    with pytest.raises(Invalid, match="at least 1,000 reviews; you have 0"):
        optimize.optimize_learner(user.id, NOW)
    assert optimize.current(user.id) is None


def test_a_fit_on_real_reviews_is_stored_with_its_held_out_figures(app, factory):
    user = factory.user()
    count = seed_real_reviews(user, _deck(factory))
    assert count >= optimizer.MIN_REVIEWS
    row = optimize.optimize_learner(user.id, NOW)
    db.session.expire_all()
    row = db.session.get(LearnerParameters, user.id)
    assert row.review_count == count and row.scored_count > 300
    assert len(row.parameters) == 21 and row.fitted_at == NOW
    figures = (
        row.default_log_loss,
        row.fitted_log_loss,
        row.default_rmse_bins,
        row.fitted_rmse_bins,
    )
    assert all(0 < f < 1 for f in figures)
    # Accepted exactly when the fit is no worse on both held-out figures.
    assert row.accepted == (
        row.fitted_log_loss <= row.default_log_loss
        and row.fitted_rmse_bins <= row.default_rmse_bins
    )
    assert optimize.parameters_for(user.id) == (tuple(row.parameters) if row.accepted else None)


def test_accepted_parameters_schedule_the_learners_cards_and_refused_ones_do_not(app, factory):
    user, deck = factory.user(), factory.deck()
    fitted = [round(v * 1.1, 4) for v in study.Settings().parameters]
    fitted[20] = 0.2
    db.session.add(
        LearnerParameters(
            user_id=user.id, parameters=fitted, accepted=False, fitted_at=NOW, review_count=1000
        )
    )
    db.session.commit()
    card_id = study.next_card(user.id, deck, NOW).card.id
    assert study.get_card(user.id, deck, card_id).settings.parameters == study.Settings().parameters
    assert study.effective_settings(user.id, deck).parameters == study.Settings().parameters

    db.session.get(LearnerParameters, user.id).accepted = True
    db.session.commit()
    db.session.expire_all()
    assert study.get_card(user.id, deck, card_id).settings.parameters == tuple(fitted)
    assert study.effective_settings(user.id, deck).parameters == tuple(fitted)
    # Another learner keeps the defaults.
    other = factory.user()
    assert study.effective_settings(other.id, deck).parameters == study.Settings().parameters


def test_the_nightly_job_refits_only_learners_whose_reviews_grew_by_a_fifth(app, factory):
    user = factory.user()
    count = seed_real_reviews(user, _deck(factory))
    assert optimize.needs_refit(user.id)
    assert [r.email for r in optimize.optimize_all(NOW)] == [user.email]
    assert not optimize.needs_refit(user.id)
    assert optimize.optimize_all(NOW) == []
    db.session.get(LearnerParameters, user.id).review_count = int(count / 1.25)
    db.session.commit()
    assert optimize.needs_refit(user.id)


def test_cli_optimize_all_and_by_email(app, factory, runner):
    user = factory.user()
    seed_real_reviews(user, _deck(factory))
    result = runner.invoke(args=["fsrs", "optimize", "--all"])
    assert result.exit_code == 0, result.output
    assert f"{user.email}: " in result.output and "log loss" in result.output
    assert "1 learner(s) fitted" in result.output
    again = runner.invoke(args=["fsrs", "optimize", user.email, "nobody@example.com"])
    assert again.exit_code == 1
    assert "nobody@example.com: no such account" in again.output
    assert runner.invoke(args=["fsrs", "optimize"]).exit_code == 2


def test_settings_page_offers_optimize_from_1000_reviews_and_shows_before_after(
    app, client, factory, auth
):
    user = factory.user()
    deck = _deck(factory)
    auth.login(user)
    page = client.get(f"/study/{deck.slug}/settings").get_data(as_text=True)
    assert "available after 1,000 reviews" in page and "you have 0" in page
    refused = client.post(f"/study/{deck.slug}/optimize")
    assert refused.status_code == 422

    count = seed_real_reviews(user, deck)
    page = client.get(f"/study/{deck.slug}/settings").get_data(as_text=True)
    assert f"Optimize on my {count:,} reviews" in page
    response = client.post(f"/study/{deck.slug}/optimize", follow_redirects=True)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    row = optimize.current(user.id)
    assert f"{row.default_log_loss:.4f}" in page and f"{row.fitted_log_loss:.4f}" in page
    assert ("In use: your own parameters." if row.accepted else "In use: the defaults.") in page


def test_forgetting_curve_equals_the_schedulers_retrievability():
    from datetime import timedelta

    from quizapp.domain import scheduling

    settings = scheduling.Settings(enable_fuzzing=False)
    schedule = None
    for n, rating in enumerate([3, 3, 1, 3, 4]):
        schedule = scheduling.review(
            schedule,
            scheduling.Rating(rating),
            NOW + timedelta(days=3 * n),
            settings,
            card_id=1,
            seed=0,
        )
    for days in (0, 1, 5, 40):
        assert scheduling.forgetting_curve(schedule.stability, days, settings.parameters) == (
            pytest.approx(
                scheduling.retrievability(
                    schedule, schedule.last_review + timedelta(days=days, hours=1), settings
                )
            )
        )


def _study_some(user, deck, days: int = 12):
    """Recall every (basic) card of ``deck`` whenever it is due, for ``days`` days."""
    import itertools
    from datetime import timedelta

    now, keys = NOW, itertools.count()
    for _ in range(days):
        while (card := study.next_card(user.id, deck, now)) is not None:
            study.submit_answer(
                user.id,
                deck,
                card.card.id,
                None,
                idempotency_key=f"k{next(keys)}",
                duration_ms=1000,
                now=now,
                rating=3,
            )
        now += timedelta(days=1)
    return now


def _states(user):
    db.session.expire_all()
    return {
        s.card_id: (s.state, s.stability, s.difficulty, s.due, s.reps, s.lapses)
        for s in db.session.scalars(sa.select(CardState).where(CardState.user_id == user.id))
    }


def test_rescheduling_with_unchanged_settings_gives_back_the_same_states(app, factory):
    user, deck = factory.user(), _deck(factory, cards=6)
    _study_some(user, deck)
    before = _states(user)
    reviews_before = db.session.scalar(sa.select(sa.func.count()).select_from(Review))
    assert (
        study.set_own_settings(
            user.id, deck, desired_retention=None, new_cards_per_day=None, reschedule_cards=True
        )
        == 6
    )
    assert _states(user) == before
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Review)) == reviews_before


def test_a_lower_desired_retention_with_reschedule_moves_due_dates_later(app, factory):
    user, deck = factory.user(), _deck(factory, cards=6)
    _study_some(user, deck)
    before = _states(user)
    study.set_own_settings(
        user.id, deck, desired_retention=0.8, new_cards_per_day=None, reschedule_cards=True
    )
    after = _states(user)
    assert set(after) == set(before)
    assert all(after[c][3] >= before[c][3] for c in before)
    assert any(after[c][3] > before[c][3] for c in before)
    # Stability and difficulty are memory, not schedule: the same under another retention.
    assert all(after[c][1] == pytest.approx(before[c][1]) for c in before)
    # Without the option, saving settings leaves states alone.
    study.set_own_settings(user.id, deck, desired_retention=0.95, new_cards_per_day=None)
    assert _states(user) == after


def test_settings_form_reschedules_only_when_asked(app, client, factory, auth):
    user, deck = factory.user(), _deck(factory, cards=6)
    _study_some(user, deck)
    before = _states(user)
    auth.login(user)
    page = client.get(f"/study/{deck.slug}/settings").get_data(as_text=True)
    assert 'name="reschedule"' in page
    client.post(
        f"/study/{deck.slug}/settings",
        data={"scope": "own", "desired_retention": "0.8", "new_cards_per_day": ""},
    )
    assert _states(user) == before
    response = client.post(
        f"/study/{deck.slug}/settings",
        follow_redirects=True,
        data={
            "scope": "own",
            "desired_retention": "0.8",
            "new_cards_per_day": "",
            "reschedule": "1",
        },
    )
    assert "6 card(s) rescheduled" in response.get_data(as_text=True)
    assert _states(user) != before


def _forgetful_learner(cards: int, seed: int = 7) -> list[tuple[int, int, datetime]]:
    """Reviews of a learner who forgets far faster than FSRS's defaults expect.

    Outcomes are drawn from FSRS-6 itself with an eighth of the default initial stabilities and
    half their growth, so a fit on these reviews must predict them better than the defaults do.
    """
    import random
    from datetime import timedelta

    from quizapp.domain import scheduling

    truth = list(scheduling.Settings().parameters)
    truth[:4] = [w / 8 for w in truth[:4]]
    truth[8] = truth[8] / 2
    rng = random.Random(seed)
    events = []
    for card in range(cards):
        start = NOW - timedelta(days=200) + timedelta(hours=card)
        history = [(3, 0)]
        events.append((card, 3, start))
        at = start
        for gap in (2, 4, 7, 12, 20, 30, 45, 60):
            at += timedelta(days=gap + rng.random())
            stability, _ = optimizer.memory_state(history, truth)
            recalled = rng.random() < scheduling.forgetting_curve(stability, gap, truth)
            rating = 3 if recalled else 1
            history.append((rating, gap))
            events.append((card, rating, at))
    return events


def test_an_accepted_fit_can_reschedule_every_studied_card_in_the_same_step(app, factory):
    from quizapp.domain.scheduling import Settings
    from quizapp.services import reschedule

    user, deck = factory.user(), _deck(factory, cards=150)
    card_ids = db.session.scalars(
        sa.select(Card.id).where(Card.deck_id == deck.id).order_by(Card.id)
    ).all()
    events = _forgetful_learner(150)
    db.session.execute(
        sa.insert(Review),
        [
            {
                "user_id": user.id,
                "card_id": card_ids[c],
                "deck_id": deck.id,
                "rating": r,
                "reviewed_at": at,
                "duration_ms": 0,
            }
            for c, r, at in events
        ],
    )
    for card_id in card_ids:
        db.session.add(
            CardState(
                user_id=user.id,
                card_id=card_id,
                deck_id=deck.id,
                state=2,
                stability=100.0,
                difficulty=5.0,
                due=NOW,
                last_review=NOW,
                reps=1,
                lapses=0,
            )
        )
    db.session.commit()

    row = optimize.optimize_learner(user.id, NOW, reschedule_cards=True)
    assert row.accepted, row.reason
    assert row.fitted_log_loss < row.default_log_loss
    settings = Settings(parameters=tuple(row.parameters))
    db.session.expire_all()
    for card_id, state in list(
        zip(
            card_ids,
            db.session.scalars(
                sa.select(CardState).where(CardState.user_id == user.id).order_by(CardState.card_id)
            ),
            strict=True,
        )
    )[:20]:
        history = [(r, at) for c, r, at in events if card_ids[c] == card_id]
        expected = reschedule.replay(user.id, card_id, history, settings)
        assert (state.stability, state.due) == (pytest.approx(expected.stability), expected.due)


def test_settings_page_title_is_only_the_title(app, client, factory, auth):
    user, deck = factory.user(), factory.deck()
    auth.login(user)
    page = client.get(f"/study/{deck.slug}/settings").get_data(as_text=True)
    title = page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "Study settings" in title and "Optimize" not in title
