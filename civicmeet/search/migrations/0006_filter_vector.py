# PostgreSQL: the documents' filter words (search.scope.filter_text: visibility, kind and facet values
# as words) as a tsvector with a GIN index, so that the reader's filters are one index condition with
# real statistics (the planner then walks the title index for a long list, or intersects the filter
# index with the words' one) instead of one join with the facet rows per filter.

from django.db import migrations

POSTGRESQL = [
    """ALTER TABLE search_searchdocument ADD COLUMN filter_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, filter_words)
    ) STORED""",
    "CREATE INDEX search_document_filter_vector ON search_searchdocument USING GIN (filter_vector)",
]
POSTGRESQL_BACK = [
    "DROP INDEX IF EXISTS search_document_filter_vector",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS filter_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0005_title_vector"),
    ]

    operations = [
        migrations.RunPython(_run({"postgresql": POSTGRESQL}), _run({"postgresql": POSTGRESQL_BACK})),
    ]
