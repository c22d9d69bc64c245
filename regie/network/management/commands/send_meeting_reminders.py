from django.core.management.base import BaseCommand

from regie.network.invitations import reminders_send


class Command(BaseCommand):
    help = (
        "Remind attendees and registered participants of the meetings that start in 24 to 48 "
        "hours. Run it by cron (hourly or daily); a meeting is reminded only once."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = reminders_send()
        self.stdout.write(f"{count} reminders queued")
