import logging

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from homestretch.accounts.models import User
from homestretch.lib.files import serve_file
from homestretch.lib.storage import STORAGE_ERRORS
from homestretch.library import playback
from homestretch.library.access import may_play
from homestretch.library.delivery import PLAYLISTS, SAFE_PATH, delivery, viewer_id
from homestretch.library.forms import LibraryFilterForm
from homestretch.library.models import (
    Collection,
    Encoding,
    Favorite,
    Level,
    PlayerPreference,
    Sequence,
    WatchProgress,
)
from homestretch.library.search import search_forgiving
from homestretch.library.services import HLS_ROOT, favorite_toggle
from homestretch.library.shelves import continue_watching, favorites, hits_by_sequence

log = logging.getLogger(__name__)

# Through Django, each request is checked against the viewer's access: a shared cache
# must not keep the bytes. (nginx and the bucket send "public": their URLs expire.)
SEGMENT_CACHE = "private, max-age=31536000, immutable"
NO_ACCESS = "You don't have access to this sequence."


def _refuse(message: str = NO_ACCESS) -> HttpResponse:
    return HttpResponse(message, status=403, content_type="text/plain")


def _unavailable() -> HttpResponse:
    # The player retries a network error; the reason is in the log, never in the reply.
    response = HttpResponse(
        "The video storage is not answering; try again in a moment.",
        status=503,
        content_type="text/plain",
    )
    response["Retry-After"] = "10"
    return response


def _get_visible_sequence(request: HttpRequest, slug: str) -> Sequence:
    """A published sequence, or one scheduled (shown as coming soon); drafts to staff only."""
    sequence = get_object_or_404(
        Sequence.objects.select_related("instructor", "encoding").prefetch_related(
            "chapters", "captions", "focus_areas", "equipment"
        ),
        slug=slug,
    )
    if sequence.status != Sequence.Status.PUBLISHED and not request.user.is_staff:
        raise Http404
    return sequence


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = LibraryFilterForm(request.GET or None)
    # A card needs the sequence's own columns only (the poster goes by encoding_id); the
    # result list (any query string) also names focus areas.
    sequences = Sequence.objects.published()
    if request.GET:
        sequences = sequences.prefetch_related("focus_areas")
    hits: dict[int, list] = {}
    query = corrected = ""
    if form.is_valid():
        sequences = form.filter(sequences)
        query = form.cleaned_data.get("q") or ""
        if query:
            found = search_forgiving(query)
            corrected = found.corrected
            hits = hits_by_sequence(found.hits)
            sequences = sequences.filter(pk__in=hits.keys())
    page = Paginator(sequences, 24).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query": query,
        "corrected": corrected,
        "hits": hits,
        "filtered": bool(request.GET),
        "levels": Level.choices,
    }
    if not request.GET:
        context |= {
            "new_this_week": Sequence.objects.new_this_week()[:8],
            "coming_soon": Sequence.objects.coming_soon()[:6],
            "continue_watching": continue_watching(request.user),
            "favorites": favorites(request.user),
            "collections": Collection.objects.prefetch_related(
                Prefetch("sequences", queryset=Sequence.objects.published())
            ),
        }
    return render(request, "library/index.html", context)


@require_GET
def watch(request: HttpRequest, slug: str) -> HttpResponse:
    sequence = _get_visible_sequence(request, slug)
    if not sequence.is_live and not request.user.is_staff:
        return render(request, "library/coming_soon.html", {"sequence": sequence})
    allowed = may_play(request.user, sequence)
    context: dict[str, object] = {"sequence": sequence, "allowed": allowed}
    if request.user.is_authenticated:
        context["is_favorite"] = Favorite.objects.filter(
            user=request.user, sequence=sequence
        ).exists()
    if allowed and sequence.is_playable:
        viewer = viewer_id(request.user)
        resume = 0.0
        if request.user.is_authenticated:
            progress = WatchProgress.objects.filter(user=request.user, sequence=sequence).first()
            if progress and not progress.finished:
                resume = progress.position_seconds
        start = request.GET.get("t", "")
        context |= {
            "master_url": playback.master_url(viewer=viewer, sequence=sequence),
            "thumbnails_url": playback.thumbnails_url(viewer=viewer, sequence=sequence),
            "start_at": float(start) if start.replace(".", "", 1).isdigit() else resume,
        }
        if request.user.is_authenticated:
            context["preference"] = PlayerPreference.objects.filter(user=request.user).first()
    response = render(request, "library/watch.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def media(request: HttpRequest, slug: str, path: str) -> HttpResponse | StreamingHttpResponse:
    """A file of one of the sequence's encodings, for a viewer holding a valid token."""
    if not SAFE_PATH.match(path):
        raise Http404
    sequence = get_object_or_404(Sequence.objects.select_related("encoding"), slug=slug)
    try:
        expires = int(request.GET.get("exp", ""))
        viewer = int(request.GET.get("v", "0"))
    except ValueError:
        return _refuse("This link is not valid.")
    if not delivery().verify(
        viewer=viewer,
        sequence_id=sequence.pk,
        path=path,
        expires=expires,
        token=request.GET.get("tok", ""),
    ):
        return _refuse("This link has expired or is not valid.")
    user = playback.signed_viewer(request)
    if user is None:
        return _refuse("This link was made for someone else.")
    if not may_play(user, sequence):
        return _refuse()
    folder = path.split("/", 1)[0]
    encoding = Encoding.objects.filter(
        sequence=sequence, folder=folder, state=Encoding.State.READY
    ).first()
    if encoding is None:
        raise Http404
    name = f"{HLS_ROOT}/{path}"
    if path.endswith(PLAYLISTS):
        try:
            text = playback.stored_text(name)
        except playback.StorageDown:
            return _unavailable()
        if text is None:
            raise Http404
        text = playback.rewrite(
            text=text, path=path, viewer=viewer, sequence=sequence, encoding=encoding
        )
        is_playlist = path.endswith(".m3u8")
        content_type = "application/vnd.apple.mpegurl" if is_playlist else "text/vtt"
        response = HttpResponse(text, content_type=content_type)
        response["Cache-Control"] = "private, no-store"
        return response
    return _serve_stored(request, name, cache_control=SEGMENT_CACHE)


def _serve_stored(
    request: HttpRequest, name: str, *, cache_control: str
) -> HttpResponse | StreamingHttpResponse:
    try:
        size = default_storage.size(name)
        file = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    except STORAGE_ERRORS:
        log.warning("The media storage could not give %s", name, exc_info=True)
        return _unavailable()
    return serve_file(request, file, name=name, size=size, cache_control=cache_control)


@require_GET
def poster(request: HttpRequest, slug: str) -> HttpResponse | StreamingHttpResponse:
    sequence = _get_visible_sequence(request, slug)
    if sequence.encoding is None:
        raise Http404
    name = f"{sequence.encoding.relative_dir}/poster.jpg"
    return _serve_stored(request, name, cache_control="public, max-age=3600")


@require_GET
@never_cache
def captions(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    sequence = _get_visible_sequence(request, slug)
    if not may_play(request.user, sequence):
        return _refuse()
    caption = get_object_or_404(sequence.captions, language=language)
    return HttpResponse(caption.vtt, content_type="text/vtt; charset=utf-8")


@login_required
@require_POST
def favorite(request: HttpRequest, slug: str) -> HttpResponse:
    sequence = _get_visible_sequence(request, slug)
    assert isinstance(request.user, User)  # login_required has run
    is_favorite = favorite_toggle(user=request.user, sequence=sequence)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect(sequence)
    context = {"sequence": sequence, "is_favorite": is_favorite}
    return render(request, "library/watch.html#favorite-button", context)
