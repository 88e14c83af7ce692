"""Who gets a client's data, on every /studio/ page and homework API route.

Personas: bob, the client's instructor; erin, another instructor of the same client (who
shares nothing with her but program progress); dave, an instructor with no link to the
client; bob again after the client revoked; alice the client herself (a member, no
instructor role); and anonymous. Only bob, before the revocation, gets the data.
"""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client

from homestretch.accounts.models import User
from homestretch.accounts.testing import make_alice, make_bob, make_user
from homestretch.finder.models import ContactMessage
from homestretch.homework.models import Assignment, Consent, Invitation
from homestretch.homework.services import consent_revoke
from homestretch.homework.testing import make_assignment, make_consent, make_teacher
from homestretch.programs.testing import make_log

SECRET = "a secret note"


def _as(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def world(db: None) -> dict[str, object]:
    bob, alice = make_bob(), make_alice()
    erin = make_user("erin@example.com", display_name="Erin")
    dave = make_user("dave@example.com", display_name="Dave")
    bob_instructor = make_teacher(bob)
    consent = make_consent(bob_instructor, alice)
    other_consent = make_consent(make_teacher(erin), alice, logs=False, progress=True)
    make_teacher(dave)
    today = alice.local_today()
    make_log(alice, on=today, note=SECRET, before=8)
    assignment = make_assignment(consent, starts_on=today, ends_on=today + timedelta(days=7))
    invitation = Invitation.objects.create(
        instructor=bob_instructor, email="someone@example.org", expires_at=consent.granted_at
    )
    message = ContactMessage.objects.create(
        instructor=bob_instructor, sender_name="Zed", sender_email="z@example.org", body="Hi"
    )
    return {
        "bob": bob,
        "alice": alice,
        "erin": erin,
        "dave": dave,
        "consent": consent,
        "other_consent": other_consent,
        "assignment": assignment,
        "invitation": invitation,
        "message": message,
    }


def _client_routes(w: dict[str, object]) -> list[tuple[str, str, dict[str, object]]]:
    consent = w["consent"]
    assert isinstance(consent, Consent)
    assignment = w["assignment"]
    assert isinstance(assignment, Assignment)
    return [
        ("get", f"/studio/clients/{consent.pk}/", {}),
        ("get", f"/studio/clients/{consent.pk}/assign/", {}),
        ("post", f"/studio/clients/{consent.pk}/assign/", {}),
        ("post", f"/studio/clients/{consent.pk}/assignments/{assignment.pk}/end/", {}),
        ("get", f"/api/studio/clients/{consent.pk}/logs", {}),
        ("get", f"/api/studio/clients/{consent.pk}/outcomes", {}),
    ]


def _call(client: Client, method: str, url: str, data: dict[str, object]):
    return getattr(client, method)(url, data)


@pytest.mark.parametrize("who", ["anonymous", "alice", "dave", "erin", "bob_after_revoke"])
def test_nobody_but_the_clients_instructor_reaches_the_clients_data(
    world: dict[str, object], who: str
) -> None:
    user = None if who == "anonymous" else world[who.removesuffix("_after_revoke")]
    if who == "bob_after_revoke":
        consent = world["consent"]
        assert isinstance(consent, Consent)
        consent_revoke(consent=consent)
    client = _as(user)  # type: ignore[arg-type]
    expected = {"anonymous": 302, "alice": 403, "dave": 404, "erin": 404, "bob_after_revoke": 404}
    for method, url, data in _client_routes(world):
        response = _call(client, method, url, data)
        want = expected[who]
        if url.startswith("/api/") and who == "anonymous":
            want = 401
        if who == "bob_after_revoke" and not url.startswith("/api/"):
            want = 410  # the studio's pages say that sharing ended; the API stays 404
        assert response.status_code == want, (who, method, url, response.status_code)
        assert SECRET not in response.content.decode()
    assert Assignment.objects.filter(pk=world["assignment"].pk).exists()  # type: ignore[attr-defined]
    assert Assignment.objects.count() == 1


def test_the_clients_instructor_gets_the_data(world: dict[str, object]) -> None:
    client = _as(world["bob"])  # type: ignore[arg-type]
    for method, url, _ in _client_routes(world):
        if method == "get" and not url.endswith("/outcomes"):
            response = client.get(url)
            assert response.status_code == 200, url
    assert SECRET in client.get(_client_routes(world)[0][1]).content.decode()
    consent = world["consent"]
    assert isinstance(consent, Consent)
    # Outcome checks are not shared with bob: 404, as for anyone.
    assert client.get(f"/api/studio/clients/{consent.pk}/outcomes").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "alice", "dave", "erin", "bob"])
def test_the_dashboard_and_its_api_list_only_ones_own_clients(
    world: dict[str, object], who: str
) -> None:
    client = _as(None if who == "anonymous" else world[who])  # type: ignore[arg-type]
    page = client.get("/studio/clients/")
    api = client.get("/api/studio/clients")
    if who == "anonymous":
        assert (page.status_code, api.status_code) == (302, 401)
        return
    if who == "alice":
        assert (page.status_code, api.status_code) == (403, 403)
        return
    assert (page.status_code, api.status_code) == (200, 200)
    names = [row["name"] for row in api.json()["items"]]
    consent = world["consent"]
    assert isinstance(consent, Consent)
    if who == "bob":
        assert names == ["Alice"]
        assert f"/studio/clients/{consent.pk}/" in page.content.decode()
        assert api.json()["items"][0]["alerts"] == ["high_pain"]
    elif who == "erin":
        assert names == ["Alice"]
        assert api.json()["items"][0]["last_practice"] is None  # erin sees no logs
        assert api.json()["items"][0]["alerts"] == []
        assert "Practice logs not shared" in page.content.decode()
    else:
        assert names == []
        assert "Alice" not in page.content.decode()


@pytest.mark.parametrize(
    "route",
    [
        lambda w: ("get", "/studio/", {}),
        lambda w: ("get", "/studio/profile/", {}),
        lambda w: ("get", "/studio/clients/history/", {}),
        lambda w: ("get", f"/studio/messages/{w['message'].pk}/", {}),
        lambda w: ("post", "/studio/clients/invite/", {"email": "new@example.org"}),
        lambda w: ("post", "/studio/clients/digest/", {"is_enabled": "on"}),
        lambda w: ("post", f"/studio/clients/invitations/{w['invitation'].pk}/cancel/", {}),
    ],
)
def test_every_other_studio_route_is_for_its_own_instructor(
    world: dict[str, object], route: Callable[[dict[str, object]], tuple[str, str, dict]]
) -> None:
    method, url, data = route(world)
    assert _call(_as(None), method, url, data).status_code == 302
    assert _call(_as(world["alice"]), method, url, data).status_code == 403  # type: ignore[arg-type]
    dave = _call(_as(world["dave"]), method, url, data).status_code  # type: ignore[arg-type]
    bob = _call(_as(world["bob"]), method, url, data).status_code  # type: ignore[arg-type]
    if "/messages/" in url or "/invitations/" in url:
        assert dave == 404  # bob's message, bob's invitation
    assert bob in (200, 302)


def test_my_homework_in_the_api_is_mine_alone(world: dict[str, object]) -> None:
    assert _as(None).get("/api/me/homework").status_code == 401
    mine = _as(world["alice"]).get("/api/me/homework").json()["items"]  # type: ignore[arg-type]
    assert [(h["instructor"], h["sequences"][0]["slug"]) for h in mine] == [("Bob", "pelvic-clock")]
    assert _as(world["dave"]).get("/api/me/homework").json()["items"] == []  # type: ignore[arg-type]
    consent = world["consent"]
    assert isinstance(consent, Consent)
    consent_revoke(consent=consent)
    assert _as(world["alice"]).get("/api/me/homework").json()["items"] == []  # type: ignore[arg-type]


def test_the_member_side_routes_refuse_others(world: dict[str, object]) -> None:
    consent = world["consent"]
    assert isinstance(consent, Consent)
    for user in (world["bob"], world["dave"], world["erin"]):
        client = _as(user)  # type: ignore[arg-type]
        assert client.post(f"/me/homework/consents/{consent.pk}/", {}).status_code == 404
        assert client.post(f"/me/homework/consents/{consent.pk}/revoke/").status_code == 404
    assert Consent.objects.get(pk=consent.pk).share_logs is True
