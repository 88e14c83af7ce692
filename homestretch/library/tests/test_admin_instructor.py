import pytest
from django.test import Client

from homestretch.accounts.models import Role
from homestretch.accounts.testing import make_alice, make_staff, make_user
from homestretch.library.testing import make_sequence

AUTOCOMPLETE = "/admin/autocomplete/"
FIELD = {"app_label": "library", "model_name": "sequence", "field_name": "instructor"}


@pytest.mark.django_db
def test_the_instructor_field_searches_instructors_only(client: Client, settings) -> None:
    settings.STAFF_REQUIRE_2FA = False
    make_alice()  # a member
    make_user("lena@example.com", display_name="Lena Berg", roles=(Role.INSTRUCTOR,))
    make_user("leo@example.com", display_name="Leo Stark", roles=(Role.INSTRUCTOR,))
    client.force_login(make_staff())
    found = client.get(AUTOCOMPLETE, {**FIELD, "term": ""}).json()["results"]
    assert sorted(r["text"] for r in found) == ["lena@example.com", "leo@example.com"]
    found = client.get(AUTOCOMPLETE, {**FIELD, "term": "berg"}).json()["results"]
    assert [r["text"] for r in found] == ["lena@example.com"]
    assert client.get(AUTOCOMPLETE, {**FIELD, "term": "alice"}).json()["results"] == []

    page = client.get(f"/admin/library/sequence/{make_sequence().pk}/change/").content.decode()
    assert 'data-ajax--url="/admin/autocomplete/"' in page
    assert "alice@example.com" not in page  # no list of every user in the page


@pytest.mark.django_db
def test_a_member_cannot_be_saved_as_instructor(client: Client) -> None:
    from homestretch.library.admin import SequenceForm

    alice = make_alice()
    form = SequenceForm(
        data={
            "title": "T",
            "slug": "t",
            "level": "gentle",
            "status": "draft",
            "instructor": alice.pk,
        }
    )
    assert not form.is_valid()
    assert "instructor" in form.errors
