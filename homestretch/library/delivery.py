"""Per-viewer URLs for a sequence's video files.

Every playlist, segment, init and thumbnail URL carries a token: an HMAC over the
viewer, the sequence, the file's path and an expiry time. The default delivery serves
the files through Django (`library:media`); production can swap in another class with
the same two methods (nginx `secure_link`, object-storage presigned URLs) through the
LIBRARY_DELIVERY setting.
"""

import hmac
import re
import time
from typing import Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string

# Segments expire quickly; the player asks for fresh playlists as it needs them.
SEGMENT_TTL_SECONDS = 10 * 60
PLAYLIST_TTL_SECONDS = 60

# A path inside an encoding folder: "<folder uuid>/<file>" or "<folder>/<rendition>/<file>".
SAFE_PATH = re.compile(r"^[0-9a-f-]{36}(/[A-Za-z0-9_]+)?/[A-Za-z0-9_]+\.(m3u8|mp4|m4s|jpg|vtt)$")


class MediaDelivery(Protocol):
    def url(self, *, viewer: int, sequence_id: int, slug: str, path: str, ttl: int) -> str: ...

    def verify(
        self, *, viewer: int, sequence_id: int, path: str, expires: int, token: str
    ) -> bool: ...


def _token(viewer: int, sequence_id: int, path: str, expires: int) -> str:
    message = f"{viewer}:{sequence_id}:{path}:{expires}"
    return salted_hmac("homestretch.library.media", message, algorithm="sha256").hexdigest()[:40]


class SignedUrlDelivery:
    """Tokens in the query string, checked by the `library:media` view."""

    def url(self, *, viewer: int, sequence_id: int, slug: str, path: str, ttl: int) -> str:
        expires = int(time.time()) + ttl
        query = urlencode({"exp": expires, "tok": _token(viewer, sequence_id, path, expires)})
        return f"{reverse('library:media', args=[slug, path])}?{query}"

    def verify(self, *, viewer: int, sequence_id: int, path: str, expires: int, token: str) -> bool:
        if expires < time.time():
            return False
        return hmac.compare_digest(token, _token(viewer, sequence_id, path, expires))


def delivery() -> MediaDelivery:
    cls: type[MediaDelivery] = import_string(settings.LIBRARY_DELIVERY)
    return cls()


def viewer_id(user: object) -> int:
    """The viewer a token is bound to: the account, or 0 for a visitor (previews only)."""
    return int(getattr(user, "pk", None) or 0)
