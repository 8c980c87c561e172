"""Studying a deck: the learner's queue, answering, rating, undo and the scheduling settings.

Every answer is graded here, on the server, and scheduled by :mod:`quizapp.domain.scheduling`.
An auto-graded answer is recorded at once (wrong: Again, right: Good); the learner may then change
a right answer's rating to Hard or Easy, which recomputes that review from the state stored with
it. A self-rated card (basic, revealed cloze) is recorded when the learner rates it.

Correctness under concurrent use:

- Idempotency: each answer carries a client-made key, unique per learner in ``reviews``; a replay
  returns the first outcome and records nothing.
- Two tabs on one card: the card's state row has a version (``version_id_col``); the page sends
  the version it showed, and an answer to a card whose state changed since gets :class:`Conflict`.
  Two answers at the same instant collide on the row (or on its unique key for a new card) and
  the loser gets :class:`Conflict` too.
- The queue query walks the ``(user_id, deck_id, due)`` index with a LIMIT: its cost follows the
  number of due cards, never the learner's history.

Days are UTC days (the new-card allowance resets at 00:00 UTC).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm.exc import StaleDataError

from quizapp.domain import scheduling
from quizapp.domain.questions import AnswerShapeError, Grade, get_type, presentation_rng
from quizapp.domain.questions.cloze import segments
from quizapp.domain.scheduling import CardSchedule, Phase, Rating, Settings
from quizapp.extensions import db
from quizapp.models import (
    Card,
    CardReveal,
    CardState,
    Deck,
    LearnerDeckSettings,
    LearnerParameters,
    Question,
    Review,
    User,
)

from . import optimize, reschedule
from .analytics import focus
from .errors import Conflict, NotFound
from .errors import Invalid as BadAnswer
from .errors import ServiceError as StudyError

#: Anki's "learn ahead limit": with nothing else to study, learning cards due this soon are shown.
LEARN_AHEAD = timedelta(minutes=20)
#: How far back "undo" reaches.
UNDO_WINDOW = timedelta(hours=24)
MAX_KEY_LENGTH = 64
MAX_ANSWER_BYTES = 10_000

ALREADY_ANSWERED = ("This card was already answered in another tab or window; this answer was "
                    "not counted. Here is the next card.")




# --- settings --------------------------------------------------------------------------------

@dataclass
class SettingsView:
    """A deck's settings as its owner set them, the learner's overrides, and what applies."""

    deck_retention: float | None
    deck_new_per_day: int | None
    own_retention: float | None
    own_new_per_day: int | None
    effective: Settings


def _own_settings(user_id: int, deck: Deck) -> LearnerDeckSettings | None:
    return db.session.get(LearnerDeckSettings, (user_id, deck.id))


def effective_settings(user_id: int, deck: Deck) -> Settings:
    """Defaults, then the owner's deck settings, then the learner's own overrides and their
    accepted fitted parameters."""
    return _effective(deck, _own_settings(user_id, deck), optimize.parameters_for(user_id))


def _effective(deck: Deck, own: LearnerDeckSettings | None,
               parameters: tuple[float, ...] | None = None) -> Settings:
    settings = scheduling.with_overrides(Settings(), desired_retention=deck.desired_retention,
                                         new_cards_per_day=deck.new_cards_per_day)
    if parameters is not None:
        settings = replace(settings, parameters=parameters)
    if own is not None:
        settings = scheduling.with_overrides(settings, desired_retention=own.desired_retention,
                                             new_cards_per_day=own.new_cards_per_day)
    return settings


def settings_view(user_id: int, deck: Deck) -> SettingsView:
    own = _own_settings(user_id, deck)
    return SettingsView(
        deck_retention=deck.desired_retention, deck_new_per_day=deck.new_cards_per_day,
        own_retention=own.desired_retention if own else None,
        own_new_per_day=own.new_cards_per_day if own else None,
        effective=effective_settings(user_id, deck),
    )


def set_deck_settings(deck: Deck, *, desired_retention: float | None,
                      new_cards_per_day: int | None) -> None:
    """Set the deck's own settings (None: Anki's default) and commit.

    The caller checks that the user may edit the deck. :class:`BadAnswer` for values out of range.
    """
    problem = scheduling.settings_problem(desired_retention, new_cards_per_day)
    if problem:
        raise BadAnswer(problem)
    deck.desired_retention = desired_retention
    deck.new_cards_per_day = new_cards_per_day
    db.session.commit()


def set_own_settings(user_id: int, deck: Deck, *, desired_retention: float | None,
                     new_cards_per_day: int | None, reschedule_cards: bool = False) -> int:
    """Set the learner's overrides for ``deck`` (None: follow the deck) and commit.

    With ``reschedule_cards``, the learner's cards in the deck are rescheduled under the new
    settings in the same transaction (:mod:`.reschedule`); returns how many were.
    """
    problem = scheduling.settings_problem(desired_retention, new_cards_per_day)
    if problem:
        raise BadAnswer(problem)
    own = _own_settings(user_id, deck)
    if desired_retention is None and new_cards_per_day is None:
        if own is not None:
            db.session.delete(own)
    else:
        if own is None:
            own = LearnerDeckSettings(user_id=user_id, deck_id=deck.id)
            db.session.add(own)
        own.desired_retention = desired_retention
        own.new_cards_per_day = new_cards_per_day
    count = 0
    if reschedule_cards:
        db.session.flush()
        count = reschedule.reschedule(user_id, [deck],
                                      lambda d: effective_settings(user_id, d))
    db.session.commit()
    return count


# --- the queue -------------------------------------------------------------------------------

def _live(query: sa.Select) -> sa.Select:
    """Restrict a query joined to ``cards`` to the cards learners still see."""
    return (query.join(Question, Question.id == Card.question_id)
            .where(Card.retired_at.is_(None), Question.retired_at.is_(None)))


def _states(user_id: int, deck_id: int) -> sa.Select:
    return _live(sa.select(CardState).join(Card, Card.id == CardState.card_id)).where(
        CardState.user_id == user_id, CardState.deck_id == deck_id)


def _states_in(user_id: int, deck_ids: list[int]) -> sa.Select:
    return _live(sa.select(CardState).join(Card, Card.id == CardState.card_id)).where(
        CardState.user_id == user_id, CardState.deck_id.in_(deck_ids))


def _new_cards_in(user_id: int, deck_ids: list[int]) -> sa.Select:
    seen = sa.select(CardState.id).where(CardState.user_id == user_id,
                                         CardState.card_id == Card.id)
    return _live(sa.select(Card)).where(Card.deck_id.in_(deck_ids), ~seen.exists())


def _new_cards(user_id: int, deck_id: int) -> sa.Select:
    seen = sa.select(CardState.id).where(CardState.user_id == user_id,
                                         CardState.card_id == Card.id)
    return _live(sa.select(Card)).where(Card.deck_id == deck_id, ~seen.exists())


def learner_day(user_id: int) -> scheduling.LearnerDay:
    """When the learner's study day begins (their time zone and hour); UTC 4 a.m. if unknown.

    The user row is usually in the session already (the signed-in user), so this reads nothing.
    """
    user = db.session.get(User, user_id)
    return user.day if user is not None else scheduling.LearnerDay()


def new_introduced_today(user_id: int, deck_id: int, now: datetime) -> int:
    """New cards the learner answered for the first time this study day (their own day, which
    starts at their hour in their time zone), undone ones excluded."""
    today = scheduling.day_start(now, learner_day(user_id))
    return db.session.scalar(
        sa.select(sa.func.count(Review.id)).where(
            Review.user_id == user_id, Review.reviewed_at >= today,
            Review.deck_id == deck_id, Review.previous_state.is_(None),
            Review.undone_at.is_(None))) or 0


@dataclass
class QueueCounts:
    """What a learner has to study in a deck now, and when more comes."""

    learning: int = 0
    review: int = 0
    new: int = 0
    #: New cards left in the deck beyond today's allowance.
    new_waiting: int = 0
    #: The earliest time a seen card becomes due (None: none is scheduled).
    next_due: datetime | None = None
    #: When the new-card allowance resets, if new cards are waiting for it.
    new_resume: datetime | None = None

    @property
    def due(self) -> int:
        return self.learning + self.review

    @property
    def total(self) -> int:
        return self.due + self.new

    @property
    def come_back_at(self) -> datetime | None:
        """When there will be something to study again (None: the deck is done for good)."""
        times = [t for t in (self.next_due, self.new_resume) if t is not None]
        return min(times) if times else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "due": self.due, "learning": self.learning, "review": self.review, "new": self.new,
            "new_waiting": self.new_waiting,
            "next_due": _iso(self.next_due), "come_back_at": _iso(self.come_back_at),
        }


def queue_counts(user_id: int, deck: Deck, now: datetime,
                 settings: Settings | None = None) -> QueueCounts:
    """What ``user_id`` has to study in ``deck`` at ``now``, and when more comes."""
    return _queue_counts(user_id, [deck], now, {deck.id: settings} if settings else None)[deck.id]


def deck_summaries(user, deck_rows: list[Deck], now: datetime) -> dict[int, QueueCounts]:
    """Queue counts for every deck in ``deck_rows`` (empty for a visitor), by deck id.

    A fixed number of grouped queries, however many decks are listed (the home page).
    """
    if user is None or not getattr(user, "is_authenticated", False) or not deck_rows:
        return {}
    return _queue_counts(user.id, deck_rows, now)


def _queue_counts(user_id: int, decks: list[Deck], now: datetime,
                  settings: dict[int, Settings] | None = None) -> dict[int, QueueCounts]:
    ids = [deck.id for deck in decks]
    if settings is None:
        own = {row.deck_id: row for row in db.session.scalars(
            sa.select(LearnerDeckSettings).where(LearnerDeckSettings.user_id == user_id,
                                                 LearnerDeckSettings.deck_id.in_(ids)))}
        settings = {deck.id: _effective(deck, own.get(deck.id)) for deck in decks}
    states = _states_in(user_id, ids)
    by_phase = db.session.execute(
        states.with_only_columns(CardState.deck_id, CardState.state,
                                 sa.func.count(CardState.id))
        # A failed (relearning) or learning card counts as soon as it is within the learn-ahead
        # limit, as in Anki: the header shows it the moment the learner fails it.
        .where(sa.or_(CardState.due <= now,
                      sa.and_(CardState.state != Phase.REVIEW,
                              CardState.due <= now + LEARN_AHEAD)))
        .group_by(CardState.deck_id, CardState.state)).all()
    next_due = dict(db.session.execute(
        states.with_only_columns(CardState.deck_id, sa.func.min(CardState.due))
        .where(CardState.due > now).group_by(CardState.deck_id)).all())
    available = dict(db.session.execute(
        _new_cards_in(user_id, ids).with_only_columns(Card.deck_id, sa.func.count(Card.id))
        .group_by(Card.deck_id)).all())
    today = scheduling.day_start(now, learner_day(user_id))
    introduced = dict(db.session.execute(
        sa.select(Review.deck_id, sa.func.count(Review.id)).where(
            Review.user_id == user_id, Review.reviewed_at >= today,
            Review.deck_id.in_(ids), Review.previous_state.is_(None),
            Review.undone_at.is_(None)).group_by(Review.deck_id)).all())

    result = {deck_id: QueueCounts() for deck_id in ids}
    for deck_id, phase, count in by_phase:
        if phase == Phase.REVIEW:
            result[deck_id].review += count
        else:
            result[deck_id].learning += count
    for deck_id, counts in result.items():
        counts.next_due = scheduling.as_utc(next_due[deck_id]) if deck_id in next_due else None
        allowance = max(0, settings[deck_id].new_cards_per_day - introduced.get(deck_id, 0))
        counts.new = min(available.get(deck_id, 0), allowance)
        counts.new_waiting = available.get(deck_id, 0) - counts.new
        if counts.new_waiting:
            counts.new_resume = scheduling.next_day_start(now, learner_day(user_id))
    return result


@dataclass
class StudyCard:
    """One card as the learner meets it: the card, its question and the learner's state."""

    card: Card
    question: Question
    state: CardState | None
    #: The learner's settings in force for the deck, when they came with the card.
    settings: Settings | None = None

    @property
    def version(self) -> int:
        return self.state.version if self.state is not None else 0

    @property
    def kind(self) -> str:
        if self.state is None:
            return "new"
        return Phase(self.state.state).name.lower()

    @property
    def schedule(self) -> CardSchedule | None:
        return schedule_of(self.state)


def schedule_of(state: CardState | None) -> CardSchedule | None:
    if state is None:
        return None
    return CardSchedule(
        phase=Phase(state.state), step=state.step, stability=state.stability,
        difficulty=state.difficulty, due=state.due, last_review=state.last_review,
        reps=state.reps, lapses=state.lapses, leech=state.leech)




def _first_state(query: sa.Select) -> StudyCard | None:
    # Ordered by due alone, so the (user_id, deck_id, due) index yields rows in order and the
    # LIMIT stops the scan at the first live card. Card and question come in the same query.
    row = db.session.execute(
        query.add_columns(Card, Question).order_by(CardState.due).limit(1)).first()
    if row is None:
        return None
    state, card, question = row
    return StudyCard(card=card, question=question, state=state)


def next_card(user_id: int, deck: Deck, now: datetime, *, prefer_card_id: int | None = None,
              settings: Settings | None = None) -> StudyCard | None:
    """The card to show next, or None when nothing is left to study now.

    Order (as Anki): due learning and relearning cards, then due reviews (earliest first), then
    new cards in deck order up to the day's allowance, then learning cards due within
    :data:`LEARN_AHEAD`. ``prefer_card_id`` (the card just undone) comes first when studyable,
    else the cards the learner chose to "study now" (services/analytics/focus.py).
    """
    if prefer_card_id is None:
        prefer_card_id = focus.next_focus_card(user_id, deck.id, now)
    if prefer_card_id is not None:
        try:
            preferred = _load(user_id, deck, prefer_card_id)
        except NotFound:
            preferred = None
        if preferred is not None and _studyable(preferred, now):
            return preferred
    base = _states(user_id, deck.id)
    found = _first_state(base.where(CardState.state != Phase.REVIEW, CardState.due <= now))
    found = found or _first_state(base.where(CardState.state == Phase.REVIEW,
                                             CardState.due <= now))
    if found is not None:
        return found
    settings = settings or effective_settings(user_id, deck)
    if new_introduced_today(user_id, deck.id, now) < settings.new_cards_per_day:
        card = db.session.scalar(_new_cards(user_id, deck.id)
                                 .order_by(Question.position, Question.id, Card.ordinal).limit(1))
        if card is not None:
            return StudyCard(card=card, question=card.question, state=None)
    return _first_state(base.where(CardState.state != Phase.REVIEW,
                                   CardState.due <= now + LEARN_AHEAD))


def _studyable(study_card: StudyCard, now: datetime, user_id: int | None = None,
               deck: Deck | None = None) -> bool:
    """New, due, or a learning card shown early because nothing else is left (learn-ahead).

    With ``user_id`` and ``deck`` the learn-ahead case is checked strictly: the card must be the
    one :func:`next_card` gives now (so a card just answered in another tab is not answerable).
    """
    state = study_card.state
    if state is None or state.due <= now:
        return True
    if state.state == Phase.REVIEW or state.due > now + LEARN_AHEAD:
        return False
    if user_id is None or deck is None:
        return True
    upcoming = next_card(user_id, deck, now)
    return upcoming is not None and upcoming.card.id == study_card.card.id


def _is_id(value: Any) -> bool:
    """A positive integer (or its digits) that fits a database id column."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return False
    text = str(value)
    return text.isascii() and text.isdigit() and len(text) <= 10 and 0 < int(text) < 2**31


def _load(user_id: int, deck: Deck, card_id: Any) -> StudyCard:
    """Card ``card_id`` of ``deck`` with the learner's state; :class:`NotFound` otherwise."""
    if not _is_id(card_id):
        raise NotFound("card_id must be the id of a card of this deck")
    # One query: the card, its question, the learner's state and the learner's deck settings.
    row = db.session.execute(
        sa.select(Card, Question, CardState, LearnerDeckSettings, LearnerParameters.parameters,
                  LearnerParameters.accepted)
        .join(Question, Question.id == Card.question_id)
        .outerjoin(CardState, sa.and_(CardState.card_id == Card.id,
                                      CardState.user_id == user_id))
        .outerjoin(LearnerDeckSettings, sa.and_(LearnerDeckSettings.deck_id == Card.deck_id,
                                                LearnerDeckSettings.user_id == user_id))
        .outerjoin(LearnerParameters, LearnerParameters.user_id == user_id)
        .where(Card.id == int(card_id))).first()
    if row is None or row[0].deck_id != deck.id:
        raise NotFound(f"There is no card {card_id} in the deck “{deck.slug}”.")
    card, question, state, own, parameters, accepted = row
    if card.retired_at is not None or question.retired_at is not None:
        raise NotFound(f"Card {card_id} was removed from the deck “{deck.slug}”.")
    fitted = tuple(parameters) if accepted and parameters else None
    return StudyCard(card=card, question=question, state=state,
                     settings=_effective(deck, own, fitted))


def get_card(user_id: int, deck: Deck, card_id: Any) -> StudyCard:
    return _load(user_id, deck, card_id)


# --- what the learner sees ---------------------------------------------------------------------

def _shuffle_rng(user_id: int, study_card: StudyCard) -> random.Random:
    # Choices are shuffled anew for every review (the version changes with each answer), under
    # the app's secret key: every other part of the seed is visible to the learner.
    return presentation_rng(current_app.config["SECRET_KEY"], "study", user_id,
                            study_card.card.id, study_card.version)


def present(user_id: int, study_card: StudyCard) -> dict[str, Any]:
    """Everything needed to show the card, and nothing that gives its answer away."""
    question, card = study_card.question, study_card.card
    qtype = get_type(question.type)
    shown = qtype.present(question.fields, card.ordinal, _shuffle_rng(user_id, study_card))
    if question.type == "cloze":
        shown["parts"] = [
            {"text": p["text"], "blank": True, "hint": p.get("hint")} if p["blank"]
            else {"text": p["text"], "blank": False}
            for p in segments(question.fields["text"], {card.ordinal})
        ]
    state = study_card.state
    return {
        "card_id": card.id,
        # The database id, not the deck file's key: keys are made of a question's key terms
        # ("takeaway-liver"), often the very answer.
        "question_id": str(question.id),
        "type": question.type,
        "label": qtype.label,
        "self_rated": qtype.self_rated,
        "can_reveal": qtype.self_rated or question.type == "cloze",
        "version": study_card.version,
        "kind": study_card.kind,
        "leech": bool(state and state.leech),
        "lapses": state.lapses if state else 0,
        "question": shown,
    }


@dataclass
class RatingOption:
    rating: Rating
    interval: timedelta
    chosen: bool = False

    @property
    def label(self) -> str:
        return self.rating.label

    @property
    def interval_text(self) -> str:
        return scheduling.format_interval(self.interval)

    def to_dict(self) -> dict[str, Any]:
        return {"rating": int(self.rating), "label": self.label, "interval": self.interval_text,
                "interval_seconds": int(self.interval.total_seconds()), "chosen": self.chosen}


#: "Count the cards due now": the default of the ``day_load`` arguments below.
_COUNT = object()


def day_load(user_id: int, card_id: int, before: CardSchedule | None, at: datetime,
             settings: Settings, ratings: tuple[Rating, ...]) -> dict[int, int] | None:
    """The learner's cards due on each day of the fuzz window of ``ratings`` (offset from the
    learner's study day containing ``at``: 0 is that day), the card itself left out: what load
    balancing weighs the fuzzed days by. None, without a query, when no rating ends in a fuzzed
    review interval (3 days or more). One GROUP BY query; a day without cards is absent.
    """
    window = scheduling.load_window(before, at, settings, ratings)
    if window is None:
        return None
    first, last = window
    start = scheduling.day_start(at, learner_day(user_id))
    # The fuzzed due is ``at`` plus whole days of 24 hours, so the offset counts 24-hour days
    # from the start of the learner's day.
    offset = (sa.cast(sa.extract("epoch", CardState.due), sa.Integer)
              - int(start.timestamp())) // 86400
    rows = db.session.execute(
        _live(sa.select(offset, sa.func.count()).select_from(CardState)
              .join(Card, Card.id == CardState.card_id))
        .where(CardState.user_id == user_id, CardState.card_id != card_id,
               CardState.due >= start + timedelta(days=first),
               CardState.due < start + timedelta(days=last + 1))
        .group_by(offset))
    return {int(day): int(count) for day, count in rows}


def _options(user_id: int, card_id: int, before: CardSchedule | None, at: datetime,
             settings: Settings, ratings: tuple[Rating, ...],
             chosen: Rating | None = None, load: Any = _COUNT) -> list[RatingOption]:
    if load is _COUNT:
        load = day_load(user_id, card_id, before, at, settings, ratings)
    intervals = scheduling.preview(before, at, settings, card_id=card_id,
                                   seed=reschedule.fuzz_seed(user_id, card_id, before),
                                   ratings=ratings, day_load=load)
    return [RatingOption(r, intervals[r], r == chosen) for r in ratings]


def _result_ratings(correct: bool | None, rating: Rating, undone: bool) -> tuple[Rating, ...]:
    """The rating buttons an answer's result shows: the ratings it may still change to."""
    return scheduling.allowed_ratings(correct) if correct and not undone else (rating,)


@dataclass
class Reveal:
    """A self-rated card turned over: the answer and the four rating buttons."""

    card_id: int
    version: int
    expected: Any
    explanation: str
    quote: str
    section: str
    full_text: str | None
    ratings: list[RatingOption]

    def to_dict(self) -> dict[str, Any]:
        return {"card_id": self.card_id, "version": self.version, "expected": self.expected,
                "explanation": self.explanation, "source_quote": self.quote,
                "source_section": self.section, "full_text": self.full_text,
                "ratings": [o.to_dict() for o in self.ratings]}


def reveal(user_id: int, deck: Deck, card_id: Any, now: datetime) -> Reveal:
    """Turn over a self-rated card (basic, or a cloze the learner chooses not to type).

    A cloze's reveal is recorded (and committed) before its answer is returned: until the card
    is answered, any answer to it counts as revealed (self-rated, Again without a rating), so
    typing the text just shown is not graded right. The answer itself is recorded with the
    learner's rating. Auto-graded types (true/false, multiple choice, ordering) cannot be
    revealed before they are answered.
    """
    study_card = _load(user_id, deck, card_id)
    question = study_card.question
    if not (get_type(question.type).self_rated or question.type == "cloze"):
        raise BadAnswer("This question is graded: answer it to see the right answer.")
    if not _studyable(study_card, now):
        raise Conflict(ALREADY_ANSWERED)
    if question.type == "cloze":
        _record_reveal(user_id, study_card, now)
    qtype = get_type(question.type)
    grade = qtype.grade(question.fields, study_card.card.ordinal,
                        {"revealed": True} if question.type == "cloze" else {})
    return Reveal(
        card_id=study_card.card.id, version=study_card.version, expected=grade.expected,
        explanation=question.explanation, quote=question.origin_quote,
        section=question.origin_section, full_text=grade.feedback.get("text"),
        ratings=_options(user_id, study_card.card.id, study_card.schedule, now,
                         effective_settings(user_id, deck), tuple(Rating)),
    )


def _record_reveal(user_id: int, study_card: StudyCard, now: datetime) -> None:
    """Note that ``study_card``'s answer was shown in its current presentation; commits."""
    row = db.session.get(CardReveal, (user_id, study_card.card.id))
    if row is not None and row.version == study_card.version:
        return
    if row is None:
        row = CardReveal(user_id=user_id, card_id=study_card.card.id)
        db.session.add(row)
    row.version, row.revealed_at = study_card.version, now
    try:
        db.session.commit()
    except (sa.exc.IntegrityError, StaleDataError):
        # The same card revealed at the same moment in another tab: that record stands.
        db.session.rollback()


def _was_revealed(user_id: int, study_card: StudyCard) -> bool:
    """True when the card's answer was shown in this presentation (since its last answer)."""
    row = db.session.get(CardReveal, (user_id, study_card.card.id))
    return row is not None and row.version == study_card.version


# --- answering -----------------------------------------------------------------------------

@dataclass
class AnswerResult:
    """The outcome of one answer, as the learner sees it after answering."""

    review_id: int
    card_id: int
    question_type: str
    correct: bool | None
    rating: Rating
    expected: Any
    given: Any
    feedback: dict[str, Any]
    explanation: str
    quote: str
    section: str
    due: datetime
    reviewed_at: datetime
    ratings: list[RatingOption]
    can_adjust: bool
    leech: bool = False
    #: A wrong auto-graded answer the learner may still claim was right ("I was right").
    can_claim_right: bool = False
    overridden: bool = False
    replayed: bool = False
    undone: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def interval_text(self) -> str:
        return scheduling.format_interval(self.due - self.reviewed_at)

    def to_dict(self) -> dict[str, Any]:
        return {
            "review_id": self.review_id, "card_id": self.card_id, "type": self.question_type,
            "correct": self.correct, "rating": int(self.rating), "rating_label": self.rating.label,
            "expected": self.expected, "given": self.given, "feedback": self.feedback,
            "explanation": self.explanation, "source_quote": self.quote,
            "source_section": self.section, "next_due": _iso(self.due),
            "interval": self.interval_text, "ratings": [o.to_dict() for o in self.ratings],
            "can_adjust": self.can_adjust, "leech": self.leech, "replayed": self.replayed,
            "undone": self.undone, "can_claim_right": self.can_claim_right,
            "overridden": self.overridden,
        }


def _check_key(key: Any) -> str:
    if not isinstance(key, str) or not key.strip():
        raise StudyError("idempotency_key is required: a fresh random string (e.g. a UUID) "
                         "per answer, reused when the same answer is sent again")
    key = key.strip()
    if len(key) > MAX_KEY_LENGTH:
        raise StudyError(f"idempotency_key is at most {MAX_KEY_LENGTH} characters")
    return key


def _review_by_key(user_id: int, key: str) -> Review | None:
    return db.session.scalar(sa.select(Review).where(Review.user_id == user_id,
                                                     Review.idempotency_key == key))


def _grade(question: Question, ordinal: int, response: Any) -> Grade:
    try:
        return get_type(question.type).grade(question.fields, ordinal, response)
    except AnswerShapeError as exc:
        raise BadAnswer(f"That answer does not fit this {get_type(question.type).label.lower()} "
                        f"question: {exc}") from None


def submit_answer(user_id: int, deck: Deck, card_id: Any, response: Any, *,
                  idempotency_key: Any, duration_ms: Any, now: datetime,
                  seen_version: int | None = None, rating: Any = None) -> AnswerResult:
    """Grade ``response`` to the card, schedule it, log the review and commit.

    ``rating``: required for self-rated answers; for a right auto-graded answer it may be Hard or
    Easy instead of Good. ``seen_version``: the card version the learner was shown (from
    :func:`present`); a card answered since gets :class:`Conflict`. A replayed
    ``idempotency_key`` returns the first outcome (``replayed`` set) and records nothing.
    """
    key = _check_key(idempotency_key)
    # A replay is found on the conflict paths below: the first answer moved the card on (so the
    # version or due check fails) or, failing that, the unique (user, key) index refuses it.
    study_card = _load(user_id, deck, card_id)
    if len(json.dumps(response, default=str)) > MAX_ANSWER_BYTES:
        raise BadAnswer("That answer is too long.")
    question, card = study_card.question, study_card.card
    if question.type == "cloze" and _was_revealed(user_id, study_card):
        # Shown the answer, the learner cannot be graded on typing it: the answer counts as
        # revealed, self-rated with their rating, or Again without one.
        response = {"revealed": True}
        if rating is None:
            rating = int(Rating.AGAIN)
    grade = _grade(question, card.ordinal, response)
    try:
        chosen = scheduling.rating_for(grade.correct, rating)
    except ValueError as exc:
        message = str(exc)
        raise BadAnswer(message[:1].upper() + message[1:] + ".") from None
    if (seen_version is not None and seen_version != study_card.version) \
            or not _studyable(study_card, now, user_id, deck):
        # The same answer, sent twice at once, may have been recorded since the check above.
        db.session.rollback()
        existing = _review_by_key(user_id, key)
        if existing is not None:
            return _replay(user_id, deck, existing, card_id)
        raise Conflict(ALREADY_ANSWERED)

    settings = study_card.settings or effective_settings(user_id, deck)
    before = study_card.schedule
    # Counted once, for the answer and the result's rating buttons alike.
    load = day_load(user_id, card.id, before, now, settings,
                    _result_ratings(grade.correct, chosen, False))
    after = scheduling.review(before, chosen, now, settings, card_id=card.id,
                              seed=reschedule.fuzz_seed(user_id, card.id, before), day_load=load)
    state = study_card.state
    if state is None:
        state = CardState(user_id=user_id, card_id=card.id, deck_id=deck.id)
        db.session.add(state)
    reschedule.apply_schedule(state, after)
    row = Review(user_id=user_id, card_id=card.id, deck_id=deck.id, rating=int(chosen),
                 reviewed_at=now, duration_ms=scheduling.clamp_duration(duration_ms),
                 correct=grade.correct, answer=response, idempotency_key=key)
    if before is not None:
        # Left unset for a new card, so the column is SQL NULL (a JSON null would not be).
        row.previous_state = before.to_dict()
    db.session.add(row)
    try:
        db.session.flush()
        # The answer ends the presentation the card may have been revealed in.
        db.session.execute(sa.delete(CardReveal).where(CardReveal.user_id == user_id,
                                                       CardReveal.card_id == card.id))
        result = _result(user_id, deck, row, study_card, grade, settings, load)
        db.session.commit()
    except (sa.exc.IntegrityError, StaleDataError):
        db.session.rollback()
        existing = _review_by_key(user_id, key)
        if existing is not None:
            return _replay(user_id, deck, existing, card_id)
        raise Conflict(ALREADY_ANSWERED) from None
    return result


def _replay(user_id: int, deck: Deck, existing: Review, card_id: Any) -> AnswerResult:
    if existing.deck_id != deck.id or str(existing.card_id) != str(card_id):
        raise Conflict("This idempotency_key was already used for another answer; send a new "
                       "key with every new answer.")
    result = review_result(user_id, deck, existing.id)
    result.replayed = True
    return result


def is_latest(review: Review) -> bool:
    """True when no later, standing review of the same card by the same learner exists."""
    later = db.session.scalar(
        sa.select(Review.id).where(Review.user_id == review.user_id,
                                   Review.card_id == review.card_id, Review.id > review.id,
                                   Review.undone_at.is_(None)).limit(1))
    return later is None


def _result(user_id: int, deck: Deck, review: Review, study_card: StudyCard, grade: Grade,
            settings: Settings, load: Any = _COUNT) -> AnswerResult:
    question = study_card.question
    before = (CardSchedule.from_dict(review.previous_state)
              if review.previous_state is not None else None)
    rating = Rating(review.rating)
    can_adjust = bool(review.correct) and review.undone_at is None
    ratings = _result_ratings(review.correct, rating, review.undone_at is not None)
    options = _options(user_id, review.card_id, before, review.reviewed_at, settings, ratings,
                       chosen=rating, load=load)
    state = study_card.state
    due = next(o.interval for o in options if o.rating == rating) + review.reviewed_at
    if state is not None and state.last_review == review.reviewed_at:
        due = state.due
    return AnswerResult(
        review_id=review.id, card_id=review.card_id, question_type=question.type,
        correct=review.correct, rating=rating, expected=grade.expected, given=grade.given,
        feedback=grade.feedback, explanation=question.explanation, quote=question.origin_quote,
        section=question.origin_section, due=due, reviewed_at=review.reviewed_at,
        ratings=options, can_adjust=can_adjust, leech=bool(state and state.leech),
        undone=review.undone_at is not None,
        can_claim_right=(review.correct is False and not review.overridden
                         and review.undone_at is None),
        overridden=bool(review.overridden),
    )


def get_review(user_id: int, deck: Deck, review_id: Any) -> Review:
    if not _is_id(review_id):
        raise NotFound("review id must be a number")
    review = db.session.get(Review, int(review_id))
    if review is None or review.user_id != user_id or review.deck_id != deck.id:
        raise NotFound(f"There is no review {review_id} of yours in the deck “{deck.slug}”.")
    return review


def review_result(user_id: int, deck: Deck, review_id: Any) -> AnswerResult:
    """The outcome of an earlier answer, rebuilt from the review log (for the result page)."""
    review = get_review(user_id, deck, review_id)
    card = db.session.get(Card, review.card_id)
    question = card.question
    state = db.session.scalar(sa.select(CardState).where(CardState.user_id == user_id,
                                                         CardState.card_id == card.id))
    study_card = StudyCard(card=card, question=question, state=state)
    try:
        grade = get_type(question.type).grade(question.fields, card.ordinal, review.answer)
    except AnswerShapeError:
        # The question changed shape since; show the current answer without per-item detail.
        grade = Grade(correct=review.correct,
                      expected=get_type(question.type).reveal(question.fields, card.ordinal))
    return _result(user_id, deck, review, study_card, grade, effective_settings(user_id, deck))


def adjust_rating(user_id: int, deck: Deck, review_id: Any, rating: Any,
                  now: datetime) -> AnswerResult:
    """Change a right auto-graded answer's rating to Hard, Good or Easy, and commit.

    The review is recomputed from the state stored with it, at its own time, so the outcome is
    what the learner would have got by choosing that rating at once. Only the card's latest
    review can change; setting the rating it already has changes nothing.
    """
    review = get_review(user_id, deck, review_id)
    if review.undone_at is not None:
        raise Conflict("That answer was undone; answer the card again instead.")
    if review.correct is not True:
        message = ("A wrong answer is rated Again." if review.correct is False
                   else "A self-rated answer keeps the rating you gave it; undo it to rate again.")
        raise BadAnswer(message)
    try:
        new_rating = Rating(int(rating))
    except (TypeError, ValueError):
        raise BadAnswer("A rating is 2 (Hard), 3 (Good) or 4 (Easy).") from None
    if new_rating not in scheduling.allowed_ratings(True):
        raise BadAnswer("A right answer is rated Hard, Good or Easy.")
    state = db.session.scalar(sa.select(CardState).where(CardState.user_id == user_id,
                                                         CardState.card_id == review.card_id))
    if state is None or state.last_review != review.reviewed_at or not is_latest(review):
        raise Conflict("This card has been answered or changed since; its rating can no longer "
                       "be changed.")
    if new_rating != review.rating:
        before = (CardSchedule.from_dict(review.previous_state)
                  if review.previous_state is not None else None)
        settings = effective_settings(user_id, deck)
        # The load as the result page counts it, so the outcome is the button's interval.
        load = day_load(user_id, review.card_id, before, review.reviewed_at, settings,
                        scheduling.allowed_ratings(True))
        after = scheduling.review(
            before, new_rating, review.reviewed_at, settings, card_id=review.card_id,
            seed=reschedule.fuzz_seed(user_id, review.card_id, before), day_load=load)
        reschedule.apply_schedule(state, after)
        review.rating = int(new_rating)
        try:
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            raise Conflict("This card was answered in another tab meanwhile; its rating was not "
                           "changed.") from None
    return review_result(user_id, deck, review.id)


@dataclass
class Undone:
    review_id: int
    card_id: int


def undo_last(user_id: int, deck: Deck, now: datetime) -> Undone:
    """Undo the learner's latest answer in ``deck`` (within :data:`UNDO_WINDOW`) and commit.

    The card gets back exactly the state it had before (a card that was new becomes new again);
    the review stays in the log, marked undone, and no longer counts.
    """
    review = db.session.scalar(
        sa.select(Review).where(Review.user_id == user_id,
                                Review.reviewed_at >= now - UNDO_WINDOW,
                                Review.deck_id == deck.id, Review.undone_at.is_(None))
        .order_by(Review.reviewed_at.desc(), Review.id.desc()).limit(1))
    if review is None:
        raise NotFound("There is no recent answer to undo in this deck.")
    state = db.session.scalar(sa.select(CardState).where(CardState.user_id == user_id,
                                                         CardState.card_id == review.card_id))
    if state is None or state.last_review != review.reviewed_at:
        raise Conflict("This card changed since that answer (it was answered again or its "
                       "question changed), so the answer cannot be undone.")
    if review.previous_state is None:
        db.session.delete(state)
    else:
        reschedule.apply_schedule(state, CardSchedule.from_dict(review.previous_state))
    review.undone_at = now
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict("This card was answered in another tab meanwhile; nothing was "
                       "undone.") from None
    return Undone(review_id=review.id, card_id=review.card_id)


def last_undoable(user_id: int, deck: Deck, now: datetime) -> int | None:
    """The id of the review "undo" would take back, if any."""
    return db.session.scalar(
        sa.select(Review.id).where(Review.user_id == user_id,
                                   Review.reviewed_at >= now - UNDO_WINDOW,
                                   Review.deck_id == deck.id, Review.undone_at.is_(None))
        .order_by(Review.reviewed_at.desc(), Review.id.desc()).limit(1))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
