"""Article page with 500 approved comments, and the articles feed, timed in-process.

Sets Django up itself against a throwaway SQLite database in a temporary folder, creates
an article with 250 comments and 250 replies, then times requests through Django's test
client (the whole middleware stack and template rendering, no network). Prints the median
(p50) and p90 of the server time, and shows the feed being served from its cache.
"""

import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROUNDS = 200


def _setup(folder: Path) -> None:
    os.environ.update(
        {
            "DEBUG": "false",
            "HTTPS": "false",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
            "VAR_DIR": str(folder),
            "TASKS_BACKEND": "immediate",
            "EMAIL_URL": "locmem://",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homestretch.settings")
    # WhiteNoise looks for collected static files; the benchmark serves none.
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django
    from django.conf import settings

    django.setup()
    # Static files from their sources, as in the tests: no collectstatic needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _data() -> str:
    from homestretch.accounts.testing import make_user
    from homestretch.articles.models import Comment
    from homestretch.articles.testing import make_article
    from homestretch.lib.markdown import render_comment

    article = make_article("five-hundred", title="An article with 500 comments")
    member = make_user("reader@example.com", display_name="Reader")
    body = "Thank you, *this* helped. See [the program](https://example.org/programs/)."
    html = render_comment(body)
    tops = Comment.objects.bulk_create(
        Comment(
            article=article,
            name=f"Visitor {n}",
            email=f"v{n}@example.net",
            body=body,
            body_html=html,
            status=Comment.Status.APPROVED,
        )
        for n in range(250)
    )
    Comment.objects.bulk_create(
        Comment(
            article=article,
            parent=tops[n],
            user=member,
            body=body,
            body_html=html,
            status=Comment.Status.APPROVED,
        )
        for n in range(250)
    )
    return article.get_absolute_url()


def _time(client: object, url: str, rounds: int) -> list[float]:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    return timings


def _summary(timings: list[float]) -> str:
    ordered = sorted(timings)
    p90 = ordered[int(len(ordered) * 0.9) - 1]
    return f"p50 {statistics.median(ordered):.1f} ms, p90 {p90:.1f} ms over {len(ordered)} requests"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="homestretch-bench-") as folder:
        _setup(Path(folder))
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        url = _data()
        client = Client()
        _time(client, url, 20)  # warm up: templates compiled, connections open
        # Counted at once: the next request resets the log the capture reads from.
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        page_queries = len(queries)
        assert "Comments (500)" in page
        print(f"article page, 500 comments: {_summary(_time(client, url, ROUNDS))}")
        print(f"  {page_queries} queries per request, {len(page) // 1024} KiB of HTML")

        cache.clear()
        start = time.perf_counter()
        client.get("/articles/feed/")
        miss = (time.perf_counter() - start) * 1000
        with CaptureQueriesContext(connection) as queries:
            client.get("/articles/feed/")
        feed_queries = len(queries)
        hits = _time(client, "/articles/feed/", ROUNDS)
        print(f"feed, first request (built, then cached): {miss:.1f} ms")
        print(f"feed from cache: {_summary(hits)}, {feed_queries} query (the freshness check)")
        connection.close()


if __name__ == "__main__":
    main()
