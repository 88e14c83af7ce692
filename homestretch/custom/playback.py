"""Per-viewer playlists of a custom sequence's version, stitched from its sources'
encodings (`stitch.py`), with every URL signed for the viewer.

The master and variant playlists are served by `custom:playlist`, signed like the
library's (viewer, expiry, an HMAC over both); their segment and init URLs are the
source sequences' own, made by the library's delivery, so nginx, the bucket or
`library:media` serve and check them exactly as for the sources' own pages.

A version's playlists take two queries (the version's items with their sources and
encodings; nothing per move) and the stored playlist texts, which the library caches.
"""

import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.crypto import salted_hmac

from homestretch.accounts.models import User
from homestretch.billing.access import has_library_access
from homestretch.custom import stitch
from homestretch.custom.models import CustomItem, CustomSequenceVersion
from homestretch.library.access import may_play
from homestretch.library.delivery import delivery
from homestretch.library.models import Sequence
from homestretch.library.playback import stored_text
from homestretch.library.services import HLS_ROOT


class NotPlayable(Exception):
    """A move's source has no encoding, or its stored playlists are missing."""


def items_of(version: CustomSequenceVersion) -> list[CustomItem]:
    """The version's items with their sources and the encodings they play: one query."""
    # Only the columns playback reads: building model instances is most of the cost.
    return list(
        CustomItem.objects.filter(version=version)
        .select_related("sequence__encoding")
        .only(
            *("position", "start_seconds", "end_seconds", "title", "reps", "hold_seconds"),
            *("side", "note", "rest_seconds", "sequence__slug", "sequence__title"),
            *("sequence__status", "sequence__publish_at", "sequence__is_free_preview"),
            *("sequence__encoding__folder",),
        )
        .order_by("position")
    )


def may_watch(user: User | AnonymousUser, items: list[CustomItem]) -> bool:
    """A custom sequence plays for a viewer who may play every one of its sources (the
    library's own rule, with its `LIBRARY_PLAY_RULES`: homework, when the studio says)."""
    sources = {item.sequence_id: item.sequence for item in items}
    if not items or None in sources:
        return False
    access = has_library_access(user)  # asked once, not once per source
    return all(may_play(user, s, library_access=access) for s in sources.values() if s)


def _token(viewer: int, version_id: int, name: str, expires: int) -> str:
    message = f"{viewer}:{version_id}:{name}:{expires}"
    return salted_hmac("homestretch.custom.playlist", message, algorithm="sha256").hexdigest()[:40]


def playlist_url(*, viewer: int, version: CustomSequenceVersion, name: str) -> str:
    """A signed URL of the version's `master` or of one rendition's playlist ("360p")."""
    expires = int(time.time()) + settings.LIBRARY_PLAYLIST_TTL_SECONDS
    query = urlencode(
        {"v": viewer, "exp": expires, "tok": _token(viewer, version.pk, name, expires)}
    )
    path = reverse("custom:playlist", args=[version.custom_sequence_id, version.number, name])
    return f"{path}?{query}"


def verify(*, viewer: int, version_id: int, name: str, expires: int, token: str) -> bool:
    if expires < time.time():
        return False
    return hmac.compare_digest(token, _token(viewer, version_id, name, expires))


@lru_cache(maxsize=2048)
def _parsed_master(name: str) -> list[stitch.Stream] | None:
    """A stored master playlist, parsed; kept in the process, since an encoding's files
    never change (a new run writes a new folder). Missing or unreadable: not kept."""
    text = stored_text(name)
    return None if text is None else stitch.parse_master(text)


@lru_cache(maxsize=8192)
def _parsed_variant(name: str) -> stitch.Variant | None:
    text = stored_text(name)
    return None if text is None else stitch.parse_variant(text)


@dataclass(frozen=True)
class _Source:
    sequence: Sequence
    folder: str
    streams: list[stitch.Stream]


def _signer(viewer: int, source: _Source, rendition: str) -> Callable[[str], str]:
    sign = delivery()
    ttl = sign.segment_ttl
    base = f"{source.folder}/{rendition}/"
    pk, slug = source.sequence.pk, source.sequence.slug

    def signed(uri: str) -> str:
        return sign.url(viewer=viewer, sequence_id=pk, slug=slug, path=base + uri, ttl=ttl)

    return signed


class Joined:
    """A version's moves, ready to stitch: each source's encoding and ladder read once
    (from the process's memo of parsed playlists, else the cache, else the storage)."""

    def __init__(self, items: list[CustomItem]) -> None:
        self.items = items
        self.sources: dict[int, _Source] = {}
        for item in items:
            sequence = item.sequence
            if sequence is None or sequence.encoding is None:
                raise NotPlayable(f"“{item.title}” has no video now.")
            if sequence.pk in self.sources:
                continue
            folder = str(sequence.encoding.folder)
            streams = _parsed_master(f"{HLS_ROOT}/{folder}/master.m3u8")
            if streams is None:
                raise NotPlayable(f"The video of “{sequence.title}” is missing.")
            self.sources[sequence.pk] = _Source(sequence, folder, streams)
        self.renditions = stitch.common_renditions([s.streams for s in self.sources.values()])

    def master(self, *, viewer: int, version: CustomSequenceVersion) -> str:
        return stitch.master_playlist(
            self.renditions, lambda name: playlist_url(viewer=viewer, version=version, name=name)
        )

    def _variants(self, rendition: str) -> dict[int, stitch.Variant]:
        variants = {}
        for pk, source in self.sources.items():
            variant = _parsed_variant(f"{HLS_ROOT}/{source.folder}/{rendition}/index.m3u8")
            if variant is None:
                raise NotPlayable(f"The video of “{source.sequence.title}” is missing.")
            variants[pk] = variant
        return variants

    def _check_inside(self, variants: dict[int, stitch.Variant]) -> None:
        """Each move starts inside its source's video (a re-encode may be shorter)."""
        for item in self.items:
            try:
                stitch.cut(variants[item.sequence_id], item.start_seconds, item.end_seconds)  # type: ignore[index]
            except ValueError:
                raise NotPlayable(
                    f"move {item.position} (“{item.title}”) is past the end of its video."
                ) from None

    def variant(self, *, viewer: int, rendition: str) -> str:
        """One rendition's joined playlist; segment URLs signed by the library's delivery
        for each move's source sequence."""
        variants = self._variants(rendition)
        signers = {pk: _signer(viewer, s, rendition) for pk, s in self.sources.items()}
        self._check_inside(variants)
        return stitch.variant_playlist(
            [
                stitch.Piece(
                    variant=variants[item.sequence_id],  # type: ignore[index]
                    start=item.start_seconds,
                    end=item.end_seconds,
                    sign=signers[item.sequence_id],  # type: ignore[index]
                )
                for item in self.items
            ]
        )

    def timeline(self) -> list[stitch.MoveTime]:
        """Where each move plays in the joined stream (from the lowest common rendition;
        every rendition is cut at the same times)."""
        if not self.renditions:
            raise NotPlayable("Its moves share no video rendition.")
        variants = self._variants(self.renditions[0].name)
        self._check_inside(variants)
        return stitch.timeline(
            [
                (variants[item.sequence_id], item.start_seconds, item.end_seconds)  # type: ignore[index]
                for item in self.items
            ]
        )
