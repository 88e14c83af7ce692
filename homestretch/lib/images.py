"""Uploaded images, checked and resized before they are stored."""

from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs well before Pillow's own limit


def resize_image(upload: UploadedFile, *, max_side: int = 1600) -> ContentFile[bytes]:
    """A copy no larger than max_side on either side, upright, without EXIF metadata.

    Re-encoding is what strips the metadata (camera, GPS) a photo may carry, so it is done
    even when the image is already small enough.
    """
    image: Image.Image
    try:
        image = Image.open(upload)
        image_format = image.format or ""
        if image_format not in _FORMATS:
            raise ValidationError("Upload a JPEG, PNG or WebP image.")
        if image.width * image.height > MAX_PIXELS:
            raise ValidationError("This image is too large; keep it under 40 megapixels.")
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError("This file is not an image we can read.") from None
    image = ImageOps.exif_transpose(image)
    image.thumbnail((max_side, max_side))
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = BytesIO()
    options = {"quality": 85, "optimize": True} if image_format in ("JPEG", "WEBP") else {}
    image.save(out, format=image_format, **options)
    stem = (upload.name or "image").rsplit("/", 1)[-1].rsplit(".", 1)[0][:80] or "image"
    return ContentFile(out.getvalue(), name=f"{stem}.{_FORMATS[image_format]}")
