"""The watch page of a custom sequence, its per-viewer playlists and its handout."""

import logging

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from homestretch.custom import handout as handouts
from homestretch.custom import playback
from homestretch.custom.access import given, may_see, readable_versions, sees_every_version
from homestretch.custom.models import CustomSequence, CustomSequenceVersion
from homestretch.library.delivery import viewer_id
from homestretch.library.playback import StorageDown, signed_viewer

log = logging.getLogger(__name__)

NO_ACCESS = "You don't have access to every sequence this one is made from."


def _version(custom: CustomSequence, number: str | None) -> CustomSequenceVersion:
    versions = custom.versions.all()
    if number:
        if not number.isdigit():
            raise Http404
        return get_object_or_404(versions, number=int(number))
    version = versions.order_by("-number").first()
    if version is None:
        raise Http404
    return version


def watch_context(
    request: HttpRequest, version: CustomSequenceVersion, *, loggable: bool = False
) -> dict[str, object]:
    """What the watch page needs: the items, whether the viewer may play them and, if so,
    the signed master URL and each move's place in the stream. Also used by the homework
    page that shows a client their assigned custom sequence. `loggable`: the page offers
    the practice log at the end (a published one, or the client's homework)."""
    items = playback.items_of(version)
    allowed = playback.may_watch(request.user, items)
    context: dict[str, object] = {
        "custom": version.custom_sequence,
        "version": version,
        "items": items,
        "allowed": allowed,
        "loggable": loggable and allowed,
    }
    if not allowed:
        return context
    try:
        times = playback.Joined(items).timeline()
    except playback.NotPlayable as error:
        context["unplayable"] = str(error)
        return context
    except StorageDown:
        context["unplayable"] = "The video storage is not answering; try again in a moment."
        return context
    viewer = viewer_id(request.user)
    moves = [
        {
            "title": item.title,
            "cue": item.cue,
            "note": item.note,
            "rest": item.rest_seconds,
            "begins": round(t.begins, 3),
            "start": round(t.start, 3),
            "end": round(t.end, 3),
        }
        for item, t in zip(items, times, strict=True)
    ]
    context |= {
        "master_url": playback.playlist_url(viewer=viewer, version=version, name="master"),
        "moves": moves,
        "rows": list(zip(items, moves, strict=True)),
        "duration": round(times[-1].end) if times else 0,
    }
    return context


def render_watch(
    request: HttpRequest, version: CustomSequenceVersion, *, loggable: bool = False
) -> HttpResponse:
    context = watch_context(request, version, loggable=loggable)
    response = render(request, "custom/watch.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def watch(request: HttpRequest, pk: int) -> HttpResponse:
    custom = get_object_or_404(CustomSequence.objects.select_related("owner"), pk=pk)
    if not may_see(request.user, custom):
        # A client given it as homework watches it there (a handout's link leads here).
        if gifts := given(request.user, custom):
            return redirect(gifts[0].url)
        raise Http404
    number = request.GET.get("version") if sees_every_version(request.user, custom) else None
    return render_watch(request, _version(custom, number), loggable=custom.is_published)


@require_GET
def published(request: HttpRequest, slug: str) -> HttpResponse:
    """A custom sequence staff published, on its own page in the library: the same watch
    page, as its latest version, played by the library's rules for every source."""
    custom = get_object_or_404(
        CustomSequence.objects.select_related("owner"),
        slug=slug,
        status=CustomSequence.Status.PUBLISHED,
    )
    return render_watch(request, _version(custom, None), loggable=True)


def _refuse(message: str) -> HttpResponse:
    return HttpResponse(message, status=403, content_type="text/plain")


@require_GET
def playback_urls(request: HttpRequest, pk: int, number: int) -> JsonResponse:
    """Fresh signed playlist URL for the player (its links expire), if access holds."""
    version = get_object_or_404(
        CustomSequenceVersion.objects.select_related("custom_sequence"),
        custom_sequence_id=pk,
        number=number,
    )
    if not playback.may_watch(request.user, playback.items_of(version)):
        return JsonResponse({"detail": NO_ACCESS}, status=403)
    viewer = viewer_id(request.user)
    response = JsonResponse(
        {
            "master_url": playback.playlist_url(viewer=viewer, version=version, name="master"),
            "expires_in": settings.LIBRARY_PLAYLIST_TTL_SECONDS,
        }
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def playlist(request: HttpRequest, pk: int, number: int, name: str) -> HttpResponse:
    """The version's master playlist, or one rendition's joined playlist, for the viewer
    the link was signed for; access to every source is checked on each fetch."""
    version = get_object_or_404(
        CustomSequenceVersion.objects.select_related("custom_sequence"),
        custom_sequence_id=pk,
        number=number,
    )
    try:
        expires = int(request.GET.get("exp", ""))
        viewer = int(request.GET.get("v", "0"))
    except ValueError:
        return _refuse("This link is not valid.")
    if not playback.verify(
        viewer=viewer,
        version_id=version.pk,
        name=name,
        expires=expires,
        token=request.GET.get("tok", ""),
    ):
        return _refuse("This link has expired or is not valid.")
    user = signed_viewer(request)
    if user is None:
        return _refuse("This link was made for someone else.")
    items = playback.items_of(version)
    if not playback.may_watch(user, items):
        return _refuse(NO_ACCESS)
    try:
        joined = playback.Joined(items)
        if name == "master":
            text = joined.master(viewer=viewer, version=version)
        elif name in {s.name for s in joined.renditions}:
            text = joined.variant(viewer=viewer, rendition=name)
        else:
            raise Http404
    except playback.NotPlayable:
        raise Http404 from None
    except StorageDown:
        response = HttpResponse(
            "The video storage is not answering; try again in a moment.",
            status=503,
            content_type="text/plain",
        )
        response["Retry-After"] = "10"
        return response
    response = HttpResponse(text, content_type="application/vnd.apple.mpegurl")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def thumbnails(request: HttpRequest) -> HttpResponse:
    """An empty thumbnails track: a joined stream has no sprite of its own (yet)."""
    return HttpResponse("WEBVTT\n", content_type="text/vtt")


def _handout_version(request: HttpRequest, pk: int) -> tuple[CustomSequenceVersion, str]:
    """The version a handout shows, and the watch page its link and QR code lead to:
    `?v=<number>` among the versions this viewer may read (`access.readable_versions`),
    else the first of them; a 404 for none or another (a subscription is not asked: a
    handout is text and pictures)."""
    custom = get_object_or_404(CustomSequence.objects.select_related("owner"), pk=pk)
    offered = {r.version.number: r for r in readable_versions(request.user, custom)}
    if not offered:
        raise Http404
    asked = request.GET.get("v")
    if asked is None:
        chosen = next(iter(offered.values()))
    elif asked.isdigit() and int(asked) in offered:
        chosen = offered[int(asked)]
    else:
        raise Http404
    return chosen.version, settings.SITE_URL.rstrip("/") + chosen.url


@require_GET
def handout(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable handout: a few moves a page, with the watch page's link and QR code."""
    version, watch_url = _handout_version(request, pk)
    response = render(
        request, "custom/handout.html", handouts.context(version, watch_url=watch_url)
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def handout_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The same handout as a PDF download, named after the sequence and its version."""
    version, watch_url = _handout_version(request, pk)
    try:
        pdf = handouts.pdf(handouts.context(version, watch_url=watch_url))
    except handouts.PdfUnavailable:
        log.error("PDF handouts need WeasyPrint and the Pango library", exc_info=True)
        return HttpResponse(
            "The PDF cannot be made on this server now; print the handout page instead.",
            status=503,
            content_type="text/plain",
        )
    stem = slugify(version.custom_sequence.slug or version.title) or "handout"
    name = f"{stem}-v{version.number}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'  # a slug: plain ASCII
    response["Cache-Control"] = "private, no-store"
    return response
