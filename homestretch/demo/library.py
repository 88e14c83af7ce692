"""Demo library: about a dozen short sequences with generated videos, chapters and
captions, three free previews, one scheduled for next week, and two collections.

Generated media is cached under var/demo-cache, so loading the demo into a fresh
database doesn't encode the videos again.
"""

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.lib.storage import upload_folder
from homestretch.library import media
from homestretch.library.models import (
    Caption,
    Chapter,
    Collection,
    CollectionItem,
    Encoding,
    Equipment,
    FocusArea,
    Level,
    Sequence,
    WatchProgress,
)
from homestretch.library.services import sequence_reindex

FOCUS_AREAS = ["Lower body", "Pelvis", "Spine", "Hands & feet", "Breath"]
EQUIPMENT = ["Mat", "Cushion", "Strap", "Wall", "Chair"]


@dataclass(frozen=True)
class DemoSequence:
    title: str
    description: str
    level: str
    focus: tuple[str, ...]
    equipment: tuple[str, ...]
    seconds: int
    chapters: tuple[tuple[int, str], ...]
    lines: tuple[str, ...]
    free: bool = False
    days_ago: int = 20
    height: int = 540


SEQUENCES = (
    DemoSequence(
        "Morning pelvis reset",
        "Five easy moves to wake the pelvis before the day asks anything of it.",
        Level.GENTLE,
        ("Pelvis", "Breath"),
        ("Mat",),
        30,
        ((0, "Settle and breathe"), (8, "Knee sway"), (16, "Pelvic clock"), (24, "Rest")),
        (
            "Lie on your back and let the floor take your weight.",
            "Let both knees sway slowly to one side, then the other.",
            "Imagine a clock face under your pelvis and roll gently to twelve.",
            "Rest, and notice how your lower back meets the mat.",
        ),
        free=True,
        days_ago=2,
        height=720,
    ),
    DemoSequence(
        "SI joint: side-lying stability",
        "Quiet work for the deep hip muscles that steady the sacroiliac joint.",
        Level.STEADY,
        ("Pelvis", "Lower body"),
        ("Mat", "Cushion"),
        36,
        ((0, "Side-lying set-up"), (10, "Clamshell, small range"), (22, "Hold and breathe")),
        (
            "Lie on your side with a cushion between your knees.",
            "Keep your feet together and lift the top knee only a little.",
            "Hold the lift for three breaths, then lower with control.",
        ),
        days_ago=3,
    ),
    DemoSequence(
        "Walking without the twinge",
        "Gait drills that share the load evenly between both sides of the pelvis.",
        Level.STEADY,
        ("Lower body", "Pelvis"),
        ("Wall",),
        32,
        ((0, "Stand tall at the wall"), (12, "Weight shift"), (22, "Slow steps")),
        (
            "Stand with your back to the wall and feel both heels.",
            "Shift your weight onto one foot without letting the hip drop.",
            "Take slow steps and keep the pelvis level.",
        ),
        days_ago=5,
    ),
    DemoSequence(
        "Breath into the back ribs",
        "A short breathing practice that softens a braced lower back.",
        Level.GENTLE,
        ("Breath", "Spine"),
        ("Cushion",),
        24,
        ((0, "Find a comfortable seat"), (10, "Breathe into your hands")),
        (
            "Sit on the edge of a cushion with your spine long.",
            "Place your hands on your back ribs and breathe into them.",
        ),
        free=True,
        days_ago=40,
    ),
    DemoSequence(
        "Feet that hold you up",
        "Waking the arches so the whole chain above them can relax.",
        Level.GENTLE,
        ("Hands & feet", "Lower body"),
        ("Chair",),
        26,
        ((0, "Toe spreading"), (12, "Arch lifts")),
        (
            "Sit on a chair and spread your toes as wide as they go.",
            "Lift the arch of the foot while the toes stay long.",
        ),
        days_ago=60,
    ),
    DemoSequence(
        "Bridge, step by step",
        "Building a bridge one vertebra at a time, with the pelvis leading.",
        Level.STEADY,
        ("Spine", "Pelvis"),
        ("Mat",),
        34,
        ((0, "Feet and knees aligned"), (11, "Peel up"), (23, "Roll down slowly")),
        (
            "Place your feet hip-width apart, knees over ankles.",
            "Peel your spine off the mat starting from the tailbone.",
            "Roll down slowly, one vertebra after another.",
        ),
        days_ago=75,
    ),
    DemoSequence(
        "Strap stretch for the back of the legs",
        "Lengthening the hamstrings without pulling on the pelvis.",
        Level.GENTLE,
        ("Lower body",),
        ("Mat", "Strap"),
        28,
        ((0, "Loop the strap"), (14, "Straighten the knee slowly")),
        (
            "Loop the strap around the ball of one foot.",
            "Straighten the knee slowly and keep the other leg heavy.",
        ),
        days_ago=90,
    ),
    DemoSequence(
        "Standing balance for the pelvis",
        "Single-leg work that teaches the pelvis to stay level.",
        Level.STRONG,
        ("Pelvis", "Lower body"),
        ("Wall",),
        38,
        ((0, "Two feet, then one"), (14, "Reach and return"), (27, "Switch sides")),
        (
            "Stand near a wall and shift onto one leg.",
            "Reach forward with the free leg and return without wobbling.",
            "Switch sides and compare how each one feels.",
        ),
        days_ago=110,
    ),
    DemoSequence(
        "Desk break: hips and spine",
        "Four minutes of movement you can do next to your desk.",
        Level.GENTLE,
        ("Spine", "Pelvis"),
        ("Chair",),
        22,
        ((0, "Seated rocking"), (11, "Gentle twist")),
        (
            "Rock your pelvis forward and back on the chair.",
            "Turn gently to one side, then the other, breathing out.",
        ),
        free=True,
        days_ago=130,
    ),
    DemoSequence(
        "Hands and wrists after screen time",
        "Loosening hands and forearms that hold a phone all day.",
        Level.GENTLE,
        ("Hands & feet",),
        (),
        20,
        ((0, "Open and close"), (10, "Wrist circles")),
        ("Open your hands wide, then close them softly.", "Draw slow circles with both wrists."),
        days_ago=150,
    ),
    DemoSequence(
        "Evening wind-down",
        "A slow sequence to let the lower back let go before sleep.",
        Level.GENTLE,
        ("Breath", "Spine"),
        ("Mat", "Cushion"),
        30,
        ((0, "Knees to chest"), (15, "Long exhale")),
        (
            "Hug both knees towards your chest.",
            "Let each exhale be a little longer than the inhale.",
        ),
        days_ago=170,
        height=720,
    ),
    DemoSequence(
        "Strong and steady: pelvic floor and glutes",
        "Next week's sequence: coordinating the pelvic floor with the glutes.",
        Level.STRONG,
        ("Pelvis",),
        ("Mat",),
        32,
        ((0, "Find the pelvic floor"), (16, "Add the bridge")),
        (
            "Breathe in and let the pelvic floor soften.",
            "Breathe out, lift gently, and add a small bridge.",
        ),
        days_ago=-7,
    ),
)

COLLECTIONS = (
    (
        "Start here",
        "start-here",
        "Three gentle sequences to begin with.",
        ("morning-pelvis-reset", "breath-into-the-back-ribs", "desk-break-hips-and-spine"),
    ),
    (
        "SI joint essentials",
        "si-joint-essentials",
        "The core of the SI joint homework.",
        (
            "si-joint-side-lying-stability",
            "walking-without-the-twinge",
            "bridge-step-by-step",
            "standing-balance-for-the-pelvis",
        ),
    ),
)


def _slug(title: str) -> str:
    from django.utils.text import slugify

    return slugify(title)


def _vtt(item: DemoSequence) -> str:
    starts = [start for start, _ in item.chapters]
    ends = [*starts[1:], item.seconds]
    cues = []
    for line, start, end in zip(item.lines, starts, ends, strict=False):
        cues.append(f"00:00:{start:02}.000 --> 00:00:{min(end, start + 6):02}.000\n{line}")
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"


def _cached_media(slug: str, item: DemoSequence, quick: bool) -> Path:
    """The demo video and its encoding, made once and kept under var/demo-cache.

    `quick` (the tests) gives every sequence the same four-second clip, made once. A clip
    is built in a folder of its own and renamed into place when done, so two processes
    making it at once (the test workers) never see each other's half-made files."""
    if quick:
        key, title, seconds, height, tone = "quick-4s-360p", "Homestretch demo", 4, 360, 440
    else:
        key = f"{slug}-{item.seconds}s-{item.height}p"
        title, seconds, height = item.title, item.seconds, item.height
        tone = 330 + 55 * (len(slug) % 7)
    root = Path(settings.VAR_DIR) / "demo-cache"
    folder = root / key
    if (folder / "done").exists():
        return folder
    root.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=root))
    media.make_test_video(
        building / "source.mp4", title=title, seconds=seconds, height=height, tone_hz=tone
    )
    media.transcode(building / "source.mp4", building / "hls")
    (building / "done").write_text("ok")
    if folder.exists() and not (folder / "done").exists():
        shutil.rmtree(folder, ignore_errors=True)  # left half-made by an older version
    try:
        building.rename(folder)
    except OSError:  # another process finished first: keep theirs
        shutil.rmtree(building, ignore_errors=True)
    return folder


def _add_video(sequence: Sequence, folder: Path) -> None:
    with (folder / "source.mp4").open("rb") as source:
        sequence.source.save(f"{sequence.slug}.mp4", File(source), save=False)
    encoding = Encoding.objects.create(sequence=sequence, state=Encoding.State.READY, progress=1)
    upload_folder(folder / "hls", encoding.relative_dir, last="master.m3u8")
    probe = media.probe(folder / "source.mp4")
    sequence.encoding = encoding
    sequence.duration_seconds = round(probe.duration)
    sequence.save()
    encoding.heights = sorted(
        int(p.name.removesuffix("p")) for p in (folder / "hls").iterdir() if p.is_dir()
    )
    encoding.finished_at = timezone.now()
    encoding.save()


def ensure_demo_library(
    *, quick: bool = False, log: Callable[[str], object] | None = None
) -> list[str]:
    """Create whichever demo sequences are missing; return their titles."""
    focus = {
        name: FocusArea.objects.get_or_create(name=name, defaults={"slug": _slug(name)})[0]
        for name in FOCUS_AREAS
    }
    equipment = {
        name: Equipment.objects.get_or_create(name=name, defaults={"slug": _slug(name)})[0]
        for name in EQUIPMENT
    }
    instructor = User.objects.filter(email="instructor@example.com").first()
    now = timezone.now()
    created = []
    for item in SEQUENCES:
        slug = _slug(item.title)
        if Sequence.objects.filter(slug=slug).exists():
            continue
        if log:
            log(f"Encoding demo video: {item.title}")
        folder = _cached_media(slug, item, quick)
        with transaction.atomic():
            sequence = Sequence.objects.create(
                title=item.title,
                slug=slug,
                description=item.description,
                level=item.level,
                instructor=instructor,
                is_free_preview=item.free,
                status=Sequence.Status.PUBLISHED,
                publish_at=now - timedelta(days=item.days_ago),
            )
            sequence.focus_areas.set([focus[name] for name in item.focus])
            sequence.equipment.set([equipment[name] for name in item.equipment])
            Chapter.objects.bulk_create(
                Chapter(sequence=sequence, title=title, start_seconds=start)
                for start, title in item.chapters
            )
            Caption.objects.create(
                sequence=sequence, language="en", label="English", vtt=_vtt(item)
            )
            _add_video(sequence, folder)
            sequence_reindex(sequence=sequence)
        created.append(item.title)

    for title, slug, description, members in COLLECTIONS:
        collection, is_new = Collection.objects.get_or_create(
            slug=slug, defaults={"title": title, "description": description}
        )
        if is_new:
            for position, member_slug in enumerate(members):
                CollectionItem.objects.create(
                    collection=collection,
                    sequence=Sequence.objects.get(slug=member_slug),
                    position=position,
                )

    member = User.objects.filter(email="member@example.com").first()
    if member is not None:
        stopped_in = Sequence.objects.filter(slug="si-joint-side-lying-stability").first()
        if stopped_in is not None:
            WatchProgress.objects.get_or_create(
                user=member, sequence=stopped_in, defaults={"position_seconds": 12}
            )
    return created
