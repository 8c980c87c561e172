"""Quiz attempts in the database: starting, saving answers, submitting, results and history, and
the quiz settings and results of class assignments.

Every function takes plain arguments (the user, ids, ``now``) and owns its transaction. The rules
themselves (drawing, grading, scoring, time) are :mod:`quizapp.domain.quiz`'s.

Errors are :class:`QuizServiceError` subclasses carrying an HTTP status and a message written for
the learner, so the web pages and the JSON API answer the same 4xx for the same mistake.
Quiz answers are kept in ``quiz_attempts`` only: they never touch card states (FSRS schedules);
see docs/quizzes.md for why.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.exc import StaleDataError

from quizapp.domain import quiz as rules
from quizapp.domain.numbers import parse_count
from quizapp.domain.questions import AnswerShapeError
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Card,
    Classroom,
    Deck,
    Membership,
    Question,
    QuizAttempt,
    Review,
    User,
)

from . import classes as class_service
from . import decks as deck_service
from .errors import Conflict, Forbidden, Invalid, NotFound
from .errors import ServiceError as QuizServiceError

#: No answer is longer than this (as JSON): a typed answer is a word or a sentence.
MAX_ANSWER_CHARS = 2000
#: Lists need neither the items nor the answers (read lazily if an attempt must be closed).
_LIGHT = (sa.orm.defer(QuizAttempt.items), sa.orm.defer(QuizAttempt.answers))
#: Tries at a write that lost a race with another write of the same attempt (version check).
_WRITE_TRIES = 3


class TimeUp(Conflict):
    """The answers came after the deadline: the attempt was scored as it stood."""

    def __init__(self, message: str, attempt: QuizAttempt):
        super().__init__(message)
        self.attempt = attempt


# --- views --------------------------------------------------------------------------------------

@dataclass
class ItemView:
    """One item as the learner sees it, with the answer saved so far (None: unanswered)."""

    index: int
    kind: str
    label: str
    shown: dict[str, Any]
    answer: Any = None

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def answered(self) -> bool:
        return not rules.is_blank(self.answer)


@dataclass
class AttemptView:
    attempt: QuizAttempt
    items: list[ItemView]
    deck_titles: list[str]

    @property
    def answered_count(self) -> int:
        return sum(1 for item in self.items if item.answered)

    @property
    def unanswered(self) -> list[ItemView]:
        return [item for item in self.items if not item.answered]

    def seconds_left(self, now: datetime) -> int:
        return max(0, int((self.attempt.expires_at - now).total_seconds()))


@dataclass
class Submitted:
    """The outcome of a submission; ``already`` when an earlier one had scored the attempt."""

    attempt: QuizAttempt
    already: bool = False


@dataclass
class HistoryGroup:
    """A learner's attempts on one deck (or one set of decks), newest first."""

    deck_ids: tuple[int, ...]
    titles: list[str]
    attempts: list[QuizAttempt] = field(default_factory=list)

    @property
    def finished(self) -> list[QuizAttempt]:
        return [a for a in self.attempts if a.submitted_at is not None]

    @property
    def best(self) -> int | None:
        scores = [percent(a) for a in self.finished]
        return max((s for s in scores if s is not None), default=None)

    @property
    def latest(self) -> int | None:
        finished = self.finished
        return percent(finished[0]) if finished else None


@dataclass
class AssignmentQuiz:
    """An assigned quiz as one learner sees it."""

    assignment: Assignment
    classroom: Classroom
    deck: Deck
    attempts: list[QuizAttempt]
    open_attempt: QuizAttempt | None
    refusal: str | None  # why a new attempt cannot start now; None: it can

    @property
    def attempts_used(self) -> int:
        return len(self.attempts)


@dataclass
class MemberResults:
    user: User
    attempts: list[QuizAttempt]

    @property
    def best(self) -> int | None:
        return max((p for a in self.attempts if (p := percent(a)) is not None), default=None)

    @property
    def latest(self) -> int | None:
        done = [a for a in self.attempts if a.submitted_at is not None]
        return percent(done[0]) if done else None


def percent(attempt: QuizAttempt) -> int | None:
    return rules.percent(attempt.score, attempt.max_score)


def time_taken_s(attempt: QuizAttempt) -> float | None:
    if attempt.submitted_at is None:
        return None
    return (attempt.submitted_at - attempt.started_at).total_seconds()


def ended_message(attempt: QuizAttempt) -> str | None:
    """Why the attempt ended without the learner submitting it, or None when they submitted."""
    reason = (attempt.settings or {}).get("ended")
    return rules.end_message(reason, attempt.expires_at) if reason else None


# --- starting -----------------------------------------------------------------------------------

def start_quiz(
    user: User,
    deck_slugs: Iterable[str],
    options: rules.QuizOptions,
    *,
    now: datetime,
    rng: random.Random | None = None,
) -> QuizAttempt:
    """Draw a new quiz on the decks ``deck_slugs`` (each visible to ``user``) and save it."""
    slugs = list(dict.fromkeys(s for s in deck_slugs if s))
    if not slugs:
        raise Invalid("Choose at least one deck to quiz on.")
    found = []
    for slug in slugs:
        deck = deck_service.visible_deck(user, slug)
        if deck is None:
            raise NotFound(f"There is no deck called “{slug}”, or it is not shared with you.")
        found.append(deck)
    return _create(user, [d.id for d in found], options, now=now, rng=rng or random.Random())


def require_visible(user: User, deck_ids: Iterable[int]) -> None:
    """:class:`NotFound` unless ``user`` may see every deck of ``deck_ids`` (decks since deleted
    are skipped: nothing of them is left to show).

    Every path to a quiz's questions and answers asks this: decks chosen by name, an assignment,
    a retake and an attempt still open, so a deck made private is closed on all of them at once.
    """
    for deck_id in deck_ids:
        deck = db.session.get(Deck, deck_id)
        if deck is not None and not deck_service.can_see(user, deck):
            raise NotFound("There is no such deck, or it is not shared with you (any more).")


def _create(
    user: User,
    deck_ids: list[int],
    options: rules.QuizOptions,
    *,
    now: datetime,
    rng: random.Random,
    assignment: Assignment | None = None,
) -> QuizAttempt:
    require_visible(user, deck_ids)
    candidates = _candidates(deck_ids, options.types)
    if options.only_missed:
        missed = _missed(user.id, deck_ids, {c.card_id for c in candidates})
        candidates = [c for c in candidates if c.card_id in missed]
        if not candidates:
            raise Invalid("You have not got any question of the chosen types wrong yet: "
                          "there is nothing to retry. Start a quiz on all questions instead.")
    if not candidates:
        raise Invalid("There are no questions of the chosen types to quiz on.")
    items = rules.draw_items(candidates, options.count, rng, basic_backs=_basic_backs(deck_ids))
    closes_at = assignment.quiz_closes_at if assignment else None
    attempt = QuizAttempt(
        user_id=user.id, assignment_id=assignment.id if assignment else None,
        deck_ids=deck_ids, settings=options.to_settings(), items=items, answers={},
        started_at=now, max_score=len(items),
        expires_at=rules.deadline(now, time_limit_s=options.time_limit_s, closes_at=closes_at),
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt


def retake_missed(
    user: User, attempt_id: int, *, now: datetime, rng: random.Random | None = None,
) -> QuizAttempt:
    """A new practice quiz of the items ``attempt`` got wrong, reshuffled, without time limit."""
    rng = rng or random.Random()
    source = _own_attempt(user, attempt_id, now)
    if source.submitted_at is None:
        raise Conflict("Submit this quiz first; then you can retake the questions you missed.")
    require_visible(user, source.deck_ids)
    missed = [r["index"] for r in source.results or [] if not r["correct"]]
    if not missed:
        raise Conflict("You got every question right: there is nothing to retake.")
    items = []
    for index in missed:
        item = dict(source.items[index])
        item["seed"] = rng.getrandbits(31)
        items.append(item)
    rng.shuffle(items)
    settings = rules.QuizOptions(count=len(items), layout=source.settings.get("layout", "paged"))
    attempt = QuizAttempt(
        user_id=user.id, deck_ids=list(source.deck_ids),
        settings={**settings.to_settings(), "retake_of": source.id}, items=items, answers={},
        started_at=now, max_score=len(items),
        expires_at=rules.deadline(now, time_limit_s=None),
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt


def _candidates(deck_ids: list[int], types: Iterable[str]) -> list[rules.Candidate]:
    rows = db.session.execute(
        sa.select(Card.id, Card.question_id, Question.type, Card.ordinal)
        .join(Question, Question.id == Card.question_id)
        .where(Card.deck_id.in_(deck_ids), Card.retired_at.is_(None),
               Question.retired_at.is_(None), Question.type.in_(list(types)))
    )
    return [rules.Candidate(card_id, question_id, type_, ordinal)
            for card_id, question_id, type_, ordinal in rows]


def _basic_backs(deck_ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        sa.select(Question.id, Question.fields)
        .where(Question.deck_id.in_(deck_ids), Question.type == "basic",
               Question.retired_at.is_(None))
    )
    return {qid: fields["back"] for qid, fields in rows}


def _missed(user_id: int, deck_ids: list[int], card_ids: set[int]) -> set[int]:
    """The cards whose latest graded answer, in study or in a quiz, was wrong."""
    latest = (
        sa.select(Review.card_id, sa.func.max(Review.reviewed_at).label("at"))
        .where(Review.user_id == user_id, Review.deck_id.in_(deck_ids),
               Review.undone_at.is_(None))
        .group_by(Review.card_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Review.card_id, Review.reviewed_at, Review.correct, Review.rating)
        .join(latest, sa.and_(Review.card_id == latest.c.card_id,
                              Review.reviewed_at == latest.c.at))
        .where(Review.user_id == user_id, Review.undone_at.is_(None))
    )
    # Self-rated reviews have no ``correct``: Again (1) is the learner saying they missed it.
    events = [(card_id, at, correct if correct is not None else rating > 1)
              for card_id, at, correct, rating in rows]
    for attempt in _attempts_on(user_id, deck_ids):
        if attempt.submitted_at is None:
            continue
        events += [(r["card_id"], attempt.submitted_at, bool(r["correct"]))
                   for r in attempt.results or [] if r.get("answered")]
    return rules.missed_cards(e for e in events if e[0] in card_ids)


def _attempts_on(user_id: int, deck_ids: Iterable[int]) -> list[QuizAttempt]:
    """The user's attempts touching any of ``deck_ids``, newest first (filtered in Python: one
    learner's attempts are few, and deck_ids is a JSON list)."""
    wanted = set(deck_ids)
    return [a for a in db.session.scalars(
        sa.select(QuizAttempt).where(QuizAttempt.user_id == user_id)
        .options(*_LIGHT)
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc()))
        if wanted & set(a.deck_ids)]



# --- taking -------------------------------------------------------------------------------------

def get_attempt(user: User, attempt_id: int, *, now: datetime) -> QuizAttempt:
    """``user``'s own attempt; one that ran out is scored (as it stood) on the way.

    An attempt still open on a deck that is hidden from ``user`` since is not found: it could
    still be submitted for the answers. A submitted one stays readable (the learner's record).
    """
    attempt = _own_attempt(user, attempt_id, now)
    if attempt.submitted_at is None:
        require_visible(user, attempt.deck_ids)
    return attempt


def _own_attempt(user: User, attempt_id: int, now: datetime) -> QuizAttempt:
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound(f"There is no quiz attempt {attempt_id} of yours.")
    _close_if_ran_out(attempt, now)
    return attempt


def _close_if_ran_out(attempt: QuizAttempt, now: datetime) -> bool:
    """Score an unsubmitted attempt past its deadline with the answers saved; True if it did."""
    if attempt.submitted_at is not None or rules.accepts_answers(attempt.expires_at, now):
        return False
    closes_at = None
    if attempt.assignment_id is not None:
        assignment = db.session.get(Assignment, attempt.assignment_id)
        closes_at = assignment.quiz_closes_at if assignment else None
    reason = rules.end_reason(attempt.expires_at,
                              time_limit_s=attempt.settings.get("time_limit_s"),
                              closes_at=closes_at)
    _score(attempt, attempt.expires_at, ended=reason)
    try:
        db.session.commit()
    except StaleDataError:
        # Someone else closed or submitted it meanwhile: theirs stands.
        db.session.rollback()
        db.session.refresh(attempt)
    return True


def _score(attempt: QuizAttempt, at: datetime, *, ended: str | None = None) -> None:
    questions, backs = _questions_of(attempt)
    scored = rules.score_attempt(attempt.items, questions, attempt.answers or {}, backs)
    attempt.score, attempt.max_score, attempt.results = (
        scored.score, scored.max_score, scored.results)
    attempt.submitted_at = at
    if ended:
        attempt.settings = {**attempt.settings, "ended": ended}


_REMOVED = {"front": "(This question was removed from its deck.)", "back": ""}


def _questions_of(attempt: QuizAttempt) -> tuple[dict[int, rules.QuestionData], dict[int, str]]:
    """The attempt's questions (and the backs its basic choices borrow), as plain data."""
    ids = {item["question_id"] for item in attempt.items}
    distractor_ids = {q for item in attempt.items for q in item.get("distractors", [])}
    rows = {q.id: q for q in db.session.scalars(
        sa.select(Question).where(Question.id.in_(ids | distractor_ids)))}
    questions = {}
    for qid in ids:
        row = rows.get(qid)
        questions[qid] = (
            rules.QuestionData(row.id, row.type, dict(row.fields), row.explanation,
                               row.origin_section, row.origin_quote)
            if row is not None else rules.QuestionData(qid, "basic", _REMOVED))
    backs = {qid: rows[qid].fields["back"] for qid in distractor_ids
             if qid in rows and rows[qid].type == "basic"}
    return questions, backs


def attempt_view(attempt: QuizAttempt) -> AttemptView:
    """Every item as presented (the same shuffle as always), with the answers saved so far."""
    questions, backs = _questions_of(attempt)
    items = []
    for index, item in enumerate(attempt.items):
        distractors = [backs[q] for q in item.get("distractors", []) if q in backs]
        shown = rules.present_item(item, questions[item["question_id"]], distractors)
        items.append(ItemView(index, shown["kind"], shown["label"], shown["shown"],
                              (attempt.answers or {}).get(str(index))))
    return AttemptView(attempt, items, _deck_titles(attempt.deck_ids))


def deck_titles(attempt: QuizAttempt) -> list[str]:
    """The titles of the decks the attempt drew from, in order."""
    return _deck_titles(attempt.deck_ids)


def attempt_decks(attempt: QuizAttempt) -> list[Deck]:
    """The decks the attempt drew from that still exist, in order."""
    rows = {d.id: d for d in db.session.scalars(
        sa.select(Deck).where(Deck.id.in_(attempt.deck_ids)))}
    return [rows[i] for i in attempt.deck_ids if i in rows]


def attempt_learner(attempt: QuizAttempt) -> User | None:
    return db.session.get(User, attempt.user_id)


def _deck_titles(deck_ids: Iterable[int]) -> list[str]:
    ids = list(deck_ids)
    titles = dict(db.session.execute(sa.select(Deck.id, Deck.title).where(Deck.id.in_(ids))).all())
    return [titles.get(i, "(a deleted deck)") for i in ids]


def _checked_answers(attempt: QuizAttempt, answers: Mapping[Any, Any]) -> dict[str, Any]:
    """``answers`` merged into the saved ones, each checked against its item; blank removes."""
    if not isinstance(answers, Mapping):
        raise Invalid('Answers are an object: {"0": answer, "1": answer, ...} by question index.')
    questions, backs = _questions_of(attempt)
    merged = dict(attempt.answers or {})
    count = len(attempt.items)
    for key, response in answers.items():
        index = _index(key, count)
        if rules.is_blank(response):
            merged.pop(str(index), None)
            continue
        if len(json.dumps(response, default=str)) > MAX_ANSWER_CHARS:
            raise Invalid(f"Question {index + 1}: this answer is too long "
                          f"(at most {MAX_ANSWER_CHARS} characters).")
        item = attempt.items[index]
        distractors = [backs[q] for q in item.get("distractors", []) if q in backs]
        try:
            rules.grade_item(item, questions[item["question_id"]], response, distractors)
        except AnswerShapeError as exc:
            raise Invalid(f"Question {index + 1}: {exc}.") from None
        merged[str(index)] = response
    return merged


def _index(key: Any, count: int) -> int:
    text = str(key)[:20]
    index = None if isinstance(key, bool) else parse_count(
        key if isinstance(key, str) else str(key) if isinstance(key, int) else None,
        most=count - 1)
    if index is None:
        raise Invalid(f"There is no question {text!r} in this quiz: questions are numbered "
                      f"0 to {count - 1}.")
    return index


def save_answers(
    user: User, attempt_id: int, answers: Mapping[Any, Any], *, now: datetime,
) -> QuizAttempt:
    """Keep the learner's answers so far (a reload or another device resumes with them)."""
    for _ in range(_WRITE_TRIES):
        try:
            attempt = _writable(user, attempt_id, now)
            attempt.answers = _checked_answers(attempt, answers)
            db.session.commit()
            return attempt
        except StaleDataError:
            # Another request wrote this attempt first (autoflush or commit): look again.
            db.session.rollback()
    raise Conflict("This quiz is being changed in another tab; reload the page and try again.")


def _writable(user: User, attempt_id: int, now: datetime) -> QuizAttempt:
    attempt = get_attempt(user, attempt_id, now=now)
    if attempt.submitted_at is not None:
        message = ended_message(attempt)
        if message:
            raise TimeUp(message, attempt)
        raise Conflict("This quiz was already submitted; its answers can no longer change.")
    return attempt


def submit(
    user: User, attempt_id: int, answers: Mapping[Any, Any] | None = None, *, now: datetime,
) -> Submitted:
    """Score the attempt once, with ``answers`` merged into the saved ones.

    A second submission changes nothing and says so (``already``). After the deadline the
    attempt is scored with the answers saved before it and :class:`TimeUp` is raised.
    """
    for _ in range(_WRITE_TRIES):
        try:
            attempt = get_attempt(user, attempt_id, now=now)
            if attempt.submitted_at is not None:
                message = ended_message(attempt)
                if message and not _was_submitted_by_learner(attempt):
                    raise TimeUp(message, attempt)
                return Submitted(attempt, already=True)
            if answers:
                attempt.answers = _checked_answers(attempt, answers)
            _score(attempt, now)
            db.session.commit()
            return Submitted(attempt)
        except StaleDataError:
            # Another request (a second click, an autosave) wrote first: look again.
            db.session.rollback()
    raise Conflict("This quiz is being changed in another tab; reload the page and try again.")


def _was_submitted_by_learner(attempt: QuizAttempt) -> bool:
    return "ended" not in (attempt.settings or {})


# --- history ------------------------------------------------------------------------------------

def history(user: User, *, now: datetime, deck_slug: str | None = None) -> list[HistoryGroup]:
    """``user``'s attempts grouped by deck (or set of decks), most recent group first."""
    query = (sa.select(QuizAttempt).where(QuizAttempt.user_id == user.id)
             .options(*_LIGHT, sa.orm.defer(QuizAttempt.results))
             .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc()))
    attempts = list(db.session.scalars(query))
    if deck_slug is not None:
        deck = deck_service.get_deck(deck_slug)
        attempts = [a for a in attempts if deck is not None and deck.id in a.deck_ids]
    for attempt in attempts:
        _close_if_ran_out(attempt, now)
    groups: dict[tuple[int, ...], HistoryGroup] = {}
    for attempt in attempts:
        key = tuple(sorted(attempt.deck_ids))
        if key not in groups:
            groups[key] = HistoryGroup(key, _deck_titles(key))
        groups[key].attempts.append(attempt)
    return list(groups.values())


def unfinished(user: User, *, now: datetime) -> list[tuple[QuizAttempt, list[str]]]:
    """Attempts ``user`` can still resume, newest first, each with its decks' titles."""
    attempts = list(db.session.scalars(
        sa.select(QuizAttempt)
        .where(QuizAttempt.user_id == user.id, QuizAttempt.submitted_at.is_(None))
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())))
    return [(a, _deck_titles(a.deck_ids)) for a in attempts if not _close_if_ran_out(a, now)]


def item_outcomes(deck_id: int) -> list[dict[str, Any]]:
    """Every graded quiz answer on ``deck_id``'s cards, for statistics.

    One dict per answered item: user_id, attempt_id, card_id, question_id, correct, at.
    Reads every submitted attempt (deck_ids is JSON): fine for reports, not for a hot path.
    """
    deck_cards = set(db.session.scalars(sa.select(Card.id).where(Card.deck_id == deck_id)))
    out = []
    for attempt in db.session.scalars(
            sa.select(QuizAttempt).where(QuizAttempt.submitted_at.is_not(None))):
        if deck_id not in attempt.deck_ids:
            continue
        out += [{"user_id": attempt.user_id, "attempt_id": attempt.id, "card_id": r["card_id"],
                 "question_id": r["question_id"], "correct": bool(r["correct"]),
                 "at": attempt.submitted_at}
                for r in attempt.results or [] if r.get("answered") and r["card_id"] in deck_cards]
    return out


# --- class assignments --------------------------------------------------------------------------

def _no_assignment(assignment_id: int) -> NotFound:
    """The one answer for an assignment that does not exist and one that is not the user's:
    the same status and words, so assignment ids cannot be probed."""
    return NotFound(f"There is no assignment {assignment_id} in your classes.")


def _assignment(assignment_id: int) -> tuple[Assignment, Classroom, Deck]:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        raise _no_assignment(assignment_id)
    deck = db.session.get(Deck, assignment.deck_id)
    return assignment, assignment.classroom, deck


def can_manage(user: User, classroom: Classroom) -> bool:
    """The class's instructor or an admin (the classes service decides, for every area)."""
    return class_service.can_manage(user, classroom)


def _is_member(user: User, classroom: Classroom) -> bool:
    return class_service.is_member(user, classroom)


def has_quiz(assignment: Assignment) -> bool:
    return assignment.quiz_question_count is not None


def assignment_quiz(user: User, assignment_id: int, *, now: datetime) -> AssignmentQuiz:
    """The assigned quiz as ``user`` (a member of the class, or its owner) sees it."""
    assignment, classroom, deck = _assignment(assignment_id)
    manager = can_manage(user, classroom)
    if not (manager or _is_member(user, classroom)):
        raise _no_assignment(assignment_id)
    if not manager and not deck_service.can_see(user, deck):
        # The deck was made private (or class-only elsewhere) since it was assigned.
        raise _no_assignment(assignment_id)
    if not has_quiz(assignment):
        raise NotFound("This assignment has no quiz.")
    attempts = list(db.session.scalars(
        sa.select(QuizAttempt)
        .where(QuizAttempt.user_id == user.id, QuizAttempt.assignment_id == assignment.id)
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())))
    open_attempt = None
    for attempt in attempts:
        if not _close_if_ran_out(attempt, now) and attempt.submitted_at is None:
            open_attempt = attempt
    refusal = None
    if open_attempt is None:
        try:
            _gate(user, assignment, classroom, len(attempts), now)
        except QuizServiceError as exc:
            refusal = exc.message
    return AssignmentQuiz(assignment, classroom, deck, attempts, open_attempt, refusal)


def assigned_quizzes(user: User) -> list[tuple[Assignment, Classroom, Deck]]:
    """The assignments with a quiz in the classes ``user`` is a member of, newest first."""
    rows = db.session.execute(
        sa.select(Assignment, Classroom, Deck)
        .join(Classroom, Classroom.id == Assignment.classroom_id)
        .join(Membership, Membership.classroom_id == Classroom.id)
        .join(Deck, Deck.id == Assignment.deck_id)
        .where(Membership.user_id == user.id, Assignment.quiz_question_count.is_not(None),
               deck_service.reachable_through_class(Classroom.owner_id))
        .order_by(Assignment.created_at.desc(), Assignment.id.desc()))
    return [tuple(row) for row in rows]


def class_quizzes(
    user: User, class_id: int,
) -> tuple[Classroom, bool, list[tuple[Assignment, Deck]]]:
    """A class's assignments with their decks, for its instructor (``manage``) or a member."""
    classroom = db.session.get(Classroom, class_id)
    if classroom is None or not (can_manage(user, classroom) or _is_member(user, classroom)):
        raise NotFound(f"There is no class {class_id} of yours.")
    manage = can_manage(user, classroom)
    query = (sa.select(Assignment, Deck).join(Deck, Deck.id == Assignment.deck_id)
             .where(Assignment.classroom_id == classroom.id).order_by(Deck.title, Assignment.id))
    if not manage:
        # Members see only the decks the class still opens to them (docs/security.md, 3 and 14).
        query = query.where(deck_service.reachable_through_class(classroom.owner_id))
    return classroom, manage, [tuple(row) for row in db.session.execute(query)]


def _gate(user: User, assignment: Assignment, classroom: Classroom, used: int,
          now: datetime) -> None:
    if not _is_member(user, classroom):
        raise Forbidden("Only members of the class take its quizzes; try the deck's own quiz.")
    try:
        rules.assignment_gate(now, opens_at=assignment.quiz_opens_at,
                              closes_at=assignment.quiz_closes_at,
                              max_attempts=assignment.quiz_max_attempts, attempts_used=used)
    except rules.QuizError as exc:
        raise Conflict(str(exc)) from None


def start_assignment_quiz(
    user: User, assignment_id: int, *, now: datetime, rng: random.Random | None = None,
) -> QuizAttempt:
    """Start (or resume: one open attempt at a time) the quiz of an assignment."""
    view = assignment_quiz(user, assignment_id, now=now)
    if view.open_attempt is not None:
        return view.open_attempt
    a = view.assignment
    _gate(user, a, view.classroom, view.attempts_used, now)
    options = rules.QuizOptions(count=a.quiz_question_count or rules.DEFAULT_QUESTIONS,
                                time_limit_s=a.quiz_time_limit_s)
    return _create(user, [a.deck_id], options, now=now, rng=rng or random.Random(),
                   assignment=a)


def managed_assignment(user: User, assignment_id: int) -> tuple[Assignment, Classroom, Deck]:
    """The assignment, its class and deck, if ``user`` owns the class (or is an admin)."""
    assignment, classroom, deck = _assignment(assignment_id)
    if not can_manage(user, classroom):
        raise _no_assignment(assignment_id)
    return assignment, classroom, deck


def set_assignment_quiz(
    user: User,
    assignment_id: int,
    *,
    question_count: int | None,
    time_limit_s: int | None = None,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    max_attempts: int | None = None,
) -> Assignment:
    """Attach (or with ``question_count=None`` remove) the quiz of an assignment."""
    assignment, _, _ = managed_assignment(user, assignment_id)
    if question_count is None:
        time_limit_s = opens_at = closes_at = max_attempts = None
    else:
        try:
            rules.make_options(count=question_count, time_limit_s=time_limit_s)
        except rules.QuizError as exc:
            raise Invalid(str(exc)) from None
        if opens_at and closes_at and closes_at <= opens_at:
            raise Invalid("The closing time must be after the opening time.")
        if max_attempts is not None and not 1 <= max_attempts <= 100:
            raise Invalid("Allow between 1 and 100 attempts, or leave it empty for no limit.")
    assignment.quiz_question_count = question_count
    assignment.quiz_time_limit_s = time_limit_s
    assignment.quiz_opens_at = opens_at
    assignment.quiz_closes_at = closes_at
    assignment.quiz_max_attempts = max_attempts
    db.session.commit()
    return assignment


def assignment_results(user: User, assignment_id: int, *, now: datetime) -> list[MemberResults]:
    """Every member's attempts at the assignment's quiz (their owner's view), by name."""
    assignment, classroom, _ = managed_assignment(user, assignment_id)
    members = list(db.session.scalars(
        sa.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.classroom_id == classroom.id)))
    attempts = list(db.session.scalars(
        sa.select(QuizAttempt).where(QuizAttempt.assignment_id == assignment.id)
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())))
    for attempt in attempts:
        _close_if_ran_out(attempt, now)
    by_user: dict[int, list[QuizAttempt]] = {}
    for attempt in attempts:
        by_user.setdefault(attempt.user_id, []).append(attempt)
    rows = [MemberResults(m, by_user.get(m.id, [])) for m in members]
    return sorted(rows, key=lambda r: (r.user.name.casefold(), r.user.id))


def attempt_for_reviewer(user: User, attempt_id: int, *, now: datetime) -> QuizAttempt:
    """A submitted attempt, for its learner or for the instructor of its assignment's class."""
    attempt = db.session.get(QuizAttempt, attempt_id)
    if attempt is not None and attempt.user_id == user.id:
        _close_if_ran_out(attempt, now)
        return attempt
    if attempt is not None and attempt.assignment_id is not None:
        assignment = db.session.get(Assignment, attempt.assignment_id)
        if assignment is not None and can_manage(user, assignment.classroom):
            _close_if_ran_out(attempt, now)
            if attempt.submitted_at is None:
                raise Conflict("This attempt is still in progress.")
            return attempt
    raise NotFound(f"There is no quiz attempt {attempt_id} of yours.")
