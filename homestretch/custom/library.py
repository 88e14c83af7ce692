"""Published custom sequences as the library shows them: in its list and its search, beside
the sequences. The library's page asks through a template tag of ours
(`{% load custom_library %}`), so the library never imports this app.

They are few (staff collections), so they are read in three queries and matched in
Python: a query's every word in the title, the note or a move's title; a focus area,
equipment or level that one of its sources has; a length of at most the minutes asked.
"""

import re
from dataclasses import dataclass

from django.db.models import Prefetch

from homestretch.custom.models import CustomItem, CustomSequence, CustomSequenceVersion
from homestretch.library.models import Sequence

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Published:
    custom: CustomSequence
    version: CustomSequenceVersion
    items: list[CustomItem]

    @property
    def sources(self) -> list[Sequence]:
        found: dict[int, Sequence] = {}
        for item in self.items:
            if item.sequence is not None:
                found.setdefault(item.sequence.pk, item.sequence)
        return list(found.values())

    @property
    def seconds(self) -> int:
        return sum(i.end_seconds - i.start_seconds + i.rest_seconds for i in self.items)

    @property
    def minutes(self) -> int:
        return max(1, round(self.seconds / 60))

    @property
    def poster_slug(self) -> str:
        """The poster of its first move's source stands for it."""
        sources = self.sources
        return sources[0].slug if sources and sources[0].encoding_id else ""

    @property
    def is_free(self) -> bool:
        """Every source is a free preview: it plays for everyone."""
        return bool(self.sources) and all(s.is_free_preview for s in self.sources)

    def words(self) -> str:
        texts = [self.version.title, self.version.note, *(i.title for i in self.items)]
        return " ".join(texts).lower()

    def matches(
        self,
        *,
        query: str = "",
        focus: str = "",
        level: str = "",
        equipment: str = "",
        max_minutes: int | None = None,
    ) -> bool:
        text = self.words()
        if any(word not in text for word in _WORD.findall(query.lower())):
            return False
        sources = self.sources
        if focus and not any(focus in {a.slug for a in s.focus_areas.all()} for s in sources):
            return False
        if equipment and not any(equipment in {e.slug for e in s.equipment.all()} for s in sources):
            return False
        if level and not any(s.level == level for s in sources):
            return False
        return not (max_minutes and self.seconds > max_minutes * 60)


def published(**filters: object) -> list[Published]:
    """The library's published custom sequences (as their latest version), newest first,
    those matching `filters` (see `Published.matches`)."""
    customs = list(
        CustomSequence.objects.filter(status=CustomSequence.Status.PUBLISHED)
        .exclude(slug=None)
        .order_by("-published_at", "pk")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=CustomSequenceVersion.objects.order_by("-number").prefetch_related(
                    Prefetch(
                        "items",
                        queryset=CustomItem.objects.order_by("position").select_related("sequence"),
                    ),
                    "items__sequence__focus_areas",
                    "items__sequence__equipment",
                ),
            )
        )
    )
    shown = []
    for custom in customs:
        versions = list(custom.versions.all())
        if not versions:
            continue
        entry = Published(custom, versions[0], list(versions[0].items.all()))
        if entry.matches(**filters):  # type: ignore[arg-type]
            shown.append(entry)
    return shown
