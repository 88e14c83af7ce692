"""Small makers for custom-sequence tests: encoded library sequences with chapters and
the playlists of a ladder laid out by hand (no ffmpeg), and custom sequences saved
through the real service. Real encodings are made in the ffmpeg-marked tests."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from homestretch.accounts.models import User
from homestretch.custom import services
from homestretch.custom.models import CustomSequenceVersion
from homestretch.library.models import Chapter, Encoding, Sequence


def variant_text(durations: list[float]) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-TARGETDURATION:4"]
    lines += ["#EXT-X-PLAYLIST-TYPE:VOD", '#EXT-X-MAP:URI="init.mp4"']
    for n, seconds in enumerate(durations, start=1):
        lines += [f"#EXTINF:{seconds:.6f},", f"seg_{n:05d}.m4s"]
    return "\n".join([*lines, "#EXT-X-ENDLIST"]) + "\n"


BANDWIDTHS = {"360p": 800_000, "540p": 1_400_000, "720p": 2_800_000}
SIZES = {"360p": "640x360", "540p": "960x540", "720p": "1280x720"}


def master_text(renditions: tuple[str, ...], *, scale: float = 1.0) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for name in renditions:
        lines.append(
            f"#EXT-X-STREAM-INF:BANDWIDTH={int(BANDWIDTHS[name] * scale)},"
            f'RESOLUTION={SIZES[name]},CODECS="avc1.64001e,mp4a.40.2"'
        )
        lines.append(f"{name}/index.m3u8")
    return "\n".join(lines) + "\n"


def make_source(
    slug: str,
    *,
    durations: tuple[float, ...] = (4, 4, 4, 4, 2),
    chapters: tuple[tuple[int, str], ...] = ((0, "Warm up"), (6, "Pelvic clock")),
    renditions: tuple[str, ...] = ("360p", "540p"),
    **fields: object,
) -> Sequence:
    """A published library sequence with chapters and an encoding's playlists (and tiny
    stand-in segment files) in the media storage."""
    values: dict[str, object] = {
        "title": slug.replace("-", " ").title(),
        "status": Sequence.Status.PUBLISHED,
        "publish_at": timezone.now() - timedelta(days=1),
        "duration_seconds": round(sum(durations)),
    }
    values.update(fields)
    sequence = Sequence.objects.create(slug=slug, **values)
    for start, title in chapters:
        Chapter.objects.create(sequence=sequence, start_seconds=start, title=title)
    encoding = Encoding.objects.create(
        sequence=sequence, state=Encoding.State.READY, progress=1, heights=[]
    )
    folder = encoding.relative_dir
    default_storage.save(f"{folder}/master.m3u8", ContentFile(master_text(renditions).encode()))
    for name in renditions:
        default_storage.save(
            f"{folder}/{name}/index.m3u8", ContentFile(variant_text(list(durations)).encode())
        )
        default_storage.save(f"{folder}/{name}/init.mp4", ContentFile(b"init"))
        for n in range(1, len(durations) + 1):
            default_storage.save(f"{folder}/{name}/seg_{n:05d}.m4s", ContentFile(b"seg"))
    default_storage.save(f"{folder}/poster.jpg", ContentFile(b"\xff\xd8poster"))
    sequence.encoding = encoding
    sequence.save()
    return sequence


def item(sequence: Sequence, start: int, **cue: object) -> services.ItemInput:
    return services.ItemInput(sequence_id=sequence.pk, start_seconds=start, **cue)  # type: ignore[arg-type]


def make_custom(
    owner: User, items: list[services.ItemInput], *, title: str = "SI joint rescue", note: str = ""
) -> CustomSequenceVersion:
    return services.custom_sequence_save(owner=owner, title=title, note=note, items=items)
