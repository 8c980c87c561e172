"""The floor endpoint, and what the bench server counts: statements per request, and a profile.

The floor (``POST /bench/floor``) does one indexed read and one insert, and nothing else. It is
the yardstick for the study paths in ``quizapp bench``: it goes through the same server, framework
and database, so the ratio shows what the study logic itself costs. It is registered only when the
app is started with ``QUIZAPP_BENCH_FLOOR=1`` by the bench, and it writes to the table
``bench_floor`` that the bench creates and drops itself.

In that mode every response also carries ``X-Bench-Statements``: the SQL statements the request
sent to the database, counted by a SQLAlchemy ``before_cursor_execute`` listener (so the load
process sums what the server did, nothing is guessed). With ``QUIZAPP_BENCH_PROFILE=DIR`` each
request also runs under cProfile, and each worker process writes its accumulated profile to
``DIR/<pid>.prof`` every 200 requests.
"""

from __future__ import annotations

import cProfile
import hashlib
import os
import pstats
import threading
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, abort, g, has_app_context, request

from quizapp.extensions import csrf, db
from quizapp.models import utcnow

bp = Blueprint("bench_floor", __name__)
csrf.exempt(bp)

CREATE_TABLE = sa.text(
    "CREATE TABLE IF NOT EXISTS bench_floor (user_id INTEGER NOT NULL, at TIMESTAMP NOT NULL)"
)
DROP_TABLE = sa.text("DROP TABLE IF EXISTS bench_floor")
_READ = sa.text("SELECT user_id FROM api_tokens WHERE token_hash = :hash")
_INSERT = sa.text("INSERT INTO bench_floor (user_id, at) VALUES (:user_id, :at)")
STATEMENTS_HEADER = "X-Bench-Statements"


@bp.post("/bench/floor")
def floor():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    user_id = db.session.execute(
        _READ, {"hash": hashlib.sha256(token.encode()).hexdigest()}
    ).scalar()
    if user_id is None:
        abort(401)
    db.session.execute(_INSERT, {"user_id": user_id, "at": utcnow().replace(tzinfo=None)})
    db.session.commit()
    return {"ok": True}


# --- counting statements -----------------------------------------------------------------------


def _count_statement(conn, cursor, statement, parameters, context, executemany) -> None:
    if has_app_context():
        g.bench_statements = g.get("bench_statements", 0) + 1


_listening = False


@bp.record_once
def _listen(state) -> None:
    # On the Engine class: the app's engine is made lazily, inside an app context.
    global _listening
    if not _listening:
        sa.event.listen(sa.engine.Engine, "before_cursor_execute", _count_statement)
        _listening = True


@bp.after_app_request
def _statements_header(response):
    response.headers[STATEMENTS_HEADER] = str(g.get("bench_statements", 0))
    return response


# --- profiling ---------------------------------------------------------------------------------

_PROFILE_DIR = os.environ.get("QUIZAPP_BENCH_PROFILE")
_profile_lock = threading.Lock()
_profiled: list = []  # [pstats.Stats | None, request count]


if _PROFILE_DIR:

    @bp.before_app_request
    def _profile_start() -> None:
        g.bench_profile = cProfile.Profile()
        g.bench_profile.enable()

    @bp.teardown_app_request
    def _profile_stop(exc) -> None:
        profile = g.pop("bench_profile", None)
        if profile is None:
            return
        profile.disable()
        with _profile_lock:
            if not _profiled:
                _profiled.extend([pstats.Stats(profile), 0])
            else:
                _profiled[0].add(profile)
            _profiled[1] += 1
            if _profiled[1] % 200 == 0:
                Path(_PROFILE_DIR).mkdir(parents=True, exist_ok=True)
                _profiled[0].dump_stats(str(Path(_PROFILE_DIR) / f"{os.getpid()}.prof"))
