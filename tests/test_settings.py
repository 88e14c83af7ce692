import pytest

from tests.helpers import PRODUCTION_ENV, run_django


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "maybe", "DEBUG must be true or false, not 'maybe'"),
        (
            "DATABASE_URL",
            "mysql://root@localhost/x",
            "DATABASE_URL must point at SQLite or PostgreSQL",
        ),
        ("DATABASE_URL", "nonsense", "DATABASE_URL is not a database URL we understand"),
        ("EMAIL_URL", "pigeon://coop", "EMAIL_URL must look like smtp://"),
        ("SITE_URL", "homestretch.example.org", "SITE_URL must be a URL starting with"),
        ("TRUSTED_PROXY_COUNT", "one", "TRUSTED_PROXY_COUNT must be a whole number, not 'one'"),
        ("TASKS_BACKEND", "celery", "TASKS_BACKEND must be one of immediate, database, rq"),
        ("TASKS_TIMEOUT_SECONDS", "5", "TASKS_TIMEOUT_SECONDS must be at least 10, not 5"),
        (
            "LIBRARY_TRANSCODE_TIMEOUT_MIN_SECONDS",
            "soon",
            "LIBRARY_TRANSCODE_TIMEOUT_MIN_SECONDS must be a whole number, not 'soon'",
        ),
        ("LOG_FORMAT", "xml", "LOG_FORMAT must be one of json, text, not 'xml'"),
        ("SENTRY_DSN", "sentry.example.org/1", "SENTRY_DSN must be a URL starting with"),
        ("REDIS_URL", "localhost:6379", "REDIS_URL must be a URL starting with"),
        ("WEBPUSH_VAPID_PUBLIC_KEY", "BAbc", "Set both WEBPUSH_VAPID_PUBLIC_KEY and"),
    ],
)
def test_a_bad_value_stops_start_up_naming_the_variable(
    name: str, value: str, message: str
) -> None:
    result = run_django("check", env={**PRODUCTION_ENV, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_development_generates_a_secret_key_once(tmp_path) -> None:
    env = {"DEBUG": "true", "VAR_DIR": str(tmp_path), "EMAIL_URL": "console://"}
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = run_django(env=env, code=code)
    second = run_django(env=env, code=code)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert first.stdout.strip() == second.stdout.strip() == key


def test_production_hashes_passwords_with_argon2() -> None:
    """The suite uses a fast hasher (homestretch/pytest_plugin.py); the real settings don't."""
    code = (
        "from django.contrib.auth.hashers import make_password, check_password; "
        "h = make_password('correct horse battery staple'); "
        "print(h.split('$')[0], check_password('correct horse battery staple', h))"
    )
    result = run_django(env=PRODUCTION_ENV, code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["argon2", "True"]


@pytest.mark.parametrize(
    ("value", "rules"),
    [("", "[]"), ("false", "[]"), ("true", "['homestretch.homework.access.plays_as_homework']")],
)
def test_homework_plays_without_subscription_puts_the_homework_rule_in_play(
    value: str, rules: str
) -> None:
    env = {**PRODUCTION_ENV, "HOMEWORK_PLAYS_WITHOUT_SUBSCRIPTION": value}
    code = "from django.conf import settings; print(settings.LIBRARY_PLAY_RULES)"
    result = run_django(env=env, code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == rules


def test_site_name_names_the_site_in_emails_and_the_authenticator_app() -> None:
    env = {**PRODUCTION_ENV, "SITE_NAME": "Pelvis & Co"}
    code = (
        "from django.conf import settings; "
        "print(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX, settings.MFA_TOTP_ISSUER, "
        "settings.DEFAULT_FROM_EMAIL, sep='|')"
    )
    result = run_django(env=env, code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[Pelvis & Co] |Pelvis & Co|Pelvis & Co <noreply@localhost>"


S3_ENV = {
    "MEDIA_STORAGE": "s3",
    "MEDIA_S3_ENDPOINT_URL": "https://objects.example.org",
    "MEDIA_S3_BUCKET": "studio-media",
    "MEDIA_S3_ACCESS_KEY_ID": "key",
    "MEDIA_S3_SECRET_ACCESS_KEY": "secret",
}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"MEDIA_STORAGE": "ftp"}, "MEDIA_STORAGE must be one of local, s3"),
        ({"MEDIA_STORAGE": "s3"}, "MEDIA_STORAGE=s3 needs MEDIA_S3_BUCKET"),
        ({"LIBRARY_DELIVERY": "object-storage"}, "needs MEDIA_STORAGE=s3"),
        ({"LIBRARY_DELIVERY": "nginx"}, "LIBRARY_DELIVERY=nginx needs LIBRARY_NGINX_SECRET"),
        ({**S3_ENV, "LIBRARY_DELIVERY": "nginx"}, "it needs local storage"),
        ({"LIBRARY_SEGMENT_TTL_SECONDS": "120"}, "must be at most 60"),
        ({**S3_ENV, "MEDIA_S3_ADDRESSING_STYLE": "dns"}, "must be one of path, virtual, auto"),
    ],
)
def test_a_storage_or_delivery_that_cannot_work_stops_start_up(
    env: dict[str, str], message: str
) -> None:
    result = run_django("check", env={**PRODUCTION_ENV, **env})
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    ("env", "origin"),
    [
        ({}, "https://objects.example.org"),
        ({"MEDIA_S3_ADDRESSING_STYLE": "virtual"}, "https://studio-media.objects.example.org"),
        (
            {"MEDIA_S3_ENDPOINT_URL": "", "MEDIA_S3_REGION": "eu-west-1"},
            "https://s3.eu-west-1.amazonaws.com",
        ),
    ],
)
def test_the_bucket_delivery_lets_pages_fetch_from_the_bucket(
    env: dict[str, str], origin: str
) -> None:
    code = """
from django.conf import settings
from django.core.files.storage import default_storage
policy = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
print(policy["connect-src"][-1], policy["media-src"][-1], policy["img-src"][-1])
print(type(default_storage._wrapped if default_storage._setup() is None else 0).__name__)
"""
    full = {**PRODUCTION_ENV, **S3_ENV, "LIBRARY_DELIVERY": "object-storage", **env}
    result = run_django(env=full, code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [origin, origin, origin, "S3Storage"]
