"""/metrics: off without METRICS_TOKEN, closed to anyone without it, useful with it."""

import pytest
from django.test import Client

from tests.helpers import PRODUCTION_ENV, run_django

TOKEN = "scrape-me-9f8e7d6c5b4a"


@pytest.mark.django_db
def test_it_is_not_there_without_a_token_configured(client: Client, settings) -> None:
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization", ["", f"Basic {TOKEN}", "Bearer wrong-token", f"Bearer {TOKEN}x"]
)
def test_it_refuses_a_scrape_without_the_token(client: Client, settings, authorization) -> None:
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", HTTP_AUTHORIZATION=authorization)
    assert response.status_code == 401
    assert "homestretch_" not in response.content.decode()


@pytest.mark.django_db
def test_it_answers_a_scrape_with_the_token(client: Client, settings) -> None:
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "# TYPE homestretch_queue_jobs gauge" in response.content.decode()


def test_with_a_token_every_request_is_counted(tmp_path) -> None:
    code = f"""
from django.test import Client
client = Client()
client.get("/healthz", secure=True, HTTP_HOST="homestretch.example.org")
response = client.get(
    "/metrics", secure=True, HTTP_HOST="homestretch.example.org",
    HTTP_AUTHORIZATION="Bearer {TOKEN}",
)
print(response.status_code)
print(response.content.decode())
"""
    env = {
        **PRODUCTION_ENV,
        "METRICS_TOKEN": TOKEN,
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "MEDIA_ROOT": str(tmp_path),
    }
    result = run_django(env=env, code=code)
    assert result.returncode == 0, result.stderr
    status, *body = result.stdout.splitlines()
    assert status == "200"
    counted = [line for line in body if line.startswith("django_http_requests_total_by_view")]
    assert any('view="healthz"' in line for line in counted), counted
