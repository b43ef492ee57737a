# PostgreSQL: the titles' own tsvector and its GIN index, so that a search finds the documents whose
# title holds every word without ranking every document that mentions one (selectors._rows).

from django.db import migrations

POSTGRESQL = [
    """ALTER TABLE search_searchdocument ADD COLUMN title_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, folded_title)
    ) STORED""",
    "CREATE INDEX search_document_title_vector ON search_searchdocument USING GIN (title_vector)",
]
POSTGRESQL_BACK = [
    "DROP INDEX IF EXISTS search_document_title_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS title_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0004_title_order_and_facet_scope"),
    ]

    operations = [
        migrations.RunPython(_run({"postgresql": POSTGRESQL}), _run({"postgresql": POSTGRESQL_BACK})),
    ]
