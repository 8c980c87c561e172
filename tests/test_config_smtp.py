"""``QUIZAPP_SMTP_*``: the outgoing mail server, with a clear error for each unusable setting."""

from __future__ import annotations

import pytest

from quizapp.config import ConfigError, default_config, smtp_settings

BASE = {"QUIZAPP_SMTP_HOST": "mail.example.org", "QUIZAPP_SMTP_FROM": "quiz@example.org"}


def test_no_host_means_no_mail(monkeypatch, tmp_path):
    assert smtp_settings({}) is None
    monkeypatch.delenv("QUIZAPP_SMTP_HOST", raising=False)
    assert default_config(tmp_path)["QUIZAPP_SMTP"] is None


@pytest.mark.parametrize(
    ("extra", "port", "ssl", "starttls"),
    [
        ({}, 25, False, False),
        ({"QUIZAPP_SMTP_STARTTLS": "1"}, 587, False, True),
        ({"QUIZAPP_SMTP_SSL": "yes"}, 465, True, False),
        ({"QUIZAPP_SMTP_SSL": "1", "QUIZAPP_SMTP_PORT": "2465"}, 2465, True, False),
    ],
)
def test_ports_default_by_security(extra, port, ssl, starttls):
    settings = smtp_settings({**BASE, **extra})
    assert (settings.host, settings.port, settings.ssl, settings.starttls) == (
        "mail.example.org",
        port,
        ssl,
        starttls,
    )
    assert settings.sender == "quiz@example.org" and settings.username is None


def test_credentials_are_kept_but_never_printed():
    settings = smtp_settings(
        {**BASE, "QUIZAPP_SMTP_USERNAME": "quiz", "QUIZAPP_SMTP_PASSWORD": "s3cret-pass"}
    )
    assert (settings.username, settings.password) == ("quiz", "s3cret-pass")
    assert "s3cret-pass" not in repr(settings)


def test_read_from_the_environment(monkeypatch, tmp_path):
    for name, value in BASE.items():
        monkeypatch.setenv(name, value)
    assert default_config(tmp_path)["QUIZAPP_SMTP"].host == "mail.example.org"


@pytest.mark.parametrize(
    ("extra", "names"),
    [
        ({"QUIZAPP_SMTP_SSL": "1", "QUIZAPP_SMTP_STARTTLS": "1"}, "QUIZAPP_SMTP_SSL"),
        ({"QUIZAPP_SMTP_PORT": "smtp"}, "QUIZAPP_SMTP_PORT"),
        ({"QUIZAPP_SMTP_PORT": "70000"}, "QUIZAPP_SMTP_PORT"),
        ({"QUIZAPP_SMTP_USERNAME": "quiz"}, "QUIZAPP_SMTP_PASSWORD"),
        ({"QUIZAPP_SMTP_FROM": ""}, "QUIZAPP_SMTP_FROM"),
        ({"QUIZAPP_SMTP_FROM": "quiz@example.org\nBcc: x@y"}, "QUIZAPP_SMTP_FROM"),
        ({"QUIZAPP_SMTP_STARTTLS": "maybe"}, "QUIZAPP_SMTP_STARTTLS"),
    ],
)
def test_unusable_settings_are_named(extra, names):
    with pytest.raises(ConfigError, match=names):
        smtp_settings({**BASE, **extra})
