"""Serve a file from disk with HTTP Range support (video players seek with it)."""

import mimetypes
import os
import re
from collections.abc import Iterator
from pathlib import Path

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024

mimetypes.add_type("application/vnd.apple.mpegurl", ".m3u8")
mimetypes.add_type("video/iso.segment", ".m4s")
mimetypes.add_type("text/vtt", ".vtt")


def _chunks(path: Path, start: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as f:
        f.seek(start)
        while length > 0:
            data = f.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data


def serve_file(
    request: HttpRequest, path: Path, *, cache_control: str
) -> HttpResponse | StreamingHttpResponse:
    size = path.stat().st_size
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    match = _RANGE.match(request.headers.get("Range", "").strip())
    response: HttpResponse | StreamingHttpResponse | FileResponse
    if match and (match.group(1) or match.group(2)):
        first, last = match.groups()
        if first:
            start, end = int(first), int(last) if last else size - 1
        else:  # the last N bytes
            start, end = max(0, size - int(last)), size - 1
        end = min(end, size - 1)
        if start > end or start >= size:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        response = StreamingHttpResponse(
            _chunks(path, start, end - start + 1), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    else:
        response = FileResponse(path.open("rb"), content_type=content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = cache_control
    response["Last-Modified"] = http_date(os.path.getmtime(path))
    return response
