import math
import random

import pytest

from homestretch.lib.geo import bounding_box, haversine_km, parse_coordinate


def test_haversine_matches_known_distances() -> None:
    # Berlin to Paris is about 878 km; a degree of latitude about 111.2 km.
    assert haversine_km(52.52, 13.405, 48.8566, 2.3522) == pytest.approx(878, abs=3)
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.19, abs=0.05)
    assert haversine_km(10, 20, 10, 20) == 0


def test_the_distance_across_the_antimeridian_is_short() -> None:
    # Taveuni (Fiji) sits on both sides of 180°: 0.2° of longitude, not 359.8°.
    assert haversine_km(-16.8, 179.9, -16.8, -179.9) == pytest.approx(21.3, abs=0.2)


def test_the_box_wraps_across_the_antimeridian() -> None:
    box = bounding_box(-16.8, 179.9, 50)
    assert len(box.lng_ranges) == 2
    assert box.contains(-16.8, -179.8)
    assert box.contains(-16.8, 179.5)
    assert not box.contains(-16.8, 0)


def test_near_a_pole_the_box_takes_every_longitude() -> None:
    box = bounding_box(89.8, 10, 50)
    assert box.lng_ranges == ((-180.0, 180.0),)
    assert box.max_lat == 90.0
    # A point just over the pole is 22 km away and must be inside.
    assert haversine_km(89.8, 10, 89.9, -170) < 50
    assert box.contains(89.9, -170)


def test_at_high_latitude_the_box_is_wide_enough() -> None:
    # At 80°N the circle's widest point lies north of its centre.
    box = bounding_box(80, 0, 200)
    _west, east = box.lng_ranges[0]
    assert east > math.degrees(200 / 6371 / math.cos(math.radians(80)))


def test_the_box_never_leaves_out_a_point_within_the_radius() -> None:
    rng = random.Random(1)  # noqa: S311 - seeded test data
    for _ in range(3000):
        lat, lng = rng.uniform(-89.9, 89.9), rng.uniform(-180, 180)
        radius = rng.choice([5, 50, 500])
        box = bounding_box(lat, lng, radius)
        # A random point near the centre, in any direction.
        plat = max(-90.0, min(90.0, lat + rng.uniform(-6, 6)))
        plng = (lng + rng.uniform(-40, 40) + 540) % 360 - 180
        if haversine_km(lat, lng, plat, plng) <= radius:
            assert box.contains(plat, plng), (lat, lng, radius, plat, plng)


@pytest.mark.parametrize("text", ["abc", "", "nan", "inf", "91"])
def test_bad_latitudes_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(ValueError, match=r"number|between"):
        parse_coordinate(text, limit=90)
