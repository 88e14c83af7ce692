import pytest

from homestretch.finder.geocoding import country_of_zone, geocode
from homestretch.finder.search import visitor_country


def test_a_clear_name_picks_its_city_and_offers_no_did_you_mean() -> None:
    # GeoNames lists "Berlin" among North Canton's (Ohio) old names; London, Ontario is a
    # twentieth of London's size: neither is a real rival.
    for text, label in (("Berlin", "Berlin, Germany"), ("London", "London, United Kingdom")):
        found = geocode(text, prefer_country="US")
        assert found.place is not None
        assert found.place.label == label
        assert found.alternatives == []


def test_a_truly_ambiguous_name_offers_its_rivals() -> None:
    found = geocode("Springfield")
    assert found.place is not None
    assert found.place.label == "Springfield, Missouri, United States"
    assert "Springfield, Illinois, United States" in [p.label for p in found.alternatives]
    found = geocode("Valencia", prefer_country="ES")
    assert found.place is not None
    assert found.place.label == "Valencia, Spain"
    assert [p.label for p in found.alternatives] == ["Valencia, Venezuela"]


def test_the_visitors_country_is_preferred_and_the_largest_offered_beside_it() -> None:
    found = geocode("London", prefer_country="CA")
    assert found.place is not None
    assert found.place.label == "London, Canada"
    assert [p.label for p in found.alternatives] == ["London, United Kingdom"]
    # A hamlet of the same name in the visitor's country does not displace a capital.
    found = geocode("Paris", prefer_country="US")
    assert found.place is not None
    assert found.place.label == "Paris, France"
    assert found.alternatives == []


def test_an_alternate_name_counts_only_when_no_city_has_it_as_its_own() -> None:
    found = geocode("Muenchen")
    assert found.place is not None
    assert found.place.label == "Munich, Germany"


@pytest.mark.parametrize(
    "text",
    ["Paris, US", "paris, united states", "Paris, Texas", "Paris, TX, US"],
)
def test_a_country_or_us_state_narrows_a_name(text: str) -> None:
    found = geocode(text, prefer_country="FR")
    assert found.place is not None
    assert found.place.label == "Paris, Texas, United States"


def test_each_place_offered_searches_back_to_itself() -> None:
    for place in geocode("Springfield").alternatives:
        again = geocode(place.query)
        assert again.place == place


def test_accents_and_case_do_not_matter() -> None:
    found = geocode("sao paulo")
    assert found.place is not None
    assert found.place.name == "São Paulo"


def test_an_unknown_place_gets_close_spellings_as_suggestions() -> None:
    found = geocode("Hamburgg")
    assert found.place is None
    assert found.suggestions[0] == "Hamburg, Germany"
    assert geocode("Berln").suggestions[0] == "Berlin, Germany"
    assert geocode("Xqzzyvork").suggestions == []


def test_the_visitors_country_comes_from_their_zone_or_their_language() -> None:
    from homestretch.accounts.models import User

    assert country_of_zone("Europe/Berlin") == "DE"
    assert country_of_zone("UTC") == ""
    assert visitor_country(None, "en-CA,en;q=0.8") == "CA"
    assert visitor_country(None, "de,en-GB;q=0.5") == "GB"
    assert visitor_country(None, "fr") == ""
    assert visitor_country(User(timezone="America/Toronto"), "en-GB") == "CA"
    assert visitor_country(User(timezone="UTC"), "en-GB") == "GB"
