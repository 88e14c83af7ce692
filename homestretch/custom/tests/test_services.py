"""Saving custom sequences: who may, what is checked, and versions that never change."""

import pytest

from homestretch.accounts.testing import make_alice, make_bob, make_staff, make_user
from homestretch.custom import moves, services
from homestretch.custom.models import CUE_NOTE_MAX, CustomItem, CustomSequence
from homestretch.custom.testing import item, make_custom, make_source
from homestretch.homework.testing import make_teacher
from homestretch.library.models import Chapter, Sequence

pytestmark = pytest.mark.django_db


def _teacher(email: str = "bob@example.com"):
    user = make_bob() if email == "bob@example.com" else make_user(email, display_name="Dana")
    make_teacher(user)
    return user


def test_moves_are_chapters_ending_where_the_next_begins_or_at_the_videos_end() -> None:
    clock = make_source("pelvic-clock")
    found = moves.browse()
    assert [(m.title, m.start_seconds, m.end_seconds) for m in found] == [
        ("Warm up", 0, 6),
        ("Pelvic clock", 6, 18),
    ]
    assert found[1].key == f"{clock.pk}:6"
    assert moves.parse_key(found[1].key) == (clock.pk, 6)
    assert moves.parse_key("x:1") is None


def test_moves_are_searched_by_title_level_and_sequence_and_drafts_are_left_out() -> None:
    make_source("pelvic-clock", level="steady")
    make_source("bridges", chapters=((0, "Bridge"), (8, "Clock of the ribs")))
    make_source("hidden", status=Sequence.Status.DRAFT)
    assert {m.title for m in moves.browse(query="clock")} == {
        "Warm up",  # its sequence is "Pelvic Clock"
        "Pelvic clock",
        "Clock of the ribs",
    }
    assert {m.title for m in moves.browse(level="steady")} == {"Warm up", "Pelvic clock"}
    assert {m.title for m in moves.browse(sequence="bridges")} == {"Bridge", "Clock of the ribs"}
    assert all(m.sequence.slug != "hidden" for m in moves.browse())


def test_an_instructor_saves_a_custom_sequence_of_moves_from_two_sequences() -> None:
    bob = _teacher()
    clock = make_source("pelvic-clock")
    bridges = make_source("bridges", chapters=((0, "Bridge"), (8, "Clock of the ribs")))
    version = make_custom(
        bob,
        [
            item(clock, 6, reps=10, side="left", note="Slowly"),
            item(bridges, 0, hold_seconds=30, rest_seconds=15),
        ],
        note="Twice a day.",
    )
    assert version.number == 1
    assert version.custom_sequence.owner == bob
    assert version.custom_sequence.note == "Twice a day."
    saved = list(version.items.all())
    assert [(i.title, i.start_seconds, i.end_seconds) for i in saved] == [
        ("Pelvic clock", 6, 18),
        ("Bridge", 0, 8),
    ]
    assert saved[0].cue == "10 reps · left"
    assert saved[1].cue == "hold 30 s"
    assert saved[1].rest_seconds == 15


def test_an_edit_is_a_new_version_and_the_old_one_stays_as_it_was() -> None:
    bob = _teacher()
    clock = make_source("pelvic-clock")
    first = make_custom(bob, [item(clock, 0), item(clock, 6)])
    second = services.custom_sequence_save(
        owner=bob,
        title="SI joint rescue, week 2",
        items=[item(clock, 6, reps=5)],
        custom_sequence=first.custom_sequence,
    )
    assert second.number == 2
    assert second.custom_sequence.pk == first.custom_sequence.pk
    first.refresh_from_db()
    assert first.title == "SI joint rescue"
    assert [i.title for i in first.items.all()] == ["Warm up", "Pelvic clock"]
    assert [i.title for i in second.items.all()] == ["Pelvic clock"]
    assert CustomSequence.objects.get().title == "SI joint rescue, week 2"


@pytest.mark.parametrize(
    ("title", "items", "message"),
    [
        ("Rescue", [], "Add at least one move."),
        ("  ", None, "Give the custom sequence a title."),
        ("Rescue", [("clock", 7)], "Move 1 no longer exists in its sequence"),
        ("Rescue", [("clock", 0, {"note": "x" * (CUE_NOTE_MAX + 1)})], "keep it to 140"),
        ("Rescue", [("clock", 0, {"reps": 0})], "repetitions go from 1 to 100"),
        ("Rescue", [("clock", 0, {"side": "up"})], "choose a side"),
        ("Rescue", [("clock", 0, {"rest_seconds": 601})], "rest is 0 to 600"),
        ("SI JOINT RESCUE", None, "You already have a custom sequence called"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_changes(
    title: str, items: list | None, message: str
) -> None:
    bob = _teacher()
    clock = make_source("clock")
    make_custom(bob, [item(clock, 0)])
    given = (
        [item(clock, 6)]
        if items is None
        else [item(clock, start, **(extra[0] if extra else {})) for _, start, *extra in items]
    )
    with pytest.raises(services.CustomError, match=message):
        services.custom_sequence_save(owner=bob, title=title, items=given)
    assert CustomSequence.objects.count() == 1
    assert CustomItem.objects.count() == 1


def test_a_failed_edit_leaves_the_saved_version_alone() -> None:
    bob = _teacher()
    clock = make_source("clock")
    version = make_custom(bob, [item(clock, 0)])
    with pytest.raises(services.CustomError, match="Add at least one move"):
        services.custom_sequence_save(
            owner=bob, title="Renamed", items=[], custom_sequence=version.custom_sequence
        )
    custom = CustomSequence.objects.get()
    assert custom.title == "SI joint rescue"
    assert custom.versions.count() == 1


def test_another_instructors_custom_sequence_cannot_be_edited() -> None:
    bob = _teacher()
    dana = _teacher("dana@example.com")
    clock = make_source("clock")
    version = make_custom(bob, [item(clock, 0)])
    with pytest.raises(services.CustomError, match="belongs to someone else"):
        services.custom_sequence_save(
            owner=dana,
            title="Mine now",
            items=[item(clock, 6)],
            custom_sequence=version.custom_sequence,
        )
    assert version.custom_sequence.versions.count() == 1


def test_the_same_title_is_fine_for_another_instructor() -> None:
    clock = make_source("clock")
    make_custom(_teacher(), [item(clock, 0)])
    make_custom(_teacher("dana@example.com"), [item(clock, 0)])
    assert CustomSequence.objects.count() == 2


def test_building_needs_a_valid_credential_or_staff() -> None:
    clock = make_source("clock")
    with pytest.raises(services.CustomError, match="valid credential"):
        make_custom(make_alice(), [item(clock, 0)])
    assert make_custom(make_staff(), [item(clock, 0)]).number == 1


def test_a_move_from_a_sequence_not_in_the_library_is_refused() -> None:
    bob = _teacher()
    draft = make_source("draft", status=Sequence.Status.DRAFT)
    with pytest.raises(services.CustomError, match="not in the library now"):
        make_custom(bob, [item(draft, 0)])


def test_the_instructor_is_told_which_move_is_gone() -> None:
    bob = _teacher()
    clock = make_source("clock")
    bridges = make_source("bridges", chapters=((0, "Bridge"),))
    version = make_custom(bob, [item(clock, 0), item(clock, 6), item(bridges, 0)])
    assert services.problems(version) == []
    Chapter.objects.filter(sequence=clock, start_seconds=6).delete()
    bridges.status = Sequence.Status.DRAFT
    bridges.save()
    assert services.problems(version) == [
        "Move 2 (“Pelvic clock”) is no longer a chapter of “Clock”.",
        "Move 3 (“Bridge”): “Bridges” is not in the library now.",
    ]
    bridges.delete()
    assert services.problems(version)[1] == "Move 3 (“Bridge”): its sequence was deleted."
