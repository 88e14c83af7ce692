from django.db import migrations

# homestretch/library/search.py relies on these.
SQLITE_SETUP = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS library_searchentry_fts USING fts5(
        text, content='library_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER IF NOT EXISTS library_searchentry_ai AFTER INSERT ON library_searchentry
        BEGIN INSERT INTO library_searchentry_fts(rowid, text) VALUES (new.id, new.text); END""",
    """CREATE TRIGGER IF NOT EXISTS library_searchentry_ad AFTER DELETE ON library_searchentry
        BEGIN INSERT INTO library_searchentry_fts(library_searchentry_fts, rowid, text)
        VALUES ('delete', old.id, old.text); END""",
    """CREATE TRIGGER IF NOT EXISTS library_searchentry_au AFTER UPDATE ON library_searchentry
        BEGIN INSERT INTO library_searchentry_fts(library_searchentry_fts, rowid, text)
        VALUES ('delete', old.id, old.text);
        INSERT INTO library_searchentry_fts(rowid, text) VALUES (new.id, new.text); END""",
]
SQLITE_TEARDOWN = [
    "DROP TRIGGER IF EXISTS library_searchentry_ai",
    "DROP TRIGGER IF EXISTS library_searchentry_ad",
    "DROP TRIGGER IF EXISTS library_searchentry_au",
    "DROP TABLE IF EXISTS library_searchentry_fts",
]
POSTGRES_SETUP = [
    """CREATE INDEX IF NOT EXISTS library_searchentry_text_gin ON library_searchentry
        USING gin (to_tsvector('simple', text))""",
]
POSTGRES_TEARDOWN = ["DROP INDEX IF EXISTS library_searchentry_text_gin"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    """The full-text index over search entries: FTS5 on SQLite, GIN on PostgreSQL."""

    dependencies = [("library", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_SETUP, "postgresql": POSTGRES_SETUP}),
            _run({"sqlite": SQLITE_TEARDOWN, "postgresql": POSTGRES_TEARDOWN}),
        )
    ]
