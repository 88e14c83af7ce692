"""Small makers for library tests. `make_encoded` lays out an encoding's files by hand
(no ffmpeg), enough for the serving and signing rules; transcoding itself is tested
with real ffmpeg in test_media.py and test_encodings.py. Files go through the media
storage, so the same tests run on the local folder and on a bucket."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from homestretch.lib import storage
from homestretch.library.models import Encoding, Sequence

MASTER = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-STREAM-INF:BANDWIDTH=800000,RESOLUTION=640x360,CODECS="avc1.64001e,mp4a.40.2"
360p/index.m3u8
"""
VARIANT = """#EXTM3U
#EXT-X-VERSION:7
#EXT-X-TARGETDURATION:4
#EXT-X-PLAYLIST-TYPE:VOD
#EXT-X-MAP:URI="init.mp4"
#EXTINF:4.000000,
seg_00001.m4s
#EXTINF:2.000000,
seg_00002.m4s
#EXT-X-ENDLIST
"""
THUMBS = """WEBVTT

00:00:00.000 --> 00:00:05.000
thumbs.jpg#xywh=0,0,160,90
"""


def make_sequence(slug: str = "pelvic-clock", **fields: object) -> Sequence:
    defaults: dict[str, object] = {
        "title": slug.replace("-", " ").title(),
        "status": Sequence.Status.PUBLISHED,
        "publish_at": timezone.now() - timedelta(days=1),
        "duration_seconds": 6,
    }
    defaults.update(fields)
    return Sequence.objects.create(slug=slug, **defaults)


def sequence_named(slug: str) -> Sequence:
    """The sequence of that slug, made (published) the first time it is asked for."""
    return Sequence.objects.filter(slug=slug).first() or make_sequence(slug)


def make_encoded(slug: str = "pelvic-clock", **fields: object) -> Sequence:
    sequence = make_sequence(slug, **fields)
    encoding = Encoding.objects.create(sequence=sequence, state=Encoding.State.READY, progress=1)
    folder = encoding.relative_dir
    files: dict[str, bytes] = {
        "360p/index.m3u8": VARIANT.encode(),
        "360p/init.mp4": b"init-bytes",
        "360p/seg_00001.m4s": bytes(range(256)) * 4,
        "360p/seg_00002.m4s": b"second",
        "thumbs.vtt": THUMBS.encode(),
        "thumbs.jpg": b"\xff\xd8jpeg",
        "poster.jpg": b"\xff\xd8poster",
        "master.m3u8": MASTER.encode(),
    }
    for name, data in files.items():
        default_storage.save(f"{folder}/{name}", ContentFile(data))
    sequence.encoding = encoding
    sequence.save()
    return sequence


def folder_of(sequence: Sequence) -> str:
    """The name of the sequence's playing encoding folder in the media storage."""
    assert sequence.encoding is not None
    return sequence.encoding.relative_dir


def stored_files(folder: str) -> dict[str, bytes]:
    """Every file under `folder` in the media storage, by name relative to it."""
    return {
        name.removeprefix(f"{folder}/"): storage.read_bytes(name) for name in storage.walk(folder)
    }
