from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from regie.core.audit import log_action
from regie.core.erasures import erasure_log_path, erasures_reapply


class Command(BaseCommand):
    help = (
        "Erase again every record the erasure log (REGIE_ERASURE_LOG) names that the database "
        "shows as not erased. `manage.py restore` does this itself; run it after any other "
        "restore (a PostgreSQL point-in-time recovery, a SQLite file put back by hand)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--erasure-log",
            type=Path,
            default=None,
            help="The erasure log to apply (default: REGIE_ERASURE_LOG), e.g. an off-host copy.",
        )

    def handle(self, *args: object, **options: object) -> None:
        log = options["erasure_log"] or erasure_log_path()
        assert isinstance(log, Path)
        counts = erasures_reapply(log=log)
        log_action(
            actor=None, action="erasure.log_applied", details={"erased_again": counts.reapplied}
        )
        self.stdout.write(
            _(
                "Erasure log %(log)s: %(reapplied)d erased again, %(done)d erased already, "
                "%(absent)d not in the database."
            )
            % {
                "log": log,
                "reapplied": counts.reapplied,
                "done": counts.already_erased,
                "absent": counts.absent,
            }
        )
