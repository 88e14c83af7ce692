"""Per-viewer playlists: the stored files are rewritten so every URL in them is signed."""

import re
from pathlib import PurePosixPath

from django.conf import settings

from homestretch.library.delivery import delivery
from homestretch.library.models import Encoding, Sequence

_URI_ATTR = re.compile(r'URI="([^"]+)"')


def master_url(*, viewer: int, sequence: Sequence) -> str:
    assert sequence.encoding is not None
    return delivery().url(
        viewer=viewer,
        sequence_id=sequence.pk,
        slug=sequence.slug,
        path=f"{sequence.encoding.folder}/master.m3u8",
        ttl=settings.LIBRARY_PLAYLIST_TTL_SECONDS,
    )


def thumbnails_url(*, viewer: int, sequence: Sequence) -> str:
    assert sequence.encoding is not None
    return delivery().url(
        viewer=viewer,
        sequence_id=sequence.pk,
        slug=sequence.slug,
        path=f"{sequence.encoding.folder}/thumbs.vtt",
        ttl=settings.LIBRARY_PLAYLIST_TTL_SECONDS,
    )


def rewrite(*, text: str, path: str, viewer: int, sequence: Sequence, encoding: Encoding) -> str:
    """Replace each relative URI in a playlist or thumbnails track with a signed URL.

    Playlists (checked against access each time they are fetched) and the thumbnails
    sprite get URLs that live LIBRARY_PLAYLIST_TTL_SECONDS; segments and init segments
    get the delivery's own short life, after which the player fetches the playlist
    again for fresh ones.
    """
    base = str(PurePosixPath(path).parent)
    sign = delivery()

    def signed(uri: str) -> str:
        target, _, fragment = uri.partition("#")
        full = f"{base}/{target}"
        long_lived = target.endswith((".m3u8", ".jpg"))
        ttl = settings.LIBRARY_PLAYLIST_TTL_SECONDS if long_lived else sign.segment_ttl
        url = sign.url(
            viewer=viewer, sequence_id=sequence.pk, slug=sequence.slug, path=full, ttl=ttl
        )
        return f"{url}#{fragment}" if fragment else url

    lines = []
    for line in text.splitlines():
        if line.startswith("#"):
            line = _URI_ATTR.sub(lambda m: f'URI="{signed(m.group(1))}"', line)
        elif (
            line.strip()
            and not line.startswith("WEBVTT")
            and "-->" not in line
            and (line.endswith((".m3u8", ".m4s", ".mp4")) or "#xywh=" in line)
        ):
            line = signed(line.strip())
        lines.append(line)
    return "\n".join(lines) + "\n"
