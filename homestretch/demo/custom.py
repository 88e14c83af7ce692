"""Demo custom sequences: the demo instructor's own for the demo member (moves from two
demo sequences, assigned as homework), and a staff one published in the library."""

from datetime import timedelta

from django.db import transaction

from homestretch.accounts.models import User
from homestretch.custom import services
from homestretch.custom.models import CustomSequence
from homestretch.homework import services as homework
from homestretch.homework.models import Consent
from homestretch.library.models import Chapter

MEMBERS_TITLE = "Your SI joint homework"
MEMBERS_MOVES = (
    ("si-joint-side-lying-stability", 1, {"reps": 8, "side": "left", "note": "Small range"}),
    ("walking-without-the-twinge", 1, {"reps": 10, "note": "Keep the hip level"}),
    ("si-joint-side-lying-stability", 0, {"hold_seconds": 20, "side": "left"}),
)
STAFF_TITLE = "SI joint rescue"
STAFF_MOVES = (
    ("si-joint-side-lying-stability", 1, {"reps": 6, "side": "both"}),
    ("walking-without-the-twinge", 1, {"reps": 8}),
    ("bridge-step-by-step", 0, {"reps": 5, "rest_seconds": 10}),
)


def _items(spec: tuple[tuple[str, int, dict], ...]) -> list[services.ItemInput]:
    """Moves named by their sequence and chapter number (early chapters: the quick
    demo's videos are shorter than their last chapters' starts)."""
    chapters: dict[str, list[Chapter]] = {}
    for chapter in (
        Chapter.objects.filter(sequence__slug__in={s for s, _, _ in spec})
        .order_by("start_seconds")
        .select_related("sequence")
    ):
        chapters.setdefault(chapter.sequence.slug, []).append(chapter)
    items = []
    for slug, n, cue in spec:
        found = chapters.get(slug, [])
        if not found:
            continue
        chapter = found[n] if n < len(found) else found[0]
        if chapter.start_seconds >= chapter.sequence.duration_seconds:
            chapter = found[0]  # the quick demo's four-second clips
        items.append(
            services.ItemInput(
                sequence_id=chapter.sequence_id, start_seconds=chapter.start_seconds, **cue
            )
        )
    return items


@transaction.atomic
def ensure_demo_custom_sequences() -> list[str]:
    made: list[str] = []
    instructor = User.objects.filter(email="instructor@example.com").first()
    member = User.objects.filter(email="member@example.com").first()
    staff = User.objects.filter(email="staff@example.com").first()
    if instructor and member and not CustomSequence.objects.filter(owner=instructor).exists():
        consent = (
            Consent.objects.active().filter(instructor__user=instructor, client=member).first()
        )
        try:
            version = services.custom_sequence_save(
                owner=instructor,
                title=MEMBERS_TITLE,
                note="Three moves from our last session. Go gently on the left side.",
                items=_items(MEMBERS_MOVES),
            )
        except services.CustomError:
            version = None  # the demo library is missing a chapter: nothing to show
        if version is not None and consent is not None:
            today = member.local_today()
            homework.assignment_create(
                consent=consent,
                sequences=[],
                custom_version=version,
                schedule=homework.Schedule(weekdays=frozenset({2, 4, 6})),
                starts_on=today - timedelta(days=3),
                ends_on=today + timedelta(days=25),
            )
            made.append("a custom sequence assigned to the demo member")
    if staff and not CustomSequence.objects.filter(owner=staff).exists():
        try:
            version = services.custom_sequence_save(
                owner=staff,
                title=STAFF_TITLE,
                note="Moves from three classes for a day the SI joint complains.",
                items=_items(STAFF_MOVES),
            )
        except services.CustomError:
            return made
        try:
            services.custom_sequence_publish(custom_sequence=version.custom_sequence, actor=staff)
        except services.CustomError:
            return made  # a move of the quick demo's library cannot play: leave it a draft
        made.append("a staff custom sequence published in the library")
    return made
