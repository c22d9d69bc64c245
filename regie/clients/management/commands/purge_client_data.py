from django.core.management.base import BaseCommand, CommandParser

from regie.clients.retention import PERIODS, retention_purge


class Command(BaseCommand):
    help = (
        "Apply the retention periods of client data (run daily by cron): delete support needs, "
        "contact notes and national numbers, anonymise whole files and drop old access-log "
        "entries when their period has passed. Prints and logs counts only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be purged; change nothing."
        )

    def handle(self, *args: object, **options: object) -> None:
        dry_run = bool(options["dry_run"])
        counts = retention_purge(dry_run=dry_run)
        prefix = "would purge" if dry_run else "purged"
        for period in PERIODS:
            self.stdout.write(
                f"{prefix} {counts[period.category]:>5}  {period.category} "
                f"({period.what}; {period.months} months)"
            )
        self.stdout.write(
            f"{prefix} {counts['national_numbers_without_basis']:>5}  national numbers whose "
            "organisation has no legal basis any more"
        )
