"""``quizapp serve`` as a new user runs it: migrate, load the bundled decks, serve (gunicorn)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from ruamel.yaml import YAML

from .conftest import PROJECT_ROOT, _free_port


def _bundled_titles() -> dict[str, str]:
    yaml = YAML(typ="safe")
    return {
        data["id"]: data["title"]
        for data in (
            yaml.load(p.read_text(encoding="utf-8"))
            for p in sorted((PROJECT_ROOT / "decks").glob("*.yaml"))
        )
    }


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def test_serve_migrates_imports_bundled_decks_and_serves(tmp_path: Path):
    port = _free_port()
    env = {
        **os.environ,
        "QUIZAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "QUIZAPP_SECRET_KEY": "serve-test",
    }
    env.pop("QUIZAPP_TEST_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "quizapp", "serve", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                home = _get(url)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"server did not start:\n{process.stdout.read()}"
                    ) from None
                time.sleep(0.2)
        titles = _bundled_titles()
        assert titles, "the project must bundle decks"
        for slug, title in titles.items():
            assert title in home
            assert f'href="/decks/{slug}"' in home
            deck_page = _get(f"{url}decks/{slug}")
            assert 'class="card question"' in deck_page
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert f"quizapp is serving on {url}" in output
    assert "gunicorn" in output.lower()
    assert "importing the bundled decks" in output


def test_serve_with_several_workers_shares_metrics_and_logs_json(tmp_path: Path):
    """Two gunicorn workers: every scrape adds up both workers' counts; every log line is JSON."""
    import json
    import re

    port = _free_port()
    env = {
        **os.environ,
        "QUIZAPP_DATABASE_URL": f"sqlite:///{tmp_path / 'serve.db'}",
        "QUIZAPP_SECRET_KEY": "serve-test",
        "QUIZAPP_METRICS": "1",
        "QUIZAPP_LOG_FORMAT": "json",
        "PYTHONPATH": str(PROJECT_ROOT),  # this checkout, installed or not
    }
    for name in ("QUIZAPP_TEST_DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "quizapp", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{url}/readyz")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"server did not start:\n{process.stdout.read()}"
                    ) from None
                time.sleep(0.2)
        for _ in range(20):
            _get(f"{url}/healthz")  # a new connection each time: either worker may answer
        totals = set()
        for _ in range(6):
            text = _get(f"{url}/metrics")
            match = re.search(
                r'^quizapp_http_requests_total\{endpoint="main.healthz",'
                r'method="GET",status="200"\} (\S+)$',
                text,
                re.M,
            )
            assert match, text[:2000]
            totals.add(float(match.group(1)))
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert totals == {20.0}, f"scrapes disagree: {totals}"
    lines = [line for line in output.splitlines() if line.strip()]
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except ValueError:
            raise AssertionError(f"not a JSON log line: {line!r}\n{output}") from None
    folder = next(e["message"] for e in entries if "metrics at /metrics" in e["message"])
    assert "/prometheus/" in folder
    assert any(e["logger"] == "gunicorn.error" for e in entries)
    healthz = [e for e in entries if e["logger"] == "quizapp.request" and e["path"] == "/healthz"]
    assert len(healthz) == 20 and all(e["status"] == 200 and e["request_id"] for e in healthz)
