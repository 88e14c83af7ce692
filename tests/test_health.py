import json

import pytest
from django.test import Client

from tests.helpers import run_django


@pytest.mark.django_db
def test_healthz_answers_ok_after_a_database_round_trip(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_with_a_reason_when_the_database_is_unreachable(tmp_path) -> None:
    missing = tmp_path / "gone"
    code = f"""
import json, shutil
from django.test import Client
shutil.rmtree({str(missing)!r})  # the database's folder vanishes after start-up
response = Client().get("/healthz", HTTP_HOST="localhost")
print(response.status_code)
print(response.content.decode())
"""
    env = {
        "DEBUG": "true",
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
    assert "unable to open database file" in payload["reason"]
