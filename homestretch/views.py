from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from homestretch.accounts.models import User
from homestretch.homework.services import current_assignments
from homestretch.library.models import Sequence
from homestretch.library.shelves import continue_watching
from homestretch.programs.models import Program
from homestretch.programs.state import current_programs


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "new_this_week": Sequence.objects.new_this_week()[:4],
        "continue_watching": continue_watching(request.user, limit=4),
        "my_programs": current_programs(request.user),
        "programs": Program.objects.published()[:3],
        "homework": current_assignments(request.user) if isinstance(request.user, User) else [],
    }
    response = render(request, "home.html", context)
    if context["homework"]:  # a member's homework is theirs alone
        add_never_cache_headers(response)
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    return redirect(static("favicon.svg"), permanent=True)
