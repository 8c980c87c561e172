"""Item analysis: how each question of a class's deck performs, over quiz attempts and reviews.

Scope: the class's current members and the questions of one assigned deck. Quiz figures come
from the per-item results stored with each submitted attempt (``quiz_attempts.results``, a JSON
array unnested in SQL: ``json_each`` on SQLite, ``json_array_elements`` on PostgreSQL); review
figures from ``reviews`` and ``card_states``. Every sum is a ``GROUP BY`` query; Python only
merges the few aggregated rows (wrong answers are grouped by their exact text in SQL, then merged
by the app's own answer normalisation). Definitions: docs/analytics.md.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from quizapp.domain.questions import get_type
from quizapp.extensions import db
from quizapp.models import (
    Card,
    CardState,
    Classroom,
    Deck,
    Membership,
    Question,
    QuizAttempt,
    Review,
)
from quizapp.models.types import UTCDateTime

#: Flags need at least this many answers.
MIN_ANSWERS = 5
TOO_EASY = 0.90
TOO_HARD = 0.30


@dataclass
class ItemStats:
    question: Question
    quiz_n: int = 0
    quiz_correct: int = 0
    #: Point-biserial correlation of the item with the rest of the quiz; None when undefined.
    discrimination: float | None = None
    review_n: int = 0
    review_correct: int = 0
    learners: int = 0
    difficulty: float | None = None
    leeches: int = 0
    #: Wrong study answers the learner claimed were right ("I was right"): disputed grading.
    overridden: int = 0
    wrong_choices: list[tuple[str, int]] = field(default_factory=list)
    wrong_typed: list[tuple[str, int]] = field(default_factory=list)

    @property
    def quiz_facility(self) -> float | None:
        return self.quiz_correct / self.quiz_n if self.quiz_n else None

    @property
    def review_facility(self) -> float | None:
        return self.review_correct / self.review_n if self.review_n else None

    @property
    def facility(self) -> float | None:
        """Quiz facility when there are enough quiz answers, else review facility."""
        if self.quiz_n >= MIN_ANSWERS:
            return self.quiz_facility
        if self.review_n >= MIN_ANSWERS:
            return self.review_facility
        return None

    @property
    def leech_rate(self) -> float | None:
        return self.leeches / self.learners if self.learners else None

    @property
    def flags(self) -> list[str]:
        found = []
        facility = self.facility
        if facility is not None and facility >= TOO_EASY:
            found.append("too easy")
        if facility is not None and facility <= TOO_HARD:
            found.append("too hard")
        if (
            self.discrimination is not None
            and self.discrimination < 0
            and self.quiz_n >= MIN_ANSWERS
        ):
            found.append("negative discrimination")
        return found


def point_biserial(n: int, sx: float, sy: float, sxy: float, syy: float) -> float | None:
    """Pearson's r between a 0/1 item score x and a score y, from sums (x² = x)."""
    if n < 2:
        return None
    var_x = n * sx - sx * sx
    var_y = n * syy - sy * sy
    if var_x <= 0 or var_y <= 1e-12:
        return None
    return (n * sxy - sx * sy) / math.sqrt(var_x * var_y)


def _quiz_items(member_ids: sa.Select, assignment_id: int | None):
    """(select_from, question_id, correct, given) for each item of each submitted attempt of the
    members: practice quizzes and the assignment's quiz (not other classes' assignments).

    PostgreSQL parses each item once into typed columns (``json_to_recordset``); SQLite reads
    the fields of ``json_each``'s elements."""
    if db.session.get_bind().dialect.name == "postgresql":
        item = (
            sa.func.json_to_recordset(QuizAttempt.results)
            .table_valued(
                sa.column("question_id", sa.Integer),
                sa.column("correct", sa.Boolean),
                sa.column("given", sa.JSON),
            )
            .render_derived(name="item", with_types=True)
        )
        question_id, correct = item.c.question_id, item.c.correct
        given = sa.cast(item.c.given, sa.Text)
    else:
        item = sa.func.json_each(QuizAttempt.results).table_valued(
            sa.column("value", sa.JSON), name="item"
        )
        question_id = item.c.value["question_id"].as_integer()
        correct = item.c.value["correct"].as_boolean()
        given = sa.cast(item.c.value["given"], sa.Text)
    base = (
        sa.select()
        .select_from(QuizAttempt)
        .join(item, sa.true())
        .where(
            QuizAttempt.submitted_at.is_not(None),
            QuizAttempt.results.is_not(None),
            QuizAttempt.user_id.in_(member_ids),
            sa.or_(QuizAttempt.assignment_id.is_(None), QuizAttempt.assignment_id == assignment_id),
        )
    )
    return base, question_id, correct, given


def item_analysis(
    classroom: Classroom, deck: Deck, assignment_id: int | None = None
) -> list[ItemStats]:
    """Every live question of ``deck`` with its figures among the class's members; quiz figures
    from practice quizzes and the quiz of assignment ``assignment_id``."""
    member_ids = sa.select(Membership.user_id).where(Membership.classroom_id == classroom.id)
    questions = list(
        db.session.scalars(
            sa.select(Question)
            .where(Question.deck_id == deck.id, Question.retired_at.is_(None))
            .order_by(Question.position, Question.id)
        )
    )
    stats = {q.id: ItemStats(q) for q in questions}
    if not stats:
        return []

    # Quiz, in one pass over the items: sums for facility and the point-biserial with the
    # rest-of-quiz share, grouped by question, outcome and (for wrong answers) the exact text
    # given; the groups are then added up per question.
    base, question_id, correct, given = _quiz_items(member_ids, assignment_id)
    x = sa.case((correct, 1.0), else_=0.0)
    rest = (sa.cast(QuizAttempt.score, sa.Float) - x) / sa.func.nullif(QuizAttempt.max_score - 1, 0)
    scored = sa.case((QuizAttempt.max_score > 1, 1), else_=0)
    wrong_text = sa.case((sa.not_(correct), given), else_=None)
    sums: dict[int, list[float]] = {q: [0, 0.0, 0.0, 0.0, 0.0] for q in stats}
    wrong: dict[int, Counter] = {q: Counter() for q in stats}
    for qid, text, n, counted, sx, sy, sxy, syy in db.session.execute(
        base.add_columns(
            question_id,
            wrong_text,
            sa.func.count(),
            sa.func.sum(scored),
            sa.func.sum(x * scored),
            sa.func.sum(rest * scored),
            sa.func.sum(x * rest * scored),
            sa.func.sum(rest * rest * scored),
        )
        .where(question_id.in_(list(stats)))
        .group_by(question_id, wrong_text)
    ):
        total = sums[int(qid)]
        for i, value in enumerate((counted, sx, sy, sxy, syy)):
            total[i] += float(value or 0)
        if text is not None:
            _count_given(stats[int(qid)].question, _loads(text), int(n), wrong[int(qid)])
    for qid, (n, sx, sy, sxy, syy) in sums.items():
        item = stats[qid]
        item.quiz_n, item.quiz_correct = int(n), int(sx)
        item.discrimination = point_biserial(int(n), sx, sy, sxy, syy)

    # Reviews: graded answers by card and outcome (PostgreSQL reads them from the covering
    # index on (deck, learner, time)); then the wrong ones' answers by their exact text.
    reviews = sa.and_(
        Review.deck_id == deck.id,
        Review.user_id.in_(member_ids),
        Review.undone_at.is_(None),
        Review.correct.is_not(None),
    )
    card_question = dict(
        db.session.execute(
            sa.select(Card.id, Card.question_id).where(Card.deck_id == deck.id)
        ).all()
    )
    for card_id, right, n in db.session.execute(
        sa.select(Review.card_id, Review.correct, sa.func.count())
        .where(reviews)
        .group_by(Review.card_id, Review.correct)
    ):
        item = stats.get(card_question.get(card_id, 0))  # type: ignore[assignment]
        if item is not None:
            item.review_n += int(n)
            item.review_correct += int(n) if right else 0
    # The wrong ones: the same filter spelt as the partial index ix_reviews_deck_wrong_answers
    # is (no "correct IS NOT NULL", which "IS false" implies), so PostgreSQL scans it only.
    wrong_answers = sa.and_(
        Review.deck_id == deck.id,
        Review.user_id.in_(member_ids),
        Review.undone_at.is_(None),
        Review.correct.is_(False),
        Review.answer.is_not(None),
    )
    answer = sa.cast(Review.answer, sa.Text)
    for card_id, text, claimed, n in db.session.execute(
        sa.select(Review.card_id, answer, Review.overridden, sa.func.count())
        .where(wrong_answers)
        .group_by(Review.card_id, answer, Review.overridden)
    ):
        qid = card_question.get(card_id)
        if qid in stats:
            _count_review_answer(stats[qid].question, _loads(text), int(n), wrong[qid])
            if claimed:
                stats[qid].overridden += int(n)

    # FSRS difficulty and leeches among the members' cards of each question.
    for qid, n, difficulty, leeches in db.session.execute(
        sa.select(
            Card.question_id,
            sa.func.count(sa.distinct(CardState.user_id)),
            sa.func.avg(CardState.difficulty),
            sa.func.count(sa.distinct(sa.case((CardState.leech.is_(True), CardState.user_id)))),
        )
        .join(Card, Card.id == CardState.card_id)
        .where(CardState.deck_id == deck.id, CardState.user_id.in_(member_ids))
        .group_by(Card.question_id)
    ):
        if qid in stats:
            item = stats[qid]
            item.learners, item.leeches = int(n), int(leeches or 0)
            item.difficulty = None if difficulty is None else float(difficulty)

    for qid, item in stats.items():
        counts = wrong[qid]
        if get_type(item.question.type).counts_choices:
            item.wrong_choices = counts.most_common()
        else:
            item.wrong_typed = counts.most_common()
    return list(stats.values())


@dataclass(frozen=True)
class Misconception:
    question: Question
    #: Members with a graded study answer to the question.
    answered: int
    #: Of those, the members whose latest answer was wrong: they still hold the misconception.
    holding: int

    @property
    def share(self) -> float | None:
        return self.holding / self.answered if self.answered else None


MISCONCEPTION_SECTION = "misconception"


def misconceptions(classroom: Classroom, deck: Deck) -> list[Misconception]:
    """The deck's misconception questions (section "misconception"), each with the share of the
    class's members whose latest graded study answer to it is still wrong; most held first."""
    questions = {
        q.id: q
        for q in db.session.scalars(
            sa.select(Question).where(
                Question.deck_id == deck.id,
                Question.retired_at.is_(None),
                Question.origin_section == MISCONCEPTION_SECTION,
            )
        )
    }
    if not questions:
        return []
    counts = {
        qid: (int(n), int(wrong or 0))
        for qid, n, wrong in db.session.execute(_latest_counts(classroom, deck, list(questions)))
    }
    found = [Misconception(q, *counts.get(qid, (0, 0))) for qid, q in questions.items()]
    return sorted(found, key=lambda m: (-(m.share or 0), m.question.position, m.question.id))


#: The reteach list shows at most this many questions per article section.
RETEACH_PER_SECTION = 3


@dataclass(frozen=True)
class Reteach:
    question: Question
    #: Members with a graded study answer to the question (n).
    answered: int
    #: Of those, the members whose latest answer is wrong.
    wrong: int

    @property
    def share(self) -> float:
        return self.wrong / self.answered


def reteach(
    classroom: Classroom, deck: Deck, per_section: int = RETEACH_PER_SECTION
) -> list[tuple[str, list[Reteach]]]:
    """Per article section (``Question.origin_section``, in the deck's order), the live
    questions the class gets wrong most: the share of the members' latest graded study answers
    that are wrong, highest first (ties: more answers, then deck order), at most ``per_section``
    of them, only questions with at least one wrong latest answer. Ranked in the database."""
    counts = _latest_counts(classroom, deck).subquery()
    share = sa.cast(counts.c.wrong, sa.Float) / counts.c.answered
    ranked = (
        sa.select(
            Question.id.label("question_id"),
            counts.c.answered,
            counts.c.wrong,
            sa.func.min(Question.position)
            .over(partition_by=Question.origin_section)
            .label("section_at"),
            sa.func.row_number()
            .over(
                partition_by=Question.origin_section,
                order_by=(share.desc(), counts.c.answered.desc(), Question.position, Question.id),
            )
            .label("rank"),
        )
        .join(counts, counts.c.question_id == Question.id)
        .where(Question.deck_id == deck.id, Question.retired_at.is_(None), counts.c.wrong > 0)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Question, ranked.c.answered, ranked.c.wrong)
        .join(ranked, ranked.c.question_id == Question.id)
        .where(ranked.c.rank <= per_section)
        .order_by(ranked.c.section_at, Question.origin_section, ranked.c.rank)
    ).all()
    sections: dict[str, list[Reteach]] = {}
    for question, answered, wrong in rows:
        sections.setdefault(question.origin_section, []).append(
            Reteach(question, int(answered), int(wrong))
        )
    return list(sections.items())


#: Weeks the misconception table goes back (the current one included).
MISCONCEPTION_WEEKS = 6


@dataclass(frozen=True)
class MisconceptionWeeks:
    question: Question
    #: Per week, oldest first: (members with a graded study answer by the week's end, of those
    #: the ones whose latest answer by then is wrong).
    weeks: list[tuple[int, int]]


def misconception_weeks(
    classroom: Classroom, deck: Deck, now: datetime, weeks: int = MISCONCEPTION_WEEKS
) -> tuple[list[date], list[MisconceptionWeeks]]:
    """The misconceptions over time: for each of the last ``weeks`` weeks (each ending with the
    UTC day of ``now`` or 7, 14 ... days before it), of the members who had answered a
    misconception question by the week's end, how many still held it (latest answer by then
    wrong). Returns the weeks' last days and one row per question, in deck order. One query: the
    week ends are a small UNION ALL joined to the answers before them; a window per week, member
    and question picks the latest."""
    questions = list(
        db.session.scalars(
            sa.select(Question)
            .where(
                Question.deck_id == deck.id,
                Question.retired_at.is_(None),
                Question.origin_section == MISCONCEPTION_SECTION,
            )
            .order_by(Question.position, Question.id)
        )
    )
    today = now.astimezone(UTC).date()
    last_days = [today - timedelta(days=7 * back) for back in range(weeks - 1, -1, -1)]
    if not questions:
        return last_days, []
    ends = sa.union_all(
        *(
            sa.select(
                sa.literal(index, sa.Integer).label("week"),
                sa.literal(
                    datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC), UTCDateTime
                ).label("week_end"),
            )
            for index, day in enumerate(last_days)
        )
    ).subquery("week_ends")
    member_ids = sa.select(Membership.user_id).where(Membership.classroom_id == classroom.id)
    newest = (
        sa.func.row_number()
        .over(
            partition_by=(ends.c.week, Review.user_id, Card.question_id),
            order_by=(Review.reviewed_at.desc(), Review.id.desc()),
        )
        .label("newest")
    )
    latest = (
        sa.select(
            ends.c.week,
            Card.question_id.label("question_id"),
            Review.correct.label("correct"),
            newest,
        )
        .select_from(Review)
        .join(Card, Card.id == Review.card_id)
        .join(ends, Review.reviewed_at < ends.c.week_end)
        .where(
            Review.deck_id == deck.id,
            Review.user_id.in_(member_ids),
            Review.undone_at.is_(None),
            Review.correct.is_not(None),
            Card.question_id.in_([q.id for q in questions]),
        )
        .subquery()
    )
    counts = {
        (int(week), qid): (int(n), int(wrong or 0))
        for week, qid, n, wrong in db.session.execute(
            sa.select(
                latest.c.week,
                latest.c.question_id,
                sa.func.count(),
                sa.func.sum(sa.case((latest.c.correct.is_(False), 1), else_=0)),
            )
            .where(latest.c.newest == 1)
            .group_by(latest.c.week, latest.c.question_id)
        )
    }
    return last_days, [
        MisconceptionWeeks(q, [counts.get((i, q.id), (0, 0)) for i in range(len(last_days))])
        for q in questions
    ]


def _latest_counts(
    classroom: Classroom, deck: Deck, question_ids: list[int] | None = None
) -> sa.Select:
    """Per question of ``deck`` (or of ``question_ids``): (question id, members whose latest
    graded, not undone study answer is known, of those the ones whose latest answer is wrong).
    One query: a window over the members' answers picks each member's latest per question."""
    member_ids = sa.select(Membership.user_id).where(Membership.classroom_id == classroom.id)
    newest = (
        sa.func.row_number()
        .over(
            partition_by=(Review.user_id, Card.question_id),
            order_by=(Review.reviewed_at.desc(), Review.id.desc()),
        )
        .label("newest")
    )
    query = (
        sa.select(Card.question_id.label("question_id"), Review.correct.label("correct"), newest)
        .join(Card, Card.id == Review.card_id)
        .where(
            Review.deck_id == deck.id,
            Review.user_id.in_(member_ids),
            Review.undone_at.is_(None),
            Review.correct.is_not(None),
        )
    )
    if question_ids is not None:
        query = query.where(Card.question_id.in_(question_ids))
    latest = query.subquery()
    return (
        sa.select(
            latest.c.question_id.label("question_id"),
            sa.func.count().label("answered"),
            sa.func.sum(sa.case((latest.c.correct.is_(False), 1), else_=0)).label("wrong"),
        )
        .where(latest.c.newest == 1)
        .group_by(latest.c.question_id)
    )


def _loads(text: Any) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return None


def _count_given(question: Question, given: Any, n: int, counts: Counter) -> None:
    """A quiz result's wrong ``given`` (choice texts, or typed blanks), counted ``n`` times."""
    for wrong in get_type(question.type).wrong_given(question.fields, given):
        counts[wrong] += n


def _count_review_answer(question: Question, answer: Any, n: int, counts: Counter) -> None:
    """A review's wrong response (as the study form sent it), counted ``n`` times."""
    if not isinstance(answer, dict):
        return
    given = get_type(question.type).given_from_response(question.fields, answer)
    if given is not None:
        _count_given(question, given, n, counts)


CSV_COLUMNS = (
    "question_key",
    "type",
    "section",
    "quiz_answers",
    "quiz_facility",
    "discrimination",
    "review_answers",
    "review_facility",
    "learners",
    "fsrs_difficulty",
    "leech_rate",
    "flags",
    "wrong_answers",
)


def items_csv(rows: list[ItemStats]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)

    def num(value: float | None, digits: int = 3) -> str:
        return "" if value is None else f"{value:.{digits}f}"

    for item in rows:
        wrong = item.wrong_choices or item.wrong_typed
        writer.writerow(
            [
                _cell(item.question.key),
                item.question.type,
                item.question.origin_section,
                item.quiz_n,
                num(item.quiz_facility),
                num(item.discrimination),
                item.review_n,
                num(item.review_facility),
                item.learners,
                num(item.difficulty, 2),
                num(item.leech_rate),
                "; ".join(item.flags),
                _cell("; ".join(f"{text} ({n})" for text, n in wrong[:10])),
            ]
        )
    return out.getvalue()


def _cell(text: str) -> str:
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
