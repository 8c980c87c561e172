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
    monkeypatch.setattr(gunicorn.app.base.BaseApplication, "run",
                        lambda self: seen.update(self.cfg.settings))
    serve.run_gunicorn(host="127.0.0.1", port=5999, workers=1, threads=1, access_log=False,
                       config={})
    if "control_socket_disable" in seen:
        assert seen["control_socket_disable"].get() is True


def test_pages_name_a_favicon_that_is_served(client):
    page = client.get("/").get_data(as_text=True)
    assert 'rel="icon"' in page and "favicon.svg" in page
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and b"<svg" in icon.data
