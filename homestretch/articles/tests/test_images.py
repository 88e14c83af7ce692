from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from homestretch.accounts.testing import make_user
from homestretch.articles.models import Article
from homestretch.articles.testing import make_article
from homestretch.lib.images import resize_image

pytestmark = pytest.mark.also_s3


def _jpeg(width: int, height: int, *, with_exif: bool = False) -> SimpleUploadedFile:
    image = Image.new("RGB", (width, height), (120, 160, 140))
    out = BytesIO()
    if with_exif:
        exif = Image.Exif()
        exif[0x010F] = "Camera maker"  # Make
        exif[0x0112] = 6  # Orientation: rotate 90° to display
        image.save(out, format="JPEG", exif=exif)
    else:
        image.save(out, format="JPEG")
    return SimpleUploadedFile("holiday photo.jpg", out.getvalue(), content_type="image/jpeg")


def test_a_large_image_is_scaled_down_turned_upright_and_stripped_of_exif() -> None:
    resized = resize_image(_jpeg(4000, 2000, with_exif=True), max_side=1600)
    image = Image.open(resized)
    assert image.format == "JPEG"
    assert image.size == (800, 1600)  # rotated by its orientation tag, then scaled
    assert dict(image.getexif()) == {}
    assert resized.name == "holiday photo.jpg"


def test_a_small_image_keeps_its_size() -> None:
    assert Image.open(resize_image(_jpeg(300, 200))).size == (300, 200)


def test_a_file_that_is_not_an_image_is_refused() -> None:
    fake = SimpleUploadedFile("x.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="not an image we can read"):
        resize_image(fake)
    gif = BytesIO()
    Image.new("RGB", (10, 10)).save(gif, format="GIF")
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
        resize_image(SimpleUploadedFile("x.gif", gif.getvalue()))


@pytest.mark.django_db
def test_staff_write_an_article_in_the_admin_with_a_resized_cover(
    client: Client, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.STAFF_REQUIRE_2FA = False
    editor = make_user("editor@example.com", is_staff=True, is_superuser=True)
    client.force_login(editor)
    response = client.post(
        "/admin/articles/article/add/",
        {
            "title": "Sitting without pain",
            "slug": "sitting-without-pain",
            "summary": "Small changes to how you sit.",
            "body": "## Your chair\n\nFeet flat.",
            "status": "published",
            "published_at_0": "2024-01-02",
            "published_at_1": "10:00:00",
            "author": editor.pk,
            "comments_open": "on",
            "cover": _jpeg(3000, 1500),
            "cover_alt": "A chair by a window",
            "finder_badge": "NS",
            "images-TOTAL_FORMS": "0",
            "images-INITIAL_FORMS": "0",
            "images-MIN_NUM_FORMS": "0",
            "images-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert '<h2 id="h-your-chair">Your chair</h2>' in article.body_html
    assert article.toc == [{"level": 2, "text": "Your chair", "anchor": "h-your-chair"}]
    page = client.get("/articles/sitting-without-pain/").content.decode()
    assert 'alt="A chair by a window"' in page
    cover = client.get(article.cover_url)
    assert cover.status_code == 200
    assert Image.open(BytesIO(cover.getvalue())).size == (1600, 800)
    assert f'src="{article.cover_url}"' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page


@pytest.mark.django_db
def test_an_article_cannot_take_a_slug_the_site_uses() -> None:
    article = make_article()
    article.slug = "feed"
    with pytest.raises(ValidationError, match="taken by the site"):
        article.full_clean()
