# Walk-ins: registrations made at the door, checked in at once, with an optional e-mail address.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("network", "0003_invitations"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="registration",
            name="one_registration_per_email",
        ),
        migrations.AddField(
            model_name="registration",
            name="is_walk_in",
            field=models.BooleanField(default=False, verbose_name="walk-in"),
        ),
        migrations.AlterField(
            model_name="registration",
            name="email",
            field=models.EmailField(blank=True, max_length=254, verbose_name="e-mail"),
        ),
        migrations.AddConstraint(
            model_name="registration",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "cancelled"), _negated=True)
                & models.Q(("email", ""), _negated=True),
                fields=("meeting", "email"),
                name="one_registration_per_email",
            ),
        ),
    ]
