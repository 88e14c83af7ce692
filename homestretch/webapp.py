"""The installable app: its manifest, the service worker at the site's root, the offline page.

The service worker (static/js/sw.js) is served from /sw.js so its scope is the whole site;
its cache is named after a hash of the worker and the app shell it keeps, so a deploy that
changes either installs a new worker that drops the old cache.
"""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

# Static files the offline app needs: what every page links, and the icons.
SHELL_STATIC = (
    "css/site.css",
    "vendor/htmx.min.js",
    "js/sw-register.js",
    "favicon.svg",
    "icons/icon.svg",
    "icons/icon-192.png",
)


def _file_bytes(name: str) -> bytes:
    path = finders.find(name)
    if not path:
        return name.encode()  # vendor files absent in a test run: the name still counts
    with open(path if isinstance(path, str) else path[0], "rb") as f:
        return f.read()


def _worker() -> tuple[str, str]:
    """The worker's source and its version: a hash of it, the shell's URLs and contents."""
    source = _file_bytes("js/sw.js").decode()
    shell = ["/offline/", *(static(name) for name in SHELL_STATIC)]
    digest = hashlib.sha256(source.encode())
    for name, url in zip(SHELL_STATIC, shell[1:], strict=True):
        digest.update(url.encode())
        digest.update(_file_bytes(name))
    version = digest.hexdigest()[:16]
    header = f"const VERSION = {json.dumps(version)};\nconst SHELL = {json.dumps(shell)};\n"
    return header + source, version


_cached_worker = lru_cache(maxsize=1)(_worker)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    source, _ = _worker() if settings.DEBUG else _cached_worker()
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    # Browsers check for a new worker on every navigation; never a stale one from a cache.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME[:12],
        "description": "Guided self-care sequences, your program and your homework.",
        "start_url": "/me/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f6f5c",
        "icons": [
            {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {
                "src": static("icons/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
                "purpose": "any maskable",
            },
            {
                "src": static("icons/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "any maskable",
            },
        ],
    }
    return HttpResponse(json.dumps(data), content_type="application/manifest+json")


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "offline.html")
