"""Schemathesis against the live API: every operation of /api/openapi.json, with made-up
inputs, as a member and as an instructor signed in with tokens. No answer may be a
server error or differ from what the description promises (errors included: they are
described once, as ErrorOut). The examples are bounded so the suite stays quick."""

from datetime import timedelta

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from homestretch.accounts.testing import PASSWORD, make_alice, make_bob
from homestretch.billing.testing import give_access
from homestretch.homework.testing import make_assignment, make_consent, make_teacher
from homestretch.programs.testing import make_enrollment, make_logs, make_outcome, make_program

EXAMPLES = 8
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def _token(email: str) -> str:
    response = Client().post(
        "/api/auth/app/v1/auth/login", {"email": email, "password": PASSWORD}, "application/json"
    )
    assert response.status_code == 200, response.content
    return str(response.json()["meta"]["access_token"])


@pytest.mark.django_db(transaction=True)
def test_the_api_keeps_to_its_description_for_a_member_and_an_instructor(
    live_server, settings
) -> None:
    settings.API_RATE_PER_ADDRESS = settings.API_RATE_PER_USER = "100000/min"
    alice = make_alice()
    give_access(alice)
    program = make_program(days=28)
    enrollment = make_enrollment(
        alice, program, start_date=alice.local_today() - timedelta(days=15)
    )
    make_outcome(enrollment, 14, 4, 4, (("Climbing stairs", 7),))
    make_logs(alice, [(6, 4), None, (5, 3)], enrollment=enrollment)
    consent = make_consent(make_teacher(make_bob()), alice, logs=True, checks=True, progress=True)
    today = alice.local_today()
    make_assignment(consent, starts_on=today, ends_on=today + timedelta(days=14))
    tokens = {"member": _token("alice@example.com"), "instructor": _token("bob@example.com")}

    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/openapi.json")
    failures: list[str] = []
    results = list(schema.get_all_operations())
    assert [r.err() for r in results if not hasattr(r, "ok")] == []
    operations = [r.ok() for r in results]  # type: ignore[union-attr]
    assert len(operations) > 20
    for operation in operations:
        for persona, token in tokens.items():
            try:
                _exercise(operation, live_server.url, token)
            except Exception as e:  # every failure is listed, not just the first
                failures.append(f"{persona} {operation.label}: {str(e)[:600]}")
    assert failures == []


def _exercise(operation: schemathesis.APIOperation, base_url: str, token: str) -> None:
    @given(case=operation.as_strategy())
    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        # Schemathesis gives up on an answer after 10 s by default; a busy machine can take
        # longer (a made-up place name is looked up among every place's name), and a first
        # call that times out then makes Hypothesis call the run unreliable.
        case.call_and_validate(
            base_url=base_url,
            headers={"Authorization": f"Bearer {token}"},
            checks=CHECKS,
            timeout=120,
        )

    run()
