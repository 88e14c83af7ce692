"""The installable app's files: the manifest, the service worker at the root, the offline page."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client


@pytest.mark.django_db
def test_the_service_worker_is_served_from_the_root_never_stale(client: Client) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    source = response.content.decode()
    assert source.startswith('const VERSION = "')
    assert '"/offline/"' in source
    # The worker never keeps videos or the API.
    assert "hls" not in source.split("const SHELL")[1].split("\n")[0]
    assert client.post("/sw.js").status_code == 405


@pytest.mark.django_db
def test_the_workers_version_follows_its_files(client: Client, settings, tmp_path) -> None:
    settings.DEBUG = True  # read afresh each time, as when developing
    first = client.get("/sw.js").content.decode().splitlines()[0]
    assert client.get("/sw.js").content.decode().splitlines()[0] == first
    changed = tmp_path / "css"
    changed.mkdir()
    (changed / "site.css").write_text("body { color: red; }")
    settings.STATICFILES_DIRS = [tmp_path]
    assert client.get("/sw.js").content.decode().splitlines()[0] != first


@pytest.mark.django_db
def test_the_manifest_names_the_site_and_its_icons(client: Client) -> None:
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["name"] == "Homestretch"
    assert data["display"] == "standalone"
    assert {icon["sizes"] for icon in data["icons"]} == {"any", "192x192", "512x512"}
    for icon in data["icons"]:
        assert finders.find(icon["src"].removeprefix("/static/")), icon["src"]


@pytest.mark.django_db
def test_every_page_links_the_manifest_and_the_offline_page_says_what_works(
    client: Client,
) -> None:
    page = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert "js/sw-register.js" in page
    offline = client.get("/offline/").content.decode()
    assert "You are offline" in offline
