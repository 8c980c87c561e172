"""The load process: K concurrent learners driving running quizapp servers for T seconds.

Run as ``python -m quizapp.bench.load`` by ``quizapp bench`` (a separate process, so the server's
CPU time is not the client's). Each thread keeps one HTTP/1.1 connection (threads are dealt out
over the servers given) and repeats one scenario, recording each latency:

- ``api``: one request per card. ``GET /api/v1/study/<deck>/next`` once per learner turn, then
  ``POST .../answers``, whose answer brings the next card; one latency per answer.
- ``browser``: the study page's JavaScript path. A signed-in session (signed in before the timing
  starts), ``GET /study/<deck>`` with ``X-Requested-With: fetch`` once per learner turn, then the
  answer form posted with fetch; its result embeds the next question (``<template
  data-next-step>``), whose form the next answer posts. One latency per answer.
- ``floor``: ``POST /bench/floor``, one indexed read and one insert.
- ``pages``: a signed-in learner loads the home page and a deck page in turn.

The servers say how many SQL statements each request sent (``X-Bench-Statements``, counted by
SQLAlchemy events in the server: :mod:`quizapp.bench.floor`); the statements of every request of
the scenario are summed, also the untimed first request of each turn. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import threading
import time
import uuid
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

CARDS_PER_TURN = 20
FETCH = {"X-Requested-With": "fetch"}
PASSWORD = "bench password 1"  # as quizapp.bench.seed
BIG_DECK = "bench-big-deck"


class BadResponse(Exception):
    pass


class Client:
    """One keep-alive connection; ``cookies`` for a browser session."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        self.cookies: dict[str, str] = {}
        self.statements = 0

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: dict | None = None,
        form: dict | list | None = None,
        headers: dict | None = None,
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        sent = {"Accept": "application/json" if token else "text/html", **(headers or {})}
        if token:
            sent["Authorization"] = f"Bearer {token}"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        payload = None
        if body is not None:
            payload = json.dumps(body)
            sent["Content-Type"] = "application/json"
        elif form is not None:
            payload = urlencode(form)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=payload, headers=sent)
            response = self.conn.getresponse()
            data = response.read()
        except (ConnectionError, http.client.HTTPException, TimeoutError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
            raise
        self.statements += int(response.getheader("X-Bench-Statements") or 0)
        for header in response.msg.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data, response

    def reconnect(self) -> None:
        """A fresh connection (the server closes one left idle beyond its keep-alive)."""
        self.conn.close()
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def sign_in(self, email: str) -> None:
        status, data, _ = self.request("GET", "/auth/login")
        if status != 200:
            raise BadResponse(f"sign-in page {status}")
        token = _csrf(data.decode())
        status, _, _ = self.request(
            "POST",
            "/auth/login",
            form={"csrf_token": token, "email": email, "password": PASSWORD, "next": ""},
        )
        if status != 302:
            raise BadResponse(f"sign-in {status}")


def _csrf(html: str) -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', html)
    if not match:
        raise BadResponse("no CSRF token")
    return match.group(1)


def answer_for(card: dict) -> dict:
    """Some answer of the right shape (right or wrong does not matter to the server's work)."""
    question = card["question"]
    if card["type"] == "true_false":
        return {"answer": True}
    if card["type"] == "multiple_choice":
        return {"choices": [question["choices"][0]["id"]]}
    if card["type"] == "ordering":
        return {"order": [s["id"] for s in question["steps"]]}
    if card["type"] == "cloze":
        return {"text": "x"}
    return {}


class AnswerForm(HTMLParser):
    """The first study answer form of a page: its hidden fields and an answer of the right
    shape (true, the first choice, the steps in the order shown, "x" for a cloze)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self.inside = self.done = False
        self.answered: set[str] = set()
        self.positions = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if self.done:
            return
        if tag == "form" and (a.get("action") or "").endswith("/answer"):
            self.inside = True
        elif self.inside and tag == "input":
            name, kind = a.get("name"), a.get("type")
            if not name:
                return
            if kind == "hidden":
                self.fields.append((name, a.get("value") or ""))
            elif name == "choice" and "choice" not in self.answered:
                self.fields.append(("choice", a.get("value") or ""))
                self.answered.add("choice")
            elif name.startswith("pos-"):
                self.positions += 1
                self.fields.append((name, str(self.positions)))
            elif name == "text":
                self.fields.append(("text", "x"))
        elif (
            self.inside
            and tag == "button"
            and a.get("name") == "answer"
            and "answer" not in self.answered
        ):
            self.fields.append(("answer", a.get("value") or ""))
            self.answered.add("answer")

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside, self.done = False, True


def answer_form(html: str) -> list[tuple[str, str]] | None:
    parser = AnswerForm()
    parser.feed(html)
    return parser.fields if any(n == "card_id" for n, _ in parser.fields) else None


# --- scenarios ---------------------------------------------------------------------------------


class Run:
    def __init__(self, deadline: float, stop: threading.Event) -> None:
        self.deadline, self.stop = deadline, stop
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.cards = 0

    @property
    def going(self) -> bool:
        return time.monotonic() < self.deadline and not self.stop.is_set()


def run_api(client: Client, learners: list[dict], run: Run) -> None:
    index = 0
    while run.going:
        learner = learners[index % len(learners)]
        index += 1
        token, slug = learner["token"], learner["deck"]
        try:
            status, data, _ = client.request("GET", f"/api/v1/study/{slug}/next", token=token)
        except (OSError, http.client.HTTPException) as exc:
            run.errors.append(type(exc).__name__)
            continue
        if status != 200:
            run.errors.append(f"next {status}")
            continue
        card = json.loads(data)["card"]
        for _ in range(CARDS_PER_TURN):
            if card is None or not run.going:
                break
            started = time.perf_counter()
            try:
                status, data, _ = client.request(
                    "POST",
                    f"/api/v1/study/{slug}/answers",
                    token=token,
                    body={
                        "card_id": card["card_id"],
                        "answer": answer_for(card),
                        "idempotency_key": uuid.uuid4().hex,
                        "duration_ms": 4000,
                        "version": card["version"],
                    },
                )
            except (OSError, http.client.HTTPException) as exc:
                run.errors.append(type(exc).__name__)
                break
            if status not in (200, 201):
                run.errors.append(f"answer {status}")
                break
            run.latencies.append((time.perf_counter() - started) * 1000)
            run.cards += 1
            card = json.loads(data)["next"]["card"]


def run_browser(client: Client, learners: list[dict], run: Run) -> None:
    index = 0
    while run.going:
        learner = learners[index % len(learners)]
        index += 1
        client.cookies = learner["cookies"]
        slug = learner["deck"]
        try:
            status, data, _ = client.request("GET", f"/study/{slug}", headers=FETCH)
        except (OSError, http.client.HTTPException) as exc:
            run.errors.append(type(exc).__name__)
            continue
        if status != 200:
            run.errors.append(f"page {status}")
            continue
        form = answer_form(data.decode())
        if form is None:
            run.errors.append("nothing due")  # the seed is too small for the run: say so
            continue
        for _ in range(CARDS_PER_TURN):
            if form is None or not run.going:
                break
            started = time.perf_counter()
            try:
                status, data, _ = client.request(
                    "POST", f"/study/{slug}/answer", form=form, headers=FETCH
                )
            except (OSError, http.client.HTTPException) as exc:
                run.errors.append(type(exc).__name__)
                break
            if status != 200:
                run.errors.append(f"answer {status}")
                break
            run.latencies.append((time.perf_counter() - started) * 1000)
            run.cards += 1
            text = data.decode()
            _, found, upcoming = text.partition("<template data-next-step>")
            form = answer_form(upcoming) if found else None
        learner["cookies"] = client.cookies


def run_floor(client: Client, learners: list[dict], run: Run) -> None:
    index = 0
    while run.going:
        token = learners[index % len(learners)]["token"]
        index += 1
        started = time.perf_counter()
        try:
            status, _, _ = client.request("POST", "/bench/floor", token=token, body={})
        except (OSError, http.client.HTTPException) as exc:
            run.errors.append(type(exc).__name__)
            continue
        if status != 200:
            run.errors.append(f"floor {status}")
            continue
        run.latencies.append((time.perf_counter() - started) * 1000)
        run.cards += 1


def run_pages(client: Client, learners: list[dict], run: Run) -> None:
    """Home page, then the 500-question deck's page; latencies kept apart in ``run.pages``."""
    client.cookies = learners[0]["cookies"]
    index = 0
    while run.going:
        path = ("/", f"/decks/{BIG_DECK}")[index % 2]
        index += 1
        started = time.perf_counter()
        try:
            status, _, _ = client.request("GET", path)
        except (OSError, http.client.HTTPException) as exc:
            run.errors.append(type(exc).__name__)
            continue
        if status != 200:
            run.errors.append(f"{path} {status}")
            continue
        elapsed = (time.perf_counter() - started) * 1000
        run.latencies.append(elapsed)
        run.pages.setdefault("home" if path == "/" else "deck", []).append(elapsed)
        run.cards += 1


SCENARIOS = {"api": run_api, "browser": run_browser, "floor": run_floor, "pages": run_pages}


def drive(
    urls: list[str], scenario: str, learners: list[dict], concurrency: int, seconds: float
) -> dict:
    """Run ``scenario`` with ``concurrency`` threads; learners are dealt out to the threads,
    threads to the servers. Browser sessions are signed in before the timing starts."""
    target = SCENARIOS[scenario]
    per_thread = [learners[i::concurrency] or learners[:1] for i in range(concurrency)]
    if scenario in ("api", "floor"):
        per_thread = [[dict(x) for x in part] for part in per_thread]
    else:
        # Each thread signs in a few learners (sign-in hashes a password: not what is measured).
        per_thread = [
            [dict(x) for x in part[: 3 if scenario == "browser" else 1]] for part in per_thread
        ]
    clients = [Client(urls[i % len(urls)]) for i in range(concurrency)]

    # Two at a time: each hashes a password on the server (argon2), and a crowd of them on a
    # busy machine outlasts the client's timeout.
    gate = threading.Semaphore(2)

    def sign_in(client: Client, part: list[dict]) -> None:
        for learner in part:
            with gate:
                client.cookies = {}
                client.sign_in(learner["email"])
                learner["cookies"] = client.cookies
        client.reconnect()

    if scenario in ("browser", "pages"):
        # In parallel, before the timing (each sign-in hashes a password on the server).
        signing = [
            threading.Thread(target=sign_in, args=(client, part))
            for client, part in zip(clients, per_thread, strict=True)
        ]
        for thread in signing:
            thread.start()
        for thread in signing:
            thread.join()
        missing = sum(1 for part in per_thread for learner in part if "cookies" not in learner)
        if missing:
            raise BadResponse(f"{missing} learner(s) could not sign in")
    for client in clients:
        client.statements = 0
    stop = threading.Event()
    started = time.monotonic()
    runs = [Run(started + seconds, stop) for _ in range(concurrency)]
    for r in runs:
        r.pages = {}
    threads = [
        threading.Thread(target=target, args=(clients[i], per_thread[i], runs[i]))
        for i in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    flat = sorted(x for r in runs for x in r.latencies)
    errors = [e for r in runs for e in r.errors]
    done = sum(r.cards for r in runs)
    statements = sum(c.statements for c in clients)
    result = {
        "scenario": scenario,
        "concurrency": concurrency,
        "servers": len(urls),
        "seconds": round(elapsed, 2),
        "count": done,
        "errors": len(errors),
        "error_kinds": sorted(set(errors)),
        "throughput": round(done / elapsed, 1) if elapsed else 0.0,
        "p50": percentile(flat, 50),
        "p95": percentile(flat, 95),
        "p99": percentile(flat, 99),
        "statements_per_item": round(statements / done, 2) if done else None,
    }
    if scenario == "pages":
        for name in ("home", "deck"):
            values = sorted(x for r in runs for x in r.pages.get(name, []))
            result[name] = {
                "count": len(values),
                "p50": percentile(values, 50),
                "p95": percentile(values, 95),
                "p99": percentile(values, 99),
            }
    return result


def percentile(sorted_values: list[float], pct: float) -> float | None:
    if not sorted_values:
        return None
    rank = max(0, min(len(sorted_values) - 1, round(pct / 100 * len(sorted_values) + 0.5) - 1))
    return round(sorted_values[rank], 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", action="append", required=True, help="a server (repeatable)")
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), required=True)
    parser.add_argument("--learners", required=True, help="JSON file: [{token, email, deck}, ...]")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    with open(args.learners, encoding="utf-8") as f:
        learners = json.load(f)
    print(json.dumps(drive(args.url, args.scenario, learners, args.concurrency, args.seconds)))


if __name__ == "__main__":
    main()
