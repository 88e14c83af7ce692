from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from homestretch.library.models import Chapter, Collection, CollectionItem, Equipment, FocusArea
from homestretch.library.search import edit_distance, search_forgiving
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
    assert "roll the pelvis towards <mark>twelve</mark> o&#x27;clock" in page
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


def test_edit_distance_counts_a_swap_as_one_edit() -> None:
    assert edit_distance("pelvsi", "pelvis", 2) == 1
    assert edit_distance("stabilty", "stability", 2) == 1
    assert edit_distance("pelvis", "pelvis", 2) == 0
    assert edit_distance("pelvis", "shoulder", 2) == 3  # over the limit


@pytest.mark.django_db
def test_a_misspelt_word_finds_what_it_meant_and_says_so(client: Client) -> None:
    _indexed("pelvic-clock", title="Pelvic clock", description="Circle the pelvis slowly")
    _indexed("stability", title="Hip stability", description="Stand on one leg")
    page = client.get("/library/?q=pelvsi").content.decode()
    assert "1 sequence for “pelvsi”" in page
    assert "these are for “<strong>pelvis</strong>”" in page
    assert ">Pelvic clock</a>" in page
    assert "Circle the <mark>pelvis</mark> slowly" in page
    # A known word stays as typed; only the unknown one is corrected.
    assert search_forgiving("hip stabilty").corrected == "hip stability"
    assert search_forgiving("pelvis").corrected == ""
    # Nothing close: nothing found, nothing claimed.
    assert search_forgiving("xylophone").corrected == ""
    assert search_forgiving("xylophone").hits == []
    # Short words have too many neighbours to guess.
    assert search_forgiving("hop").hits == []


@pytest.mark.django_db
def test_the_vocabulary_follows_a_reindex() -> None:
    sequence = _indexed("s", title="Shoulder rolls")
    assert search_forgiving("pelvsi").hits == []
    sequence.title = "Pelvis rolls"
    sequence.save()
    sequence_reindex(sequence=sequence)
    assert search_forgiving("pelvsi").corrected == "pelvis"


@pytest.mark.django_db
def test_results_are_compact_cards_with_the_matched_line(client: Client) -> None:
    sequence = make_sequence("pelvic-clock", title="Pelvic clock")
    sequence.captions.create(language="en", label="English", vtt=VTT)
    sequence_reindex(sequence=sequence)
    page = client.get("/library/?q=floor").content.decode()
    assert page.count('class="result-card"') == 1
    assert 'class="seq-card"' not in page  # the big poster cards are for shelves
    assert "let the <mark>floor</mark> take your weight" in page


@pytest.mark.django_db
def test_continue_watching_says_how_far_each_sequence_got(client: Client) -> None:
    from homestretch.accounts.testing import make_alice
    from homestretch.library.models import WatchProgress

    alice = make_alice()
    sequence = make_sequence("long-one", title="Long one", duration_seconds=1800)
    WatchProgress.objects.create(user=alice, sequence=sequence, position_seconds=725)
    client.force_login(alice)
    for path in ("/library/", "/"):
        page = client.get(path).content.decode()
        assert '<progress max="1800" value="725.0"' in page
        assert "12 of 30 min" in page
