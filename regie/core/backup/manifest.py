"""The manifest: what a backup holds, to check a restore against — the row count and a content
hash of every table, and the number, size and a hash of the uploaded files.

A table's hash reads its rows in primary-key order (without a primary key, the sorted hashes of
its rows) and every value in a canonical form, so the same rows give the same hash on the same
engine however they were written. Only the engine's own catalogue names tables and columns.
"""

import datetime
import decimal
import hashlib
import json
import sqlite3
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

import psycopg
from django.utils.translation import gettext as _
from psycopg import sql

from regie.core.backup.errors import BackupError, Problem

FORMAT = 1
READ_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class TableSum:
    rows: int
    sha256: str


@dataclass(frozen=True)
class MediaSum:
    files: int
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    created_at: datetime.datetime  # when the backup started, before its snapshot
    engine: str  # "sqlite" or "postgresql"
    tables: Mapping[str, TableSum]
    media: MediaSum
    format: int = FORMAT

    def dumps(self) -> bytes:
        data = asdict(self)
        data["created_at"] = self.created_at.isoformat()
        return json.dumps(data, indent=1, sort_keys=True).encode()

    @classmethod
    def loads(cls, raw: bytes) -> "Manifest":
        try:
            data = json.loads(raw)
            if data["format"] != FORMAT:
                raise ValueError(data["format"])
            return cls(
                created_at=datetime.datetime.fromisoformat(data["created_at"]),
                engine=data["engine"],
                tables={name: TableSum(**value) for name, value in data["tables"].items()},
                media=MediaSum(**data["media"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BackupError(
                _("This file is not a Regie backup (or not one this version of Regie can read)."),
                problem=Problem.NOT_A_BACKUP,
            ) from None


def differences(expected: Manifest, tables: Mapping[str, TableSum], media: MediaSum) -> list[str]:
    """The tables (and "media") whose rows or files differ from what ``expected`` lists."""
    names = sorted(set(expected.tables) | set(tables))
    found = [name for name in names if expected.tables.get(name) != tables.get(name)]
    return [*found, "media"] if media != expected.media else found


# Values and tables ---------------------------------------------------------------------------


def canonical(value: object) -> object:
    """A JSON value standing for ``value``, the same for the same stored value."""
    match value:
        case None | bool() | int() | str():
            return value
        case float():
            return ["float", repr(value)]
        case bytes() | bytearray() | memoryview():
            return ["bytes", bytes(value).hex()]
        case datetime.datetime() if value.tzinfo is not None:
            return ["datetime", value.astimezone(datetime.UTC).isoformat()]
        case datetime.datetime() | datetime.date() | datetime.time():
            return [type(value).__name__, value.isoformat()]
        case datetime.timedelta():
            return ["timedelta", str(value // datetime.timedelta(microseconds=1))]
        case decimal.Decimal():
            return ["decimal", str(value)]
        case uuid.UUID():
            return ["uuid", str(value)]
        case dict() | list():
            return ["json", json.dumps(value, sort_keys=True, default=str)]
        case _:
            return [type(value).__name__, str(value)]


def _row_bytes(row: Sequence[object]) -> bytes:
    values = [canonical(value) for value in row]
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False).encode() + b"\n"


def table_sum(rows: Iterable[Sequence[object]], *, ordered: bool) -> TableSum:
    """Count and hash rows read in a fixed order, or (``ordered=False``) in any order."""
    count = 0
    digest = hashlib.sha256()
    row_digests: list[bytes] = []
    for row in rows:
        count += 1
        if ordered:
            digest.update(_row_bytes(row))
        else:
            row_digests.append(hashlib.sha256(_row_bytes(row)).digest())
    for row_digest in sorted(row_digests):
        digest.update(row_digest)
    return TableSum(rows=count, sha256=digest.hexdigest())


def _sqlite_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sqlite_tables(connection: sqlite3.Connection) -> dict[str, TableSum]:
    """Every table of a SQLite database (SQLite's own ``sqlite_`` tables aside)."""
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
        )
    ]
    sums = {}
    for name in names:
        columns = connection.execute(f"PRAGMA table_info({_sqlite_name(name)})").fetchall()
        keys = [column[1] for column in sorted(columns, key=lambda c: c[5]) if column[5]]
        order = f" ORDER BY {', '.join(map(_sqlite_name, keys))}" if keys else ""
        # The names come from the database's catalogue, quoted.
        rows = connection.execute(f"SELECT * FROM {_sqlite_name(name)}{order}")  # noqa: S608
        sums[name] = table_sum(rows, ordered=bool(keys))
    return sums


PG_TABLES = """
    SELECT c.oid, n.nspname, c.relname FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
    ORDER BY n.nspname, c.relname
"""
PG_PRIMARY_KEY = """
    SELECT a.attname FROM pg_index i
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
    WHERE i.indrelid = %s AND i.indisprimary
    ORDER BY array_position(i.indkey::int2[], a.attnum)
"""


def postgres_table_names(connection: psycopg.Connection[tuple[object, ...]]) -> list[str]:
    return [
        _pg_name(str(schema), str(name)) for _oid, schema, name in connection.execute(PG_TABLES)
    ]


def _pg_name(schema: str, name: str) -> str:
    return name if schema == "public" else f"{schema}.{name}"


def postgres_tables(connection: psycopg.Connection[tuple[object, ...]]) -> dict[str, TableSum]:
    """Every table of a PostgreSQL database (outside the system schemas), read in the
    connection's current transaction — the dump's snapshot when a backup is taken."""
    sums = {}
    for oid, schema, name in connection.execute(PG_TABLES).fetchall():
        keys = [str(row[0]) for row in connection.execute(PG_PRIMARY_KEY, (oid,))]
        query = sql.SQL("SELECT * FROM {}").format(sql.Identifier(str(schema), str(name)))
        if keys:
            query += sql.SQL(" ORDER BY {}").format(sql.SQL(", ").join(map(sql.Identifier, keys)))
        with connection.cursor(name="regie_backup_rows") as rows:  # server side: not all at once
            rows.itersize = 2000
            rows.execute(query)
            sums[_pg_name(str(schema), str(name))] = table_sum(rows, ordered=bool(keys))
    return sums


# Uploaded files ------------------------------------------------------------------------------


class MediaTally:
    """Adds up the uploaded files one by one (in any order) into a ``MediaSum``."""

    def __init__(self) -> None:
        self._files: dict[str, tuple[int, str]] = {}

    def add(self, name: str, *, size: int, sha256: str) -> None:
        self._files[name] = (size, sha256)

    def result(self) -> MediaSum:
        digest = hashlib.sha256()
        for name in sorted(self._files):
            size, file_digest = self._files[name]
            digest.update(f"{name}\0{size}\0{file_digest}\n".encode())
        total = sum(size for size, _digest in self._files.values())
        return MediaSum(files=len(self._files), bytes=total, sha256=digest.hexdigest())


def media_files(root: Path) -> list[Path]:
    """The regular files under ``root`` (symbolic links are not followed), sorted."""
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def file_digest(source: BinaryIO) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while block := source.read(READ_BLOCK):
        digest.update(block)
        size += len(block)
    return size, digest.hexdigest()


def media_sum(root: Path) -> MediaSum:
    tally = MediaTally()
    for path in media_files(root):
        with path.open("rb") as source:
            size, sha256 = file_digest(source)
        tally.add(path.relative_to(root).as_posix(), size=size, sha256=sha256)
    return tally.result()
