from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from homestretch.programs.models import Program


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    programs = Program.objects.published().prefetch_related("days")
    return render(request, "programs/index.html", {"programs": programs})
