from datetime import date

import pytest
from django.test import Client

from homestretch.accounts.testing import make_staff
from homestretch.finder import codes, services
from homestretch.finder.models import Credential
from homestretch.finder.testing import credential_type, make_expired, make_instructor


def test_codes_are_short_readable_and_forgiving() -> None:
    code = codes.new_code()
    assert len(code) == 11
    assert code[5] == "-"
    assert set(code.replace("-", "")) <= set(codes.ALPHABET)
    assert not set("ILOU") & set(code)
    assert codes.normalize(code.lower().replace("-", "")) == code
    assert codes.normalize("0O1IL-abcde") == "00111-ABCDE"
    assert codes.normalize("short") is None
    assert codes.normalize("UUUUU-UUUUU") is None
    assert len({codes.new_code() for _ in range(1000)}) == 1000


def test_months_are_added_to_the_calendar() -> None:
    assert services.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert services.add_months(date(2025, 11, 15), 14) == date(2027, 1, 15)


@pytest.mark.django_db
def test_a_credential_expires_after_its_types_months() -> None:
    instructor = make_instructor()
    kind = credential_type("NS", months=12)
    credential = services.credential_issue(
        instructor=instructor, type=kind, issued_on=date(2024, 3, 10)
    )
    assert credential.expires_on == date(2025, 3, 10)
    assert credential.status(on=date(2025, 3, 10)) == Credential.Status.VALID
    assert credential.status(on=date(2025, 3, 11)) == Credential.Status.EXPIRED
    assert credential.status(on=date(2024, 3, 9)) == Credential.Status.NOT_YET
    assert list(Credential.objects.valid(on=date(2025, 3, 11))) == []


@pytest.mark.django_db
def test_revoking_records_who_when_and_why_and_cannot_happen_twice() -> None:
    staff = make_staff()
    credential = services.credential_issue(instructor=make_instructor(), type=credential_type())
    services.credential_revoke(credential=credential, by=staff, reason="Training lapsed")
    credential.refresh_from_db()
    assert credential.status() == Credential.Status.REVOKED
    assert credential.revoked_by == staff
    assert credential.revoked_reason == "Training lapsed"
    with pytest.raises(services.FinderError, match="already revoked"):
        services.credential_revoke(credential=credential, by=staff, reason="again")


@pytest.mark.django_db
def test_the_verification_page_shows_each_status(client: Client) -> None:
    instructor = make_instructor("Vera Valid", badges=("NS",))
    valid = instructor.credentials.get()
    expired = make_expired(make_instructor("Erik Expired"))
    revoked = services.credential_issue(
        instructor=make_instructor("Rita Revoked"), type=credential_type()
    )
    services.credential_revoke(credential=revoked, by=None, reason="Complaint upheld")
    page = client.get(f"/finder/verify/{valid.code}/").content.decode()
    assert "<strong>Valid</strong>" in page
    assert "Vera Valid" in page
    assert f"{valid.expires_on:%-d %B %Y}" in page
    page = client.get(f"/finder/verify/{expired.code}/").content.decode()
    assert "<strong>Expired</strong>" in page
    assert "Erik Expired" in page
    page = client.get(f"/finder/verify/{revoked.code}/").content.decode()
    assert "<strong>Revoked</strong>" in page
    assert "Complaint upheld" in page


@pytest.mark.django_db
def test_a_code_typed_loosely_redirects_to_its_page(client: Client) -> None:
    credential = make_instructor(badges=("NS",)).credentials.get()
    response = client.get(f"/finder/verify/{credential.code.lower().replace('-', '')}/")
    assert response.status_code == 301
    assert response["Location"] == f"/finder/verify/{credential.code}/"


@pytest.mark.django_db
def test_an_unknown_code_is_plainly_not_found_and_guessing_is_rate_limited(
    client: Client,
) -> None:
    response = client.get("/finder/verify/ABCDE-FGHJK/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "No credential has the code ABCDE-FGHJK." in page
    assert 'action="/finder/verify/"' in page  # the form to try again
    response = client.get("/finder/verify/call-me-at-555/")
    assert response.status_code == 404
    assert "That is not a credential code." in response.content.decode()
    assert "555" not in response.content.decode()
    statuses = [client.get(f"/finder/verify/ABCDE-{n:05}/").status_code for n in range(31)]
    assert statuses[:28] == [404] * 28
    assert statuses[-1] == 429


@pytest.mark.django_db
def test_the_profile_shows_badges_with_status_and_a_verification_link(client: Client) -> None:
    instructor = make_instructor("Pat", badges=("NS",))
    make_expired(instructor, "SI")
    page = client.get(instructor.get_absolute_url()).content.decode()
    valid = instructor.credentials.get(type__code="NS")
    assert f'href="/finder/verify/{valid.code}/"' in page
    assert "<strong>Valid</strong>" in page
    assert "<strong>Expired</strong>" in page


@pytest.mark.django_db
def test_an_expired_badge_is_not_shown_in_search_results(client: Client) -> None:
    make_expired(make_instructor("Old badge"))
    page = client.get("/finder/", {"near": "Berlin"}).content.decode()
    assert ">Old badge<" in page
    assert '<span class="badge" title="NS level">NS</span>' not in page


@pytest.mark.django_db
def test_the_verification_form_takes_a_typed_code(client: Client) -> None:
    instructor = make_instructor("Pat", badges=("NS",))
    credential = instructor.credentials.get()
    assert "Credential code" in client.get("/finder/verify/").content.decode()
    typed = credential.code.lower().replace("-", " ")
    response = client.get("/finder/verify/", {"code": typed})
    assert response["Location"] == f"/finder/verify/{credential.code}/"
    response = client.get("/finder/verify/", {"code": "not a code"})
    assert response.status_code == 400
    assert "That is not a credential code." in response.content.decode()
    response = client.get("/finder/verify/", {"code": "ABCDE-FGHJK"})
    assert response.status_code == 200
    assert "No credential has the code ABCDE-FGHJK." in response.content.decode()
