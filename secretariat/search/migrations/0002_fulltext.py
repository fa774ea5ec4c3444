"""The full-text structures of the database in use (see search/backends).

SQLite: an FTS5 table whose content is the entries table, kept in step by triggers,
and an fts5vocab table over its terms.
PostgreSQL: a tsvector column on the entries, written by the indexer, with a GIN index.
The table is empty at this point; after `migrate`, the search app fills an empty index
over existing records (see apps.py).

On SQLite, a later migration that alters the entries table remakes it, which drops
these triggers: such a migration must create them again.
"""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_searchentry_fts USING fts5("
    "title, text, content='search_searchentry', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_searchentry_fts_insert AFTER INSERT ON search_searchentry BEGIN "
    "INSERT INTO search_searchentry_fts(rowid, title, text) VALUES (new.id, new.title, new.text); "
    "END",
    "CREATE TRIGGER search_searchentry_fts_delete AFTER DELETE ON search_searchentry BEGIN "
    "INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER search_searchentry_fts_update AFTER UPDATE ON search_searchentry BEGIN "
    "INSERT INTO search_searchentry_fts(search_searchentry_fts, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO search_searchentry_fts(rowid, title, text) VALUES (new.id, new.title, new.text); "
    "END",
    "INSERT INTO search_searchentry_fts(search_searchentry_fts) VALUES ('rebuild')",
    # Every term's occurrences (term, doc, col, offset), read from the index: for scores
    # that depend on the entry alone.
    "CREATE VIRTUAL TABLE search_searchentry_terms "
    "USING fts5vocab(search_searchentry_fts, 'instance')",
]
SQLITE_REVERSE = [
    "DROP TABLE IF EXISTS search_searchentry_terms",
    "DROP TRIGGER IF EXISTS search_searchentry_fts_update",
    "DROP TRIGGER IF EXISTS search_searchentry_fts_delete",
    "DROP TRIGGER IF EXISTS search_searchentry_fts_insert",
    "DROP TABLE IF EXISTS search_searchentry_fts",
]
POSTGRESQL = [
    "ALTER TABLE search_searchentry ADD COLUMN vector tsvector",
    "CREATE INDEX search_searchentry_vector ON search_searchentry USING GIN (vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_searchentry_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS vector",
]


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_entry")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
