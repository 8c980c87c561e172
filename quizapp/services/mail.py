"""Sending mail through the configured SMTP server (stdlib ``smtplib``).

:func:`send` delivers at once and raises on failure; :func:`send_later` hands the message to a
background thread, so a request does not wait for the mail server (and a page that sends mail only
for some inputs, like "forgot password", answers in the same time either way). Its failures are
logged (logger ``quizapp.mail``), never shown to the visitor.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import threading
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


def _send_logged(settings: SmtpSettings, message: EmailMessage) -> None:
    try:
        send(settings, message)
    except (smtplib.SMTPException, OSError) as exc:
        log.error("could not send %r to %s through %s:%s: %s", message["Subject"],
                  message["To"], settings.host, settings.port, exc)
    else:
        log.info("sent %r to %s", message["Subject"], message["To"])


def send_later(settings: SmtpSettings, message: EmailMessage) -> threading.Thread:
    """Deliver ``message`` in a background thread (returned, for tests that wait for it)."""
    thread = threading.Thread(target=_send_logged, args=(settings, message),
                              name="quizapp-mail", daemon=True)
    thread.start()
    return thread
