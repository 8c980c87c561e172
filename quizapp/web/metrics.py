"""Prometheus metrics (``QUIZAPP_METRICS=1``): requests, latency, reviews recorded, cards due.

- ``quizapp_http_requests_total{endpoint,method,status}`` and
  ``quizapp_http_request_duration_seconds{endpoint,method}`` (histogram), counted for every
  request. ``endpoint`` is the Flask endpoint (``study.answer``), never the URL, so the label set
  stays small; unrouted requests count as ``none``.
- ``quizapp_reviews_recorded_total``: learners' answers committed to the review log (counted when
  the transaction that added them commits; a rolled-back answer does not count).
- ``quizapp_cards_due``: cards due now over all learners, counted on each scrape
  (:func:`quizapp.services.health.due_cards`).

Several gunicorn workers: ``quizapp serve`` points ``PROMETHEUS_MULTIPROC_DIR`` at a new folder in
the instance folder (``prometheus/<pid>``) before any worker starts; each worker writes its
samples there, a scrape of any worker adds them all up, and gunicorn's ``child_exit`` hook retires
a dead worker's live gauges (:func:`prepare_multiprocess_dir`, :func:`child_exit`).
prometheus_client picks its storage when first imported, so it is imported here lazily, in the
worker, never in ``serve``'s own process before that folder is set.
"""

from __future__ import annotations

import os
import shutil
import time
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import Flask, g, request
from sqlalchemy.orm import Session

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@cache
def _metrics() -> dict[str, Any]:
    """The metric objects, made once per process on first use."""
    from prometheus_client import Counter, Histogram

    return {
        "requests": Counter(
            "quizapp_http_requests", "HTTP requests answered", ["endpoint", "method", "status"]
        ),
        "latency": Histogram(
            "quizapp_http_request_duration_seconds",
            "Time to answer an HTTP request",
            ["endpoint", "method"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
        ),
        "reviews": Counter(
            "quizapp_reviews_recorded", "Learners' answers recorded in the review log"
        ),
    }


def register(app: Flask) -> None:
    """Count every request of ``app`` when ``QUIZAPP_METRICS`` is on."""
    if not app.config.get("QUIZAPP_METRICS"):
        return
    _count_reviews()

    @app.before_request
    def _start_timer() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _observe(response):
        started = g.pop("metrics_started", None)
        if started is not None:
            endpoint = request.url_rule.endpoint if request.url_rule else "none"
            method = request.method if request.method in METHODS else "other"
            metrics = _metrics()
            metrics["requests"].labels(endpoint, method, str(response.status_code)).inc()
            metrics["latency"].labels(endpoint, method).observe(time.perf_counter() - started)
        return response


@cache
def _count_reviews() -> None:
    """Count ``Review`` rows when their transaction commits (once per process): those the ORM
    flushes, and those the answer's Core statements write (:mod:`quizapp.services.study.writes`
    counts them under the same key)."""
    from quizapp.models import Review
    from quizapp.services.study.writes import RECORDED as key
    from quizapp.services.study.writes import note_recorded

    @sa.event.listens_for(Session, "after_flush")
    def _added(session, _context) -> None:
        added = sum(1 for row in session.new if isinstance(row, Review))
        if added:
            note_recorded(session, added)

    @sa.event.listens_for(Session, "after_commit")
    def _committed(session) -> None:
        added = session.info.pop(key, 0)
        if added:
            _metrics()["reviews"].inc(added)

    @sa.event.listens_for(Session, "after_rollback")
    def _rolled_back(session) -> None:
        session.info.pop(key, None)


def exposition(due_cards: int) -> tuple[bytes, str]:
    """The metrics of this process, or of every worker in multiprocess mode, as Prometheus text."""
    from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
    from prometheus_client.core import GaugeMetricFamily

    _metrics()  # every metric is listed, at zero, from the first scrape on
    folder = os.environ.get(MULTIPROC_ENV)
    if folder:
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=folder)
    else:
        registry = REGISTRY
    gauge = GaugeMetricFamily(
        "quizapp_cards_due", "Cards due now, over all learners", value=due_cards
    )
    text = generate_latest(registry) + generate_latest(_Fixed([gauge]))
    return text, CONTENT_TYPE_LATEST


class _Fixed:
    """A collector of metric families already computed (for :func:`generate_latest`)."""

    def __init__(self, families: list) -> None:
        self._families = families

    def collect(self):
        return iter(self._families)


def prepare_multiprocess_dir(instance: Path) -> Path:
    """An empty ``<instance>/prometheus/<pid>`` named in ``PROMETHEUS_MULTIPROC_DIR`` (``serve``).

    One folder per ``quizapp serve`` process (its pid), so two servers of one instance folder
    never add up each other's samples; folders of servers no longer running are removed (an
    earlier run's counts would otherwise be added to this one's).
    """
    parent = instance / "prometheus"
    parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    for old in parent.iterdir():
        if not (old.name.isdigit() and _running(int(old.name))):
            shutil.rmtree(old, ignore_errors=True)
    folder = parent / str(os.getpid())
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700)
    os.environ[MULTIPROC_ENV] = str(folder)
    return folder


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a folder left by an earlier process that had this pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def child_exit(_server, worker) -> None:
    """gunicorn's ``child_exit`` hook: a dead worker's live gauges are dropped."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
