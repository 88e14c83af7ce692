import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A production-like environment: DEBUG off, HTTPS on, a real secret.
PRODUCTION_ENV = {
    "DEBUG": "false",
    "HTTPS": "true",
    "SECRET_KEY": "prod-like-7f3a9c1e5b2d8f4a6c0e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5",
    "ALLOWED_HOSTS": "homestretch.example.org",
    "SITE_URL": "https://homestretch.example.org",
    "EMAIL_URL": "smtp+tls://mailer:secret@mail.example.org:587",
}


def run_django(
    *args: str, env: dict[str, str], code: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run manage.py (or a snippet after django.setup()) in a fresh interpreter.

    Settings are read once per process, so anything about start-up is tested this way.
    """
    # Only what a shell needs: none of the test run's own settings leak in.
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    full_env = {**base, "DJANGO_SETTINGS_MODULE": "homestretch.settings", **env}
    if code is not None:
        command = [sys.executable, "-c", f"import django; django.setup()\n{code}"]
    else:
        command = [sys.executable, "manage.py", *args]
    return subprocess.run(
        command, cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120, check=False
    )


def require_service(name: str, port: int, host: str = "127.0.0.1") -> None:
    """Skip the test when a service it needs is not listening, or fail with
    HOMESTRETCH_REQUIRE_STACK=1 (CI sets it: there, a missing service is a broken machine)."""
    import socket

    import pytest

    try:
        socket.create_connection((host, port), timeout=1).close()
    except OSError:
        message = f"needs {name} on {host}:{port}"
        if os.environ.get("HOMESTRETCH_REQUIRE_STACK") == "1":
            pytest.fail(f"{message} (HOMESTRETCH_REQUIRE_STACK=1)")
        pytest.skip(message)


def media_env(settings: object) -> dict[str, str]:
    """The environment variables that give a fresh interpreter this test's media storage."""
    storages = getattr(settings, "STORAGES", {})
    default = storages.get("default", {})
    if default.get("BACKEND") != "storages.backends.s3.S3Storage":
        return {"MEDIA_ROOT": str(getattr(settings, "MEDIA_ROOT", ""))}
    options = default["OPTIONS"]
    return {
        "MEDIA_ROOT": str(getattr(settings, "MEDIA_ROOT", "")),
        "MEDIA_STORAGE": "s3",
        "MEDIA_S3_ENDPOINT_URL": options["endpoint_url"],
        "MEDIA_S3_BUCKET": options["bucket_name"],
        "MEDIA_S3_REGION": options["region_name"],
        "MEDIA_S3_ACCESS_KEY_ID": options["access_key"],
        "MEDIA_S3_SECRET_ACCESS_KEY": options["secret_key"],
        "MEDIA_S3_PREFIX": options["location"],
    }
