"""Per-viewer playlists: the files on disk are rewritten so every URL in them is signed."""

import re
from pathlib import Path

from homestretch.library.delivery import (
    PLAYLIST_TTL_SECONDS,
    SEGMENT_TTL_SECONDS,
    delivery,
)
from homestretch.library.models import Encoding, Sequence

_URI_ATTR = re.compile(r'URI="([^"]+)"')


def master_url(*, viewer: int, sequence: Sequence) -> str:
    assert sequence.encoding is not None
    return delivery().url(
        viewer=viewer,
        sequence_id=sequence.pk,
        slug=sequence.slug,
        path=f"{sequence.encoding.folder}/master.m3u8",
        ttl=PLAYLIST_TTL_SECONDS,
    )


def thumbnails_url(*, viewer: int, sequence: Sequence) -> str:
    assert sequence.encoding is not None
    return delivery().url(
        viewer=viewer,
        sequence_id=sequence.pk,
        slug=sequence.slug,
        path=f"{sequence.encoding.folder}/thumbs.vtt",
        ttl=SEGMENT_TTL_SECONDS,
    )


def rewrite(*, text: str, path: str, viewer: int, sequence: Sequence, encoding: Encoding) -> str:
    """Replace each relative URI in a playlist or thumbnails track with a signed URL.

    Playlists get short-lived URLs (the player fetches them again as it needs); media
    files get URLs that live for at most SEGMENT_TTL_SECONDS.
    """
    base = str(Path(path).parent)
    sign = delivery()

    def signed(uri: str) -> str:
        target, _, fragment = uri.partition("#")
        full = f"{base}/{target}"
        ttl = PLAYLIST_TTL_SECONDS if target.endswith(".m3u8") else SEGMENT_TTL_SECONDS
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
