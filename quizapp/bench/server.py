"""Running the real server (``quizapp serve``: gunicorn) in a child process for a benchmark."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``quizapp serve`` on a free port, with the floor endpoint enabled; a context manager."""

    def __init__(
        self, database_url: str, workers: int, threads: int, log: Path, profile: Path | None = None
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url, self.workers, self.threads, self.log = (
            database_url,
            workers,
            threads,
            log,
        )
        self.process: subprocess.Popen | None = None
        self.profile = profile

    def __enter__(self) -> Server:
        env = {
            **os.environ,
            "QUIZAPP_DATABASE_URL": self.database_url,
            "QUIZAPP_SECRET_KEY": "bench-secret",
            "QUIZAPP_BENCH_FLOOR": "1",
        }
        if self.profile is not None:
            env["QUIZAPP_BENCH_PROFILE"] = str(self.profile)
        self._log_file = self.log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "quizapp",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
                "--no-access-log",
            ],
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.__exit__(None, None, None)
                    raise RuntimeError(f"the server did not start; see {self.log}") from None
                time.sleep(0.2)

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log_file.close()
