"""schemathesis against the served OpenAPI description: no server error, no response outside the
schema, for every operation, on whichever database the suite runs on (SQLite or PostgreSQL).

Requests are made as a learner with a bearer token who has a deck (half of the generated slugs
are replaced by that deck's, so the study calls reach real cards) and a quiz attempt. Examples are
bounded per operation so the whole run stays well under a minute; ``QUIZAPP_FUZZ_EXAMPLES`` raises
the bound for a longer hunt.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from quizapp.domain import quiz as rules
from quizapp.services import quiz as quiz_service
from quizapp.services import tokens

EXAMPLES = int(os.environ.get("QUIZAPP_FUZZ_EXAMPLES", "12"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def seeded(app, factory):
    """A learner with a public deck, a quiz attempt on it, and a bearer token."""
    learner = factory.user()
    deck = factory.deck("sample-deck")
    attempt = quiz_service.start_quiz(learner, [deck.slug], rules.make_options(count=3), now=T0)

    def new_token() -> str:
        return tokens.issue_token(learner, now=datetime.now(UTC)).token

    return {
        "token": new_token(),
        "new_token": new_token,
        "slug": deck.slug,
        "attempt_id": attempt.id,
    }


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.yaml", app)
    return [result.ok() for result in schema.get_all_operations()]


def _fuzz(operation, seeded, learner_token) -> None:
    """Run the bounded examples of one operation; raise on the first failing check."""
    fixed = {"attempt_id": seeded["attempt_id"]} if "attempt_id" in operation.path else {}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        params = case.path_parameters or {}
        if "slug" in params and len(params["slug"]) % 2:
            params["slug"] = seeded["slug"]
        if fixed and len(str(params.get("attempt_id"))) % 2:
            params.update(fixed)
        # Revoking the run's own token would end its authentication: a fresh one each time.
        token = learner_token() if operation.path == "/tokens/current" else seeded["token"]
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    run()


def test_every_api_operation_keeps_to_the_schema_and_never_errors(app, seeded):
    operations = _operations(app)
    assert len(operations) >= 15
    failures: list[str] = []
    for operation in operations:
        try:
            _fuzz(operation, seeded, seeded["new_token"])
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failure, then all
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    assert not failures, "\n\n".join(failures)
