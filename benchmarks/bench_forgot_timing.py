"""Does "forgot password" answer as fast for an email without an account as for one with? (It
should: the answer must not tell which emails have accounts.)

Posts ``/auth/forgot`` through the app (test client, CSRF off) with a real SMTP server (aiosmtpd
on 127.0.0.1), in rounds of one email that has an account and one that has none (in random
order), each round with new emails and from a new address, so the rate limits never answer
instead. After a request with an account it waits until the SMTP server has the mail, so each
time is the request alone. Prints medians, 90th percentiles, the difference of medians with a
bootstrap 95% interval, and the median CPU time of the request's own thread (less disturbed by
other load on the machine than wall time).

    PYTHONPATH=. python benchmarks/bench_forgot_timing.py [--url postgresql+psycopg://...] [--n 200]

Without ``--url`` it runs on a temporary SQLite file; with it, it drops and recreates every table
in that database: give it a scratch database.
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import tempfile
import time

from aiosmtpd.controller import Controller

from quizapp import create_app
from quizapp.domain.mail import SmtpSettings
from quizapp.extensions import db
from quizapp.models import User
from quizapp.services import accounts


class _Count:
    received = 0

    async def handle_DATA(self, server, session, envelope):
        _Count.received += 1
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _bootstrap_difference(
    a: list[float], b: list[float], rounds: int = 2000
) -> tuple[float, float]:
    rng = random.Random(19)
    diffs = sorted(
        statistics.median(rng.choices(a, k=len(a))) - statistics.median(rng.choices(b, k=len(b)))
        for _ in range(rounds)
    )
    return diffs[int(rounds * 0.025)], diffs[int(rounds * 0.975)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a scratch database (default: temporary SQLite)")
    parser.add_argument("--n", type=int, default=200, help="requests of each kind")
    args = parser.parse_args()
    port = _free_port()
    controller = Controller(_Count(), hostname="127.0.0.1", port=port)
    controller.start()
    url = args.url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "QUIZAPP_SMTP": SmtpSettings("127.0.0.1", port, "bench@example.org"),
        }
    )
    warm_up = 20
    times: dict[str, list[float]] = {"with account": [], "without": []}
    cpu: dict[str, list[float]] = {"with account": [], "without": []}
    with app.app_context():
        db.drop_all()
        db.create_all()
        # One account per round (no rate-limit row to clear between rounds), created in bulk.
        password_hash = accounts.hash_password("correct horse battery")
        db.session.add_all(
            [
                User(email=f"u{i}@example.com", password_hash=password_hash)
                for i in range(args.n + warm_up)
            ]
        )
        db.session.commit()
        client = app.test_client()
        rng = random.Random(19)
        for i in range(args.n + warm_up):
            kinds = list(times)
            rng.shuffle(kinds)  # neither kind always follows the other
            for kind in kinds:
                email = f"u{i}@example.com" if kind == "with account" else f"x{i}@example.com"
                address = f"10.{i // 62500}.{i // 250 % 250}.{i % 250}"
                start, start_cpu = time.perf_counter(), time.thread_time()
                response = client.post(
                    "/auth/forgot", data={"email": email}, environ_base={"REMOTE_ADDR": address}
                )
                elapsed = (time.perf_counter() - start) * 1000
                elapsed_cpu = (time.thread_time() - start_cpu) * 1000
                response.close()  # what a server does once the answer is sent: the job starts
                assert response.status_code == 302, response.status_code
                if i >= warm_up:
                    times[kind].append(elapsed)
                    cpu[kind].append(elapsed_cpu)
                if kind == "with account":  # the mail is out before the next request
                    deadline = time.monotonic() + 10
                    while _Count.received < i + 1 and time.monotonic() < deadline:
                        time.sleep(0.005)
                time.sleep(0.05)  # the job's last steps (or the lookup finding nobody)
    controller.stop()
    for kind, values in times.items():
        values.sort()
        print(
            f"{kind:>13}: median {statistics.median(values):6.2f} ms, "
            f"p90 {values[int(len(values) * 0.9)]:6.2f} ms (n={len(values)}); "
            f"CPU of the request median {statistics.median(cpu[kind]):5.2f} ms"
        )
    low, high = _bootstrap_difference(times["with account"], times["without"])
    difference = statistics.median(times["with account"]) - statistics.median(times["without"])
    print(f"difference of medians: {difference:+.2f} ms (95% interval {low:+.2f} to {high:+.2f})")
    print(f"mails received: {_Count.received} (expected {args.n + warm_up})")


if __name__ == "__main__":
    main()
