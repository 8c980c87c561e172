"""Work that runs after the answer: :func:`after_response` starts a job in a background thread,
with the app's context, once the server has sent the response (WSGI ``close``).

For work whose duration must not show in the answer ("forgot password" looks the email up and
mails only when it has an account) or that should not keep the visitor waiting (the mail server).
The thread is a daemon of the app process: a job still running when the process stops is lost,
and a failure is logged, never shown.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import after_this_request, current_app

from quizapp.extensions import db


def after_response(job: Callable[[], object]) -> None:
    """Run ``job`` in a background thread, within an app context, once this answer is sent."""
    app = current_app._get_current_object()

    def run() -> None:
        with app.app_context():
            try:
                job()
            except Exception:
                db.session.rollback()
                app.logger.exception("background job failed")
            finally:
                db.session.remove()

    @after_this_request
    def _schedule(response):
        response.call_on_close(
            lambda: threading.Thread(target=run, name="quizapp-after-response", daemon=True).start()
        )
        return response
