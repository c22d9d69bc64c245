# A meeting's public registration settings now live on its ``events.Event``: events/0001 copies
# them there first (it runs before this migration), then they leave the meeting and its history.
#
# Backwards the columns come back empty and events/0001 fills them again. The token is unique:
# added back with one default for every row it would clash, so it comes back without its
# unique constraint, each meeting gets a token of its own, and then the constraint returns.

import secrets

from django.db import migrations, models

import regie.network.models


def tokens_each_their_own(apps, schema_editor):
    Meeting = apps.get_model("network", "Meeting")
    for meeting in Meeting.objects.only("pk"):
        meeting.registration_token = secrets.token_urlsafe(24)
        meeting.save(update_fields=["registration_token"])


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0006_events_and_knowledge_move_out"),
    ]

    operations = [
        migrations.AlterField(
            model_name="meeting",
            name="registration_token",
            field=models.CharField(default=regie.network.models.new_token, max_length=40),
        ),
        migrations.RunPython(migrations.RunPython.noop, tokens_each_their_own),
        migrations.RemoveField(model_name="historicalmeeting", name="capacity"),
        migrations.RemoveField(model_name="historicalmeeting", name="public_description"),
        migrations.RemoveField(model_name="historicalmeeting", name="registration_closes"),
        migrations.RemoveField(model_name="historicalmeeting", name="registration_open"),
        migrations.RemoveField(model_name="historicalmeeting", name="registration_token"),
        migrations.RemoveField(model_name="meeting", name="capacity"),
        migrations.RemoveField(model_name="meeting", name="public_description"),
        migrations.RemoveField(model_name="meeting", name="registration_closes"),
        migrations.RemoveField(model_name="meeting", name="registration_open"),
        migrations.RemoveField(model_name="meeting", name="registration_token"),
    ]
