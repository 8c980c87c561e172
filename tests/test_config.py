from __future__ import annotations

import stat

from quizapp.config import load_secret_key, normalise_database_url


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("QUIZAPP_SECRET_KEY", raising=False)
    first = load_secret_key(tmp_path)
    assert len(first) == 64
    assert load_secret_key(tmp_path) == first
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZAPP_SECRET_KEY", "from-env")
    assert load_secret_key(tmp_path) == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_database_url_spellings():
    assert normalise_database_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_default_database_is_sqlite_in_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("QUIZAPP_DATABASE_URL", raising=False)
    from quizapp.config import default_config

    assert default_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/quizapp.db"


def test_quizapp_help_lists_only_quizapps_commands_and_options():
    from click.testing import CliRunner

    from quizapp.cli import cli

    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    for flask_option in ("--env-file", "--app", "--debug"):
        assert flask_option not in result.output
    for command in ("serve", "build", "evaluate", "import", "export", "fsrs", "user"):
        assert f"  {command} " in result.output


def test_gunicorn_opens_no_control_socket_outside_the_instance_folder(monkeypatch):
    import gunicorn.app.base

    from quizapp.cli import serve

    seen = {}
    monkeypatch.setattr(
        gunicorn.app.base.BaseApplication, "run", lambda self: seen.update(self.cfg.settings)
    )
    serve.run_gunicorn(
        host="127.0.0.1", port=5999, workers=1, threads=1, access_log=False, config={}
    )
    if "control_socket_disable" in seen:
        assert seen["control_socket_disable"].get() is True


def test_pages_name_a_favicon_that_is_served(client):
    page = client.get("/").get_data(as_text=True)
    assert 'rel="icon"' in page and "favicon.svg" in page
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and b"<svg" in icon.data


# --- secrets from files (QUIZAPP_*_FILE) -------------------------------------------------------


def test_every_secret_setting_reads_a_file(tmp_path, monkeypatch):
    from quizapp.config import default_config

    for name, value in (
        ("QUIZAPP_SECRET_KEY", "key-from-a-file"),
        ("QUIZAPP_DATABASE_URL", "postgres://quizapp:pw@db/quizapp"),
        ("QUIZAPP_METRICS_TOKEN", "scrape-token"),
    ):
        monkeypatch.delenv(name, raising=False)
        (tmp_path / name).write_text(value + "\n")  # as `echo value > file` writes it
        monkeypatch.setenv(f"{name}_FILE", str(tmp_path / name))
    assert load_secret_key(tmp_path) == "key-from-a-file"
    config = default_config(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://quizapp:pw@db/quizapp"
    assert config["QUIZAPP_METRICS_TOKEN"] == "scrape-token"


def test_a_setting_and_its_file_together_are_refused(tmp_path, monkeypatch):
    import pytest

    from quizapp.config import ConfigError, setting

    (tmp_path / "key").write_text("a")
    monkeypatch.setenv("QUIZAPP_SECRET_KEY", "b")
    monkeypatch.setenv("QUIZAPP_SECRET_KEY_FILE", str(tmp_path / "key"))
    with pytest.raises(ConfigError, match="QUIZAPP_SECRET_KEY and QUIZAPP_SECRET_KEY_FILE"):
        setting("QUIZAPP_SECRET_KEY")


def test_a_missing_secret_file_is_named(tmp_path, monkeypatch):
    import pytest

    from quizapp.config import ConfigError, setting

    monkeypatch.delenv("QUIZAPP_DATABASE_URL", raising=False)
    monkeypatch.setenv("QUIZAPP_DATABASE_URL_FILE", str(tmp_path / "nope"))
    with pytest.raises(ConfigError, match=r"QUIZAPP_DATABASE_URL_FILE=.*nope.*cannot read"):
        setting("QUIZAPP_DATABASE_URL")


def test_log_format_is_checked(monkeypatch, tmp_path):
    import pytest

    from quizapp.config import ConfigError, default_config

    monkeypatch.setenv("QUIZAPP_LOG_FORMAT", "JSON")
    assert default_config(tmp_path)["QUIZAPP_LOG_FORMAT"] == "json"
    monkeypatch.setenv("QUIZAPP_LOG_FORMAT", "xml")
    with pytest.raises(ConfigError, match="QUIZAPP_LOG_FORMAT='xml': use text or json"):
        default_config(tmp_path)


def test_the_instance_folder_can_be_chosen(tmp_path, monkeypatch):
    import pytest

    from quizapp import create_app
    from quizapp.config import ConfigError

    for name in ("QUIZAPP_DATABASE_URL", "QUIZAPP_SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QUIZAPP_INSTANCE_PATH", str(tmp_path / "state"))
    app = create_app()
    assert app.instance_path == str(tmp_path / "state")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'state' / 'quizapp.db'}"
    assert (tmp_path / "state" / "secret_key").exists()
    monkeypatch.setenv("QUIZAPP_INSTANCE_PATH", "relative/state")
    with pytest.raises(ConfigError, match="an absolute path"):
        create_app()
