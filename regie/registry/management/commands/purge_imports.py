from django.core.management.base import BaseCommand

from regie.registry.imports import import_purge_stale


class Command(BaseCommand):
    help = "Remove uploaded import files that were neither imported nor cancelled (run by cron)."

    def handle(self, *args: object, **options: object) -> None:
        removed = import_purge_stale()
        self.stdout.write(f"{removed} abandoned upload(s) removed")
