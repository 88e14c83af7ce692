"""The custom-sequence builder: an instructor's (or staff's) own sequences of library
moves. The rules are `custom.services`; a custom sequence of someone else is a 404."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from homestretch.accounts.models import User
from homestretch.custom import moves, services
from homestretch.custom.models import CustomSequence, Side
from homestretch.library.models import Level

View = Callable[..., HttpResponse]


def builder_required(view: View) -> View:
    """Instructors and staff; the credential is asked when they save (the page says so)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        user = request.user
        if not (isinstance(user, User) and (user.is_staff or user.is_instructor)):
            raise PermissionDenied("The custom-sequence builder is for instructors.")
        return view(request, user, *args, **kwargs)

    return wrapper


def _own(user: User, pk: int) -> CustomSequence:
    return get_object_or_404(CustomSequence, pk=pk, owner=user)


@require_GET
@builder_required
def index(request: HttpRequest, user: User) -> HttpResponse:
    customs = CustomSequence.objects.filter(owner=user).annotate(last=Max("versions__number"))
    return render(
        request,
        "studio/custom_index.html",
        {"customs": customs, "may_build": services.may_build(user), "section": "custom"},
    )


class RowError(ValueError):
    pass


def _number(value: str, n: int, what: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise RowError(f"Move {n}: {what} must be a whole number.")
    return int(value)


def rows_from(data: QueryDict) -> list[dict[str, str]]:
    """The builder's rows as posted (aligned lists), to show again after an error."""
    fields = ("move", "move_title", "move_source", "reps", "hold", "side", "cue_note", "rest")
    lists = {f: data.getlist(f) for f in fields}
    count = len(lists["move"])
    rows = [{f: (lists[f][i] if i < len(lists[f]) else "") for f in fields} for i in range(count)]
    for row in rows:
        row["title"], row["source"] = row.pop("move_title"), row.pop("move_source")
    return rows


def items_from(rows: list[dict[str, str]]) -> list[services.ItemInput]:
    items = []
    for n, row in enumerate(rows, start=1):
        key = moves.parse_key(row["move"])
        if key is None:
            raise RowError(f"Move {n} no longer exists in its sequence; remove it.")
        items.append(
            services.ItemInput(
                sequence_id=key[0],
                start_seconds=key[1],
                reps=_number(row["reps"], n, "repetitions"),
                hold_seconds=_number(row["hold"], n, "the hold"),
                side=row["side"],
                note=row["cue_note"],
                rest_seconds=_number(row["rest"], n, "rest") or 0,
            )
        )
    return items


def _rows_of(custom: CustomSequence) -> list[dict[str, str]]:
    version = custom.latest_version()
    if version is None:
        return []
    return [
        {
            "move": f"{i.sequence_id}:{i.start_seconds}",
            "title": i.title,
            "source": i.sequence.title if i.sequence else "",
            "reps": str(i.reps or ""),
            "hold": str(i.hold_seconds or ""),
            "side": i.side,
            "cue_note": i.note,
            "rest": str(i.rest_seconds or ""),
        }
        for i in version.items.select_related("sequence")
    ]


@require_http_methods(["GET", "POST"])
@builder_required
def edit(request: HttpRequest, user: User, pk: int | None = None) -> HttpResponse:
    """Build a new custom sequence, or edit one (saved as its next version)."""
    custom = _own(user, pk) if pk is not None else None
    error = ""
    error_item: int | None = None
    if request.method == "POST":
        title = request.POST.get("title", "")
        note = request.POST.get("note", "")
        rows = rows_from(request.POST)
        try:
            version = services.custom_sequence_save(
                owner=user, title=title, note=note, items=items_from(rows), custom_sequence=custom
            )
        except RowError as e:
            error = str(e)
        except services.CustomError as e:
            error, error_item = e.message, e.item
        else:
            messages.success(request, f"Saved “{version.title}”, version {version.number}.")
            return redirect("studio:custom_index")
    elif custom is not None:
        title, note, rows = custom.title, custom.note, _rows_of(custom)
    else:
        title, note, rows = "", "", []
    found = moves.browse()
    context = {
        "custom": custom,
        "title": title,
        "note": note,
        "rows": rows,
        "error": error,
        "error_item": error_item,
        "moves": found,
        "move_filters": _move_filters(found),
        "sides": Side.choices,
        "may_build": services.may_build(user),
        "problems": services.problems(v) if custom and (v := custom.latest_version()) else [],
        "section": "custom",
    }
    response = render(request, "studio/custom_edit.html", context, status=400 if error else 200)
    return response


def _move_filters(found: list[moves.Move]) -> dict[str, list[tuple[str, str]]]:
    """The focus areas, levels and equipment the listed moves have, as (slug, name) choices
    for the builder's filters (which narrow the list in the browser)."""
    focus: dict[str, str] = {}
    equipment: dict[str, str] = {}
    levels: set[str] = set()
    for move in found:
        focus |= {area.slug: area.name for area in move.sequence.focus_areas.all()}
        equipment |= {thing.slug: thing.name for thing in move.sequence.equipment.all()}
        levels.add(move.sequence.level)
    return {
        "focus_areas": sorted(focus.items(), key=lambda choice: choice[1]),
        "levels": [(value, name) for value, name in Level.choices if value in levels],
        "equipment": sorted(equipment.items(), key=lambda choice: choice[1]),
    }


def _staff_publish(request: HttpRequest, user: User, pk: int, *, publish: bool) -> HttpResponse:
    """Put a custom sequence in the library, or take it out: staff only (an instructor
    gets 403, whoever owns it)."""
    if not user.is_staff:
        raise PermissionDenied("Only the studio's staff publish custom sequences in the library.")
    custom = get_object_or_404(CustomSequence, pk=pk)
    try:
        if publish:
            custom = services.custom_sequence_publish(custom_sequence=custom, actor=user)
            messages.success(
                request, f"“{custom.title}” is in the library at {custom.get_absolute_url()}."
            )
        else:
            services.custom_sequence_unpublish(custom_sequence=custom, actor=user)
            messages.success(request, f"“{custom.title}” is no longer in the library.")
    except services.CustomError as e:
        messages.error(request, e.message)
    return redirect("studio:custom_edit", pk=custom.pk)


@require_POST
@builder_required
def publish(request: HttpRequest, user: User, pk: int) -> HttpResponse:
    return _staff_publish(request, user, pk, publish=True)


@require_POST
@builder_required
def unpublish(request: HttpRequest, user: User, pk: int) -> HttpResponse:
    return _staff_publish(request, user, pk, publish=False)
