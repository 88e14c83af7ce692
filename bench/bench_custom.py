"""Playlists of a 20-move custom sequence: time per generation, and queries per move.

Each round builds what a player fetches when it starts: the master playlist, one
rendition's joined playlist and the moves' timeline, with the stored playlist texts
in the cache as they are after the first viewer (an encoding's files never change).
Target: p50 ≤ 5 ms, and the same number of queries as for a 2-move one.
Run: .venv/bin/python bench/bench_custom.py
"""

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _setup import django_on, p, python_reference, timed

ROUNDS = 300


def main() -> None:
    django_on()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from homestretch.accounts.models import User
    from homestretch.custom import playback
    from homestretch.custom.testing import item, make_custom, make_source
    from homestretch.finder.testing import make_instructor

    owner = User.objects.create_user("bench-teacher@example.com", display_name="Bench")
    make_instructor("Bench Teacher", user=owner, badges=("NS",))
    chapters = ((0, "A"), (3, "B"), (9, "C"), (13, "D"))
    sources = [make_source(f"bench-{n}", chapters=chapters) for n in range(5)]
    starts = [start for start, _ in chapters]
    twenty = make_custom(owner, [item(sources[n % 5], starts[n % 4]) for n in range(20)])
    two = make_custom(owner, [item(sources[0], 3), item(sources[1], 9)], title="Two")

    def generate(version) -> int:  # type: ignore[no-untyped-def]
        joined = playback.Joined(playback.items_of(version))
        joined.master(viewer=owner.pk, version=version)
        joined.variant(viewer=owner.pk, rendition="360p")
        return len(joined.timeline())

    def queries(version) -> int:  # type: ignore[no-untyped-def]
        with CaptureQueriesContext(connection) as captured:
            generate(version)
        return len(captured)

    generate(twenty)  # fills the cache with the stored texts
    times = timed(lambda: generate(twenty), ROUNDS)
    print(
        "20-move custom sequence, master + variant + timeline: "
        f"p50 {statistics.median(times):.2f} ms, "
        f"p95 {p(times, 95):.2f} ms over {ROUNDS} rounds (target p50 ≤ 5 ms)"
    )
    print(f"Queries: {queries(twenty)} for 20 moves, {queries(two)} for 2")
    print("Bytes re-encoded: 0 (segments are the sources' own)")
    print(python_reference())


if __name__ == "__main__":
    main()
