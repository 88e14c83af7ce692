"""A custom sequence's printable handout, as a page and as a PDF: its moves with their
frames and cues, the note to the client, a link and QR code to the watch page; for whoever
may see the watch page, as the version they see there."""

import base64
import re
import sys
import zlib
from io import BytesIO

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from homestretch.accounts.models import User
from homestretch.accounts.testing import log_in, make_alice, make_bob, make_charlie, make_user
from homestretch.custom import handout, services
from homestretch.custom.models import CustomSequence, CustomSequenceVersion
from homestretch.custom.testing import item, make_custom, make_source
from homestretch.finder.models import Instructor
from homestretch.homework import services as homework
from homestretch.homework.models import Assignment
from homestretch.homework.testing import assign_custom, make_consent, make_teacher
from homestretch.library.models import Sequence

pytestmark = [pytest.mark.django_db, pytest.mark.also_s3]
COLOURS = [(200, 30, 30), (30, 160, 30), (30, 30, 200), (220, 200, 20)]


def _sprite(sequence: Sequence) -> None:
    """A seek-bar sprite of four 4-second thumbnails in four colours, as media.py makes."""
    assert sequence.encoding is not None
    folder = sequence.encoding.relative_dir
    sprite = Image.new("RGB", (4 * 32, 18))
    cues = ["WEBVTT", ""]
    for n, colour in enumerate(COLOURS):
        sprite.paste(Image.new("RGB", (32, 18), colour), (n * 32, 0))
        cues += [
            f"00:00:{n * 4:02d}.000 --> 00:00:{n * 4 + 4:02d}.000",
            f"thumbs.jpg#xywh={n * 32},0,32,18",
            "",
        ]
    out = BytesIO()
    sprite.save(out, "JPEG", quality=95)
    default_storage.save(f"{folder}/thumbs.jpg", ContentFile(out.getvalue()))
    default_storage.save(f"{folder}/thumbs.vtt", ContentFile("\n".join(cues).encode()))


def _colour(uri: str) -> tuple[int, int, int]:
    assert uri.startswith("data:image/jpeg;base64,")
    with Image.open(BytesIO(base64.b64decode(uri.split(",", 1)[1]))) as image:
        pixel = image.convert("RGB").getpixel((image.width // 2, image.height // 2))
    assert isinstance(pixel, tuple)
    return pixel[0], pixel[1], pixel[2]


def _near(colour: tuple[int, int, int], expected: tuple[int, int, int]) -> bool:
    return all(abs(a - b) < 40 for a, b in zip(colour, expected, strict=True))


def _sequence(owner: User | None = None) -> tuple[User, CustomSequenceVersion]:
    """Bob's custom sequence of four moves, saved twice: version 2 renames and re-cues."""
    bob = owner or make_bob()
    make_teacher(bob)
    clock = make_source("pelvic-clock")  # chapters at 0 and 6 s, 18 s long
    bridges = make_source("bridges", chapters=((0, "Bridge"), (5, "Ribs")))
    _sprite(clock)
    first = make_custom(bob, [item(clock, 6, reps=10), item(bridges, 0)], note="Version one.")
    second = services.custom_sequence_save(
        owner=bob,
        title="SI joint rescue, week 2",
        note="Slowly, and breathe out on the effort.",
        items=[
            item(clock, 6, reps=10, side="left", note="Knees soft"),
            item(bridges, 5, hold_seconds=20, rest_seconds=15),
            item(clock, 0, reps=5),
            item(bridges, 0, side="both"),
        ],
        custom_sequence=first.custom_sequence,
    )
    return bob, second


def _page(client: Client, custom: CustomSequence, query: str = "") -> tuple[int, str]:
    response = client.get(f"/custom/{custom.pk}/handout/{query}")
    return response.status_code, response.content.decode()


def test_the_owner_reads_the_latest_version_a_few_moves_a_page() -> None:
    bob, version = _sequence()
    custom = version.custom_sequence
    status, html = _page(log_in(bob), custom)
    assert status == 200
    assert "<h1>SI joint rescue, week 2</h1>" in html
    assert "Slowly, and breathe out on the effort." in html
    for title in ("Pelvic Clock", "Ribs", "Warm Up", "Bridge"):
        assert title.lower() in html.lower()
    assert "10 reps · left" in html
    assert "Knees soft" in html
    assert "hold 20 s" in html
    assert "Then rest 15 s." in html
    assert "5 reps" in html
    assert "both sides" in html
    # Four moves, three a page: two sheets, each printed on its own page.
    assert html.count('<section class="handout-sheet">') == 2
    # The watch page's address in full, and its QR code.
    watch_url = f"{settings.SITE_URL.rstrip('/')}/custom/{custom.pk}/"
    assert f'href="{watch_url}"' in html
    assert handout.qr_code(watch_url) in html
    assert 'src="data:image/svg+xml' in html
    # The move from pelvic-clock (6-18 s) shows the sprite's frame from its middle (12 s).
    frames = re.findall(r'class="handout-frame" src="([^"]+)"', html)
    assert len(frames) == 2  # bridges has no sprite, and its poster is no real picture
    assert _near(_colour(frames[0]), COLOURS[3])
    assert _near(_colour(frames[1]), COLOURS[0])  # 0-6 s: the frame at 3 s
    assert html.count("handout-no-frame") == 2
    assert 'href="/static/css/handout.css"' in html
    assert f'href="/custom/{custom.pk}/handout.pdf?v=2"' in html


def test_a_version_is_asked_by_its_number_and_a_bad_one_is_a_404() -> None:
    bob, version = _sequence()
    client = log_in(bob)
    status, html = _page(client, version.custom_sequence, "?v=1")
    assert status == 200
    assert "<h1>SI joint rescue</h1>" in html
    assert "Version one." in html
    assert "Ribs" not in html
    for bad in ("?v=3", "?v=0", "?v=two", "?v="):
        assert _page(client, version.custom_sequence, bad)[0] == 404


def test_nobody_else_reads_an_unpublished_one() -> None:
    _, version = _sequence()
    custom = version.custom_sequence
    other = make_user("olga@example.com", display_name="Olga")
    make_teacher(other)
    for client in (Client(), log_in(other), log_in(make_charlie())):
        assert _page(client, custom)[0] == 404
        assert client.get(f"/custom/{custom.pk}/handout.pdf").status_code == 404
    assert Client().get("/custom/999999/handout/").status_code == 404


def test_a_published_one_is_anyones_to_read_as_its_latest_version() -> None:
    _, version = _sequence()
    custom = version.custom_sequence
    custom.status, custom.slug = CustomSequence.Status.PUBLISHED, "si-joint-rescue"
    custom.save()
    status, html = _page(Client(), custom)  # no account, no subscription
    assert status == 200
    assert "<h1>SI joint rescue, week 2</h1>" in html
    assert f'href="{settings.SITE_URL.rstrip("/")}/library/custom/si-joint-rescue/"' in html
    assert _page(Client(), custom, "?v=2")[0] == 200
    assert _page(Client(), custom, "?v=1")[0] == 404  # earlier versions stay the owner's


def _assign(bob: User, version: CustomSequenceVersion) -> tuple[User, Assignment]:
    alice = make_alice()
    consent = make_consent(Instructor.objects.get(user=bob), alice)
    assignment = assign_custom(consent, version)
    return alice, assignment


def test_the_client_reads_the_version_assigned_to_them_while_they_share() -> None:
    bob, second = _sequence()
    custom = second.custom_sequence
    first = custom.versions.get(number=1)
    alice, assignment = _assign(bob, first)
    client = log_in(alice)
    status, html = _page(client, custom)
    assert status == 200
    assert "<h1>SI joint rescue</h1>" in html  # version 1, as assigned, not the latest
    homework_url = f"{settings.SITE_URL.rstrip('/')}/me/homework/{assignment.pk}/custom/"
    assert f'href="{homework_url}"' in html
    assert handout.qr_code(homework_url) in html
    assert _page(client, custom, "?v=2")[0] == 404  # not given to her
    # The owner's link on a handout leads the client to her homework's page.
    response = client.get(f"/custom/{custom.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/me/homework/{assignment.pk}/custom/"
    # The homework page offers the handout of the version it plays.
    page = client.get(f"/me/homework/{assignment.pk}/custom/").content.decode()
    assert f'href="/custom/{custom.pk}/handout/?v=1"' in page
    homework.consent_revoke(consent=assignment.consent)
    assert _page(client, custom)[0] == 404
    assert client.get(f"/custom/{custom.pk}/").status_code == 404


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF's objects as text: WeasyPrint packs them into compressed object streams."""
    parts = [pdf]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _titles(text: bytes) -> list[str]:
    """Every /Title string: the bookmarks' (one per heading) and the document's."""
    titles = []
    for literal, hex_ in re.findall(rb"/Title (?:\(((?:[^()\\]|\\.)*)\)|<([0-9a-fA-F]+)>)", text):
        if hex_:
            titles.append(bytes.fromhex(hex_.decode()).decode("utf-16"))
        else:
            titles.append(literal.decode("latin-1"))
    return titles


def test_the_pdf_is_the_same_handout_to_download() -> None:
    bob, version = _sequence()
    custom = version.custom_sequence
    response = log_in(bob).get(f"/custom/{custom.pk}/handout.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="si-joint-rescue-week-2-v2.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    text = _pdf_text(pdf)
    assert re.search(rb"/Type /Pages/Kids \[[^\]]*\]/Count 2\b", text), "two pages"
    # Its bookmarks (the title, then each move), then the document's own title.
    assert _titles(text) == [
        "SI joint rescue, week 2",
        *("1. Pelvic clock", "2. Ribs", "3. Warm up", "4. Bridge"),
        "SI joint rescue, week 2 · Homestretch",
    ]
    watch_url = f"{settings.SITE_URL.rstrip('/')}/custom/{custom.pk}/"
    assert f"/URI ({watch_url})".encode() in text
    assert text.count(b"/Subtype /Image") == 2  # the two frames


def test_without_pango_the_pdf_says_so_and_the_page_still_prints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bob, version = _sequence()
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # its import fails, as without Pango
    client = log_in(bob)
    response = client.get(f"/custom/{version.custom_sequence.pk}/handout.pdf")
    assert response.status_code == 503
    assert "print the handout page instead" in response.content.decode()
    assert _page(client, version.custom_sequence)[0] == 200


def test_the_watch_page_and_the_builder_link_to_the_handout() -> None:
    bob, version = _sequence()
    custom = version.custom_sequence
    client = log_in(bob)
    watch = client.get(f"/custom/{custom.pk}/").content.decode()
    assert f'href="/custom/{custom.pk}/handout/?v=2">Print handout</a>' in watch
    assert f'href="/custom/{custom.pk}/handout.pdf?v=2">Download PDF</a>' in watch
    builder = client.get(f"/studio/sequences/{custom.pk}/edit/").content.decode()
    assert f'href="/custom/{custom.pk}/handout/">Print handout</a>' in builder
    assert f'href="/custom/{custom.pk}/handout.pdf">Download PDF</a>' in builder


def test_a_move_whose_source_is_gone_is_printed_without_a_picture() -> None:
    bob, version = _sequence()
    Sequence.objects.filter(slug="bridges").delete()
    status, html = _page(log_in(bob), version.custom_sequence)
    assert status == 200
    assert "Ribs" in html  # the item keeps its title
    assert html.count("handout-no-frame") == 2
