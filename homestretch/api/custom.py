"""Custom sequences in the API: read one with its moves and playback URL (who may see and
play it as on its page); instructors and staff create and edit their own (each save a new
version, through `custom.services` as the studio's builder does)."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import Field

from homestretch.accounts.models import User
from homestretch.api.auth import SIGNED_IN
from homestretch.custom import playback, services
from homestretch.custom.access import may_see
from homestretch.custom.models import CUE_NOTE_MAX, CustomSequence, CustomSequenceVersion
from homestretch.custom.moves import parse_key
from homestretch.library.delivery import viewer_id
from homestretch.library.playback import StorageDown

router = Router(tags=["custom sequences"])


class MoveOut(Schema):
    position: int
    title: str
    sequence: str | None  # the source sequence's slug
    start_seconds: int
    end_seconds: int
    reps: int | None
    hold_seconds: int | None
    side: str
    note: str
    rest_seconds: int
    starts_at: float | None  # where it starts in the joined stream, when playable


class CustomOut(Schema):
    id: int
    title: str
    note: str
    status: str
    version: int
    moves: list[MoveOut]
    can_watch: bool
    master_url: str | None
    problems: list[str]


class MoveIn(Schema):
    move: str = Field(description='A move\'s key: "<sequence id>:<start second>".')
    reps: int | None = None
    hold_seconds: int | None = None
    side: str = ""
    note: str = Field(default="", max_length=CUE_NOTE_MAX * 4)  # the service says the limit
    rest_seconds: int = 0


class CustomIn(Schema):
    title: str = Field(max_length=1000)
    note: str = Field(default="", max_length=10000)
    moves: list[MoveIn] = Field(max_length=200)


def _out(request: HttpRequest, version: CustomSequenceVersion) -> CustomOut:
    items = playback.items_of(version)
    allowed = playback.may_watch(request.user, items)
    starts: list[float | None] = [None] * len(items)
    master_url = None
    if allowed:
        try:
            starts = [t.start for t in playback.Joined(items).timeline()]
            master_url = playback.playlist_url(
                viewer=viewer_id(request.user), version=version, name="master"
            )
        except (playback.NotPlayable, StorageDown):
            pass
    custom = version.custom_sequence
    mine = isinstance(request.user, User) and custom.owner_id == request.user.pk
    return CustomOut(
        id=custom.pk,
        title=version.title,
        note=version.note,
        status=custom.status,
        version=version.number,
        moves=[
            MoveOut(
                position=i.position,
                title=i.title,
                sequence=i.sequence.slug if i.sequence else None,
                start_seconds=i.start_seconds,
                end_seconds=i.end_seconds,
                reps=i.reps,
                hold_seconds=i.hold_seconds,
                side=i.side,
                note=i.note,
                rest_seconds=i.rest_seconds,
                starts_at=start,
            )
            for i, start in zip(items, starts, strict=True)
        ],
        can_watch=master_url is not None,
        master_url=master_url,
        problems=services.problems(version) if mine else [],
    )


@router.get("/{pk}", response=CustomOut, auth=None, summary="A custom sequence and its moves")
def get_custom(request: HttpRequest, pk: int) -> CustomOut:
    custom = get_object_or_404(CustomSequence, pk=pk)
    if not may_see(request.user, custom):
        raise HttpError(404, "Not found.")
    version = custom.latest_version()
    if version is None:
        raise HttpError(404, "Not found.")
    return _out(request, version)


def _items(data: CustomIn) -> list[services.ItemInput]:
    items = []
    for n, move in enumerate(data.moves, start=1):
        key = parse_key(move.move)
        if key is None:
            raise HttpError(400, f"Move {n} no longer exists in its sequence; remove it.")
        items.append(
            services.ItemInput(
                sequence_id=key[0],
                start_seconds=key[1],
                reps=move.reps,
                hold_seconds=move.hold_seconds,
                side=move.side,
                note=move.note,
                rest_seconds=move.rest_seconds,
            )
        )
    return items


def _builder(request: HttpRequest) -> User:
    user = request.user
    if not (isinstance(user, User) and (user.is_staff or user.is_instructor)):
        raise HttpError(403, "For instructors.")
    return user


def _save(request: HttpRequest, data: CustomIn, custom: CustomSequence | None) -> CustomOut:
    owner = _builder(request)
    try:
        version = services.custom_sequence_save(
            owner=owner,
            title=data.title,
            note=data.note,
            items=_items(data),
            custom_sequence=custom,
        )
    except services.CustomError as error:
        raise HttpError(400, error.message) from None
    return _out(request, version)


@router.post("", response={201: CustomOut}, auth=SIGNED_IN, summary="Build a custom sequence")
def create_custom(request: HttpRequest, data: CustomIn) -> Status:
    return Status(201, _save(request, data, None))


@router.put("/{pk}", response=CustomOut, auth=SIGNED_IN, summary="Save a new version")
def edit_custom(request: HttpRequest, pk: int, data: CustomIn) -> CustomOut:
    custom = get_object_or_404(CustomSequence, pk=pk, owner_id=_builder(request).pk)
    return _save(request, data, custom)
