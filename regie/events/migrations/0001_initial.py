# The events app: a meeting opened to the public gets an ``Event`` holding its registration
# settings, which used to be fields of the meeting; registrations come over from the networks.
#
# - ``Registration`` keeps its table (``network_registration``): state only, see network/0006.
# - ``Event`` and its history are new tables. One event for every meeting that is or was public:
#   registration open now or ever (in its history), a capacity, a closing time or a description
#   set, or registrations. Their values, and their history, are copied from the meeting and its
#   history; network/0007 (which runs after this one) then removes them from the meeting.
#   Backwards the values and the history go back to the meetings.
# - The content types of the moved model are relabelled (network → events), so audit entries
#   keep their links and ``remove_stale_contenttypes`` finds nothing; the mail outbox's
#   ``about`` ("network.registration:12") follows. Backwards both are restored.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models
from django.db.models import CharField, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Substr
from django.utils import timezone

import regie.network.models

FIELDS = (
    "registration_open",
    "registration_token",
    "capacity",
    "registration_closes",
    "public_description",
)
DEFAULTS = {
    "registration_open": False,
    "capacity": None,
    "registration_closes": None,
    "public_description": "",
}
MOVED_MODELS = ("registration",)


def _values(row):
    return {field: getattr(row, field) for field in FIELDS}


def events_from_meetings(apps, schema_editor):
    Meeting = apps.get_model("network", "Meeting")
    HistoricalMeeting = apps.get_model("network", "HistoricalMeeting")
    Registration = apps.get_model("events", "Registration")
    Event = apps.get_model("events", "Event")
    HistoricalEvent = apps.get_model("events", "HistoricalEvent")
    public = (
        Q(registration_open=True)
        | Q(capacity__isnull=False)
        | Q(registration_closes__isnull=False)
        | ~Q(public_description="")
        | Q(pk__in=Registration.objects.values("meeting_id"))
        | Q(pk__in=HistoricalMeeting.objects.filter(registration_open=True).values("id"))
    )
    now = timezone.now()
    for meeting in Meeting.objects.filter(public).order_by("pk"):
        # The meeting's history, where the settings changed: the event's versions.
        versions = []
        for row in HistoricalMeeting.objects.filter(id=meeting.pk).order_by(
            "history_date", "history_id"
        ):
            if not versions or _values(row) != versions[-1][1]:
                versions.append(
                    (row.history_date, _values(row), row.history_user_id, row.history_change_reason)
                )
        if not versions or versions[-1][1] != _values(meeting):
            # Set without a save that kept history (the demo does): now, by the system.
            versions.append((now, _values(meeting), None, None))
        Event.objects.create(meeting_id=meeting.pk, version=len(versions), **_values(meeting))
        HistoricalEvent.objects.bulk_create(
            HistoricalEvent(
                meeting_id=meeting.pk,
                version=number,
                history_date=date,
                history_type="+" if number == 1 else "~",
                history_user_id=user_id,
                history_change_reason=reason,
                **values,
            )
            for number, (date, values, user_id, reason) in enumerate(versions, start=1)
        )


def meetings_from_events(apps, schema_editor):
    Meeting = apps.get_model("network", "Meeting")
    HistoricalMeeting = apps.get_model("network", "HistoricalMeeting")
    Event = apps.get_model("events", "Event")
    HistoricalEvent = apps.get_model("events", "HistoricalEvent")
    # A meeting that was no event: its history names its own token (network/0007 made one).
    HistoricalMeeting.objects.update(
        registration_token=Coalesce(
            Subquery(
                Meeting.objects.filter(pk=OuterRef("id")).values("registration_token")[:1]
            ),
            F("registration_token"),
        )
    )
    for event in Event.objects.order_by("pk"):
        Meeting.objects.filter(pk=event.meeting_id).update(**_values(event))
        versions = list(
            HistoricalEvent.objects.filter(meeting_id=event.meeting_id).order_by(
                "history_date", "history_id"
            )
        )
        for row in HistoricalMeeting.objects.filter(id=event.meeting_id):
            then = [version for version in versions if version.history_date <= row.history_date]
            values = (
                _values(then[-1])
                if then
                else {**DEFAULTS, "registration_token": event.registration_token}
            )
            HistoricalMeeting.objects.filter(history_id=row.history_id).update(**values)


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
    _relabel(apps, old="network", new="events")


def relabel_backwards(apps, schema_editor):
    _relabel(apps, old="events", new="network")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("network", "0006_events_and_knowledge_move_out"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_outgoing_mail"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    # The meetings still hold the settings this migration copies; network/0007 removes them.
    run_before = [("network", "0007_meeting_registration_settings_move_out")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Registration',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('first_name', models.CharField(max_length=100, verbose_name='first name')),
                        ('last_name', models.CharField(max_length=100, verbose_name='last name')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                        ('organisation_name', models.CharField(blank=True, max_length=200, verbose_name='organisation')),
                        ('stakeholder_type', models.CharField(choices=[('se_organisation', 'SE organisation'), ('local_government', 'Local government'), ('ocmw', 'OCMW'), ('vdab', 'VDAB'), ('workplace_architect', 'Workplace architect'), ('other', 'Other')], max_length=20, verbose_name='you are')),
                        ('is_walk_in', models.BooleanField(default=False, verbose_name='walk-in')),
                        ('status', models.CharField(choices=[('registered', 'Registered'), ('waiting', 'On the waiting list'), ('cancelled', 'Cancelled')], default='registered', max_length=10, verbose_name='status')),
                        ('cancel_token', models.CharField(default=regie.network.models.new_token, max_length=40, unique=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='registered at')),
                        ('promoted_at', models.DateTimeField(blank=True, null=True)),
                        ('cancelled_at', models.DateTimeField(blank=True, null=True)),
                        ('checked_in_at', models.DateTimeField(blank=True, null=True, verbose_name='checked in')),
                        ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='registrations', to='network.meeting')),
                    ],
                    options={
                        'verbose_name': 'registration',
                        'verbose_name_plural': 'registrations',
                        'db_table': 'network_registration',
                        'ordering': ['created_at', 'pk'],
                        'constraints': [models.UniqueConstraint(condition=models.Q(models.Q(('status', 'cancelled'), _negated=True), models.Q(('email', ''), _negated=True)), fields=('meeting', 'email'), name='one_registration_per_email')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name='Event',
            fields=[
                ('meeting', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='event', serialize=False, to='network.meeting', verbose_name='meeting')),
                ('registration_open', models.BooleanField(default=False, verbose_name='public registration')),
                ('registration_token', models.CharField(default=regie.network.models.new_token, max_length=40, unique=True)),
                ('capacity', models.PositiveIntegerField(blank=True, null=True, verbose_name='capacity')),
                ('registration_closes', models.DateTimeField(blank=True, null=True, verbose_name='registration closes')),
                ('public_description', models.TextField(blank=True, verbose_name='description for participants')),
                ('version', models.PositiveIntegerField(default=1)),
            ],
            options={
                'verbose_name': 'event',
                'verbose_name_plural': 'events',
            },
        ),
        migrations.CreateModel(
            name='HistoricalEvent',
            fields=[
                ('registration_open', models.BooleanField(default=False, verbose_name='public registration')),
                ('registration_token', models.CharField(db_index=True, default=regie.network.models.new_token, max_length=40)),
                ('capacity', models.PositiveIntegerField(blank=True, null=True, verbose_name='capacity')),
                ('registration_closes', models.DateTimeField(blank=True, null=True, verbose_name='registration closes')),
                ('public_description', models.TextField(blank=True, verbose_name='description for participants')),
                ('version', models.PositiveIntegerField(default=1)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('meeting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.meeting', verbose_name='meeting')),
            ],
            options={
                'verbose_name': 'historical event',
                'verbose_name_plural': 'historical events',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(events_from_meetings, meetings_from_events),
        migrations.RunPython(relabel_forwards, relabel_backwards),
    ]
