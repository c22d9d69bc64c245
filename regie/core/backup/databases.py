"""Each engine's dump and restore, and its tables as the manifest counts them.

SQLite: the online backup API (a consistent copy while Regie runs, the ``-wal`` file included),
``PRAGMA integrity_check`` on the copy; a restore copies back with the same API, in one
transaction that replaces the whole database. PostgreSQL: ``pg_dump -Fc`` from a snapshot that
the manifest's counts read too, so both see the same rows; ``pg_restore --exit-on-error
--single-transaction --no-owner``, so a restore that fails leaves the database as it was.
A database is named by its Django settings (``connection.settings_dict``).
"""

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path

import psycopg
from django.utils.translation import gettext as _
from psycopg.conninfo import make_conninfo

from regie.core.backup.errors import BackupError, Problem
from regie.core.backup.manifest import (
    TableSum,
    postgres_table_names,
    postgres_tables,
    sqlite_tables,
)

type DatabaseSettings = Mapping[str, object]

# libpq parameters that DATABASES' OPTIONS may carry (the others are Django's own).
LIBPQ_OPTIONS = frozenset(
    {
        "sslmode",
        "sslrootcert",
        "sslcert",
        "sslkey",
        "sslcrl",
        "channel_binding",
        "connect_timeout",
        "application_name",
        "options",
        "target_session_attrs",
        "service",
        "passfile",
    }
)


class Engine(StrEnum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"


def engine_of(database: DatabaseSettings) -> Engine:
    name = str(database.get("ENGINE", ""))
    if name.endswith("sqlite3"):
        return Engine.SQLITE
    if "postgresql" in name or "postgis" in name:
        return Engine.POSTGRESQL
    raise BackupError(
        _("Backups support SQLite and PostgreSQL; this database uses %(engine)s.")
        % {"engine": name},
        problem=Problem.ENGINE,
    )


def database_label(database: DatabaseSettings) -> str:
    return str(database.get("NAME", ""))


def _database_error(database: DatabaseSettings, error: Exception) -> BackupError:
    return BackupError(
        _("The database %(name)s refused: %(error)s")
        % {"name": database_label(database), "error": str(error).strip()},
        problem=Problem.DATABASE,
    )


# SQLite --------------------------------------------------------------------------------------


def _sqlite_connect(database: DatabaseSettings) -> sqlite3.Connection:
    name = database_label(database)
    options = database.get("OPTIONS")
    timeout = options.get("timeout", 20) if isinstance(options, Mapping) else 20
    return sqlite3.connect(name, uri=name.startswith("file:"), timeout=float(timeout))


def sqlite_dump(database: DatabaseSettings, target: Path) -> dict[str, TableSum]:
    """Copy the database to ``target`` and count the copy's tables."""
    try:
        source = _sqlite_connect(database)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")  # one file, without -wal beside it
            result = [str(row[0]) for row in copy.execute("PRAGMA integrity_check")]
            if result != ["ok"]:
                raise BackupError(
                    _("The copy of the database fails SQLite's integrity check: %(result)s")
                    % {"result": "; ".join(result[:5])},
                    problem=Problem.DATABASE,
                )
            return sqlite_tables(copy)
        finally:
            copy.close()
            source.close()
    except sqlite3.Error as error:
        raise _database_error(database, error) from error


def sqlite_table_names(database: DatabaseSettings) -> list[str]:
    name = database_label(database)
    if not name.startswith("file:") and not Path(name).exists():
        return []
    try:
        connection = _sqlite_connect(database)
        try:
            rows = connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
            ).fetchall()
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise _database_error(database, error) from error
    return [str(row[0]) for row in rows]


def sqlite_restore(database: DatabaseSettings, dump: Path) -> None:
    """Replace the whole database by ``dump``, in one transaction."""
    try:
        source = sqlite3.connect(dump)
        target = _sqlite_connect(database)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    except sqlite3.Error as error:
        raise _database_error(database, error) from error


def sqlite_database_tables(database: DatabaseSettings) -> dict[str, TableSum]:
    try:
        connection = _sqlite_connect(database)
        try:
            return sqlite_tables(connection)
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise _database_error(database, error) from error


def sqlite_file_tables(path: Path) -> dict[str, TableSum]:
    return sqlite_database_tables({"NAME": str(path)})


# PostgreSQL ----------------------------------------------------------------------------------


def _libpq(database: DatabaseSettings) -> tuple[str, dict[str, str]]:
    """The connection string (without the password) and the environment for libpq tools."""
    params = {
        "dbname": database.get("NAME"),
        "user": database.get("USER"),
        "host": database.get("HOST"),
        "port": database.get("PORT"),
    }
    options = database.get("OPTIONS")
    if isinstance(options, Mapping):
        params |= {key: value for key, value in options.items() if key in LIBPQ_OPTIONS}
    conninfo = make_conninfo(**{key: str(value) for key, value in params.items() if value})
    environment = dict(os.environ)
    if database.get("PASSWORD"):
        environment["PGPASSWORD"] = str(database["PASSWORD"])  # not on the command line
    return conninfo, environment


def _pg_connect(database: DatabaseSettings) -> psycopg.Connection[tuple[object, ...]]:
    conninfo, environment = _libpq(database)
    try:
        return psycopg.connect(conninfo, password=environment.get("PGPASSWORD"))
    except psycopg.Error as error:
        raise _database_error(database, error) from error


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(tool)s is not installed: install the PostgreSQL client tools of the server's "
                "version (Debian: postgresql-client)."
            )
            % {"tool": name},
            problem=Problem.TOOL,
        )
    return path


def _major(version: str) -> int:
    """15 from "pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)"."""
    found = re.search(r"\)\s*(\d+)", version)
    return int(found.group(1)) if found else 0


def _check_tool_version(tool: str, connection: psycopg.Connection[tuple[object, ...]]) -> None:
    """pg_dump and pg_restore read a server of their own major version or older only."""
    run = subprocess.run(  # noqa: S603 — the tool shutil.which found, no shell, fixed arguments
        [tool, "--version"], capture_output=True, text=True, check=False
    )
    tool_major = _major(run.stdout)
    server_major = connection.info.server_version // 10000
    if tool_major < server_major:
        raise BackupError(
            _(
                "%(tool)s is version %(tool_version)s, older than the database server "
                "(%(server_version)s): install the client tools of version %(server_version)s."
            )
            % {
                "tool": Path(tool).name,
                "tool_version": tool_major,
                "server_version": server_major,
            },
            problem=Problem.TOOL,
        )


def _run_tool(command: list[str], environment: dict[str, str]) -> None:
    run = subprocess.run(  # noqa: S603 — the tool shutil.which found, no shell, our arguments
        command, capture_output=True, text=True, env=environment, check=False
    )
    if run.returncode != 0:
        lines = [line for line in run.stderr.splitlines() if line.strip()]
        raise BackupError(
            _("%(tool)s failed: %(error)s")
            % {"tool": Path(command[0]).name, "error": " / ".join(lines[-5:]) or run.returncode},
            problem=Problem.TOOL,
        )


def postgres_dump(database: DatabaseSettings, target: Path) -> dict[str, TableSum]:
    """``pg_dump -Fc`` to ``target`` and the manifest's counts, both from one snapshot."""
    tool = _tool("pg_dump")
    conninfo, environment = _libpq(database)
    with _pg_connect(database) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        _check_tool_version(tool, connection)
        row = connection.execute("SELECT pg_export_snapshot()").fetchone()
        snapshot = str(row[0]) if row else ""
        _run_tool(
            [
                tool,
                "--format=custom",
                f"--snapshot={snapshot}",
                "--no-password",
                f"--file={target}",
                f"--dbname={conninfo}",
            ],
            environment,
        )
        try:
            tables = postgres_tables(connection)
        except psycopg.Error as error:
            raise _database_error(database, error) from error
        connection.rollback()
    return tables


def postgres_table_names_of(database: DatabaseSettings) -> list[str]:
    with _pg_connect(database) as connection:
        return postgres_table_names(connection)


def postgres_restore(database: DatabaseSettings, dump: Path, *, clean: bool) -> None:
    """``pg_restore`` in one transaction; with ``clean`` the dump's objects are dropped first."""
    tool = _tool("pg_restore")
    conninfo, environment = _libpq(database)
    with _pg_connect(database) as connection:
        _check_tool_version(tool, connection)
    command = [
        tool,
        "--exit-on-error",
        "--single-transaction",
        "--no-owner",
        "--no-password",
        f"--dbname={conninfo}",
    ]
    if clean:
        command += ["--clean", "--if-exists"]
    _run_tool([*command, str(dump)], environment)


def postgres_database_tables(database: DatabaseSettings) -> dict[str, TableSum]:
    with _pg_connect(database) as connection:
        try:
            return postgres_tables(connection)
        except psycopg.Error as error:
            raise _database_error(database, error) from error
