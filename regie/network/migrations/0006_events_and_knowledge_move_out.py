# Registrations move to the events app and the knowledge base to the knowledge app: their
# models leave the networks' state only. The tables stay as they are, under their old names
# (``network_registration``, ``network_practice`` …): events/0001 and knowledge/0001 take them
# over, with the models' ``db_table``. On SQLite a renamed table would break the knowledge
# base's FTS5 index, whose ``content=`` names ``network_knowledgeentry``.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0005_attendance_invited_at"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                # Whatever points at another moved model leaves first.
                migrations.DeleteModel(name="HistoricalPracticeAnswer"),
                migrations.DeleteModel(name="PracticeAnswer"),
                migrations.DeleteModel(name="HistoricalPractice"),
                migrations.DeleteModel(name="Practice"),
                migrations.DeleteModel(name="HistoricalRuleTranslation"),
                migrations.DeleteModel(name="RuleTranslation"),
                migrations.DeleteModel(name="HistoricalRule"),
                migrations.DeleteModel(name="Rule"),
                migrations.DeleteModel(name="KnowledgeEntry"),
                migrations.DeleteModel(name="Registration"),
            ],
            database_operations=[],
        ),
    ]
