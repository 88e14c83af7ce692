import socket

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from homestretch.accounts.testing import make_alice

RESET = "/accounts/password/reset/"


def _request_reset() -> None:
    response = Client().post(RESET, {"email": "alice@example.com"})
    assert response.status_code == 302


# The worker closes its database connection between tasks, as it should, so this test
# commits for real instead of running inside a rolled-back transaction.
@pytest.mark.django_db(transaction=True)
def test_account_emails_wait_for_the_database_worker(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    make_alice()
    _request_reset()
    assert mail.outbox == []
    assert DBTaskResult.objects.get().status == "READY"

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert [message.to for message in mail.outbox] == [["alice@example.com"]]
    assert "Reset your password" in mail.outbox[0].subject


def _redis_is_up(host: str = "127.0.0.1", port: int = 6379) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.django_db
@pytest.mark.skipif(not _redis_is_up(), reason="needs Redis on 127.0.0.1:6379 (CI has it)")
def test_account_emails_go_through_rq_when_redis_is_configured(settings) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    make_alice()
    _request_reset()
    assert mail.outbox == []

    # SimpleWorker runs jobs in this process, so the test's mail outbox sees them.
    call_command(
        "rqworker",
        "default",
        "--burst",
        "--worker-class",
        "rq.SimpleWorker",
        "--job-class",
        "django_tasks_rq.Job",
    )
    assert [message.to for message in mail.outbox] == [["alice@example.com"]]


@pytest.mark.django_db
def test_a_password_reset_sets_a_new_password(client: Client) -> None:
    make_alice()
    _request_reset()
    link = next(
        line
        for line in str(mail.outbox[0].body).splitlines()
        if "/accounts/password/reset/key/" in line
    )
    path = link.strip().removeprefix("http://testserver")
    form = client.get(path, follow=True)
    assert form.status_code == 200
    response = client.post(
        form.redirect_chain[-1][0],
        {"password1": "a-brand-new-walk-77", "password2": "a-brand-new-walk-77"},
    )
    assert response.status_code == 302
    login = Client().post(
        "/accounts/login/", {"login": "alice@example.com", "password": "a-brand-new-walk-77"}
    )
    assert login.status_code == 302
