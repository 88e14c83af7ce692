import pytest
from django.core.management import call_command
from django.test import Client

from homestretch.articles.models import Article, Comment

# Real ffmpeg: the SQLite run covers it (make test on PostgreSQL leaves it out).
pytestmark = pytest.mark.ffmpeg


@pytest.mark.django_db
def test_the_demo_has_three_articles_with_comments_in_every_state(settings) -> None:
    settings.DEBUG = True
    call_command("demo", "--quick", verbosity=0)
    articles = Article.objects.published()
    assert articles.count() == 3
    counts = {s: Comment.objects.filter(status=s).count() for s in Comment.Status.values}
    assert counts["pending"] == 3
    assert counts["spam"] == 1
    assert counts["approved"] >= 5
    assert Comment.objects.filter(parent__isnull=False, status="approved").exists()

    si = Article.objects.get(slug="si-joint-pain-what-it-may-be")
    assert si.finder_badge == "NS"
    assert 'href="/programs/"' in si.body_html
    assert 'href="/finder/?badge=NS"' in si.body_html
    page = Client().get(si.get_absolute_url()).content.decode()
    assert "Find an NS instructor" in page


@pytest.mark.django_db
def test_running_the_demo_twice_adds_no_articles_or_comments(settings) -> None:
    settings.DEBUG = True
    call_command("demo", "--quick", verbosity=0)
    before = (Article.objects.count(), Comment.objects.count())
    call_command("demo", "--quick", verbosity=0)
    assert (Article.objects.count(), Comment.objects.count()) == before
