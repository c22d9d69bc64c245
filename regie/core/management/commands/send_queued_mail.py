from django.core.management.base import BaseCommand

from regie.core.mail import mail_send_due


class Command(BaseCommand):
    help = "Send queued mail and retry earlier failures (run every few minutes by cron)."

    def handle(self, *args: object, **options: object) -> None:
        counts = mail_send_due()
        self.stdout.write(f"{counts['sent']} sent, {counts['failed']} failed")
