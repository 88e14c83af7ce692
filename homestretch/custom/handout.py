"""A custom sequence's printable handout: the same page as HTML (printed with its own
print stylesheet, `static/css/handout.css`) and as a PDF made by WeasyPrint.

Every image is in the page itself as a `data:` URI: each move's frame, read from the
media storage through Django's storage API (so a bucket works like a folder), and the QR
code of the watch page. WeasyPrint therefore fetches nothing: its URL fetcher accepts
`data:` URIs only, so a page can never make the server open a file or an address.
"""

import base64
import logging
import re
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template.loader import render_to_string
from PIL import Image, UnidentifiedImageError
from webvtt.errors import MalformedFileError

from homestretch.custom.models import CustomItem, CustomSequenceVersion
from homestretch.lib.storage import STORAGE_ERRORS, read_bytes
from homestretch.library.captions import cues
from homestretch.library.models import Sequence

log = logging.getLogger(__name__)

MOVES_PER_PAGE = 3
FRAME_WIDTH = 480  # px; printed about 6 cm wide, so the 720p poster is scaled down
_TILE = re.compile(r"#xywh=(\d+),(\d+),(\d+),(\d+)$")


@dataclass(frozen=True)
class Move:
    number: int
    item: CustomItem
    frame: str  # a data: URI, or "" when the video has no picture to give


def _tile(vtt: str, moment: float) -> tuple[int, int, int, int] | None:
    """The sprite's (x, y, w, h) shown at `moment` by a thumbnails track (`media.py`)."""
    for cue in cues(vtt):
        if cue.start <= moment < cue.end and (box := _TILE.search(cue.text)):
            x, y, w, h = (int(v) for v in box.groups())
            return x, y, x + w, y + h
    return None


def _jpeg_uri(data: bytes, box: tuple[int, int, int, int] | None) -> str:
    with Image.open(BytesIO(data)) as image:
        picture = image.crop(box) if box else image.copy()
    if picture.width > FRAME_WIDTH:
        picture.thumbnail((FRAME_WIDTH, FRAME_WIDTH * 4))
    out = BytesIO()
    picture.convert("RGB").save(out, "JPEG", quality=82)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


def _read_frame(folder: str, moment: float) -> str:
    """The frame of the seek-bar sprite at `moment`, else the sequence's poster."""
    try:
        box = _tile(read_bytes(f"{folder}/thumbs.vtt").decode(), moment)
        if box is not None:
            return _jpeg_uri(read_bytes(f"{folder}/thumbs.jpg"), box)
    except (FileNotFoundError, UnidentifiedImageError, UnicodeDecodeError, MalformedFileError):
        pass  # an encoding without thumbnails (or a broken one): its poster stands in
    try:
        return _jpeg_uri(read_bytes(f"{folder}/poster.jpg"), None)
    except (FileNotFoundError, UnidentifiedImageError):
        return ""


def frame(sequence: Sequence | None, start: int, end: int) -> str:
    """The picture of a move: its source's frame from the middle of the move (its first
    seconds are often the step from the move before), as a JPEG data: URI. An encoding's
    files never change, so a frame once made is kept in the cache for a day. "" when the
    source or its video is gone, or the storage does not answer (the handout is text
    first; it is printed without the picture)."""
    if sequence is None or sequence.encoding is None:
        return ""
    folder = sequence.encoding.relative_dir
    moment = start + (end - start) / 2
    key = f"custom:frame:{folder}:{moment:g}"
    uri: str | None = cache.get(key)
    if uri is None:
        try:
            uri = _read_frame(folder, moment)
        except STORAGE_ERRORS:
            log.warning("The media storage could not give a frame of %s", folder, exc_info=True)
            return ""
        cache.set(key, uri, timeout=24 * 3600)
    return uri


def qr_code(url: str) -> str:
    """The QR code of `url` as an SVG data: URI (dark on white, whatever the theme)."""
    code = segno.make(url, error="m")
    return str(code.svg_data_uri(scale=4, border=2, dark="#000", light="#fff"))


def moves(version: CustomSequenceVersion) -> list[Move]:
    items = (
        CustomItem.objects.filter(version=version)
        .select_related("sequence__encoding")
        .order_by("position")
    )
    return [
        Move(number=n, item=i, frame=frame(i.sequence, i.start_seconds, i.end_seconds))
        for n, i in enumerate(items, start=1)
    ]


def context(version: CustomSequenceVersion, *, watch_url: str) -> dict[str, object]:
    """What the handout shows: the version's moves in pages of a few, its note to the
    client, and the link (absolute) and QR code of the watch page."""
    found = moves(version)
    pages = [found[n : n + MOVES_PER_PAGE] for n in range(0, len(found), MOVES_PER_PAGE)]
    return {
        "custom": version.custom_sequence,
        "version": version,
        "pages": pages,
        "move_count": len(found),
        "watch_url": watch_url,
        "qr_code": qr_code(watch_url),
        "SITE_NAME": settings.SITE_NAME,  # the PDF is rendered without a request
    }


class PdfUnavailable(Exception):
    """WeasyPrint cannot run here: the Pango library is missing (README, setup)."""


def pdf(handout: dict[str, object]) -> bytes:
    """The handout as a PDF (A4; the same sheets and print stylesheet as the page)."""
    # Imported here: it loads Pango, which no other page (nor a worker) needs, and a
    # machine without it still serves every page but this one.
    try:
        from weasyprint import CSS, HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as error:
        raise PdfUnavailable(str(error)) from error

    html = render_to_string("custom/handout_pdf.html", handout)
    stylesheet = finders.find("css/handout.css")
    assert isinstance(stylesheet, str), "css/handout.css is missing from the static files"
    fetcher = URLFetcher(allowed_protocols={"data"})
    document = HTML(string=html, url_fetcher=fetcher, media_type="print")
    css = CSS(string=Path(stylesheet).read_text(), url_fetcher=fetcher)
    return bytes(document.write_pdf(stylesheets=[css]))
