from django.contrib.auth.models import AnonymousUser

from homestretch.accounts.models import User
from homestretch.library.models import SearchEntry, Sequence, WatchProgress
from homestretch.library.search import Hit

# A title hit says most about a sequence, a transcript line least.
_KIND_ORDER = {
    SearchEntry.Kind.TITLE: 0,
    SearchEntry.Kind.CHAPTER: 1,
    SearchEntry.Kind.DESCRIPTION: 2,
    SearchEntry.Kind.TRANSCRIPT: 3,
}


def continue_watching(user: User | AnonymousUser, limit: int = 6) -> list[WatchProgress]:
    if not user.is_authenticated:
        return []
    return list(
        WatchProgress.objects.filter(
            user=user,
            finished=False,
            position_seconds__gt=5,
            sequence__in=Sequence.objects.published(),
        )
        .select_related("sequence")  # a card needs the sequence only (poster: encoding_id)
        .order_by("-updated_at")[:limit]
    )


def favorites(user: User | AnonymousUser, limit: int = 12) -> list[Sequence]:
    if not user.is_authenticated:
        return []
    return list(
        Sequence.objects.published()
        .filter(favorites__user=user)
        .order_by("-favorites__created_at")[:limit]
    )


def hits_by_sequence(hits: list[Hit], per_sequence: int = 3) -> dict[int, list[Hit]]:
    """The best few hits of each sequence: the moments worth linking to first."""
    grouped: dict[int, list[Hit]] = {}
    for hit in sorted(
        hits, key=lambda h: (_KIND_ORDER[SearchEntry.Kind(h.kind)], h.start_seconds or 0)
    ):
        grouped.setdefault(hit.sequence_id, [])
        if len(grouped[hit.sequence_id]) < per_sequence:
            grouped[hit.sequence_id].append(hit)
    return grouped
