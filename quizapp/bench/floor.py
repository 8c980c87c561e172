"""The floor endpoint: one indexed read and one insert, and nothing else.

It is the yardstick for the study API in ``quizapp bench``: it goes through the same server,
framework and database, so the ratio of the two shows what the study logic itself costs. It is
registered only when the app is started with ``QUIZAPP_BENCH_FLOOR=1`` by the bench, and it writes
to the table ``bench_floor`` that the bench creates and drops itself.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from flask import Blueprint, abort, request

from quizapp.extensions import csrf, db
from quizapp.models import utcnow

bp = Blueprint("bench_floor", __name__)
csrf.exempt(bp)

CREATE_TABLE = sa.text(
    "CREATE TABLE IF NOT EXISTS bench_floor (user_id INTEGER NOT NULL, at TIMESTAMP NOT NULL)")
DROP_TABLE = sa.text("DROP TABLE IF EXISTS bench_floor")
_READ = sa.text("SELECT user_id FROM api_tokens WHERE token_hash = :hash")
_INSERT = sa.text("INSERT INTO bench_floor (user_id, at) VALUES (:user_id, :at)")


@bp.post("/bench/floor")
def floor():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    user_id = db.session.execute(
        _READ, {"hash": hashlib.sha256(token.encode()).hexdigest()}).scalar()
    if user_id is None:
        abort(401)
    db.session.execute(_INSERT, {"user_id": user_id, "at": utcnow().replace(tzinfo=None)})
    db.session.commit()
    return {"ok": True}
