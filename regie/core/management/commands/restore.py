from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.core.audit import log_action
from regie.core.backup.archive import backup_restore
from regie.core.backup.errors import BackupError
from regie.core.erasures import erasure_log_path, erasures_reapply


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the database DATABASE_URL names and "
        "MEDIA_ROOT, check every table against the backup's manifest, and erase again whoever "
        "the erasure log (REGIE_ERASURE_LOG) says was erased. Refuses a database or MEDIA_ROOT "
        "that is not empty unless --force. Stop Regie (web and worker) first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup file.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database and uploaded files that are not empty.",
        )
        parser.add_argument(
            "--erasure-log",
            type=Path,
            default=None,
            help="The erasure log to apply (default: REGIE_ERASURE_LOG), e.g. an off-host copy.",
        )

    def handle(self, *args: object, **options: object) -> None:
        path, log = options["path"], options["erasure_log"] or erasure_log_path()
        assert isinstance(path, Path)
        assert isinstance(log, Path)
        try:
            restored = backup_restore(
                path=path,
                database=connection.settings_dict,
                media_root=Path(settings.MEDIA_ROOT),
                key=settings.REGIE_BACKUP_KEY,
                force=bool(options["force"]),
            )
        except BackupError as error:
            raise CommandError(error.message) from error
        manifest = restored.manifest
        self.stdout.write(
            _("Restored the backup of %(taken)s: %(tables)d tables, %(files)d uploaded files.")
            % {
                "taken": timezone.localtime(manifest.created_at).strftime("%d/%m/%Y %H:%M:%S"),
                "tables": len(manifest.tables),
                "files": manifest.media.files,
            }
        )
        if restored.media_kept:
            self.stdout.write(
                _("The uploaded files that were there before are kept in %(path)s.")
                % {"path": restored.media_kept}
            )
        # Whatever the check below finds, nobody erased may come back: erase again first.
        self._migrate()
        counts = erasures_reapply(log=log)
        self.stdout.write(
            _(
                "Erasure log %(log)s: %(reapplied)d erased again, %(done)d erased in the backup "
                "already, %(absent)d not in the backup."
            )
            % {
                "log": log,
                "reapplied": counts.reapplied,
                "done": counts.already_erased,
                "absent": counts.absent,
            }
        )
        log_action(
            actor=None,
            action="backup.restore",
            details={
                "file": path.name,
                "taken": manifest.created_at.isoformat(),
                "erased_again": counts.reapplied,
                "differences": restored.differences,
            },
        )
        if restored.differences:
            raise CommandError(
                _(
                    "The backup was restored, but these differ from its manifest: %(names)s. Do "
                    "not use the database before this is looked into."
                )
                % {"names": ", ".join(restored.differences)}
            )
        self.stdout.write(_("Every table matches the backup's manifest."))

    def _migrate(self) -> None:
        """A backup of an older version: bring its tables up to this one before erasing."""
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(_("The backup is of an older version of Regie: migrating."))
            call_command("migrate", interactive=False, stdout=self.stdout)
