"""Signed segment serving against plain static serving of the same file.

Both go through Django in this process with the same client, so the ratio shows what the
token check, the access check and the file lookup cost per request.
Run: .venv/bin/python bench/bench_segments.py
"""

import re
import statistics
import sys
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on, timed

SEGMENT_BYTES = 400_000  # about 4 s of 720p video
REQUESTS = 400


def main() -> None:
    django_on()
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.test import Client
    from django.urls import path
    from django.utils import timezone
    from django.views.static import serve

    from homestretch import urls as site_urls
    from homestretch.accounts.models import User
    from homestretch.billing.models import AccessGrant
    from homestretch.library.models import Encoding, Sequence
    from homestretch.library.playback import master_url

    site_urls.urlpatterns.append(
        path("plain/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})
    )
    user = User.objects.create_user("viewer@example.com", "x")
    AccessGrant.objects.create(
        user=user, ends_at=timezone.now() + timedelta(days=1), reason="bench"
    )
    sequence = Sequence.objects.create(
        title="Bench", slug="bench", status="published", publish_at=timezone.now()
    )
    encoding = Encoding.objects.create(sequence=sequence, state="ready")
    folder = encoding.relative_dir
    files = {
        "master.m3u8": b"#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\n360p/index.m3u8\n",
        "360p/index.m3u8": b'#EXTM3U\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:4.0,\nseg_00001.m4s\n'
        b"#EXT-X-ENDLIST\n",
        "360p/seg_00001.m4s": b"\x01" * SEGMENT_BYTES,
    }
    for name, data in files.items():
        default_storage.save(f"{folder}/{name}", ContentFile(data))
    sequence.encoding = encoding
    sequence.save()

    client = Client()
    client.force_login(user)
    variant = client.get(
        client.get(master_url(viewer=user.pk, sequence=sequence)).content.decode().split("\n")[2]
    )
    signed = re.findall(r"^/library/\S+seg_00001\S+$", variant.content.decode(), re.M)[0]
    plain = f"/plain/hls/{encoding.folder}/360p/seg_00001.m4s"

    def fetch(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200
        response.getvalue()

    signed_ms = timed(lambda: fetch(signed), REQUESTS)
    plain_ms = timed(lambda: fetch(plain), REQUESTS)
    signed_rps = 1000 / statistics.median(signed_ms)
    plain_rps = 1000 / statistics.median(plain_ms)
    print(f"segment of {SEGMENT_BYTES // 1000} kB, {REQUESTS} requests each, medians:")
    for name, times, rps in (
        ("signed (token + access check)", signed_ms, signed_rps),
        ("plain static serve", plain_ms, plain_rps),
    ):
        print(f"  {name:31} {statistics.median(times):6.2f} ms  {rps:7.0f} req/s")
    print(f"  signed / plain throughput: {signed_rps / plain_rps:.2f}")


if __name__ == "__main__":
    main()
