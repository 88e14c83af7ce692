"""/healthz: database, cache, storage and queues, in words; reasons only in the log."""

import json

import pytest
from django.test import Client
from django_tasks import task

from tests.helpers import require_service, run_django


@task()
def noop() -> None:
    """Enqueued by these tests to give a queue something to wait for."""


@pytest.mark.django_db
def test_healthz_answers_ok_when_every_part_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
        "queues": {},  # the test run's tasks run at once: nothing ever waits
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_tells_how_many_jobs_wait_and_for_how_long(client: Client, settings) -> None:
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "video"]}
    }
    settings.TASKS_BACKEND = "database"
    noop.enqueue()
    noop.enqueue()

    queues = client.get("/healthz").json()["queues"]

    assert queues["default"]["depth"] == 2
    assert queues["default"]["oldest_seconds"] >= 0
    assert queues["video"] == {"depth": 0, "oldest_seconds": None}


@pytest.mark.django_db
def test_an_unwritable_media_root_is_reported_without_saying_where(
    client: Client, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "not-there")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["storage"] == "unreachable"
    assert "not-there" not in response.content.decode()


@pytest.mark.django_db
def test_an_unreachable_cache_is_a_503(client: Client, settings) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/14",  # the discard port: nothing answers
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "unreachable"
    assert "Connection" not in response.content.decode()


def test_an_unreachable_database_is_a_503_whose_reason_is_only_in_the_log(tmp_path) -> None:
    missing = tmp_path / "gone"
    code = f"""
import shutil
from django.test import Client
shutil.rmtree({str(missing)!r})  # the database's folder vanishes after start-up
response = Client().get("/healthz", HTTP_HOST="localhost", HTTP_X_REQUEST_ID="probe-1234-abcd")
print(response.status_code)
print(response.content.decode())
"""
    env = {
        "DEBUG": "true",
        "LOG_FORMAT": "json",
        "TRUSTED_PROXY_COUNT": "1",
        "VAR_DIR": str(tmp_path),
        "EMAIL_URL": "console://",
        "DATABASE_URL": f"sqlite:///{missing}/db.sqlite3",
    }
    result = run_django(env=env, code=code)
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-2:]
    assert status == "503"
    payload = json.loads(body)
    assert payload["status"] == "error"
    assert payload["database"] == "unreachable"
    assert "unable to open" not in body
    assert str(tmp_path) not in body
    # The reason is in the log, as one JSON line that names the request.
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    database = next(line for line in lines if "database is unreachable" in line["message"])
    assert database["request_id"] == "probe-1234-abcd"
    assert database["level"] == "WARNING"
    assert "unable to open database file" in database["exc_info"]


def test_with_rq_it_reads_each_queue_in_redis(tmp_path) -> None:
    """With REDIS_URL the queues are RQ's: depth and age come from Redis (db 14 here)."""
    require_service("Redis", 6379)
    code = """
import django_rq
from django.test import Client
from homestretch.ops.tests.test_healthz import noop
for name in ("default", "video"):
    django_rq.get_queue(name).empty()
noop.enqueue()
print(Client().get("/healthz", HTTP_HOST="localhost").content.decode())
django_rq.get_queue("default").empty()
"""
    env = {
        "DEBUG": "true",
        "VAR_DIR": str(tmp_path),
        "EMAIL_URL": "console://",
        "REDIS_URL": "redis://127.0.0.1:6379/14",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "MEDIA_ROOT": str(tmp_path),
    }
    # No migrate: with RQ, /healthz reads the queues from Redis and the database only
    # answers SELECT 1.
    result = run_django(env=env, code=code)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout.strip().splitlines()[-1])
    assert payload["status"] == "ok", payload
    assert payload["cache"] == "ok"
    assert payload["queues"]["default"]["depth"] == 1
    assert payload["queues"]["default"]["oldest_seconds"] >= 0
    assert payload["queues"]["video"] == {"depth": 0, "oldest_seconds": None}
