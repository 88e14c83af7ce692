"""Per-viewer playlists: the stored files are rewritten so every URL in them is signed."""

import logging
import re
from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest

from homestretch.accounts.models import User
from homestretch.lib.storage import STORAGE_ERRORS, read_bytes
from homestretch.library.delivery import delivery, viewer_id
from homestretch.library.models import Encoding, Sequence

log = logging.getLogger(__name__)

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


class StorageDown(Exception):
    pass


def stored_text(name: str) -> str | None:
    """A playlist's text, from the cache or the storage (None if it isn't there).

    An encoding's files never change once written (a new run is a new folder), so a
    playlist read once is good for a day: a bucket's round trip per playlist fetch, and
    a bucket that is briefly unreachable, don't hold up players mid-way.
    """
    key = f"library:stored:{name}"
    text: str | None = cache.get(key)
    if text is None:
        try:
            text = read_bytes(name).decode()
        except FileNotFoundError:
            return None
        except STORAGE_ERRORS:
            log.warning("The media storage could not give %s", name, exc_info=True)
            raise StorageDown from None
        cache.set(key, text, timeout=24 * 3600)
    return text


def signed_viewer(request: HttpRequest) -> User | AnonymousUser | None:
    """Who the URL was signed for, as far as this request may claim.

    A request with a session must be that viewer's own (a link signed for one viewer does
    not play for another). A request without cookies (AirPlay, Chromecast, Safari's own
    HLS player) plays as the viewer the URL names, for as long as the URL lives.
    """
    try:
        viewer = int(request.GET.get("v", "0"))
    except ValueError:
        return None
    if request.user.is_authenticated:
        return request.user if viewer_id(request.user) == viewer else None
    if viewer == 0:
        return request.user
    return User.objects.filter(pk=viewer, is_active=True).first()
