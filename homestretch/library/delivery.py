"""Per-viewer URLs for a sequence's video files, in three deliveries.

Every URL names its viewer and an expiry time and is signed over both, so it plays
without the page's cookies (AirPlay, Chromecast, Safari's own HLS player) for as long
as it lives, and for nobody once it has expired.

- `SignedUrlDelivery` (the default, `make run`): Django serves every file through
  `library:media`, checking the token and the viewer's access on each request.
- `NginxSecureLinkDelivery`: Django serves the playlists; the segments, init segments
  and the thumbnails sprite get nginx `secure_link` URLs (an MD5 over the expiry, the
  path, the viewer and a secret shared with nginx), which nginx checks itself and
  serves from MEDIA_ROOT: no segment request reaches Python.
- `ObjectStorageDelivery`: Django serves the playlists, rewritten per viewer with
  presigned URLs of the bucket (SigV4, the viewer in a signed query parameter); the
  browser fetches the segments from the bucket.

Access is checked on every playlist fetch. Under the last two, a segment URL lives
LIBRARY_SEGMENT_TTL_SECONDS (at most a minute): when access ends, the next segment
after that is refused, the player asks for a fresh playlist, and that is refused too.
Playlist URLs live LIBRARY_PLAYLIST_TTL_SECONDS.
"""

import base64
import hashlib
import hmac
import re
import time
from functools import cache, lru_cache
from typing import Any, Protocol
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.module_loading import import_string

# The Django delivery checks access on every segment, so its segment URLs may live long.
SEGMENT_TTL_SECONDS = 10 * 60

# A path inside an encoding folder: "<folder uuid>/<file>" or "<folder>/<rendition>/<file>".
SAFE_PATH = re.compile(r"^[0-9a-f-]{36}(/[A-Za-z0-9_]+)?/[A-Za-z0-9_]+\.(m3u8|mp4|m4s|jpg|vtt)$")
# Files Django itself rewrites per viewer; everything else is bytes served as they are.
PLAYLISTS = (".m3u8", ".vtt")
# Where nginx serves the encodings' files from (deploy/nginx/homestretch.conf).
NGINX_PREFIX = "/media/hls/"
# Segments never change (a new encoding is a new folder): caches may keep them for good.
SEGMENT_CACHE = "public, max-age=31536000, immutable"


class MediaDelivery(Protocol):
    # How long the URLs of segments and init segments live, in seconds.
    segment_ttl: int

    def url(self, *, viewer: int, sequence_id: int, slug: str, path: str, ttl: int) -> str: ...

    def verify(
        self, *, viewer: int, sequence_id: int, path: str, expires: int, token: str
    ) -> bool: ...


_MEDIA_SALT = "homestretch.library.media"


@lru_cache(maxsize=4)
def _token_key(secret: str) -> bytes:
    """salted_hmac's key for our salt, derived once per secret rather than per segment."""
    return hashlib.sha256((_MEDIA_SALT + secret).encode()).digest()


def _token(viewer: int, sequence_id: int, path: str, expires: int) -> str:
    """salted_hmac(_MEDIA_SALT, message, algorithm="sha256") (a test holds them equal),
    with its key kept: a playlist signs each of its segments."""
    message = f"{viewer}:{sequence_id}:{path}:{expires}".encode()
    key = _token_key(settings.SECRET_KEY)
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:40]


@lru_cache(maxsize=4096)
def _media_prefix(slug: str, script_prefix: str, urlconf: object) -> str:
    """`library:media`'s URL for a sequence, up to the file's path: reversed once per
    sequence (a playlist signs every segment, and reversing is most of a URL's cost)."""
    return reverse("library:media", args=[slug, "p"])[:-1]


class SignedUrlDelivery:
    """Tokens in the query string, checked by the `library:media` view."""

    segment_ttl = SEGMENT_TTL_SECONDS

    def url(self, *, viewer: int, sequence_id: int, slug: str, path: str, ttl: int) -> str:
        expires = int(time.time()) + ttl
        token = _token(viewer, sequence_id, path, expires)
        # SAFE_PATH's characters and a slug need no quoting; the query is ints and hex.
        prefix = _media_prefix(slug, get_script_prefix(), get_urlconf())
        return f"{prefix}{path}?v={viewer}&exp={expires}&tok={token}"

    def verify(self, *, viewer: int, sequence_id: int, path: str, expires: int, token: str) -> bool:
        if expires < time.time():
            return False
        return hmac.compare_digest(token, _token(viewer, sequence_id, path, expires))


def nginx_signature(*, uri: str, viewer: int, expires: int, secret: str) -> str:
    """What nginx's `secure_link_md5 "$secure_link_expires$uri$arg_v <secret>"` computes."""
    digest = hashlib.md5(f"{expires}{uri}{viewer} {secret}".encode(), usedforsecurity=False)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


class NginxSecureLinkDelivery(SignedUrlDelivery):
    """Playlists through Django; every other file straight from nginx (`secure_link`)."""

    @property
    def segment_ttl(self) -> int:  # type: ignore[override]
        return int(settings.LIBRARY_SEGMENT_TTL_SECONDS)

    def url(self, *, viewer: int, sequence_id: int, slug: str, path: str, ttl: int) -> str:
        if path.endswith(PLAYLISTS):
            return super().url(
                viewer=viewer, sequence_id=sequence_id, slug=slug, path=path, ttl=ttl
            )
        expires = int(time.time()) + ttl
        uri = f"{NGINX_PREFIX}{path}"
        signature = nginx_signature(
            uri=uri, viewer=viewer, expires=expires, secret=settings.LIBRARY_NGINX_SECRET
        )
        return f"{uri}?{urlencode({'v': viewer, 'e': expires, 's': signature})}"


@cache
def _presigner() -> Any:
    """A boto3 client with the media storage's own endpoint, keys and settings.

    Presigning is local arithmetic (no request to the bucket). The viewer goes into the
    URL as a query parameter added before signing, so the signature covers it: change
    it and the bucket refuses the URL. Buckets ignore parameters they don't know.
    """
    import boto3

    storage: Any = default_storage
    client = boto3.session.Session(
        aws_access_key_id=storage.access_key,
        aws_secret_access_key=storage.secret_key,
    ).client(
        "s3",
        endpoint_url=storage.endpoint_url,
        region_name=storage.region_name,
        config=storage.client_config,
    )

    def take_viewer(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        if "Viewer" in params:
            context["homestretch_viewer"] = params.pop("Viewer")

    def sign_viewer(request: Any, **_: Any) -> None:
        viewer = request.context.get("homestretch_viewer")
        if viewer is not None:
            request.url += ("&" if "?" in request.url else "?") + f"viewer={viewer}"

    client.meta.events.register("provide-client-params.s3.GetObject", take_viewer)
    client.meta.events.register("before-sign.s3.GetObject", sign_viewer)
    return client


class ObjectStorageDelivery(SignedUrlDelivery):
    """Playlists through Django; every other file from the bucket, by presigned URL."""

    @property
    def segment_ttl(self) -> int:  # type: ignore[override]
        return int(settings.LIBRARY_SEGMENT_TTL_SECONDS)

    def url(self, *, viewer: int, sequence_id: int, slug: str, path: str, ttl: int) -> str:
        if path.endswith(PLAYLISTS):
            return super().url(
                viewer=viewer, sequence_id=sequence_id, slug=slug, path=path, ttl=ttl
            )
        storage: Any = default_storage
        url: str = _presigner().generate_presigned_url(
            "get_object",
            Params={
                "Bucket": storage.bucket_name,
                "Key": storage._normalize_name(f"hls/{path}"),
                "ResponseCacheControl": SEGMENT_CACHE,
                "Viewer": viewer,
            },
            ExpiresIn=ttl,
        )
        return url


def delivery() -> MediaDelivery:
    cls: type[MediaDelivery] = import_string(settings.LIBRARY_DELIVERY)
    return cls()


def viewer_id(user: object) -> int:
    """The viewer a token is bound to: the account, or 0 for a visitor (previews only)."""
    return int(getattr(user, "pk", None) or 0)
