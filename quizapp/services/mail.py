"""Sending mail through the configured SMTP server (stdlib ``smtplib``).

:func:`send` delivers at once and raises on failure; :func:`send_later` builds and delivers the
message in a background thread, so a request waits neither for the mail server nor for the
message (a page that sends mail for some inputs only, like "forgot password", then answers in
about the same time either way). Its failures are logged (logger ``quizapp.mail``), never shown
to the visitor.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
from collections.abc import Callable
from email.message import EmailMessage

from quizapp.domain.mail import SmtpSettings

log = logging.getLogger("quizapp.mail")
TIMEOUT_S = 20


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Deliver ``message`` now; ``smtplib.SMTPException`` or ``OSError`` when the server fails."""
    context = ssl.create_default_context()
    if settings.ssl:
        client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_S,
                                                context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_S)
    with client:
        if settings.starttls:
            client.starttls(context=context)
        if settings.username:
            client.login(settings.username, settings.password or "")
        client.send_message(message)


def _send_logged(settings: SmtpSettings, make: Callable[[], EmailMessage]) -> None:
    message = make()
    try:
        send(settings, message)
    except (smtplib.SMTPException, OSError) as exc:
        log.error("could not send %r to %s through %s:%s: %s", message["Subject"],
                  message["To"], settings.host, settings.port, exc)
    else:
        log.info("sent %r to %s", message["Subject"], message["To"])


def send_later(settings: SmtpSettings, make: Callable[[], EmailMessage]) -> threading.Thread:
    """Build the message with ``make()`` and deliver it, in a background thread (returned, for
    tests that wait for it). Building is left to the thread too: ``email`` parses every header
    it is given, which takes longer than the rest of a request."""
    thread = threading.Thread(target=_send_logged, args=(settings, make),
                              name="quizapp-mail", daemon=True)
    thread.start()
    return thread
