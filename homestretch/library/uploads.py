from typing import Any

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class SizeLimitUploadHandler(FileUploadHandler):
    """Stop reading an upload as soon as it passes LIBRARY_MAX_UPLOAD_BYTES.

    The request is marked so the form can say why; nothing past the limit touches disk.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.received = 0

    def handle_raw_input(
        self,
        input_data: Any,
        META: dict[str, Any],
        content_length: int,
        boundary: Any,
        encoding: Any = None,
    ) -> None:
        if content_length > settings.LIBRARY_MAX_UPLOAD_BYTES + 1024 * 1024:
            self._refuse()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > settings.LIBRARY_MAX_UPLOAD_BYTES:
            self._refuse()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _refuse(self) -> None:
        if self.request is not None:
            self.request.upload_too_large = True  # type: ignore[attr-defined]
        raise StopUpload(connection_reset=True)
