"""A bucket that is unreachable or refuses the keys: uploads say so, runs fail with a
retry, what plays keeps playing, /healthz names the storage. Against a real S3 server."""

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from homestretch.accounts.testing import make_alice, make_staff
from homestretch.billing.testing import give_access
from homestretch.library import media
from homestretch.library.models import Encoding, Sequence
from homestretch.library.services import encoding_run
from homestretch.library.testing import make_encoded
from homestretch.library.tests.test_admin import ADD, _form

pytestmark = [pytest.mark.ffmpeg, pytest.mark.also_s3]


def _break(settings: Any, **options: object) -> None:
    """The same bucket, with some of its settings wrong."""
    default = settings.STORAGES["default"]
    broken = {**default, "OPTIONS": {**default["OPTIONS"], **options}}
    settings.STORAGES = {**settings.STORAGES, "default": broken}


WRONG_KEYS = {"secret_key": "not-the-secret"}
UNREACHABLE = {"endpoint_url": "http://127.0.0.1:9"}  # the discard port: nothing listens


@pytest.fixture(scope="module")
def small_video(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("upload") / "clip.mp4"
    media.make_test_video(path, title="Upload", seconds=4, height=360)
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("broken", "says"),
    [(WRONG_KEYS, "refused the keys"), (UNREACHABLE, "could not be reached")],
    ids=["wrong keys", "unreachable"],
)
def test_an_upload_the_bucket_refuses_is_a_clear_message_in_the_admin(
    client: Client, small_video: Path, s3_media, settings, broken: dict, says: str
) -> None:
    _break(settings, **broken)
    client.force_login(make_staff())
    upload = SimpleUploadedFile("clip.mp4", small_video.read_bytes(), content_type="video/mp4")
    response = client.post(ADD, _form(source=upload))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["source"]
    assert any("could not be stored" in e and says in e for e in errors), errors
    assert not Sequence.objects.exists()


@pytest.mark.django_db
def test_a_run_whose_upload_fails_is_failed_with_a_retry_and_the_old_version_plays(
    client: Client, small_video: Path, s3_media, settings
) -> None:
    alice = make_alice()
    give_access(alice)
    client.force_login(alice)
    sequence = make_encoded()
    playing = sequence.encoding_id
    sequence.source.save("clip.mp4", SimpleUploadedFile("clip.mp4", small_video.read_bytes()))
    page = client.get(f"/library/{sequence.slug}/").content.decode()
    master = page.split('data-master="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert client.get(master).status_code == 200  # read once: the playlist is cached

    _break(settings, **WRONG_KEYS)
    run = Encoding.objects.create(sequence=sequence)
    encoding_run(encoding_id=run.pk)

    run.refresh_from_db()
    sequence.refresh_from_db()
    assert run.state == Encoding.State.FAILED
    assert "The media storage refused the keys" in run.error
    assert "Retry failed runs" in run.error
    assert sequence.encoding_id == playing
    assert client.get(master).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "broken",
    [WRONG_KEYS, UNREACHABLE, {"bucket_name": "no-such-bucket"}],
    ids=["wrong keys", "unreachable", "no bucket"],
)
def test_healthz_says_the_storage_is_down(client: Client, s3_media, settings, broken: dict) -> None:
    assert client.get("/healthz").json()["storage"] == "ok"
    _break(settings, **broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["storage"] == "unreachable"
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_a_poster_the_storage_cannot_give_is_a_503_not_a_500(
    client: Client, s3_media, settings
) -> None:
    sequence = make_encoded()
    assert client.get(f"/library/{sequence.slug}/poster.jpg").status_code == 200
    _break(settings, **UNREACHABLE)
    assert client.get(f"/library/{sequence.slug}/poster.jpg").status_code == 503
