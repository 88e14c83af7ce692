"""Library page with 1,000 published sequences: queries per request and server time.

Targets (issue 3): queries don't grow with the number of sequences (at most 12), and the
median server time is at most 25 ms. Run: .venv/bin/python bench/bench_library_page.py
"""

import statistics
import sys
from datetime import timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on, p, python_reference, timed


def main() -> None:
    django_on()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from homestretch.library.models import Collection, CollectionItem, FocusArea, Sequence

    focus = [FocusArea.objects.create(name=f"Area {n}", slug=f"area-{n}") for n in range(5)]
    now = timezone.now()
    Sequence.objects.bulk_create(
        Sequence(
            title=f"Sequence {n}",
            slug=f"sequence-{n}",
            status=Sequence.Status.PUBLISHED,
            publish_at=now - timedelta(hours=n),
            duration_seconds=600 + n,
        )
        for n in range(1000)
    )
    through = Sequence.focus_areas.through
    ids = list(Sequence.objects.values_list("pk", flat=True))
    through.objects.bulk_create(
        through(sequence_id=pk, focusarea_id=focus[pk % 5].pk) for pk in ids
    )
    collection = Collection.objects.create(title="Start here", slug="start-here")
    CollectionItem.objects.bulk_create(
        CollectionItem(collection=collection, sequence_id=pk, position=i)
        for i, pk in enumerate(ids[:20])
    )

    client = Client()
    for url in ("/library/", "/library/?focus=area-1&max_minutes=30", "/library/?page=20"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        count = len(queries.captured_queries)  # before the next request resets the log
        times = timed(partial(client.get, url), 60)
        print(
            f"{url:40} queries {count:3}   "
            f"p50 {statistics.median(times):6.1f} ms   p95 {p(times, 95):6.1f} ms"
        )
    print("targets: queries <= 12 (not growing with sequences), p50 <= 25 ms")
    print(python_reference())


if __name__ == "__main__":
    main()
