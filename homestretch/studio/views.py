"""The instructor workspace: the inbox of contact messages and profile editing.

Every view needs a signed-in instructor (others get 403); a message belongs to one
instructor, and anyone else asking for it gets 404.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from homestretch.accounts.models import User
from homestretch.finder import services
from homestretch.finder.models import ContactMessage, Instructor
from homestretch.studio.forms import ClassForm, LocationForm, ProfileForm

View = Callable[..., HttpResponse]


def instructor_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        # One read of the groups serves this check and the page's navigation.
        prefetch_related_objects([request.user], "groups")
        if not (isinstance(request.user, User) and request.user.is_instructor):
            raise PermissionDenied("The studio is for instructors.")
        # The digest opt-in comes along: the clients dashboard shows it.
        instructor = Instructor.objects.select_related("alert_digest").filter(
            user=request.user
        ).first() or services.instructor_start(user=request.user)
        return view(request, instructor, *args, **kwargs)

    return wrapper


@require_GET
@instructor_required
def inbox(request: HttpRequest, instructor: Instructor) -> HttpResponse:
    page = Paginator(instructor.messages.all(), 25).get_page(request.GET.get("page"))
    return render(request, "studio/inbox.html", {"instructor": instructor, "page": page})


@require_GET
@instructor_required
def message(request: HttpRequest, instructor: Instructor, pk: int) -> HttpResponse:
    item = get_object_or_404(ContactMessage, pk=pk, instructor=instructor)
    if item.read_at is None:
        item.read_at = timezone.now()
        item.save(update_fields=["read_at"])
    return render(request, "studio/message.html", {"instructor": instructor, "item": item})


@require_http_methods(["GET", "POST"])
@instructor_required
def profile(request: HttpRequest, instructor: Instructor) -> HttpResponse:
    """Edit the profile; every change lands in the one pending revision, never live."""
    data = services.draft(instructor)
    action = request.POST.get("action", "")
    profile_form = ProfileForm(initial=ProfileForm.initial_from(data))
    location_form = LocationForm()
    class_form = ClassForm(locations=data["locations"], initial={"timezone": request.user.timezone})  # type: ignore[union-attr]
    photo = None
    changed: dict[str, Any] | None = None
    if action == "profile":
        profile_form = ProfileForm(request.POST, request.FILES)
        if profile_form.is_valid():
            changed = profile_form.apply(data)
            photo = profile_form.cleaned_data["photo"]
    elif action == "add_location":
        location_form = LocationForm(request.POST)
        if location_form.is_valid():
            fields = ("name", "address", "city", "country", "latitude", "longitude")
            location = {name: location_form.cleaned_data[name] for name in fields}
            changed = {**data, "locations": [*data["locations"], location]}
    elif action == "add_class":
        class_form = ClassForm(request.POST, locations=data["locations"])
        if class_form.is_valid():
            item = dict(class_form.cleaned_data)
            item["start_time"] = item["start_time"].strftime("%H:%M")
            changed = {**data, "classes": [*data["classes"], item]}
    elif action in ("remove_location", "remove_class"):
        index = int(request.POST.get("index", "-1") or -1)
        key = "locations" if action == "remove_location" else "classes"
        if 0 <= index < len(data[key]):
            changed = _remove(data, key, index)
    elif request.method == "POST":
        return HttpResponse("Unknown action.", status=400)
    if changed is not None:
        services.revision_submit(instructor=instructor, data=changed, photo=photo)
        messages.success(
            request, "Saved. A moderator will review your changes before they go live."
        )
        return redirect("studio:profile")
    context = {
        "instructor": instructor,
        "data": data,
        "pending": services.pending_revision(instructor),
        "profile_form": profile_form,
        "location_form": location_form,
        "class_form": class_form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "studio/profile.html", context, status=status)


def _remove(data: dict[str, Any], key: str, index: int) -> dict[str, Any]:
    items = [item for n, item in enumerate(data[key]) if n != index]
    classes = list(data["classes"]) if key == "locations" else items
    if key == "locations":
        # Classes at the removed location go too; later indexes shift down by one.
        classes = []
        for cls in data["classes"]:
            where = cls["location"]
            if where == index:
                continue
            classes.append(
                {**cls, "location": where - 1 if where is not None and where > index else where}
            )
        return {**data, "locations": items, "classes": classes}
    return {**data, "classes": classes}
