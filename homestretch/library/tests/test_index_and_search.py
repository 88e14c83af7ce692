from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from homestretch.library.models import Chapter, Collection, CollectionItem, Equipment, FocusArea
from homestretch.library.services import sequence_reindex
from homestretch.library.testing import make_encoded, make_sequence

VTT = """WEBVTT

00:00:01.000 --> 00:00:04.000
Lie on your back and let the floor take your weight.

00:01:05.000 --> 00:01:09.000
Now roll the pelvis towards twelve o'clock.
"""


def _indexed(slug: str, **fields: object):
    sequence = make_sequence(slug, **fields)
    sequence_reindex(sequence=sequence)
    return sequence


@pytest.mark.django_db
def test_search_finds_titles_and_descriptions(client: Client) -> None:
    _indexed("morning-reset", title="Morning reset", description="Wake the pelvis gently")
    _indexed("evening", title="Evening wind-down", description="Let go before sleep")
    page = client.get("/library/?q=pelvis").content.decode()
    assert "Morning reset" in page
    assert "Evening wind-down" not in page
    assert "1 sequence for “pelvis”" in page


@pytest.mark.django_db
def test_a_hit_in_a_transcript_links_to_its_moment(client: Client) -> None:
    sequence = make_sequence("pelvic-clock", title="Pelvic clock")
    sequence.captions.create(language="en", label="English", vtt=VTT)
    Chapter.objects.create(sequence=sequence, title="Twelve and six", start_seconds=50)
    sequence_reindex(sequence=sequence)
    page = client.get("/library/?q=twelve").content.decode()
    assert 'href="/library/pelvic-clock/?t=65"' in page
    assert "roll the pelvis towards twelve" in page
    assert 'href="/library/pelvic-clock/?t=50"' in page  # the chapter


@pytest.mark.django_db
def test_every_word_must_match_as_a_prefix(client: Client) -> None:
    _indexed("a", title="Pelvic clock", description="slow circles")
    _indexed("b", title="Pelvic floor", description="gentle lifts")
    page = client.get("/library/?q=pelv+circ").content.decode()
    assert "Pelvic clock" in page
    assert "Pelvic floor" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        '"',
        "pelvis*",
        "NEAR(a b)",
        "a OR",
        "-x",
        "col:val",
        "'); DROP TABLE x;--",
        "(((",
        "^",
        "\\",
        "AND",
        "💥",
    ],
)
def test_fts_syntax_never_errors(client: Client, query: str) -> None:
    _indexed("a", title="Pelvic clock")
    response = client.get("/library/", {"q": query})
    assert response.status_code == 200


@pytest.mark.django_db
def test_drafts_and_scheduled_sequences_are_not_found(client: Client) -> None:
    _indexed("draft", title="Secret pelvis draft", status="draft")
    _indexed("later", title="Future pelvis", publish_at=timezone.now() + timedelta(days=2))
    page = client.get("/library/?q=pelvis").content.decode()
    assert "0 sequences" in page


@pytest.mark.django_db
def test_filters_narrow_the_list(client: Client) -> None:
    pelvis = FocusArea.objects.create(name="Pelvis", slug="pelvis")
    strap = Equipment.objects.create(name="Strap", slug="strap")
    short = make_sequence("short", title="Short one", duration_seconds=300, level="gentle")
    short.focus_areas.add(pelvis)
    short.equipment.add(strap)
    make_sequence("long", title="Long one", duration_seconds=1800, level="strong")
    assert "Short one" in client.get("/library/?max_minutes=10").content.decode()
    assert "Long one" not in client.get("/library/?max_minutes=10").content.decode()
    assert "Long one" in client.get("/library/?level=strong").content.decode()
    only = client.get("/library/?focus=pelvis&equipment=strap").content.decode()
    assert "Short one" in only
    assert "Long one" not in only
    bad = client.get("/library/?max_minutes=-4")
    assert bad.status_code == 200
    assert "greater than or equal to 1" in bad.content.decode()


@pytest.mark.django_db
def test_shelves_show_new_coming_soon_and_collections(client: Client) -> None:
    make_encoded("fresh", title="Fresh one", publish_at=timezone.now() - timedelta(days=2))
    make_sequence("old", title="Old one", publish_at=timezone.now() - timedelta(days=30))
    make_encoded("next", title="Next week one", publish_at=timezone.now() + timedelta(days=5))
    collection = Collection.objects.create(title="Start here", slug="start-here")
    CollectionItem.objects.create(
        collection=collection, sequence=make_sequence("c", title="In a collection")
    )
    page = client.get("/library/").content.decode()
    new_section = page[page.index("New this week") : page.index("Coming soon")]
    assert "Fresh one" in new_section
    assert "Old one" not in new_section
    soon = page[page.index("Coming soon") : page.index("Start here")]
    assert "Next week one" in soon
    assert 'href="/library/next/"' not in page  # no link, let alone a playable URL
    assert "/library/next/media/" not in page
    assert "In a collection" in page


@pytest.mark.django_db
def test_the_library_page_query_count_does_not_grow(
    client: Client, django_assert_max_num_queries
) -> None:
    focus = FocusArea.objects.create(name="Pelvis", slug="pelvis")
    collection = Collection.objects.create(title="All", slug="all")
    for n in range(30):
        sequence = make_encoded(f"s{n}", publish_at=timezone.now() - timedelta(days=n % 10))
        sequence.focus_areas.add(focus)
        CollectionItem.objects.create(collection=collection, sequence=sequence, position=n)
    with django_assert_max_num_queries(12):
        assert client.get("/library/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/library/?q=s1&focus=pelvis").status_code == 200
