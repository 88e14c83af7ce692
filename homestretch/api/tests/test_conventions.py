"""What every route of the API shares: the index, one error shape, one way of paging,
and the rate limits."""

import pytest
from django.test import Client, override_settings

from homestretch.accounts.testing import make_alice
from homestretch.articles.testing import make_article
from homestretch.billing.testing import give_access
from homestretch.library.testing import make_encoded


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    return body["error"]


@pytest.mark.django_db
def test_the_index_links_to_the_description_and_the_docs(client: Client) -> None:
    index = client.get("/api/").json()
    assert index["openapi"] == "/api/openapi.json"
    assert index["docs"] == "/api/docs"
    assert index["sign_in"]["login"] == "/api/auth/app/v1/auth/login"
    assert client.get(index["openapi"]).status_code == 200
    assert client.get(index["docs"]).status_code == 200


@pytest.mark.django_db
def test_every_error_has_the_one_shape(client: Client) -> None:
    make_encoded()
    _error(client.get("/api/me"), 401, "not_authenticated")
    _error(client.get("/api/no/such/thing"), 404, "not_found")
    _error(client.get("/api/articles/nothing-here"), 404, "not_found")
    _error(client.get("/api/library/sequences/pelvic-clock/playback"), 403, "forbidden")
    _error(client.get("/api/finder/search"), 400, "bad_request")
    alice = make_alice()
    give_access(alice)
    client.force_login(alice)
    invalid = _error(
        client.put(
            "/api/library/sequences/pelvic-clock/progress",
            {"position": -3},
            content_type="application/json",
        ),
        422,
        "invalid",
    )
    assert [f["field"] for f in invalid["fields"]] == ["position"]
    _error(client.get("/api/me/logs?page=0"), 422, "invalid")


@pytest.mark.django_db
def test_a_crash_is_a_500_in_the_same_shape_that_tells_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The test client re-raises what Django signals as a crash; a real client sees the 500.
    client = Client(raise_request_exception=False)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("homestretch.api.articles._articles", broken)
    error = _error(client.get("/api/articles"), 500, "server_error")
    assert "secret" not in error["message"]


@pytest.mark.django_db
def test_lists_are_paged_alike(client: Client) -> None:
    for n in range(5):
        make_article(f"article-{n}", title=f"Article {n}")
    first = client.get("/api/articles?page_size=2").json()
    assert (first["count"], first["page"], first["pages"], first["previous"]) == (5, 1, 3, None)
    assert len(first["items"]) == 2
    assert first["next"].endswith("/api/articles?page_size=2&page=2")
    last = client.get("/api/articles?page_size=2&page=3").json()
    assert len(last["items"]) == 1
    assert last["next"] is None
    seen = [
        a["slug"]
        for page in (1, 2, 3)
        for a in client.get(f"/api/articles?page_size=2&page={page}").json()["items"]
    ]
    assert sorted(seen) == [f"article-{n}" for n in range(5)]
    assert client.get("/api/articles?page=9").json()["items"] == []
    _error(client.get("/api/articles?page_size=101"), 422, "invalid")


@pytest.mark.django_db
@override_settings(API_RATE_PER_ADDRESS="3/min", API_RATE_PER_USER="2/min")
def test_callers_are_limited_per_address_and_per_person(client: Client) -> None:
    for _ in range(3):
        assert client.get("/api/articles").status_code == 200
    refused = client.get("/api/articles")
    _error(refused, 429, "throttled")
    assert int(refused["Retry-After"]) > 0

    alice = make_alice()
    member = Client(REMOTE_ADDR="192.0.2.7")
    member.force_login(alice)
    assert member.get("/api/me").status_code == 200
    assert member.get("/api/me").status_code == 200
    _error(member.get("/api/me"), 429, "throttled")
    # Another address is another count, but the same person is not.
    elsewhere = Client(REMOTE_ADDR="192.0.2.8")
    elsewhere.force_login(alice)
    _error(elsewhere.get("/api/me"), 429, "throttled")
