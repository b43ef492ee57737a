# The FTS5 table gains a third column, `scope` (visibility, organisation and kind as words), so that
# SQLite filters matches inside the full-text index instead of reading every matching row.

from django.db import migrations, models

# Dropped first, so that writing every document's scope does not go through the old triggers (and
# an empty new FTS5 table is never told to delete a row it does not hold: that corrupts it).
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        folded_title, folded_text, scope,
        content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', prefix='2 3'
    )""",
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
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_BACK = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        folded_title, folded_text,
        content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0', prefix='2 3'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, folded_title, folded_text) VALUES (new.id, new.folded_title, new.folded_text);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, folded_title, folded_text)
        VALUES ('delete', old.id, old.folded_title, old.folded_text);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, folded_title, folded_text)
        VALUES ('delete', old.id, old.folded_title, old.folded_text);
        INSERT INTO search_fts(rowid, folded_title, folded_text) VALUES (new.id, new.folded_title, new.folded_text);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]


def scope_words(apps, schema_editor):
    """Write every document's scope (as services.scope_text does), then index it."""
    Document = apps.get_model("search", "SearchDocument")
    for document in Document.objects.only("pk", "visibility", "organisation_id", "kind").iterator(chunk_size=500):
        words = [f"v{document.visibility}", "k" + "".join(ch for ch in document.kind if ch.isalnum())]
        if document.organisation_id is not None:
            words.append(f"o{document.organisation_id}")
        Document.objects.filter(pk=document.pk).update(scope=" ".join(words).lower())


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="scope",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(_run({"sqlite": SQLITE_DROP}), _run({"sqlite": SQLITE_BACK})),
        migrations.RunPython(scope_words, migrations.RunPython.noop),
        migrations.RunPython(_run({"sqlite": SQLITE}), _run({"sqlite": SQLITE_DROP})),
    ]
