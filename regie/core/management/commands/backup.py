from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext as _

from regie.core.audit import log_action
from regie.core.backup.archive import backup_create
from regie.core.backup.errors import BackupError


class Command(BaseCommand):
    help = (
        "Back up the database DATABASE_URL names and the uploaded files (MEDIA_ROOT) into one "
        "file encrypted with REGIE_BACKUP_KEY, with a manifest of every table's rows. PATH is a "
        "new file, or a folder to write regie-<date>-<time>.regiebackup in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The backup file to write, or a folder.")

    def handle(self, *args: object, **options: object) -> None:
        path = options["path"]
        assert isinstance(path, Path)
        try:
            written, manifest = backup_create(
                path=path,
                database=connection.settings_dict,
                media_root=Path(settings.MEDIA_ROOT),
                key=settings.REGIE_BACKUP_KEY,
            )
        except BackupError as error:
            raise CommandError(error.message) from error
        rows = sum(table.rows for table in manifest.tables.values())
        log_action(
            actor=None,
            action="backup.create",
            details={
                "file": written.name,
                "tables": len(manifest.tables),
                "rows": rows,
                "media_files": manifest.media.files,
            },
        )
        self.stdout.write(
            _(
                "Backup written to %(path)s: %(tables)d tables, %(rows)d rows, %(files)d "
                "uploaded files."
            )
            % {
                "path": written,
                "tables": len(manifest.tables),
                "rows": rows,
                "files": manifest.media.files,
            }
        )
