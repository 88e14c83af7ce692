"""Full-text search over titles, descriptions, chapters and transcripts.

SQLite uses an FTS5 table kept in step with `library_searchentry` by triggers; PostgreSQL
uses a GIN index over `to_tsvector('simple', text)`. Both tokenise plainly (no stemming,
no stop words) and match every query word as a prefix, so the same data gives the same
results on either. Query text is reduced to words first, so FTS syntax can't break it.

A misspelt word ("pelvsi") is corrected in Python, from a vocabulary of the indexed words
read from the same rows on either database, so the correction is the same on both: see
`search_forgiving`.
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Max
from rapidfuzz.distance import OSA

from homestretch.library.models import SearchEntry

_WORD = re.compile(r"\w+", re.UNICODE)
MAX_WORDS = 8
MAX_HITS = 500


@dataclass(frozen=True)
class Hit:
    entry_id: int
    sequence_id: int
    kind: str
    text: str
    start_seconds: float | None


def words(query: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(query)][:MAX_WORDS]


def search(query: str) -> list[Hit]:
    """Entries matching every word of the query (as prefixes), in id order.

    The SQL has no ORDER BY: with one, PostgreSQL walks the primary key and tests every
    row until it has enough, which takes a full scan when a word is rare. Without it, both
    databases read the full-text index and return rows in insertion order.
    """
    terms = words(query)
    if not terms:
        return []
    table = SearchEntry._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT id, sequence_id, kind, text, start_seconds FROM {table} "  # noqa: S608
            "WHERE to_tsvector('simple', text) @@ to_tsquery('simple', %s) LIMIT %s"
        )
        param = " & ".join(f"{term}:*" for term in terms)
    else:
        sql = (
            f"SELECT e.id, e.sequence_id, e.kind, e.text, e.start_seconds "  # noqa: S608
            f"FROM library_searchentry_fts f JOIN {table} e ON e.id = f.rowid "
            "WHERE library_searchentry_fts MATCH %s LIMIT %s"
        )
        param = " ".join(f'"{term}"*' for term in terms)
    with connection.cursor() as cursor:
        cursor.execute(sql, [param, MAX_HITS])
        return sorted((Hit(*row) for row in cursor.fetchall()), key=lambda hit: hit.entry_id)


@dataclass(frozen=True)
class Found:
    hits: list[Hit]
    # The query actually searched when words were corrected ("pelvis" for "pelvsi"), or "".
    corrected: str = ""


def search_forgiving(query: str) -> Found:
    """`search`, and when it finds nothing, again with each unknown word corrected.

    1. Search as typed; hits end it.
    2. Each word that begins no indexed word is replaced by the closest indexed word
       (`closest`); words that are known stay as typed.
    3. If anything changed, search the corrected words and say so.
    """
    hits = search(query)
    if hits:
        return Found(hits)
    terms = words(query)
    known = vocabulary()
    better = [
        term if _begins_a_word(term, known) else closest(term, known) or term for term in terms
    ]
    if better == terms:
        return Found([])
    corrected = " ".join(better)
    return Found(search(corrected), corrected)


def _begins_a_word(term: str, known: Counter[str]) -> bool:
    return term in known or any(word.startswith(term) for word in known)


def allowed_edits(term: str) -> int:
    """Short words have many neighbours: one slip from five letters on, two from eight."""
    return 0 if len(term) < 5 else 1 if len(term) < 8 else 2


def closest(term: str, known: Counter[str]) -> str | None:
    """The indexed word fewest edits away (the most used one on a tie), within
    `allowed_edits`; None when nothing is that close."""
    limit = allowed_edits(term)
    if not limit:
        return None
    best: tuple[int, int, str] | None = None
    for word, uses in known.items():
        if abs(len(word) - len(term)) > limit:
            continue
        distance = edit_distance(term, word, limit)
        if distance <= limit:
            rank = (distance, -uses, word)
            if best is None or rank < best:
                best = rank
    return best[2] if best else None


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, replace, swap two neighbours: the optimal string alignment
    distance) from a to b; anything over `limit` is returned as limit + 1. "pelvsi" →
    "pelvis" is one swap."""
    return OSA.distance(a, b, score_cutoff=limit)


_vocabulary: tuple[tuple[int, int | None], Counter[str]] | None = None


def vocabulary() -> Counter[str]:
    """Every word of the index, with the number of entries using it.

    Read once per process and again only when the entries change: a reindex deletes and
    recreates a sequence's entries (new ids), a deletion lowers the count."""
    global _vocabulary
    stamp = SearchEntry.objects.aggregate(n=Count("id"), last=Max("id"))
    key = (stamp["n"], stamp["last"])
    if _vocabulary is None or _vocabulary[0] != key:
        counts: Counter[str] = Counter()
        for text in SearchEntry.objects.values_list("text", flat=True).iterator():
            counts.update(set(_WORD.findall(text.lower())))
        _vocabulary = (key, counts)
    return _vocabulary[1]
