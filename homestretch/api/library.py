from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import Field

from homestretch.accounts.models import User
from homestretch.api.auth import ANYONE, SIGNED_IN
from homestretch.api.pagination import Mapped, Paged
from homestretch.billing.access import has_library_access
from homestretch.library import playback
from homestretch.library.access import may_play
from homestretch.library.delivery import viewer_id
from homestretch.library.models import Encoding, PlayerPreference, Sequence, WatchProgress
from homestretch.library.services import BadPreference, player_preference_save, progress_save

router = Router(tags=["library"])


class SequenceOut(Schema):
    slug: str
    title: str
    description: str
    level: str
    duration_seconds: int
    is_free_preview: bool
    publish_at: datetime
    can_watch: bool


class PlaybackOut(Schema):
    master_url: str
    thumbnails_url: str
    expires_in: int


class ProgressIn(Schema):
    position: float = Field(ge=0, le=24 * 3600)
    duration: float | None = Field(default=None, ge=0, le=24 * 3600)


class ProgressOut(Schema):
    position: float
    finished: bool


class PlayerPreferenceIO(Schema):
    speed: float = Field(description="One of 0.5, 0.75, 1, 1.25, 1.5, 2.")
    captions: str = Field(max_length=16, description='A caption language, or "" for off.')


class EncodingOut(Schema):
    state: str
    progress: float
    eta_seconds: int | None
    error: str


def _published(slug: str) -> Sequence:
    return get_object_or_404(Sequence.objects.published().select_related("encoding"), slug=slug)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.get("/sequences", response=list[SequenceOut], auth=ANYONE, summary="Published sequences")
@paginate(Paged)
def list_sequences(request: HttpRequest) -> Mapped:
    access = has_library_access(request.user)
    return Mapped(
        Sequence.objects.published().order_by("-publish_at", "pk"),
        lambda s: SequenceOut(
            slug=s.slug,
            title=s.title,
            description=s.description,
            level=s.level,
            duration_seconds=s.duration_seconds,
            is_free_preview=s.is_free_preview,
            publish_at=s.publish_at,
            can_watch=may_play(request.user, s, library_access=access),
        ),
    )


@router.get(
    "/sequences/{slug}/playback",
    response=PlaybackOut,
    auth=ANYONE,
    summary="Signed playlist URLs for this viewer",
)
def get_playback(request: HttpRequest, slug: str) -> PlaybackOut:
    sequence = _published(slug)
    if not may_play(request.user, sequence):
        raise HttpError(403, "You don't have access to this sequence.")
    if not sequence.is_playable:
        raise HttpError(404, "This sequence is not ready yet.")
    viewer = viewer_id(request.user)
    return PlaybackOut(
        master_url=playback.master_url(viewer=viewer, sequence=sequence),
        thumbnails_url=playback.thumbnails_url(viewer=viewer, sequence=sequence),
        expires_in=settings.LIBRARY_PLAYLIST_TTL_SECONDS,
    )


@router.get("/sequences/{slug}/progress", response=ProgressOut, auth=SIGNED_IN)
def get_progress(request: HttpRequest, slug: str) -> ProgressOut:
    sequence = _published(slug)
    progress = WatchProgress.objects.filter(user=_user(request), sequence=sequence).first()
    if progress is None:
        return ProgressOut(position=0, finished=False)
    return ProgressOut(position=progress.position_seconds, finished=progress.finished)


@router.put(
    "/sequences/{slug}/progress",
    response=ProgressOut,
    auth=SIGNED_IN,
    summary="Save where I stopped",
)
def put_progress(request: HttpRequest, slug: str, payload: ProgressIn) -> ProgressOut:
    sequence = _published(slug)
    if not may_play(request.user, sequence):
        raise HttpError(403, "You don't have access to this sequence.")
    progress = progress_save(
        user=_user(request), sequence=sequence, position=payload.position, duration=payload.duration
    )
    return ProgressOut(position=progress.position_seconds, finished=progress.finished)


@router.get("/player-preference", response=PlayerPreferenceIO, auth=SIGNED_IN)
def get_player_preference(request: HttpRequest) -> PlayerPreferenceIO:
    preference = PlayerPreference.objects.filter(user=_user(request)).first()
    if preference is None:
        return PlayerPreferenceIO(speed=1.0, captions="")
    return PlayerPreferenceIO(speed=preference.speed, captions=preference.captions)


@router.put(
    "/player-preference",
    response=PlayerPreferenceIO,
    auth=SIGNED_IN,
    summary="Remember my speed and captions",
)
def put_player_preference(request: HttpRequest, payload: PlayerPreferenceIO) -> PlayerPreferenceIO:
    try:
        preference = player_preference_save(
            user=_user(request), speed=payload.speed, captions=payload.captions
        )
    except BadPreference as error:
        raise HttpError(400, str(error)) from None
    return PlayerPreferenceIO(speed=preference.speed, captions=preference.captions)


@router.get(
    "/encodings/{encoding_id}",
    response=EncodingOut,
    auth=SIGNED_IN,
    summary="Transcode progress (staff)",
)
def get_encoding(request: HttpRequest, encoding_id: int) -> EncodingOut:
    if not request.user.is_staff:
        raise HttpError(403, "Staff only.")
    encoding = get_object_or_404(Encoding, pk=encoding_id)
    return EncodingOut(
        state=encoding.state,
        progress=encoding.progress,
        eta_seconds=encoding.eta_seconds,
        error=encoding.error,
    )
