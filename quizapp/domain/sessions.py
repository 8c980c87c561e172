"""A study session and its summary, from the learner's answers (pure: no clock, no database).

A session is the run of answers in one deck that ends with the latest one, each answer less than
:data:`SESSION_GAP` after the one before; a session is current while its latest answer is less
than :data:`SESSION_GAP` old. Its summary counts answers and distinct cards, the share recalled
(every rating but Again, as FSRS and Anki count recall), the time spent answering (the recorded
answer times) and the same figures per article section.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

#: A pause longer than this ends a session (Anki's and Quizlet's sense of "one sitting").
SESSION_GAP = timedelta(minutes=30)
AGAIN = 1


@dataclass(frozen=True)
class Answer:
    """One answer (a review that was not undone), as the session needs it."""

    reviewed_at: datetime
    card_id: int
    rating: int
    duration_ms: int
    section: str = "other"


@dataclass(frozen=True)
class Tally:
    """Answers, distinct cards and answers recalled, for a session or one of its sections."""

    name: str
    answers: int
    cards: int
    recalled: int

    @property
    def recalled_percent(self) -> int:
        return round(100 * self.recalled / self.answers) if self.answers else 0


@dataclass(frozen=True)
class SessionSummary:
    total: Tally
    time_ms: int
    started_at: datetime
    ended_at: datetime
    sections: list[Tally]


def current_session(
    answers: list[Answer], now: datetime, gap: timedelta = SESSION_GAP
) -> list[Answer]:
    """The answers of the session going on at ``now``, oldest first ([] when none is)."""
    newest_first = sorted(answers, key=lambda a: a.reviewed_at, reverse=True)
    if not newest_first or now - newest_first[0].reviewed_at > gap:
        return []
    session = [newest_first[0]]
    for answer in newest_first[1:]:
        if session[-1].reviewed_at - answer.reviewed_at > gap:
            break
        session.append(answer)
    return session[::-1]


def _tally(name: str, answers: list[Answer]) -> Tally:
    return Tally(
        name=name,
        answers=len(answers),
        cards=len({a.card_id for a in answers}),
        recalled=sum(1 for a in answers if a.rating != AGAIN),
    )


def summarise(session: list[Answer]) -> SessionSummary | None:
    """The summary of a session's answers (None for no answers); sections in order of first
    appearance."""
    if not session:
        return None
    by_section: dict[str, list[Answer]] = {}
    for answer in session:
        by_section.setdefault(answer.section, []).append(answer)
    return SessionSummary(
        total=_tally("all", session),
        time_ms=sum(max(0, a.duration_ms) for a in session),
        started_at=min(a.reviewed_at for a in session),
        ended_at=max(a.reviewed_at for a in session),
        sections=[_tally(name, answers) for name, answers in by_section.items()],
    )
