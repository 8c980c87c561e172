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
