"""Serve a stored file with HTTP Range support (video players seek with it)."""

import mimetypes
import re
from collections.abc import Iterator
from datetime import datetime
from typing import IO

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024

mimetypes.add_type("application/vnd.apple.mpegurl", ".m3u8")
mimetypes.add_type("video/iso.segment", ".m4s")
mimetypes.add_type("text/vtt", ".vtt")


def _chunks(file: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        file.seek(start)
        while length > 0:
            data = file.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        file.close()


def serve_file(
    request: HttpRequest,
    file: IO[bytes],
    *,
    name: str,
    size: int,
    cache_control: str,
    modified: datetime | None = None,
) -> HttpResponse | StreamingHttpResponse:
    """Stream an open file (a storage's, or one on disk); the response closes it."""
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    match = _RANGE.match(request.headers.get("Range", "").strip())
    start, end, status = 0, size - 1, 200
    if match and (match.group(1) or match.group(2)):
        first, last = match.groups()
        if first:
            start, end = int(first), int(last) if last else size - 1
        else:  # the last N bytes
            start, end = max(0, size - int(last)), size - 1
        end = min(end, size - 1)
        if start > end or start >= size:
            file.close()
            refused = HttpResponse(status=416)
            refused["Content-Range"] = f"bytes */{size}"
            return refused
        status = 206
    response = StreamingHttpResponse(
        _chunks(file, start, end - start + 1), status=status, content_type=content_type
    )
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = cache_control
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    return response
