"""The load process: K concurrent learners driving a running quizapp server for T seconds.

Run as ``python -m quizapp.bench.load`` by ``quizapp bench`` (a separate process, so the server's
CPU time is not the client's). Each thread keeps one HTTP/1.1 connection and repeats either the
study round trip (``GET /api/v1/study/<deck>/next`` then ``POST .../answers``) or the floor request,
and records each latency. Prints one JSON object with the counts and the latencies in ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import threading
import time
import uuid
from urllib.parse import urlsplit

ROUND_TRIPS_PER_LEARNER = 20


class Client:
    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(self, method: str, path: str, token: str, body: dict | None = None):
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        try:
            self.conn.request(method, path, body=payload, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (ConnectionError, http.client.HTTPException, TimeoutError):
            self.conn.close()
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            raise
        return response.status, data


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


def run_study(client: Client, learners: list[tuple[str, str]], deadline: float,
              latencies: list[float], errors: list[str], stop: threading.Event) -> None:
    index = 0
    while time.monotonic() < deadline and not stop.is_set():
        token, slug = learners[index % len(learners)]
        index += 1
        for _ in range(ROUND_TRIPS_PER_LEARNER):
            if time.monotonic() >= deadline:
                return
            started = time.perf_counter()
            try:
                status, data = client.request("GET", f"/api/v1/study/{slug}/next", token)
                if status != 200:
                    errors.append(f"next {status}")
                    break
                card = json.loads(data)["card"]
                if card is None:
                    break
                status, _ = client.request("POST", f"/api/v1/study/{slug}/answers", token, {
                    "card_id": card["card_id"], "answer": answer_for(card),
                    "idempotency_key": uuid.uuid4().hex, "duration_ms": 4000,
                    "version": card["version"]})
            except (OSError, http.client.HTTPException) as exc:
                errors.append(type(exc).__name__)
                continue
            if status not in (200, 201):
                errors.append(f"answer {status}")
                continue
            latencies.append((time.perf_counter() - started) * 1000)


def run_floor(client: Client, learners: list[tuple[str, str]], deadline: float,
              latencies: list[float], errors: list[str], stop: threading.Event) -> None:
    index = 0
    while time.monotonic() < deadline and not stop.is_set():
        token, _ = learners[index % len(learners)]
        index += 1
        started = time.perf_counter()
        try:
            status, _ = client.request("POST", "/bench/floor", token, {})
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            continue
        if status != 200:
            errors.append(f"floor {status}")
            continue
        latencies.append((time.perf_counter() - started) * 1000)


def drive(base_url: str, scenario: str, learners: list[tuple[str, str]], concurrency: int,
          seconds: float) -> dict:
    """Run ``scenario`` with ``concurrency`` threads; learners are dealt out to the threads."""
    target = run_study if scenario == "study" else run_floor
    per_thread = [learners[i::concurrency] or learners for i in range(concurrency)]
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    errors: list[list[str]] = [[] for _ in range(concurrency)]
    stop = threading.Event()
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=target, args=(Client(base_url), per_thread[i], deadline,
                                                     latencies[i], errors[i], stop))
               for i in range(concurrency)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    flat = sorted(x for part in latencies for x in part)
    all_errors = [e for part in errors for e in part]
    return {"scenario": scenario, "concurrency": concurrency, "seconds": round(elapsed, 2),
            "count": len(flat), "errors": len(all_errors), "error_kinds": sorted(set(all_errors)),
            "throughput": round(len(flat) / elapsed, 1) if elapsed else 0.0,
            "p50": percentile(flat, 50), "p95": percentile(flat, 95), "p99": percentile(flat, 99)}


def percentile(sorted_values: list[float], pct: float) -> float | None:
    if not sorted_values:
        return None
    rank = max(0, min(len(sorted_values) - 1, round(pct / 100 * len(sorted_values) + 0.5) - 1))
    return round(sorted_values[rank], 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--scenario", choices=("study", "floor"), required=True)
    parser.add_argument("--learners", required=True, help="JSON file: [[token, deck slug], ...]")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    with open(args.learners, encoding="utf-8") as f:
        learners = [tuple(pair) for pair in json.load(f)]
    print(json.dumps(drive(args.url, args.scenario, learners, args.concurrency, args.seconds)))


if __name__ == "__main__":
    main()
