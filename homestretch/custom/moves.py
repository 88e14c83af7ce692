"""Moves: the chapters of library sequences, each from its start to the next chapter's
start or the video's end. Read, never stored; a custom sequence's items copy them."""

from dataclasses import dataclass

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from homestretch.library.models import Chapter, Sequence


@dataclass(frozen=True)
class Move:
    sequence: Sequence
    title: str
    start_seconds: int
    end_seconds: int

    @property
    def key(self) -> str:
        """How a form or the API names a move: "<sequence id>:<start second>"."""
        return f"{self.sequence.pk}:{self.start_seconds}"

    @property
    def seconds(self) -> int:
        return self.end_seconds - self.start_seconds


def parse_key(key: str) -> tuple[int, int] | None:
    sequence_id, _, start = key.partition(":")
    if not (sequence_id.isdigit() and start.isdigit()):
        return None
    return int(sequence_id), int(start)


def _chapters() -> QuerySet[Chapter]:
    """Chapters annotated with their end: the next chapter's start, else the video's end.
    (A chapter past the video's end, after a shorter re-encode, is no move: see _as_moves.)"""
    next_start = (
        Chapter.objects.filter(
            sequence=OuterRef("sequence"), start_seconds__gt=OuterRef("start_seconds")
        )
        .order_by("start_seconds")
        .values("start_seconds")[:1]
    )
    return Chapter.objects.select_related("sequence", "sequence__encoding").annotate(
        end_seconds=Coalesce(Subquery(next_start), F("sequence__duration_seconds"))
    )


def _as_moves(chapters: QuerySet[Chapter]) -> list[Move]:
    return [
        Move(
            sequence=chapter.sequence,
            title=chapter.title,
            start_seconds=chapter.start_seconds,
            end_seconds=chapter.end_seconds,  # type: ignore[attr-defined]
        )
        for chapter in chapters
        if chapter.end_seconds > chapter.start_seconds  # type: ignore[attr-defined]
        and chapter.start_seconds < (chapter.sequence.duration_seconds or chapter.start_seconds + 1)
    ]


def browse(
    *,
    query: str = "",
    focus_area: str = "",
    level: str = "",
    equipment: str = "",
    sequence: str = "",
    limit: int = 200,
) -> list[Move]:
    """Moves of published, playable sequences, filtered by a word of their title or of
    their sequence's, the sequence's focus area, level and equipment (slugs), or the
    sequence itself (slug). Three queries: the moves, and their sequences' focus areas and
    equipment (the builder's filter searches their names)."""
    chapters = _chapters().filter(
        sequence__in=Sequence.objects.published().filter(encoding__isnull=False)
    )
    if query:
        chapters = chapters.filter(Q(title__icontains=query) | Q(sequence__title__icontains=query))
    if focus_area:
        chapters = chapters.filter(sequence__focus_areas__slug=focus_area)
    if equipment:
        chapters = chapters.filter(sequence__equipment__slug=equipment)
    if level:
        chapters = chapters.filter(sequence__level=level)
    if sequence:
        chapters = chapters.filter(sequence__slug=sequence)
    chapters = (
        chapters.distinct()
        .order_by("sequence__title", "start_seconds")
        .prefetch_related("sequence__focus_areas", "sequence__equipment")[:limit]
    )
    return _as_moves(chapters)


def find(keys: list[tuple[int, int]]) -> dict[tuple[int, int], Move]:
    """The moves of these (sequence id, start second) pairs that exist, in one query,
    whatever their sequence's state (the caller decides what it may use)."""
    if not keys:
        return {}
    wanted = Q()
    for sequence_id, start in set(keys):
        wanted |= Q(sequence_id=sequence_id, start_seconds=start)
    return {(m.sequence.pk, m.start_seconds): m for m in _as_moves(_chapters().filter(wanted))}
