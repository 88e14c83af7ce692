"""The instructor's client page with a custom sequence as homework: assigned from the
assign form (the instructor's own, as its current version), shown with adherence and pain
like any homework; another instructor's custom sequence is refused with a form error."""

import pytest

from homestretch.accounts.models import Role
from homestretch.accounts.testing import log_in, make_alice, make_bob, make_user
from homestretch.custom.testing import item, make_custom, make_source
from homestretch.homework.models import Assignment
from homestretch.homework.testing import make_consent, make_teacher
from homestretch.practice.services import practice_log
from homestretch.programs.services import LogEntry

pytestmark = pytest.mark.django_db


def _form(**fields: object) -> dict[str, object]:
    return {"schedule": "weekdays", "weekdays": list(range(1, 8)), **fields}


def test_an_instructor_assigns_their_custom_sequence_and_sees_how_it_goes() -> None:
    bob = make_bob()
    alice = make_alice()
    consent = make_consent(make_teacher(bob), alice)
    clock = make_source("pelvic-clock")
    make_custom(bob, [item(clock, 0)], title="First draft")
    first = make_custom(bob, [item(clock, 6, reps=10)])
    from homestretch.custom.services import custom_sequence_save

    custom_sequence_save(
        owner=bob,
        title="SI joint rescue",
        items=[item(clock, 6, reps=12), item(clock, 0)],
        custom_sequence=first.custom_sequence,
    )
    client = log_in(bob)
    page = client.get(f"/studio/clients/{consent.pk}/assign/").content.decode()
    assert "SI joint rescue (version 2)" in page
    today = alice.local_today()
    response = client.post(
        f"/studio/clients/{consent.pk}/assign/",
        _form(
            custom_sequence=first.custom_sequence_id,
            starts_on=today.isoformat(),
            ends_on=today.isoformat(),
        ),
    )
    assert response.status_code == 302, response.content.decode()
    assignment = Assignment.objects.get(consent=consent)
    assert assignment.custom_version is not None
    assert assignment.custom_version.number == 2  # the current version
    assert not assignment.sequences.exists()

    before = client.get(f"/studio/clients/{consent.pk}/").content.decode()
    assert "SI joint rescue" in before
    assert "custom sequence, version 2" in before
    assert "No homework due" in before  # today counts once practised
    entry = LogEntry(done=True, pain_before=6, pain_after=3, difficulty="ok", note="")
    practice_log(user=alice, custom_version=assignment.custom_version, entry=entry)
    after = client.get(f"/studio/clients/{consent.pk}/").content.decode()
    assert "100% (1 of 1 homework sessions)" in after
    assert "SI joint rescue (version 2)" in after  # the log, by title and version
    dashboard = client.get("/studio/clients/").content.decode()
    assert "100% (1 of 1 homework sessions)" in dashboard


def test_another_instructors_custom_sequence_is_refused_with_a_form_error() -> None:
    bob = make_bob()
    alice = make_alice()
    consent = make_consent(make_teacher(bob), alice)
    dave = make_user("dave@example.com", display_name="Dave", roles=(Role.INSTRUCTOR,))
    make_teacher(dave)
    clock = make_source("pelvic-clock")
    theirs = make_custom(dave, [item(clock, 6)], title="Dave's own")
    client = log_in(bob)
    assert (
        "Dave&#x27;s own"
        not in client.get(f"/studio/clients/{consent.pk}/assign/").content.decode()
    )
    today = alice.local_today().isoformat()
    response = client.post(
        f"/studio/clients/{consent.pk}/assign/",
        _form(custom_sequence=theirs.custom_sequence_id, starts_on=today, ends_on=today),
    )
    assert response.status_code == 400
    assert "That custom sequence is not yours to assign" in response.content.decode()
    assert not Assignment.objects.exists()
    nothing = client.post(
        f"/studio/clients/{consent.pk}/assign/", _form(starts_on=today, ends_on=today)
    )
    assert nothing.status_code == 400
    assert "Choose at least one sequence, or a custom sequence." in nothing.content.decode()
