import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from homestretch.accounts.testing import make_alice, make_user
from homestretch.articles.models import Article, Comment, Tag
from homestretch.articles.testing import make_article, make_comment


def _h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


@pytest.mark.django_db
def test_the_index_lists_published_articles_only(client: Client) -> None:
    make_article("published-one", title="Published one")
    make_article("a-draft", title="A draft", status=Article.Status.DRAFT, published_at=None)
    make_article(
        "coming-later",
        title="Coming later",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=2),
    )
    response = client.get("/articles/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Published one" in page
    assert "A draft" not in page
    assert "Coming later" not in page
    assert _h1_count(page) == 1


@pytest.mark.django_db
def test_a_scheduled_article_appears_when_its_time_comes(client: Client) -> None:
    article = make_article(
        "soon",
        title="Soon",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(hours=1),
    )
    assert client.get("/articles/soon/").status_code == 404
    # Nothing runs in between: the clock passing the time is enough.
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/articles/soon/").status_code == 200
    assert "Soon" in client.get("/articles/").content.decode()


@pytest.mark.django_db
def test_drafts_are_404_to_visitors_and_members_and_open_to_staff(client: Client, settings) -> None:
    settings.STAFF_REQUIRE_2FA = False
    make_article("draft", title="Work in progress", status=Article.Status.DRAFT, published_at=None)
    assert client.get("/articles/draft/").status_code == 404
    client.force_login(make_alice())
    assert client.get("/articles/draft/").status_code == 404
    client.force_login(make_user("editor@example.com", is_staff=True))
    response = client.get("/articles/draft/")
    assert response.status_code == 200
    assert "only staff can see this" in response.content.decode()
    assert '<meta name="robots" content="noindex">' in response.content.decode()


@pytest.mark.django_db
def test_the_index_filters_by_tag_and_searches(client: Client) -> None:
    pelvis = Tag.objects.create(name="Pelvis", slug="pelvis")
    make_article("pelvic-floor", title="Pelvic floor basics").tags.add(pelvis)
    make_article("sleep", title="Sleeping with SI pain", body="Pillows between the knees.")

    tagged = client.get("/articles/?tag=pelvis").content.decode()
    assert "Pelvic floor basics" in tagged
    assert "Sleeping with SI pain" not in tagged

    found = client.get("/articles/?q=pillows").content.decode()
    assert "Sleeping with SI pain" in found
    assert "Pelvic floor basics" not in found
    assert "1 article matching" in found

    assert client.get("/articles/?tag=no-such-tag").status_code == 404


@pytest.mark.django_db
def test_the_index_counts_only_approved_comments(client: Client) -> None:
    article = make_article()
    make_comment(article)
    make_comment(article, "held", status=Comment.Status.PENDING)
    make_comment(article, "junk", status=Comment.Status.SPAM)
    assert "1 comment" in client.get("/articles/").content.decode()
    assert "2 comments" not in client.get("/articles/").content.decode()


@pytest.mark.django_db
def test_the_index_makes_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries
) -> None:
    tag = Tag.objects.create(name="Self-care", slug="self-care")
    for n in range(12):
        make_article(f"article-{n}", title=f"Article {n}").tags.add(tag)
    with django_assert_max_num_queries(5):
        assert client.get("/articles/").status_code == 200


@pytest.mark.django_db
def test_the_article_page_has_contents_reading_time_meta_tags_and_canonical(
    client: Client, settings
) -> None:
    settings.SITE_URL = "https://homestretch.example.org"
    words = " ".join(["word"] * 450)
    article = make_article(
        "si-joint",
        title="SI joint pain",
        body=f"# Not a second title\n\n{words}\n\n## What helps\n\n### At home\n\nText.",
        summary="What may help an SI joint.",
        finder_badge="NS",
    )
    article.tags.add(Tag.objects.create(name="SI joint", slug="si-joint"))
    response = client.get("/articles/si-joint/")
    page = response.content.decode()
    assert _h1_count(page) == 1
    assert '<h2 id="h-not-a-second-title">Not a second title</h2>' in page
    assert '<a href="#h-what-helps">What helps</a>' in page
    assert '<li class="toc-level-3"><a href="#h-at-home">At home</a></li>' in page
    assert "3 min read" in page
    url = "https://homestretch.example.org/articles/si-joint/"
    assert f'<link rel="canonical" href="{url}">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:title" content="SI joint pain">' in page
    assert '<meta property="og:description" content="What may help an SI joint.">' in page
    assert '<meta property="article:tag" content="SI joint">' in page
    assert '<meta name="twitter:card" content="summary">' in page
    assert '<meta name="twitter:title" content="SI joint pain">' in page
    assert 'href="/finder/?badge=NS"' in page
    assert 'type="application/atom+xml"' in page


@pytest.mark.django_db
def test_the_article_page_with_500_comments_makes_at_most_8_queries(
    client: Client, django_assert_max_num_queries
) -> None:
    article = make_article()
    member = make_alice()
    tops = Comment.objects.bulk_create(
        Comment(
            article=article,
            name=f"Reader {n}",
            email=f"reader{n}@example.net",
            body=f"Comment {n}",
            body_html=f"<p>Comment {n}</p>",
            status=Comment.Status.APPROVED,
        )
        for n in range(250)
    )
    Comment.objects.bulk_create(
        Comment(
            article=article,
            parent=tops[n],
            user=member,
            body=f"Reply {n}",
            body_html=f"<p>Reply {n}</p>",
            status=Comment.Status.APPROVED,
        )
        for n in range(250)
    )
    with django_assert_max_num_queries(8):
        response = client.get(f"/articles/{article.slug}/")
    page = response.content.decode()
    assert "Comments (500)" in page
    assert "Reply 249" in page

    # Signed in, the foundation adds its own per-person queries (allauth's session
    # tracking, roles and permissions for the header); this page's own stay at four.
    client.force_login(member)
    client.get(f"/articles/{article.slug}/")  # the first visit records the session
    with django_assert_max_num_queries(14) as queries:
        assert client.get(f"/articles/{article.slug}/").status_code == 200
    ours = [q["sql"] for q in queries.captured_queries if '"articles_' in q["sql"]]
    assert len(ours) == 4  # article, tags, comments, related sequences


@pytest.mark.django_db
def test_related_sequences_show_as_cards_when_published(client: Client) -> None:
    from homestretch.library.testing import make_sequence

    article = make_article("si-joint")
    article.related_sequences.add(
        make_sequence("side-lying", title="Side-lying stability"),
        make_sequence("secret", title="Unpublished draft", status="draft"),
    )
    page = client.get("/articles/si-joint/").content.decode()
    assert 'href="/library/side-lying/"' in page
    assert "Unpublished draft" not in page
