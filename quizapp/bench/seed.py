"""Seeding a benchmark database in bulk: learners, decks, cards, card states and review history.

Rows are generated as tuples and written with PostgreSQL's COPY (or SQLite executemany in large
transactions), never one ORM object at a time. Generation is deterministic (seeded RNG).
"""

from __future__ import annotations

import hashlib
import io
import json
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from quizapp.services.accounts import hash_password

PASSWORD = "bench password 1"
DUE_PER_LEARNER = 40
TABLES = ("reviews", "card_states", "cards", "questions", "decks", "api_tokens", "users")


@dataclass(frozen=True)
class SeedSize:
    learners: int
    decks: int
    cards: int  # per learner: every learner has a state for every card
    reviews_per_card: float = 2.5

    @property
    def card_states(self) -> int:
        return self.learners * self.cards

    @property
    def reviews(self) -> int:
        return int(self.card_states * self.reviews_per_card)


@dataclass(frozen=True)
class Seeded:
    size: SeedSize
    deck_slugs: list[str]
    tokens: list[str]  # one bearer token per learner, in learner order
    seconds: float


def token_for(user_id: int) -> str:
    return f"qz_bench{user_id:07d}" + hashlib.sha256(f"bench-{user_id}".encode()).hexdigest()[:24]


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def seed(
    conn: Connection, size: SeedSize, *, now: datetime, rng_seed: int = 7, page_decks: int = 0
) -> Seeded:
    """Empty the quizapp tables and fill them for ``size``; commits through ``conn``.

    ``page_decks``: public decks in all, for the pages run (see :func:`_seed_pages`); 0: none.
    """
    started = datetime.now(UTC)
    rng = random.Random(rng_seed)
    _empty(conn)
    pw = hash_password(PASSWORD)
    naive_now = now.astimezone(UTC).replace(tzinfo=None)
    learners = range(1, size.learners + 1)
    _bulk(
        conn,
        "users",
        ("id", "email", "password_hash", "role", "display_name", "created_at"),
        ((u, f"learner{u}@bench.invalid", pw, "learner", "", naive_now) for u in learners),
    )
    _bulk(
        conn,
        "api_tokens",
        ("id", "user_id", "token_hash", "name", "created_at", "expires_at"),
        (
            (u, u, _sha(token_for(u)), "bench", naive_now, naive_now + timedelta(days=30))
            for u in learners
        ),
    )

    slugs = [f"bench-deck-{d + 1}" for d in range(size.decks)]
    _bulk(
        conn,
        "decks",
        (
            "id",
            "slug",
            "title",
            "description",
            "visibility",
            "source_file",
            "source_sha256",
            "published_at",
            "version",
            "created_at",
            "updated_at",
        ),
        (
            (
                d + 1,
                slug,
                f"Bench deck {d + 1}",
                "",
                "public",
                "",
                "",
                naive_now,
                1,
                naive_now,
                naive_now,
            )
            for d, slug in enumerate(slugs)
        ),
    )
    cards = []  # (card id, deck id)
    question_rows, card_rows = [], []
    for i in range(size.cards):
        qid = i + 1
        deck_id = i % size.decks + 1
        if i % 2:
            qtype, fields = (
                "true_false",
                {"statement": f"Statement number {qid} is true.", "answer": bool(i % 4 == 1)},
            )
        else:
            qtype, fields = (
                "multiple_choice",
                {
                    "prompt": f"Which choice is right for question {qid}?",
                    "choices": [f"Choice {qid}-{c}" for c in range(4)],
                    "correct": [i % 4],
                },
            )
        question_rows.append(
            (
                qid,
                deck_id,
                f"q{qid}",
                qtype,
                json.dumps(fields),
                "Because.",
                "other",
                "",
                "[]",
                i,
                naive_now,
                naive_now,
            )
        )
        card_rows.append((qid, qid, deck_id, 1, _sha(f"{qid}")))
        cards.append((qid, deck_id))
    _bulk(
        conn,
        "questions",
        (
            "id",
            "deck_id",
            "key",
            "type",
            "fields",
            "explanation",
            "origin_section",
            "origin_quote",
            "tags",
            "position",
            "created_at",
            "updated_at",
        ),
        question_rows,
    )
    _bulk(conn, "cards", ("id", "question_id", "deck_id", "ordinal", "answer_key"), card_rows)

    due_now = min(DUE_PER_LEARNER, size.cards)
    _bulk(
        conn,
        "card_states",
        (
            "user_id",
            "card_id",
            "deck_id",
            "state",
            "step",
            "stability",
            "difficulty",
            "due",
            "last_review",
            "reps",
            "lapses",
            "leech",
            "version",
        ),
        _states(learners, cards, due_now, naive_now, rng),
    )
    _bulk(
        conn,
        "reviews",
        ("user_id", "card_id", "deck_id", "rating", "reviewed_at", "duration_ms", "correct"),
        _reviews(learners, cards, size.reviews_per_card, naive_now, rng),
    )
    if page_decks:
        _seed_pages(conn, now=now, decks=page_decks)
    _fix_sequences(conn)
    conn.commit()
    _settle(conn)
    return Seeded(
        size=size,
        deck_slugs=slugs,
        tokens=[token_for(u) for u in learners],
        seconds=(datetime.now(UTC) - started).total_seconds(),
    )


PAGE_DECKS = 200
BIG_DECK = "bench-big-deck"
BIG_DECK_QUESTIONS = 500


def _seed_pages(
    conn: Connection,
    *,
    now: datetime,
    decks: int = PAGE_DECKS,
    big_questions: int = BIG_DECK_QUESTIONS,
    small_questions: int = 5,
) -> None:
    """More public decks, up to ``decks`` in all, one of them (``bench-big-deck``) with
    ``big_questions`` questions, the others with ``small_questions``: what the home page lists
    and the deck page shows in the bench's ``pages`` run. Learner 1..L have no state in them
    (their counts are all new cards)."""
    naive_now = now.astimezone(UTC).replace(tzinfo=None)
    first_deck = (conn.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM decks")).scalar()) + 1
    first_question = (
        conn.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM questions")).scalar()
    ) + 1
    first_card = conn.execute(sa.text("SELECT COALESCE(MAX(id), 0) FROM cards")).scalar() + 1
    count = max(1, decks - first_deck + 1)
    deck_rows, question_rows, card_rows = [], [], []
    qid, cid = first_question, first_card
    for n in range(count):
        deck_id = first_deck + n
        slug = BIG_DECK if n == 0 else f"bench-page-deck-{deck_id}"
        deck_rows.append(
            (
                deck_id,
                slug,
                f"Page deck {deck_id}",
                "A deck for the page bench.",
                "public",
                "",
                "",
                naive_now,
                1,
                naive_now,
                naive_now,
            )
        )
        for position in range(big_questions if n == 0 else small_questions):
            fields = {
                "prompt": f"Which choice is right for page question {qid}?",
                "choices": [f"Choice {qid}-{c}" for c in range(4)],
                "correct": [qid % 4],
            }
            question_rows.append(
                (
                    qid,
                    deck_id,
                    f"p{qid}",
                    "multiple_choice",
                    json.dumps(fields),
                    "Because.",
                    "other",
                    "A quote for the deck page.",
                    "[]",
                    position,
                    naive_now,
                    naive_now,
                )
            )
            card_rows.append((cid, qid, deck_id, 1, _sha(f"p{qid}")))
            qid, cid = qid + 1, cid + 1
    _bulk(
        conn,
        "decks",
        (
            "id",
            "slug",
            "title",
            "description",
            "visibility",
            "source_file",
            "source_sha256",
            "published_at",
            "version",
            "created_at",
            "updated_at",
        ),
        deck_rows,
    )
    _bulk(
        conn,
        "questions",
        (
            "id",
            "deck_id",
            "key",
            "type",
            "fields",
            "explanation",
            "origin_section",
            "origin_quote",
            "tags",
            "position",
            "created_at",
            "updated_at",
        ),
        question_rows,
    )
    _bulk(conn, "cards", ("id", "question_id", "deck_id", "ordinal", "answer_key"), card_rows)


def study_deck(user_id: int, deck_ids: list[int]) -> int:
    """The deck whose due cards learner ``user_id`` studies in the benchmark."""
    return deck_ids[(user_id - 1) % len(deck_ids)]


def _empty(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        # TRUNCATE leaves no dead rows behind for autovacuum to chew on during the measurement.
        conn.execute(sa.text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
    else:
        for table in TABLES:
            conn.execute(sa.text(f"DELETE FROM {table}"))


def _settle(conn: Connection) -> None:
    """Statistics, visibility map and a checkpoint now, so none of it runs during the load."""
    if conn.dialect.name == "postgresql":
        raw = conn.connection.dbapi_connection
        autocommit = raw.autocommit
        raw.autocommit = True  # VACUUM cannot run inside a transaction
        try:
            with raw.cursor() as cursor:
                cursor.execute("VACUUM (ANALYZE)")
                cursor.execute("CHECKPOINT")
        finally:
            raw.autocommit = autocommit
    else:
        conn.execute(sa.text("ANALYZE"))
        conn.commit()


def _states(
    learners: Iterable[int],
    cards: list[tuple[int, int]],
    due_now: int,
    now: datetime,
    rng: random.Random,
) -> Iterator[tuple]:
    decks = sorted({deck_id for _, deck_id in cards})
    for user in learners:
        # A learner's due cards sit in one deck, the one the load process studies for them.
        home = [i for i, (_, deck_id) in enumerate(cards) if deck_id == study_deck(user, decks)]
        due_cards = set(rng.sample(home, min(due_now, len(home))))
        for index, (card_id, deck_id) in enumerate(cards):
            if index in due_cards:
                due = now - timedelta(minutes=rng.randint(1, 60 * 24 * 3))
            else:
                due = now + timedelta(minutes=rng.randint(60, 60 * 24 * 60))
            stability = round(rng.uniform(1, 60), 3)
            yield (
                user,
                card_id,
                deck_id,
                2,
                None,
                stability,
                round(rng.uniform(2, 8), 3),
                due,
                due - timedelta(days=stability),
                3,
                0,
                False,
                1,
            )


def _reviews(
    learners: Iterable[int],
    cards: list[tuple[int, int]],
    per_card: float,
    now: datetime,
    rng: random.Random,
) -> Iterator[tuple]:
    whole, fraction = int(per_card), per_card - int(per_card)
    for user in learners:
        for card_id, deck_id in cards:
            count = whole + (1 if rng.random() < fraction else 0)
            for r in range(count):
                at = now - timedelta(days=90 - r * 20, minutes=rng.randint(0, 600))
                rating = 1 if rng.random() < 0.15 else 3
                yield (user, card_id, deck_id, rating, at, rng.randint(1500, 20000), rating == 3)


def _bulk(
    conn: Connection,
    table: str,
    columns: tuple[str, ...],
    rows: Iterable[tuple],
    batch: int = 50_000,
) -> None:
    if conn.dialect.name == "postgresql":
        _copy(conn, table, columns, rows)
        return
    placeholders = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    raw = conn.connection.dbapi_connection
    cursor = raw.cursor()
    chunk: list[tuple] = []
    for row in rows:
        chunk.append(tuple(v.isoformat(" ") if isinstance(v, datetime) else v for v in row))
        if len(chunk) >= batch:
            cursor.executemany(sql, chunk)
            chunk.clear()
    if chunk:
        cursor.executemany(sql, chunk)


def _copy(conn: Connection, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
    cursor = conn.connection.dbapi_connection.cursor()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        buffer = io.StringIO()
        for n, row in enumerate(rows, 1):
            buffer.write("\t".join(_copy_value(v) for v in row))
            buffer.write("\n")
            if n % 50_000 == 0:
                copy.write(buffer.getvalue())
                buffer = io.StringIO()
        copy.write(buffer.getvalue())


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat(" ") + "+00"
    return str(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _fix_sequences(conn: Connection) -> None:
    """After explicit ids, move PostgreSQL's id sequences past them."""
    if conn.dialect.name != "postgresql":
        return
    for table in TABLES:
        conn.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )
