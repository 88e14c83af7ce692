"""The stitcher: one HLS stream from pieces of other streams, with no re-encoding.

Pure functions over playlist text; nothing here reads the database or the storage.
Every source encoding has the same ladder and 4-second segments cut on keyframes at the
same times in every rendition (`library.media`), so a piece [start, end) of a source is
the run of its segments that overlaps it, the same run in every rendition. Pieces are
joined with EXT-X-DISCONTINUITY (each source's timestamps start where its own video
did) and each names its own init segment again.

A piece rarely begins on a segment boundary: its first segment starts up to 4 s before
the chapter does (the lead-in), and its last one ends after it (the tail). The stream
keeps those seconds (cutting inside a segment would need re-encoding), and `Timeline`
says where in the joined stream each move really starts and ends, so the player starts
the first one at its chapter (EXT-X-START too) and skips lead-ins and tails between moves.
"""

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

_ATTR = re.compile(r'([A-Z0-9-]+)=("[^"]*"|[^,]*)')
_MAP = re.compile(r'^#EXT-X-MAP:URI="([^"]+)"')

# Seconds of overlap below which a segment is not worth fetching for a piece.
EPSILON = 0.001


@dataclass(frozen=True)
class Segment:
    uri: str
    duration: float


@dataclass(frozen=True)
class Variant:
    """A parsed VOD media playlist: its init segment and its segments, in order."""

    init: str | None
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Stream:
    """A variant of a master playlist: its rendition's folder name, its attributes."""

    name: str
    attributes: dict[str, str]

    @property
    def bandwidth(self) -> int:
        return int(self.attributes.get("BANDWIDTH", "0"))


@dataclass(frozen=True)
class Cut:
    """The segments of one piece, and where the piece lies inside them."""

    first: int  # index of the first segment
    last: int  # index past the last one
    lead_in: float  # seconds from the first segment's start to the piece's start
    seconds: float  # the piece's own length

    def length(self, variant: Variant) -> float:
        return sum(s.duration for s in variant.segments[self.first : self.last])


@dataclass(frozen=True)
class MoveTime:
    """Where a move plays in the joined stream, in seconds."""

    begins: float  # its first segment's start (the lead-in starts here)
    start: float  # the chapter's start
    end: float  # the chapter's end (its tail follows until the next move begins)


def parse_variant(text: str) -> Variant:
    init = None
    segments = []
    duration: float | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if match := _MAP.match(line):
            init = init or match.group(1)
        elif line.startswith("#EXTINF:"):
            duration = float(line[len("#EXTINF:") :].split(",", 1)[0])
        elif line and not line.startswith("#") and duration is not None:
            segments.append(Segment(uri=line, duration=duration))
            duration = None
    return Variant(init=init, segments=tuple(segments))


def parse_master(text: str) -> list[Stream]:
    """The variants of a master playlist; a variant is named by its folder ("360p")."""
    streams = []
    attributes: dict[str, str] | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("#EXT-X-STREAM-INF:"):
            attributes = dict(_ATTR.findall(line.split(":", 1)[1]))
        elif line and not line.startswith("#") and attributes is not None:
            streams.append(Stream(name=line.split("/", 1)[0], attributes=attributes))
            attributes = None
    return streams


def cut(variant: Variant, start: float, end: float) -> Cut:
    """The segments covering [start, end) of a variant. A piece past the video's end is
    cut at the end; one that starts past it is an error."""
    at = 0.0
    first = last = -1
    lead_in = 0.0
    for index, segment in enumerate(variant.segments):
        finish = at + segment.duration
        if first < 0 and finish - start > EPSILON:
            first, lead_in = index, max(0.0, start - at)
        if first >= 0 and at < end - EPSILON:
            last = index + 1
        at = finish
    if first < 0 or last <= first:
        raise ValueError(f"{start:g}-{end:g} s is not inside the video ({at:g} s long).")
    return Cut(first=first, last=last, lead_in=lead_in, seconds=min(end, at) - start)


def common_renditions(masters: Sequence[list[Stream]]) -> list[Stream]:
    """The renditions every source has, in the first source's order, each with the
    highest BANDWIDTH and AVERAGE-BANDWIDTH any source declares for it (so a player
    picks it only when it can carry every piece)."""
    if not masters:
        return []
    names = set.intersection(*({s.name for s in master} for master in masters))
    chosen = []
    for stream in masters[0]:
        if stream.name not in names:
            continue
        attributes = dict(stream.attributes)
        for key in ("BANDWIDTH", "AVERAGE-BANDWIDTH"):
            values = [
                int(s.attributes[key])
                for master in masters
                for s in master
                if s.name == stream.name and key in s.attributes
            ]
            if values:
                attributes[key] = str(max(values))
        chosen.append(Stream(name=stream.name, attributes=attributes))
    return chosen


def master_playlist(streams: Sequence[Stream], variant_url: Callable[[str], str]) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    for stream in streams:
        attrs = ",".join(f"{k}={v}" for k, v in stream.attributes.items())
        lines += [f"#EXT-X-STREAM-INF:{attrs}", variant_url(stream.name)]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Piece:
    """One move of one rendition: the source's variant, the move's place in it, and how
    to sign a URI of that variant's folder for the viewer."""

    variant: Variant
    start: float
    end: float
    sign: Callable[[str], str]


def variant_playlist(pieces: Sequence[Piece]) -> str:
    """The joined media playlist of one rendition.

    TARGETDURATION is the longest segment, rounded up, as the spec requires; EXT-X-START
    asks the player to begin at the first move's chapter, inside its first segment."""
    cuts = [cut(p.variant, p.start, p.end) for p in pieces]
    body: list[str] = []
    longest = 1.0
    for n, (piece, c) in enumerate(zip(pieces, cuts, strict=True)):
        if n:
            body.append("#EXT-X-DISCONTINUITY")
        if piece.variant.init:
            body.append(f'#EXT-X-MAP:URI="{piece.sign(piece.variant.init)}"')
        for segment in piece.variant.segments[c.first : c.last]:
            longest = max(longest, segment.duration)
            body += [f"#EXTINF:{segment.duration:.6f},", piece.sign(segment.uri)]
    head = [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        f"#EXT-X-TARGETDURATION:{math.ceil(longest - EPSILON)}",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-INDEPENDENT-SEGMENTS",
    ]
    if cuts and cuts[0].lead_in > 0:
        head.append(f"#EXT-X-START:TIME-OFFSET={cuts[0].lead_in:.3f},PRECISE=YES")
    return "\n".join([*head, *body, "#EXT-X-ENDLIST"]) + "\n"


def timeline(pieces: Sequence[tuple[Variant, float, float]]) -> list[MoveTime]:
    """Where each move begins, starts and ends in the joined stream (of one rendition;
    the others are cut at the same times)."""
    times = []
    at = 0.0
    for variant, start, end in pieces:
        c = cut(variant, start, end)
        times.append(MoveTime(begins=at, start=at + c.lead_in, end=at + c.lead_in + c.seconds))
        at += c.length(variant)
    return times
