"""Full-text search over the knowledge base.

``KnowledgeEntry`` holds the searchable text of each practice and rule. On SQLite an FTS5
table mirrors it (external content, kept in sync by triggers); on PostgreSQL a GIN index on
its Dutch text search vector serves the same selector.
"""

import django.db.models.deletion
from django.db import migrations, models

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE network_knowledgeentry_fts USING fts5(
        title, body, content='network_knowledgeentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER network_knowledgeentry_ai AFTER INSERT ON network_knowledgeentry BEGIN
        INSERT INTO network_knowledgeentry_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER network_knowledgeentry_ad AFTER DELETE ON network_knowledgeentry BEGIN
        INSERT INTO network_knowledgeentry_fts(network_knowledgeentry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER network_knowledgeentry_au AFTER UPDATE ON network_knowledgeentry BEGIN
        INSERT INTO network_knowledgeentry_fts(network_knowledgeentry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO network_knowledgeentry_fts(rowid, title, body)
        VALUES (new.id, new.title, new.body);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS network_knowledgeentry_au",
    "DROP TRIGGER IF EXISTS network_knowledgeentry_ad",
    "DROP TRIGGER IF EXISTS network_knowledgeentry_ai",
    "DROP TABLE IF EXISTS network_knowledgeentry_fts",
]
POSTGRES_CREATE = [
    """CREATE INDEX network_knowledgeentry_search ON network_knowledgeentry USING GIN (
        (setweight(to_tsvector('dutch', coalesce(title, '')), 'A')
         || setweight(to_tsvector('dutch', coalesce(body, '')), 'B')))"""
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS network_knowledgeentry_search"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
        ("registry", "0004_load_policy_frameworks"),
    ]

    operations = [
        migrations.CreateModel(
            name="KnowledgeEntry",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[("practice", "Practice"), ("rule", "Rule")], max_length=10)),
                ("object_id", models.PositiveBigIntegerField()),
                ("title", models.CharField(max_length=300)),
                ("body", models.TextField(blank=True)),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="registry.region",
                    ),
                ),
            ],
            options={"verbose_name": "knowledge entry", "verbose_name_plural": "knowledge entries"},
        ),
        migrations.AddConstraint(
            model_name="knowledgeentry",
            constraint=models.UniqueConstraint(fields=("kind", "object_id"), name="one_entry_per_object"),
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
