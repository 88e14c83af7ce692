"""Public finder pages: search, profile (with contact form and iCal feed), verification.

Class times are shown in each class's own time zone, named ("18:00 Europe/Berlin time"),
or in the one named by `?tz=`: the profile offers a link with the signed-in person's
account zone, or the browser's (finder.js fills it in).
"""

import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from icalendar import Calendar, Event, vRecur

from homestretch.accounts.models import TIMEZONES, User
from homestretch.finder import codes, services
from homestretch.finder.forms import ContactForm, SearchForm
from homestretch.finder.models import Class, Credential, Instructor
from homestretch.finder.search import Criteria, Hit, load, search, visitor_country, with_cards
from homestretch.lib.geo import haversine_km
from homestretch.lib.http import client_ip
from homestretch.lib.ratelimit import Rate, limited

PAGE_SIZE = 20
CONTACT_RATES = [Rate.parse(rate) for rate in settings.FINDER_CONTACT_RATES]
VERIFY_RATES = [Rate.parse("30/m"), Rate.parse("300/d")]


@dataclass
class ClassTime:
    cls: Class
    start: datetime
    end: datetime


def viewer_zone(request: HttpRequest) -> zoneinfo.ZoneInfo | None:
    """The zone a person asked to see class times in (`?tz=`); None means each class's own."""
    tz = request.GET.get("tz", "")
    return zoneinfo.ZoneInfo(tz) if tz in TIMEZONES else None


def own_zone(request: HttpRequest) -> str:
    """The zone to offer for "show in my time zone": a signed-in person's account zone (the
    browser's otherwise, filled in by finder.js), "" when it is UTC or unknown."""
    if isinstance(request.user, User) and request.user.timezone != "UTC":
        return request.user.timezone
    return ""


def class_times(
    classes: list[Class], zone: zoneinfo.ZoneInfo | None, now: datetime | None = None
) -> list[ClassTime]:
    """Each class's next start in the viewer's zone, soonest first."""
    times = []
    for cls in classes:
        start = cls.next_start(now)
        if zone is not None:
            start = start.astimezone(zone)
        times.append(ClassTime(cls, start, start + timedelta(minutes=cls.duration_minutes)))
    return sorted(times, key=lambda t: t.start)


def criteria_from(form: SearchForm, place_lat: float, place_lng: float) -> Criteria:
    data = form.cleaned_data
    return Criteria(
        lat=place_lat,
        lng=place_lng,
        radius_km=data["radius"],
        badge=data.get("badge") or "",
        specialty=data.get("specialty") or "",
        language=data.get("language") or "",
        online=bool(data.get("online")),
    )


@require_GET
def finder(request: HttpRequest) -> HttpResponse:
    country = visitor_country(request.user, request.headers.get("Accept-Language", ""))
    form = SearchForm(request.GET or None, country=country)
    context: dict[str, Any] = {"form": form, "tile_url": settings.FINDER_TILE_URL}
    if not form.is_bound or not form.is_valid():
        return render(request, "finder/search.html", context, status=200)
    centre = form.cleaned_data["centre"]
    if centre is None:
        return render(request, "finder/search.html", context)
    context |= {"geocoded": centre.geocoded, "where": centre.label}
    origin = centre.point
    if origin is None:
        return render(request, "finder/search.html", context)
    criteria = criteria_from(form, *origin)
    hits = search(criteria)
    page = Paginator(hits, PAGE_SIZE).get_page(request.GET.get("page"))
    results = load(list(page.object_list))
    zone = viewer_zone(request)
    for hit in results:
        assert hit.instructor is not None
        upcoming = class_times(list(hit.instructor.classes.all()), zone)
        hit.next_class = upcoming[0] if upcoming else None  # type: ignore[attr-defined]
        hit.town = _nearest_town(hit.instructor, origin)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        {
            "criteria": criteria,
            "page": page,
            "results": results,
            "radius_note": form.radius_note,
            "query": query.urlencode(),
            "map_data": _map_data(origin, results),
        }
    )
    return render(request, "finder/search.html", context)


def _nearest_town(instructor: Instructor, origin: tuple[float, float]) -> str:
    """The town of the instructor's location nearest the search's centre."""
    locations = list(instructor.locations.all())
    if not locations:
        return ""
    nearest = min(locations, key=lambda loc: haversine_km(*origin, loc.latitude, loc.longitude))
    return nearest.city


def _map_data(origin: tuple[float, float], results: list[Hit]) -> dict[str, Any]:
    markers = []
    for hit in results:
        assert hit.instructor is not None
        for location in hit.instructor.locations.all():
            markers.append(
                {
                    "name": hit.instructor.display_name,
                    "place": location.name,
                    "url": hit.instructor.get_absolute_url(),
                    "lat": location.latitude,
                    "lng": location.longitude,
                }
            )
    return {"center": origin, "markers": markers, "tiles": settings.FINDER_TILE_URL}


def _published(slug: str) -> Instructor:
    queryset = with_cards(Instructor.objects.published().select_related("user"))
    return get_object_or_404(queryset, slug=slug)


def _sender(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    instructor = _published(slug)
    sender = _sender(request)
    initial = {"name": sender.get_full_name(), "email": sender.email} if sender else {}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST":
        identities = ["ip:" + client_ip(request)]
        if request.POST.get("email"):
            identities.append("email:" + request.POST["email"].strip().lower())
        if sender:
            identities.append(f"user:{sender.pk}")
        if limited("finder-contact", identities, CONTACT_RATES):
            return render(request, "finder/rate_limited.html", status=429)
        if form.is_valid():
            if form.cleaned_data["website"]:
                # A bot filled the honeypot: say thanks, keep and send nothing.
                return redirect(f"{instructor.get_absolute_url()}?sent=1#contact")
            services.contact_send(
                instructor=instructor,
                sender_name=form.cleaned_data["name"],
                sender_email=form.cleaned_data["email"],
                body=form.cleaned_data["body"],
                sender=sender,
            )
            return redirect(f"{instructor.get_absolute_url()}?sent=1#contact")
    zone = viewer_zone(request)
    credentials = list(
        instructor.credentials.select_related("type").order_by("-type__level", "-issued_on")
    )
    context = {
        "instructor": instructor,
        "credentials": credentials,
        "locations": list(instructor.locations.all()),
        "towns": list(dict.fromkeys(location.city for location in instructor.locations.all())),
        "class_times": class_times(list(instructor.classes.all()), zone),
        "zone": zone,
        "own_zone": own_zone(request),
        "form": form,
        "sent": request.GET.get("sent") == "1",
    }
    return render(request, "finder/profile.html", context, status=400 if form.errors else 200)


@require_GET
def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    """The instructor's weekly classes as recurring iCal events, each in its own zone."""
    instructor = _published(slug)
    cal = Calendar()
    cal.add("prodid", f"-//{settings.SITE_NAME}//Finder//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{instructor.display_name} · classes")
    today = timezone.localdate()
    locations = {location.pk: location for location in instructor.locations.all()}
    for cls in instructor.classes.all():
        start = cls.first_start(today)
        event = Event()
        event.add("uid", f"class-{cls.pk}@homestretch")
        event.add("summary", cls.title)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=cls.duration_minutes))
        event.add("dtstamp", timezone.now())
        event.add("rrule", vRecur(freq="weekly"))
        location = locations.get(cls.location_id) if cls.location_id else None
        event.add(
            "location",
            f"{location.name}, {location.address}, {location.city}" if location else "Online",
        )
        event.add("url", settings.SITE_URL + instructor.get_absolute_url())
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{instructor.slug}.ics"'
    return response


@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    """A form to type a credential code; a known one goes to its page. Counted against the
    same rate limit as the pages, so the form is no faster way to guess."""
    typed = request.GET.get("code", "").strip()
    if not typed:
        return render(request, "finder/verify_form.html", {})
    normalized = codes.normalize(typed)
    if normalized is None:
        return _verify_unknown(request, None, status=400)
    if limited("finder-verify", ["ip:" + client_ip(request)], VERIFY_RATES):
        return render(request, "finder/rate_limited.html", status=429)
    if Credential.objects.filter(code=normalized).exists():
        return redirect("finder:verify", code=normalized)
    # A search that found nothing: an answer (200), where a link to no code is a 404.
    return _verify_unknown(request, normalized, status=200)


def _verify_unknown(request: HttpRequest, normalized: str | None, *, status: int) -> HttpResponse:
    """Our own page for a code we cannot show: what a code looks like, and the form again.
    Only a well-formed code is echoed, so a crafted link cannot put words on our page."""
    context = {"code": normalized, "malformed": normalized is None}
    return render(request, "finder/verify_form.html", context, status=status)


@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    if limited("finder-verify", ["ip:" + client_ip(request)], VERIFY_RATES):
        return render(request, "finder/rate_limited.html", status=429)
    normalized = codes.normalize(code)
    credential = (
        Credential.objects.select_related("type", "instructor").filter(code=normalized).first()
        if normalized
        else None
    )
    if credential is None:
        return _verify_unknown(request, normalized, status=404)
    if normalized != code:
        return redirect("finder:verify", code=normalized, permanent=True)
    context = {
        "credential": credential,
        "status": credential.status(),
        "published": credential.instructor.status == Instructor.Status.PUBLISHED,
    }
    return render(request, "finder/verify.html", context)


@require_GET
def photo(request: HttpRequest, slug: str, size: str) -> FileResponse:
    """A published instructor's photo (MEDIA_ROOT is never served directly)."""
    instructor = get_object_or_404(Instructor.objects.published(), slug=slug)
    field = instructor.photo_small if size == "small" else instructor.photo
    if not field:
        raise Http404("No photo.")
    response = FileResponse(field.open("rb"))
    response["Cache-Control"] = "public, max-age=3600"
    return response
