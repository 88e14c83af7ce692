"""Captions: parse and validate WebVTT, convert SRT, and read cues for the transcript."""

import io
from dataclasses import dataclass

import webvtt
from webvtt.errors import MalformedFileError


class CaptionError(ValueError):
    pass


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


def _seconds(timestamp: str) -> float:
    hours, minutes, seconds = timestamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def to_webvtt(text: str) -> str:
    """Validated WebVTT from WebVTT or SRT text; CaptionError says what is wrong."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    if not text.strip():
        raise CaptionError("The captions file is empty.")
    kind = "vtt" if text.lstrip().startswith("WEBVTT") else "srt"
    try:
        parsed = webvtt.from_buffer(io.StringIO(text), format=kind)
    except MalformedFileError:
        raise CaptionError(
            "This is neither WebVTT nor SRT: check the header and the "
            "'00:00:01.000 --> 00:00:03.000' timing lines."
        ) from None
    if not parsed.captions:
        raise CaptionError("The captions file has no cues.")
    for caption in parsed.captions:
        if _seconds(caption.end) < _seconds(caption.start):
            raise CaptionError(f"A cue ends before it starts: {caption.start} --> {caption.end}.")
    return str(parsed.content)


def cues(vtt: str) -> list[Cue]:
    parsed = webvtt.from_buffer(io.StringIO(vtt), format="vtt")
    return [
        Cue(_seconds(c.start), _seconds(c.end), " ".join(c.text.split()))
        for c in parsed.captions
        if c.text.strip()
    ]
