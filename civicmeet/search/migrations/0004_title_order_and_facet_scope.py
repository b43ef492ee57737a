# Lists without words (filters only) get an index of their own on SQLite, `search_filter_fts`, over
# a new column holding each document's scope and facet values as words (search/scope.py), and an
# index to walk in title order.

from django.db import migrations, models


def _facet_word(name, value):
    # As search.scope.facet_word does (frozen here, as migrations must be).
    return "f" + "".join(char for char in name if char.isalnum()).lower() + "x" + str(value).encode().hex()


def filter_words(apps, schema_editor):
    """Write every document's filter words (as search.scope.filter_text does)."""
    Document = apps.get_model("search", "SearchDocument")
    for document in Document.objects.only("pk", "scope", "facets").iterator(chunk_size=500):
        words = [document.scope]
        for name, values in sorted((document.facets or {}).items()):
            values = [values] if isinstance(values, str) else [str(value) for value in values]
            words += [_facet_word(name, value) for value in values if value]
        Document.objects.filter(pk=document.pk).update(filter_words=" ".join(words))


# Adding a column makes Django's SQLite schema editor rebuild the table, which drops its triggers:
# those of search_fts (migration 0003) are made again, as they were.
SQLITE_WORD_TRIGGERS = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, folded_title, folded_text, scope)
        VALUES (new.id, new.folded_title, new.folded_text, new.scope);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, folded_title, folded_text, scope)
        VALUES ('delete', old.id, old.folded_title, old.folded_text, old.scope);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, folded_title, folded_text, scope)
        VALUES ('delete', old.id, old.folded_title, old.folded_text, old.scope);
        INSERT INTO search_fts(rowid, folded_title, folded_text, scope)
        VALUES (new.id, new.folded_title, new.folded_text, new.scope);
    END""",
]
SQLITE = [
    """CREATE VIRTUAL TABLE search_filter_fts USING fts5(
        filter_words, content='search_searchdocument', content_rowid='id', tokenize='unicode61'
    )""",
    """CREATE TRIGGER search_filter_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_filter_fts(rowid, filter_words) VALUES (new.id, new.filter_words);
    END""",
    """CREATE TRIGGER search_filter_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_filter_fts(search_filter_fts, rowid, filter_words) VALUES ('delete', old.id, old.filter_words);
    END""",
    """CREATE TRIGGER search_filter_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_filter_fts(search_filter_fts, rowid, filter_words) VALUES ('delete', old.id, old.filter_words);
        INSERT INTO search_filter_fts(rowid, filter_words) VALUES (new.id, new.filter_words);
    END""",
    "INSERT INTO search_filter_fts(search_filter_fts) VALUES ('rebuild')",
]
SQLITE_BACK = [
    "DROP TRIGGER IF EXISTS search_filter_fts_update",
    "DROP TRIGGER IF EXISTS search_filter_fts_delete",
    "DROP TRIGGER IF EXISTS search_filter_fts_insert",
    "DROP TABLE IF EXISTS search_filter_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_scope"),
    ]

    operations = [
        # Undone last, after the column is gone (which rebuilds the table again).
        migrations.RunPython(migrations.RunPython.noop, _run({"sqlite": SQLITE_WORD_TRIGGERS})),
        migrations.AddField(
            model_name="searchdocument",
            name="filter_words",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(_run({"sqlite": SQLITE_WORD_TRIGGERS}), migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(fields=["folded_title", "id"], name="search_document_title"),
        ),
        # Filled before the index and its triggers exist (an external-content FTS5 table must
        # never be told to delete a row it does not hold), then indexed in one rebuild.
        migrations.RunPython(filter_words, migrations.RunPython.noop),
        migrations.RunPython(_run({"sqlite": SQLITE}), _run({"sqlite": SQLITE_BACK})),
    ]
