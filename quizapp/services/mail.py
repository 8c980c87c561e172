"""Sending mail through the configured SMTP server (stdlib ``smtplib``).

:func:`send` delivers at once and raises on failure; :func:`deliver` logs a failure (logger
``quizapp.mail``) instead, for mail sent where nobody waits for the answer (a background job).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

from quizapp.domain.mail import SmtpSettings

log = logging.getLogger("quizapp.mail")
TIMEOUT_S = 20


def send(settings: SmtpSettings, message: EmailMessage) -> None:
    """Deliver ``message`` now; ``smtplib.SMTPException`` or ``OSError`` when the server fails."""
    context = ssl.create_default_context()
    if settings.ssl:
        client: smtplib.SMTP = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=TIMEOUT_S, context=context
        )
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_S)
    with client:
        if settings.starttls:
            client.starttls(context=context)
        if settings.username:
            client.login(settings.username, settings.password or "")
        client.send_message(message)


def deliver(settings: SmtpSettings, message: EmailMessage) -> bool:
    """:func:`send`, logging instead of raising; whether the server took the message."""
    try:
        send(settings, message)
    except (smtplib.SMTPException, OSError) as exc:
        log.error(
            "could not send %r to %s through %s:%s: %s",
            message["Subject"],
            message["To"],
            settings.host,
            settings.port,
            exc,
        )
        return False
    log.info("sent %r to %s", message["Subject"], message["To"])
    return True
