"""The entries' text becomes their last column.

SQLite keeps a row's columns in declaration order, and a few kilobytes of text spill
onto overflow pages: reading `year`, `status`, `body_id` or `document_id`, declared
after it, meant following those pages for every matching entry (a search's access
check took 14 µs per matching entry, under 1 µs with the text last).

The index is a read model, so it is emptied (on SQLite with the FTS table's terms,
before the triggers that name the text go), the text dropped and added back as the
last column, and the index derived again from the records.
"""

from importlib import import_module

from django.db import migrations, models

fulltext = import_module("secretariat.search.migrations.0002_fulltext")
TRIGGERS = [sql for sql in fulltext.SQLITE if sql.startswith("CREATE TRIGGER")]
DROP_TRIGGERS = [sql for sql in fulltext.SQLITE_REVERSE if sql.startswith("DROP TRIGGER")]
EMPTY = {
    "sqlite": [
        "INSERT INTO search_searchentry_fts(search_searchentry_fts) VALUES ('delete-all')",
        *DROP_TRIGGERS,
        "DELETE FROM search_searchentry",
    ],
    "postgresql": ["DELETE FROM search_searchentry"],
}
# Added by hand: Django's own AddField remakes an SQLite table with the new column first.
ADD_TEXT = {
    "sqlite": ["ALTER TABLE search_searchentry ADD COLUMN text text NOT NULL DEFAULT ''"],
    "postgresql": [
        "ALTER TABLE search_searchentry ADD COLUMN text text NOT NULL DEFAULT ''",
        "ALTER TABLE search_searchentry ALTER COLUMN text DROP DEFAULT",
    ],
}


def _run(statements: dict):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def rebuild(apps, schema_editor):
    # The records are read through today's models, which is safe here: the index is
    # written from them by the same code at any later time (`reindex`).
    from secretariat.search import indexer

    indexer.rebuild()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [
        migrations.RunPython(_run(EMPTY), _run({"sqlite": TRIGGERS})),
        migrations.RemoveField(model_name="searchentry", name="text"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="searchentry",
                    name="text",
                    field=models.TextField(
                        blank=True, help_text="The searchable text in this language."
                    ),
                )
            ],
            database_operations=[
                migrations.RunPython(
                    _run(ADD_TEXT),
                    _run({v: ["ALTER TABLE search_searchentry DROP COLUMN text"]
                          for v in ADD_TEXT}),  # fmt: skip
                )
            ],
        ),
        migrations.RunPython(_run({"sqlite": TRIGGERS}), _run({"sqlite": DROP_TRIGGERS})),
        migrations.RunPython(rebuild, migrations.RunPython.noop),
    ]
