from homestretch.finder.geocoding import geocode


def test_an_ambiguous_name_picks_the_most_populous_and_offers_the_others() -> None:
    found = geocode("Paris")
    assert found.place is not None
    assert found.place.label == "Paris, France"
    assert "Paris, United States" in [place.label for place in found.alternatives]


def test_a_country_narrows_an_ambiguous_name() -> None:
    for text in ("Paris, US", "paris, united states"):
        found = geocode(text)
        assert found.place is not None
        assert found.place.country_code == "US"


def test_accents_and_case_do_not_matter() -> None:
    found = geocode("sao paulo")
    assert found.place is not None
    assert found.place.name == "São Paulo"


def test_an_unknown_place_gets_close_spellings_as_suggestions() -> None:
    found = geocode("Hamburgg")
    assert found.place is None
    assert "Hamburg, Germany" in found.suggestions
    assert geocode("Xqzzyvork").suggestions == []
