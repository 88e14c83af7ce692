from datetime import timedelta

import pytest
from django.test import Client

from homestretch.accounts.testing import make_alice, make_bob, make_user
from homestretch.homework.models import Consent, ConsentEvent
from homestretch.homework.testing import make_consent, make_teacher
from homestretch.programs.testing import make_log


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_revoking_takes_effect_on_the_instructors_very_next_request() -> None:
    bob, alice = make_bob(), make_alice()
    consent = make_consent(make_teacher(bob), alice)
    make_log(alice, on=alice.local_today(), note="felt steadier")
    teacher, member = _as(bob), _as(alice)
    page = f"/studio/clients/{consent.pk}/"
    api = f"/api/studio/clients/{consent.pk}/logs"
    assert "felt steadier" in teacher.get(page).content.decode()
    assert teacher.get(api).json()["items"][0]["note"] == "felt steadier"

    assert member.post(f"/me/homework/consents/{consent.pk}/revoke/").status_code == 302

    # The instructor's old link says that sharing ended, and shows none of the data.
    ended = teacher.get(page)
    assert ended.status_code == 410
    assert "Alice stopped sharing with you" in ended.content.decode()
    assert "felt steadier" not in ended.content.decode()
    assert teacher.get(api).status_code == 404
    assert teacher.get(f"/api/studio/clients/{consent.pk}/outcomes").status_code == 404
    assert teacher.get(f"/studio/clients/{consent.pk}/assign/").status_code == 410
    # Another instructor, or a made-up id, still gets the plain 404.
    dave = make_user("dave@example.com", display_name="Dave")
    make_teacher(dave)
    assert _as(dave).get(page).status_code == 404
    assert teacher.get(f"/studio/clients/{consent.pk + 100}/").status_code == 404
    dashboard = teacher.get("/studio/clients/").content.decode()
    assert "felt steadier" not in dashboard
    assert f'href="/studio/clients/{consent.pk}/"' not in dashboard
    assert teacher.get("/api/studio/clients").json()["items"] == []
    # The history still tells the instructor what happened.
    history = teacher.get("/studio/clients/history/").content.decode()
    assert "Alice" in history
    assert "stopped sharing" in history


@pytest.mark.django_db
def test_changing_what_is_shared_applies_at_once_and_is_audited_on_both_sides() -> None:
    bob, alice = make_bob(), make_alice()
    consent = make_consent(make_teacher(bob), alice)
    make_log(alice, on=alice.local_today(), note="private note")
    teacher, member = _as(bob), _as(alice)
    response = member.post(
        f"/me/homework/consents/{consent.pk}/",
        {f"c{consent.pk}-share_checks": "on", f"c{consent.pk}-share_progress": "on"},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert (consent.share_logs, consent.share_checks, consent.share_progress) == (
        False,
        True,
        True,
    )
    page = teacher.get(f"/studio/clients/{consent.pk}/").content.decode()
    assert "private note" not in page
    assert "does not share their practice logs" in page
    assert teacher.get(f"/api/studio/clients/{consent.pk}/logs").status_code == 404
    assert teacher.get(f"/api/studio/clients/{consent.pk}/outcomes").status_code == 200
    row = teacher.get("/api/studio/clients").json()["items"][0]
    assert row["shares"] == ["checks", "progress"]
    assert row["last_practice"] is None  # logs are not shared, so no dates either

    kinds = list(ConsentEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["granted", "changed"]
    assert "now shares self-checks and outcome checks, program progress" in page
    me = member.get("/me/").content.decode()
    assert "started sharing practice logs" in me
    assert "now shares self-checks and outcome checks, program progress" in me


@pytest.mark.django_db
def test_only_the_client_can_change_or_revoke_their_consent() -> None:
    bob, alice = make_bob(), make_alice()
    consent = make_consent(make_teacher(bob), alice)
    teacher = _as(bob)
    assert teacher.post(f"/me/homework/consents/{consent.pk}/revoke/").status_code == 404
    assert teacher.post(f"/me/homework/consents/{consent.pk}/", {}).status_code == 404
    assert Client().post(f"/me/homework/consents/{consent.pk}/revoke/").status_code == 302
    assert Consent.objects.get().is_active


@pytest.mark.django_db
def test_revoking_twice_is_harmless_and_a_new_invitation_starts_afresh() -> None:
    bob, alice = make_bob(), make_alice()
    instructor = make_teacher(bob)
    first = make_consent(instructor, alice)
    member = _as(alice)
    member.post(f"/me/homework/consents/{first.pk}/revoke/")
    assert member.post(f"/me/homework/consents/{first.pk}/revoke/").status_code == 404
    second = make_consent(instructor, alice, logs=False, checks=True)
    assert second.pk != first.pk
    old = _as(bob).get(f"/studio/clients/{first.pk}/")
    assert old.status_code == 410
    assert f'href="/studio/clients/{second.pk}/"' in old.content.decode()  # shares again
    assert _as(bob).get(f"/studio/clients/{second.pk}/").status_code == 200


@pytest.mark.django_db
def test_the_client_page_shows_logs_over_time_when_shared() -> None:
    bob, alice = make_bob(), make_alice()
    consent = make_consent(make_teacher(bob), alice)
    today = alice.local_today()
    make_log(alice, on=today - timedelta(days=3), before=7, after=5, note="three days ago")
    make_log(alice, on=today - timedelta(days=120), note="too old for the page")
    page = _as(bob).get(f"/studio/clients/{consent.pk}/")
    text = page.content.decode()
    assert page["Cache-Control"] == "private, no-store"
    assert "three days ago" in text
    assert "too old for the page" not in text
