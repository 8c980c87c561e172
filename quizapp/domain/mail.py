"""Outgoing mail, the pure part: the SMTP settings and the password-reset message.

Sending (smtplib) is :mod:`quizapp.services.mail`'s; here nothing touches the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid


@dataclass(frozen=True)
class SmtpSettings:
    """Where mail goes: ``ssl`` is SMTP over TLS (port 465), ``starttls`` upgrades a plain
    connection (port 587); neither is plain SMTP (a relay on the same machine)."""

    host: str
    port: int
    sender: str
    username: str | None = None
    password: str | None = None
    ssl: bool = False
    starttls: bool = False

    def __repr__(self) -> str:  # never print the password (logs, tracebacks)
        return (
            f"SmtpSettings(host={self.host!r}, port={self.port}, sender={self.sender!r}, "
            f"username={self.username!r}, ssl={self.ssl}, starttls={self.starttls})"
        )


def _lifetime_text(lifetime: timedelta) -> str:
    minutes = round(lifetime.total_seconds() / 60)
    if minutes % 60:
        return f"{minutes} minutes"
    hours = minutes // 60
    return "1 hour" if hours == 1 else f"{hours} hours"


def reset_message(
    *, sender: str, to: str, link: str, lifetime: timedelta, site: str = "quizapp"
) -> EmailMessage:
    """The email carrying a password-reset ``link`` to ``to`` (plain text)."""
    message = EmailMessage()
    message["Subject"] = f"Reset your {site} password"
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    message.set_content(
        f"Someone (we hope you) asked to reset the password of your {site} account.\n\n"
        f"Choose a new password here:\n\n{link}\n\n"
        f"The link works once, within {_lifetime_text(lifetime)}. Using it signs you out on "
        "every device.\n\n"
        "If you did not ask, ignore this email: your password stays as it is.\n"
    )
    return message
