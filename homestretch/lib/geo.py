"""Distances on the Earth, and the boxes that bound them, without PostGIS.

A search is a bounding-box prefilter on indexed latitude/longitude columns (cheap in any
database), then the exact haversine distance in Python. The box must never be smaller
than the circle it stands for, so two edge cases are handled here:

1. Near a pole, a circle that reaches the pole contains every longitude: the box becomes
   a polar cap (all longitudes, latitude to the pole).
2. Across the antimeridian (longitude ±180), the box's longitudes wrap: it is returned as
   two longitude ranges, one each side.
"""

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """The great-circle distance between two points, in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Box:
    """Latitudes min_lat..max_lat; longitudes in any of the (west, east) ranges."""

    min_lat: float
    max_lat: float
    lng_ranges: tuple[tuple[float, float], ...]

    def contains(self, lat: float, lng: float) -> bool:
        return self.min_lat <= lat <= self.max_lat and any(
            west <= lng <= east for west, east in self.lng_ranges
        )


def bounding_box(lat: float, lng: float, radius_km: float) -> Box:
    """The smallest latitude/longitude box holding every point within radius_km.

    The longitude half-width comes from the point of the circle that reaches furthest
    east or west (Jan Matuschek, "Finding Points Within a Distance of a
    Latitude/Longitude Using Bounding Coordinates"), which lies north of the centre in
    the northern hemisphere: using the centre's latitude would cut it off.
    """
    angular = radius_km / EARTH_RADIUS_KM
    phi = math.radians(lat)
    min_phi, max_phi = phi - angular, phi + angular
    if max_phi >= math.pi / 2 or min_phi <= -math.pi / 2:
        # The circle reaches a pole: every longitude is within reach up there.
        return Box(
            min_lat=max(-90.0, math.degrees(min_phi)),
            max_lat=min(90.0, math.degrees(max_phi)),
            lng_ranges=((-180.0, 180.0),),
        )
    delta = math.degrees(math.asin(min(1.0, math.sin(angular) / math.cos(phi))))
    west, east = lng - delta, lng + delta
    min_lat, max_lat = math.degrees(min_phi), math.degrees(max_phi)
    if west < -180.0:
        ranges: tuple[tuple[float, float], ...] = ((west + 360.0, 180.0), (-180.0, east))
    elif east > 180.0:
        ranges = ((west, 180.0), (-180.0, east - 360.0))
    else:
        ranges = ((west, east),)
    return Box(min_lat=min_lat, max_lat=max_lat, lng_ranges=ranges)


def parse_coordinate(text: str, *, limit: float) -> float:
    """A latitude (limit 90) or longitude (limit 180) from text, or ValueError saying why."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise ValueError(f"{text!r} is not a number.") from None
    if not math.isfinite(value) or abs(value) > limit:
        raise ValueError(f"{text!r} must be between -{limit:g} and {limit:g}.")
    return value
