"""The one error of backups and restores: a Dutch message for the operator and a code."""

from enum import StrEnum


class Problem(StrEnum):
    KEY_MISSING = "key_missing"
    PATH = "path"  # the backup cannot be written there
    NOT_FOUND = "not_found"
    NOT_A_BACKUP = "not_a_backup"
    WRONG_KEY = "wrong_key"
    CORRUPT = "corrupt"  # altered or cut short
    ENGINE = "engine"  # a backup of another database engine
    NOT_EMPTY = "not_empty"
    TOOL = "tool"  # pg_dump or pg_restore missing or failing
    DATABASE = "database"  # the database refused (integrity check, connection)
    VERIFY = "verify"  # the restored data differ from the manifest


class BackupError(Exception):
    """A backup or restore that cannot go on; nothing was changed unless the message says so."""

    def __init__(self, message: str, *, problem: Problem) -> None:
        super().__init__(message)
        self.message = message
        self.problem = problem
