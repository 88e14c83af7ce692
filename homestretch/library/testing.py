"""Small makers for library tests. `make_encoded` lays out an encoding's files by hand
(no ffmpeg), enough for the serving and signing rules; transcoding itself is tested
with real ffmpeg in test_media.py and test_services.py."""

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from homestretch.library.models import Encoding, Sequence
from homestretch.library.services import encoding_dir

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
    folder = encoding_dir(encoding)
    (folder / "360p").mkdir(parents=True)
    (folder / "master.m3u8").write_text(MASTER)
    (folder / "360p" / "index.m3u8").write_text(VARIANT)
    (folder / "360p" / "init.mp4").write_bytes(b"init-bytes")
    (folder / "360p" / "seg_00001.m4s").write_bytes(bytes(range(256)) * 4)
    (folder / "360p" / "seg_00002.m4s").write_bytes(b"second")
    (folder / "thumbs.vtt").write_text(THUMBS)
    (folder / "thumbs.jpg").write_bytes(b"\xff\xd8jpeg")
    (folder / "poster.jpg").write_bytes(b"\xff\xd8poster")
    sequence.encoding = encoding
    sequence.save()
    return sequence


def folder_of(sequence: Sequence) -> Path:
    assert sequence.encoding is not None
    return encoding_dir(sequence.encoding)
