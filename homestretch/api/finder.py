"""Finder search as JSON, with the same parameters as the /finder/ page. Open to everyone."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from homestretch.finder.geocoding import geocode
from homestretch.finder.search import DEFAULT_RADIUS_KM, MAX_RADIUS_KM, Criteria, load, search
from homestretch.lib.geo import parse_coordinate

router = Router()
MAX_RESULTS = 100


class SearchIn(Schema):
    near: str = ""
    # Text, not float: a bad value gets our own clear 400 instead of a generic 422.
    lat: str = ""
    lng: str = ""
    radius: float = DEFAULT_RADIUS_KM
    badge: str = ""
    specialty: str = ""
    language: str = ""
    online: bool = False


class InstructorHit(Schema):
    slug: str
    name: str
    url: str
    distance_km: float | None
    badges: list[str]
    teaches_online: bool
    specialties: list[str]
    languages: list[str]


class SearchOut(Schema):
    place: str
    latitude: float
    longitude: float
    radius_km: float
    did_you_mean: list[str]
    count: int
    results: list[InstructorHit]


@router.get("/search", response=SearchOut, auth=None, summary="Instructors near a place")
def search_instructors(request: HttpRequest, params: Query[SearchIn]) -> dict[str, object]:
    did_you_mean: list[str] = []
    if params.lat or params.lng:
        try:
            lat = parse_coordinate(params.lat, limit=90)
            lng = parse_coordinate(params.lng, limit=180)
        except ValueError as e:
            raise HttpError(400, f"lat and lng must be numbers in range: {e}") from None
        place = f"{lat:.4f}, {lng:.4f}"
    elif params.near:
        found = geocode(params.near)
        if found.place is None:
            close = ", ".join(found.suggestions) or "nothing close"
            raise HttpError(404, f"We couldn't find {params.near!r}. Did you mean: {close}?")
        lat, lng, place = found.place.latitude, found.place.longitude, found.place.label
        did_you_mean = [alt.label for alt in found.alternatives]
    else:
        raise HttpError(400, "Give near=<place> or lat= and lng=.")
    radius = min(max(params.radius, 1.0), float(MAX_RADIUS_KM))
    criteria = Criteria(
        lat=lat,
        lng=lng,
        radius_km=radius,
        badge=params.badge,
        specialty=params.specialty,
        language=params.language,
        online=params.online,
    )
    hits = search(criteria)
    results = []
    for hit in load(hits[:MAX_RESULTS]):
        instructor = hit.instructor
        assert instructor is not None
        results.append(
            {
                "slug": instructor.slug,
                "name": instructor.display_name,
                "url": instructor.get_absolute_url(),
                "distance_km": round(hit.distance_km, 2) if hit.distance_km is not None else None,
                "badges": [c.type.code for c in instructor.valid_credentials],  # type: ignore[attr-defined]
                "teaches_online": instructor.teaches_online,
                "specialties": instructor.specialty_list,
                "languages": instructor.language_list,
            }
        )
    return {
        "place": place,
        "latitude": lat,
        "longitude": lng,
        "radius_km": radius,
        "did_you_mean": did_you_mean,
        "count": len(hits),
        "results": results,
    }
