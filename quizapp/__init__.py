"""quizapp: question decks from explainer articles, studied with spaced repetition.

:func:`create_app` is the only way an app is made: the CLI, the WSGI server and the tests
all call it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from .config import ConfigError, default_config, load_secret_key, setting
from .resources import resource_dir

__version__ = "0.1.0"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides the environment (tests pass their database here)."""
    instance_path = setting("QUIZAPP_INSTANCE_PATH")  # Docker, systemd: /var/lib/quizapp
    if instance_path and not Path(instance_path).is_absolute():
        raise ConfigError(f"QUIZAPP_INSTANCE_PATH={instance_path!r}: an absolute path")
    app = Flask(
        __name__,
        instance_relative_config=True,
        instance_path=instance_path,
        template_folder=str(resource_dir("templates")),
    )
    instance = Path(app.instance_path)
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)  # the key, maybe the database
    app.config.from_mapping(default_config(instance))
    app.config["SECRET_KEY"] = (config or {}).get("SECRET_KEY") or load_secret_key(instance)
    if config:
        app.config.update(config)

    from . import models  # noqa: F401  (every table registered before Migrate looks)
    from .cli import register as register_commands
    from .database import configure_engine, secure_sqlite_file
    from .extensions import csrf, db, login_manager, migrate
    from .web import register_blueprints

    secure_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"])
    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource_dir("migrations")))
    csrf.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        configure_engine(db.engine, busy_timeout_ms=app.config["QUIZAPP_SQLITE_BUSY_TIMEOUT_MS"])
    register_blueprints(app)
    register_commands(app)
    return app
