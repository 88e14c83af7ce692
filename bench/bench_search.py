"""Search over 10,000 sequences with transcripts: p50 and p95 per query, on SQLite and,
when a server answers, on PostgreSQL (each in its own process).

Target (issue 3): p95 <= 30 ms on both. Run: .venv/bin/python bench/bench_search.py
"""

import random
import statistics
import sys
from datetime import timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on, on_each_database, p, timed

WORDS = [
    "breathe",
    "pelvis",
    "knee",
    "sway",
    "roll",
    "floor",
    "spine",
    "hip",
    "lift",
    "lower",
    "slowly",
    "gentle",
    "clock",
    "twelve",
    "rest",
    "heel",
    "wall",
    "strap",
    "arch",
    "toe",
    "shoulder",
    "rib",
    "exhale",
    "inhale",
    "soften",
    "release",
    "hold",
    "balance",
    "bridge",
    "peel",
    "vertebra",
    "weight",
    "shift",
    "level",
    "steady",
    "glute",
    "floor",
    "cushion",
    "chair",
    "wrist",
]
QUERIES = [
    "pelvis",
    "breathe slowly",
    "knee sway",
    "vertebra",
    "glute bridge",
    "twel",
    "wall heel",
    "zzz",
]
SEQUENCES = 10_000
CUES_PER_SEQUENCE = 20


def run(database_url: str | None) -> None:
    django_on(database_url)
    from django.db import connection
    from django.utils import timezone

    from homestretch.library.models import SearchEntry, Sequence
    from homestretch.library.search import search

    rng = random.Random(7)
    now = timezone.now()
    Sequence.objects.bulk_create(
        (
            Sequence(
                title=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {n}",
                slug=f"s-{n}",
                status=Sequence.Status.PUBLISHED,
                publish_at=now - timedelta(hours=n),
            )
            for n in range(SEQUENCES)
        ),
        batch_size=2000,
    )
    ids = list(Sequence.objects.values_list("pk", flat=True))
    batch: list[SearchEntry] = []
    for pk in ids:
        batch.append(
            SearchEntry(sequence_id=pk, kind="title", text=" ".join(rng.choices(WORDS, k=3)))
        )
        for cue in range(CUES_PER_SEQUENCE):
            text = " ".join(rng.choices(WORDS, k=9))
            batch.append(
                SearchEntry(sequence_id=pk, kind="transcript", text=text, start_seconds=cue * 4)
            )
        if len(batch) > 20_000:
            SearchEntry.objects.bulk_create(batch, batch_size=5000)
            batch = []
    SearchEntry.objects.bulk_create(batch, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE library_searchentry")
    entries = SearchEntry.objects.count()
    print(f"{connection.vendor}: {SEQUENCES} sequences, {entries} search entries")
    all_times = []
    for query in QUERIES:
        search(query)  # warm
        times = timed(partial(search, query), 40)
        all_times += times
        print(
            f"  {query!r:18} hits {len(search(query)):4}   p50 {statistics.median(times):6.2f} ms"
            f"   p95 {p(times, 95):6.2f} ms"
        )
    print(f"  all queries: p95 {p(all_times, 95):.2f} ms (target <= 30 ms)")


def main() -> None:
    on_each_database(__file__, run)


if __name__ == "__main__":
    main()
