"""The class dashboard: one row per learner for one assignment (a deck assigned to a class).

Only the class's members and the assignment's deck are read. Each column is one aggregate query
grouped by learner (cards, reviews, quiz attempts), so the cost grows with the class, not with
the length of its history beyond the rows aggregated; Python joins the per-learner rows.
Definitions: docs/analytics.md.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from quizapp.domain.scheduling import (
    Phase,
    Rating,
    Settings,
    curve_terms,
    day_start,
    with_overrides,
)
from quizapp.extensions import db
from quizapp.models import (
    Assignment,
    Card,
    CardState,
    Classroom,
    Deck,
    Membership,
    Question,
    QuizAttempt,
    Review,
    User,
)

from ..errors import NotFound
from .sqltime import retrievability

#: Retention on the dashboard: answers to review cards over this many study days.
RETENTION_DAYS = 30
#: A learner is behind pace when their learnt share trails the share of the time to the target
#: date already gone by more than this.
PACE_SLACK = 0.10

SORTS = ("name", "learnt", "recall", "retention", "last_active", "quiz_best", "quiz_latest")


@dataclass
class LearnerRow:
    user_id: int
    email: str
    name: str
    assigned: int
    learnt: int = 0
    seen: int = 0
    recall_sum: float = 0.0
    retention_passed: int = 0
    retention_total: int = 0
    #: Answers in the last :data:`RETENTION_DAYS` study days.
    reviews: int = 0
    last_active: datetime | None = None
    quiz_attempts: int = 0
    quiz_best: float | None = None
    quiz_latest: float | None = None
    behind: bool = False

    @property
    def learnt_share(self) -> float:
        return self.learnt / self.assigned if self.assigned else 0.0

    @property
    def recall(self) -> float | None:
        """Expected share of the assignment's cards recalled on the target date: unseen cards
        count as not recalled."""
        return self.recall_sum / self.assigned if self.assigned else None

    @property
    def retention(self) -> float | None:
        return self.retention_passed / self.retention_total if self.retention_total else None


@dataclass
class Dashboard:
    classroom: Classroom
    assignment: Assignment
    deck: Deck
    #: When predicted recall is computed: the target date (or now when there is none, or it
    #: has passed).
    recall_at: datetime
    #: The share of cards a learner on pace has learnt by now (None without a target date).
    pace: float | None
    assigned: int
    rows: list[LearnerRow]


#: Ids are 32-bit integers in the database; a larger number names nothing.
MAX_ID = 2**31 - 1


def get_assignment(classroom: Classroom, assignment_id: int) -> Assignment:
    assignment = db.session.get(Assignment, assignment_id) if 0 < assignment_id <= MAX_ID else None
    if assignment is None or assignment.classroom_id != classroom.id:
        raise NotFound("There is no such assignment in this class.")
    return assignment


def _live_cards(deck_id: int) -> sa.Select:
    return (
        sa.select(Card.id)
        .join(Question, Question.id == Card.question_id)
        .where(Card.deck_id == deck_id, Card.retired_at.is_(None), Question.retired_at.is_(None))
    )


def recall_moment(target: date | None, now: datetime) -> datetime:
    """Predicted recall is for the start of the target day; now when there is none or it passed."""
    if target is None:
        return now
    at = datetime.combine(target, time(0), tzinfo=UTC)
    return max(at, now)


def pace_share(assignment: Assignment, now: datetime) -> float | None:
    """The share of the time from the assignment to its target date gone by (0..1)."""
    if assignment.target_date is None:
        return None
    start = assignment.created_at
    end = datetime.combine(assignment.target_date, time(0), tzinfo=UTC)
    if end <= start:
        return 1.0
    return min(1.0, max(0.0, (now - start) / (end - start)))


def dashboard(
    classroom: Classroom,
    assignment: Assignment,
    now: datetime,
    *,
    sort: str = "name",
    descending: bool = False,
) -> Dashboard:
    deck = db.session.get_one(Deck, assignment.deck_id)
    members = db.session.execute(
        sa.select(User.id, User.email, User.display_name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.classroom_id == classroom.id)
    ).all()
    member_ids = sa.select(Membership.user_id).where(Membership.classroom_id == classroom.id)
    assigned = (
        db.session.scalar(sa.select(sa.func.count()).select_from(_live_cards(deck.id).subquery()))
        or 0
    )
    rows = {
        uid: LearnerRow(uid, email, name or email.split("@", 1)[0], int(assigned))
        for uid, email, name in members
    }

    # Cards: learnt (in review) and the sum of predicted recall at the target date.
    at = recall_moment(assignment.target_date, now)
    settings = with_overrides(Settings(), desired_retention=deck.desired_retention)
    factor, decay = curve_terms(settings.parameters)
    for uid, seen, learnt, recall_sum in db.session.execute(
        sa.select(
            CardState.user_id,
            sa.func.count(),
            sa.func.sum(sa.case((CardState.state == int(Phase.REVIEW), 1), else_=0)),
            sa.func.sum(retrievability(at, factor, decay)),
        )
        .where(
            CardState.deck_id == deck.id,
            CardState.user_id.in_(member_ids),
            CardState.card_id.in_(_live_cards(deck.id)),
        )
        .group_by(CardState.user_id)
    ):
        row = rows.get(uid)
        if row is not None:
            row.seen, row.learnt, row.recall_sum = (
                int(seen),
                int(learnt or 0),
                float(recall_sum or 0),
            )

    # Last active: each member's latest answer in the deck, one index probe per member.
    last = (
        sa.select(sa.func.max(Review.reviewed_at))
        .where(
            Review.deck_id == deck.id,
            Review.user_id == Membership.user_id,
            Review.undone_at.is_(None),
        )
        .scalar_subquery()
    )
    for uid, moment in db.session.execute(
        sa.select(Membership.user_id, last).where(Membership.classroom_id == classroom.id)
    ):
        if uid in rows:
            rows[uid].last_active = (
                _aware(moment) if isinstance(moment, datetime) else (_parse(moment))
            )

    # Reviews of the last RETENTION_DAYS study days: how many, and true retention.
    since = day_start(now) - timedelta(days=RETENTION_DAYS - 1)
    previous = Review.previous_state
    counted = sa.and_(previous.is_not(None), previous["state"].as_integer() == int(Phase.REVIEW))
    for uid, n, passed, total in db.session.execute(
        sa.select(
            Review.user_id,
            sa.func.count(),
            sa.func.sum(
                sa.case((sa.and_(counted, Review.rating != int(Rating.AGAIN)), 1), else_=0)
            ),
            sa.func.sum(sa.case((counted, 1), else_=0)),
        )
        .where(
            Review.deck_id == deck.id,
            Review.user_id.in_(member_ids),
            Review.reviewed_at >= since,
            Review.undone_at.is_(None),
        )
        .group_by(Review.user_id)
    ):
        row = rows.get(uid)
        if row is not None:
            row.reviews, row.retention_passed, row.retention_total = (
                int(n),
                int(passed or 0),
                int(total or 0),
            )

    # Quizzes of this assignment: best and latest submitted score.
    share = sa.cast(QuizAttempt.score, sa.Float) / sa.func.nullif(QuizAttempt.max_score, 0)
    newest = (
        sa.func.row_number()
        .over(
            partition_by=QuizAttempt.user_id,
            order_by=(QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc()),
        )
        .label("newest")
    )
    attempts = (
        sa.select(QuizAttempt.user_id, share.label("share"), newest)
        .where(
            QuizAttempt.assignment_id == assignment.id,
            QuizAttempt.submitted_at.is_not(None),
            QuizAttempt.user_id.in_(member_ids),
        )
        .subquery()
    )
    for uid, n, best, latest in db.session.execute(
        sa.select(
            attempts.c.user_id,
            sa.func.count(),
            sa.func.max(attempts.c.share),
            sa.func.max(sa.case((attempts.c.newest == 1, attempts.c.share))),
        ).group_by(attempts.c.user_id)
    ):
        row = rows.get(uid)
        if row is not None:
            row.quiz_attempts = int(n)
            row.quiz_best = None if best is None else float(best)
            row.quiz_latest = None if latest is None else float(latest)

    pace = pace_share(assignment, now)
    for row in rows.values():
        row.behind = pace is not None and row.learnt_share < pace - PACE_SLACK
    return Dashboard(
        classroom,
        assignment,
        deck,
        at,
        pace,
        int(assigned),
        sort_rows(list(rows.values()), sort, descending),
    )


def _parse(moment: str | None) -> datetime | None:
    """A timestamp SQLite hands back as text from a scalar subquery."""
    return None if moment is None else _aware(datetime.fromisoformat(str(moment)))


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)  # SQLite's max() hands back naive UTC text


def sort_rows(rows: list[LearnerRow], sort: str, descending: bool) -> list[LearnerRow]:
    """Rows by ``sort`` (one of :data:`SORTS`; unknown sorts by name); missing values last."""
    if sort not in SORTS:
        sort = "name"
    rows = sorted(rows, key=lambda r: (r.name.lower(), r.email))
    if sort == "name":
        return list(reversed(rows)) if descending else rows

    def value(row: LearnerRow):
        return {
            "learnt": row.learnt,
            "recall": row.recall,
            "retention": row.retention,
            "last_active": row.last_active,
            "quiz_best": row.quiz_best,
            "quiz_latest": row.quiz_latest,
        }[sort]

    present = [r for r in rows if value(r) is not None]
    missing = [r for r in rows if value(r) is None]
    present.sort(key=value, reverse=descending)  # stable: ties stay by name
    return present + missing


def learner_in_class(classroom: Classroom, user_id: int) -> User:
    if not 0 < user_id <= MAX_ID:
        raise NotFound("There is no such learner in this class.")
    user = db.session.scalar(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.classroom_id == classroom.id, User.id == user_id)
    )
    if user is None:
        raise NotFound("There is no such learner in this class.")
    return user


def class_deck_ids(classroom: Classroom) -> list[int]:
    return list(
        db.session.scalars(
            sa.select(Assignment.deck_id).where(Assignment.classroom_id == classroom.id)
        )
    )


CSV_COLUMNS = (
    "class",
    "assignment_id",
    "deck",
    "target_date",
    "learner_email",
    "learner_name",
    "cards_learnt",
    "cards_assigned",
    "predicted_recall_on_target",
    "retention_30d",
    "reviews_30d",
    "last_active",
    "quiz_attempts",
    "quiz_best",
    "quiz_latest",
    "behind_pace",
)


def gradebook_csv(classroom: Classroom, now: datetime) -> str:
    """Every assignment's dashboard as CSV: one row per learner per assignment."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    assignments = db.session.scalars(
        sa.select(Assignment)
        .where(Assignment.classroom_id == classroom.id)
        .order_by(Assignment.target_date.is_(None), Assignment.target_date, Assignment.id)
    )

    def share(value: float | None) -> str:
        return "" if value is None else f"{value:.3f}"

    for assignment in list(assignments):
        board = dashboard(classroom, assignment, now)
        for row in board.rows:
            writer.writerow(
                [
                    _cell(classroom.name),
                    assignment.id,
                    _cell(board.deck.title),
                    assignment.target_date.isoformat() if assignment.target_date else "",
                    _cell(row.email),
                    _cell(row.name),
                    row.learnt,
                    row.assigned,
                    share(row.recall),
                    share(row.retention),
                    row.reviews,
                    row.last_active.isoformat(timespec="seconds") if row.last_active else "",
                    row.quiz_attempts,
                    share(row.quiz_best),
                    share(row.quiz_latest),
                    "yes" if row.behind else "no",
                ]
            )
    return out.getvalue()


def _cell(text: str) -> str:
    """Text for a spreadsheet cell: a leading =, +, - or @ would be read as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
