"""Finder search as JSON, with the same parameters as the /finder/ page. Open to everyone.
Its hits are paged like every list (`pagination.page_of`), beside the place they are near."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from homestretch.api.pagination import MAX_PAGE_SIZE, PAGE_SIZE, page_of
from homestretch.finder.search import (
    DEFAULT_RADIUS_KM,
    Criteria,
    Hit,
    clamp_radius,
    load,
    resolve_centre,
    search,
    visitor_country,
)

router = Router()


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
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


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
    items: list[InstructorHit]
    count: int = Field(description="Instructors found in all.")
    page: int
    pages: int
    next: str | None
    previous: str | None


@router.get("/search", response=SearchOut, auth=None, summary="Instructors near a place")
def search_instructors(request: HttpRequest, params: Query[SearchIn]) -> dict[str, object]:
    try:
        centre = resolve_centre(
            near=params.near,
            lat=params.lat,
            lng=params.lng,
            country=visitor_country(request.user, request.headers.get("Accept-Language", "")),
        )
    except ValueError as e:
        raise HttpError(400, f"lat and lng must be numbers in range: {e}") from None
    if centre is None:
        raise HttpError(400, "Give near=<place> or lat= and lng=.")
    found = centre.geocoded
    if centre.point is None:
        close = ", ".join(found.suggestions if found else []) or "nothing close"
        raise HttpError(404, f"We couldn't find {params.near!r}. Did you mean: {close}?")
    lat, lng = centre.point
    place = centre.label
    did_you_mean = [alt.label for alt in found.alternatives] if found else []
    radius = clamp_radius(params.radius)
    criteria = Criteria(
        lat=lat,
        lng=lng,
        radius_km=radius,
        badge=params.badge,
        specialty=params.specialty,
        language=params.language,
        online=params.online,
    )
    paged = page_of(search(criteria), request, page=params.page, size=params.page_size)
    paged["items"] = [_hit(hit) for hit in load(paged["items"])]
    return {
        "place": place,
        "latitude": lat,
        "longitude": lng,
        "radius_km": radius,
        "did_you_mean": did_you_mean,
        **paged,
    }


def _hit(hit: Hit) -> dict[str, object]:
    instructor = hit.instructor
    assert instructor is not None
    return {
        "slug": instructor.slug,
        "name": instructor.display_name,
        "url": instructor.get_absolute_url(),
        "distance_km": round(hit.distance_km, 2) if hit.distance_km is not None else None,
        "badges": [c.type.code for c in instructor.valid_credentials],  # type: ignore[attr-defined]
        "teaches_online": instructor.teaches_online,
        "specialties": instructor.specialty_list,
        "languages": instructor.language_list,
    }
