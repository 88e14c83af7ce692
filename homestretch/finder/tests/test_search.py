import json
import random

import pytest
from django.test import Client

from homestretch.accounts.testing import make_staff
from homestretch.finder import services
from homestretch.finder.models import Instructor
from homestretch.finder.search import Criteria, search
from homestretch.finder.testing import make_class, make_expired, make_instructor
from homestretch.lib.geo import haversine_km

BERLIN = (52.52, 13.405)


@pytest.mark.django_db
def test_results_match_a_brute_force_haversine_sorted_by_distance() -> None:
    rng = random.Random(3)  # noqa: S311 - seeded test data
    points = {}
    for n in range(150):
        lat, lng = BERLIN[0] + rng.uniform(-1.5, 1.5), BERLIN[1] + rng.uniform(-2.5, 2.5)
        points[make_instructor(f"Teacher {n}", lat=lat, lng=lng).pk] = (lat, lng)
    for radius in (10, 50, 120):
        hits = search(Criteria(lat=BERLIN[0], lng=BERLIN[1], radius_km=radius))
        expected = sorted(
            (haversine_km(*BERLIN, *point), pk)
            for pk, point in points.items()
            if haversine_km(*BERLIN, *point) <= radius
        )
        assert [hit.instructor_id for hit in hits] == [pk for _, pk in expected]
        distances = [hit.distance_km or 0.0 for hit in hits]
        assert distances == sorted(distances)


@pytest.mark.django_db
def test_it_finds_across_the_antimeridian_and_over_the_pole() -> None:
    east = make_instructor("East Fiji", lat=-16.8, lng=179.95)
    west = make_instructor("West Fiji", lat=-16.8, lng=-179.95)
    polar = make_instructor("Polar", lat=89.9, lng=-170)
    assert {h.instructor_id for h in search(Criteria(lat=-16.8, lng=179.9, radius_km=30))} == {
        east.pk,
        west.pk,
    }
    assert [h.instructor_id for h in search(Criteria(lat=89.8, lng=10, radius_km=50))] == [polar.pk]


@pytest.mark.django_db
def test_the_badge_filter_keeps_only_valid_badges_and_revocation_applies_at_once() -> None:
    with_ns = make_instructor("Has NS", badges=("NS",))
    expired = make_instructor("Expired NS")
    make_expired(expired)
    make_instructor("No badge")
    criteria = Criteria(lat=BERLIN[0], lng=BERLIN[1], badge="NS")
    assert [h.instructor_id for h in search(criteria)] == [with_ns.pk]
    services.credential_revoke(
        credential=with_ns.credentials.get(), by=make_staff(), reason="Lapsed"
    )
    assert search(criteria) == []


@pytest.mark.django_db
def test_unpublished_instructors_are_never_found() -> None:
    make_instructor("Draft", status=Instructor.Status.DRAFT)
    make_instructor("Suspended", status=Instructor.Status.SUSPENDED)
    assert search(Criteria(lat=BERLIN[0], lng=BERLIN[1])) == []


@pytest.mark.django_db
def test_online_instructors_are_found_from_anywhere_after_the_nearby_ones() -> None:
    near = make_instructor("Near online", online=True)
    far = make_instructor("Tokyo online", lat=35.68, lng=139.69, online=True)
    make_instructor("Near in person")
    hits = search(Criteria(lat=BERLIN[0], lng=BERLIN[1], online=True))
    assert [(h.instructor_id, h.distance_km is None) for h in hits] == [
        (near.pk, False),
        (far.pk, True),
    ]


@pytest.mark.django_db
def test_specialty_and_language_filters(client: Client) -> None:
    make_instructor("Pia Pelvic", specialties=",pelvic,", languages=",de,")
    make_instructor("Hanna Hip", specialties=",hip,", languages=",en,")
    page = client.get("/finder/", {"near": "Berlin", "specialty": "pelvic"}).content.decode()
    assert ">Pia Pelvic<" in page
    assert ">Hanna Hip<" not in page
    page = client.get("/finder/", {"near": "Berlin", "language": "en"}).content.decode()
    assert ">Hanna Hip<" in page
    assert ">Pia Pelvic<" not in page


@pytest.mark.django_db
def test_the_page_lists_results_with_distance_badges_and_next_class(
    client: Client, django_assert_max_num_queries
) -> None:
    for n in range(25):
        make_class(make_instructor(f"Teacher {n:02}", lat=52.52 + n / 100, badges=("NS",)))
    with django_assert_max_num_queries(12):
        response = client.get("/finder/", {"near": "Berlin", "badge": "NS"})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="card instructor-card"') == 20  # first page
    assert "Next class: SI joint basics" in page
    assert '<span class="distance">' in page
    assert "Page 1 of 2" in page
    data = json.loads(page.split('id="finder-map-data" type="application/json">')[1].split("<")[0])
    assert len(data["markers"]) == 20
    assert data["tiles"] == ""  # tests are offline


@pytest.mark.django_db
def test_an_unknown_place_gets_a_friendly_page_with_suggestions(client: Client) -> None:
    page = client.get("/finder/", {"near": "Hamburgg"}).content.decode()
    assert "We couldn&#x27;t find that place" in page or "We couldn't find that place" in page
    assert "Hamburg, Germany" in page


@pytest.mark.django_db
def test_an_ambiguous_place_offers_did_you_mean(client: Client) -> None:
    page = client.get("/finder/", {"near": "Cambridge"}, HTTP_ACCEPT_LANGUAGE="en-GB").content
    assert "of Cambridge, United Kingdom" in page.decode()
    assert "Did you mean" in page.decode()
    assert "?near=Cambridge%2C%20MA%2C%20US" in page.decode()


@pytest.mark.django_db
def test_a_clear_place_has_no_did_you_mean_and_the_visitors_country_comes_first(
    client: Client,
) -> None:
    page = client.get("/finder/", {"near": "London"}, HTTP_ACCEPT_LANGUAGE="en-US").content
    assert "of London, United Kingdom" in page.decode()
    assert "Did you mean" not in page.decode()
    page = client.get("/finder/", {"near": "London"}, HTTP_ACCEPT_LANGUAGE="en-CA").content
    assert "of London, Canada" in page.decode()
    assert "Did you mean" in page.decode()


@pytest.mark.django_db
def test_a_radius_out_of_range_is_clamped_and_the_page_says_so(client: Client) -> None:
    page = client.get("/finder/", {"near": "Berlin", "radius": "5000"}).content.decode()
    assert "so we searched within 500 km" in page
    assert "within 500 km of Berlin" in page


@pytest.mark.django_db
def test_non_numeric_coordinates_are_a_form_error(client: Client) -> None:
    response = client.get("/finder/", {"lat": "north", "lng": "13"})
    page = response.content.decode()
    assert "Those coordinates are not usable" in page
    assert "instructor-card" not in page


@pytest.mark.django_db
def test_coordinates_search_directly(client: Client) -> None:
    make_instructor("Near", lat=52.5, lng=13.4)
    page = client.get("/finder/", {"lat": "52.52", "lng": "13.405"}).content.decode()
    assert ">Near<" in page


@pytest.mark.django_db
def test_the_api_searches_as_json(client: Client) -> None:
    make_instructor("Has NS", badges=("NS",))
    make_instructor("Plain", lat=52.6)
    response = client.get("/api/finder/search", {"near": "Berlin", "badge": "NS"})
    assert response.status_code == 200
    body = response.json()
    assert body["place"] == "Berlin, Germany"
    assert [r["name"] for r in body["items"]] == ["Has NS"]
    assert body["items"][0]["badges"] == ["NS"]
    assert (body["count"], body["page"], body["pages"], body["next"]) == (1, 1, 1, None)
    assert "email" not in json.dumps(body)


@pytest.mark.django_db
def test_the_api_pages_its_hits_like_every_list(client: Client) -> None:
    for n in range(3):
        make_instructor(f"Near {n}", lat=52.52 + n / 100, lng=13.405)
    first = client.get("/api/finder/search", {"near": "Berlin", "page_size": "2"}).json()
    assert (first["count"], first["pages"], first["previous"]) == (3, 2, None)
    assert [r["name"] for r in first["items"]] == ["Near 0", "Near 1"]
    assert "page=2" in first["next"]
    assert "near=Berlin" in first["next"]
    second = client.get(first["next"]).json()
    assert [r["name"] for r in second["items"]] == ["Near 2"]
    assert second["next"] is None
    assert "page=1" in second["previous"]
    assert client.get("/api/finder/search", {"near": "Berlin", "page": "9"}).json()["items"] == []
    too_many = client.get("/api/finder/search", {"near": "Berlin", "page_size": "101"})
    assert (too_many.status_code, too_many.json()["error"]["code"]) == (422, "invalid")


@pytest.mark.django_db
def test_the_api_refuses_non_numeric_coordinates_with_a_clear_400(client: Client) -> None:
    response = client.get("/api/finder/search", {"lat": "abc", "lng": "13"})
    assert response.status_code == 400
    assert "lat and lng must be numbers" in response.json()["error"]["message"]
    assert client.get("/api/finder/search").status_code == 400
    assert client.get("/api/finder/search", {"near": "Xqzzyvork"}).status_code == 404
