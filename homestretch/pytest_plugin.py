"""Test-run set-up, loaded with `-p homestretch.pytest_plugin` before Django reads settings.

Tests run as production does (DEBUG off) but over plain HTTP, with background tasks run
immediately and email kept in memory. DATABASE_URL passes through: SQLite by default,
PostgreSQL when it points at one.
"""

import os
import tempfile

import pytest

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
def _empty_cache() -> None:
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
