"""Study sessions from answers, checked by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from quizapp.domain.sessions import Answer, current_session, summarise

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(minutes: float, card: int, rating: int, ms: int = 5000, section: str = "takeaway"):
    return Answer(T0 + timedelta(minutes=minutes), card, rating, ms, section)


def test_the_session_is_the_run_of_answers_without_a_long_pause():
    yesterday = at(-24 * 60, 9, 3)
    before_pause = at(0, 1, 3)  # 31 minutes before the next: another session
    session = [at(31, 2, 1), at(32, 3, 3), at(40, 2, 3), at(69, 4, 4)]
    answers = [session[2], yesterday, session[0], before_pause, session[3], session[1]]
    assert current_session(answers, T0 + timedelta(minutes=70)) == session
    assert current_session(answers, T0 + timedelta(minutes=69 + 30)) == session
    assert current_session(answers, T0 + timedelta(minutes=69 + 31)) == []
    assert current_session([], T0) == []


def test_the_summary_counts_cards_answers_recall_time_and_sections():
    session = [
        at(0, 1, 1, 4000, "mechanism"),
        at(1, 2, 3, 6000, "takeaway"),
        at(2, 1, 3, 3000, "mechanism"),
        at(3, 3, 2, 2000, "mechanism"),
    ]
    summary = summarise(session)
    assert (summary.total.answers, summary.total.cards, summary.total.recalled) == (4, 3, 3)
    assert summary.total.recalled_percent == 75
    assert summary.time_ms == 15000
    assert (summary.started_at, summary.ended_at) == (
        session[0].reviewed_at,
        session[3].reviewed_at,
    )
    assert [(s.name, s.answers, s.cards, s.recalled) for s in summary.sections] == [
        ("mechanism", 3, 2, 2),
        ("takeaway", 1, 1, 1),
    ]
    assert summarise([]) is None
