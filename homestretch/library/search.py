"""Full-text search over titles, descriptions, chapters and transcripts.

SQLite uses an FTS5 table kept in step with `library_searchentry` by triggers; PostgreSQL
uses a GIN index over `to_tsvector('simple', text)`. Both tokenise plainly (no stemming,
no stop words) and match every query word as a prefix, so the same data gives the same
results on either. Query text is reduced to words first, so FTS syntax can't break it.
"""

import re
from dataclasses import dataclass

from django.db import connection

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
