import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from homestretch.accounts.models import User
from homestretch.accounts.testing import log_in, make_alice, make_charlie


@pytest.mark.django_db
def test_a_new_email_takes_over_once_it_is_verified() -> None:
    alice = make_alice()
    client = log_in(alice)
    response = client.post("/accounts/email/", {"email": "alice@new.example", "action_add": ""})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["alice@new.example"]
    alice.refresh_from_db()
    assert alice.email == "alice@example.com"  # not yet: the new one is unverified

    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", str(mail.outbox[-1].body))
    assert link
    client.post(link.group(1))
    alice.refresh_from_db()
    assert alice.email == "alice@new.example"
    assert list(EmailAddress.objects.filter(user=alice).values_list("email", flat=True)) == [
        "alice@new.example"
    ]


@pytest.mark.django_db
def test_someone_elses_email_is_refused() -> None:
    alice = make_alice()
    make_charlie()
    client = log_in(alice)
    response = client.post("/accounts/email/", {"email": "charlie@example.com", "action_add": ""})
    assert response.status_code == 200
    assert "A user is already registered with this email address." in response.content.decode()
    assert User.objects.get(pk=alice.pk).email == "alice@example.com"
