"""Test-run set-up, loaded with `-p homestretch.pytest_plugin` before Django reads settings.

Tests run as production does (DEBUG off) but over plain HTTP, with background tasks run
immediately and email kept in memory. DATABASE_URL passes through: SQLite by default,
PostgreSQL when it points at one.
"""

import os
import tempfile
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.s3 import S3Server

os.environ["DEBUG"] = "false"
os.environ["HTTPS"] = "false"
os.environ["TASKS_BACKEND"] = "immediate"
os.environ["EMAIL_URL"] = "locmem://"
# Tests are offline: the finder's map shows its markers without tiles.
os.environ["FINDER_TILE_URL"] = "none"
# Uploads and encodings go to a folder of the run's own, never into var/media.
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="homestretch-test-media-")
os.environ.setdefault(
    "SECRET_KEY", "tests-only-secret-key-that-is-long-and-random-enough-1234567890"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--media-storage",
        choices=("local", "s3", "both"),
        default="local",
        help="Where every test's media lives: MEDIA_ROOT (local), a bucket of a real S3 "
        "server started on loopback (s3), or both: each test of a module marked also_s3 "
        "runs twice, [local] and [s3] (`make test` on SQLite).",
    )


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # The manifest storage needs `collectstatic`; tests serve files from their sources.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Argon2 is slow on purpose; thousands of test log-ins need a fast hash. Production's
    # Argon2 is proven in a fresh interpreter (tests/test_settings.py).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rate-limit counters live in the cache; each test starts with none, and counts them
    in one window: a test posting six times must not straddle a minute's boundary."""
    import time

    from django.core.cache import cache

    from homestretch.lib import ratelimit

    cache.clear()
    start = time.time()
    monkeypatch.setattr(ratelimit, "clock", lambda: start)


@pytest.fixture(scope="session")
def s3_server() -> "Iterator[S3Server]":
    """SeaweedFS's S3 gateway on loopback (tests/s3.py), for this test process."""
    from tests.s3 import start_s3

    server = start_s3()
    yield server
    server.stop()


@pytest.fixture
def s3_media(settings: Any, s3_server: "S3Server") -> "S3Server":
    """This test's media in the bucket, under a folder of its own."""
    from homestretch.library import delivery

    prefix = f"test-{uuid.uuid4().hex[:12]}"
    settings.MEDIA_STORAGE = "s3"
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_options(prefix=prefix)}
    delivery._presigner.cache_clear()  # it holds the storage's endpoint and keys
    return s3_server


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # A test that asks for the bucket itself (s3_media) runs once: it is S3's already.
    if (
        metafunc.config.getoption("--media-storage") == "both"
        and metafunc.definition.get_closest_marker("also_s3")
        and "s3_media" not in metafunc.fixturenames
    ):
        metafunc.parametrize("_media_storage", ["local", "s3"], indirect=True)


@pytest.fixture(autouse=True)
def _media_storage(request: pytest.FixtureRequest) -> None:
    storage = getattr(request, "param", request.config.getoption("--media-storage"))
    if storage == "s3":
        request.getfixturevalue("s3_media")
