"""Instructor search by distance, on SQLite and PostgreSQL alike.

1. The database returns the locations inside the circle's bounding box (a range on the
   indexed latitude/longitude columns; two longitude ranges across the antimeridian).
2. Python computes the exact haversine distance, keeps those within the radius, and
   takes each instructor's nearest location.
3. One more query keeps the published instructors among them that match the filters.
4. With `online`, instructors who teach online are found from anywhere: they come after
   the nearby ones, by name.
Only the ids and distances of all hits are held; the page's instructors are loaded after.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from homestretch.accounts.models import User
from homestretch.finder.geocoding import Geocoded, country_of_zone, geocode
from homestretch.finder.models import Class, Credential, Instructor, InstructorQuerySet, Location
from homestretch.lib.geo import bounding_box, haversine_km, parse_coordinate

DEFAULT_RADIUS_KM = 50
MAX_RADIUS_KM = 500


@dataclass(frozen=True)
class Centre:
    """Where a search is centred: given coordinates, or a place name looked up.

    A name we do not know has no `point` (latitude, longitude); `geocoded` then holds the
    suggestions, and for a name we know, the other places of that name ("did you mean")."""

    label: str
    point: tuple[float, float] | None = None
    geocoded: Geocoded | None = None


def visitor_country(user: object, accept_language: str = "") -> str:
    """The country a visitor most likely searches from, to prefer its places by name.

    A signed-in person's time zone says it best (the browser's, taken at sign-up); else
    the first language tag with a region ("en-CA,en;q=0.8" → CA). "" when neither tells."""
    if isinstance(user, User):
        country = country_of_zone(user.timezone)
        if country:
            return country
    for item in accept_language.split(","):
        tag = item.split(";")[0].strip()
        parts = tag.replace("_", "-").split("-")
        if len(parts) >= 2 and len(parts[-1]) == 2 and parts[-1].isalpha():
            return parts[-1].upper()
    return ""


def resolve_centre(
    *, near: str = "", lat: str = "", lng: str = "", country: str = ""
) -> Centre | None:
    """The centre of a finder search (the page, its form and the API all ask this).

    Coordinates, when either is given, win over a place name; both must be numbers in
    range, or ValueError says what is wrong. None when the search names no centre.
    `country` is the visitor's (`visitor_country`): its places are preferred by name."""
    if lat or lng:
        latitude = parse_coordinate(lat, limit=90)
        longitude = parse_coordinate(lng, limit=180)
        return Centre(f"{latitude:.4f}, {longitude:.4f}", (latitude, longitude))
    if not near.strip():
        return None
    found = geocode(near, prefer_country=country)
    if found.place is None:
        return Centre(near, geocoded=found)
    return Centre(found.place.label, (found.place.latitude, found.place.longitude), found)


def clamp_radius(radius: float) -> float:
    return min(max(radius, 1.0), float(MAX_RADIUS_KM))


@dataclass(frozen=True)
class Criteria:
    lat: float
    lng: float
    radius_km: float = DEFAULT_RADIUS_KM
    badge: str = ""
    specialty: str = ""
    language: str = ""
    online: bool = False


@dataclass
class Hit:
    instructor_id: int
    distance_km: float | None
    instructor: Instructor | None = field(default=None, repr=False)


def matching_instructors(criteria: Criteria) -> InstructorQuerySet:
    instructors = Instructor.objects.published()
    if criteria.badge:
        instructors = instructors.with_valid_badge(criteria.badge)
    if criteria.specialty:
        instructors = instructors.with_specialty(criteria.specialty)
    if criteria.language:
        instructors = instructors.with_language(criteria.language)
    if criteria.online:
        instructors = instructors.filter(teaches_online=True)
    return instructors


def search(criteria: Criteria) -> list[Hit]:
    """Every matching instructor's id and distance, nearest first."""
    box = bounding_box(criteria.lat, criteria.lng, criteria.radius_km)
    in_lng = Q()
    for west, east in box.lng_ranges:
        in_lng |= Q(longitude__gte=west, longitude__lte=east)
    # Two index-driven queries rather than one join: given the join, SQLite's planner may
    # start from the instructors and read them all.
    rows = (
        Location.objects.filter(latitude__gte=box.min_lat, latitude__lte=box.max_lat)
        .filter(in_lng)
        .values_list("instructor_id", "latitude", "longitude")
    )
    within: dict[int, float] = {}
    for instructor_id, lat, lng in rows:
        distance = haversine_km(criteria.lat, criteria.lng, lat, lng)
        if distance <= criteria.radius_km and distance < within.get(instructor_id, float("inf")):
            within[instructor_id] = distance
    matching = (
        set(matching_instructors(criteria).filter(pk__in=list(within)).values_list("pk", flat=True))
        if within
        else set()
    )
    nearest = {pk: distance for pk, distance in within.items() if pk in matching}
    hits = [Hit(pk, distance) for pk, distance in nearest.items()]
    hits.sort(key=lambda hit: (hit.distance_km, hit.instructor_id))
    if criteria.online:
        far = (
            matching_instructors(criteria)
            .exclude(pk__in=list(nearest))
            .order_by("display_name", "pk")
            .values_list("pk", flat=True)
        )
        hits += [Hit(pk, None) for pk in far]
    return hits


def load(hits: list[Hit]) -> list[Hit]:
    """Attach instructors, with badges, locations and classes, to a page of hits."""
    instructors = Instructor.objects.filter(pk__in=[hit.instructor_id for hit in hits])
    by_id = {i.pk: i for i in with_cards(instructors)}
    for hit in hits:
        hit.instructor = by_id.get(hit.instructor_id)
    return [hit for hit in hits if hit.instructor is not None]


def with_cards(instructors: InstructorQuerySet) -> InstructorQuerySet:
    return instructors.prefetch_related(
        Prefetch(
            "credentials",
            queryset=Credential.objects.valid().select_related("type").order_by("-type__level"),
            to_attr="valid_credentials",
        ),
        "locations",
        Prefetch("classes", queryset=Class.objects.select_related("location")),
    )
