"""Request ids: from nginx behind a trusted proxy, else new; carried into RQ jobs."""

from collections.abc import Iterator

import pytest
from django.test import Client
from redis import Redis
from rq import SimpleWorker

from homestretch.lib.logs import reset_request_id, set_request_id
from homestretch.ops.rq import Job, Queue
from tests.helpers import require_service

NGINX_ID = "0123456789abcdef0123456789abcdef"


@pytest.mark.django_db
def test_each_request_gets_a_new_id_when_no_proxy_is_trusted(client: Client, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    first = client.get("/healthz", HTTP_X_REQUEST_ID=NGINX_ID)["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != NGINX_ID  # a client must not choose the id its lines are filed under
    assert len({first, second}) == 2


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_proxys_id_is_kept(client: Client, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client.get("/healthz", HTTP_X_REQUEST_ID=NGINX_ID)["X-Request-ID"] == NGINX_ID


@pytest.mark.django_db
def test_an_id_that_could_break_a_log_line_is_replaced(client: Client, settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    given = 'abc"def\\ninjected'
    assert client.get("/healthz", HTTP_X_REQUEST_ID=given)["X-Request-ID"] != given


@pytest.fixture
def redis() -> Iterator[Redis]:
    require_service("Redis", 6379)
    connection = Redis.from_url("redis://127.0.0.1:6379/14")  # db 14 is this project's
    connection.flushdb()
    yield connection
    connection.flushdb()


def test_a_job_runs_with_the_id_of_the_request_that_enqueued_it(redis: Redis) -> None:
    queue = Queue("default", connection=redis, job_class=Job, commit_mode="auto")
    token = set_request_id(NGINX_ID)
    try:
        job = queue.enqueue_job(
            queue.create_job(
                "homestretch.ops.tests.tasks.which_request", meta={"backend_name": "default"}
            )
        )
    finally:
        reset_request_id(token)
    assert job.meta["request_id"] == NGINX_ID

    SimpleWorker([queue], connection=redis, job_class=Job).work(burst=True)

    assert Job.fetch(job.id, connection=redis).return_value() == NGINX_ID


def test_a_job_can_carry_its_own_timeout(redis: Redis) -> None:
    queue = Queue("video", connection=redis, job_class=Job, default_timeout=600)
    timed = queue.create_job("x.y", kwargs={"encoding_id": 1, "job_timeout": 5400})
    plain = queue.create_job("x.y", kwargs={"encoding_id": 1})
    assert timed.timeout == 5400
    assert plain.timeout == 600
