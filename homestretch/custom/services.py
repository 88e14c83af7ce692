"""Writes of custom sequences. Each function is one atomic step with keyword-only
arguments; it raises `CustomError` with a message fit to show (and the item it is about,
when it is about one), and views and the API turn that into a form error or a 400."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from homestretch.accounts.models import User
from homestretch.audit.models import record
from homestretch.custom import moves as moves_
from homestretch.custom.models import (
    CUE_NOTE_MAX,
    MAX_HOLD_SECONDS,
    MAX_MOVES,
    MAX_REPS,
    MAX_REST_SECONDS,
    NOTE_MAX,
    TITLE_MAX,
    CustomItem,
    CustomSequence,
    CustomSequenceVersion,
    Side,
)
from homestretch.finder.models import Credential


class CustomError(Exception):
    def __init__(self, message: str, *, item: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        # The position (from 1) of the item the error is about, if any.
        self.item = item


@dataclass(frozen=True)
class ItemInput:
    """A move and its cue as a form or the API sends them."""

    sequence_id: int
    start_seconds: int
    reps: int | None = None
    hold_seconds: int | None = None
    side: str = ""
    note: str = ""
    rest_seconds: int = 0


def may_build(user: User) -> bool:
    """Staff, and instructors holding at least one valid credential (as for homework)."""
    if user.is_staff:
        return True
    return Credential.objects.valid().filter(instructor__user=user).exists()


def _check_item(n: int, item: ItemInput) -> None:
    if len(item.note) > CUE_NOTE_MAX:
        raise CustomError(
            f"Move {n}: the cue note is {len(item.note)} characters; keep it to {CUE_NOTE_MAX}.",
            item=n,
        )
    if item.reps is not None and not 1 <= item.reps <= MAX_REPS:
        raise CustomError(f"Move {n}: repetitions go from 1 to {MAX_REPS}.", item=n)
    if item.hold_seconds is not None and not 1 <= item.hold_seconds <= MAX_HOLD_SECONDS:
        raise CustomError(f"Move {n}: a hold is 1 to {MAX_HOLD_SECONDS} seconds.", item=n)
    if not 0 <= item.rest_seconds <= MAX_REST_SECONDS:
        raise CustomError(f"Move {n}: rest is 0 to {MAX_REST_SECONDS} seconds.", item=n)
    if item.side not in Side.values:
        raise CustomError(f"Move {n}: choose a side from the list.", item=n)


@transaction.atomic
def custom_sequence_save(
    *,
    owner: User,
    title: str,
    note: str = "",
    items: list[ItemInput],
    custom_sequence: CustomSequence | None = None,
) -> CustomSequenceVersion:
    """Create a custom sequence, or save an edit of one as its next version.

    1. The owner may build (staff, or an instructor with a valid credential), and an
       edit is of their own custom sequence.
    2. Title, note and every cue are checked; the moves must exist now, in sequences
       that are published and encoded.
    3. The sequence's title and note change, and a new version is written with the
       items (earlier versions stay as they were). Any error writes nothing.
    """
    if not may_build(owner):
        raise CustomError("Building custom sequences needs at least one valid credential.")
    if custom_sequence is not None:
        custom_sequence = CustomSequence.objects.select_for_update().get(pk=custom_sequence.pk)
        if custom_sequence.owner_id != owner.pk:
            raise CustomError("This custom sequence belongs to someone else.")
    title = title.strip()
    if not title:
        raise CustomError("Give the custom sequence a title.")
    if len(title) > TITLE_MAX:
        raise CustomError(f"Keep the title to {TITLE_MAX} characters.")
    if len(note) > NOTE_MAX:
        raise CustomError(f"Keep the note to the client to {NOTE_MAX} characters.")
    taken = CustomSequence.objects.filter(owner=owner, title__iexact=title)
    if custom_sequence is not None:
        taken = taken.exclude(pk=custom_sequence.pk)
    if taken.exists():
        raise CustomError(f"You already have a custom sequence called “{title}”.")
    if not items:
        raise CustomError("Add at least one move.")
    if len(items) > MAX_MOVES:
        raise CustomError(f"A custom sequence has at most {MAX_MOVES} moves.")
    for n, item in enumerate(items, start=1):
        _check_item(n, item)
    found = moves_.find([(item.sequence_id, item.start_seconds) for item in items])
    chosen = []
    for n, item in enumerate(items, start=1):
        move = found.get((item.sequence_id, item.start_seconds))
        if move is None:
            raise CustomError(f"Move {n} no longer exists in its sequence; remove it.", item=n)
        if not (move.sequence.is_live and move.sequence.is_playable):
            raise CustomError(
                f"Move {n} (“{move.title}”) is from “{move.sequence.title}”, "
                "which is not in the library now; remove it.",
                item=n,
            )
        chosen.append(move)

    if custom_sequence is None:
        custom_sequence = CustomSequence(owner=owner)
        number = 1
    else:
        last = custom_sequence.versions.order_by("-number").values_list("number", flat=True)
        number = (last.first() or 0) + 1
    custom_sequence.title = title
    custom_sequence.note = note
    try:
        with transaction.atomic():
            custom_sequence.save()
    except IntegrityError:  # the same title, saved by a second request meanwhile
        raise CustomError(f"You already have a custom sequence called “{title}”.") from None
    version = CustomSequenceVersion.objects.create(
        custom_sequence=custom_sequence, number=number, title=title, note=note
    )
    CustomItem.objects.bulk_create(
        CustomItem(
            version=version,
            position=n,
            sequence=move.sequence,
            start_seconds=move.start_seconds,
            end_seconds=move.end_seconds,
            title=move.title,
            reps=item.reps,
            hold_seconds=item.hold_seconds,
            side=item.side,
            note=item.note.strip(),
            rest_seconds=item.rest_seconds,
        )
        for n, (item, move) in enumerate(zip(items, chosen, strict=True), start=1)
    )
    record(
        actor=owner,
        action="custom.save",
        item=custom_sequence,
        summary=f"Version {number} of “{title}” with {len(items)} moves",
    )
    return version


def problems(version: CustomSequenceVersion) -> list[str]:
    """What stops a version playing as it was built: a move whose chapter is gone, or
    whose source is unpublished or has no encoding. Asked for the instructor's pages."""
    items = list(version.items.select_related("sequence"))
    found = moves_.find([(i.sequence_id, i.start_seconds) for i in items if i.sequence_id])
    messages = []
    for item in items:
        if item.sequence is None:
            messages.append(f"Move {item.position} (“{item.title}”): its sequence was deleted.")
        elif (item.sequence_id, item.start_seconds) not in found:
            messages.append(
                f"Move {item.position} (“{item.title}”) is no longer a chapter of "
                f"“{item.sequence.title}”."
            )
        elif not (item.sequence.is_live and item.sequence.is_playable):
            messages.append(
                f"Move {item.position} (“{item.title}”): “{item.sequence.title}” is not "
                "in the library now."
            )
    return messages


def _free_slug(custom_sequence: CustomSequence) -> str:
    """A slug from the title, made unique with a number; never all digits."""
    base = slugify(custom_sequence.title)[:120].strip("-") or "custom-sequence"
    if base.isdigit():
        base = f"custom-{base}"
    slug, n = base, 1
    taken = CustomSequence.objects.exclude(pk=custom_sequence.pk)
    while taken.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def custom_sequence_publish(*, custom_sequence: CustomSequence, actor: User) -> CustomSequence:
    """Staff put a custom sequence in the library: it gets a slug (kept from an earlier
    publishing) and its page, list entry and search entry. It plays there by the library's
    rules for every source (`playback.may_watch`), so publishing opens nothing new.

    Refused for anyone but staff, and while a move of its current version cannot play.
    """
    if not actor.is_staff:
        raise CustomError("Only the studio's staff publish custom sequences in the library.")
    custom_sequence = CustomSequence.objects.select_for_update().get(pk=custom_sequence.pk)
    version = custom_sequence.latest_version()
    if version is None:
        raise CustomError("Save the custom sequence before publishing it.")
    if found := problems(version):
        raise CustomError("Fix its moves before publishing: " + " ".join(found))
    custom_sequence.slug = custom_sequence.slug or _free_slug(custom_sequence)
    custom_sequence.status = CustomSequence.Status.PUBLISHED
    custom_sequence.published_at = timezone.now()
    custom_sequence.save(update_fields=["slug", "status", "published_at", "updated_at"])
    record(
        actor=actor,
        action="custom.publish",
        item=custom_sequence,
        summary=f"Published “{custom_sequence.title}” (version {version.number}) in the library",
    )
    return custom_sequence


@transaction.atomic
def custom_sequence_unpublish(*, custom_sequence: CustomSequence, actor: User) -> CustomSequence:
    """Take it out of the library (its page answers 404; homework given from it stays)."""
    if not actor.is_staff:
        raise CustomError("Only the studio's staff publish custom sequences in the library.")
    custom_sequence = CustomSequence.objects.select_for_update().get(pk=custom_sequence.pk)
    custom_sequence.status = CustomSequence.Status.DRAFT
    custom_sequence.save(update_fields=["status", "updated_at"])
    record(
        actor=actor,
        action="custom.unpublish",
        item=custom_sequence,
        summary=f"Took “{custom_sequence.title}” out of the library",
    )
    return custom_sequence
