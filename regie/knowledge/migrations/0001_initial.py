# The knowledge app takes over the practices, rules and their search text from the networks.
#
# The tables stay where they are, under their old names (``network_practice`` …, and the
# history tables through ``HistoricalRecords(table_name=…)``): this migration creates the models
# in the state only (network/0006 removed them there). On SQLite a renamed table would break
# the FTS5 index of network/0002, whose ``content=`` names ``network_knowledgeentry``.
#
# The content types of the moved models are relabelled (network → knowledge), so audit entries
# keep their links and ``remove_stale_contenttypes`` finds nothing; the mail outbox's ``about``
# ("network.practice:12") follows. Backwards both are restored.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr

MOVED_MODELS = (
    "practice",
    "historicalpractice",
    "practiceanswer",
    "historicalpracticeanswer",
    "rule",
    "historicalrule",
    "ruletranslation",
    "historicalruletranslation",
    "knowledgeentry",
)


def _relabel(apps, *, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    OutgoingMail = apps.get_model("core", "OutgoingMail")
    for model in MOVED_MODELS:
        if not ContentType.objects.filter(app_label=new, model=model).exists():
            ContentType.objects.filter(app_label=old, model=model).update(app_label=new)
        prefix = f"{old}.{model}:"
        OutgoingMail.objects.filter(about__startswith=prefix).update(
            about=Concat(
                Value(f"{new}.{model}:"),
                Substr("about", len(prefix) + 1),
                output_field=CharField(),
            )
        )


def relabel_forwards(apps, schema_editor):
    _relabel(apps, old="network", new="knowledge")


def relabel_backwards(apps, schema_editor):
    _relabel(apps, old="knowledge", new="network")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("network", "0006_events_and_knowledge_move_out"),
        ("registry", "0004_load_policy_frameworks"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_outgoing_mail"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='HistoricalPractice',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('question', models.CharField(max_length=300, verbose_name='question')),
                        ('context', models.TextField(blank=True, verbose_name='context')),
                        ('tags', models.CharField(blank=True, help_text='Comma-separated.', max_length=300, verbose_name='tags')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('agenda_item', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.agendaitem')),
                        ('created_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('meeting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.meeting')),
                        ('region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.region')),
                    ],
                    options={
                        'verbose_name': 'historical practice',
                        'verbose_name_plural': 'historical practices',
                        'db_table': 'network_historicalpractice',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='HistoricalRule',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('title', models.CharField(max_length=300, verbose_name='title')),
                        ('source', models.CharField(max_length=300, verbose_name='source')),
                        ('source_url', models.URLField(blank=True, verbose_name='source link')),
                        ('effective_from', models.DateField(verbose_name='effective from')),
                        ('effective_until', models.DateField(blank=True, null=True, verbose_name='effective until')),
                        ('summary', models.TextField(verbose_name='summary')),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('meeting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.meeting')),
                        ('region', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.region')),
                    ],
                    options={
                        'verbose_name': 'historical rule',
                        'verbose_name_plural': 'historical rules',
                        'db_table': 'network_historicalrule',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Practice',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('question', models.CharField(max_length=300, verbose_name='question')),
                        ('context', models.TextField(blank=True, verbose_name='context')),
                        ('tags', models.CharField(blank=True, help_text='Comma-separated.', max_length=300, verbose_name='tags')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('agenda_item', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='practices', to='network.agendaitem')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='practices', to='network.meeting')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='practices', to='registry.region')),
                    ],
                    options={
                        'verbose_name': 'practice',
                        'verbose_name_plural': 'practices',
                        'db_table': 'network_practice',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalPracticeAnswer',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('text', models.TextField(verbose_name='answer')),
                        ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='created')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('organisation', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='registry.organisation', verbose_name='organisation')),
                        ('practice', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='knowledge.practice')),
                    ],
                    options={
                        'verbose_name': 'historical answer',
                        'verbose_name_plural': 'historical answers',
                        'db_table': 'network_historicalpracticeanswer',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='PracticeAnswer',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('text', models.TextField(verbose_name='answer')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('organisation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='practice_answers', to='registry.organisation', verbose_name='organisation')),
                        ('practice', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='answers', to='knowledge.practice')),
                    ],
                    options={
                        'verbose_name': 'answer',
                        'verbose_name_plural': 'answers',
                        'db_table': 'network_practiceanswer',
                        'ordering': ['created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Rule',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('title', models.CharField(max_length=300, verbose_name='title')),
                        ('source', models.CharField(max_length=300, verbose_name='source')),
                        ('source_url', models.URLField(blank=True, verbose_name='source link')),
                        ('effective_from', models.DateField(verbose_name='effective from')),
                        ('effective_until', models.DateField(blank=True, null=True, verbose_name='effective until')),
                        ('summary', models.TextField(verbose_name='summary')),
                        ('version', models.PositiveIntegerField(default=1)),
                        ('meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='rules', to='network.meeting')),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='rules', to='registry.region')),
                    ],
                    options={
                        'verbose_name': 'rule',
                        'verbose_name_plural': 'rules',
                        'db_table': 'network_rule',
                        'ordering': ['-effective_from'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalRuleTranslation',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('floor_type', models.CharField(choices=[('workshop', 'Workshop / assembly'), ('production', 'Production'), ('green', 'Green maintenance'), ('cleaning', 'Cleaning'), ('kitchen', 'Kitchen and catering'), ('shop', 'Shop / second-hand'), ('home_work', 'Home work'), ('other', 'Other')], max_length=12, verbose_name='type of work floor')),
                        ('practice', models.TextField(verbose_name='in practice')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('rule', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='knowledge.rule')),
                    ],
                    options={
                        'verbose_name': 'historical translation into practice',
                        'verbose_name_plural': 'historical translations into practice',
                        'db_table': 'network_historicalruletranslation',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='RuleTranslation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('floor_type', models.CharField(choices=[('workshop', 'Workshop / assembly'), ('production', 'Production'), ('green', 'Green maintenance'), ('cleaning', 'Cleaning'), ('kitchen', 'Kitchen and catering'), ('shop', 'Shop / second-hand'), ('home_work', 'Home work'), ('other', 'Other')], max_length=12, verbose_name='type of work floor')),
                        ('practice', models.TextField(verbose_name='in practice')),
                        ('rule', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='translations', to='knowledge.rule')),
                    ],
                    options={
                        'verbose_name': 'translation into practice',
                        'verbose_name_plural': 'translations into practice',
                        'db_table': 'network_ruletranslation',
                    },
                ),
                migrations.CreateModel(
                    name='KnowledgeEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('practice', 'Practice'), ('rule', 'Rule')], max_length=10)),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('title', models.CharField(max_length=300)),
                        ('body', models.TextField(blank=True)),
                        ('region', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='registry.region')),
                    ],
                    options={
                        'verbose_name': 'knowledge entry',
                        'verbose_name_plural': 'knowledge entries',
                        'db_table': 'network_knowledgeentry',
                        'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='one_entry_per_object')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='rule',
                    constraint=models.CheckConstraint(condition=models.Q(('effective_until__isnull', True), ('effective_until__gte', models.F('effective_from')), _connector='OR'), name='rule_until_after_from'),
                ),
                migrations.AddConstraint(
                    model_name='ruletranslation',
                    constraint=models.UniqueConstraint(fields=('rule', 'floor_type'), name='one_translation_per_floor'),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_forwards, relabel_backwards),
    ]
