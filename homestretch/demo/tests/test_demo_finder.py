import pytest

from homestretch.finder.models import Instructor, InstructorRevision, Location
from homestretch.finder.search import Criteria, search


@pytest.mark.django_db
def test_the_demo_finder_has_instructors_in_many_cities_with_ns_and_a_pending_revision(
    settings,
) -> None:
    settings.DEBUG = True
    from homestretch.demo.accounts import ensure_demo_accounts
    from homestretch.demo.finder import ensure_demo_finder

    ensure_demo_accounts()
    assert len(ensure_demo_finder()) == 40
    assert ensure_demo_finder() == []  # idempotent
    assert Instructor.objects.published().count() == 40
    assert not Instructor.objects.filter(photo="").exists()
    assert not Instructor.objects.filter(photo_small="").exists()
    assert Location.objects.values("city").distinct().count() >= 10
    assert Instructor.objects.with_valid_badge("NS").count() >= 10
    ines = Instructor.objects.get(user__email="instructor@example.com")
    assert ines.status == "published"
    assert Instructor.objects.with_valid_badge("NS").filter(pk=ines.pk).exists()
    expired = Instructor.objects.filter(credentials__type__code="NS").exclude(
        pk__in=Instructor.objects.with_valid_badge("NS")
    )
    assert expired.exists()
    assert InstructorRevision.objects.filter(status="pending").count() == 1
    hits = search(Criteria(lat=52.52, lng=13.405, badge="NS"))
    assert ines.pk in [hit.instructor_id for hit in hits]
