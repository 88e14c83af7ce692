from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from homestretch.accounts.testing import make_bob, make_user
from homestretch.homework.digest import digests_send
from homestretch.homework.models import AlertDigest
from homestretch.homework.services import consent_revoke
from homestretch.homework.testing import make_assignment, make_consent, make_teacher
from homestretch.programs.testing import make_log

NOW = datetime(2025, 3, 12, 7, 0, tzinfo=UTC)
TODAY = date(2025, 3, 12)


def _send(now: datetime = NOW) -> int:
    with TestCase.captureOnCommitCallbacks(execute=True):
        return digests_send(now)


@pytest.mark.django_db
def test_an_opted_in_instructor_gets_one_digest_a_day_with_the_alerts() -> None:
    bob = make_bob()
    instructor = make_teacher(bob)
    hurting = make_user("hurt@example.com", display_name="Hana")
    quiet = make_user("quiet@example.com", display_name="Quinn")
    fine = make_user("fine@example.com", display_name="Fay")
    make_log(hurting, on=TODAY - timedelta(days=1), before=8)
    consent = make_consent(instructor, quiet)
    make_assignment(consent, starts_on=TODAY - timedelta(days=20), ends_on=TODAY)
    make_consent(instructor, hurting)
    make_consent(instructor, fine)
    make_log(fine, on=TODAY, before=3)

    assert _send() == 0  # not opted in
    AlertDigest.objects.create(instructor=instructor, is_enabled=True)
    assert _send() == 1
    assert _send(NOW + timedelta(hours=5)) == 0  # the same day: nothing twice
    assert len(mail.outbox) == 1
    body = str(mail.outbox[0].body)
    assert "Hana: logged pain of 7 or more" in body
    assert "Quinn: has not practised for 7 days" in body
    assert "Fay" not in body
    assert mail.outbox[0].to == [bob.email]

    assert _send(NOW + timedelta(days=1)) == 1  # the next day, again


@pytest.mark.django_db
def test_no_alerts_no_email_and_revoked_clients_are_left_out() -> None:
    bob = make_bob()
    instructor = make_teacher(bob)
    AlertDigest.objects.create(instructor=instructor, is_enabled=True)
    hurting = make_user("hurt@example.com", display_name="Hana")
    make_log(hurting, on=TODAY, before=9)
    consent = make_consent(instructor, hurting)
    consent_revoke(consent=consent)
    assert _send() == 0
    assert mail.outbox == []
    assert AlertDigest.objects.get().last_sent_on == TODAY


@pytest.mark.django_db
def test_the_command_runs_the_digest() -> None:
    call_command("send_homework_digests")
