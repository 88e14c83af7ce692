import html
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from homestretch.accounts.testing import make_alice, make_staff
from homestretch.library import media
from homestretch.library.models import Encoding, SearchEntry, Sequence

# Real ffmpeg: the SQLite run covers it (make test on PostgreSQL leaves it out).
pytestmark = [pytest.mark.ffmpeg, pytest.mark.also_s3]

ADD = "/admin/library/sequence/add/"


def _form(**extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Pelvic clock",
        "slug": "pelvic-clock",
        "description": "Roll the pelvis around a clock face.",
        "level": "gentle",
        "status": "published",
        "publish_at_0": "2026-01-01",
        "publish_at_1": "09:00:00",
        "chapters-TOTAL_FORMS": "1",
        "chapters-INITIAL_FORMS": "0",
        "chapters-0-title": "Twelve o'clock",
        "chapters-0-start_seconds": "2",
        "captions-TOTAL_FORMS": "1",
        "captions-INITIAL_FORMS": "0",
        "captions-0-language": "en",
        "captions-0-label": "English",
        "captions-0-vtt": "",
        "captions-0-upload": SimpleUploadedFile(
            "en.srt", b"1\n00:00:01,000 --> 00:00:03,000\nRoll towards twelve\n"
        ),
    }
    data.update(extra)
    return data


@pytest.fixture(scope="module")
def small_video(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("upload") / "clip.mp4"
    media.make_test_video(path, title="Upload", seconds=4, height=360)
    return path


@pytest.mark.django_db
def test_staff_upload_a_video_and_it_is_transcoded(
    client: Client, small_video: Path, django_capture_on_commit_callbacks
) -> None:
    client.force_login(make_staff())
    upload = SimpleUploadedFile("clip.mp4", small_video.read_bytes(), content_type="video/mp4")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, _form(source=upload))
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    sequence = Sequence.objects.get(slug="pelvic-clock")
    assert sequence.source.name.startswith("sources/")
    encoding = Encoding.objects.get(sequence=sequence)
    assert encoding.state == Encoding.State.READY, encoding.error
    assert sequence.captions.get().vtt.startswith("WEBVTT")
    assert set(SearchEntry.objects.filter(sequence=sequence).values_list("kind", flat=True)) == {
        "title",
        "description",
        "chapter",
        "transcript",
    }
    page = client.get(f"/admin/library/sequence/{sequence.pk}/change/").content.decode()
    assert "data-encoding-status" in page
    assert "Ready 100%" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("notes.mp4", b"this is not a video at all", "can't be used as a video"),
        ("empty.mp4", b"", "The submitted file is empty"),
    ],
)
def test_a_non_video_is_refused_with_the_reason(
    client: Client, name: str, content: bytes, reason: str
) -> None:
    client.force_login(make_staff())
    response = client.post(ADD, _form(source=SimpleUploadedFile(name, content)))
    assert response.status_code == 200
    assert reason in html.unescape(response.content.decode())
    assert not Sequence.objects.exists()


@pytest.mark.django_db
def test_an_upload_over_the_limit_is_refused(client: Client, small_video: Path, settings) -> None:
    settings.LIBRARY_MAX_UPLOAD_BYTES = 10_000
    client.force_login(make_staff())
    response = client.post(
        ADD, _form(source=SimpleUploadedFile("clip.mp4", small_video.read_bytes()))
    )
    assert response.status_code == 200
    assert "larger than the upload limit" in response.content.decode()
    assert not Sequence.objects.exists()


@pytest.mark.django_db
def test_bad_captions_are_refused(client: Client) -> None:
    client.force_login(make_staff())
    data = _form()
    data["captions-0-upload"] = SimpleUploadedFile("en.srt", b"no timings here")
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert "neither WebVTT nor SRT" in response.content.decode()


@pytest.mark.django_db
def test_members_cannot_reach_the_library_admin(client: Client) -> None:
    client.force_login(make_alice())
    assert client.get(ADD).status_code == 302
